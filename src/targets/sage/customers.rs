//! Customers as Sage Accounting's customer import (Contacts → New Customer → Import
//! Customers).
//!
//! The columns A to Z of Sage's table "Customers and suppliers file format" (Sage
//! Knowledgebase, gb-kb.sage.com; help.sbc.sage.com, "Import customer and supplier
//! contacts"), whose header row "must use the same headings": `Reference` (compulsory, at
//! most 10 characters, unique), `Company Name` (compulsory), … `VAT Number`, `Ledger
//! Account`. The columns Sage lists after Z were not seen and are not written (an import
//! maps only the headings it is given). Post codes take 10 characters and countries the
//! 2-letter code; a value Sage would refuse is left empty rather than cut. A file takes at
//! most 0.5 MB, so larger batches are split in parts below it.
//!
//! The reference is the billing system's customer number, which the invoice files name; the
//! company name is the mapping's `contact_name` (at most 100 characters). A customer whose
//! number is longer than 10 characters is not written: Sage would refuse the row, and their
//! documents are held with that reason.

use std::collections::BTreeMap;

use super::split_by_size;
use crate::model::Customer;
use crate::targets::mapping::{Mapping, StagedCustomer, customers_to_stage};
use crate::targets::{RenderedFile, RunFacts, csv_bytes, part_name};

pub const HEADER: [&str; 26] = [
    "Reference",
    "Company Name",
    "Currency",
    "Credit Limit",
    "Main Address Type",
    "Main Address Line 1",
    "Main Address Line 2",
    "Main Address Town",
    "Main Address County",
    "Main Address Post Code",
    "Main Address Country",
    "Main Contact Name",
    "Main Contact Phone",
    "Main Contact Type",
    "Main Contact Mobile",
    "Main Contact Email",
    "Main Contact Fax",
    "Address 2 Type",
    "Address 2 Line 1",
    "Address 2 Line 2",
    "Address 2 Town",
    "Address 2 County",
    "Address 2 Post Code",
    "Address 2 Country",
    "VAT Number",
    "Ledger Account",
];

/// Sage's limit on a customer's reference.
pub const MAX_REFERENCE: usize = 10;

pub fn render(mapping: &Mapping, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let staged = customers_to_stage(facts.customers, facts.staged_documents, facts.all_customers);
    let rows: Vec<Vec<String>> = staged
        .iter()
        .filter(|(id, _)| id.chars().count() <= MAX_REFERENCE && !id.is_empty())
        .map(|(id, customer)| row(mapping, id, customer))
        .collect();
    // Each customer is a group of one row.
    let groups: Vec<&[Vec<String>]> = rows.iter().map(std::slice::from_ref).collect();
    let parts = split_by_size(&HEADER, &groups);
    parts
        .iter()
        .enumerate()
        .map(|(i, range)| {
            let part = &rows[range.clone()];
            RenderedFile {
                name: part_name("sage-customers", "csv", i, parts.len()),
                bytes: csv_bytes(&HEADER, part),
                records: part.len() as u64,
                totals: BTreeMap::new(),
            }
        })
        .collect()
}

fn row(mapping: &Mapping, id: &str, customer: &StagedCustomer<'_>) -> Vec<String> {
    let mut row = vec![String::new(); HEADER.len()];
    row[0] = id.to_string();
    row[1] = mapping.contact_name(&customer.facts());
    if let StagedCustomer::Known(c) = customer {
        fill(&mut row, c);
    }
    row
}

/// The customer's details, each only where Sage would take it.
fn fill(row: &mut [String], c: &Customer) {
    let d = Details::of(c);
    row[5] = d.street;
    row[7] = d.city;
    row[9] = d.post_code;
    row[10] = d.country;
    row[12] = d.phone;
    row[15] = d.email;
    row[24] = d.vat_number;
}

/// A customer's details as Sage takes them, the same for the import file and the API: one
/// line each; a value Sage would refuse (a post code over 10 characters, a country that is
/// not a 2-letter code, an email without `@`) is left empty rather than cut.
pub struct Details {
    pub street: String,
    pub city: String,
    pub post_code: String,
    pub country: String,
    pub phone: String,
    pub email: String,
    pub vat_number: String,
}

impl Details {
    pub fn of(c: &Customer) -> Details {
        let one_line = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ");
        let zip = one_line(&c.zip);
        let country = c.country.trim();
        let phone = one_line(&c.phone);
        let email = c.email.trim();
        Details {
            street: one_line(&c.street),
            city: one_line(&c.city),
            post_code: if zip.chars().count() <= 10 {
                zip
            } else {
                String::new()
            },
            country: if country.len() == 2 && country.chars().all(|ch| ch.is_ascii_alphabetic()) {
                country.to_uppercase()
            } else {
                String::new()
            },
            phone: if phone.chars().count() <= 50 {
                phone
            } else {
                String::new()
            },
            email: if email.contains('@')
                && email.contains('.')
                && !email.contains(char::is_whitespace)
            {
                email.to_string()
            } else {
                String::new()
            },
            vat_number: one_line(&c.vat_id),
        }
    }
}
