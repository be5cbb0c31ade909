//! Input formats: each module turns the bytes of one file into canonical records, or into
//! a located error (file, line, column, what to do). A source knows nothing of targets.

mod bank_csv;
mod csv_table;
mod fields;
mod invoice_csv;

use std::collections::BTreeMap;
use std::fmt;

use thiserror::Error;

use crate::model::{BankLine, Document};
use crate::pipeline::{ColumnSpec, Source, SourceFormat};

pub use fields::{parse_amount, parse_date};

/// The bytes of one dropped file, with what identifies it.
pub struct InputFile<'a> {
    pub name: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
}

#[derive(Debug)]
pub enum Records {
    BankLines(Vec<BankLine>),
    Documents(Vec<Document>),
}

impl Records {
    pub fn len(&self) -> usize {
        match self {
            Records::BankLines(v) => v.len(),
            Records::Documents(v) => v.len(),
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
    }
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
