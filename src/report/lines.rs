//! What became of each bank line: its outcome as the run summary counts it (matched, partly
//! matched, unmatched, money out, returned, kept out) and the matches that stand on it now,
//! each with the rule and the explanation `sluice explain` shows.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::ledger::{BankLineRow, Facts, current_matches};
use crate::model::{Match, Money};
use crate::reconcile::{self, Book, Outcome};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReport {
    /// The id `sluice explain` takes.
    pub id: String,
    pub account: String,
    pub booking_date: NaiveDate,
    pub amount: Money,
    pub counterparty: String,
    pub text: String,
    pub file: String,
    pub line: u64,
    pub outcome: Outcome,
    /// The matches that stand (none withdrawn by a later decision), in commit order.
    pub matches: Vec<Match>,
}

/// The outcomes in the order the page shows them.
pub const OUTCOMES: [Outcome; 6] = [
    Outcome::Matched,
    Outcome::PartlyMatched,
    Outcome::Unmatched,
    Outcome::Outgoing,
    Outcome::Returned,
    Outcome::Ignored,
];

pub fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Matched => "matched",
        Outcome::PartlyMatched => "partly matched",
        Outcome::Unmatched => "unmatched",
        Outcome::Outgoing => "money out",
        Outcome::Returned => "returned",
        Outcome::Ignored => "kept out (partners ignore list)",
    }
}

pub fn line_reports(lines: &[&BankLineRow], facts: &Facts, book: &Book) -> Vec<LineReport> {
    let mut standing: HashMap<&str, Vec<Match>> = HashMap::new();
    for row in current_matches(&facts.matches, &facts.decisions) {
        standing
            .entry(row.matched.bank_line_id.as_str())
            .or_default()
            .push(row.matched.clone());
    }
    lines
        .iter()
        .map(|row| {
            let line = &row.line;
            let matches = standing.remove(line.id.as_str()).unwrap_or_default();
            LineReport {
                id: line.id.clone(),
                account: line.account.clone(),
                booking_date: line.booking_date,
                amount: line.amount,
                counterparty: line.counterparty.clone(),
                text: line.text.clone(),
                file: line.lineage.file_name.clone(),
                line: line.lineage.line,
                outcome: reconcile::outcome(&matches, book),
                matches,
            }
        })
        .collect()
}
