//! QuickBooks Online's CSV imports (Settings → Import data): customers, invoices and
//! credit notes.
//!
//! Customers: the columns of Intuit's customer import, in its order (Intuit, "Which
//! contact fields are imported": Name ≤ 100 characters; Email with `@` and `.`, no spaces,
//! ≤ 100; Phone ≤ 21; Street ≤ 2,000; City ≤ 255; ZIP ≤ 30). A value QuickBooks would
//! refuse is left empty rather than cut (a cut phone number or address is a wrong one).
//! At most 1,000 rows per file.
//!
//! Invoices: the columns of Intuit's sample invoice file for companies with VAT (`*Invoice
//! number, *Customer, *Invoice date, *Due date, …, *Item amount, Item tax code`: Intuit,
//! "Import invoices in batches", where QuickBooks maps headings it knows by itself). One
//! row per line; QuickBooks groups an invoice's rows by its number (turn on custom
//! transaction numbers). The import takes at most 100 invoices and 1,000 rows per file, so
//! larger batches are split without splitting an invoice. Credit notes are Intuit's
//! "Import credit notes" (Import data → Credit notes): the same columns with the credit
//! note's number and date and no due date, amounts positive. Whether amounts include tax is
//! chosen in the import screen, as `amounts` says; the tax code column is matched to
//! QuickBooks' own codes in its last mapping step.

use std::collections::BTreeMap;

use crate::model::{Customer, Document};
use crate::targets::mapping::{Mapping, StagedCustomer, customers_to_stage};
use crate::targets::{
    Rendered, RenderedFile, RunFacts, csv_bytes, document_files, file_sign, part_name,
};

pub const CUSTOMER_HEADER: [&str; 14] = [
    "Name",
    "Company",
    "Email",
    "Phone",
    "Mobile",
    "Fax",
    "Website",
    "Street",
    "City",
    "State",
    "ZIP",
    "Country",
    "Opening Balance",
    "Opening Balance Date",
];

pub const INVOICE_HEADER: [&str; 16] = [
    "InvoiceNo",
    "Customer",
    "InvoiceDate",
    "DueDate",
    "Terms",
    "Location",
    "Memo",
    "Item(Product/Service)",
    "ItemDescription",
    "ItemQuantity",
    "ItemRate",
    "ItemAmount",
    "ItemTaxCode",
    "ItemTaxAmount",
    "Currency",
    "Service Date",
];

pub const CREDIT_NOTE_HEADER: [&str; 14] = [
    "CreditNoteNo",
    "Customer",
    "CreditNoteDate",
    "Location",
    "Memo",
    "Item(Product/Service)",
    "ItemDescription",
    "ItemQuantity",
    "ItemRate",
    "ItemAmount",
    "ItemTaxCode",
    "ItemTaxAmount",
    "Currency",
    "Service Date",
];

/// QuickBooks Online's limits per import file.
pub const MAX_DOCUMENTS_PER_FILE: usize = 100;
pub const MAX_ROWS_PER_FILE: usize = 1000;

pub fn render(mapping: &Mapping, date_format: &str, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let mut files = customers(
        mapping,
        customers_to_stage(facts.customers, facts.staged_documents, facts.all_customers),
    );
    let (credit_notes, invoices) = mapping.documents_to_import(facts.staged_documents);
    for (stem, header, credit, docs) in [
        ("quickbooks-invoices", &INVOICE_HEADER[..], false, invoices),
        (
            "quickbooks-credit-notes",
            &CREDIT_NOTE_HEADER[..],
            true,
            credit_notes,
        ),
    ] {
        let documents: Vec<Rendered<&Document>> = docs
            .into_iter()
            .map(|doc| (doc, rows(doc, credit, mapping, date_format, facts)))
            .collect();
        files.extend(document_files(
            stem,
            header,
            &documents,
            MAX_DOCUMENTS_PER_FILE,
            MAX_ROWS_PER_FILE,
        ));
    }
    files
}

/// One row per line of the document, its amounts positive for a credit note.
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
        doc.number.trim().to_string(),
        mapping.contact_name(&customer.facts()),
        doc.issue_date.format(date_format).to_string(),
    ];
    if !credit {
        // QuickBooks requires a due date; an export without one means due on issue.
        let due = doc.due_date.unwrap_or(doc.issue_date);
        head.extend([due.format(date_format).to_string(), String::new()]);
    }
    head.extend([String::new(), String::new()]); // Location, Memo
    mapping
        .lines(doc, sign)
        .into_iter()
        .map(|line| {
            let mut row = head.clone();
            row.extend([
                line.account,
                line.description,
                line.quantity.to_string(),
                line.unit_amount.to_string(),
                (line.quantity * line.unit_amount).to_string(),
                line.tax_type,
                line.tax_amount.map(|a| a.to_string()).unwrap_or_default(),
                doc.total.currency.code().to_string(),
                String::new(), // Service Date
            ]);
            row
        })
        .collect()
}

fn customers(mapping: &Mapping, staged: BTreeMap<String, StagedCustomer<'_>>) -> Vec<RenderedFile> {
    let rows: Vec<Vec<String>> = staged
        .values()
        .map(|customer| {
            let mut row = vec![String::new(); CUSTOMER_HEADER.len()];
            row[0] = mapping.contact_name(&customer.facts());
            if let StagedCustomer::Known(c) = customer {
                fill_customer(&mut row, c);
            }
            row
        })
        .collect();
    let parts = rows.len().div_ceil(MAX_ROWS_PER_FILE);
    rows.chunks(MAX_ROWS_PER_FILE)
        .enumerate()
        .map(|(i, chunk)| RenderedFile {
            name: part_name("quickbooks-customers", "csv", i, parts),
            bytes: csv_bytes(&CUSTOMER_HEADER, chunk),
            records: chunk.len() as u64,
            totals: BTreeMap::new(),
        })
        .collect()
}

/// The customer's details, each only where QuickBooks would take it.
fn fill_customer(row: &mut [String], c: &Customer) {
    let email = c.email.trim();
    if email.contains('@') && email.contains('.') && !email.contains(' ') {
        row[2] = fit(email, 100);
    }
    row[3] = fit(&c.phone, 21);
    row[7] = fit(&c.street, 2000);
    row[8] = fit(&c.city, 255);
    row[10] = fit(&c.zip, 30);
    row[11] = fit(&c.country, 255);
}

/// The value on one line, or nothing when it is longer than QuickBooks takes.
pub fn fit(value: &str, max: usize) -> String {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.chars().count() > max {
        String::new()
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::split_documents;

    fn documents(count: usize, rows: usize) -> Vec<Rendered<usize>> {
        (0..count).map(|i| (i, vec![Vec::new(); rows])).collect()
    }

    #[test]
    fn a_file_holds_at_most_100_documents_and_1000_rows_never_splitting_one() {
        let sizes = |docs: &[Rendered<usize>]| -> Vec<usize> {
            split_documents(docs, MAX_DOCUMENTS_PER_FILE, MAX_ROWS_PER_FILE)
                .iter()
                .map(|p| p.len())
                .collect()
        };
        assert_eq!(sizes(&documents(250, 1)), [100, 100, 50]);
        assert_eq!(sizes(&documents(100, 1)), [100]);
        // 12 rows each: 83 documents are 996 rows, the 84th would pass 1,000.
        assert_eq!(sizes(&documents(100, 12)), [83, 17]);
        assert!(sizes(&documents(0, 1)).is_empty());
    }
}
