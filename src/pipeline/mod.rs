//! The pipeline file: one company's whole setup, checked before anything is read.
//!
//! `schema` is the file as written; `load` checks it and resolves it into a [`Pipeline`]:
//! absolute paths (relative ones are taken from the pipeline file's own folder, so cron can
//! run sluice from `/`), compiled patterns, known currencies and encodings.

mod check;
pub mod data_check;
mod load;
mod rules;
mod schema;
mod watch;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use encoding_rs::Encoding;
use regex::Regex;
use rust_decimal::Decimal;

use crate::model::Currency;

pub use load::{PipelineError, Problem, load};
pub use schema::{AfterIntake, ColumnRef, ColumnSpec, Platform, Prices, SheetRef, SourceFormat};
pub use watch::{DEFAULT_SETTLE, WatchSettings, seconds};

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
    /// How `sluice watch` looks at the inbox.
    pub watch: WatchSettings,
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
    /// A pulled source (`xero_payments`): the target it is pulled from, and from which day.
    pub pull: Option<Pull>,
}

/// Where `sluice pull` takes a source's records from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pull {
    pub target: String,
    pub import_from: chrono::NaiveDate,
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
    /// Rule 2: money of an identified customer goes to their oldest open invoices.
    pub by_customer: bool,
    /// Whether rule 2 also looks for customer numbers and logins in the payment's text.
    pub customer_in_text: bool,
    /// Rule 3: the one open invoice of exactly the payment's amount, due within
    /// `amount_and_date_days` of the booking date.
    pub by_amount_and_date: bool,
    pub amount_and_date_days: u32,
    /// The difference allowed between a payment and an invoice's open amount.
    pub tolerance: Tolerance,
    /// An identified customer without an open invoice: their money becomes their credit
    /// (`true`) or waits for a person (`false`).
    pub credit_without_invoice: bool,
    /// A payment naming an invoice already paid: the money becomes the customer's credit
    /// (`true`) or waits for a person (`false`).
    pub credit_for_paid_invoices: bool,
    /// Money left once the invoices a payment names are paid in full pays its customer's
    /// other open invoices, oldest first (`true`), before any becomes their credit.
    pub rest_pays_other_invoices: bool,
    /// Bank entries booked before this day are recorded, not reconciled.
    pub import_from: Option<NaiveDate>,
    /// Money out to an identified customer with credit takes it off their credit.
    pub refunds_reduce_credit: bool,
}

/// What a pipeline without those keys does — what sluice did before each key existed, apart
/// from rules 2 and 3, which are on: no tolerance, money of an identified customer without
/// an open invoice waiting for a person, money for a paid invoice kept as credit, every
/// entry reconciled, refunds recorded as money out.
impl Default for ReconcileSettings {
    fn default() -> ReconcileSettings {
        ReconcileSettings {
            invoice_pattern: Regex::new(DEFAULT_INVOICE_PATTERN)
                .expect("the default invoice pattern is a valid regular expression"),
            partners_ignore: Vec::new(),
            by_customer: true,
            customer_in_text: true,
            by_amount_and_date: true,
            amount_and_date_days: DEFAULT_AMOUNT_AND_DATE_DAYS,
            tolerance: Tolerance::default(),
            credit_without_invoice: false,
            credit_for_paid_invoices: true,
            rest_pays_other_invoices: true,
            import_from: None,
            refunds_reduce_credit: false,
        }
    }
}

pub const DEFAULT_AMOUNT_AND_DATE_DAYS: u32 = 30;

/// `reconcile.tolerance`: how far a payment may be from an invoice's open amount and still
/// settle it, in the payment's own currency (`"0.05"` is EUR 0.05 for a euro payment and
/// USD 0.05 for a dollar one), or per currency. Zero, the default, allows no difference.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tolerance {
    /// For every currency not listed in `per_currency`.
    pub any: Decimal,
    pub per_currency: BTreeMap<Currency, Decimal>,
    /// `reconcile.tolerance_account`: where the differences are booked.
    pub account: String,
}

impl Tolerance {
    pub fn allowed(&self, currency: Currency) -> Decimal {
        self.per_currency
            .get(&currency)
            .copied()
            .unwrap_or(self.any)
    }

    pub fn is_off(&self) -> bool {
        self.any.is_zero() && self.per_currency.values().all(Decimal::is_zero)
    }
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
    /// Journal targets: where each fact is booked (the defaults for other platforms, which
    /// do not read them).
    pub accounts: crate::targets::journal::Accounts,
    /// Xero targets with a `[targets.mapping]`: how documents and customers become Xero's
    /// invoices, credit notes and contacts. Without one, a Xero target stages bank
    /// statements only.
    pub xero_mapping: Option<crate::targets::xero::Mapping>,
    /// Xero targets with a `[targets.api]`: where and how payments are pushed.
    pub xero_api: Option<crate::targets::xero::api::Api>,
    /// Xero targets: one bank statement file per run (the default), day or month.
    pub statements: crate::targets::xero::statements::Grouping,
    /// QuickBooks targets: the edition the files are for, and the mapping.
    pub quickbooks: Option<crate::targets::quickbooks::QuickBooks>,
    /// Sage targets: the mapping of customers, invoices and credit notes.
    pub sage: Option<crate::targets::mapping::Mapping>,
    /// Sage targets with a `[targets.api]`: customers, documents and receipts pushed.
    pub sage_api: Option<crate::targets::sage::api::Api>,
    /// NetSuite targets: the mapping, and the classification of every record.
    pub netsuite: Option<crate::targets::netsuite::NetSuite>,
}

impl Target {
    /// The mapping of a target that imports documents (Xero with a mapping, QuickBooks, Sage,
    /// NetSuite):
    /// the documents it stages must pass it, the others are held.
    pub fn document_mapping(&self) -> Option<&crate::targets::mapping::Mapping> {
        self.xero_mapping
            .as_ref()
            .or(self.quickbooks.as_ref().map(|q| &q.mapping))
            .or(self.sage.as_ref())
            .or(self.netsuite.as_ref().map(|n| &n.mapping))
    }
}

impl Platform {
    pub fn as_str(&self) -> &'static str {
        match self {
            Platform::Xero => "xero",
            Platform::QuickBooks => "quickbooks",
            Platform::Sage => "sage",
            Platform::NetSuite => "netsuite",
            Platform::Hledger => "hledger",
            Platform::Beancount => "beancount",
        }
    }

    /// Whether the target writes a plain-text journal (and reads `[targets.accounts]`).
    pub fn is_journal(&self) -> bool {
        matches!(self, Platform::Hledger | Platform::Beancount)
    }
}
