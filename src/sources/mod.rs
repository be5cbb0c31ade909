//! Input formats: each module turns the bytes of one file into canonical records, or into
//! a located error (file, line, column, what to do). A source knows nothing of targets.

mod bank_csv;
mod camt;
mod cell;
mod customers;
mod delimited;
mod fields;
mod gateway;
mod invoice_csv;
mod iso_xml;
mod mt940;
mod pain002;
mod pain008;
mod row_values;
mod sheet;
mod statement;
mod table;
mod transactions;
mod xero_payments;

use std::collections::BTreeMap;
use std::fmt;

use thiserror::Error;

use crate::model::{
    BankLine, BillingTransaction, Customer, DirectDebit, Document, Gateway, PaymentStatus,
};
use crate::pipeline::{ColumnSpec, Source, SourceFormat};

pub use fields::{parse_amount, parse_date};
pub use gateway::{
    ClearingEntries, GatewayExport, clearing_account, clearing_entries, implied_payout,
};
pub use statement::{Balance, Statement};
pub use xero_payments::{PullHeader, xero_date};

/// The bytes of one dropped file, with what identifies it.
pub struct InputFile<'a> {
    pub name: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
}

#[derive(Debug)]
pub enum Records {
    BankLines(Vec<BankLine>),
    Statements(Vec<Statement>),
    Documents(Vec<Document>),
    Customers(Vec<Customer>),
    /// The billing system's debit/credit history.
    Transactions(Vec<BillingTransaction>),
    DirectDebits(Vec<DirectDebit>),
    PaymentStatuses(Vec<PaymentStatus>),
    /// A payment gateway's export: its transactions and payouts. Read by `sluice inspect`;
    /// a run does not accept these formats yet (see [`parse`]).
    Gateway(GatewayExport),
}

impl Records {
    /// Records read: entries (booked or not), documents, or a gateway's transactions and
    /// payouts.
    pub fn len(&self) -> usize {
        match self {
            Records::BankLines(v) => v.len(),
            Records::Statements(v) => v.iter().map(|s| s.lines.len() + s.not_booked.len()).sum(),
            Records::Documents(v) => v.len(),
            Records::Customers(v) => v.len(),
            Records::Transactions(v) => v.len(),
            Records::DirectDebits(v) => v.len(),
            Records::PaymentStatuses(v) => v.len(),
            Records::Gateway(g) => g.transactions.len() + g.payouts.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a file cannot be read, located as precisely as the format allows.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub struct SourceError {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<String>,
    /// Where in an XML document (`/Document/BkToCstmrStmt/Stmt/Ntry[3]/Amt`) or which tag.
    pub path: Option<String>,
    pub message: String,
    /// What a person can do about it.
    pub hint: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(path) = &self.path {
            write!(f, "at {path}: ")?;
        }
        if let Some(column) = &self.column {
            write!(f, "column \"{column}\": ")?;
        }
        write!(f, "{}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " — {}", self.hint)?;
        }
        Ok(())
    }
}

/// Parses one file with the source whose file-name pattern it matched.
pub fn parse(source: &Source, file: &InputFile<'_>) -> Result<Records, SourceError> {
    match source.format {
        SourceFormat::BankCsv => bank_csv::parse(source, file).map(Records::BankLines),
        SourceFormat::InvoiceCsv => invoice_csv::parse(source, file).map(Records::Documents),
        SourceFormat::Customers => customers::parse(source, file).map(Records::Customers),
        SourceFormat::Transactions => transactions::parse(source, file).map(Records::Transactions),
        SourceFormat::XeroPayments => xero_payments::parse(source, file).map(Records::BankLines),
        format => parse_standard(format, file),
    }
}

/// The gateway whose exports a format names, if it is a gateway format.
pub fn gateway_of(format: SourceFormat) -> Option<Gateway> {
    match format {
        SourceFormat::PayPal => Some(Gateway::PayPal),
        SourceFormat::Braintree => Some(Gateway::Braintree),
        SourceFormat::GoCardless => Some(Gateway::GoCardless),
        SourceFormat::Stripe => Some(Gateway::Stripe),
        SourceFormat::BankCsv
        | SourceFormat::InvoiceCsv
        | SourceFormat::Customers
        | SourceFormat::Transactions
        | SourceFormat::Camt
        | SourceFormat::Mt940
        | SourceFormat::Pain008
        | SourceFormat::Pain002
        | SourceFormat::XeroPayments => None,
    }
}

fn format_of(gateway: Gateway) -> SourceFormat {
    match gateway {
        Gateway::PayPal => SourceFormat::PayPal,
        Gateway::Braintree => SourceFormat::Braintree,
        Gateway::GoCardless => SourceFormat::GoCardless,
        Gateway::Stripe => SourceFormat::Stripe,
    }
}

/// Parses a file in a format that describes itself (XML, SWIFT, a gateway's export), which
/// needs no mapping. The CSV and spreadsheet formats need their source's layout: asked for
/// one, this refuses the file.
pub fn parse_standard(format: SourceFormat, file: &InputFile<'_>) -> Result<Records, SourceError> {
    match format {
        SourceFormat::Camt => camt::parse(file).map(Records::Statements),
        SourceFormat::Mt940 => mt940::parse(file).map(Records::Statements),
        SourceFormat::Pain008 => pain008::parse(file).map(Records::DirectDebits),
        SourceFormat::Pain002 => pain002::parse(file).map(Records::PaymentStatuses),
        SourceFormat::PayPal => gateway::parse(Gateway::PayPal, file).map(Records::Gateway),
        SourceFormat::Braintree => gateway::parse(Gateway::Braintree, file).map(Records::Gateway),
        SourceFormat::GoCardless => gateway::parse(Gateway::GoCardless, file).map(Records::Gateway),
        SourceFormat::Stripe => gateway::parse(Gateway::Stripe, file).map(Records::Gateway),
        SourceFormat::XeroPayments => Err(SourceError {
            file: file.name.to_string(),
            line: None,
            column: None,
            path: None,
            message: "payments pulled from Xero belong to the bank account they came in on"
                .to_string(),
            hint: "read them through the pipeline's xero_payments source, which names it"
                .to_string(),
        }),
        SourceFormat::BankCsv
        | SourceFormat::InvoiceCsv
        | SourceFormat::Customers
        | SourceFormat::Transactions => Err(SourceError {
            file: file.name.to_string(),
            line: None,
            column: None,
            path: None,
            message: "a CSV export or spreadsheet has no standard layout".to_string(),
            hint: "read it through a pipeline source whose [columns] describe it".to_string(),
        }),
    }
}

/// Recognises a self-describing format by the file's content (XML namespace, SWIFT tags, a
/// gateway export's header row), never by its name. `None` for anything else, bank and
/// billing CSVs included.
pub fn detect(bytes: &[u8]) -> Option<SourceFormat> {
    if camt::sniff(bytes) {
        Some(SourceFormat::Camt)
    } else if pain008::sniff(bytes) {
        Some(SourceFormat::Pain008)
    } else if pain002::sniff(bytes) {
        Some(SourceFormat::Pain002)
    } else if mt940::sniff(bytes) {
        Some(SourceFormat::Mt940)
    } else {
        gateway::sniff(bytes).map(format_of)
    }
}

/// A problem with a source's `[columns]` mapping; `role` is the key it concerns, if any.
pub struct ColumnProblem {
    pub role: Option<String>,
    pub message: String,
}

/// Checks a `[columns]` mapping against what the format needs.
pub fn check_columns(
    format: SourceFormat,
    columns: &BTreeMap<String, ColumnSpec>,
) -> Vec<ColumnProblem> {
    match format {
        SourceFormat::BankCsv => bank_csv::check_columns(columns),
        SourceFormat::InvoiceCsv => invoice_csv::check_columns(columns),
        SourceFormat::Customers => customers::check_columns(columns),
        SourceFormat::Transactions => transactions::check_columns(columns),
        SourceFormat::Camt
        | SourceFormat::Mt940
        | SourceFormat::Pain008
        | SourceFormat::Pain002
        | SourceFormat::PayPal
        | SourceFormat::Braintree
        | SourceFormat::GoCardless
        | SourceFormat::Stripe
        | SourceFormat::XeroPayments => self_describing(columns),
    }
}

/// XML, SWIFT and gateway formats say where each value is; a `[columns]` mapping has no
/// place there.
fn self_describing(columns: &BTreeMap<String, ColumnSpec>) -> Vec<ColumnProblem> {
    columns
        .keys()
        .map(|role| ColumnProblem {
            role: Some(role.clone()),
            message: "this format says itself where each value is: remove [columns]".to_string(),
        })
        .collect()
}

/// Roles a format knows; anything else in `[columns]` is a typo.
fn unknown_roles(
    columns: &BTreeMap<String, ColumnSpec>,
    known: &[&str],
    problems: &mut Vec<ColumnProblem>,
) {
    for role in columns.keys() {
        if !known.contains(&role.as_str()) {
            problems.push(ColumnProblem {
                role: Some(role.clone()),
                message: format!("unknown column role (known: {})", known.join(", ")),
            });
        }
    }
}

fn require(columns: &BTreeMap<String, ColumnSpec>, role: &str, problems: &mut Vec<ColumnProblem>) {
    if !columns.contains_key(role) {
        problems.push(ColumnProblem {
            role: None,
            message: format!("missing mapping for `{role}`: name its column"),
        });
    }
}

/// Roles that take exactly one column (only text may join several).
fn single_columns(
    columns: &BTreeMap<String, ColumnSpec>,
    multi: &[&str],
    problems: &mut Vec<ColumnProblem>,
) {
    for (role, spec) in columns {
        if matches!(spec, ColumnSpec::Many(_)) && !multi.contains(&role.as_str()) {
            problems.push(ColumnProblem {
                role: Some(role.clone()),
                message: "takes one column, not a list".to_string(),
            });
        }
    }
}
