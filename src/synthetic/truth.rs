//! What each generated bank line truly pays, as `truth.csv`: one row per line and target,
//! the line known by file name and line number (as sluice's lineage knows it).
//!
//! ```text
//! file,line,case,pays,amount
//! bank-2026-10.csv,2,exact,INV-2026-180001,29.90
//! bank-2026-10.csv,9,overpaid,INV-2026-180007,29.90
//! bank-2026-10.csv,9,overpaid,customer:C10007,0.10
//! bank-2026-10.csv,12,outgoing,none,-4800.00
//! ```
//! `pays` is an invoice number, `customer:<id>` for money that is truly the customer's
//! credit, or `none` for money that belongs to no invoice and no customer (money out, a
//! stranger's transfer); a `none` row carries the line's whole amount. A negative amount on
//! an invoice takes money back from it (a return). `case` says how the line was made
//! (`exact`, `iban-only`, `family` …), so a score can be broken down by it.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Invoice(String),
    Customer(String),
}

impl Target {
    pub fn text(&self) -> String {
        match self {
            Target::Invoice(number) => number.clone(),
            Target::Customer(id) => format!("customer:{id}"),
        }
    }
}

/// One bank line and what it truly pays; `pays` is empty for `none`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    pub file: String,
    pub line: u64,
    pub case: String,
    /// The line's amount.
    pub amount: Decimal,
    pub pays: Vec<(Target, Decimal)>,
}

impl Truth {
    pub fn describe(&self) -> String {
        if self.pays.is_empty() {
            return "none".to_string();
        }
        self.pays
            .iter()
            .map(|(target, amount)| format!("{} {amount}", target.text()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Error)]
pub enum TruthError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Row {
        path: PathBuf,
        line: u64,
        message: String,
    },
}

pub fn to_csv(truth: &[Truth]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut row = |fields: [&str; 5]| writer.write_record(fields).expect("writing to memory");
    row(["file", "line", "case", "pays", "amount"]);
    for t in truth {
        let line = t.line.to_string();
        if t.pays.is_empty() {
            row([&t.file, &line, &t.case, "none", &t.amount.to_string()]);
        }
        for (target, amount) in &t.pays {
            row([&t.file, &line, &t.case, &target.text(), &amount.to_string()]);
        }
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("UTF-8")
}

/// Reads `truth.csv` back, one `Truth` per bank line in the order written. The amount of
/// a line is the sum of its rows (the `none` row carries it whole).
pub fn read(path: &Path) -> Result<Vec<Truth>, TruthError> {
    let text = std::fs::read_to_string(path).map_err(|source| TruthError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut truth: Vec<Truth> = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let at = n as u64 + 2;
        let bad = |message: String| TruthError::Row {
            path: path.to_path_buf(),
            line: at,
            message,
        };
        let record = record.map_err(|e| bad(e.to_string()))?;
        let [file, line, case, pays, amount] = [0, 1, 2, 3, 4].map(|i| record.get(i).unwrap_or(""));
        let line: u64 = line
            .parse()
            .map_err(|_| bad(format!("\"{line}\" is not a line number")))?;
        let amount: Decimal = amount
            .parse()
            .map_err(|_| bad(format!("\"{amount}\" is not an amount")))?;
        let target = match pays {
            "none" => None,
            _ => Some(match pays.strip_prefix("customer:") {
                Some(id) => Target::Customer(id.to_string()),
                None => Target::Invoice(pays.to_string()),
            }),
        };
        let same_line = truth
            .last()
            .is_some_and(|t| t.file == file && t.line == line);
        if !same_line {
            truth.push(Truth {
                file: file.to_string(),
                line,
                case: case.to_string(),
                amount: Decimal::ZERO,
                pays: Vec::new(),
            });
        }
        let t = truth.last_mut().expect("just pushed");
        t.amount += amount;
        if let Some(target) = target {
            t.pays.push((target, amount));
        }
    }
    Ok(truth)
}
