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
//! Payments on an invoice the target holds (its mapping does not cover it yet, or it lies
//! in the locked period) are staged in requests of their own, one per invoice, that name it
//! (`needs`): `sluice push` keeps them back until a later run has staged the invoice (and,
//! with `documents = "api"`, Xero has it), then sends them — never before.
//!
//! Not pushed: payments on an account listed in `never_export` of `[targets.mapping]` (Xero
//! has them already, from its own feed or gateway integration). Credit kept for a customer
//! and differences within the tolerance are bank transactions ([`super::bank_transactions`]).
//! Not pushed yet: money taken back from an invoice (a return deletes a payment in Xero,
//! which needs the payment's Xero id) and money that waits for a person.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::api::Api;
use crate::outbox::{RecordRef, StagedRequest};
use crate::targets::payments::{Received, received};
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
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice_number: Option<&'a str>,
    /// Where Xero numbered the invoice: its id, as a placeholder push fills in.
    #[serde(rename = "InvoiceID", skip_serializing_if = "Option::is_none")]
    invoice_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AccountRef<'a> {
    code: &'a str,
}

/// The run's payments as request files `xero-payments-0001.json` …, in the order the money
/// moved (booking date, then bank line, then the match's place on it).
/// `by_id`: Xero numbers the invoices (`numbers = "xero"`), so a payment names its invoice
/// by Xero's id.
pub fn render(target: &str, api: &Api, by_id: bool, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let mut payments = received(facts, &api.payments);
    // Xero's payments are one per allocation, in the order the money moved.
    payments.sort_by(|a, b| {
        (a.line.booking_date, &a.line.id, a.place).cmp(&(b.line.booking_date, &b.line.id, b.place))
    });
    // Money on an invoice the target holds waits for it: its payments go in requests of
    // their own, one per invoice, that name it, so the rest is not held up.
    let (waiting, ready): (Vec<_>, Vec<_>) = payments
        .into_iter()
        .partition(|p| facts.held_documents.contains(p.invoice));
    let mut waiting_by_invoice: BTreeMap<&str, Vec<Received<'_>>> = BTreeMap::new();
    for p in waiting {
        waiting_by_invoice.entry(p.invoice).or_default().push(p);
    }
    let chunks = ready
        .chunks(api.per_request)
        .map(|chunk| (chunk, None))
        .chain(waiting_by_invoice.iter().flat_map(|(invoice, payments)| {
            payments
                .chunks(api.per_request)
                .map(move |chunk| (chunk, Some(*invoice)))
        }));
    chunks
        .enumerate()
        .filter_map(|(i, (chunk, needs))| request_file(target, api, by_id, chunk, needs, i + 1))
        .collect()
}

fn request_file(
    target: &str,
    api: &Api,
    by_id: bool,
    chunk: &[Received<'_>],
    needs: Option<&str>,
    number: usize,
) -> Option<RenderedFile> {
    let mut records = Vec::new();
    let mut body = Vec::new();
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for p in chunk {
        let (line, m) = (p.line, p.allocation);
        // A decimal's digits are a valid JSON number.
        let amount = RawValue::from_string(m.amount.amount.to_string()).ok()?;
        body.push(Payment {
            invoice: if by_id {
                InvoiceRef {
                    invoice_number: None,
                    invoice_id: Some(format!("${{remote:invoice:{}}}", p.invoice)),
                }
            } else {
                InvoiceRef {
                    invoice_number: Some(p.invoice),
                    invoice_id: None,
                }
            },
            account: AccountRef {
                code: api.account_code(&line.account),
            },
            date: line.booking_date.format("%Y-%m-%d").to_string(),
            amount,
            reference: line.bank_reference.as_str(),
        });
        records.push(RecordRef {
            kind: "payment".to_string(),
            id: format!("{}/{}", m.bank_line_id, p.place),
            document: p.invoice.to_string(),
        });
        *totals
            .entry(m.amount.currency.code().to_string())
            .or_default() += m.amount.amount;
    }
    let json = serde_json::to_string(&Payments { payments: body }).ok()?;
    let mut request = StagedRequest::new(target, "PUT", PATH, records, json).ok()?;
    request.needs = needs.map(str::to_string).into_iter().collect();
    Some(RenderedFile {
        name: format!("xero-payments-{number:04}.json"),
        bytes: request.to_bytes(),
        records: request.records.len() as u64,
        totals,
    })
}
