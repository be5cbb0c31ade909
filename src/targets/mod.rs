//! Targets render committed ledger facts for one platform. A target knows nothing of
//! sources: it reads bank lines and matches as the ledger holds them, so rendering the
//! same facts again gives the same bytes (the basis of `replay` and of the golden tests).

mod xero;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::{BankLine, Match};
use crate::pipeline::{Platform, Target};

/// The facts of one run a target may render.
pub struct RunFacts<'a> {
    /// Applied (not duplicate) bank lines, in statement order.
    pub bank_lines: &'a [BankLine],
    pub matches: &'a [Match],
}

/// One file of a batch, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// Data records in the file (header not counted).
    pub records: u64,
    /// Sum of amounts per currency.
    pub totals: BTreeMap<String, Decimal>,
}

pub fn render(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    match target.platform {
        Platform::Xero => xero::render_bank_statements(target, facts),
    }
}
