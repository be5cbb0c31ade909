//! Customer receipts: the money a run placed on invoices, staged as `POST /contact_payments`
//! requests to Sage Business Cloud Accounting's API for a Sage target with `[targets.api]`.
//!
//! One receipt per bank line and customer ([`crate::targets::payments::per_line_and_customer`]),
//! allocated to each invoice the run placed the line's money on. The fields follow Sage's
//! API reference (`PostContactPaymentsContactPayment`,
//! `PostContactPaymentsContactPaymentAllocatedArtefacts`; developer.sage.com, "Payments and
//! Receipts": "contact_payments handles all income and expenditure types which require a
//! contact … which may be allocated to any number of invoices"): `transaction_type_id`
//! `CUSTOMER_RECEIPT`, `contact_id` (Sage's id of the customer), `bank_account_id` (the
//! mapping's `payment_account`, or the bank account's entry in `payment_accounts`), `date`
//! (the booking date), `total_amount` (the sum of the allocations), `currency_id`,
//! `reference` (the bank's reference, else the bank line's id: what a read-back after a lost
//! answer recognises the receipt by), and `allocated_artefacts` (`artefact_id`, Sage's id
//! of the invoice, and `amount`). Sage's ids are filled in by `push` from
//! `${remote:contact:…}` and `${remote:invoice:…}`: a receipt goes only once Sage has its
//! customer and invoices.
//!
//! A receipt on an invoice the target holds names it (`needs`), so `push` keeps it back
//! until a later run has staged the invoice and Sage has it. Not pushed: money on a
//! `never_export` account, money taken back, credit kept for a customer, tolerance
//! differences, money waiting for a person (see [`crate::targets::payments`]).

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::api::Api;
use super::requests::{Carried, number, remote, request_file};
use crate::outbox::RecordRef;
use crate::targets::payments::{Received, per_line_and_customer, received, totals};
use crate::targets::{RenderedFile, RunFacts};

pub const PATH: &str = "/contact_payments";

#[derive(Serialize)]
struct Body {
    contact_payment: ContactPayment,
}

#[derive(Serialize)]
struct ContactPayment {
    transaction_type_id: &'static str,
    contact_id: String,
    bank_account_id: String,
    date: String,
    total_amount: Box<RawValue>,
    currency_id: String,
    reference: String,
    allocated_artefacts: Vec<Allocation>,
}

#[derive(Serialize)]
struct Allocation {
    artefact_id: String,
    amount: Box<RawValue>,
}

/// The run's receipts as request files `sage-receipts-0001.json` …, in the order the money
/// moved.
pub fn render(target: &str, api: &Api, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let paid = received(facts, &api.payments);
    per_line_and_customer(&paid)
        .into_iter()
        .filter(|group| group.first().is_some_and(|p| !p.customer_id.is_empty()))
        .enumerate()
        .map(|(n, group)| receipt(target, api, group, facts, n + 1))
        .collect()
}

/// The reference a receipt carries, by which a read-back finds it: the bank's, else the
/// bank line's id.
pub fn reference(paid: &Received<'_>) -> String {
    match paid.line.bank_reference.trim() {
        "" => paid.line.id.clone(),
        bank => bank.to_string(),
    }
}

fn receipt(
    target: &str,
    api: &Api,
    group: &[Received<'_>],
    facts: &RunFacts<'_>,
    n: usize,
) -> RenderedFile {
    let first = &group[0];
    let line = first.line;
    let total: Decimal = group.iter().map(|p| p.allocation.amount.amount).sum();
    let body = Body {
        contact_payment: ContactPayment {
            transaction_type_id: "CUSTOMER_RECEIPT",
            contact_id: remote("contact", &first.customer_id),
            bank_account_id: api.payments.account_of(&line.account).to_string(),
            date: line.booking_date.format("%Y-%m-%d").to_string(),
            total_amount: number(total),
            currency_id: first.allocation.amount.currency.code().to_string(),
            reference: reference(first),
            allocated_artefacts: group
                .iter()
                .map(|p| Allocation {
                    artefact_id: remote("invoice", p.invoice),
                    amount: number(p.allocation.amount.amount),
                })
                .collect(),
        },
    };
    let records = group
        .iter()
        .map(|p| RecordRef {
            kind: "payment".to_string(),
            id: format!("{}/{}", p.allocation.bank_line_id, p.place),
            document: p.invoice.to_string(),
        })
        .collect();
    let mut needs: Vec<String> = group
        .iter()
        .filter(|p| facts.held_documents.contains(p.invoice))
        .map(|p| p.invoice.to_string())
        .collect();
    needs.dedup();
    let carried = Carried {
        records,
        totals: totals(group),
        needs,
    };
    request_file(target, "sage-receipts", n, PATH, &body, carried)
}
