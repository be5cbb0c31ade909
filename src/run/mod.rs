//! One run, start to commit: recover, read the inbox, parse, dedup, reconcile, render the
//! targets, then commit (segments → batches → journal record → archive moves; see
//! `ledger::commit` for why in that order). Either everything of a run becomes a fact or
//! nothing does; a run with nothing new writes nothing at all.

mod apply;
mod commit;
mod crash;
mod customers;
mod direct_debits;
mod import_from;
mod known;
mod lock;
mod log;
mod staging;
mod statements;
mod summary;
mod take_in;
mod timings;
mod transactions;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SubsecRound, Utc};
use thiserror::Error;

use crate::intake::{self, Dropped, IntakeError};
use crate::ledger::{Facts, Ledger, LedgerError, Move, Table};
use crate::outbox::{self, OutboxError};
use crate::pipeline::{AfterIntake, Pipeline};

pub use crash::{CrashAt, CrashPoint};
pub use summary::{
    BatchSummary, CustomerCounts, DirectDebitCounts, DocumentCounts, FileCounts, GatewayCounts,
    HeldDocument, IgnoredCounts, LineCounts, Outcomes, Quarantined, Recovered, StatementCounts,
    Summary, TransactionCounts,
};
pub use timings::Timings;

pub(crate) use lock::{HeldLock, Taken, holder_or_unnamed, os_user, try_take as try_lock};

pub(crate) use known::Known;

/// Points where a test can make a run fail, to prove a failed run leaves no trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailPoint {
    AfterIntake,
    AfterSegment(Table),
    AfterBatches,
    AfterLog,
    AfterCommit,
    AfterFirstMove,
}

pub struct RunOptions {
    pub now: DateTime<Utc>,
    pub progress: bool,
    pub fail_at: Option<FailPoint>,
    /// Kill the process with SIGKILL at this point (the `SLUICE_CRASH_AT` test hook).
    pub crash_at: Option<CrashAt>,
    /// Take only these files of the inbox (the watcher's settled ones: a file still being
    /// copied must not be read half); every file in it when `None`.
    pub only_files: Option<BTreeSet<PathBuf>>,
    /// Called after the commit, before the inputs move to the archive (tests use it to
    /// change or remove an input the run has read).
    pub before_archive: Option<fn(&Pipeline)>,
    /// Called after the inbox is listed, before any file is read (tests use it to change or
    /// remove a listed file).
    pub after_listing: Option<fn(&Pipeline)>,
}

impl RunOptions {
    pub fn now() -> RunOptions {
        RunOptions {
            // Whole seconds: the time is printed in manifests and run ids.
            now: Utc::now().trunc_subsecs(0),
            progress: false,
            fail_at: None,
            crash_at: None,
            only_files: None,
            before_archive: None,
            after_listing: None,
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
        "the ledger is in use by {}: wait for it to finish and try again (the lock {path} goes away with that process, nothing to delete)",
        lock::holder_or_unnamed(holder)
    )]
    Locked { path: PathBuf, holder: String },
    #[error("cannot take the lock {path}: {source} — check free disk space and permissions")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "run {run_id} is committed, but moving its inputs to the archive failed: {source} — fix that and run again: the next run moves the rest, and applies nothing twice"
    )]
    NotArchived { run_id: String, source: LedgerError },
    #[error("run stopped on purpose at {0:?} (fault injection)")]
    Injected(FailPoint),
}

/// Held while a process writes to a ledger; released when dropped or when the process dies.
pub(crate) type LedgerLock = HeldLock;

fn lock(ledger_dir: &Path) -> Result<LedgerLock, RunError> {
    let path = ledger_dir.join(".lock");
    match lock::try_take(&path) {
        Ok(Taken::Held(held)) => Ok(held),
        Ok(Taken::Busy(holder)) => Err(RunError::Locked { path, holder }),
        Err(source) => Err(RunError::Lock { path, source }),
    }
}

/// The state of one run while it works.
struct Run<'p> {
    pipeline: &'p Pipeline,
    options: &'p RunOptions,
    run_id: String,
    known: known::Known,
    summary: Summary,
    /// Rows this run appends to the ledger.
    new: Facts,
    /// Money taken back from invoices in this run, per currency.
    money_reversed: std::collections::BTreeMap<String, rust_decimal::Decimal>,
    /// Matches of earlier runs' lines that this run placed on retry.
    retried_matches: Vec<crate::model::Match>,
    /// The unmatched matches those retries withdraw.
    withdrawn_matches: Vec<crate::model::Match>,
    /// The earlier runs' lines `retried_matches` places.
    retried_lines: Vec<crate::model::BankLine>,
    /// The version before each document this run writes a new version of.
    replaced_documents: Vec<crate::ledger::DocumentRow>,
    /// Inputs to move to the archive once committed.
    moves: Vec<Move>,
    /// The bytes each input was read as, by SHA-256, until it is archived: an input
    /// changed or removed in the inbox after the run read it still reaches the archive as
    /// the ledger records it.
    read_bytes: std::collections::HashMap<String, Vec<u8>>,
    /// How long each stage took (for the benchmark).
    timings: Timings,
    trap: crash::Trap,
}

/// The pipeline's ledger, locked for this process and recovered from any run that died
/// before its commit: how every writer (a run, a person's decision) starts.
pub(crate) fn open_for_writing(
    pipeline: &Pipeline,
) -> Result<(LedgerLock, Ledger, Recovered), RunError> {
    let lock = lock(&pipeline.ledger)?;
    let ledger = Ledger::new(&pipeline.ledger);
    let (recovery, committed) = ledger.recover()?;
    let discarded_batches =
        outbox::discard_uncommitted(&pipeline.outbox, &pipeline.name, &committed)?;
    for path in &recovery.discarded_segments {
        tracing::warn!(segment = %path.display(), "removed a segment of a run that never committed");
    }
    let recovered = Recovered {
        discarded_segments: recovery.discarded_segments.len(),
        discarded_batches: discarded_batches.len(),
        completed_moves: recovery.completed_moves.len(),
    };
    Ok((lock, ledger, recovered))
}

/// A commit's id: when it started, and its place in the journal.
pub(crate) fn commit_id(now: DateTime<Utc>, seq: u64) -> String {
    format!("{}-{seq:06}", now.format("%Y%m%dT%H%M%SZ"))
}

pub fn run(pipeline: &Pipeline, options: &RunOptions) -> Result<Summary, RunError> {
    run_timed(pipeline, options).map(|(summary, _)| summary)
}

/// [`run`], and how long each stage took.
pub fn run_timed(
    pipeline: &Pipeline,
    options: &RunOptions,
) -> Result<(Summary, Timings), RunError> {
    let started = std::time::Instant::now();
    let mut load = std::time::Duration::ZERO;
    let (_lock, ledger, recovered, seq, known) = timings::timed(&mut load, || {
        let (lock, ledger, recovered) = open_for_writing(pipeline)?;
        let seq = ledger.next_seq()?;
        let known = known::Known::from_facts(&ledger.load()?, &pipeline.reconcile);
        Ok::<_, RunError>((lock, ledger, recovered, seq, known))
    })?;
    let mut run = Run {
        pipeline,
        options,
        run_id: commit_id(options.now, seq),
        known,
        summary: Summary::new(&pipeline.name, recovered),
        new: Facts::default(),
        money_reversed: Default::default(),
        retried_matches: Vec::new(),
        withdrawn_matches: Vec::new(),
        retried_lines: Vec::new(),
        replaced_documents: Vec::new(),
        moves: Vec::new(),
        read_bytes: std::collections::HashMap::new(),
        timings: Timings {
            load,
            ..Timings::default()
        },
        trap: crash::Trap::new(options.crash_at),
    };
    let intake_started = std::time::Instant::now();
    let (mut paths, ignored) = intake::list_inbox(&pipeline.inbox)?;
    if let Some(only) = &options.only_files {
        paths.retain(|p| only.contains(p));
    }
    run.summary.files.ignored = ignored.len();
    if let Some(hook) = options.after_listing {
        hook(pipeline);
    }
    let parsed = run.take_in(&paths)?;
    run.timings.intake = intake_started.elapsed();
    run.check(FailPoint::AfterIntake)?;
    let apply_started = std::time::Instant::now();
    run.take_statements(&parsed);
    run.apply(parsed);
    run.plan_staging();
    // Reconciliation is timed on its own inside `apply`.
    run.timings.apply = apply_started
        .elapsed()
        .saturating_sub(run.timings.reconcile);
    if !run.new.is_empty() {
        run.commit(&ledger, seq)?;
    }
    run.timings.total = started.elapsed();
    Ok((run.summary, run.timings))
}

impl Run<'_> {
    fn check(&self, point: FailPoint) -> Result<(), RunError> {
        if self.options.fail_at == Some(point) {
            Err(RunError::Injected(point))
        } else {
            Ok(())
        }
    }

    /// Plans the move of an input to the archive, done after the commit; returns its path
    /// in the archive (empty with `after = "keep"`).
    fn plan_archive(&mut self, file: &mut Dropped, duplicate: bool) -> String {
        if self.pipeline.after == AfterIntake::Keep {
            return String::new();
        }
        // Parsed already: the bytes are only needed again if the inbox file changes.
        self.read_bytes
            .insert(file.sha256.clone(), std::mem::take(&mut file.bytes));
        let archive = &self.pipeline.archive;
        // A name the ledger records for an earlier input may still be empty: that run was
        // stopped before its move, and the file changed or went before recovery could move
        // it. Giving the name to another file would make the ledger's lineage point at the
        // wrong bytes; so would giving one name to two inputs of this run.
        let promised = |to: &Path| {
            self.moves.iter().any(|m| m.to == to)
                || self
                    .known
                    .files
                    .values()
                    .any(|f| !f.archived_as.is_empty() && archive.join(&f.archived_as) == to)
        };
        let to = intake::archive_destination(archive, self.options.now, file, duplicate, promised);
        let archived_as = to
            .strip_prefix(archive)
            .unwrap_or(&to)
            .display()
            .to_string();
        self.moves.push(Move {
            from: file.path.clone(),
            to,
            sha256: file.sha256.clone(),
        });
        archived_as
    }
}
