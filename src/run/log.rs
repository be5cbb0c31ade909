//! The run's log for auditors, `ledger/journal/<run-id>.log` beside its journal record: what
//! was read (each file, its source and format, SHA-256, records, where it went), what was
//! decided (money per rule, outcomes, held documents, quarantined files with the reason) and
//! what was written (ledger segments, batches with their manifest's SHA-256).
//!
//! It is written after the batches and before the journal record, so it is part of the
//! commit: a run that fails leaves none (recovery removes a log no journal record names),
//! and a run that commits always has one. Plain text; paths are relative to the pipeline's
//! own folders (archive, quarantine, outbox), as the ledger names them.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use rust_decimal::Decimal;

use super::Run;
use crate::durable;
use crate::ledger::{FileStatus, SegmentInfo};
use crate::outbox::MANIFEST;

/// A rule's matches of one kind: how many, and their money per currency.
type RuleTotals<'a> = (usize, BTreeMap<&'a str, Decimal>);

impl Run<'_> {
    pub(super) fn log_text(&self, segments: &BTreeMap<String, SegmentInfo>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "sluice run {} — run {}, started {}\npipeline file: {}\n",
            self.pipeline.name,
            self.run_id,
            self.options.now.format("%Y-%m-%d %H:%M:%S UTC"),
            self.pipeline.file.display()
        );
        self.read(&mut out);
        self.decided(&mut out);
        self.wrote(&mut out, segments);
        out
    }

    fn read(&self, out: &mut String) {
        let f = &self.summary.files;
        let _ = writeln!(
            out,
            "READ  {} file(s): {} processed, {} duplicate(s), {} quarantined, {} already processed (left in the inbox), {} temporary or lock file(s) ignored",
            f.read, f.processed, f.duplicates, f.quarantined, f.already_processed, f.ignored
        );
        for file in &self.new.files {
            let format = self
                .pipeline
                .sources
                .iter()
                .find(|s| s.name == file.source)
                .map(|s| s.format.as_str())
                .unwrap_or("-");
            let what = match file.status {
                FileStatus::Processed => format!(
                    "source {} (format {format}), {} record(s)",
                    file.source, file.records
                ),
                FileStatus::Duplicate => file.note.clone(),
            };
            let kept = if file.archived_as.is_empty() {
                "kept in the inbox".to_string()
            } else {
                format!("archived as {}", file.archived_as)
            };
            let _ = writeln!(
                out,
                "  {}\n    sha256 {}\n    {what}; {kept}",
                file.name, file.sha256
            );
        }
        for q in &self.summary.quarantined {
            let _ = writeln!(
                out,
                "  {} — QUARANTINED as {}",
                q.file,
                below(&self.pipeline.quarantine, &q.moved_to)
            );
            for line in q.reason.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        out.push('\n');
    }

    fn decided(&self, out: &mut String) {
        let b = &self.summary.bank_lines;
        let _ = writeln!(
            out,
            "DECIDED  bank lines: {} new, {} skipped as seen before, {} not booked, {} booked before reconcile.import_from",
            b.new, b.skipped_as_seen_before, b.not_booked, b.before_import_from
        );
        let mut rules: BTreeMap<(&str, &str), RuleTotals> = BTreeMap::new();
        for row in &self.new.matches {
            let m = &row.matched;
            let (count, money) = rules.entry((m.rule.as_str(), m.kind.as_str())).or_default();
            *count += 1;
            *money.entry(m.amount.currency.code()).or_default() += m.amount.amount;
        }
        for ((rule, kind), (count, money)) in &rules {
            let money: Vec<String> = money.iter().map(|(c, a)| format!("{c} {a}")).collect();
            let _ = writeln!(
                out,
                "  rule {rule:<22} {kind:<11} {count:>6} match(es)  {}",
                money.join(", ")
            );
        }
        let r = &self.summary.reconciled;
        let _ = writeln!(
            out,
            "  lines: {} matched, {} partly matched, {} unmatched, {} outgoing, {} returned; {} of earlier runs placed on retry",
            r.matched, r.partly_matched, r.unmatched, r.outgoing, r.returned, r.placed_on_retry
        );
        let d = &self.summary.documents;
        let _ = writeln!(
            out,
            "  documents: {} new ({} credit notes), {} updated, {} unchanged; not applied: {} deleted, {} without lines",
            d.new, d.credit_notes, d.updated, d.unchanged, d.deleted, d.without_lines
        );
        for h in &self.summary.held_documents {
            let _ = writeln!(
                out,
                "  HELD {} (version {}) for {}: {}:{}: {}",
                h.document, h.version, h.target, h.file, h.line, h.reason
            );
        }
        out.push('\n');
    }

    fn wrote(&self, out: &mut String, segments: &BTreeMap<String, SegmentInfo>) {
        let _ = writeln!(out, "WROTE  {} ledger segment(s)", segments.len());
        for segment in segments.values() {
            let _ = writeln!(out, "  {} ({} row(s))", segment.file, segment.rows);
        }
        for batch in &self.summary.batches {
            let manifest = std::fs::read(batch.path.join(MANIFEST))
                .map(|bytes| durable::sha256_hex(&bytes))
                .unwrap_or_else(|e| format!("unreadable ({e})"));
            let _ = writeln!(
                out,
                "  batch {} for {}: {} file(s), {} record(s); manifest.json sha256 {manifest}",
                below(&self.pipeline.outbox, &batch.path),
                batch.target,
                batch.files,
                batch.records
            );
        }
    }
}

/// `path` relative to `folder`, where it lies below it.
fn below(folder: &Path, path: &Path) -> String {
    path.strip_prefix(folder)
        .unwrap_or(path)
        .display()
        .to_string()
}
