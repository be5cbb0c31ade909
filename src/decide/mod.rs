//! A person's decisions on the ledger: money paired with invoices by hand (`pair`), a match
//! undone (`unpair`), a learned rule removed (`rules`). Each is a commit of its own, like a
//! run: new match rows and a `decisions` row naming who and when, never an edit of what was
//! written — so the next run, `sluice explain` and an auditor all see the same history.

mod pair;
mod rules;
mod unpair;

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use thiserror::Error;

use crate::ledger::{Facts, JournalRecord, Ledger, LedgerError, MatchRow, Table, current_matches};
use crate::model::{BankLine, Match};
use crate::pipeline::Pipeline;
use crate::run::{RunError, commit_id, open_for_writing};

pub use pair::{PairRequest, Paired, pair};
pub use rules::{LearnedRule, forget_rule, rules};
pub(crate) use unpair::what;
pub use unpair::{Unpaired, unpair};

#[derive(Debug, Error)]
pub enum DecideError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(
        "no bank line \"{0}\" in the ledger; `sluice unmatched` lists the lines waiting for a person, with their ids"
    )]
    NoSuchLine(String),
    /// The decision cannot be taken as asked; the text says why and what to do.
    #[error("{0}")]
    Refused(String),
}

/// Who decides, and when.
#[derive(Debug, Clone)]
pub struct Who {
    pub by: String,
    pub now: DateTime<Utc>,
}

impl Who {
    /// The person at the keyboard, as the operating system knows them.
    pub fn os_user(now: DateTime<Utc>) -> Who {
        Who {
            by: crate::run::os_user(),
            now,
        }
    }
}

/// One applied bank line and the matches that stand for it, in commit order.
pub(crate) struct LineNow {
    pub line: BankLine,
    pub rows: Vec<MatchRow>,
}

impl LineNow {
    pub fn find(facts: &Facts, id: &str) -> Result<LineNow, DecideError> {
        let line = facts
            .bank_lines
            .iter()
            .find(|r| r.applied && r.line.id == id)
            .ok_or_else(|| DecideError::NoSuchLine(id.to_string()))?
            .line
            .clone();
        let rows = current_matches(&facts.matches, &facts.decisions)
            .into_iter()
            .filter(|m| m.matched.bank_line_id == id)
            .cloned()
            .collect();
        Ok(LineNow { line, rows })
    }

    /// The commits whose matches of this line a decision on it withdraws: all of them, as
    /// the decision writes the line's matches anew.
    pub fn commits(&self) -> Vec<String> {
        let mut runs: Vec<String> = self.rows.iter().map(|m| m.run_id.clone()).collect();
        runs.sort();
        runs.dedup();
        runs
    }

    pub fn matches(&self) -> impl Iterator<Item = &Match> {
        self.rows.iter().map(|r| &r.matched)
    }
}

/// Writes a decision's rows as one commit; returns its id.
pub(crate) fn commit(
    ledger: &Ledger,
    pipeline: &Pipeline,
    who: &Who,
    mut new: Facts,
    summary: serde_json::Value,
) -> Result<String, DecideError> {
    let seq = ledger.next_seq()?;
    let id = commit_id(who.now, seq);
    for row in &mut new.matches {
        row.run_id = id.clone();
    }
    for row in &mut new.decisions {
        row.run_id = id.clone();
    }
    let mut segments = BTreeMap::new();
    for table in Table::ALL {
        if let Some(segment) = ledger.write_segment(&id, table, &new)? {
            segments.insert(table.name().to_string(), segment);
        }
    }
    ledger.commit(&JournalRecord {
        run_id: id.clone(),
        seq,
        pipeline: pipeline.name.clone(),
        started: who.now,
        segments,
        batches: Vec::new(),
        moves: Vec::new(),
        summary,
    })?;
    Ok(id)
}

/// Opens the ledger for a decision: locked, recovered, every fact loaded.
pub(crate) fn open(
    pipeline: &Pipeline,
) -> Result<(crate::run::LedgerLock, Ledger, Facts), DecideError> {
    let (lock, ledger, _) = open_for_writing(pipeline)?;
    let facts = ledger.load()?;
    Ok((lock, ledger, facts))
}
