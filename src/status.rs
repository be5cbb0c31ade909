//! Where things stand, read from the committed ledger and the pipeline's folders: files
//! waiting in the inbox and refused in quarantine, the last run and how it ended, the money
//! waiting for a person, where each batch stands with its platform, the latest statement of
//! each account, every break in the statements' continuity that is still open (recomputed
//! over all statements, so a gap a later file filled is gone), and the ledger's totals.
//!
//! It only reads — no lock, no recovery — so it is safe beside a running `sluice run`:
//! a run writes its journal record last, and until then none of its segments is looked at.

mod deliveries;
mod waiting;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use crate::intake::IntakeError;
use crate::ledger::{
    self, Facts, FileStatus, Finding, JournalRecord, Ledger, LedgerError, StatementRow,
};
use crate::model::MatchKind;
use crate::outbox::OutboxError;
use crate::pipeline::{AfterIntake, Pipeline};
use crate::reconcile::InvoiceCounts;
use crate::run::Known;

pub use deliveries::{BatchStatus, FailedRecord, batch_status};
pub use waiting::QuarantinedFile;

#[derive(Debug, Error)]
pub enum StatusError {
    #[error("the ledger cannot be read: {0}")]
    Ledger(#[from] LedgerError),
    #[error("the inbox cannot be read: {0}")]
    Inbox(#[from] IntakeError),
    #[error(
        "the quarantine folder {path} cannot be read: {source} — check it exists and sluice may read it"
    )]
    Quarantine {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("a committed batch cannot be read: {0} — check it with `sluice verify`")]
    Batch(#[from] OutboxError),
}

/// What `sluice status` shows; `--json` prints exactly this.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Status {
    pub pipeline: String,
    /// Committed runs (`sluice run`).
    pub runs: usize,
    pub last_run: Option<String>,
    /// How the last run ended, as its journal record tells.
    pub last_run_outcome: Option<RunOutcome>,
    /// Files in the inbox the next run takes, by name.
    pub inbox: Vec<String>,
    /// Files a run refused, with the reason beside each.
    pub quarantine: Vec<QuarantinedFile>,
    /// Committed decisions of people (`pair`, `unpair`, a rule removed).
    pub decisions: usize,
    pub files: FileTotals,
    pub bank_lines: LineTotals,
    pub invoices: InvoiceCounts,
    /// The latest statement of each account and currency, by account.
    pub accounts: Vec<AccountStatus>,
    /// Every open break in the accounts' statements: missing statements or pages, balances
    /// that do not follow on. Each message says what to ask the bank for.
    pub continuity: Vec<Finding>,
    /// Every committed batch, oldest first: staged files, or API requests and their answers.
    pub batches: Vec<BatchStatus>,
}

/// A committed run, as its journal record tells. A run that failed commits nothing and
/// leaves no record: its inputs are still in the inbox.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RunOutcome {
    pub run_id: String,
    pub started: DateTime<Utc>,
    /// `committed`, or `committed_with_quarantine` (exit code 3).
    pub outcome: String,
    pub files_read: u64,
    pub files_processed: u64,
    pub files_quarantined: u64,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FileTotals {
    pub processed: usize,
    pub duplicates: usize,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct LineTotals {
    pub applied: usize,
    pub skipped_as_seen_before: usize,
    /// Money in that no rule could place; it waits for a person.
    pub unmatched: usize,
    /// How much waits, per currency, as exact decimal text (`{"EUR": "120.50"}`).
    pub unmatched_money: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AccountStatus {
    pub account: String,
    pub currency: String,
    pub last_statement: LastStatement,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LastStatement {
    pub id: String,
    pub sequence: Option<String>,
    /// The closing balance as an exact decimal (`"1137.60"`), in `currency`.
    pub closing_balance: Option<String>,
    pub closing_date: Option<NaiveDate>,
    pub file: String,
    pub run_id: String,
}

pub fn status(pipeline: &Pipeline) -> Result<Status, StatusError> {
    let ledger = Ledger::new(&pipeline.ledger);
    let journal = ledger.journal()?;
    let facts = ledger.load()?;
    let count_files = |status| facts.files.iter().filter(|f| f.status == status).count();
    let applied = facts.bank_lines.iter().filter(|l| l.applied).count();
    // A person's decision, and the platform ids a push records, are committed like a run;
    // the summary says which.
    let is_decision = |r: &&JournalRecord| r.summary.get("decision").is_some();
    let is_run = |r: &&JournalRecord| !is_decision(r) && r.summary.get("push").is_none();
    let last_run = journal.iter().rev().find(is_run);
    let quarantine_failed = |source| StatusError::Quarantine {
        path: pipeline.quarantine.clone(),
        source,
    };
    let keep = pipeline.after == AfterIntake::Keep;
    let quarantined_bytes = if keep {
        waiting::quarantined_sha256(&pipeline.quarantine).map_err(quarantine_failed)?
    } else {
        HashSet::new()
    };
    let known: HashSet<&str> = facts
        .files
        .iter()
        .map(|f| f.sha256.as_str())
        .chain(quarantined_bytes.iter().map(String::as_str))
        .collect();
    let batches = journal
        .iter()
        .flat_map(|r| &r.batches)
        .map(|b| batch_status(&pipeline.outbox, b))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Status {
        pipeline: pipeline.name.clone(),
        runs: journal.iter().filter(is_run).count(),
        last_run: last_run.map(|r| r.run_id.clone()),
        last_run_outcome: last_run.map(run_outcome),
        inbox: waiting::inbox(&pipeline.inbox, keep, &known)?,
        quarantine: waiting::quarantine(&pipeline.quarantine).map_err(quarantine_failed)?,
        decisions: journal.iter().filter(is_decision).count(),
        files: FileTotals {
            processed: count_files(FileStatus::Processed),
            duplicates: count_files(FileStatus::Duplicate),
        },
        bank_lines: LineTotals {
            applied,
            skipped_as_seen_before: facts
                .bank_lines
                .iter()
                .filter(|l| !l.duplicate_of.is_empty())
                .count(),
            unmatched: ledger::current_matches(&facts.matches, &facts.decisions)
                .iter()
                .filter(|m| m.matched.kind == MatchKind::Unmatched)
                .count(),
            unmatched_money: unmatched_money(&facts),
        },
        invoices: Known::from_facts(&facts, &pipeline.reconcile)
            .book
            .invoice_counts(),
        accounts: ledger::latest(&facts.statements)
            .into_iter()
            .map(account_status)
            .collect(),
        continuity: ledger::open_problems(&facts.statements),
        batches,
    })
}

fn run_outcome(record: &JournalRecord) -> RunOutcome {
    let files = |key: &str| record.summary["files"][key].as_u64().unwrap_or(0);
    let quarantined = files("quarantined");
    RunOutcome {
        run_id: record.run_id.clone(),
        started: record.started,
        outcome: if quarantined > 0 {
            "committed_with_quarantine"
        } else {
            "committed"
        }
        .to_string(),
        files_read: files("read"),
        files_processed: files("processed"),
        files_quarantined: quarantined,
    }
}

/// The money of applied lines that stands unmatched, per currency.
fn unmatched_money(facts: &Facts) -> BTreeMap<String, String> {
    let applied = facts.applied_lines();
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in ledger::current_matches(&facts.matches, &facts.decisions) {
        let m = &row.matched;
        if m.kind == MatchKind::Unmatched && applied.contains_key(m.bank_line_id.as_str()) {
            *totals
                .entry(m.amount.currency.code().to_string())
                .or_default() += m.amount.amount;
        }
    }
    totals
        .into_iter()
        .filter(|(_, amount)| !amount.is_zero())
        .map(|(currency, amount)| (currency, amount.to_string()))
        .collect()
}

fn account_status(row: &StatementRow) -> AccountStatus {
    let balance = row.closing.as_ref().or(row.opening.as_ref());
    AccountStatus {
        account: row.account.clone(),
        currency: balance
            .map(|b| b.amount.currency.code().to_string())
            .unwrap_or_default(),
        last_statement: LastStatement {
            id: row.id.clone(),
            sequence: row.sequence.clone(),
            closing_balance: row.closing.as_ref().map(|b| b.amount.amount.to_string()),
            closing_date: row.closing.as_ref().map(|b| b.date),
            file: row.file_name.clone(),
            run_id: row.run_id.clone(),
        },
    }
}
