//! Customers as Xero's contact import file (Contacts › All contacts › Import).
//!
//! The columns are those of Xero's contact template, in its order (the heading row that
//! Xero's "Download template file" gives, as public importers of it spell it out). Xero
//! takes at most 1,000 contacts per file (Xero Central, "Import contacts"), so larger
//! batches are split in parts of 1,000.
//!
//! Which customers: every customer the run wrote a new or changed version of, and every
//! customer an invoice or credit note of the batch names. Xero's invoice import would create
//! a missing contact by name on its own, but without its email, address and VAT number; with
//! the contact file imported first, every document lands on a complete contact. The contact
//! name is the mapping's `contact_name`, the same in both files, which is how Xero ties them.

use std::collections::{BTreeMap, HashMap};

use super::csv_bytes;
use super::mapping::{ContactFacts, Mapping};
use crate::ledger::{CustomerRow, DocumentRow};
use crate::model::Customer;
use crate::targets::RenderedFile;
use crate::targets::mapping::{StagedCustomer, customers_to_stage};

pub const HEADER: [&str; 73] = [
    "*ContactName",
    "AccountNumber",
    "EmailAddress",
    "FirstName",
    "LastName",
    "POAttentionTo",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "SAAttentionTo",
    "SAAddressLine1",
    "SAAddressLine2",
    "SAAddressLine3",
    "SAAddressLine4",
    "SACity",
    "SARegion",
    "SAPostalCode",
    "SACountry",
    "PhoneNumber",
    "FaxNumber",
    "MobileNumber",
    "DDINumber",
    "SkypeName",
    "BankAccountName",
    "BankAccountNumber",
    "BankAccountParticulars",
    "TaxNumber",
    "AccountsReceivableTaxCodeName",
    "AccountsPayableTaxCodeName",
    "Website",
    "LegalName",
    "Discount",
    "CompanyNumber",
    "DueDateBillDay",
    "DueDateBillTerm",
    "DueDateSalesDay",
    "DueDateSalesTerm",
    "SalesAccount",
    "PurchasesAccount",
    "TrackingName1",
    "SalesTrackingOption1",
    "PurchasesTrackingOption1",
    "TrackingName2",
    "SalesTrackingOption2",
    "PurchasesTrackingOption2",
    "BrandingTheme",
    "DefaultTaxBills",
    "DefaultTaxSales",
    "Person1FirstName",
    "Person1LastName",
    "Person1Email",
    "Person1IncludeInEmail",
    "Person2FirstName",
    "Person2LastName",
    "Person2Email",
    "Person2IncludeInEmail",
    "Person3FirstName",
    "Person3LastName",
    "Person3Email",
    "Person3IncludeInEmail",
    "Person4FirstName",
    "Person4LastName",
    "Person4Email",
    "Person4IncludeInEmail",
    "Person5FirstName",
    "Person5LastName",
    "Person5Email",
    "Person5IncludeInEmail",
];

/// Xero's limit of contacts in one import file.
pub const MAX_CONTACTS_PER_FILE: usize = 1000;

/// One contact: a customer as the ledger knows them, or (for a customer no export has
/// named) what their document says.
struct Contact {
    name: String,
    account_number: String,
    email: String,
    street: String,
    city: String,
    zip: String,
    country: String,
    phone: String,
    tax_number: String,
}

/// The contact files of a batch; nothing when there is no contact to stage.
pub fn render(
    mapping: &Mapping,
    changed: &[CustomerRow],
    documents: &[DocumentRow],
    customers: &HashMap<String, (i64, Customer)>,
) -> Vec<RenderedFile> {
    // By customer number: one row per customer, whichever way they came in.
    let contacts: Vec<Contact> = customers_to_stage(changed, documents, customers)
        .into_iter()
        .map(|(id, staged)| match staged {
            StagedCustomer::Known(c) => of_customer(mapping, c),
            StagedCustomer::FromDocument(doc) => Contact {
                name: mapping.contact_name(&ContactFacts::of_document(doc)),
                account_number: id,
                email: String::new(),
                street: String::new(),
                city: String::new(),
                zip: String::new(),
                country: String::new(),
                phone: String::new(),
                tax_number: String::new(),
            },
        })
        .collect();
    let parts = contacts.len().div_ceil(MAX_CONTACTS_PER_FILE);
    contacts
        .chunks(MAX_CONTACTS_PER_FILE)
        .enumerate()
        .map(|(i, chunk)| {
            let name = if parts > 1 {
                format!("xero-contacts-part{}.csv", i + 1)
            } else {
                "xero-contacts.csv".to_string()
            };
            let rows: Vec<Vec<String>> = chunk.iter().map(row).collect();
            RenderedFile {
                name,
                bytes: csv_bytes(&HEADER, &rows),
                records: rows.len() as u64,
                totals: BTreeMap::new(),
            }
        })
        .collect()
}

fn of_customer(mapping: &Mapping, c: &Customer) -> Contact {
    Contact {
        name: mapping.contact_name(&ContactFacts::of_customer(c)),
        account_number: c.id.trim().to_string(),
        email: c.email.trim().to_string(),
        street: c.street.trim().to_string(),
        city: c.city.trim().to_string(),
        zip: c.zip.trim().to_string(),
        country: c.country.trim().to_string(),
        phone: c.phone.trim().to_string(),
        tax_number: c.vat_id.trim().to_string(),
    }
}

fn row(c: &Contact) -> Vec<String> {
    let mut row = vec![String::new(); HEADER.len()];
    let mut set = |column: &str, value: &str| {
        if let Some(i) = HEADER.iter().position(|h| *h == column) {
            row[i] = value.to_string();
        }
    };
    set("*ContactName", &c.name);
    set("AccountNumber", &c.account_number);
    set("EmailAddress", &c.email);
    set("POAddressLine1", &c.street);
    set("POCity", &c.city);
    set("POPostalCode", &c.zip);
    set("POCountry", &c.country);
    set("PhoneNumber", &c.phone);
    set("TaxNumber", &c.tax_number);
    row
}
