//! Sales invoices and credit notes as Xero's CSV import files ("Import invoices",
//! "Import credit notes" under Business › Invoices).
//!
//! Columns are those of Xero's sales invoice template, in its order (Xero Central, "Import
//! invoices using a CSV file"; the same 29 headings are used by several public exporters,
//! e.g. the `*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Total,…,BrandingTheme` row).
//! The credit note template is the same with `*CreditNoteNumber` and `*CreditNoteDate` in
//! place of the invoice's number and date and no due date; its amounts are positive, as
//! Xero books a credit note against the customer itself (Xero Central, "Import credit
//! notes"). Both were written from Xero's documentation, not from a downloaded template:
//! compare them with "Download template file" in the organisation once.
//!
//! One row per document line; Xero groups the rows of a document by its number, so a
//! document's rows are never split across files. Xero takes at most 500 documents per file
//! (Xero's import guide), so larger batches are split in parts of 500. `Total` is left
//! empty, as Xero computes it from the lines; `TaxAmount` carries the billing system's VAT
//! of each line, so Xero's tax is the invoice's to the cent. Whether `UnitAmount` includes
//! the tax is `amounts` of the mapping — the template has no column for it, the person picks
//! the same in Xero's import screen.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::csv_bytes;
use super::mapping::{ContactFacts, Mapping};
use crate::ledger::DocumentRow;
use crate::model::{Customer, Document, DocumentKind};
use crate::targets::RenderedFile;

pub const INVOICE_HEADER: [&str; 29] = [
    "*ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "*InvoiceNumber",
    "Reference",
    "*InvoiceDate",
    "*DueDate",
    "Total",
    "InventoryItemCode",
    "*Description",
    "*Quantity",
    "*UnitAmount",
    "Discount",
    "*AccountCode",
    "*TaxType",
    "TaxAmount",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
    "Currency",
    "BrandingTheme",
];

pub const CREDIT_NOTE_HEADER: [&str; 28] = [
    "*ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "*CreditNoteNumber",
    "Reference",
    "*CreditNoteDate",
    "Total",
    "InventoryItemCode",
    "*Description",
    "*Quantity",
    "*UnitAmount",
    "Discount",
    "*AccountCode",
    "*TaxType",
    "TaxAmount",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
    "Currency",
    "BrandingTheme",
];

/// Xero's limit of documents in one import file.
pub const MAX_DOCUMENTS_PER_FILE: usize = 500;

/// The invoice and credit note files of the documents to stage. Each document must pass
/// [`Mapping::refusal`] (the run holds those that do not); one that does not is left out
/// here too, so no file ever holds a row Xero would refuse.
pub fn render(
    mapping: &Mapping,
    date_format: &str,
    documents: &[DocumentRow],
    customers: &HashMap<String, (i64, Customer)>,
) -> Vec<RenderedFile> {
    let (credit_notes, invoices) = mapping.documents_to_import(documents);
    let mut files = Vec::new();
    for (kind, docs) in [
        (DocumentKind::Invoice, invoices),
        (DocumentKind::CreditNote, credit_notes),
    ] {
        let stem = match kind {
            DocumentKind::Invoice => "xero-invoices",
            DocumentKind::CreditNote => "xero-credit-notes",
        };
        let parts = docs.len().div_ceil(MAX_DOCUMENTS_PER_FILE);
        for (i, chunk) in docs.chunks(MAX_DOCUMENTS_PER_FILE).enumerate() {
            let name = if parts > 1 {
                format!("{stem}-part{}.csv", i + 1)
            } else {
                format!("{stem}.csv")
            };
            files.push(render_file(
                name,
                kind,
                chunk,
                mapping,
                date_format,
                customers,
            ));
        }
    }
    files
}

fn render_file(
    name: String,
    kind: DocumentKind,
    docs: &[&Document],
    mapping: &Mapping,
    date_format: &str,
    customers: &HashMap<String, (i64, Customer)>,
) -> RenderedFile {
    let mut rows = Vec::new();
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for doc in docs {
        // A credit note's amounts are written positive: Xero gives them their direction.
        let sign = if kind == DocumentKind::CreditNote && doc.total.amount.is_sign_negative() {
            Decimal::NEGATIVE_ONE
        } else {
            Decimal::ONE
        };
        *totals
            .entry(doc.total.currency.code().to_string())
            .or_default() += doc.total.amount * sign;
        let customer = customers.get(doc.customer_id.trim()).map(|(_, c)| c);
        let head = head(doc, kind, mapping, date_format, customer);
        for line in mapping.lines(doc, sign) {
            let mut row = head.clone();
            row.extend([
                String::new(), // Total: Xero computes it from the lines.
                line.item,
                line.description,
                line.quantity.to_string(),
                line.unit_amount.to_string(),
                String::new(), // Discount: the billing system's lines are after discount.
                line.account,
                line.tax_type,
                line.tax_amount.map(|a| a.to_string()).unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                doc.total.currency.code().to_string(),
                String::new(),
            ]);
            rows.push(row);
        }
    }
    let header: &[&str] = match kind {
        DocumentKind::Invoice => &INVOICE_HEADER,
        DocumentKind::CreditNote => &CREDIT_NOTE_HEADER,
    };
    RenderedFile {
        name,
        bytes: csv_bytes(header, &rows),
        records: rows.len() as u64,
        totals,
    }
}

/// The columns before the line's own: contact, number, dates.
fn head(
    doc: &Document,
    kind: DocumentKind,
    mapping: &Mapping,
    date_format: &str,
    customer: Option<&Customer>,
) -> Vec<String> {
    let contact = match customer {
        Some(c) => ContactFacts::of_customer(c),
        None => ContactFacts::of_document(doc),
    };
    let field = |f: fn(&Customer) -> &str| customer.map(|c| f(c).trim().to_string());
    let mut head = vec![
        mapping.contact_name(&contact),
        field(|c| &c.email).unwrap_or_default(),
        field(|c| &c.street).unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        field(|c| &c.city).unwrap_or_default(),
        String::new(),
        field(|c| &c.zip).unwrap_or_default(),
        field(|c| &c.country).unwrap_or_default(),
        doc.number.clone(),
        String::new(),
        doc.issue_date.format(date_format).to_string(),
    ];
    if kind == DocumentKind::Invoice {
        // Xero requires a due date; an export without one means due on issue.
        let due = doc.due_date.unwrap_or(doc.issue_date);
        head.push(due.format(date_format).to_string());
    }
    head
}
