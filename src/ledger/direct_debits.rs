//! The direct-debit tables: `collections` (each pain.008 transaction we sent, as sent) and
//! `payment_statuses` (each status a pain.002 report gave, with what sluice did about it).
//! What a status changed in the money — a reversed allocation, a reopened invoice — is in
//! `matches`, with the same end-to-end id.

use polars::prelude::DataFrame;

use super::LedgerError;
use super::frame::{self, Reader, date, int, opt_int, text};
use crate::model::{Currency, DirectDebit, Lineage, Money, PaymentStatus};

/// One collection taken in: expected (new), or skipped because its end-to-end id was
/// already known from an earlier pain.008.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionRow {
    pub run_id: String,
    pub debit: DirectDebit,
    /// The invoice it collects, as far as it could be told when it was taken in.
    pub invoice: String,
    pub duplicate: bool,
    pub note: String,
}

/// One status of a pain.002 report, and its effect in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    pub run_id: String,
    pub status: PaymentStatus,
    pub effect: String,
}

fn lineage_columns<'a>(
    lineages: impl Iterator<Item = &'a Lineage> + Clone,
) -> Vec<polars::prelude::Column> {
    vec![
        text(
            "file_sha256",
            lineages.clone().map(|l| l.file_sha256.as_str()),
        ),
        text("file_name", lineages.clone().map(|l| l.file_name.as_str())),
        int("line", lineages.map(|l| l.line as i64)),
    ]
}

fn lineages(r: &Reader<'_>) -> Result<Vec<Lineage>, LedgerError> {
    let sha = r.texts("file_sha256")?;
    let name = r.texts("file_name")?;
    let line = r.ints("line")?;
    Ok(sha
        .into_iter()
        .zip(name)
        .zip(line)
        .map(|((file_sha256, file_name), line)| Lineage {
            file_sha256,
            file_name,
            line: line as u64,
        })
        .collect())
}

pub fn collections_frame(rows: &[CollectionRow]) -> Result<DataFrame, LedgerError> {
    let d = || rows.iter().map(|r| &r.debit);
    let mut columns = vec![text("run_id", rows.iter().map(|r| r.run_id.as_str()))];
    columns.extend(lineage_columns(d().map(|d| &d.lineage)));
    columns.extend([
        text("message_id", d().map(|d| d.message_id.as_str())),
        text(
            "payment_information_id",
            d().map(|d| d.payment_information_id.as_str()),
        ),
        text("end_to_end_id", d().map(|d| d.end_to_end_id.as_str())),
        text("instruction_id", d().map(|d| d.instruction_id.as_str())),
        text("mandate_id", d().map(|d| d.mandate_id.as_str())),
        date("mandate_signed", d().map(|d| d.mandate_signed))?,
        text("sequence_type", d().map(|d| d.sequence_type.as_str())),
        text("creditor_account", d().map(|d| d.creditor_account.as_str())),
        text("debtor_name", d().map(|d| d.debtor_name.as_str())),
        text("debtor_iban", d().map(|d| d.debtor_iban.as_str())),
        text("debtor_bic", d().map(|d| d.debtor_bic.as_str())),
        int("amount_minor", d().map(|d| minor(&d.amount))),
        text("currency", d().map(|d| d.amount.currency.code())),
        date("collection_date", d().map(|d| Some(d.collection_date)))?,
        text("remittance", d().map(|d| d.remittance.as_str())),
        text(
            "creditor_reference",
            d().map(|d| d.creditor_reference.as_str()),
        ),
        text("invoice", rows.iter().map(|r| r.invoice.as_str())),
        text(
            "status",
            rows.iter()
                .map(|r| if r.duplicate { "duplicate" } else { "expected" }),
        ),
        text("note", rows.iter().map(|r| r.note.as_str())),
    ]);
    frame::frame(columns)
}

pub fn collections_rows(r: &Reader<'_>) -> Result<Vec<CollectionRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let lineage = lineages(r)?;
    let message_id = r.texts("message_id")?;
    let block = r.texts("payment_information_id")?;
    let e2e = r.texts("end_to_end_id")?;
    let instruction = r.texts("instruction_id")?;
    let mandate = r.texts("mandate_id")?;
    let signed = r.dates("mandate_signed")?;
    let sequence = r.texts("sequence_type")?;
    let creditor_account = r.texts("creditor_account")?;
    let debtor_name = r.texts("debtor_name")?;
    let debtor_iban = r.texts("debtor_iban")?;
    let debtor_bic = r.texts("debtor_bic")?;
    let amount = r.money("amount_minor", "currency")?;
    let collection_date = r.required_dates("collection_date")?;
    let remittance = r.texts("remittance")?;
    let creditor_reference = r.texts("creditor_reference")?;
    let invoice = r.texts("invoice")?;
    let status = r.texts("status")?;
    let note = r.texts("note")?;
    Ok(lineage
        .into_iter()
        .enumerate()
        .map(|(i, lineage)| CollectionRow {
            run_id: run_id[i].clone(),
            debit: DirectDebit {
                message_id: message_id[i].clone(),
                payment_information_id: block[i].clone(),
                end_to_end_id: e2e[i].clone(),
                instruction_id: instruction[i].clone(),
                mandate_id: mandate[i].clone(),
                mandate_signed: signed[i],
                sequence_type: sequence[i].clone(),
                creditor_account: creditor_account[i].clone(),
                debtor_name: debtor_name[i].clone(),
                debtor_iban: debtor_iban[i].clone(),
                debtor_bic: debtor_bic[i].clone(),
                amount: amount[i],
                collection_date: collection_date[i],
                remittance: remittance[i].clone(),
                creditor_reference: creditor_reference[i].clone(),
                lineage,
            },
            invoice: invoice[i].clone(),
            duplicate: status[i] == "duplicate",
            note: note[i].clone(),
        })
        .collect())
}

pub fn statuses_frame(rows: &[StatusRow]) -> Result<DataFrame, LedgerError> {
    let s = || rows.iter().map(|r| &r.status);
    let mut columns = vec![text("run_id", rows.iter().map(|r| r.run_id.as_str()))];
    columns.extend(lineage_columns(s().map(|s| &s.lineage)));
    columns.extend([
        text("message_id", s().map(|s| s.message_id.as_str())),
        date("created", s().map(|s| s.created))?,
        text(
            "original_message_id",
            s().map(|s| s.original_message_id.as_str()),
        ),
        text(
            "original_message_name",
            s().map(|s| s.original_message_name.as_str()),
        ),
        text(
            "original_payment_information_id",
            s().map(|s| s.original_payment_information_id.as_str()),
        ),
        text("end_to_end_id", s().map(|s| s.end_to_end_id.as_str())),
        text("instruction_id", s().map(|s| s.instruction_id.as_str())),
        text("status", s().map(|s| s.status.as_str())),
        text("reason_code", s().map(|s| s.reason_code.as_str())),
        text("reason_text", s().map(|s| s.reason_text.as_str())),
        opt_int("amount_minor", s().map(|s| s.amount.as_ref().map(minor))),
        text(
            "currency",
            s().map(|s| s.amount.as_ref().map(|a| a.currency.code()).unwrap_or("")),
        ),
        text("mandate_id", s().map(|s| s.mandate_id.as_str())),
        text("effect", rows.iter().map(|r| r.effect.as_str())),
    ]);
    frame::frame(columns)
}

pub fn statuses_rows(r: &Reader<'_>) -> Result<Vec<StatusRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let lineage = lineages(r)?;
    let message_id = r.texts("message_id")?;
    let created = r.dates("created")?;
    let original_message_id = r.texts("original_message_id")?;
    let original_message_name = r.added_texts("original_message_name")?;
    let block = r.texts("original_payment_information_id")?;
    let e2e = r.texts("end_to_end_id")?;
    let instruction = r.texts("instruction_id")?;
    let status = r.texts("status")?;
    let reason_code = r.texts("reason_code")?;
    let reason_text = r.texts("reason_text")?;
    let amount = r.opt_ints("amount_minor")?;
    let currency = r.texts("currency")?;
    let mandate = r.texts("mandate_id")?;
    let effect = r.texts("effect")?;
    lineage
        .into_iter()
        .enumerate()
        .map(|(i, lineage)| {
            let amount = match amount[i] {
                Some(minor) => {
                    let currency =
                        Currency::from_code(&currency[i]).map_err(|e| LedgerError::Corrupt {
                            segment: r.segment.to_string(),
                            message: e.to_string(),
                        })?;
                    Some(Money::from_minor(minor, currency))
                }
                None => None,
            };
            Ok(StatusRow {
                run_id: run_id[i].clone(),
                status: PaymentStatus {
                    message_id: message_id[i].clone(),
                    created: created[i],
                    original_message_id: original_message_id[i].clone(),
                    original_message_name: original_message_name[i].clone(),
                    original_payment_information_id: block[i].clone(),
                    end_to_end_id: e2e[i].clone(),
                    instruction_id: instruction[i].clone(),
                    status: status[i].clone(),
                    reason_code: reason_code[i].clone(),
                    reason_text: reason_text[i].clone(),
                    amount,
                    mandate_id: mandate[i].clone(),
                    lineage,
                },
                effect: effect[i].clone(),
            })
        })
        .collect()
}

/// Amounts are checked to fit when parsed; `Money::to_minor` only fails past 9e18 cents.
fn minor(m: &Money) -> i64 {
    m.to_minor().unwrap_or(i64::MAX)
}
