//! What a run did, in numbers and names: printed by `sluice run`, kept in the journal.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::reconcile::InvoiceCounts;

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FileCounts {
    /// Files looked at (not counting ignored temporary and lock files).
    pub read: usize,
    pub processed: usize,
    pub already_processed: usize,
    pub duplicates: usize,
    pub quarantined: usize,
    pub ignored: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Quarantined {
    pub file: String,
    /// Where the file (with `after = "keep"`, a copy of it) now is.
    pub moved_to: PathBuf,
    pub reason: String,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct LineCounts {
    pub new: usize,
    pub skipped_as_seen_before: usize,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct DocumentCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub credit_notes: usize,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Outcomes {
    pub matched: usize,
    pub partly_matched: usize,
    pub unmatched: usize,
    pub outgoing: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BatchSummary {
    pub target: String,
    pub path: PathBuf,
    pub files: usize,
    pub records: u64,
}

/// What a run did; `sluice run --json` prints exactly this.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub pipeline: String,
    /// The committed run, or none when there was nothing new to commit.
    pub run_id: Option<String>,
    pub files: FileCounts,
    pub quarantined: Vec<Quarantined>,
    pub bank_lines: LineCounts,
    pub documents: DocumentCounts,
    pub reconciled: Outcomes,
    /// Money allocated to invoices in this run, per currency.
    pub money_matched: BTreeMap<String, String>,
    /// All invoices in the ledger after this run.
    pub invoices: InvoiceCounts,
    pub batches: Vec<BatchSummary>,
    /// Leftovers of an interrupted earlier run that this run cleaned up or finished.
    pub recovered: Recovered,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Recovered {
    pub discarded_segments: usize,
    pub discarded_batches: usize,
    pub completed_moves: usize,
}

impl Summary {
    /// 0 all processed; 3 committed, but something went to quarantine.
    pub fn exit_code(&self) -> i32 {
        if self.quarantined.is_empty() { 0 } else { 3 }
    }
}

impl Summary {
    pub fn new(pipeline: &str, recovered: Recovered) -> Summary {
        Summary {
            pipeline: pipeline.to_string(),
            run_id: None,
            files: FileCounts::default(),
            quarantined: Vec::new(),
            bank_lines: LineCounts::default(),
            documents: DocumentCounts::default(),
            reconciled: Outcomes::default(),
            money_matched: BTreeMap::new(),
            invoices: InvoiceCounts::default(),
            batches: Vec::new(),
            recovered,
        }
    }
}
