//! Committing a run, in the order `ledger::commit` explains: segments, batches, the journal
//! record (the commit point), then the archive moves.

use std::collections::BTreeMap;
use std::time::Instant;

use super::summary::BatchSummary;
use super::{CrashPoint, FailPoint, Run, RunError};
use crate::ledger::{self, JournalRecord, Ledger, Table};
use crate::outbox::{self, RunRecord};

impl Run<'_> {
    pub(super) fn commit(&mut self, ledger: &Ledger, seq: u64) -> Result<(), RunError> {
        let started = Instant::now();
        let mut segments = BTreeMap::new();
        for table in Table::ALL {
            if let Some(segment) = ledger.write_segment(&self.run_id, table, &self.new)? {
                segments.insert(table.name().to_string(), segment);
                self.trap.reached(CrashPoint::Segment);
            }
            self.check(FailPoint::AfterSegment(table))?;
        }
        self.timings.ledger += started.elapsed();

        let started = Instant::now();
        let batches = self.stage_batches()?;
        self.timings.render += started.elapsed();
        self.check(FailPoint::AfterBatches)?;
        let started = Instant::now();

        self.summary.run_id = Some(self.run_id.clone());
        self.summary.read = self.new.files.clone();
        ledger.write_run_log(&self.run_id, &self.log_text(&segments))?;
        self.summary.log = Some(ledger.run_log_path(&self.run_id));
        self.check(FailPoint::AfterLog)?;
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
        self.trap.reached(CrashPoint::Journal);
        self.timings.ledger += started.elapsed();
        self.check(FailPoint::AfterCommit)?;
        let started = Instant::now();

        // Past the commit point a failure must not read as "nothing was committed".
        let not_archived = |source| RunError::NotArchived {
            run_id: self.run_id.clone(),
            source,
        };
        if let Some(hook) = self.options.before_archive {
            hook(self.pipeline);
        }
        for (i, m) in self.moves.iter().enumerate() {
            let moved = ledger::apply_move(m).map_err(not_archived)?;
            if !moved
                && !m.to.exists()
                && let Some(bytes) = self.read_bytes.get(&m.sha256)
            {
                // Changed or removed in the inbox since the run read it: the archive gets
                // the bytes the ledger records; a changed file stays for the next run.
                tracing::warn!(
                    file = %m.from.display(),
                    "changed or removed since this run read it: the bytes it read are archived as {}; a new version left in the inbox is read by the next run",
                    m.to.display()
                );
                crate::durable::write_atomic(&m.to, bytes).map_err(|source| {
                    not_archived(ledger::LedgerError::Write {
                        path: m.to.clone(),
                        source,
                    })
                })?;
            }
            self.trap.reached(CrashPoint::Move);
            if i == 0 {
                self.check(FailPoint::AfterFirstMove)?;
            }
        }
        if !self.moves.is_empty() {
            ledger.moves_done(&self.run_id).map_err(not_archived)?;
        }
        self.timings.archive += started.elapsed();
        Ok(())
    }

    /// Stages the run's batches (rendered from the rows it appends, as `sluice replay`
    /// renders them from the ledger); returns their outbox paths.
    fn stage_batches(&mut self) -> Result<Vec<String>, RunError> {
        let record = RunRecord {
            run_id: &self.run_id,
            pipeline: &self.pipeline.name,
            started: self.options.now,
            rows: &self.new,
            retried_lines: &self.retried_lines,
            withdrawn: &self.withdrawn_matches,
            replaced_documents: &self.replaced_documents,
            customers: &self.known.customers,
            documents: &self.known.documents,
            held: &outbox::batch::held_documents(self.known.staging.values()),
        };
        let mut paths = Vec::new();
        let mut staged = Vec::new();
        for batch in outbox::batch::render(&self.pipeline.targets, &record) {
            let dir = outbox::stage(&self.pipeline.outbox, &batch.manifest, &batch.files)?;
            paths.push(outbox::batch_path(&batch.manifest).display().to_string());
            self.trap.reached(CrashPoint::Batch);
            // Requests that wait for a held document, as the batch stages them.
            let waiting = batch
                .files
                .iter()
                .filter(|f| f.name.ends_with(".json"))
                .filter_map(|f| outbox::StagedRequest::from_bytes(&f.bytes).ok())
                .filter(|r| !r.needs.is_empty())
                .map(|r| (r.records.len(), r.needs))
                .collect();
            staged.push(BatchSummary {
                target: batch.manifest.target.clone(),
                path: dir,
                files: batch.files.len(),
                records: batch.manifest.record_count,
                waiting,
            });
        }
        self.summary.batches.extend(staged);
        Ok(paths)
    }
}
