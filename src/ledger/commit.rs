//! The commit protocol. A run writes, in this order:
//!
//! 1. one segment per table, `<table>/<run-id>.parquet` (temporary name, sync, rename);
//! 2. its outbox batches (staged under a temporary folder name, then renamed);
//! 3. a run's log for people, `journal/<run-id>.log`, then its journal record
//!    `journal/<run-id>.json` — the commit point;
//! 4. the moves of its inputs to the archive, listed in the journal record, and then
//!    `journal/<run-id>.moved` once they are all done.
//!
//! A crash before the journal record leaves segments, batches and a log that no journal
//! record names: recovery removes them and the inputs, still in the inbox, are read again. A crash during 4 is
//! finished by recovery from the journal record (moves are idempotent).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Ledger, LedgerError, Table, io, write_error};
use crate::durable;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentInfo {
    /// Path relative to the ledger folder.
    pub file: String,
    pub rows: u64,
}

/// An input file's move to the archive, done after the commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub from: PathBuf,
    pub to: PathBuf,
    /// The bytes that run read: a new file dropped since under the same name is not moved.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalRecord {
    pub run_id: String,
    /// 1 for the first committed run, then one more each run: the order of the facts.
    pub seq: u64,
    pub pipeline: String,
    pub started: DateTime<Utc>,
    pub segments: BTreeMap<String, SegmentInfo>,
    /// Batch folders, relative to the outbox folder.
    pub batches: Vec<String>,
    pub moves: Vec<Move>,
    /// The run's summary as `sluice run --json` printed it.
    pub summary: serde_json::Value,
}

/// What recovery found and did on start.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovery {
    pub discarded_segments: Vec<PathBuf>,
    pub completed_moves: Vec<Move>,
}

impl Ledger {
    fn journal_dir(&self) -> PathBuf {
        self.root.join("journal")
    }

    /// Committed runs, in commit order.
    pub fn journal(&self) -> Result<Vec<JournalRecord>, LedgerError> {
        let dir = self.journal_dir();
        let mut records = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(records),
            Err(e) => return Err(io(&dir)(e)),
        };
        for entry in entries {
            let path = entry.map_err(io(&dir))?.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = fs::read_to_string(&path).map_err(io(&path))?;
            let record: JournalRecord =
                serde_json::from_str(&text).map_err(|e| LedgerError::Journal {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
            records.push(record);
        }
        records.sort_by_key(|r| r.seq);
        Ok(records)
    }

    pub fn next_seq(&self) -> Result<u64, LedgerError> {
        Ok(self.journal()?.last().map(|r| r.seq + 1).unwrap_or(1))
    }

    /// The commit point: once this returns, the run's segments and batches are facts.
    pub fn commit(&self, record: &JournalRecord) -> Result<(), LedgerError> {
        let path = self.journal_dir().join(format!("{}.json", record.run_id));
        let text = serde_json::to_string_pretty(record).map_err(|e| LedgerError::Journal {
            path: path.clone(),
            message: e.to_string(),
        })?;
        durable::write_atomic(&path, text.as_bytes()).map_err(write_error(&path))
    }

    pub fn run_log_path(&self, run_id: &str) -> PathBuf {
        self.journal_dir().join(format!("{run_id}.log"))
    }

    /// Writes a run's log; it becomes part of the run when the journal record is written.
    pub fn write_run_log(&self, run_id: &str, text: &str) -> Result<(), LedgerError> {
        let path = self.run_log_path(run_id);
        durable::write_atomic(&path, text.as_bytes()).map_err(io(&path))
    }

    fn moves_done_marker(&self, run_id: &str) -> PathBuf {
        self.journal_dir().join(format!("{run_id}.moved"))
    }

    /// Records that every input of a committed run reached the archive, so later runs never
    /// touch files that happen to carry the same names.
    pub fn moves_done(&self, run_id: &str) -> Result<(), LedgerError> {
        let path = self.moves_done_marker(run_id);
        durable::write_atomic(&path, b"").map_err(write_error(&path))
    }

    /// Removes what no journal record names and finishes the moves of committed runs.
    /// Returns the committed run ids, so the outbox can drop batches of unfinished runs.
    pub fn recover(&self) -> Result<(Recovery, BTreeSet<String>), LedgerError> {
        let mut recovery = Recovery::default();
        let records = self.journal()?;
        let named: BTreeSet<PathBuf> = records
            .iter()
            .flat_map(|r| r.segments.values().map(|s| self.root.join(&s.file)))
            .collect();
        let logs: BTreeSet<PathBuf> = records
            .iter()
            .map(|r| self.run_log_path(&r.run_id))
            .collect();
        for table in Table::ALL.iter().map(Table::name).chain(["journal"]) {
            let dir = self.root.join(table);
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.map_err(io(&dir))?.path();
                let stale = if table == "journal" {
                    durable::is_temp(&path) || (is_log(&path) && !logs.contains(&path))
                } else {
                    !named.contains(&path)
                };
                if stale && path.is_file() {
                    fs::remove_file(&path).map_err(io(&path))?;
                    recovery.discarded_segments.push(path);
                }
            }
        }
        for record in &records {
            if record.moves.is_empty() || self.moves_done_marker(&record.run_id).exists() {
                continue;
            }
            for m in &record.moves {
                if apply_move(m)? {
                    recovery.completed_moves.push(m.clone());
                }
            }
            self.moves_done(&record.run_id)?;
        }
        let committed = records.into_iter().map(|r| r.run_id).collect();
        Ok((recovery, committed))
    }
}

fn is_log(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e == "log")
}

/// Moves one input of a committed run to the archive, unless that already happened.
/// Returns whether it moved the file.
pub fn apply_move(m: &Move) -> Result<bool, LedgerError> {
    let same_bytes = fs::read(&m.from).is_ok_and(|bytes| durable::sha256_hex(&bytes) == m.sha256);
    if same_bytes && !m.to.exists() {
        durable::move_file(&m.from, &m.to).map_err(write_error(&m.to))?;
        return Ok(true);
    }
    Ok(false)
}
