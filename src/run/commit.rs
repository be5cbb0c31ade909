//! Committing a run, in the order `ledger::commit` explains: segments, batches, the journal
//! record (the commit point), then the archive moves.

use std::collections::BTreeMap;

use super::apply::Applied;
use super::summary::BatchSummary;
use super::{FailPoint, Run, RunError};
use crate::ledger::{self, DocumentRow, Facts, JournalRecord, Ledger, Table};
use crate::outbox::{self, BatchHeader, InputRef};
use crate::pipeline::Target;
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

    /// One batch per target that has something to render (a bank statement target needs
    /// new bank lines, a journal anything it books); returns their outbox paths.
    fn stage_batches(&mut self, applied: &Applied) -> Result<Vec<String>, RunError> {
        let mut paths = Vec::new();
        let facts = RunFacts {
            date: self.options.now.date_naive(),
            bank_lines: &applied.lines,
            matches: &applied.matches,
            rematched: &applied.rematched,
            retried_lines: &applied.retried_lines,
            withdrawn: &applied.withdrawn,
            documents: &self.new.documents,
            replaced_documents: &self.replaced_documents,
            customers: &self.new.customers,
            staged_documents: &[],
            all_customers: &self.known.customers,
        };
        for target in &self.pipeline.targets {
            let staged = self.to_stage.get(&target.name).map(Vec::as_slice);
            let facts = RunFacts {
                staged_documents: staged.unwrap_or_default(),
                ..facts
            };
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
                    inputs: inputs(target, applied, &self.new, staged.unwrap_or_default()),
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

/// The input files a target's batch came from: those of the run's bank lines; for a
/// journal, which books documents too (their payees named by the customer export), those
/// of the documents and customers the run wrote; for a target that imports documents, those of
/// the documents it stages (some from earlier runs) and of the customers the run wrote.
fn inputs(
    target: &Target,
    applied: &Applied,
    new: &Facts,
    staged: &[DocumentRow],
) -> Vec<InputRef> {
    let mut inputs = applied.inputs.clone();
    let documents: &[DocumentRow] = if target.platform.is_journal() {
        &new.documents
    } else if target.document_mapping().is_some() {
        staged
    } else {
        return inputs;
    };
    {
        let documents = documents.iter().map(|r| &r.document.lineage);
        let customers = new.customers.iter().map(|r| &r.customer.lineage);
        for lineage in documents.chain(customers) {
            if !inputs.iter().any(|i| i.sha256 == lineage.file_sha256) {
                inputs.push(InputRef {
                    name: lineage.file_name.clone(),
                    sha256: lineage.file_sha256.clone(),
                });
            }
        }
    }
    inputs
}
