//! `sluice watch`: runs whenever files settle in the inbox. Each run is exactly `sluice
//! run`'s ([`run::run`]), over the files that have settled (see `settle`), so everything a
//! run promises holds here too: a run commits whole or not at all, and whatever it left
//! behind when the process died is discarded or finished by the next one.
//!
//! The watcher holds the ledger's lock only while a run works, never while it waits, so
//! people can `sluice pair` while it watches; a run that finds the ledger in use tries again
//! shortly. Its own lock (`.watch.lock` beside the ledger's) keeps a second watcher away.
//! A stop request is looked at between runs: the run at work is finished first.

mod settle;
mod stop;
mod wakeups;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::intake::{self, IntakeError};
use crate::pipeline::{Pipeline, WatchSettings};
use crate::run::{self, HeldLock, RunError, RunOptions, Summary, Taken};

pub use settle::{Settling, Stamp, Verdict};
pub use stop::Stop;
pub use wakeups::{FALLBACK_POLL, Mode};

/// How long to wait before trying again when someone else (a person's `pair`, a `run`)
/// holds the ledger.
pub const LOCK_RETRY: Duration = Duration::from_secs(2);
/// How long after a failed run the same files are tried again (sooner if one changes).
pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);
/// With file events, a look now and then all the same, in case one was lost.
const IDLE_LOOK: Duration = Duration::from_secs(60);
/// The longest a stop request waits while nothing runs.
const STOP_CHECK: Duration = Duration::from_millis(100);

#[derive(Debug, Error)]
pub enum WatchError {
    #[error(
        "pipeline {pipeline} is already watched by {}: one watcher per pipeline is enough — stop that one first (its lock {path} goes away with it, nothing to delete)",
        run::holder_or_unnamed(holder)
    )]
    AlreadyWatched {
        pipeline: String,
        path: PathBuf,
        holder: String,
    },
    #[error(
        "cannot take the lock {path}: {source} — check that sluice may write in the ledger folder"
    )]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Watches the pipeline's inbox until `stop` is requested; calls `on_run` with the outcome
/// of every run (not with runs put off because the ledger was in use).
pub fn watch(
    pipeline: &Pipeline,
    settings: WatchSettings,
    stop: &Stop,
    mut on_run: impl FnMut(&Result<Summary, RunError>),
) -> Result<(), WatchError> {
    let _watching = watch_lock(pipeline)?;
    let (wakeups, mode) = wakeups::Wakeups::start(&pipeline.inbox, settings.poll);
    let idle_look = match mode {
        Mode::Events => IDLE_LOOK,
        Mode::Poll(every) => every,
    };
    tracing::info!(
        "watching {} for pipeline {} ({}); a file is read once unchanged for {} s",
        pipeline.inbox.display(),
        pipeline.name,
        match mode {
            Mode::Events => "file events".to_string(),
            Mode::Poll(every) => format!("looking every {} s", every.as_secs_f64()),
        },
        settings.settle.as_secs_f64()
    );
    let mut settling = Settling::new(settings.settle);
    let mut next_look = Instant::now();
    let mut retry_at: Option<Instant> = None;
    loop {
        if stop.requested() {
            tracing::info!("stopped watching {}", pipeline.inbox.display());
            return Ok(());
        }
        let now = Instant::now();
        if retry_at.is_some_and(|at| now >= at) {
            settling.forget_taken();
            retry_at = None;
            next_look = now;
        }
        if now >= next_look {
            next_look = match inbox_files(&pipeline.inbox) {
                Err(e) => {
                    tracing::warn!("{e}; looking again in {} s", FALLBACK_POLL.as_secs());
                    now + FALLBACK_POLL
                }
                Ok(files) => match settling.look(now, &files) {
                    Verdict::Idle => now + idle_look,
                    Verdict::Wait(wait) => now + wait,
                    Verdict::Ready(files) if stop.requested() => {
                        tracing::info!("{} settled file(s) left for the next run", files.len());
                        continue;
                    }
                    Verdict::Ready(files) => match run_settled(pipeline, &files, stop) {
                        Err(RunError::Locked { holder, .. }) => {
                            tracing::info!(
                                "the ledger is in use by {}; trying again in {} s",
                                run::holder_or_unnamed(&holder),
                                LOCK_RETRY.as_secs()
                            );
                            Instant::now() + LOCK_RETRY
                        }
                        outcome => {
                            settling.taken(&files);
                            if outcome.is_err() {
                                retry_at = Some(Instant::now() + RETRY_AFTER_FAILURE);
                            }
                            on_run(&outcome);
                            // Files may have come while the run worked.
                            Instant::now()
                        }
                    },
                },
            };
            continue;
        }
        let wait = next_look.saturating_duration_since(now).min(STOP_CHECK);
        if wakeups.wait(wait) {
            next_look = Instant::now();
        }
    }
}

/// One run over the settled files, logged as one line.
fn run_settled(
    pipeline: &Pipeline,
    files: &BTreeSet<PathBuf>,
    stop: &Stop,
) -> Result<Summary, RunError> {
    tracing::info!("run started: {} settled file(s)", files.len());
    stop.set_running(true);
    let outcome = run::run(
        pipeline,
        &RunOptions {
            only_files: Some(files.clone()),
            before_archive: None,
            after_listing: None,
            ..RunOptions::now()
        },
    );
    stop.set_running(false);
    match &outcome {
        Ok(s) => {
            let f = &s.files;
            let counts = format!(
                "{} file(s) read: {} processed, {} already processed, {} duplicate(s), {} quarantined",
                f.read, f.processed, f.already_processed, f.duplicates, f.quarantined
            );
            match &s.run_id {
                Some(id) => tracing::info!("committed run {id}; {counts}"),
                None => tracing::info!("nothing new to commit; {counts}"),
            }
        }
        Err(RunError::Locked { .. }) => {}
        Err(e) => tracing::error!(
            "the run failed, nothing was committed: {e} — the same files are tried again in {} s, or as soon as one changes",
            RETRY_AFTER_FAILURE.as_secs()
        ),
    }
    outcome
}

/// Every input file directly in the inbox, with what can be seen of it without reading it.
/// A file gone between listing and looking is simply not there.
fn inbox_files(inbox: &Path) -> Result<Vec<(PathBuf, Stamp)>, IntakeError> {
    let (paths, _ignored) = intake::list_inbox(inbox)?;
    Ok(paths
        .into_iter()
        .filter_map(|path| {
            let meta = std::fs::metadata(&path).ok()?;
            let stamp = Stamp {
                size: meta.len(),
                modified: meta.modified().ok(),
            };
            Some((path, stamp))
        })
        .collect())
}

fn watch_lock(pipeline: &Pipeline) -> Result<HeldLock, WatchError> {
    let path = pipeline.ledger.join(".watch.lock");
    match run::try_lock(&path) {
        Ok(Taken::Held(held)) => Ok(held),
        Ok(Taken::Busy(holder)) => Err(WatchError::AlreadyWatched {
            pipeline: pipeline.name.clone(),
            path,
            holder,
        }),
        Err(source) => Err(WatchError::Lock { path, source }),
    }
}
