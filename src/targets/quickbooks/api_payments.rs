//! The money a run placed on invoices, staged as QuickBooks Online `Payment` entities in
//! batches ([`super::api_batch`]) for `sluice push`.
//!
//! One payment per allocation of a bank line to an invoice (as the Xero target's), fields
//! as Intuit's API reference names them (Accounting API › Payment, "Create a payment"):
//! `CustomerRef.value` and `TotalAmt` are required; `Line[].LinkedTxn[]` with `TxnId` and
//! `TxnType` `Invoice` applies the amount to the invoice; `DepositToAccountRef.value` is the
//! account it is deposited to (`payment_account`, or the bank account's entry in
//! `payment_accounts`: QuickBooks' account ids); `TxnDate` the booking date;
//! `CurrencyRef.value` the currency; `PaymentRefNum` the bank's reference (at most 21
//! characters; a longer one goes to `PrivateNote`, as a cut reference is a wrong one).
//!
//! The customer and the invoice are named by QuickBooks' ids, which exist only once they
//! are pushed: `${remote:contact:<customer no>}` and `${remote:invoice:<number>}`, filled in
//! by `sluice push`, which keeps the payment back until QuickBooks has both. Payments on an
//! invoice the target holds go in batches of their own that name it (`needs`), so the
//! rest is not held up.
//!
//! Not staged (see [`crate::targets::payments`]): money on a `never_export` account, money
//! taken back from an invoice, credit kept for a customer, tolerance differences.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::value::RawValue;

use super::api::Api;
use super::api_batch::{Ref, Staged, money, requests};
use super::api_documents::customer_ref;
use crate::outbox::RecordRef;
use crate::targets::payments::{Received, received};
use crate::targets::{RenderedFile, RunFacts};

const STEM: &str = "quickbooks-payments";
/// "PaymentRefNum … max 21 characters" (Intuit's API reference, Payment).
const MAX_REFERENCE: usize = 21;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PaymentBody {
    customer_ref: Ref,
    total_amt: Box<RawValue>,
    txn_date: String,
    currency_ref: Ref,
    deposit_to_account_ref: Ref,
    #[serde(skip_serializing_if = "String::is_empty")]
    payment_ref_num: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    private_note: String,
    line: Vec<PaymentLine>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PaymentLine {
    amount: Box<RawValue>,
    linked_txn: Vec<LinkedTxn>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LinkedTxn {
    txn_id: String,
    txn_type: &'static str,
}

/// The run's payments as `quickbooks-payments-0001.json` …, in the order the money moved.
pub fn render(target: &str, api: &Api, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let mut payments = received(facts, &api.payments);
    payments.sort_by(|a, b| {
        (a.line.booking_date, &a.line.id, a.place).cmp(&(b.line.booking_date, &b.line.id, b.place))
    });
    let (waiting, ready): (Vec<_>, Vec<_>) = payments
        .into_iter()
        .partition(|p| facts.held_documents.contains(p.invoice));
    let mut waiting_by_invoice: BTreeMap<&str, Vec<Received<'_>>> = BTreeMap::new();
    for p in waiting {
        waiting_by_invoice.entry(p.invoice).or_default().push(p);
    }
    let staged = |payments: &[Received<'_>]| -> Vec<Staged<PaymentBody>> {
        payments.iter().map(|p| payment(api, facts, p)).collect()
    };
    let mut files = requests(target, api, STEM, "Payment", staged(&ready), &[], 1);
    for (invoice, payments) in &waiting_by_invoice {
        let first = files.len() + 1;
        files.extend(requests(
            target,
            api,
            STEM,
            "Payment",
            staged(payments),
            &[invoice.to_string()],
            first,
        ));
    }
    files
}

fn payment(api: &Api, facts: &RunFacts<'_>, p: &Received<'_>) -> Staged<PaymentBody> {
    let (line, m) = (p.line, p.allocation);
    // QuickBooks applies a payment only to an invoice of its own customer: the invoice's.
    let customer = facts
        .all_documents
        .get(p.invoice)
        .map(|row| row.document.customer_id.trim().to_string())
        .unwrap_or_else(|| p.customer_id.clone());
    let reference = line.bank_reference.trim();
    let (payment_ref_num, private_note) = if reference.chars().count() <= MAX_REFERENCE {
        (reference.to_string(), String::new())
    } else {
        (String::new(), format!("Bank reference {reference}"))
    };
    let body = PaymentBody {
        customer_ref: customer_ref(&customer),
        total_amt: money(m.amount.amount),
        txn_date: line.booking_date.format("%Y-%m-%d").to_string(),
        currency_ref: Ref::to(m.amount.currency.code()),
        deposit_to_account_ref: Ref::to(api.payments.account_of(&line.account)),
        payment_ref_num,
        private_note,
        line: vec![PaymentLine {
            amount: money(m.amount.amount),
            linked_txn: vec![LinkedTxn {
                txn_id: format!("${{remote:invoice:{}}}", p.invoice.trim()),
                txn_type: "Invoice",
            }],
        }],
    };
    let record = RecordRef {
        kind: "payment".to_string(),
        id: format!("{}/{}", m.bank_line_id, p.place),
        document: p.invoice.to_string(),
    };
    let amount = (m.amount.currency.code().to_string(), m.amount.amount);
    (record, body, Some(amount))
}
