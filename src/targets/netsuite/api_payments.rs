//! The run's customer payments staged as requests to NetSuite's REST web services
//! (`netsuite-customer-payments-0001.json` …), for a target with `[targets.api]`: the same
//! payments as the CSV file ([`super::payments`]), one per bank line and customer, applied
//! to each invoice the reconciliation placed the money on.
//!
//! Each is an upsert of a `customerpayment` by External ID (the CSV's `<bank line>/<customer
//! number>`, see [`super::requests::external_id`]). Fields follow Oracle NetSuite Help,
//! "Customer Payment" (REST web services; its "Creating a Customer Payment Record" sample):
//! `customer` and `account` as references by internal id, `payment` (the amount), `memo`,
//! and the `apply` sublist whose lines name the invoice (`doc`, by internal id), `apply`
//! true and the `amount` applied to it; besides, `tranDate` and the classification, and
//! `undepFunds` false, as the payment goes to `account` rather than to Undeposited Funds
//! (SOAP schema, `CustomerPayment.account`: "Required when undepFunds is set to FALSE").
//!
//! The customer's and the invoices' internal ids exist once NetSuite has them: they are the
//! placeholders `${remote:contact:<customer>}` and `${remote:invoice:<number>}`, filled in
//! by `push`, which keeps a payment back until both are delivered. A payment on an invoice
//! the target holds names it (`needs`), so `push` says why it waits.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::NetSuite;
use super::requests::{Classified, Ref, Sublist, number, request_file, upsert_path};
use crate::outbox::RecordRef;
use crate::targets::payments::{self, PaymentAccounts, Received};
use crate::targets::{RenderedFile, RunFacts};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PaymentBody {
    customer: Ref,
    tran_date: String,
    payment: Box<RawValue>,
    undep_funds: bool,
    account: Ref,
    #[serde(skip_serializing_if = "String::is_empty")]
    memo: String,
    #[serde(flatten)]
    classified: Classified,
    apply: Sublist<ApplyLine>,
}

#[derive(Serialize)]
struct ApplyLine {
    doc: Ref,
    apply: bool,
    amount: Box<RawValue>,
}

pub fn render(
    target: &str,
    netsuite: &NetSuite,
    accounts: &PaymentAccounts,
    facts: &RunFacts<'_>,
) -> Vec<RenderedFile> {
    let received = payments::received(facts, accounts);
    payments::per_line_and_customer(&received)
        .into_iter()
        .enumerate()
        .map(|(i, payment)| request(target, netsuite, accounts, facts, payment, i + 1))
        .collect()
}

fn request(
    target: &str,
    netsuite: &NetSuite,
    accounts: &PaymentAccounts,
    facts: &RunFacts<'_>,
    payment: &[Received<'_>],
    number_in_batch: usize,
) -> RenderedFile {
    let first = &payment[0];
    let line = first.line;
    let total: Decimal = payment.iter().map(|p| p.allocation.amount.amount).sum();
    let body = PaymentBody {
        customer: Ref::pushed("contact", first.customer_id.trim()),
        tran_date: line.booking_date.format("%Y-%m-%d").to_string(),
        payment: number(total),
        undep_funds: false,
        account: Ref {
            id: accounts.account_of(&line.account).to_string(),
        },
        memo: line
            .bank_reference
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        classified: Classified::of(netsuite),
        apply: Sublist {
            items: payment
                .iter()
                .map(|paid| ApplyLine {
                    doc: Ref::pushed("invoice", paid.invoice.trim()),
                    apply: true,
                    amount: number(paid.allocation.amount.amount),
                })
                .collect(),
        },
    };
    let id = format!("{}/{}", line.id, first.customer_id);
    // Payments on an invoice the target holds wait for it; `push` says which.
    let mut needs: Vec<String> = payment
        .iter()
        .filter(|p| facts.held_documents.contains(p.invoice))
        .map(|p| p.invoice.to_string())
        .collect();
    needs.dedup();
    request_file(
        target,
        format!("netsuite-customer-payments-{number_in_batch:04}.json"),
        upsert_path("customerpayment", &id, ""),
        RecordRef {
            kind: "payment".to_string(),
            id,
            document: first.invoice.trim().to_string(),
        },
        needs,
        serde_json::to_string(&body).expect("a payment serialises"),
        Some((first.allocation.amount.currency.code().to_string(), total)),
    )
}
