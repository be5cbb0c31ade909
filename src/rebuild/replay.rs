//! Replaying one commit of the live journal into the rebuilt ledger, at the time it was
//! made: a run reads its inputs again from a fresh inbox; a person's pairing, unpairing or
//! removed rule is asked again, in their name and at their time; a push's record of what
//! the platform created is carried over as it was (a platform's answer is not something a
//! rebuild can ask again).

use std::collections::BTreeMap;

use super::RebuildError;
use super::inputs::{Input, InputProblem};
use crate::decide::{self, DecideError, PairRequest, Who};
use crate::durable;
use crate::ledger::{DecisionAction, DecisionRow, Facts, JournalRecord, Table};
use crate::model::MatchKind;
use crate::pipeline::Pipeline;
use crate::run::{self, RunOptions, Summary, commit_id, open_for_writing};

/// What one commit was, as its journal record tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Run,
    Decision,
    Push,
}

pub fn kind(record: &JournalRecord) -> Kind {
    if record.summary.get("decision").is_some() {
        Kind::Decision
    } else if record.summary.get("push").is_some() {
        Kind::Push
    } else {
        Kind::Run
    }
}

/// A run again: its inputs dropped under their names into the rebuild's inbox, read at the
/// time the run started.
pub fn run(
    rebuilt: &Pipeline,
    record: &JournalRecord,
    inputs: &[Input],
) -> Result<Summary, RebuildError> {
    for input in inputs {
        // Read again and checked again: the archive may have changed since it was verified.
        let bytes = std::fs::read(&input.path).ok();
        let found = bytes.as_deref().map(durable::sha256_hex);
        let Some(bytes) = bytes.filter(|_| found.as_deref() == Some(input.sha256.as_str())) else {
            return Err(RebuildError::Inputs(vec![InputProblem {
                run_id: record.run_id.clone(),
                name: input.name.clone(),
                path: input.path.clone(),
                sha256: input.sha256.clone(),
                found,
            }]));
        };
        let to = rebuilt.inbox.join(&input.name);
        durable::write_atomic(&to, &bytes).map_err(|source| RebuildError::Write {
            path: to.clone(),
            source,
        })?;
    }
    let options = RunOptions {
        now: record.started,
        progress: false,
        fail_at: None,
        crash_at: None,
        only_files: None,
        before_archive: None,
        after_listing: None,
    };
    run::run(rebuilt, &options).map_err(|source| RebuildError::Replay {
        commit: record.run_id.clone(),
        message: source.to_string(),
    })
}

/// A person's decision again. `Ok(Err(reason))` when the rebuilt ledger refuses it (the
/// line was placed otherwise this time, say): that is a difference, not a failure.
pub fn decision(
    rebuilt: &Pipeline,
    record: &JournalRecord,
    live: &Facts,
) -> Result<Result<(), String>, RebuildError> {
    let rows: Vec<&DecisionRow> = live
        .decisions
        .iter()
        .filter(|d| d.run_id == record.run_id)
        .collect();
    let [row] = rows.as_slice() else {
        return Err(RebuildError::Replay {
            commit: record.run_id.clone(),
            message: format!(
                "a person's decision should hold one decision row, this one holds {}",
                rows.len()
            ),
        });
    };
    let who = Who {
        by: row.by.clone(),
        now: record.started,
    };
    let done = match row.action {
        DecisionAction::Pair => {
            let request = PairRequest {
                bank_line: row.bank_line_id.clone(),
                invoices: row.documents.clone(),
                customer: customer_named(record, row, live),
                learn: row.learned,
                note: row.note.clone(),
            };
            decide::pair(rebuilt, &request, &who).map(|_| ())
        }
        DecisionAction::Unpair => {
            decide::unpair(rebuilt, &row.bank_line_id, &who, &row.note).map(|_| ())
        }
        DecisionAction::Forget => match row.replaces.first() {
            Some(rule) => decide::forget_rule(rebuilt, rule, &who).map(|_| ()),
            None => Err(DecideError::Refused(
                "the removed rule's pairing is not named".to_string(),
            )),
        },
        DecisionAction::Retry => Err(DecideError::Refused(
            "a retry is a run's decision, not a person's".to_string(),
        )),
    };
    match done {
        Ok(()) => Ok(Ok(())),
        Err(DecideError::Refused(reason)) => Ok(Err(reason)),
        Err(DecideError::NoSuchLine(line)) => Ok(Err(format!(
            "bank line {line} is not in the rebuilt ledger"
        ))),
        Err(e) => Err(RebuildError::Replay {
            commit: record.run_id.clone(),
            message: e.to_string(),
        }),
    }
}

/// Whether the person named the customer (`--customer`), which decides where the rest of
/// the money goes. Pairings record it; older ones tell it by what they did: without
/// invoices a customer had to be named, and a named customer's credit says so.
fn customer_named(record: &JournalRecord, row: &DecisionRow, live: &Facts) -> Option<String> {
    if let Some(named) = record.summary.get("customer_named") {
        return named.as_str().map(str::to_string);
    }
    let credit_for_named = live.matches.iter().any(|m| {
        m.run_id == record.run_id
            && m.matched.bank_line_id == row.bank_line_id
            && m.matched.kind == MatchKind::Credit
            && m.matched
                .explanation
                .contains(" kept as credit for customer ")
    });
    (row.documents.is_empty() || credit_for_named).then(|| row.customer_id.clone())
}

/// A push's record of the platform's ids, carried over under the commit id it gets here.
pub fn push(rebuilt: &Pipeline, record: &JournalRecord, live: &Facts) -> Result<(), RebuildError> {
    let failed = |message: String| RebuildError::Replay {
        commit: record.run_id.clone(),
        message,
    };
    let (_lock, ledger, _) = open_for_writing(rebuilt).map_err(|e| failed(e.to_string()))?;
    let seq = ledger.next_seq().map_err(|e| failed(e.to_string()))?;
    let id = commit_id(record.started, seq);
    let rows = live
        .remote_ids
        .iter()
        .filter(|r| r.run_id == record.run_id)
        .map(|r| crate::ledger::RemoteIdRow {
            run_id: id.clone(),
            ..r.clone()
        })
        .collect();
    let new = Facts {
        remote_ids: rows,
        ..Facts::default()
    };
    let mut segments = BTreeMap::new();
    if let Some(segment) = ledger
        .write_segment(&id, Table::RemoteIds, &new)
        .map_err(|e| failed(e.to_string()))?
    {
        segments.insert(Table::RemoteIds.name().to_string(), segment);
    }
    ledger
        .commit(&JournalRecord {
            run_id: id,
            seq,
            pipeline: rebuilt.name.clone(),
            started: record.started,
            segments,
            batches: Vec::new(),
            moves: Vec::new(),
            summary: record.summary.clone(),
        })
        .map_err(|e| failed(e.to_string()))
}
