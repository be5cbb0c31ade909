//! A bank line is placed payment by payment: a batch entry the bank itemised (one `TxDtls`
//! per payment) splits into its payments, anything else is one payment. A batch whose
//! itemised amounts are missing or do not add up to the entry stays whole — splitting it
//! would create or lose money.

use super::remittance::{self, Written};
use crate::model::{BankLine, Money};

#[derive(Debug, Clone)]
pub struct Part {
    pub amount: Money,
    pub end_to_end_id: String,
    pub return_reason: String,
    /// The payer's (or payee's) account as the bank gives it, for this payment.
    pub counterparty_account: String,
    /// The payer's (or payee's) name as the bank gives it.
    pub counterparty: String,
    /// The SEPA mandate the payment was collected under, when the bank says.
    pub mandate_id: String,
    /// Where references may be written: bank reference, creditor reference, remittance.
    pub haystack: String,
    /// The same, field by field, structured fields first: for rules that say which field
    /// named what.
    pub remittance: Vec<Written>,
    /// Empty for a whole line; `payment 2 of 5 (line 130): ` inside a batch.
    pub label: String,
    /// The whole entry: a batch booking it may be, as one sum.
    pub whole: bool,
}

pub fn parts(line: &BankLine) -> Vec<Part> {
    let details = &line.info.details;
    let amounts: Option<Vec<Money>> = details.iter().map(|d| d.amount).collect();
    let adds_up = amounts.as_ref().is_some_and(|amounts| {
        amounts.iter().all(|a| a.currency == line.amount.currency)
            && amounts
                .iter()
                .map(|a| a.amount)
                .sum::<rust_decimal::Decimal>()
                == line.amount.amount
    });
    match amounts {
        Some(amounts) if adds_up && details.len() > 1 => details
            .iter()
            .zip(amounts)
            .enumerate()
            .map(|(n, (d, amount))| Part {
                amount,
                end_to_end_id: d.end_to_end_id.clone(),
                return_reason: d.return_reason.clone(),
                counterparty_account: d.counterparty_account.clone(),
                counterparty: d.counterparty.clone(),
                mandate_id: d.mandate_id.clone(),
                haystack: format!("{} {} {}", d.creditor_reference, d.text, d.end_to_end_id),
                remittance: remittance::of_detail(d),
                label: format!("payment {} of {} (line {}): ", n + 1, details.len(), d.line),
                whole: false,
            })
            .collect(),
        _ => {
            let mut haystack = format!(
                "{} {} {}",
                line.bank_reference, line.info.creditor_reference, line.text
            );
            for d in details {
                haystack.push_str(&format!(
                    " {} {} {}",
                    d.creditor_reference, d.text, d.end_to_end_id
                ));
            }
            vec![Part {
                amount: line.amount,
                end_to_end_id: line.info.end_to_end_id.clone(),
                return_reason: line.info.return_reason.clone(),
                counterparty_account: line.counterparty_account.clone(),
                counterparty: line.counterparty.clone(),
                mandate_id: line.info.mandate_id.clone(),
                haystack,
                remittance: remittance::of_line(line),
                label: String::new(),
                whole: true,
            }]
        }
    }
}

/// The account the money of a committed match came from: the itemised payment carrying its
/// end-to-end id, else the entry's counterparty. (A collection of a whole block booked as one
/// sum has neither; `Book::remember` takes the debtor from the collection we sent.)
pub fn payer_account<'a>(line: &'a BankLine, end_to_end_id: &str) -> &'a str {
    let itemised = line
        .info
        .details
        .iter()
        .find(|d| !end_to_end_id.is_empty() && d.end_to_end_id == end_to_end_id)
        .map(|d| d.counterparty_account.as_str())
        .filter(|account| !account.trim().is_empty());
    itemised.unwrap_or(&line.counterparty_account)
}
