//! Where things stand, read from the committed ledger alone: the latest statement of each
//! account, every break in the statements' continuity that is still open (recomputed over
//! all statements, so a gap a later file filled is gone), and the ledger's totals.
//!
//! It only reads — no lock, no recovery — so it is safe beside a running `sluice run`:
//! a run writes its journal record last, and until then none of its segments is looked at.

use chrono::NaiveDate;
use serde::Serialize;

use crate::ledger::{self, FileStatus, Finding, JournalRecord, Ledger, LedgerError, StatementRow};
use crate::model::MatchKind;
use crate::pipeline::Pipeline;
use crate::reconcile::InvoiceCounts;
use crate::run::Known;

/// What `sluice status` shows; `--json` prints exactly this.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Status {
    pub pipeline: String,
    /// Committed runs (`sluice run`).
    pub runs: usize,
    pub last_run: Option<String>,
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

pub fn status(pipeline: &Pipeline) -> Result<Status, LedgerError> {
    let ledger = Ledger::new(&pipeline.ledger);
    let journal = ledger.journal()?;
    let facts = ledger.load()?;
    let count_files = |status| facts.files.iter().filter(|f| f.status == status).count();
    let applied = facts.bank_lines.iter().filter(|l| l.applied).count();
    // A person's decision, and the platform ids a push records, are committed like a run;
    // the summary says which.
    let is_decision = |r: &&JournalRecord| r.summary.get("decision").is_some();
    let is_run = |r: &&JournalRecord| !is_decision(r) && r.summary.get("push").is_none();
    Ok(Status {
        pipeline: pipeline.name.clone(),
        runs: journal.iter().filter(is_run).count(),
        last_run: journal.iter().rev().find(is_run).map(|r| r.run_id.clone()),
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
        },
        invoices: Known::from_facts(&facts, &pipeline.reconcile)
            .book
            .invoice_counts(),
        accounts: ledger::latest(&facts.statements)
            .into_iter()
            .map(account_status)
            .collect(),
        continuity: ledger::open_problems(&facts.statements),
    })
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
