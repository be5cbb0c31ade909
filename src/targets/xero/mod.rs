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
//! requests to Xero's Accounting API ([`payments`]), which `sluice push` delivers.

pub mod api;
pub mod contacts;
pub mod invoices;
pub mod mapping;
pub mod payments;
pub mod statements;

use super::{RenderedFile, RunFacts};
use crate::pipeline::Target;

pub use mapping::{Mapping, MappingSection, Refusal};

pub fn render(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    if let Some(mapping) = &target.xero_mapping {
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
        files.extend(payments::render(&target.name, api, facts));
    }
    files
}

/// A CSV file as Xero reads it: UTF-8, comma-separated, quoted where needed, CRLF lines.
pub fn csv_bytes<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; the csv crate only reports I/O errors of its writer.
    writer.write_record(header).expect("write to memory");
    for row in rows {
        writer.write_record(row.as_ref()).expect("write to memory");
    }
    writer.into_inner().expect("write to memory")
}
