//! Payments taken from Xero by `sluice pull` (`format = "xero_payments"`): money received
//! in Xero — through its own bank feed, or entered by a person — that sluice did not push,
//! so that reconcile places it on the invoices it pays like any bank line.
//!
//! The file is what `pull` wrote (`xero-payments-<time>.jsonl`): a first line saying where
//! and when it was pulled, then one line per payment, each the element of Xero's `GET
//! /Payments` answer as Xero sent it (its `Payment` schema in xero_accounting.yaml, MIT).
//! One payment per line makes every refusal name its line.
//!
//! Each received payment on a sales invoice (`PaymentType` `ACCRECPAYMENT`, status
//! `AUTHORISED`) becomes a bank line on the source's `account`: booked on Xero's `Date`
//! (`/Date(<ms>+0000)/`, or `YYYY-MM-DD`), for its `Amount` (its digits as written, never
//! through a float), from the invoice's contact, with Xero's `PaymentID` as the bank's
//! reference (which makes a payment pulled twice one entry) and the invoice's number and
//! the payment's reference as the text. Other payments (on bills, credit notes,
//! overpayments) and deleted ones are not money received on an invoice, and are skipped.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{InputFile, SourceError};
use crate::model::{BankLine, Currency, EntryInfo, Lineage, Money};
use crate::pipeline::Source;

/// The first line of a pulled file: where, when and from which day it was pulled, and what
/// was left out.
#[derive(Debug, Serialize, Deserialize)]
pub struct PullHeader {
    pub pulled_from: String,
    pub target: String,
    pub at: String,
    pub import_from: NaiveDate,
    /// Payments Xero has because sluice pushed them: never taken back.
    pub left_out_pushed_by_sluice: usize,
    /// Payments pulled before, already in the ledger.
    pub left_out_in_ledger: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Payment {
    #[serde(rename = "PaymentID")]
    payment_id: String,
    date: String,
    amount: Box<RawValue>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    payment_type: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    invoice: Option<InvoiceRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InvoiceRef {
    #[serde(default)]
    invoice_number: Option<String>,
    #[serde(default)]
    currency_code: Option<String>,
    #[serde(default)]
    contact: Option<ContactRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ContactRef {
    #[serde(default)]
    name: Option<String>,
}

pub fn parse(source: &Source, file: &InputFile<'_>) -> Result<Vec<BankLine>, SourceError> {
    let error = |line: u64, column: Option<&str>, message: String, hint: &str| SourceError {
        file: file.name.to_string(),
        line: Some(line),
        column: column.map(str::to_string),
        path: None,
        message,
        hint: hint.to_string(),
    };
    let text = std::str::from_utf8(file.bytes).map_err(|e| {
        error(
            1,
            None,
            format!("is not UTF-8 text: {e}"),
            "a file `sluice pull` wrote is UTF-8; pull again",
        )
    })?;
    let mut lines = text.lines().enumerate().map(|(i, l)| (i as u64 + 1, l));
    let (_, first) = lines.next().ok_or_else(|| {
        error(
            1,
            None,
            "is empty".to_string(),
            "a file `sluice pull` wrote starts with a line saying where it was pulled from; pull again",
        )
    })?;
    serde_json::from_str::<PullHeader>(first).map_err(|e| {
        error(
            1,
            None,
            format!("does not start with the line `sluice pull` writes ({e})"),
            "only files `sluice pull` wrote are read as xero_payments; check the source's files pattern",
        )
    })?;
    let account = source.account.clone().unwrap_or_default();
    let mut out = Vec::new();
    for (number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let payment: Payment = serde_json::from_str(line).map_err(|e| {
            error(
                number,
                None,
                format!("is not a Xero payment: {e}"),
                "the file was changed after `sluice pull` wrote it; pull again",
            )
        })?;
        let received = payment.payment_type.as_deref() == Some("ACCRECPAYMENT")
            && payment.status.as_deref() != Some("DELETED");
        if !received {
            continue;
        }
        let date = xero_date(&payment.date).ok_or_else(|| {
            error(
                number,
                Some("Date"),
                format!("\"{}\" is not a date Xero writes", payment.date),
                "Xero writes /Date(<milliseconds>+0000)/ or YYYY-MM-DD",
            )
        })?;
        let amount = Decimal::from_str(payment.amount.get()).map_err(|_| {
            error(
                number,
                Some("Amount"),
                format!("\"{}\" is not an amount", payment.amount.get()),
                "an amount is a number such as 29.90",
            )
        })?;
        let invoice = payment.invoice.as_ref();
        let code = invoice
            .and_then(|i| i.currency_code.clone())
            .or_else(|| source.currency.map(|c| c.code().to_string()))
            .unwrap_or_default();
        let currency = Currency::from_code(&code).map_err(|_| {
            error(
                number,
                Some("Invoice.CurrencyCode"),
                format!("\"{code}\" is not a currency"),
                "set currency in the source for payments whose invoice names none",
            )
        })?;
        let number_of_invoice = invoice
            .and_then(|i| i.invoice_number.clone())
            .unwrap_or_default();
        let reference = payment.reference.unwrap_or_default();
        let lineage = Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line: number,
        };
        out.push(BankLine {
            id: lineage.record_id(),
            account: account.clone(),
            booking_date: date,
            value_date: None,
            amount: Money { amount, currency },
            counterparty: invoice
                .and_then(|i| i.contact.as_ref())
                .and_then(|c| c.name.clone())
                .unwrap_or_default(),
            counterparty_account: String::new(),
            bank_reference: payment.payment_id,
            text: format!("{number_of_invoice} {reference}")
                .trim()
                .to_string(),
            info: EntryInfo::default(),
            lineage,
        });
    }
    Ok(out)
}

/// Xero's dates: `/Date(1543449600000+0000)/` (milliseconds since 1970, UTC) in answers,
/// `2018-11-29` or `2018-11-29T00:00:00` elsewhere.
pub fn xero_date(text: &str) -> Option<NaiveDate> {
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|t| t.strip_suffix(")/"))
    {
        let digits: String = inner
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        let ms: i64 = digits.parse().ok()?;
        return DateTime::from_timestamp_millis(ms).map(|t| t.date_naive());
    }
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xero_writes_dates_two_ways() {
        let day = NaiveDate::from_ymd_opt(2018, 11, 29);
        assert_eq!(xero_date("/Date(1543449600000+0000)/"), day);
        assert_eq!(xero_date("2018-11-29T00:00:00"), day);
        assert_eq!(xero_date("2018-11-29"), day);
        assert_eq!(xero_date("/Date(x)/"), None);
        assert_eq!(xero_date("29.11.2018"), None);
    }
}
