//! Where a payment may say what it pays, in the order the reference rules read it: the
//! structured fields first (creditor reference, end-to-end id, the bank's reference for
//! the entry), then the text the payer wrote. Software fills a structured field from the
//! invoice; a person types the text, and mentions other numbers in it too.

use crate::model::{BankLine, TransactionDetail};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `CdtrRefInf/Ref`, MT940 structured remittance.
    CreditorReference,
    EndToEndId,
    BankReference,
    RemittanceText,
}

impl Field {
    /// For explanations: "the payment names invoice … in the {field}".
    pub fn describe(self) -> &'static str {
        match self {
            Field::CreditorReference => "creditor reference field",
            Field::EndToEndId => "end-to-end id",
            Field::BankReference => "bank reference",
            Field::RemittanceText => "remittance text",
        }
    }
}

/// What one field of a payment says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub field: Field,
    pub text: String,
}

/// A whole entry's fields, each of its itemised payments' fields after the entry's own.
pub fn of_line(line: &BankLine) -> Vec<Written> {
    let info = &line.info;
    let details = &info.details;
    let mut written = Vec::new();
    let mut add = |field: Field, texts: Vec<&str>| {
        written.extend(texts.into_iter().map(|text| Written {
            field,
            text: text.to_string(),
        }))
    };
    add(
        Field::CreditorReference,
        std::iter::once(info.creditor_reference.as_str())
            .chain(details.iter().map(|d| d.creditor_reference.as_str()))
            .collect(),
    );
    add(
        Field::EndToEndId,
        std::iter::once(info.end_to_end_id.as_str())
            .chain(details.iter().map(|d| d.end_to_end_id.as_str()))
            .collect(),
    );
    add(Field::BankReference, vec![line.bank_reference.as_str()]);
    add(
        Field::RemittanceText,
        std::iter::once(line.text.as_str())
            .chain(details.iter().map(|d| d.text.as_str()))
            .collect(),
    );
    without_empty(written)
}

/// One itemised payment's fields (the entry's bank reference is the whole batch's).
pub fn of_detail(detail: &TransactionDetail) -> Vec<Written> {
    without_empty(vec![
        Written {
            field: Field::CreditorReference,
            text: detail.creditor_reference.clone(),
        },
        Written {
            field: Field::EndToEndId,
            text: detail.end_to_end_id.clone(),
        },
        Written {
            field: Field::RemittanceText,
            text: detail.text.clone(),
        },
    ])
}

fn without_empty(written: Vec<Written>) -> Vec<Written> {
    written
        .into_iter()
        .filter(|w| !w.text.trim().is_empty())
        .collect()
}
