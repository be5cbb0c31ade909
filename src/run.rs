//! One run, start to commit: recover, read the inbox, parse, dedup, reconcile, render the
//! targets, then commit (segments → batches → journal record → archive moves; see
//! `ledger::commit` for why in that order). Either everything of a run becomes a fact or
//! nothing does; a run with nothing new writes nothing at all.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SubsecRound, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use crate::intake::{self, Dropped, Fingerprints, IntakeError};
use crate::ledger::{
    self, BankLineRow, DocumentRow, Facts, FileRow, FileStatus, JournalRecord, Ledger, LedgerError,
    MatchRow, Move, Table,
};
use crate::model::{BankLine, Document, MatchKind};
use crate::outbox::{self, BatchHeader, InputRef, OutboxError};
use crate::pipeline::{AfterIntake, Pipeline, Source};
use crate::reconcile::{self, Book, InvoiceCounts, Outcome};
use crate::sources::{self, InputFile, Records};
use crate::targets::{self, RunFacts};

/// Points where a test can make a run fail, to prove a failed run leaves no trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailPoint {
    AfterIntake,
    AfterSegment(Table),
    AfterBatches,
    AfterCommit,
    AfterFirstMove,
}

pub struct RunOptions {
    pub now: DateTime<Utc>,
    pub progress: bool,
    pub fail_at: Option<FailPoint>,
}

impl RunOptions {
    pub fn now() -> RunOptions {
        RunOptions {
            // Whole seconds: the time is printed in manifests and run ids.
            now: Utc::now().trunc_subsecs(0),
            progress: false,
            fail_at: None,
        }
    }
}

#[derive(Debug, Error)]
pub enum RunError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Intake(#[from] IntakeError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(
        "another sluice run holds the lock on {0}; wait for it to finish (the lock goes away with the process)"
    )]
    Locked(PathBuf),
    #[error("cannot take the lock {path}: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("run stopped on purpose at {0:?} (fault injection)")]
    Injected(FailPoint),
}

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

/// Holds the pipeline's lock file while a run works; released when dropped or when the
/// process dies (an OS lock, never a stale PID file).
struct RunLock {
    _file: File,
}

fn lock(ledger_dir: &Path) -> Result<RunLock, RunError> {
    let path = ledger_dir.join(".lock");
    let failed = |source| RunError::Lock {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(ledger_dir).map_err(failed)?;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(failed)?;
    match file.try_lock() {
        Ok(()) => Ok(RunLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(RunError::Locked(path)),
        Err(std::fs::TryLockError::Error(e)) => Err(failed(e)),
    }
}

/// What the ledger already knows, as a run needs it.
struct Known {
    files: HashMap<String, FileRow>,
    fingerprints: Fingerprints,
    documents: HashMap<String, (i64, Document)>,
    book: Book,
}

fn known(facts: &Facts) -> Known {
    let mut known = Known {
        files: HashMap::new(),
        fingerprints: Fingerprints::default(),
        documents: HashMap::new(),
        book: Book::default(),
    };
    for f in &facts.files {
        known
            .files
            .entry(f.sha256.clone())
            .or_insert_with(|| f.clone());
    }
    for row in facts.bank_lines.iter().filter(|r| r.applied) {
        known.fingerprints.insert(&row.fingerprint, &row.line);
    }
    for row in &facts.documents {
        known.book.upsert(row.document.clone());
        known.documents.insert(
            row.document.number.clone(),
            (row.version, row.document.clone()),
        );
    }
    for row in &facts.matches {
        if let (MatchKind::Allocation, Some(doc)) = (row.matched.kind, &row.matched.document) {
            known.book.allocate(doc, row.matched.amount);
        }
    }
    known
}

fn same_content(a: &Document, b: &Document) -> bool {
    (
        a.kind,
        &a.customer_id,
        &a.customer_name,
        a.issue_date,
        a.due_date,
        a.total,
        a.status,
    ) == (
        b.kind,
        &b.customer_id,
        &b.customer_name,
        b.issue_date,
        b.due_date,
        b.total,
        b.status,
    )
}

fn check(options: &RunOptions, point: FailPoint) -> Result<(), RunError> {
    if options.fail_at == Some(point) {
        Err(RunError::Injected(point))
    } else {
        Ok(())
    }
}

fn progress_bar(options: &RunOptions, len: usize) -> ProgressBar {
    if !options.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files  {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

pub fn run(pipeline: &Pipeline, options: &RunOptions) -> Result<Summary, RunError> {
    let _lock = lock(&pipeline.ledger)?;
    let ledger = Ledger::new(&pipeline.ledger);
    let (recovery, committed) = ledger.recover()?;
    let discarded_batches =
        outbox::discard_uncommitted(&pipeline.outbox, &pipeline.name, &committed)?;
    let mut summary = Summary {
        pipeline: pipeline.name.clone(),
        run_id: None,
        files: FileCounts::default(),
        quarantined: Vec::new(),
        bank_lines: LineCounts::default(),
        documents: DocumentCounts::default(),
        reconciled: Outcomes::default(),
        money_matched: BTreeMap::new(),
        invoices: InvoiceCounts::default(),
        batches: Vec::new(),
        recovered: Recovered {
            discarded_segments: recovery.discarded_segments.len(),
            discarded_batches: discarded_batches.len(),
            completed_moves: recovery.completed_moves.len(),
        },
    };
    for path in &recovery.discarded_segments {
        tracing::warn!(segment = %path.display(), "removed a segment of a run that never committed");
    }

    let mut known = known(&ledger.load()?);
    let seq = ledger.next_seq()?;
    let run_id = format!("{}-{seq:06}", options.now.format("%Y%m%dT%H%M%SZ"));
    let keep = pipeline.after == AfterIntake::Keep;

    let (paths, ignored) = intake::list_inbox(&pipeline.inbox)?;
    summary.files.ignored = ignored.len();
    let bar = progress_bar(options, paths.len());
    let mut new = Facts::default();
    let mut moves = Vec::new();
    let mut parsed: Vec<(Dropped, &Source, Records)> = Vec::new();
    let mut this_run: HashMap<String, String> = HashMap::new();
    for path in &paths {
        bar.set_message(
            path.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
        );
        bar.inc(1);
        let file = match intake::read_dropped(path) {
            Ok(file) => file,
            Err(e) => {
                // Gone between listing and reading (moved by a person): the next run sees it.
                tracing::warn!("{e}");
                continue;
            }
        };
        summary.files.read += 1;
        let earlier = known
            .files
            .get(&file.sha256)
            .map(|f| format!("{} (run {})", f.name, f.run_id))
            .or_else(|| {
                this_run
                    .get(&file.sha256)
                    .map(|name| format!("{name} (this run)"))
            });
        if let Some(earlier) = earlier {
            if keep && known.files.contains_key(&file.sha256) {
                summary.files.already_processed += 1;
                continue;
            }
            summary.files.duplicates += 1;
            let archived_as = plan_archive(pipeline, options.now, &file, true, &mut moves);
            new.files.push(FileRow {
                run_id: run_id.clone(),
                sha256: file.sha256.clone(),
                name: file.name.clone(),
                source: String::new(),
                status: FileStatus::Duplicate,
                records: 0,
                note: format!("same bytes as {earlier}; nothing applied again"),
                archived_as,
            });
            continue;
        }
        let Some(source) = pipeline
            .sources
            .iter()
            .find(|s| s.matches_file_name(&file.name))
        else {
            let patterns: Vec<String> = pipeline
                .sources
                .iter()
                .map(|s| {
                    format!(
                        "{} ({})",
                        s.name,
                        s.patterns
                            .iter()
                            .map(|p| p.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .collect();
            let reason = format!(
                "{}: the name matches no source of pipeline {} — known: {}. Rename the file, or add a source for it in {}",
                file.name,
                pipeline.name,
                patterns.join("; "),
                pipeline.file.display()
            );
            quarantine(pipeline, &file, reason, keep, &mut summary)?;
            continue;
        };
        let input = InputFile {
            name: &file.name,
            sha256: &file.sha256,
            bytes: &file.bytes,
        };
        match sources::parse(source, &input) {
            Ok(records) => {
                this_run.insert(file.sha256.clone(), file.name.clone());
                parsed.push((file, source, records));
            }
            Err(e) => {
                let reason = format!(
                    "{e}\n(source \"{}\" of {})",
                    source.name,
                    pipeline.file.display()
                );
                quarantine(pipeline, &file, reason, keep, &mut summary)?;
            }
        }
    }
    bar.finish_and_clear();
    check(options, FailPoint::AfterIntake)?;

    // Documents first, so a bank file and the invoice export it pays can arrive together.
    parsed.sort_by_key(|(_, _, records)| matches!(records, Records::BankLines(_)));
    let mut applied_lines: Vec<BankLine> = Vec::new();
    let mut batch_inputs: Vec<InputRef> = Vec::new();
    for (file, source, records) in &parsed {
        summary.files.processed += 1;
        let archived_as = plan_archive(pipeline, options.now, file, false, &mut moves);
        new.files.push(FileRow {
            run_id: run_id.clone(),
            sha256: file.sha256.clone(),
            name: file.name.clone(),
            source: source.name.clone(),
            status: FileStatus::Processed,
            records: records.len() as i64,
            note: String::new(),
            archived_as,
        });
        match records {
            Records::Documents(documents) => {
                for doc in documents {
                    let version = match known.documents.get(&doc.number) {
                        None => {
                            summary.documents.new += 1;
                            1
                        }
                        Some((_, old)) if same_content(old, doc) => {
                            summary.documents.unchanged += 1;
                            continue;
                        }
                        Some((v, _)) => {
                            summary.documents.updated += 1;
                            v + 1
                        }
                    };
                    if doc.kind == crate::model::DocumentKind::CreditNote {
                        summary.documents.credit_notes += 1;
                    }
                    known
                        .documents
                        .insert(doc.number.clone(), (version, doc.clone()));
                    known.book.upsert(doc.clone());
                    new.documents.push(DocumentRow {
                        run_id: run_id.clone(),
                        version,
                        document: doc.clone(),
                    });
                }
            }
            Records::BankLines(lines) => {
                let fingerprints = intake::fingerprint_lines(lines);
                let mut any_applied = false;
                for (line, fingerprint) in lines.iter().zip(fingerprints) {
                    let earlier = known.fingerprints.earlier(&fingerprint).cloned();
                    let (applied, duplicate_of, note) = match earlier {
                        Some(e) => {
                            summary.bank_lines.skipped_as_seen_before += 1;
                            let what = if line.bank_reference.trim().is_empty() {
                                "same account, date, amount and text".to_string()
                            } else {
                                format!("same bank reference \"{}\"", line.bank_reference.trim())
                            };
                            (
                                false,
                                e.id.clone(),
                                format!(
                                    "{what} as {} line {}; not applied again",
                                    e.file_name, e.line
                                ),
                            )
                        }
                        None => {
                            summary.bank_lines.new += 1;
                            known.fingerprints.insert(&fingerprint, line);
                            any_applied = true;
                            applied_lines.push(line.clone());
                            (true, String::new(), String::new())
                        }
                    };
                    new.bank_lines.push(BankLineRow {
                        run_id: run_id.clone(),
                        line: line.clone(),
                        fingerprint,
                        applied,
                        duplicate_of,
                        note,
                    });
                }
                if any_applied {
                    batch_inputs.push(InputRef {
                        name: file.name.clone(),
                        sha256: file.sha256.clone(),
                    });
                }
            }
        }
    }

    let mut matched_money: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut run_matches = Vec::new();
    for line in &applied_lines {
        let matches = reconcile::reconcile_line(line, &mut known.book, &pipeline.reconcile);
        for m in &matches {
            if m.kind == MatchKind::Allocation {
                *matched_money
                    .entry(m.amount.currency.code().to_string())
                    .or_default() += m.amount.amount;
            }
        }
        run_matches.extend(matches);
    }
    for line in &applied_lines {
        let of_line: Vec<_> = run_matches
            .iter()
            .filter(|m| m.bank_line_id == line.id)
            .cloned()
            .collect();
        match reconcile::outcome(&of_line, &known.book) {
            Outcome::Matched => summary.reconciled.matched += 1,
            Outcome::PartlyMatched => summary.reconciled.partly_matched += 1,
            Outcome::Unmatched => summary.reconciled.unmatched += 1,
            Outcome::Outgoing => summary.reconciled.outgoing += 1,
        }
    }
    summary.money_matched = matched_money
        .into_iter()
        .map(|(c, a)| (c, a.to_string()))
        .collect();
    summary.invoices = known.book.invoice_counts();
    new.matches = run_matches
        .iter()
        .map(|m| MatchRow {
            run_id: run_id.clone(),
            matched: m.clone(),
        })
        .collect();

    if new.is_empty() {
        return Ok(summary);
    }

    let mut segments = BTreeMap::new();
    for table in Table::ALL {
        if let Some(segment) = ledger.write_segment(&run_id, table, &new)? {
            segments.insert(table.name().to_string(), segment);
        }
        check(options, FailPoint::AfterSegment(table))?;
    }

    let mut batch_paths = Vec::new();
    if !applied_lines.is_empty() {
        let facts = RunFacts {
            bank_lines: &applied_lines,
            matches: &run_matches,
        };
        for target in &pipeline.targets {
            let files = targets::render(target, &facts);
            if files.is_empty() {
                continue;
            }
            let manifest = outbox::manifest(
                BatchHeader {
                    batch_id: &run_id,
                    run_id: &run_id,
                    pipeline: &pipeline.name,
                    target: &target.name,
                    platform: target.platform.as_str(),
                    created: options.now,
                    inputs: batch_inputs.clone(),
                },
                &files,
            );
            let dir = outbox::stage(&pipeline.outbox, &manifest, &files)?;
            batch_paths.push(outbox::batch_path(&manifest).display().to_string());
            summary.batches.push(BatchSummary {
                target: target.name.clone(),
                path: dir,
                files: files.len(),
                records: manifest.record_count,
            });
        }
    }
    check(options, FailPoint::AfterBatches)?;

    summary.run_id = Some(run_id.clone());
    let record = JournalRecord {
        run_id: run_id.clone(),
        seq,
        pipeline: pipeline.name.clone(),
        started: options.now,
        segments,
        batches: batch_paths,
        moves: moves.clone(),
        summary: serde_json::to_value(&summary).unwrap_or_default(),
    };
    ledger.commit(&record)?;
    check(options, FailPoint::AfterCommit)?;
    for (i, m) in moves.iter().enumerate() {
        ledger::apply_move(m)?;
        if i == 0 {
            check(options, FailPoint::AfterFirstMove)?;
        }
    }
    if !moves.is_empty() {
        ledger.moves_done(&run_id)?;
    }
    Ok(summary)
}

/// Plans the move of an input to the archive, done after the commit; returns its path in
/// the archive (empty with `after = "keep"`).
fn plan_archive(
    pipeline: &Pipeline,
    now: DateTime<Utc>,
    file: &Dropped,
    duplicate: bool,
    moves: &mut Vec<Move>,
) -> String {
    if pipeline.after == AfterIntake::Keep {
        return String::new();
    }
    let to = intake::archive_destination(&pipeline.archive, now, file, duplicate);
    let archived_as = to
        .strip_prefix(&pipeline.archive)
        .unwrap_or(&to)
        .display()
        .to_string();
    moves.push(Move {
        from: file.path.clone(),
        to,
        sha256: file.sha256.clone(),
    });
    archived_as
}

fn quarantine(
    pipeline: &Pipeline,
    file: &Dropped,
    reason: String,
    keep: bool,
    summary: &mut Summary,
) -> Result<(), RunError> {
    tracing::warn!("quarantined: {reason}");
    let moved_to = intake::quarantine(&pipeline.quarantine, file, &reason, keep)?;
    summary.files.quarantined += 1;
    summary.quarantined.push(Quarantined {
        file: file.name.clone(),
        moved_to,
        reason,
    });
    Ok(())
}
