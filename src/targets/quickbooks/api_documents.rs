//! Customers, invoices and credit memos staged as batches for QuickBooks Online's
//! Accounting API ([`super::api_batch`]): the same customers and documents the Online CSV
//! imports would carry ([`super::online`]), as the entities of Intuit's API reference
//! (developer.intuit.com › Accounting API › all entities: Customer, Invoice, CreditMemo):
//!
//! - `Customer`: `DisplayName` (the mapping's `contact_name`, unique among QuickBooks'
//!   customers, vendors and employees), `PrimaryEmailAddr.Address`,
//!   `PrimaryPhone.FreeFormNumber`, `BillAddr` (`Line1`, `City`, `PostalCode`, `Country`),
//!   each left out where QuickBooks would refuse it, as in the CSV import.
//! - `Invoice`: `CustomerRef.value` — QuickBooks' `Id` of the customer, which exists only
//!   once the customer is pushed, so the body names it `${remote:contact:<customer no>}`
//!   and `sluice push` fills it in —, `DocNumber` (the billing system's number, at most 21
//!   characters), `TxnDate`, `DueDate`, `CurrencyRef.value` (ISO 4217),
//!   `GlobalTaxCalculation` (`TaxExcluded` or `TaxInclusive`, as `amounts` says), and one
//!   `Line` per billing line: `DetailType` `SalesItemLineDetail`, `Amount`, `Description`,
//!   `SalesItemLineDetail.ItemRef.value` (the product/service id the category maps to),
//!   `Qty`, `UnitPrice`, `TaxCodeRef.value` (the tax code id the VAT rate maps to).
//! - `CreditMemo`: the same without a due date, amounts positive (QuickBooks gives a
//!   credit memo its direction).
//!
//! QuickBooks computes each document's tax from the lines' tax codes; the billing system's
//! VAT is not sent (Intuit's reference offers no per-line tax amount).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::value::RawValue;

use super::api::Api;
use super::api_batch::{Ref, Staged, money, number, requests};
use super::online::fit;
use crate::ledger::{CustomerRow, DocumentRow};
use crate::model::{Customer, Document};
use crate::outbox::RecordRef;
use crate::targets::mapping::{Amounts, Mapping, StagedCustomer, customers_to_stage};
use crate::targets::{RenderedFile, file_sign};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CustomerBody {
    display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_email_addr: Option<Email>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_phone: Option<Phone>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bill_addr: Option<Address>,
    /// From the mapping's `inactive_statuses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    active: Option<bool>,
    /// `Email` or `Print`, from the mapping's `accepts_e_invoices`.
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_delivery_method: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Email {
    address: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Phone {
    free_form_number: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Address {
    #[serde(skip_serializing_if = "String::is_empty")]
    line1: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    city: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    postal_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    country: String,
}

/// An invoice or a credit memo: Intuit's two entities share these fields but the due date.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DocumentBody {
    customer_ref: Ref,
    doc_number: String,
    txn_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
    currency_ref: Ref,
    global_tax_calculation: &'static str,
    line: Vec<Line>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Line {
    detail_type: &'static str,
    amount: Box<RawValue>,
    description: String,
    sales_item_line_detail: SalesItemLineDetail,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SalesItemLineDetail {
    item_ref: Ref,
    qty: Box<RawValue>,
    unit_price: Box<RawValue>,
    tax_code_ref: Ref,
}

/// The placeholder of QuickBooks' id of a customer, filled in by `sluice push`.
pub fn customer_ref(customer_id: &str) -> Ref {
    Ref::to(format!("${{remote:contact:{}}}", customer_id.trim()))
}

/// The request files of the customers and documents a run stages for the target:
/// `quickbooks-customers-0001.json` …, `quickbooks-invoices-0001.json` …,
/// `quickbooks-credit-memos-0001.json` ….
pub fn render(
    target: &str,
    api: &Api,
    mapping: &Mapping,
    changed: &[CustomerRow],
    documents: &[DocumentRow],
    all_customers: &HashMap<String, (i64, Customer)>,
) -> Vec<RenderedFile> {
    let customers: Vec<Staged<CustomerBody>> =
        customers_to_stage(changed, documents, all_customers)
            .into_iter()
            .map(|(id, staged)| {
                let body = customer(mapping, &staged);
                let record = RecordRef {
                    kind: "contact".to_string(),
                    id,
                    document: String::new(),
                };
                (record, body, None)
            })
            .collect();
    let mut files = requests(
        target,
        api,
        "quickbooks-customers",
        "Customer",
        customers,
        &[],
        1,
    );
    let (credit_memos, invoices) = mapping.documents_to_import(documents);
    for (credit, docs) in [(false, invoices), (true, credit_memos)] {
        let bodies: Vec<Staged<DocumentBody>> = docs
            .into_iter()
            .map(|doc| {
                let record = RecordRef {
                    kind: if credit { "credit-note" } else { "invoice" }.to_string(),
                    id: doc.number.trim().to_string(),
                    document: doc.number.trim().to_string(),
                };
                let total = doc.total.amount * file_sign(doc, credit);
                let total = (doc.total.currency.code().to_string(), total);
                (record, document(doc, credit, mapping), Some(total))
            })
            .collect();
        let (stem, entity) = if credit {
            ("quickbooks-credit-memos", "CreditMemo")
        } else {
            ("quickbooks-invoices", "Invoice")
        };
        files.extend(requests(target, api, stem, entity, bodies, &[], 1));
    }
    files
}

/// How the customer takes invoices (`Customer.PreferredDeliveryMethod`), when the mapping
/// says.
fn delivery(mapping: &Mapping) -> Option<&'static str> {
    mapping
        .accepts_e_invoices
        .map(|e| if e { "Email" } else { "Print" })
}

fn customer(mapping: &Mapping, staged: &StagedCustomer<'_>) -> CustomerBody {
    let display_name = mapping.contact_name(&staged.facts());
    let StagedCustomer::Known(c) = staged else {
        return CustomerBody {
            display_name,
            primary_email_addr: None,
            primary_phone: None,
            bill_addr: None,
            active: None,
            preferred_delivery_method: delivery(mapping),
        };
    };
    // What the CSV import would refuse is left out rather than cut (see `online`).
    let email = c.email.trim();
    let email = (email.contains('@') && email.contains('.') && !email.contains(' '))
        .then(|| fit(email, 100))
        .filter(|e| !e.is_empty());
    let phone = Some(fit(&c.phone, 21)).filter(|p| !p.is_empty());
    let address = Address {
        line1: fit(&c.street, 500),
        city: fit(&c.city, 255),
        postal_code: fit(&c.zip, 30),
        country: fit(&c.country, 255),
    };
    let has_address = !(address.line1.is_empty()
        && address.city.is_empty()
        && address.postal_code.is_empty()
        && address.country.is_empty());
    CustomerBody {
        display_name,
        primary_email_addr: email.map(|address| Email { address }),
        primary_phone: phone.map(|free_form_number| Phone { free_form_number }),
        bill_addr: has_address.then_some(address),
        active: mapping.active(c),
        preferred_delivery_method: delivery(mapping),
    }
}

fn document(doc: &Document, credit: bool, mapping: &Mapping) -> DocumentBody {
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let line = mapping
        .lines(doc, file_sign(doc, credit))
        .into_iter()
        .map(|line| Line {
            detail_type: "SalesItemLineDetail",
            amount: money(line.quantity * line.unit_amount),
            description: line.description,
            sales_item_line_detail: SalesItemLineDetail {
                item_ref: Ref::to(line.account),
                qty: number(line.quantity),
                unit_price: money(line.unit_amount),
                tax_code_ref: Ref::to(line.tax_type),
            },
        })
        .collect();
    DocumentBody {
        customer_ref: customer_ref(&doc.customer_id),
        doc_number: doc.number.trim().to_string(),
        txn_date: date(doc.issue_date),
        // An export without a due date means due on issue, as in the CSV import.
        due_date: (!credit).then(|| date(doc.due_date.unwrap_or(doc.issue_date))),
        currency_ref: Ref::to(doc.total.currency.code()),
        global_tax_calculation: match mapping.amounts {
            Amounts::Exclusive => "TaxExcluded",
            Amounts::Inclusive => "TaxInclusive",
        },
        line,
    }
}
