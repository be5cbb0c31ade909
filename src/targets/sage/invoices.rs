//! Sales invoices and credit notes as CSV files for Sage Accounting, one row per line.
//!
//! No public copy of Sage Business Cloud Accounting's invoice import template was found
//! (Sage's help describes the customer import's columns, not an invoice one; the
//! integrations that load invoices into Sage Accounting use its API). The headings are
//! therefore the fields of Sage's own invoice screen ("Create a detailed sales invoice",
//! Sage Knowledgebase: customer, invoice number and date, due date, ledger account,
//! description, quantity, price, VAT rate and amount, total) and the per-document "amounts
//! are VAT inclusive" choice of Sage One South Africa: compare them once with the template
//! Sage's import screen offers and map them there. The credit note file is the same with
//! the credit note's number and date and no due date, amounts positive.
//!
//! A document names its customer by `Customer Reference`, the billing system's customer
//! number (the customer file's `Reference`). `Unit Price` is with or without VAT as
//! `VAT Inclusive` says (the mapping's `amounts`); `VAT` and `Total` are what Sage computes
//! from it ([`super::lines`]), and the lines' totals, the rounding line included, add up to
//! the ledger's document total exactly. Files stay below Sage's 0.5 MB, a document's rows
//! never split.

use super::lines::lines;
use super::split_by_size;
use crate::model::Document;
use crate::targets::mapping::{Amounts, Mapping, StagedCustomer};
use crate::targets::{RenderedFile, RunFacts, csv_bytes, document_totals, file_sign, part_name};

pub const INVOICE_HEADER: [&str; 14] = [
    "Customer Reference",
    "Customer Name",
    "Invoice Number",
    "Invoice Date",
    "Due Date",
    "VAT Inclusive",
    "Ledger Account",
    "Description",
    "Quantity",
    "Unit Price",
    "Tax Type",
    "VAT",
    "Total",
    "Currency",
];

pub const CREDIT_NOTE_HEADER: [&str; 13] = [
    "Customer Reference",
    "Customer Name",
    "Credit Note Number",
    "Credit Note Date",
    "VAT Inclusive",
    "Ledger Account",
    "Description",
    "Quantity",
    "Unit Price",
    "Tax Type",
    "VAT",
    "Total",
    "Currency",
];

pub fn render(mapping: &Mapping, date_format: &str, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let (credit_notes, invoices) = mapping.documents_to_import(facts.staged_documents);
    let mut files = Vec::new();
    for (stem, header, credit, docs) in [
        ("sage-invoices", &INVOICE_HEADER[..], false, invoices),
        (
            "sage-credit-notes",
            &CREDIT_NOTE_HEADER[..],
            true,
            credit_notes,
        ),
    ] {
        let rendered: Vec<Vec<Vec<String>>> = docs
            .iter()
            .map(|doc| rows(doc, credit, mapping, date_format, facts))
            .collect();
        let parts = split_by_size(header, &rendered);
        for (i, range) in parts.iter().enumerate() {
            let totals = document_totals(&docs[range.clone()]);
            let rows: Vec<&Vec<String>> = rendered[range.clone()].iter().flatten().collect();
            let rows: Vec<Vec<String>> = rows.into_iter().cloned().collect();
            files.push(RenderedFile {
                name: part_name(stem, "csv", i, parts.len()),
                bytes: csv_bytes(header, &rows),
                records: rows.len() as u64,
                totals,
            });
        }
    }
    files
}

/// One row per line of the document as Sage computes it, the rounding line last.
fn rows(
    doc: &Document,
    credit: bool,
    mapping: &Mapping,
    date_format: &str,
    facts: &RunFacts<'_>,
) -> Vec<Vec<String>> {
    let sign = file_sign(doc, credit);
    let customer = StagedCustomer::of_document(doc, facts.all_customers);
    let mut head = vec![
        doc.customer_id.trim().to_string(),
        mapping.contact_name(&customer.facts()),
        doc.number.trim().to_string(),
        doc.issue_date.format(date_format).to_string(),
    ];
    if !credit {
        // An export without a due date means due on issue.
        let due = doc.due_date.unwrap_or(doc.issue_date);
        head.push(due.format(date_format).to_string());
    }
    head.push(
        match mapping.amounts {
            Amounts::Inclusive => "Yes",
            Amounts::Exclusive => "No",
        }
        .to_string(),
    );
    lines(mapping, doc, sign)
        .into_iter()
        .map(|line| {
            let mut row = head.clone();
            row.extend([
                line.account,
                line.description,
                line.quantity.to_string(),
                line.unit_price.to_string(),
                line.tax_type,
                line.vat.map(|v| v.to_string()).unwrap_or_default(),
                line.total.to_string(),
                doc.total.currency.code().to_string(),
            ]);
            row
        })
        .collect()
}
