//! Customers, sales invoices and sales credit notes staged as requests to Sage Business
//! Cloud Accounting's API v3.1, for a Sage target with `[targets.api]` ([`super::api`]), in
//! place of the CSV files. Sage takes one record per request: no batch endpoint was found in
//! its reference (every create operation takes one `contact`, `sales_invoice` …).
//!
//! The fields follow Sage's API reference (developer.sage.com, Accounting › API reference;
//! the same schemas as the client generated from it, nook-io/python-sage docs
//! `PostContactsContact`, `PostSalesInvoicesSalesInvoice`, `PostSalesCreditNotesSalesCreditNote`,
//! `PostSalesCreditNotesSalesCreditNoteCreditNoteLines`):
//!
//! - `POST /contacts` `{"contact": …}`: `name` (required; the mapping's `contact_name`,
//!   100 characters as for the import), `contact_type_ids` (required; `["CUSTOMER"]`),
//!   `reference` ("Unique reference for the contact": the billing system's customer number,
//!   at most 10 characters as for the import), `tax_number`, `main_address`
//!   (`address_line_1`, `city`, `postal_code`, `country_id` — Sage's country ids are the ISO
//!   2-letter codes, `GB`), `main_contact_person` (`email`, `telephone`).
//! - `POST /sales_invoices` `{"sales_invoice": …}` and `POST /sales_credit_notes`
//!   `{"sales_credit_note": …}`: `contact_id` (required; Sage's id of the customer, filled in
//!   by `push` from `${remote:contact:<customer number>}`), `date` (required), `due_date`,
//!   `invoice_number` / `credit_note_number` (the billing system's number) and `reference`
//!   (the same number: Sage's list filter `search` finds documents by reference),
//!   `currency_id`, and the lines (`invoice_lines` / `credit_note_lines`, required):
//!   `description`, `ledger_account_id` and `unit_price` (required), `quantity`,
//!   `unit_price_includes_tax` (the mapping's `amounts`), `tax_rate_id`, and `tax_amount`
//!   ("required in v3.1, unless the tax rate is of a zero, exempt or no_tax type").
//!
//! The lines are those of the CSV files ([`super::lines`]): Sage computes each line from
//! its quantity and unit price, so the unit prices are brought to Sage's side of the VAT and
//! a rounding line on `rounding_account` takes the cent that would otherwise make Sage's
//! total differ from the ledger's; `tax_amount` is what Sage computes for the line, so Sage
//! accepts it as given. A credit note's amounts are positive. Amounts are the decimals'
//! digits as JSON numbers, never through a binary float.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::customers::{Details, MAX_REFERENCE};
use super::lines::lines;
use crate::ledger::{CustomerRow, DocumentRow};
use crate::model::{Customer, Document};
use crate::outbox::{RecordRef, StagedRequest};
use crate::targets::mapping::{Amounts, Mapping, StagedCustomer, customers_to_stage};
use crate::targets::{RenderedFile, file_sign};

pub const CONTACTS_PATH: &str = "/contacts";
pub const INVOICES_PATH: &str = "/sales_invoices";
pub const CREDIT_NOTES_PATH: &str = "/sales_credit_notes";

#[derive(Serialize)]
struct ContactBody {
    contact: Contact,
}

#[derive(Serialize)]
struct Contact {
    name: String,
    contact_type_ids: [&'static str; 1],
    reference: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    tax_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_contact_person: Option<Person>,
}

#[derive(Serialize)]
struct Address {
    #[serde(skip_serializing_if = "String::is_empty")]
    address_line_1: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    city: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    postal_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    country_id: String,
}

#[derive(Serialize)]
struct Person {
    #[serde(skip_serializing_if = "String::is_empty")]
    telephone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    email: String,
}

#[derive(Serialize)]
struct InvoiceBody {
    sales_invoice: SalesDocument,
}

#[derive(Serialize)]
struct CreditNoteBody {
    sales_credit_note: SalesDocument,
}

/// A sales invoice or credit note: Sage's two schemas share these fields but for the
/// number's and the lines' names.
#[derive(Serialize)]
struct SalesDocument {
    contact_id: String,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_note_number: Option<String>,
    reference: String,
    currency_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice_lines: Option<Vec<Line>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_note_lines: Option<Vec<Line>>,
}

#[derive(Serialize)]
struct Line {
    description: String,
    ledger_account_id: String,
    quantity: Box<RawValue>,
    unit_price: Box<RawValue>,
    unit_price_includes_tax: bool,
    tax_rate_id: String,
    /// Unknown for a document the export does not itemise: Sage derives it from the rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_amount: Option<Box<RawValue>>,
}

/// A decimal's digits, a JSON number as written.
pub fn number(value: Decimal) -> Box<RawValue> {
    RawValue::from_string(value.to_string()).expect("a decimal's digits are a JSON number")
}

/// The placeholder `push` replaces with Sage's id of the record (`crate::delivery`).
pub fn remote(kind: &str, id: &str) -> String {
    format!("${{remote:{kind}:{}}}", id.trim())
}

/// What one request carries besides its body.
pub struct Carried {
    /// The records, in the body's order.
    pub records: Vec<RecordRef>,
    /// The money, per currency, for the manifest.
    pub totals: BTreeMap<String, Decimal>,
    /// Documents the target holds that the request waits for.
    pub needs: Vec<String>,
}

/// One `POST` request file, numbered from 1 within its stem.
pub fn request_file(
    target: &str,
    stem: &str,
    number: usize,
    path: &str,
    body: &impl Serialize,
    carried: Carried,
) -> RenderedFile {
    let json = serde_json::to_string(body).expect("a request body serialises");
    let mut request = StagedRequest::new(target, "POST", path, carried.records, json)
        .expect("a serialised body is JSON");
    request.needs = carried.needs;
    RenderedFile {
        name: format!("{stem}-{number:04}.json"),
        bytes: request.to_bytes(),
        records: request.records.len() as u64,
        totals: carried.totals,
    }
}

/// The request files of the customers and documents a run stages for the target:
/// `sage-contacts-0001.json` …, `sage-invoices-0001.json` …, `sage-credit-notes-0001.json` ….
pub fn render(
    target: &str,
    mapping: &Mapping,
    changed: &[CustomerRow],
    documents: &[DocumentRow],
    customers: &HashMap<String, (i64, Customer)>,
) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    // A customer whose number is longer than Sage's reference is not sent; their documents
    // are held with that reason (`Rules::max_reference`).
    let staged = customers_to_stage(changed, documents, customers);
    let contacts = staged
        .iter()
        .filter(|(id, _)| !id.is_empty() && id.chars().count() <= MAX_REFERENCE);
    for (n, (id, customer)) in contacts.enumerate() {
        let record = RecordRef {
            kind: "contact".to_string(),
            id: id.clone(),
            document: String::new(),
        };
        let body = ContactBody {
            contact: contact(mapping, id, customer),
        };
        let carried = Carried {
            records: vec![record],
            totals: BTreeMap::new(),
            needs: Vec::new(),
        };
        files.push(request_file(
            target,
            "sage-contacts",
            n + 1,
            CONTACTS_PATH,
            &body,
            carried,
        ));
    }
    let (credit_notes, invoices) = mapping.documents_to_import(documents);
    for (n, doc) in invoices.into_iter().enumerate() {
        let body = InvoiceBody {
            sales_invoice: sales_document(doc, false, mapping),
        };
        files.push(document_file(target, doc, n + 1, false, &body));
    }
    for (n, doc) in credit_notes.into_iter().enumerate() {
        let body = CreditNoteBody {
            sales_credit_note: sales_document(doc, true, mapping),
        };
        files.push(document_file(target, doc, n + 1, true, &body));
    }
    files
}

fn document_file(
    target: &str,
    doc: &Document,
    number: usize,
    credit: bool,
    body: &impl Serialize,
) -> RenderedFile {
    let (kind, stem, path) = if credit {
        ("credit-note", "sage-credit-notes", CREDIT_NOTES_PATH)
    } else {
        ("invoice", "sage-invoices", INVOICES_PATH)
    };
    let record = RecordRef {
        kind: kind.to_string(),
        id: doc.number.clone(),
        document: doc.number.clone(),
    };
    // The manifest's total: as Sage books it, a credit note's positive.
    let total = doc.total.amount * file_sign(doc, credit);
    let totals = BTreeMap::from([(doc.total.currency.code().to_string(), total)]);
    let carried = Carried {
        records: vec![record],
        totals,
        needs: Vec::new(),
    };
    request_file(target, stem, number, path, body, carried)
}

fn contact(mapping: &Mapping, id: &str, customer: &StagedCustomer<'_>) -> Contact {
    let mut contact = Contact {
        name: mapping.contact_name(&customer.facts()),
        contact_type_ids: ["CUSTOMER"],
        reference: id.to_string(),
        tax_number: String::new(),
        main_address: None,
        main_contact_person: None,
    };
    if let StagedCustomer::Known(c) = customer {
        let d = Details::of(c);
        let address = Address {
            address_line_1: d.street,
            city: d.city,
            postal_code: d.post_code,
            country_id: d.country,
        };
        let has_address = !(address.address_line_1.is_empty()
            && address.city.is_empty()
            && address.postal_code.is_empty()
            && address.country_id.is_empty());
        contact.main_address = has_address.then_some(address);
        contact.main_contact_person =
            (!(d.phone.is_empty() && d.email.is_empty())).then_some(Person {
                telephone: d.phone,
                email: d.email,
            });
        contact.tax_number = d.vat_number;
    }
    contact
}

fn sales_document(doc: &Document, credit: bool, mapping: &Mapping) -> SalesDocument {
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let inclusive = mapping.amounts == Amounts::Inclusive;
    let sage_lines: Vec<Line> = lines(mapping, doc, file_sign(doc, credit))
        .into_iter()
        .map(|line| Line {
            description: line.description,
            ledger_account_id: line.account,
            quantity: number(line.quantity),
            unit_price: number(line.unit_price),
            unit_price_includes_tax: inclusive,
            tax_rate_id: line.tax_type,
            tax_amount: line.vat.map(number),
        })
        .collect();
    let number = doc.number.trim().to_string();
    let mut document = SalesDocument {
        contact_id: remote("contact", &doc.customer_id),
        date: date(doc.issue_date),
        due_date: None,
        invoice_number: None,
        credit_note_number: None,
        reference: number.clone(),
        currency_id: doc.total.currency.code().to_string(),
        invoice_lines: None,
        credit_note_lines: None,
    };
    if credit {
        document.credit_note_number = Some(number);
        document.credit_note_lines = Some(sage_lines);
    } else {
        // An export without a due date means due on issue.
        document.due_date = Some(date(doc.due_date.unwrap_or(doc.issue_date)));
        document.invoice_number = Some(number);
        document.invoice_lines = Some(sage_lines);
    }
    document
}
