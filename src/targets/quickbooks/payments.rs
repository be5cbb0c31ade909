//! `quickbooks-payments.iif`: the money the run placed on invoices, as QuickBooks Desktop
//! customer payments (IIF, File → Utilities → Import → IIF Files).
//!
//! Intuit's IIF reference ("Transactions (TRNS and SPL)", QuickBooks Desktop in-product
//! help) lists `PAYMENT` — "Customer payments" — among the transaction types, with the same
//! columns and rules as an invoice (see [`super::iif`]): `TRNSTYPE`, `ACCNT` and `AMOUNT`
//! required, debits positive, credits negative, a transaction's amounts summing to zero. So
//! one payment per bank line and customer is
//!
//! ```text
//! TRNS  PAYMENT  10/10/2026  Undeposited Funds    Ada Lovelace (C1)   29.15         DB01
//! SPL   PAYMENT  10/10/2026  Accounts Receivable  Ada Lovelace (C1)  -29.15  INV-1  Invoice INV-1
//! ENDTRNS
//! ```
//!
//! — the account money is received into (`payment_account` or `payment_accounts`: a bank
//! account, or Undeposited Funds when deposits are recorded apart) debited, the receivable
//! credited with each invoice's part on a line of its own, the invoice's number in `DOCNUM`
//! and `MEMO`. The reference names no column that applies a payment to a given invoice: on
//! import QuickBooks applies it as its "automatically apply payments" preference says (to
//! the oldest open invoices), or leaves it for the person to apply in Receive Payments — the
//! invoice numbers on the lines say where it belongs.
//!
//! QuickBooks Online's CSV imports take no payments (no payment import is among those its
//! "Import data" offers, and none was found described), so an online target stages none —
//! but through its API ([`super::api_payments`]).
//!
//! Not staged (see [`crate::targets::payments`]): money on an account in `never_export`,
//! money taken back from an invoice, credit kept for a customer, tolerance differences.

use rust_decimal::Decimal;

use super::iif::{RECEIVABLE, iif_bytes, money, text};
use crate::targets::mapping::Mapping;
use crate::targets::payments::{self, PaymentAccounts, Received};
use crate::targets::{RenderedFile, RunFacts};

const TRNS_HEADER: [&str; 8] = [
    "!TRNS", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO",
];
const SPL_HEADER: [&str; 8] = [
    "!SPL", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO",
];

pub fn render(
    mapping: &Mapping,
    accounts: &PaymentAccounts,
    facts: &RunFacts<'_>,
) -> Option<RenderedFile> {
    let received = payments::received(facts, accounts);
    if received.is_empty() {
        return None;
    }
    let groups = payments::per_line_and_customer(&received);
    let lines: Vec<Vec<String>> = groups
        .iter()
        .flat_map(|payment| transaction(payment, mapping, accounts, facts))
        .collect();
    Some(RenderedFile {
        name: "quickbooks-payments.iif".to_string(),
        bytes: iif_bytes(&[&TRNS_HEADER[..], &SPL_HEADER[..], &["!ENDTRNS"]], &lines),
        records: groups.len() as u64,
        totals: payments::totals(&received),
    })
}

/// One payment's `TRNS`, `SPL` and `ENDTRNS` lines.
fn transaction(
    payment: &[Received<'_>],
    mapping: &Mapping,
    accounts: &PaymentAccounts,
    facts: &RunFacts<'_>,
) -> Vec<Vec<String>> {
    let first = &payment[0];
    let date = first.line.booking_date.format("%m/%d/%Y").to_string();
    let name = text(&payments::customer_name(mapping, facts, first));
    let total: Decimal = payment.iter().map(|p| p.allocation.amount.amount).sum();
    let mut lines = vec![vec![
        "TRNS".to_string(),
        "PAYMENT".to_string(),
        date.clone(),
        text(accounts.account_of(&first.line.account)),
        name.clone(),
        money(total),
        String::new(),
        text(&first.line.bank_reference),
    ]];
    for paid in payment {
        let invoice = text(paid.invoice.trim());
        lines.push(vec![
            "SPL".to_string(),
            "PAYMENT".to_string(),
            date.clone(),
            RECEIVABLE.to_string(),
            name.clone(),
            money(-paid.allocation.amount.amount),
            invoice.clone(),
            format!("Invoice {invoice}"),
        ]);
    }
    lines.push(vec!["ENDTRNS".to_string()]);
    lines
}
