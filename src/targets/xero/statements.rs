//! Bank statement lines as Xero's CSV statement import ("Import a Statement").
//!
//! Xero's precoded template columns are `*Date, *Amount, Payee, Description, Reference`
//! (the asterisk marks the required ones), dates day first (`DD/MM/YYYY` by default),
//! amounts signed with a dot and no thousands separator. One import goes into one Xero bank
//! account and takes at most 1,000 lines, so the batch has one file per account and
//! currency, split in parts of 1,000. The Reference column carries the invoice numbers the
//! line was matched to (which is what Xero's own matching looks for), else the bank's
//! reference.
//!
//! `statements = "day"` or `"month"` on the target makes one statement (one file) per
//! account, currency and day or month of booking, for a team that reconciles in Xero day by
//! day or month by month; the default is one per run.

use std::collections::BTreeMap;

use super::csv_bytes;
use crate::model::{BankLine, MatchKind};
use crate::pipeline::Target;
use crate::targets::{RenderedFile, RunFacts};

pub const HEADER: [&str; 5] = ["*Date", "*Amount", "Payee", "Description", "Reference"];
pub const MAX_LINES_PER_FILE: usize = 1000;

/// How bank lines are grouped into statement files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Grouping {
    /// One statement per account and currency for everything a run books.
    #[default]
    Run,
    Day,
    Month,
}

impl Grouping {
    pub fn parse(text: &str) -> Option<Grouping> {
        match text.trim() {
            "run" => Some(Grouping::Run),
            "day" => Some(Grouping::Day),
            "month" => Some(Grouping::Month),
            _ => None,
        }
    }

    /// The part of the file name that names the period (empty for a run).
    fn period(&self, line: &BankLine) -> String {
        match self {
            Grouping::Run => String::new(),
            Grouping::Day => line.booking_date.format("%Y-%m-%d").to_string(),
            Grouping::Month => line.booking_date.format("%Y-%m").to_string(),
        }
    }
}

pub fn render_bank_statements(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let mut references: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for m in facts.matches {
        // A return names the invoice it reopens, as a payment names the one it pays.
        if let (MatchKind::Allocation | MatchKind::Reversal, Some(doc)) =
            (m.kind, m.document.as_deref())
        {
            references
                .entry(m.bank_line_id.as_str())
                .or_default()
                .push(doc);
        }
    }
    let mut groups: BTreeMap<(String, String, String), Vec<&BankLine>> = BTreeMap::new();
    for line in facts.bank_lines {
        groups
            .entry((
                line.account.clone(),
                line.amount.currency.code().to_string(),
                target.statements.period(line),
            ))
            .or_default()
            .push(line);
    }
    let mut files = Vec::new();
    for ((account, currency, period), mut lines) in groups {
        lines.sort_by(|a, b| {
            (a.booking_date, &a.lineage.file_name, a.lineage.line).cmp(&(
                b.booking_date,
                &b.lineage.file_name,
                b.lineage.line,
            ))
        });
        let parts = lines.len().div_ceil(MAX_LINES_PER_FILE);
        for (i, chunk) in lines.chunks(MAX_LINES_PER_FILE).enumerate() {
            let account_part = if account.is_empty() {
                "account".to_string()
            } else {
                file_safe(&account)
            };
            let mut stem = format!("xero-bank-statement-{account_part}-{currency}");
            if !period.is_empty() {
                stem.push('-');
                stem.push_str(&period);
            }
            let name = if parts > 1 {
                format!("{stem}-part{}.csv", i + 1)
            } else {
                format!("{stem}.csv")
            };
            files.push(render_file(name, chunk, &references, &target.date_format));
        }
    }
    files
}

fn render_file(
    name: String,
    lines: &[&BankLine],
    references: &BTreeMap<&str, Vec<&str>>,
    date_format: &str,
) -> RenderedFile {
    let mut totals = BTreeMap::new();
    let mut rows = Vec::new();
    for line in lines {
        let reference = match references.get(line.id.as_str()) {
            Some(docs) => docs.join(" "),
            None => line.bank_reference.clone(),
        };
        rows.push(vec![
            line.booking_date.format(date_format).to_string(),
            line.amount.amount.to_string(),
            line.counterparty.clone(),
            line.text.clone(),
            reference,
        ]);
        *totals
            .entry(line.amount.currency.code().to_string())
            .or_default() += line.amount.amount;
    }
    RenderedFile {
        name,
        bytes: csv_bytes(&HEADER, &rows),
        records: lines.len() as u64,
        totals,
    }
}

pub fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
