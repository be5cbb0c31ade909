//! `netsuite-customer-payments.csv`: the money the run placed on invoices, for NetSuite's
//! Customer Payment import (Import CSV Records → Transactions → Customer Payment).
//!
//! One customer payment per bank line and customer, applied to each invoice the
//! reconciliation placed the money on. Oracle NetSuite Help, "Customer Payment Import": a
//! payment is applied to invoices through the Invoices sublist, and "A payment can be
//! associated with an invoice through the internal ID or external ID only" — the invoices
//! file gave each invoice its number as External ID, so the `Invoice` column is that
//! number; import the invoices first. "Import File Examples" (same help) shows the
//! single-file form: a payment's rows share its External ID, body fields on each row, one
//! invoice per row. The body fields follow the customer payment record (SOAP Schema
//! Browser, `customerpayment`): `customer`, `tranDate`, `payment` ("Payment Amount"),
//! `currency`, `account` ("the account used for payments already deposited. Required when
//! undepFunds is set to FALSE": map it, and leave Undeposited Funds off), `memo`,
//! `subsidiary`, `class`, `department`, `location`. The Invoices sublist takes the invoice
//! (`doc`) and the amount applied to it (`amount`, "Payment" in the assistant).
//!
//! Not staged (see [`crate::targets::payments`]): money on an account in `never_export`,
//! money taken back from an invoice, credit kept for a customer, tolerance differences.

use rust_decimal::Decimal;

use super::NetSuite;
use super::files::MAX_ROWS_PER_FILE;
use crate::targets::payments::{self, PaymentAccounts, Received};
use crate::targets::{RenderedFile, RunFacts, csv_bytes, part_name, split_documents};

pub const HEADER: [&str; 13] = [
    "External ID",
    "Customer",
    "Date",
    "Currency",
    "Payment Amount",
    "Account",
    "Memo",
    "Subsidiary",
    "Class",
    "Department",
    "Location",
    "Invoice",
    "Payment",
];

pub fn render(
    netsuite: &NetSuite,
    accounts: &PaymentAccounts,
    date_format: &str,
    facts: &RunFacts<'_>,
) -> Vec<RenderedFile> {
    let received = payments::received(facts, accounts);
    let rendered: Vec<(&[Received<'_>], Vec<Vec<String>>)> =
        payments::per_line_and_customer(&received)
            .into_iter()
            .map(|payment| {
                let rows = rows(payment, netsuite, accounts, date_format, facts);
                (payment, rows)
            })
            .collect();
    let parts = split_documents(&rendered, usize::MAX, MAX_ROWS_PER_FILE);
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let paid: Vec<&Received<'_>> = part.iter().flat_map(|(p, _)| p.iter()).collect();
            let rows: Vec<&Vec<String>> = part.iter().flat_map(|(_, rows)| rows).collect();
            RenderedFile {
                name: part_name("netsuite-customer-payments", "csv", i, parts.len()),
                bytes: csv_bytes(&HEADER, &rows),
                records: rows.len() as u64,
                totals: payments::totals(paid),
            }
        })
        .collect()
}

/// One payment's rows: its body fields on each, one invoice per row.
fn rows(
    payment: &[Received<'_>],
    netsuite: &NetSuite,
    accounts: &PaymentAccounts,
    date_format: &str,
    facts: &RunFacts<'_>,
) -> Vec<Vec<String>> {
    let first = &payment[0];
    let line = first.line;
    let class = &netsuite.classification;
    let total: Decimal = payment.iter().map(|p| p.allocation.amount.amount).sum();
    let head = [
        format!("{}/{}", line.id, first.customer_id),
        payments::customer_name(&netsuite.mapping, facts, first),
        line.booking_date.format(date_format).to_string(),
        first.allocation.amount.currency.code().to_string(),
        total.to_string(),
        accounts.account_of(&line.account).to_string(),
        line.bank_reference
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        class.subsidiary.clone(),
        class.class.clone(),
        class.department.clone(),
        class.location.clone(),
    ];
    payment
        .iter()
        .map(|paid| {
            let mut row = head.to_vec();
            row.extend([
                paid.invoice.trim().to_string(),
                paid.allocation.amount.amount.to_string(),
            ]);
            row
        })
        .collect()
}
