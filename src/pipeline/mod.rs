//! The pipeline file: one company's whole setup, checked before anything is read.
//!
//! `schema` is the file as written; `load` checks it and resolves it into a [`Pipeline`]:
//! absolute paths (relative ones are taken from the pipeline file's own folder, so cron can
//! run sluice from `/`), compiled patterns, known currencies and encodings.

mod check;
mod load;
mod schema;

use std::collections::BTreeMap;
use std::path::PathBuf;

use encoding_rs::Encoding;
use regex::Regex;

use crate::model::Currency;

pub use load::{PipelineError, Problem, load};
pub use schema::{AfterIntake, ColumnRef, ColumnSpec, Platform, Prices, SheetRef, SourceFormat};

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub name: String,
    /// The pipeline file itself, as given (used in messages: "fix … in pipelines/acme.toml").
    pub file: PathBuf,
    pub inbox: PathBuf,
    pub after: AfterIntake,
    pub archive: PathBuf,
    pub quarantine: PathBuf,
    pub ledger: PathBuf,
    pub outbox: PathBuf,
    pub sources: Vec<Source>,
    pub reconcile: ReconcileSettings,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub format: SourceFormat,
    pub patterns: Vec<glob::Pattern>,
    pub layout: CsvLayout,
    /// Role (`amount`, `booking_date` …) → the column(s) that hold it.
    pub columns: BTreeMap<String, ColumnSpec>,
    pub currency: Option<Currency>,
    /// Invoice exports: whether line prices include VAT.
    pub prices: Prices,
    pub account: Option<String>,
    pub debit_marks: Vec<String>,
    pub credit_marks: Vec<String>,
}

impl Source {
    pub fn matches_file_name(&self, name: &str) -> bool {
        let options = glob::MatchOptions {
            case_sensitive: false,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        self.patterns.iter().any(|p| p.matches_with(name, options))
    }
}

/// How a CSV export or a spreadsheet is laid out: the same settings for every source with
/// a `[columns]` mapping. `encoding` and `delimiter` concern text only, `sheet` workbooks
/// only; the rest counts lines of text and rows of a sheet alike.
#[derive(Debug, Clone)]
pub struct CsvLayout {
    pub encoding: &'static Encoding,
    pub delimiter: u8,
    /// The workbook's sheet to read; the first one when `None`.
    pub sheet: Option<SheetRef>,
    pub skip_lines: usize,
    pub skip_trailing: usize,
    pub header: bool,
    pub date_format: String,
    pub decimal: char,
    pub thousands: Option<char>,
}

#[derive(Debug, Clone)]
pub struct ReconcileSettings {
    /// Finds invoice numbers: `reconcile.invoice_patterns` (or the one `invoice_pattern`)
    /// joined into one expression by [`joined_pattern`].
    pub invoice_pattern: Regex,
    /// `reconcile.partners_ignore` as written, each trimmed; compare with [`same_partner`].
    pub partners_ignore: Vec<String>,
}

/// Partner names as people type them: `Reseller North`, ` reseller north `.
pub fn same_partner(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Finds `INV-2026-0042`, `inv 2026 0042` and `INV2026-0042` alike.
pub const DEFAULT_INVOICE_PATTERN: &str = r"(?i)\bINV[\s\-/_.]*\d{4}[\s\-/_.]*\d{1,6}\b";

/// Several patterns as one expression that finds what any of them finds, read left to right
/// through a text once: where two patterns fit at the same place, the one listed first
/// wins, so a number is never found twice. Each pattern keeps its own flags (`(?i)`).
pub fn joined_pattern(patterns: &[String]) -> Result<Regex, regex::Error> {
    let alternatives: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
    Regex::new(&alternatives.join("|"))
}

#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub platform: Platform,
    pub date_format: String,
}

impl Platform {
    pub fn as_str(&self) -> &'static str {
        match self {
            Platform::Xero => "xero",
        }
    }
}
