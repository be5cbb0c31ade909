//! From one payment block (`PmtInf`) and its `DrctDbtTxInf`s to `DirectDebit`s. Versions
//! differ in spelling (`BIC` or, from 001.03 on, `BICFI`; `ReqdColltnDt` or
//! `ReqdColltnDt/Dt`): each value is asked for under every spelling. ISO lets the sequence
//! type sit on the block or on a single collection; the collection's own one wins.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::ASK_AGAIN;
use crate::model::{DirectDebit, Lineage};
use crate::sources::iso_xml::{self, Element, Field, refusal};
use crate::sources::{InputFile, SourceError};

/// Where an IBAN is wrong, the billing system holds the wrong copy: the file is only its echo.
const IBAN_HINT: &str = "an IBAN that fails its check is mistyped: correct it where the billing system keeps it (the customer's mandate, or our own collection account) and write the file again";

/// The collections of one payment block.
pub(super) fn block(
    file: &InputFile<'_>,
    message_id: &str,
    block: &Element,
    transactions: &[Element],
) -> Result<Vec<DirectDebit>, SourceError> {
    let fields = &block.fields;
    let id = required(
        file,
        block,
        "PmtInfId",
        "the payment block has no id (PmtInfId)",
    )?;
    let date_field = fields
        .first(&["ReqdColltnDt", "ReqdColltnDt/Dt", "ReqdColltnDt/DtTm"])
        .ok_or_else(|| {
            missing(
                file,
                block,
                "ReqdColltnDt",
                "the payment block has no collection date (ReqdColltnDt)",
            )
        })?;
    let collection_date = iso_xml::date(file, date_field, ASK_AGAIN)?;
    let creditor_iban = fields.first(&["CdtrAcct/Id/IBAN"]).ok_or_else(|| {
        missing(
            file,
            block,
            "CdtrAcct/Id/IBAN",
            "the payment block names no IBAN to collect to (CdtrAcct/Id/IBAN)",
        )
    })?;
    let creditor_account = iso_xml::checked_iban(file, creditor_iban, IBAN_HINT)?;
    if transactions.is_empty() {
        return Err(missing(
            file,
            block,
            "DrctDbtTxInf",
            "the payment block holds no collection (DrctDbtTxInf)",
        ));
    }
    let shared = Block {
        message_id,
        id: id.value,
        creditor_account: &creditor_account,
        collection_date,
        sequence_type: fields.first(&["PmtTpInf/SeqTp"]).map(|f| f.value),
    };
    let debits = transactions
        .iter()
        .map(|tx| collection(file, tx, &shared))
        .collect::<Result<Vec<_>, _>>()?;
    let amounts: Vec<Decimal> = debits.iter().map(|d| d.amount.amount).collect();
    check_totals(file, block, "the payment block", &amounts)?;
    Ok(debits)
}

/// What every collection of a block shares.
struct Block<'b> {
    message_id: &'b str,
    id: &'b str,
    creditor_account: &'b str,
    collection_date: NaiveDate,
    sequence_type: Option<&'b str>,
}

/// One `DrctDbtTxInf` of `block`.
fn collection(
    file: &InputFile<'_>,
    tx: &Element,
    block: &Block<'_>,
) -> Result<DirectDebit, SourceError> {
    let fields = &tx.fields;
    let end_to_end_id = required(
        file,
        tx,
        "PmtId/EndToEndId",
        "the collection has no end-to-end id (PmtId/EndToEndId), by which the bank reports on it",
    )?;
    let amount =
        iso_xml::amount(file, tx, "InstdAmt", "the collection", ASK_AGAIN)?.ok_or_else(|| {
            missing(
                file,
                tx,
                "InstdAmt",
                "the collection has no amount (InstdAmt)",
            )
        })?;
    if amount.is_zero()
        && let Some(field) = fields.first(&["InstdAmt"])
    {
        return Err(at(
            file,
            field,
            format!("the collection is for {amount}: a direct debit collects at least 0.01"),
        ));
    }
    let mandate_id = required(
        file,
        tx,
        "DrctDbtTx/MndtRltdInf/MndtId",
        "the collection names no mandate (DrctDbtTx/MndtRltdInf/MndtId)",
    )?;
    let mandate_signed = fields
        .first(&["DrctDbtTx/MndtRltdInf/DtOfSgntr"])
        .map(|f| iso_xml::date(file, f, ASK_AGAIN))
        .transpose()?;
    let debtor_iban = fields.first(&["DbtrAcct/Id/IBAN"]).ok_or_else(|| {
        missing(
            file,
            tx,
            "DbtrAcct/Id/IBAN",
            "the collection names no IBAN to collect from (DbtrAcct/Id/IBAN)",
        )
    })?;
    let ustrd: Vec<&str> = fields
        .all("RmtInf/Ustrd")
        .map(|f| f.value)
        .filter(|v| !v.is_empty())
        .collect();
    let sequence_type = fields
        .first(&["PmtTpInf/SeqTp"])
        .map(|f| f.value)
        .or(block.sequence_type)
        .unwrap_or_default();
    Ok(DirectDebit {
        message_id: block.message_id.to_string(),
        payment_information_id: block.id.to_string(),
        end_to_end_id: end_to_end_id.value.to_string(),
        instruction_id: fields.text(&["PmtId/InstrId"]),
        mandate_id: mandate_id.value.to_string(),
        mandate_signed,
        sequence_type: sequence_type.to_string(),
        creditor_account: block.creditor_account.to_string(),
        debtor_name: fields.text(&["Dbtr/Nm"]),
        debtor_iban: iso_xml::checked_iban(file, debtor_iban, IBAN_HINT)?,
        debtor_bic: fields.text(&["DbtrAgt/FinInstnId/BICFI", "DbtrAgt/FinInstnId/BIC"]),
        amount,
        collection_date: block.collection_date,
        remittance: ustrd.join(" "),
        creditor_reference: fields.text(&["RmtInf/Strd/CdtrRefInf/Ref"]),
        lineage: Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line: tx.line,
        },
    })
}

/// `NbOfTxs` and `CtrlSum` of a header or block against what it holds: a file changed by
/// hand after it was written no longer agrees with itself, and the bank refuses it.
pub(super) fn check_totals(
    file: &InputFile<'_>,
    element: &Element,
    what: &str,
    amounts: &[Decimal],
) -> Result<(), SourceError> {
    const CHANGED: &str = "the file no longer agrees with itself, so it was changed after it was written or written wrongly: take the file the bank received";
    if let Some(count) = element.fields.first(&["NbOfTxs"])
        && count.value.parse::<usize>().ok() != Some(amounts.len())
    {
        return Err(refusal(
            file,
            Some(count.line),
            Some(count.path()),
            format!(
                "{what} says it holds {} collections (NbOfTxs), but holds {}",
                count.value,
                amounts.len()
            ),
            CHANGED,
        ));
    }
    if let Some(sum) = element.fields.first(&["CtrlSum"]) {
        let total: Decimal = amounts.iter().sum();
        let stated = iso_xml::decimal(sum.value)
            .ok_or_else(|| at(file, sum, format!("\"{}\" is not an amount", sum.value)))?;
        if stated != total {
            return Err(refusal(
                file,
                Some(sum.line),
                Some(sum.path()),
                format!(
                    "{what} says its collections total {} (CtrlSum), but they total {total}",
                    sum.value
                ),
                CHANGED,
            ));
        }
    }
    Ok(())
}

/// A value the message cannot do without: present and not empty.
pub(super) fn required<'e>(
    file: &InputFile<'_>,
    element: &'e Element,
    key: &str,
    message: &str,
) -> Result<Field<'e>, SourceError> {
    iso_xml::required(file, element, key, message, ASK_AGAIN)
}

fn missing(file: &InputFile<'_>, element: &Element, key: &str, message: &str) -> SourceError {
    iso_xml::missing(file, element, key, message, ASK_AGAIN)
}

fn at(file: &InputFile<'_>, field: Field<'_>, message: String) -> SourceError {
    refusal(
        file,
        Some(field.line),
        Some(field.path()),
        message,
        ASK_AGAIN,
    )
}
