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
use super::mapping::{Amounts, ContactFacts, Mapping};
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
    let mut docs: Vec<&Document> = documents
        .iter()
        .map(|r| &r.document)
        .filter(|d| mapping.refusal(d).is_none())
        .collect();
    docs.sort_by(|a, b| (a.issue_date, &a.number).cmp(&(b.issue_date, &b.number)));
    let (credit_notes, invoices): (Vec<&Document>, Vec<&Document>) =
        docs.into_iter().partition(|d| mapping.is_credit_note(d));
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
        for line in lines(doc, mapping, sign) {
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

/// One line of a Xero document, its amounts already in the file's direction.
struct XeroLine {
    item: String,
    description: String,
    quantity: Decimal,
    unit_amount: Decimal,
    account: String,
    tax_type: String,
    /// The line's VAT; unknown for a document the export does not itemise.
    tax_amount: Option<Decimal>,
}

fn lines(doc: &Document, mapping: &Mapping, sign: Decimal) -> Vec<XeroLine> {
    let what = match doc.kind {
        DocumentKind::Invoice => "Invoice",
        DocumentKind::CreditNote => "Credit note",
    };
    if doc.lines.is_empty() {
        // `refusal` made sure both are mapped.
        return vec![XeroLine {
            item: String::new(),
            description: format!("{what} {}", doc.number),
            quantity: Decimal::ONE,
            unit_amount: doc.total.amount * sign,
            account: mapping.default_account.clone().unwrap_or_default(),
            tax_type: mapping.lineless_tax_rate.clone().unwrap_or_default(),
            tax_amount: None,
        }];
    }
    let net_lines = doc.lines_are_net();
    doc.lines
        .iter()
        .map(|line| {
            let vat = line.vat_amount.amount;
            let net = if net_lines {
                line.line_total.amount
            } else {
                line.line_total.amount - vat
            };
            let amount = match mapping.amounts {
                Amounts::Exclusive => net,
                Amounts::Inclusive => net + vat,
            };
            // The billing system's quantity and unit price when they are on the same side
            // of the tax as the file and give the line's amount exactly; else one unit of
            // the line's amount, so Xero's line is the billing system's to the cent.
            let same_side = net_lines == (mapping.amounts == Amounts::Exclusive);
            let (quantity, unit) = if same_side
                && !line.quantity.is_zero()
                && line.quantity * line.unit_price.amount == amount
            {
                // A billing system may write a credit as -1 × price; Xero wants the quantity
                // positive and the direction in the amount.
                if line.quantity.is_sign_negative() {
                    (-line.quantity.normalize(), -line.unit_price.amount)
                } else {
                    (line.quantity.normalize(), line.unit_price.amount)
                }
            } else {
                (Decimal::ONE, amount)
            };
            let description = match line.description.split_whitespace().collect::<Vec<_>>() {
                words if words.is_empty() => format!("{what} {}", doc.number),
                words => words.join(" "),
            };
            XeroLine {
                item: mapping.item_of(&line.category).to_string(),
                description,
                quantity,
                unit_amount: unit * sign,
                account: mapping
                    .account_of(&line.category)
                    .unwrap_or_default()
                    .to_string(),
                tax_type: mapping
                    .tax_rate_of(line.vat_rate)
                    .unwrap_or_default()
                    .to_string(),
                tax_amount: Some(vat * sign),
            }
        })
        .collect()
}
