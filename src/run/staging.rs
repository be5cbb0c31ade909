//! Which documents each target that imports documents (Xero with a mapping, QuickBooks)
//! stages in this run, and which it holds.
//!
//! A document version is staged for a target when the run wrote it (new, or changed) or an
//! earlier run held it, it is in the books (applied, not kept out by the partners-ignore
//! list, not cancelled), it is not older than the mapping's `export_from` (the platform has
//! those already), the target never staged the document before — Xero's and
//! QuickBooks' imports refuse a number they already have, so a later version is for a
//! person to correct on the platform —
//! and the target's mapping covers it. A document the mapping does not cover is held: listed
//! in the run summary with what to add to the pipeline, and recorded in the ledger's
//! `target_documents` table, so the first run after the mapping is fixed stages it, even a
//! run with nothing new in the inbox. A document held again for the same reason writes
//! nothing, so running again without a change still commits nothing.

use std::collections::BTreeMap;

use super::Run;
use super::summary::HeldDocument;
use crate::ledger::{DocumentRow, StagingRow};
use crate::model::DocumentStatus;

impl Run<'_> {
    pub(super) fn plan_staging(&mut self) {
        for target in &self.pipeline.targets {
            let Some(mapping) = target.document_mapping() else {
                continue;
            };
            // What Xero said it takes, when a pull fetched it.
            let platform = target.xero_api.as_ref().and_then(|_| {
                crate::targets::xero::settings::load(&self.pipeline.ledger, &target.name)
            });
            // By number, the latest version: what the run wrote, else what was held.
            let mut candidates: BTreeMap<String, DocumentRow> = BTreeMap::new();
            for row in &self.new.documents {
                candidates.insert(row.document.number.clone(), row.clone());
            }
            for ((t, number), last) in &self.known.staging {
                if *t == target.name
                    && !last.staged
                    && !candidates.contains_key(number)
                    && let Some(row) = self.known.documents.get(number)
                {
                    candidates.insert(number.clone(), row.clone());
                }
            }
            for (number, row) in candidates {
                let key = (target.name.clone(), number.clone());
                let last = self.known.staging.get(&key);
                if last.is_some_and(|l| l.staged)
                    || !in_books(&row)
                    || mapping.before_export(&row.document)
                {
                    continue;
                }
                let refusal = mapping.refusal(&row.document).or_else(|| {
                    platform
                        .as_ref()
                        .and_then(|p| p.refusal(&row.document, mapping))
                });
                let decision = match refusal {
                    None => StagingRow {
                        run_id: self.run_id.clone(),
                        target: target.name.clone(),
                        number,
                        version: row.version,
                        staged: true,
                        reason: String::new(),
                    },
                    Some(refusal) => {
                        let doc = &row.document;
                        self.summary.held_documents.push(HeldDocument {
                            target: target.name.clone(),
                            document: doc.number.clone(),
                            version: row.version,
                            file: doc.lineage.file_name.clone(),
                            line: doc.lineage.line,
                            reason: refusal.reason.clone(),
                            fix: format!("{} in {}", refusal.fix, self.pipeline.file.display()),
                        });
                        let reason = format!("{} — {}", refusal.reason, refusal.fix);
                        let same =
                            last.is_some_and(|l| l.version == row.version && l.reason == reason);
                        if same {
                            continue;
                        }
                        StagingRow {
                            run_id: self.run_id.clone(),
                            target: target.name.clone(),
                            number,
                            version: row.version,
                            staged: false,
                            reason,
                        }
                    }
                };
                self.known.staging.insert(key, decision.clone());
                self.new.target_documents.push(decision);
            }
        }
    }
}

/// Whether a document version is one the books count (as the journal targets read it).
fn in_books(row: &DocumentRow) -> bool {
    row.applied && row.ignored.is_none() && row.document.status != DocumentStatus::Cancelled
}
