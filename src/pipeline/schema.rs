//! The pipeline file as written: TOML sections, their defaults, nothing resolved yet.
//!
//! Positions (`Spanned`) are kept on every value `sluice check` may have to point at, so a
//! problem found after parsing still names its line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::targets::journal::AccountsSection;
use crate::targets::mapping::MappingSection;

/// The file's sections, each read on its own (see `load::parts`); a section that could
/// not be read is absent and `complete` is false.
#[derive(Debug, Default)]
pub struct PipelineFile {
    pub name: Option<Spanned<String>>,
    pub inbox: Option<InboxSection>,
    pub ledger: Option<PathSection>,
    pub outbox: Option<PathSection>,
    pub sources: Vec<SourceSection>,
    pub reconcile: Option<ReconcileSection>,
    pub targets: Vec<TargetSection>,
    pub watch: Option<WatchSection>,
    pub complete: bool,
}

#[derive(Debug, Deserialize)]
pub struct InboxSection {
    pub path: Spanned<String>,
    #[serde(default)]
    pub after: AfterIntake,
    pub archive: Option<Spanned<String>>,
    pub quarantine: Option<Spanned<String>>,
}

/// What happens to an input once its run has committed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AfterIntake {
    /// Move it to `archive/YYYY/MM/`.
    #[default]
    Archive,
    /// Leave it where it is; the file registry remembers it was applied.
    Keep,
}

/// `[watch]`: how `sluice watch` sees the inbox. Durations are seconds, fractions allowed
/// (`0.5`); they are times, not money, so a float is fine here.
#[derive(Debug, Default, Deserialize)]
pub struct WatchSection {
    /// How long a file's size and modification time must stay unchanged before it is read.
    pub settle_seconds: Option<Spanned<f64>>,
    /// Look at the inbox every this many seconds instead of waiting for the operating
    /// system's file events (which network shares often do not send).
    pub poll_seconds: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
pub struct PathSection {
    pub path: Spanned<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    BankCsv,
    InvoiceCsv,
    /// The billing system's customer export (CSV or spreadsheet, mapped by [columns]).
    Customers,
    /// The billing system's transaction export: its debit/credit history (CSV or
    /// spreadsheet, mapped by [columns]).
    Transactions,
    /// ISO 20022 camt.052, camt.053 and camt.054, any version (the namespace tells).
    Camt,
    /// SWIFT MT940 and MT942.
    Mt940,
    /// SEPA direct-debit collections we sent (pain.008), any version.
    Pain008,
    /// SEPA payment status reports (pain.002), any version.
    Pain002,
    /// PayPal activity download or statement CSV. This and the three gateway formats below
    /// are read by `sluice inspect`; `sluice check` refuses them in a pipeline until a run
    /// can apply them.
    #[serde(rename = "paypal")]
    PayPal,
    /// Braintree transaction search download.
    Braintree,
    /// GoCardless payments or payouts export.
    #[serde(rename = "gocardless")]
    GoCardless,
    /// Stripe itemized payout reconciliation or payouts report.
    Stripe,
    /// Payments received in Xero that `sluice pull` took from a Xero target's API.
    #[serde(rename = "xero_payments")]
    XeroPayments,
}

impl SourceFormat {
    /// The name as a pipeline file writes it (`format = "bank_csv"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            SourceFormat::BankCsv => "bank_csv",
            SourceFormat::InvoiceCsv => "invoice_csv",
            SourceFormat::Customers => "customers",
            SourceFormat::Transactions => "transactions",
            SourceFormat::Camt => "camt",
            SourceFormat::Mt940 => "mt940",
            SourceFormat::Pain008 => "pain008",
            SourceFormat::Pain002 => "pain002",
            SourceFormat::PayPal => "paypal",
            SourceFormat::Braintree => "braintree",
            SourceFormat::GoCardless => "gocardless",
            SourceFormat::Stripe => "stripe",
            SourceFormat::XeroPayments => "xero_payments",
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SourceSection {
    pub name: Spanned<String>,
    pub format: Spanned<SourceFormat>,
    /// File-name patterns (`bank-*.csv`), matched case-insensitively.
    pub files: Spanned<Vec<String>>,
    #[serde(default = "default_encoding")]
    pub encoding: Spanned<String>,
    #[serde(default = "default_delimiter")]
    pub delimiter: Spanned<String>,
    /// Which sheet of a workbook (XLSX, XLS, ODS): its name, or its number counted from 1.
    /// The first sheet when not given; not used for CSV.
    pub sheet: Option<Spanned<SheetRef>>,
    /// Lines (or sheet rows) before the header (bank name, account, period …).
    #[serde(default)]
    pub skip_lines: usize,
    /// Summary rows at the end (totals, closing balance).
    #[serde(default)]
    pub skip_trailing: usize,
    #[serde(default = "default_true")]
    pub header: bool,
    #[serde(default = "default_date_format")]
    pub date_format: Spanned<String>,
    #[serde(default = "default_decimal")]
    pub decimal: Spanned<String>,
    #[serde(default = "default_thousands")]
    pub thousands: Spanned<String>,
    /// Currency of rows that carry none.
    pub currency: Option<Spanned<String>>,
    /// The statement's own account (IBAN or number), when the file has no account column.
    pub account: Option<Spanned<String>>,
    /// Values of the `direction` column that mean money out / money in.
    pub debit_marks: Option<Spanned<Vec<String>>>,
    pub credit_marks: Option<Spanned<Vec<String>>>,
    /// Whether an invoice export's unit prices and line totals include VAT (`gross`) or
    /// not (`net`, the default).
    pub prices: Option<Spanned<Prices>>,
    /// Where each value is, for CSV formats; XML and SWIFT formats say it themselves.
    pub columns: Option<Spanned<BTreeMap<String, Spanned<ColumnSpec>>>>,
    /// `xero_payments`: the Xero target whose API `sluice pull` reads.
    pub target: Option<Spanned<String>>,
    /// `xero_payments`: the first day whose payments `sluice pull` takes.
    pub import_from: Option<Spanned<toml::Value>>,
}

/// How an invoice export states its lines' prices. Billing systems differ: most export
/// net line totals with the VAT beside them, shops selling to consumers often gross ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Prices {
    /// Unit price and line total exclude VAT: a document's total is its lines' totals
    /// plus their VAT.
    #[default]
    Net,
    /// Unit price and line total include VAT: a document's total is its lines' totals,
    /// and each line's VAT is the part of its total that is VAT.
    Gross,
}

/// A column by header name, by 1-based position, or several joined (for text).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ColumnSpec {
    One(ColumnRef),
    Many(Vec<ColumnRef>),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ColumnRef {
    Name(String),
    Position(i64),
}

/// A sheet by its name as its tab shows it, or by its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum SheetRef {
    Name(String),
    Position(i64),
}

#[derive(Debug, Default, Deserialize)]
pub struct ReconcileSection {
    /// Regular expression that finds invoice numbers in remittance text and references:
    /// the same as `invoice_patterns` with one pattern.
    pub invoice_pattern: Option<Spanned<String>>,
    /// Regular expressions that find invoice numbers, for billing systems (or a change of
    /// numbering) with more than one form of number.
    pub invoice_patterns: Option<Spanned<Vec<Spanned<String>>>>,
    /// Partners (resellers) whose customers are accounted by the partner, not by us: their
    /// customers, documents and payments are recorded but kept out of reconciliation and of
    /// every target.
    pub partners_ignore: Option<Spanned<Vec<String>>>,
    /// Rule 2 (customer identified) on or off; on when absent.
    pub by_customer: Option<bool>,
    /// Whether rule 2 looks for customer numbers and logins in the text; yes when absent.
    pub customer_in_text: Option<bool>,
    /// Rule 3 (amount and date) on or off; on when absent.
    pub by_amount_and_date: Option<bool>,
    /// Rule 3's window around the booking date, in days.
    pub amount_and_date_days: Option<Spanned<i64>>,
    /// `"0.05"`, or per currency `{ EUR = "0.05", CHF = "0.10" }`: read as TOML values so
    /// that `check` can refuse a float (binary, inexact) and name the line.
    pub tolerance: Option<Spanned<toml::Value>>,
    pub tolerance_account: Option<Spanned<String>>,
    pub credit_without_invoice: Option<bool>,
    pub credit_for_paid_invoices: Option<bool>,
    pub rest_pays_other_invoices: Option<bool>,
    /// A TOML date (`2026-01-01`) or the same in quotes.
    pub import_from: Option<Spanned<toml::Value>>,
    pub refunds_reduce_credit: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Xero,
    /// QuickBooks Online (CSV imports) or Desktop (IIF files), by the target's `edition`.
    #[serde(rename = "quickbooks")]
    QuickBooks,
    /// Sage Business Cloud Accounting (Sage One South Africa): CSV imports.
    Sage,
    /// NetSuite: CSV files for the Import Assistant.
    #[serde(rename = "netsuite")]
    NetSuite,
    /// A plain-text journal for hledger.
    Hledger,
    /// A plain-text journal for beancount.
    Beancount,
}

#[derive(Debug, Deserialize)]
pub struct TargetSection {
    pub name: Spanned<String>,
    pub platform: Spanned<Platform>,
    #[serde(default = "default_target_date_format")]
    pub date_format: Spanned<String>,
    /// Journal targets: the account each kind of fact is booked to.
    pub accounts: Option<AccountsSection>,
    /// Xero, QuickBooks, Sage and NetSuite targets: accounts, tax rates and customer names for
    /// invoices and customers.
    pub mapping: Option<MappingSection>,
    /// Xero targets: pushing payments (and documents) through the Accounting API;
    /// QuickBooks Online targets: customers, documents and payments through Intuit's API.
    pub api: Option<crate::targets::api_section::ApiSection>,
    /// Xero targets: `run` (the default), `day` or `month`: one bank statement per …
    pub statements: Option<Spanned<String>>,
    /// QuickBooks targets: `online` (the default) or `desktop`.
    pub edition: Option<Spanned<String>>,
    /// NetSuite targets: subsidiary, class, department, location and terms of every record.
    pub netsuite: Option<crate::targets::netsuite::ClassificationSection>,
}

fn default_encoding() -> Spanned<String> {
    Spanned::new(0..0, "utf-8".to_string())
}
fn default_delimiter() -> Spanned<String> {
    Spanned::new(0..0, ",".to_string())
}
fn default_date_format() -> Spanned<String> {
    Spanned::new(0..0, "%Y-%m-%d".to_string())
}
fn default_target_date_format() -> Spanned<String> {
    Spanned::new(0..0, "%d/%m/%Y".to_string())
}
fn default_decimal() -> Spanned<String> {
    Spanned::new(0..0, ".".to_string())
}
fn default_thousands() -> Spanned<String> {
    Spanned::new(0..0, String::new())
}
fn default_true() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::SourceFormat;

    #[test]
    fn a_format_is_named_as_the_pipeline_file_writes_it() {
        #[derive(serde::Deserialize)]
        struct One {
            format: SourceFormat,
        }
        for format in [
            SourceFormat::BankCsv,
            SourceFormat::InvoiceCsv,
            SourceFormat::Customers,
            SourceFormat::Transactions,
            SourceFormat::Camt,
            SourceFormat::Mt940,
            SourceFormat::Pain008,
            SourceFormat::Pain002,
            SourceFormat::PayPal,
            SourceFormat::Braintree,
            SourceFormat::GoCardless,
            SourceFormat::Stripe,
            SourceFormat::XeroPayments,
        ] {
            let read: One = toml::from_str(&format!("format = \"{}\"", format.as_str()))
                .expect("a name the pipeline file takes");
            assert_eq!(read.format, format);
        }
    }
}
