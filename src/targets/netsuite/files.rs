//! The three files of a NetSuite batch: `netsuite-customers.csv`, `netsuite-invoices.csv`
//! and `netsuite-credit-memos.csv`. Columns are NetSuite's field labels, so the Import
//! Assistant maps them by itself (see the module above). Each document row repeats the
//! document's External ID (its number), customer, date and classification, then one line:
//! item, description, quantity, rate, amount, tax code and tax amount. Amounts are exact
//! decimals with a dot; a credit memo's are positive (the record type gives the direction).
//! Files are split at 25,000 rows, NetSuite's limit on one CSV import, never splitting a
//! document.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Classification, NetSuite};
use crate::model::{Customer, Document};
use crate::targets::mapping::{StagedCustomer, customers_to_stage};
use crate::targets::quickbooks::online::fit;
use crate::targets::{
    Rendered, RenderedFile, RunFacts, csv_bytes, document_files, file_sign, part_name,
};

pub const CUSTOMER_HEADER: [&str; 12] = [
    "External ID",
    "Customer ID",
    "Company Name",
    "Email",
    "Phone",
    "Address 1",
    "City",
    "Zip",
    "Country",
    "Tax Number",
    "Subsidiary",
    "Terms",
];

pub const INVOICE_HEADER: [&str; 19] = [
    "External ID",
    "Invoice #",
    "Customer",
    "Date",
    "Due Date",
    "Terms",
    "Subsidiary",
    "Class",
    "Department",
    "Location",
    "Currency",
    "Item",
    "Description",
    "Quantity",
    "Rate",
    "Amount",
    "Tax Code",
    "Tax Amount",
    "Memo",
];

pub const CREDIT_MEMO_HEADER: [&str; 17] = [
    "External ID",
    "Credit Memo #",
    "Customer",
    "Date",
    "Subsidiary",
    "Class",
    "Department",
    "Location",
    "Currency",
    "Item",
    "Description",
    "Quantity",
    "Rate",
    "Amount",
    "Tax Code",
    "Tax Amount",
    "Memo",
];

/// NetSuite's limit on the rows of one CSV import (Oracle, "CSV Imports Guide": 25,000
/// records per file).
pub const MAX_ROWS_PER_FILE: usize = 25_000;

pub fn render(netsuite: &NetSuite, date_format: &str, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let mapping = &netsuite.mapping;
    let class = &netsuite.classification;
    let mut files = customers(netsuite, facts);
    let (credit_memos, invoices) = mapping.documents_to_import(facts.staged_documents);
    for (stem, header, credit, docs) in [
        ("netsuite-invoices", &INVOICE_HEADER[..], false, invoices),
        (
            "netsuite-credit-memos",
            &CREDIT_MEMO_HEADER[..],
            true,
            credit_memos,
        ),
    ] {
        let documents: Vec<Rendered<&Document>> = docs
            .into_iter()
            .map(|doc| (doc, rows(doc, credit, netsuite, class, date_format, facts)))
            .collect();
        files.extend(document_files(
            stem,
            header,
            &documents,
            usize::MAX,
            MAX_ROWS_PER_FILE,
        ));
    }
    files
}

fn rows(
    doc: &Document,
    credit: bool,
    netsuite: &NetSuite,
    class: &Classification,
    date_format: &str,
    facts: &RunFacts<'_>,
) -> Vec<Vec<String>> {
    let mapping = &netsuite.mapping;
    let customer = StagedCustomer::of_document(doc, facts.all_customers);
    let number = doc.number.trim().to_string();
    let mut head = vec![
        number.clone(),
        number,
        mapping.contact_name(&customer.facts()),
        doc.issue_date.format(date_format).to_string(),
    ];
    if !credit {
        let due = doc.due_date.unwrap_or(doc.issue_date);
        head.extend([due.format(date_format).to_string(), class.terms.clone()]);
    }
    head.extend([
        class.subsidiary.clone(),
        class.class.clone(),
        class.department.clone(),
        class.location.clone(),
        doc.total.currency.code().to_string(),
    ]);
    mapping
        .lines(doc, file_sign(doc, credit))
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
                String::new(), // Memo
            ]);
            row
        })
        .collect()
}

fn customers(netsuite: &NetSuite, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let staged = customers_to_stage(facts.customers, facts.staged_documents, facts.all_customers);
    let rows: Vec<Vec<String>> = staged
        .values()
        .map(|customer| {
            let facts = customer.facts();
            let mut row = vec![String::new(); CUSTOMER_HEADER.len()];
            row[0] = facts.id.trim().to_string();
            row[1] = facts.id.trim().to_string();
            row[2] = netsuite.mapping.contact_name(&facts);
            if let StagedCustomer::Known(c) = customer {
                fill_customer(&mut row, c);
            }
            row[10] = netsuite.classification.subsidiary.clone();
            row[11] = netsuite.classification.terms.clone();
            row
        })
        .collect();
    let parts = rows.len().div_ceil(MAX_ROWS_PER_FILE);
    rows.chunks(MAX_ROWS_PER_FILE)
        .enumerate()
        .map(|(i, chunk)| RenderedFile {
            name: part_name("netsuite-customers", "csv", i, parts),
            bytes: csv_bytes(&CUSTOMER_HEADER, chunk),
            records: chunk.len() as u64,
            totals: BTreeMap::<String, Decimal>::new(),
        })
        .collect()
}

/// The customer's details, each only where NetSuite takes it (the customer record's limits:
/// email 64, phone 21, address line 150, city 50, zip 36, tax number 25).
fn fill_customer(row: &mut [String], c: &Customer) {
    let email = c.email.trim();
    if email.contains('@') && !email.contains(' ') {
        row[3] = fit(email, 64);
    }
    row[4] = fit(&c.phone, 21);
    row[5] = fit(&c.street, 150);
    row[6] = fit(&c.city, 50);
    row[7] = fit(&c.zip, 36);
    row[8] = fit(&c.country, 2);
    row[9] = fit(&c.vat_id, 25);
}
