//! NetSuite: customers, invoices and credit memos as CSV files for NetSuite's Import
//! Assistant (Setup → Import/Export → Import CSV Records), from the documents the run stages
//! and the shared `[targets.mapping]` ([`crate::targets::mapping`]), with the classification
//! every record of the target carries from `[targets.netsuite]` ([`Classification`]).
//!
//! NetSuite's CSV import has no fixed template: the Import Assistant maps each column to a
//! field, matching columns named as its fields by itself ("Field Mapping" step; Oracle
//! NetSuite Help, "Invoice Import", "Customers Only Import": "You can use the field
//! definitions … as a basis for creating your own CSV import template file"). So the columns
//! carry the field labels (`External ID`, `Customer`, `Date`, `Item`, `Tax Code` …), and a
//! document's rows share its External ID — how the assistant groups an invoice's lines, and
//! how later payment imports find the invoice ("A payment can be associated with an invoice
//! through the internal ID or external ID only": Oracle, "Invoice Import"). Save the mapping
//! once as a saved import map; every batch then imports with it.
//!
//! With them, the run's customer payments ([`payments`]), applied to the invoices the
//! reconciliation placed the money on.
//!
//! Import the customers first, then the invoices, then the credit memos, then the customer
//! payments.
//!
//! With a `[targets.api]` section ([`api`]) the same records are staged as requests to
//! NetSuite's REST web services instead ([`requests`], [`api_payments`]), which `sluice
//! push` delivers in that order.

pub mod api;
pub mod api_payments;
pub mod files;
pub mod payments;
pub mod requests;
#[cfg(test)]
mod tests;

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::mapping::{Mapping, MappingProblem, Rules};
use super::payments::PaymentRules;
use super::{RenderedFile, RunFacts};
use crate::pipeline::Target;

/// What NetSuite's imports take. Names: a customer's Company Name takes 83 characters (the
/// customer record's `companyName`; its `entityId`, 80, is filled by the customer number,
/// which the External ID repeats). A category maps to an item (every NetSuite invoice line
/// names one; the item carries its income account), a VAT rate to a tax code, by the names
/// NetSuite shows.
pub static NETSUITE: Rules = Rules {
    platform: "NetSuite",
    own_numbers: Some((
        "netsuite",
        "the import files carry each document's number as its External ID (they group an invoice's lines by it, and payments find it by it): leave numbers out or write \"billing\"",
    )),
    platform_numbers: None,
    max_name: 83,
    name_replacements: &[],
    account: "item",
    max_account: 250,
    account_example: "Internet service",
    max_item: None,
    tax_rate: "tax code",
    tax_rate_example: "VAT_DE:S-DE",
    tax_on_lines: true,
    max_number: None,
    max_reference: None,
    rounding: false,
    net_only: true,
    payments: Some(PaymentRules {
        account: "account",
        max_account: MAX_VALUE,
        example: "Operating Account",
        required: true,
    }),
};

/// `[targets.netsuite]` as written: the classification NetSuite asks of every record, the
/// same for all the target stages (a OneWorld account needs the subsidiary).
#[derive(Debug, Default, Deserialize)]
pub struct ClassificationSection {
    pub subsidiary: Option<Spanned<String>>,
    pub class: Option<Spanned<String>>,
    pub department: Option<Spanned<String>>,
    pub location: Option<Spanned<String>>,
    /// Payment terms of the invoices (`Net 14`), as NetSuite names them.
    pub terms: Option<Spanned<String>>,
}

impl ClassificationSection {
    pub fn first_span(&self) -> Option<Range<usize>> {
        [
            &self.subsidiary,
            &self.class,
            &self.department,
            &self.location,
            &self.terms,
        ]
        .into_iter()
        .flatten()
        .map(Spanned::span)
        .min_by_key(|s| s.start)
    }
}

/// The classification, resolved: empty where not given (the import leaves the field to
/// NetSuite's default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classification {
    pub subsidiary: String,
    pub class: String,
    pub department: String,
    pub location: String,
    pub terms: String,
}

/// NetSuite's list values are names of up to this many characters.
const MAX_VALUE: usize = 250;

pub fn resolve(section: Option<&ClassificationSection>) -> (Classification, Vec<MappingProblem>) {
    let mut problems = Vec::new();
    let Some(section) = section else {
        return (Classification::default(), problems);
    };
    let mut value = |v: &Option<Spanned<String>>, key: &str| -> String {
        let Some(v) = v else {
            return String::new();
        };
        let text = v.get_ref().split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() || text.chars().count() > MAX_VALUE {
            problems.push(MappingProblem {
                span: v.span(),
                key: key.to_string(),
                message: format!(
                    "write the {key} as NetSuite names it (1 to {MAX_VALUE} characters), or leave it out"
                ),
            });
            return String::new();
        }
        text
    };
    let classification = Classification {
        subsidiary: value(&section.subsidiary, "subsidiary"),
        class: value(&section.class, "class"),
        department: value(&section.department, "department"),
        location: value(&section.location, "location"),
        terms: value(&section.terms, "terms"),
    };
    (classification, problems)
}

/// A NetSuite target's settings, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetSuite {
    pub mapping: Mapping,
    pub classification: Classification,
    /// With `[targets.api]`: the records go to NetSuite's REST API, not to CSV files.
    pub api: Option<api::Api>,
}

pub fn render(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let Some(netsuite) = &target.netsuite else {
        return Vec::new();
    };
    if netsuite.api.is_some() {
        let mut requests = requests::render(
            &target.name,
            netsuite,
            facts.customers,
            facts.staged_documents,
            facts.all_customers,
        );
        if let Some(accounts) = &netsuite.mapping.payments {
            requests.extend(api_payments::render(
                &target.name,
                netsuite,
                accounts,
                facts,
            ));
        }
        return requests;
    }
    let mut files = files::render(netsuite, &target.date_format, facts);
    if let Some(accounts) = &netsuite.mapping.payments {
        files.extend(payments::render(
            netsuite,
            accounts,
            &target.date_format,
            facts,
        ));
    }
    files
}
