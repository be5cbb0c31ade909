//! Contacts, sales invoices and credit notes staged as requests to Xero's Accounting API,
//! for a target with `[targets.api] documents = "api"`: the same documents and contacts the
//! CSV imports would carry ([`super::contacts`], [`super::invoices`]), as bodies of the
//! operations in Xero's specification (xero_accounting.yaml, MIT, tests/fixtures/xero):
//!
//! - `POST /Contacts` (`createOrUpdateContacts`): Xero creates a contact, or updates the
//!   one of the same name, so a customer whose address changed is updated, not refused.
//!   `ContactNumber` (maxLength 50, "used to identify contacts in external systems") is the
//!   billing system's customer number.
//! - `PUT /Invoices` (`createInvoices`) with `Type` `ACCREC`, and `PUT /CreditNotes`
//!   (`createCreditNotes`) with `Type` `ACCRECCREDIT`; both `AUTHORISED`, as Xero takes
//!   payments only on authorised invoices. A document names its contact by the same name
//!   the contact request gives it, and carries the billing system's number; lines as the
//!   CSV import writes them (`Mapping::lines`), each with its `TaxType` code and the billing
//!   system's VAT as `TaxAmount`, so Xero's tax is the invoice's to the cent.
//!
//! With `numbers = "xero"` Xero numbers each document itself; the billing number goes in
//! its `Reference`, and payments name the invoice by Xero's id (`InvoiceID`), filled in at
//! push from the invoice's answer.
//!
//! All with `summarizeErrors=false` and up to `per_request` records per request, so Xero
//! answers for each record on its own. Amounts are the decimals' digits as JSON numbers,
//! never through a binary float. `sluice push` sends contacts first, then invoices and
//! credit notes, then payments; a document whose number Xero already has is looked up and
//! its id adopted (see `crate::delivery`).

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::api::Api;
use super::mapping::{Amounts, ContactFacts, Mapping, Numbers};
use crate::ledger::{CustomerRow, DocumentRow};
use crate::model::{Customer, Document, DocumentKind};
use crate::outbox::{RecordRef, StagedRequest};
use crate::targets::RenderedFile;
use crate::targets::mapping::{StagedCustomer, customers_to_stage};

pub const CONTACTS_PATH: &str = "/api.xro/2.0/Contacts?summarizeErrors=false";
pub const INVOICES_PATH: &str = "/api.xro/2.0/Invoices?summarizeErrors=false";
pub const CREDIT_NOTES_PATH: &str = "/api.xro/2.0/CreditNotes?summarizeErrors=false";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Contacts {
    contacts: Vec<Contact>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Contact {
    name: String,
    contact_number: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    email_address: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    tax_number: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    addresses: Vec<Address>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phones: Vec<Phone>,
    /// `ARCHIVED` for a customer of one of the mapping's `inactive_statuses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_status: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Address {
    address_type: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    address_line1: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    city: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    postal_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    country: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Phone {
    phone_type: &'static str,
    phone_number: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Invoices {
    invoices: Vec<Invoice>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CreditNotes {
    credit_notes: Vec<Invoice>,
}

/// An invoice or a credit note: Xero's two schemas share these fields but for the number's.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Invoice {
    #[serde(rename = "Type")]
    kind: &'static str,
    contact: ContactRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    invoice_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_note_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
    line_amount_types: &'static str,
    currency_code: String,
    status: &'static str,
    line_items: Vec<LineItem>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ContactRef {
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LineItem {
    description: String,
    quantity: Box<RawValue>,
    unit_amount: Box<RawValue>,
    #[serde(skip_serializing_if = "String::is_empty")]
    item_code: String,
    account_code: String,
    tax_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_amount: Option<Box<RawValue>>,
}

/// A record for a request: what the request file lists, the body's element, and the money
/// it carries (currency, amount) for the manifest's totals.
type Staged<T> = (RecordRef, T, Option<(String, Decimal)>);

/// A decimal's digits, a JSON number as written.
fn number(value: Decimal) -> Box<RawValue> {
    RawValue::from_string(value.to_string()).expect("a decimal's digits are a JSON number")
}

/// The request files of the contacts and documents a run stages for the target:
/// `xero-contacts-0001.json` …, `xero-invoices-0001.json` …, `xero-credit-notes-0001.json` ….
pub fn render(
    target: &str,
    api: &Api,
    mapping: &Mapping,
    changed: &[CustomerRow],
    documents: &[DocumentRow],
    customers: &HashMap<String, (i64, Customer)>,
) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    let contacts: Vec<Staged<Contact>> = customers_to_stage(changed, documents, customers)
        .into_iter()
        .map(|(id, staged)| {
            let contact = match staged {
                StagedCustomer::Known(c) => of_customer(mapping, c),
                StagedCustomer::FromDocument(doc) => Contact {
                    name: mapping.contact_name(&ContactFacts::of_document(doc)),
                    contact_number: id.clone(),
                    email_address: String::new(),
                    tax_number: String::new(),
                    addresses: Vec::new(),
                    phones: Vec::new(),
                    contact_status: None,
                },
            };
            let record = RecordRef {
                kind: "contact".to_string(),
                id,
                document: String::new(),
            };
            (record, contact, None)
        })
        .collect();
    files.extend(requests(
        target,
        "xero-contacts",
        "POST",
        CONTACTS_PATH,
        api.per_request,
        contacts,
        |contacts| Contacts { contacts },
    ));
    let (credit_notes, invoices) = mapping.documents_to_import(documents);
    for (kind, docs) in [
        (DocumentKind::Invoice, invoices),
        (DocumentKind::CreditNote, credit_notes),
    ] {
        let bodies: Vec<Staged<Invoice>> = docs
            .into_iter()
            .map(|doc| {
                let record = RecordRef {
                    kind: match kind {
                        DocumentKind::Invoice => "invoice",
                        DocumentKind::CreditNote => "credit-note",
                    }
                    .to_string(),
                    id: doc.number.clone(),
                    document: doc.number.clone(),
                };
                let customer = customers.get(doc.customer_id.trim()).map(|(_, c)| c);
                // The manifest's total: a credit note's as Xero books it, positive.
                let total = match kind {
                    DocumentKind::CreditNote => doc.total.amount.abs(),
                    DocumentKind::Invoice => doc.total.amount,
                };
                let total = (doc.total.currency.code().to_string(), total);
                (record, document(doc, kind, mapping, customer), Some(total))
            })
            .collect();
        files.extend(match kind {
            DocumentKind::Invoice => requests(
                target,
                "xero-invoices",
                "PUT",
                INVOICES_PATH,
                api.per_request,
                bodies,
                |invoices| Invoices { invoices },
            ),
            DocumentKind::CreditNote => requests(
                target,
                "xero-credit-notes",
                "PUT",
                CREDIT_NOTES_PATH,
                api.per_request,
                bodies,
                |credit_notes| CreditNotes { credit_notes },
            ),
        });
    }
    files
}

/// The records in requests of up to `per_request` each, numbered from 1; each record with
/// the money it carries, if any, for the manifest's totals.
fn requests<T, B: Serialize>(
    target: &str,
    stem: &str,
    method: &str,
    path: &str,
    per_request: usize,
    records: Vec<Staged<T>>,
    body: impl Fn(Vec<T>) -> B,
) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    let mut records = records.into_iter().peekable();
    let mut number = 0;
    while records.peek().is_some() {
        number += 1;
        let mut refs = Vec::new();
        let mut items = Vec::new();
        let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
        for (record, item, money) in records.by_ref().take(per_request) {
            refs.push(record);
            items.push(item);
            if let Some((currency, amount)) = money {
                *totals.entry(currency).or_default() += amount;
            }
        }
        let json = serde_json::to_string(&body(items)).expect("a request body serialises");
        let request = StagedRequest::new(target, method, path, refs, json)
            .expect("a serialised body is JSON");
        files.push(RenderedFile {
            name: format!("{stem}-{number:04}.json"),
            bytes: request.to_bytes(),
            records: request.records.len() as u64,
            totals,
        });
    }
    files
}

fn of_customer(mapping: &Mapping, c: &Customer) -> Contact {
    let field = |f: &str| f.trim().to_string();
    let address = Address {
        address_type: "POBOX",
        address_line1: field(&c.street),
        city: field(&c.city),
        postal_code: field(&c.zip),
        country: field(&c.country),
    };
    let has_address = !(address.address_line1.is_empty()
        && address.city.is_empty()
        && address.postal_code.is_empty()
        && address.country.is_empty());
    Contact {
        name: mapping.contact_name(&ContactFacts::of_customer(c)),
        contact_number: field(&c.id),
        email_address: field(&c.email),
        tax_number: field(&c.vat_id),
        addresses: if has_address {
            vec![address]
        } else {
            Vec::new()
        },
        contact_status: mapping
            .active(c)
            .map(|active| if active { "ACTIVE" } else { "ARCHIVED" }),
        phones: if c.phone.trim().is_empty() {
            Vec::new()
        } else {
            vec![Phone {
                phone_type: "DEFAULT",
                phone_number: field(&c.phone),
            }]
        },
    }
}

fn document(
    doc: &Document,
    kind: DocumentKind,
    mapping: &Mapping,
    customer: Option<&Customer>,
) -> Invoice {
    // A credit note's amounts are written positive: Xero gives them their direction.
    let sign = if kind == DocumentKind::CreditNote && doc.total.amount.is_sign_negative() {
        Decimal::NEGATIVE_ONE
    } else {
        Decimal::ONE
    };
    let contact = match customer {
        Some(c) => ContactFacts::of_customer(c),
        None => ContactFacts::of_document(doc),
    };
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let line_items = mapping
        .lines(doc, sign)
        .into_iter()
        .map(|line| LineItem {
            description: line.description,
            quantity: number(line.quantity),
            unit_amount: number(line.unit_amount),
            item_code: line.item,
            account_code: line.account,
            tax_type: line.tax_type,
            tax_amount: line.tax_amount.map(number),
        })
        .collect();
    // Numbered by Xero, a document carries the billing number as its reference, where a
    // person (and a lookup) finds it.
    let (number, reference) = match mapping.numbers {
        Numbers::Billing => (Some(doc.number.clone()), None),
        Numbers::Platform => (None, Some(doc.number.clone())),
    };
    let (invoice_number, credit_note_number, due_date, kind) = match kind {
        // Xero requires a due date; an export without one means due on issue.
        DocumentKind::Invoice => (
            number,
            None,
            Some(date(doc.due_date.unwrap_or(doc.issue_date))),
            "ACCREC",
        ),
        DocumentKind::CreditNote => (None, number, None, "ACCRECCREDIT"),
    };
    Invoice {
        kind,
        contact: ContactRef {
            name: mapping.contact_name(&contact),
        },
        invoice_number,
        credit_note_number,
        reference,
        date: date(doc.issue_date),
        due_date,
        line_amount_types: match mapping.amounts {
            Amounts::Exclusive => "Exclusive",
            Amounts::Inclusive => "Inclusive",
        },
        currency_code: doc.total.currency.code().to_string(),
        status: "AUTHORISED",
        line_items,
    }
}
