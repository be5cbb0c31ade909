//! Committing a run, in the order `ledger::commit` explains: segments, batches, the journal
//! record (the commit point), then the archive moves.

use std::collections::BTreeMap;

use super::apply::Applied;
use super::summary::BatchSummary;
use super::{FailPoint, Run, RunError};
use crate::ledger::{self, JournalRecord, Ledger, Table};
use crate::outbox::{self, BatchHeader};
use crate::targets::{self, RunFacts};

impl Run<'_> {
    pub(super) fn commit(
        &mut self,
        ledger: &Ledger,
        seq: u64,
        applied: &Applied,
    ) -> Result<(), RunError> {
        let mut segments = BTreeMap::new();
        for table in Table::ALL {
            if let Some(segment) = ledger.write_segment(&self.run_id, table, &self.new)? {
                segments.insert(table.name().to_string(), segment);
            }
            self.check(FailPoint::AfterSegment(table))?;
        }

        let batches = self.stage_batches(applied)?;
        self.check(FailPoint::AfterBatches)?;

        self.summary.run_id = Some(self.run_id.clone());
        let record = JournalRecord {
            run_id: self.run_id.clone(),
            seq,
            pipeline: self.pipeline.name.clone(),
            started: self.options.now,
            segments,
            batches,
            moves: self.moves.clone(),
            summary: serde_json::to_value(&self.summary).unwrap_or_default(),
        };
        ledger.commit(&record)?;
        self.check(FailPoint::AfterCommit)?;

        for (i, m) in self.moves.iter().enumerate() {
            ledger::apply_move(m)?;
            if i == 0 {
                self.check(FailPoint::AfterFirstMove)?;
            }
        }
        if !self.moves.is_empty() {
            ledger.moves_done(&self.run_id)?;
        }
        Ok(())
    }

    /// One batch per target that has something to render; returns their outbox paths.
    fn stage_batches(&mut self, applied: &Applied) -> Result<Vec<String>, RunError> {
        let mut paths = Vec::new();
        if applied.lines.is_empty() {
            return Ok(paths);
        }
        let facts = RunFacts {
            bank_lines: &applied.lines,
            matches: &applied.matches,
        };
        for target in &self.pipeline.targets {
            let files = targets::render(target, &facts);
            if files.is_empty() {
                continue;
            }
            let manifest = outbox::manifest(
                BatchHeader {
                    batch_id: &self.run_id,
                    run_id: &self.run_id,
                    pipeline: &self.pipeline.name,
                    target: &target.name,
                    platform: target.platform.as_str(),
                    created: self.options.now,
                    inputs: applied.inputs.clone(),
                },
                &files,
            );
            let dir = outbox::stage(&self.pipeline.outbox, &manifest, &files)?;
            paths.push(outbox::batch_path(&manifest).display().to_string());
            self.summary.batches.push(BatchSummary {
                target: target.name.clone(),
                path: dir,
                files: files.len(),
                records: manifest.record_count,
            });
        }
        Ok(paths)
    }
}
