//! Xero's Accounting API: the money a run placed on invoices, staged as `PUT Payments`
//! requests for `sluice push` (with a `[targets.api]` section, see [`super::api`]).
//!
//! Each allocation of a bank line to an invoice is one Xero payment: the invoice by its
//! number (`Invoice.InvoiceNumber`), the bank account it came into by its account code
//! (`Account.Code`), the booking date, the amount and the bank's reference. Xero's
//! specification (`Payment` in xero_accounting.yaml, MIT, tests/fixtures/xero) takes the
//! date as `YYYY-MM-DD` and the amount as a number; sluice writes the amount's decimal digits
//! as they are, never through a binary float. Up to `per_request` payments go in one request
//! with `summarizeErrors=false`, so Xero answers for each payment on its own.
//!
//! Not pushed: payments on an account listed in `never_export` of `[targets.mapping]` (Xero
//! has them already, from
//! its own feed or gateway integration). Not pushed yet: money taken back from an invoice (a return deletes a payment in Xero,
//! which needs the payment's Xero id), credit kept for a customer (a Xero overpayment),
//! differences within the tolerance, and money that waits for a person.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::api::Api;
use crate::model::{Match, MatchKind};
use crate::outbox::{RecordRef, StagedRequest};
use crate::targets::{RenderedFile, RunFacts};

pub const PATH: &str = "/api.xro/2.0/Payments?summarizeErrors=false";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Payments<'a> {
    payments: Vec<Payment<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Payment<'a> {
    invoice: InvoiceRef<'a>,
    account: AccountRef<'a>,
    date: String,
    /// The decimal as written, a JSON number.
    amount: Box<RawValue>,
    #[serde(skip_serializing_if = "str::is_empty")]
    reference: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct InvoiceRef<'a> {
    invoice_number: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AccountRef<'a> {
    code: &'a str,
}

/// The run's payments as request files `xero-payments-0001.json` …, in the order the money
/// moved (booking date, then bank line, then the match's place on it).
pub fn render(target: &str, api: &Api, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let lines: BTreeMap<&str, &crate::model::BankLine> = facts
        .bank_lines
        .iter()
        .chain(facts.retried_lines)
        .map(|l| (l.id.as_str(), l))
        .collect();
    // A line's matches of this run and, for lines of earlier runs placed on retry, theirs.
    let mut place: BTreeMap<&str, usize> = BTreeMap::new();
    let mut payments: Vec<(&Match, usize)> = Vec::new();
    for m in facts.matches.iter().chain(facts.rematched) {
        let n = place.entry(m.bank_line_id.as_str()).or_default();
        *n += 1;
        if m.kind == MatchKind::Allocation
            && m.document.is_some()
            && m.amount.amount > Decimal::ZERO
        {
            payments.push((m, *n));
        }
    }
    // Only money of a bank line the run knows: a status report's matches are of lines whose
    // money went back, which are not payments.
    payments.retain(|(m, _)| lines.contains_key(m.bank_line_id.as_str()));
    // Money Xero has from elsewhere (its own feed of that account) is not pushed again.
    payments.retain(|(m, _)| {
        lines
            .get(m.bank_line_id.as_str())
            .is_some_and(|l| api.pushes(&l.account))
    });
    let date_of = |m: &Match| lines.get(m.bank_line_id.as_str()).map(|l| l.booking_date);
    payments.sort_by_key(|(m, n)| (date_of(m), m.bank_line_id.clone(), *n));
    payments
        .chunks(api.per_request)
        .enumerate()
        .filter_map(|(i, chunk)| request_file(target, api, &lines, chunk, i + 1))
        .collect()
}

fn request_file(
    target: &str,
    api: &Api,
    lines: &BTreeMap<&str, &crate::model::BankLine>,
    chunk: &[(&Match, usize)],
    number: usize,
) -> Option<RenderedFile> {
    let mut records = Vec::new();
    let mut body = Vec::new();
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for (m, n) in chunk {
        let invoice = m.document.as_deref()?;
        let line = lines.get(m.bank_line_id.as_str())?;
        let account = api.account_code(&line.account);
        let date = line.booking_date;
        let reference = line.bank_reference.as_str();
        // A decimal's digits are a valid JSON number.
        let amount = RawValue::from_string(m.amount.amount.to_string()).ok()?;
        body.push(Payment {
            invoice: InvoiceRef {
                invoice_number: invoice,
            },
            account: AccountRef { code: account },
            date: date.format("%Y-%m-%d").to_string(),
            amount,
            reference,
        });
        records.push(RecordRef {
            kind: "payment".to_string(),
            id: format!("{}/{n}", m.bank_line_id),
            document: invoice.to_string(),
        });
        *totals
            .entry(m.amount.currency.code().to_string())
            .or_default() += m.amount.amount;
    }
    let json = serde_json::to_string(&Payments { payments: body }).ok()?;
    let request = StagedRequest::new(target, "PUT", PATH, records, json).ok()?;
    Some(RenderedFile {
        name: format!("xero-payments-{number:04}.json"),
        bytes: request.to_bytes(),
        records: request.records.len() as u64,
        totals,
    })
}
