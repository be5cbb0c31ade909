//! Xero: what a person imports into Xero by hand, as Xero's own CSV import files.
//!
//! - bank statement lines, one file per bank account ([`statements`]), always;
//! - with a `[targets.mapping]` section ([`mapping`]): the contacts ([`contacts`]), sales
//!   invoices and credit notes ([`invoices`]) of the documents the run stages.
//!
//! Import the contacts first, then the invoices and credit notes, then the statements: a
//! statement line's reference names the invoices Xero's matching then finds.
//!
//! With a `[targets.api]` section ([`api`]) the payments of the run are also staged as
//! requests to Xero's Accounting API ([`payments`]), which `sluice push` delivers; with
//! `documents = "api"` in it, so are the contacts, invoices and credit notes
//! ([`api_documents`]), in place of their CSV files.

pub mod api;
pub mod api_documents;
pub mod bank_transactions;
pub mod contacts;
pub mod invoices;
pub mod mapping;
pub mod payments;
pub mod settings;
pub mod statements;

pub use super::csv_bytes;
use super::{RenderedFile, RunFacts};
use crate::pipeline::Target;

pub use mapping::{Mapping, MappingSection, Refusal};

pub fn render(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    let by_api = target
        .xero_api
        .as_ref()
        .filter(|api| api.documents == api::DocumentsBy::Api);
    if let (Some(mapping), Some(api)) = (&target.xero_mapping, by_api) {
        files.extend(api_documents::render(
            &target.name,
            api,
            mapping,
            facts.customers,
            facts.staged_documents,
            facts.all_customers,
        ));
    } else if let Some(mapping) = &target.xero_mapping {
        files.extend(contacts::render(
            mapping,
            facts.customers,
            facts.staged_documents,
            facts.all_customers,
        ));
        files.extend(invoices::render(
            mapping,
            &target.date_format,
            facts.staged_documents,
            facts.all_customers,
        ));
    }
    files.extend(statements::render_bank_statements(target, facts));
    if let Some(api) = &target.xero_api {
        let by_id = by_api.is_some()
            && target
                .xero_mapping
                .as_ref()
                .is_some_and(|m| m.numbers == mapping::Numbers::Platform);
        files.extend(payments::render(&target.name, api, by_id, facts));
        let default_mapping = Mapping::new(&mapping::XERO);
        let names = target.xero_mapping.as_ref().unwrap_or(&default_mapping);
        files.extend(bank_transactions::render(&target.name, api, names, facts));
    }
    files
}
