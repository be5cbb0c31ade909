//! Customers, invoices and credit memos staged as requests to NetSuite's REST web services,
//! for a target with `[targets.api]` ([`super::api`]): the same customers and documents the
//! CSV files would carry ([`super::files`]), one record per request, each an upsert by
//! External ID (Oracle NetSuite Help, "Using the Upsert Operation": `PUT
//! /services/rest/record/v1/customer/eid:CID002` creates the record, or updates the one
//! with that External ID). A resend after a lost answer updates the same record rather than
//! creating a second: the upsert is idempotent by nature, whatever the idempotency key.
//!
//! The External IDs are the CSV files' (customer number, document number), written in the
//! characters Oracle allows in one ("letters, numbers, underscore (_), and hyphen (-)":
//! "Using External IDs"), see [`external_id`].
//!
//! Field by field (record ids and field ids of the REST API Browser, `record/v1`, which
//! follow the SOAP schema's `Customer`, `Invoice`, `CreditMemo`):
//!
//! - `customer`: `entityId` (the customer number, as the CSV's Customer ID), `companyName`
//!   (the mapping's name, 83 characters), `isPerson` false, `email`, `phone`,
//!   `vatRegNumber`, `subsidiary` and `terms` from `[targets.netsuite]`. The address is a
//!   subrecord (`addressBook`), which REST web services do not create ("NetSuite Record
//!   Structure": "Creating, updating, and deleting subrecords is not supported"): not sent.
//! - `invoice`: `entity` (the customer's internal id, see below), `tranId` (the number),
//!   `tranDate`, `dueDate`, `terms`, `subsidiary`, `class`, `department`, `location`, and
//!   the `item` sublist, one line per document line: `item`, `description`, `quantity`,
//!   `rate` (before tax: NetSuite's tax code adds the tax), `amount`, `taxCode` and
//!   `tax1Amt` (the billing system's VAT, so NetSuite's tax is the invoice's to the cent).
//!   Sent with `?replace=item`, so an update replaces the lines instead of adding them
//!   ("Updating a Record Instance": `replace` names the sublists whose lines are replaced).
//! - `creditmemo`: the same without `dueDate` and `terms`, amounts positive.
//!
//! References are internal ids (`{"id": "…"}`; Oracle's examples reference records only so).
//! A customer's internal id exists once NetSuite has the customer: a document names it by
//! the placeholder `${remote:contact:<customer number>}`, which `push` fills in from the
//! `Location` of the customer's upsert ([`crate::delivery`]). Items, tax codes and the
//! classification are internal ids from the pipeline file. Dates are `YYYY-MM-DD`; amounts
//! are the decimals' digits as JSON numbers, never through a binary float. The currency is
//! not sent: NetSuite takes the customer's (a reference to a currency record would need
//! its internal id).

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;

use super::NetSuite;
use super::api::RECORD_PATH;
use crate::ledger::{CustomerRow, DocumentRow};
use crate::model::{Customer, Document};
use crate::outbox::{RecordRef, StagedRequest};
use crate::targets::RenderedFile;
use crate::targets::file_sign;
use crate::targets::mapping::{StagedCustomer, customers_to_stage};
use crate::targets::quickbooks::online::fit;

/// A reference to another NetSuite record by its internal id.
#[derive(Serialize)]
pub struct Ref {
    pub id: String,
}

impl Ref {
    /// The reference, or none for a value the pipeline leaves out.
    pub fn to(id: &str) -> Option<Ref> {
        (!id.is_empty()).then(|| Ref { id: id.to_string() })
    }

    /// The internal id of a record sluice pushed earlier, filled in by `push`.
    pub fn pushed(kind: &str, id: &str) -> Ref {
        Ref {
            id: format!("${{remote:{kind}:{id}}}"),
        }
    }
}

/// The classification `[targets.netsuite]` gives every transaction.
#[derive(Serialize)]
pub struct Classified {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsidiary: Option<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Ref>,
}

impl Classified {
    pub fn of(netsuite: &NetSuite) -> Classified {
        let c = &netsuite.classification;
        Classified {
            subsidiary: Ref::to(&c.subsidiary),
            class: Ref::to(&c.class),
            department: Ref::to(&c.department),
            location: Ref::to(&c.location),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomerBody {
    entity_id: String,
    company_name: String,
    is_person: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    email: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    phone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    vat_reg_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subsidiary: Option<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terms: Option<Ref>,
    /// The customer record's "Inactive" box, from the mapping's `inactive_statuses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_inactive: Option<bool>,
    /// "Send transactions via email", from the mapping's `accepts_e_invoices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    email_transactions: Option<bool>,
}

/// An invoice or a credit memo: the credit memo has no due date or terms.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DocumentBody {
    entity: Ref,
    tran_id: String,
    tran_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terms: Option<Ref>,
    #[serde(flatten)]
    classified: Classified,
    item: Sublist<ItemLine>,
}

/// A sublist as REST web services write it: `{"items": [...]}`.
#[derive(Serialize)]
pub struct Sublist<T> {
    pub items: Vec<T>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemLine {
    item: Ref,
    description: String,
    quantity: Box<RawValue>,
    rate: Box<RawValue>,
    amount: Box<RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_code: Option<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax1_amt: Option<Box<RawValue>>,
}

/// A decimal's digits, a JSON number as written.
pub fn number(value: Decimal) -> Box<RawValue> {
    RawValue::from_string(value.to_string()).expect("a decimal's digits are a JSON number")
}

/// An External ID in the characters NetSuite allows in one: letters, digits and `-` as
/// they are; every other byte (`_` too, so no two ids meet) as `_` and its two hex digits.
/// `C1` and `INV-2026-0001` stay as the CSV files write them; a payment's
/// `f13ff167821c:2/C1` becomes `f13ff167821c_3A2_2FC1`.
pub fn external_id(raw: &str) -> String {
    let mut id = String::with_capacity(raw.len());
    for byte in raw.trim().bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' {
            id.push(byte as char);
        } else {
            id.push_str(&format!("_{byte:02X}"));
        }
    }
    id
}

/// The path of the upsert of the record of type `record` with External ID `raw`.
pub fn upsert_path(record: &str, raw: &str, query: &str) -> String {
    format!("{RECORD_PATH}/{record}/eid:{}{query}", external_id(raw))
}

/// One request file: `<stem>-0001.json` …, the record it carries and its money for the
/// manifest's totals.
pub fn request_file(
    target: &str,
    name: String,
    path: String,
    record: RecordRef,
    needs: Vec<String>,
    body: String,
    money: Option<(String, Decimal)>,
) -> RenderedFile {
    let mut request =
        StagedRequest::new(target, "PUT", &path, vec![record], body).expect("a body is JSON");
    request.needs = needs;
    RenderedFile {
        name,
        bytes: request.to_bytes(),
        records: 1,
        totals: money.into_iter().collect::<BTreeMap<_, _>>(),
    }
}

/// The request files of the customers and documents a run stages for the target:
/// `netsuite-customers-0001.json` …, `netsuite-invoices-0001.json` …,
/// `netsuite-credit-memos-0001.json` ….
pub fn render(
    target: &str,
    netsuite: &NetSuite,
    changed: &[CustomerRow],
    documents: &[DocumentRow],
    customers: &HashMap<String, (i64, Customer)>,
) -> Vec<RenderedFile> {
    let mapping = &netsuite.mapping;
    let class = &netsuite.classification;
    let mut files = Vec::new();
    for (i, (id, staged)) in customers_to_stage(changed, documents, customers)
        .into_iter()
        .enumerate()
    {
        let mut body = CustomerBody {
            entity_id: id.clone(),
            company_name: mapping.contact_name(&staged.facts()),
            is_person: false,
            email: String::new(),
            phone: String::new(),
            vat_reg_number: String::new(),
            subsidiary: Ref::to(&class.subsidiary),
            terms: Ref::to(&class.terms),
            is_inactive: None,
            email_transactions: mapping.accepts_e_invoices,
        };
        if let StagedCustomer::Known(c) = staged {
            body.is_inactive = mapping.active(c).map(|active| !active);
            // The customer record's limits, as the CSV file keeps them.
            let email = c.email.trim();
            if email.contains('@') && !email.contains(' ') {
                body.email = fit(email, 64);
            }
            body.phone = fit(&c.phone, 21);
            body.vat_reg_number = fit(&c.vat_id, 25);
        }
        let json = serde_json::to_string(&body).expect("a customer serialises");
        files.push(request_file(
            target,
            format!("netsuite-customers-{:04}.json", i + 1),
            upsert_path("customer", &id, ""),
            RecordRef {
                kind: "contact".to_string(),
                id,
                document: String::new(),
            },
            Vec::new(),
            json,
            None,
        ));
    }
    let (credit_memos, invoices) = mapping.documents_to_import(documents);
    for (stem, record, credit, docs) in [
        ("netsuite-invoices", "invoice", false, invoices),
        ("netsuite-credit-memos", "creditmemo", true, credit_memos),
    ] {
        for (i, doc) in docs.into_iter().enumerate() {
            let json = serde_json::to_string(&document(doc, credit, netsuite))
                .expect("a document serialises");
            let number = doc.number.trim().to_string();
            // The manifest's total: a credit memo's positive, as NetSuite books it.
            let total = (doc.total.amount * file_sign(doc, credit)).abs();
            files.push(request_file(
                target,
                format!("{stem}-{:04}.json", i + 1),
                upsert_path(record, &number, "?replace=item"),
                RecordRef {
                    kind: if credit { "credit-note" } else { "invoice" }.to_string(),
                    id: number.clone(),
                    document: number,
                },
                Vec::new(),
                json,
                Some((doc.total.currency.code().to_string(), total)),
            ));
        }
    }
    files
}

fn document(doc: &Document, credit: bool, netsuite: &NetSuite) -> DocumentBody {
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let items = netsuite
        .mapping
        .lines(doc, file_sign(doc, credit))
        .into_iter()
        .map(|line| ItemLine {
            item: Ref { id: line.account },
            description: line.description,
            quantity: number(line.quantity),
            rate: number(line.unit_amount),
            amount: number(line.quantity * line.unit_amount),
            tax_code: Ref::to(&line.tax_type),
            tax1_amt: line.tax_amount.map(number),
        })
        .collect();
    let (due_date, terms) = if credit {
        (None, None)
    } else {
        (
            Some(date(doc.due_date.unwrap_or(doc.issue_date))),
            Ref::to(&netsuite.classification.terms),
        )
    };
    DocumentBody {
        entity: Ref::pushed("contact", doc.customer_id.trim()),
        tran_id: doc.number.trim().to_string(),
        tran_date: date(doc.issue_date),
        due_date,
        terms,
        classified: Classified::of(netsuite),
        item: Sublist { items },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_ids_keep_what_netsuite_allows_and_escape_the_rest_without_collisions() {
        assert_eq!(external_id("INV-2026-0001"), "INV-2026-0001");
        assert_eq!(external_id(" C1 "), "C1");
        assert_eq!(external_id("f13ff167821c:2/C1"), "f13ff167821c_3A2_2FC1");
        // `_` is escaped too: `a_2F` and `a/` stay apart.
        assert_ne!(external_id("a_2F"), external_id("a/"));
        assert_eq!(external_id("Ä"), "_C3_84");
        assert_eq!(
            upsert_path("invoice", "RE 1", "?replace=item"),
            "/services/rest/record/v1/invoice/eid:RE_201?replace=item"
        );
    }
}
