//! Sage Business Cloud Accounting (Sage One in South Africa): customers, invoices and
//! credit notes as CSV files a person imports by hand, from the documents the run stages
//! and the shared `[targets.mapping]` ([`crate::targets::mapping`], the same design as
//! Xero's and QuickBooks').
//!
//! - `sage-customers.csv` ([`customers`]): Sage's customer import (Contacts → New
//!   Customer → Import Customers);
//! - `sage-invoices.csv`, `sage-credit-notes.csv` ([`invoices`]): one row per line, the
//!   lines as Sage computes them and a rounding line where Sage's sum of the lines would be
//!   a cent off the ledger's total ([`lines`]).
//!
//! Import the customers first: a document names its customer by the customer's reference
//! (the billing system's customer number).
//!
//! With a `[targets.api]` section ([`api`]) the same customers and documents are staged as
//! requests to Sage's Accounting API instead ([`requests`]), with the run's customer
//! receipts ([`receipts`]), and `sluice push` delivers them.
//!
//! Without one, receipts are not staged, and the payment keys of `[targets.mapping]` are
//! refused: no public description of a Sage Accounting receipt
//! import was found — Sage's own "What can you import?" for Sage Business Cloud Accounting
//! (ca-kb.sage.com) lists chart of accounts, customers and vendors, products and services,
//! quick entries, opening balances, bank transactions and journals, not receipts; a search
//! for Sage One South Africa's "Import Customer Receipts" found only how to enter a receipt
//! by hand (see README, "The Sage target").

pub mod api;
pub mod customers;
pub mod invoices;
pub mod lines;
pub mod receipts;
pub mod requests;
#[cfg(test)]
mod tests;

use std::ops::Range;

use super::mapping::Rules;
use super::{RenderedFile, RunFacts, csv_bytes};
use crate::pipeline::Target;

/// What Sage Business Cloud Accounting's imports take. Customer names: 100 characters (Sage
/// One South Africa's limit on a customer's name). A customer's reference — how Sage ties
/// an invoice to its customer — is "Maximum 10 characters and must be unique" (Sage
/// Knowledgebase, "Customers and suppliers file format"; help.sbc.sage.com, "Import customer
/// and supplier contacts"): a document whose customer number is longer is held. A category
/// maps to a ledger account, a VAT rate to a tax type, by the names Sage shows. Sage
/// computes each line's total itself, so a rounding line is needed ([`lines`]).
pub static SAGE: Rules = Rules {
    platform: "Sage Accounting",
    own_numbers: Some((
        "sage",
        "the import files carry each document's number (they group an invoice's lines by it): leave numbers out or write \"billing\"",
    )),
    platform_numbers: None,
    max_name: 100,
    name_replacements: &[],
    account: "ledger account",
    max_account: 100,
    account_example: "Sales",
    max_item: None,
    tax_rate: "tax type",
    tax_rate_example: "Standard Rate (15%)",
    tax_on_lines: true,
    max_number: None,
    max_reference: Some(customers::MAX_REFERENCE),
    rounding: true,
    net_only: false,
    payments: None,
};

pub fn render(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let Some(mapping) = &target.sage else {
        return Vec::new();
    };
    if let Some(api) = &target.sage_api {
        let mut files = requests::render(
            &target.name,
            mapping,
            facts.customers,
            facts.staged_documents,
            facts.all_customers,
        );
        files.extend(receipts::render(&target.name, api, facts));
        return files;
    }
    let mut files = customers::render(mapping, facts);
    files.extend(invoices::render(mapping, &target.date_format, facts));
    files
}

/// Sage's limit on an import file: "The maximum file size you can import is 0.5MB. If your
/// file is larger, split it into another file" (help.sbc.sage.com, "Import customer and
/// supplier contacts").
pub const MAX_FILE_BYTES: usize = 500_000;

/// Groups of rows (a customer's row, a document's rows) in files each below Sage's size
/// limit with the header, a group never split: the ranges of groups of each file.
pub fn split_by_size<R: AsRef<[Vec<String>]>>(header: &[&str], groups: &[R]) -> Vec<Range<usize>> {
    let header_bytes = csv_bytes::<Vec<String>>(header, &[]).len();
    let mut parts = Vec::new();
    let (mut start, mut size) = (0, header_bytes);
    for (i, group) in groups.iter().enumerate() {
        let bytes = csv_bytes(header, group.as_ref()).len() - header_bytes;
        if size + bytes > MAX_FILE_BYTES && i > start {
            parts.push(start..i);
            (start, size) = (i, header_bytes);
        }
        size += bytes;
    }
    if start < groups.len() {
        parts.push(start..groups.len());
    }
    parts
}
