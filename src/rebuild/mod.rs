//! `sluice rebuild`: the ledger built again from what it was built from — every archived
//! input and every person's decision, in the journal's order and at the journal's times —
//! into a folder of its own, then compared with the live ledger (see `compare`).
//!
//! Commits are replayed at the time they were made because run ids, batch ids and
//! manifests come from that time and the commit's place in the journal: with the same
//! rules and code the rebuilt facts are the live facts, row for row, so any difference is
//! what a change of rules or code does. Nothing of the live pipeline is written: the
//! rebuild has its own inbox, archive, quarantine, ledger and outbox under its folder.

mod compare;
mod inputs;
mod replay;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::ledger::{Ledger, LedgerError};
use crate::pipeline::Pipeline;

pub use compare::{
    BatchDifference, Comparison, CountChange, DocumentChange, LineChange, MoneyChange,
    TableDifference, compare,
};
pub use inputs::InputProblem;

#[derive(Debug, Error)]
pub enum RebuildError {
    #[error(
        "{0} is not a new or empty folder: rebuild into a folder of its own, so nothing is mixed with what is there"
    )]
    NotEmpty(PathBuf),
    #[error("cannot write {path}: {source} — check free disk space and permissions")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the live ledger cannot be read: {0}")]
    Live(LedgerError),
    #[error("the rebuilt ledger in {path} cannot be read: {source}")]
    Rebuilt { path: PathBuf, source: LedgerError },
    #[error(
        "{} input file(s) of committed runs cannot be used, so nothing was rebuilt:\n{}",
        .0.len(),
        .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")
    )]
    Inputs(Vec<InputProblem>),
    #[error("replaying commit {commit} failed: {message}")]
    Replay { commit: String, message: String },
}

/// What a rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    /// The rebuild's own pipeline folders: `ledger/`, `outbox/`, `archive/`, …
    pub folder: PathBuf,
    pub runs: usize,
    /// Input files read again, each one's SHA-256 verified first.
    pub files: usize,
    pub decisions: usize,
    pub pushes: usize,
    /// Decisions the rebuilt ledger refused, with the reason (the line is placed otherwise
    /// now, say).
    pub refused: Vec<Refused>,
    /// Files a replayed run put in quarantine (a source that reads them no more).
    pub quarantined: Vec<Refused>,
    /// The first live commit the rebuild could not give the same id: from there on every
    /// later commit's rows differ at least in their commit id.
    pub diverged_at: Option<Refused>,
}

/// One commit (or one of its files) and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub commit: String,
    pub reason: String,
}

/// The rebuild's pipeline: the live one's settings, its own folders under `to`.
pub fn pipeline_in(live: &Pipeline, to: &Path) -> Pipeline {
    Pipeline {
        inbox: to.join("inbox"),
        archive: to.join("archive"),
        quarantine: to.join("quarantine"),
        ledger: to.join("ledger"),
        outbox: to.join("outbox"),
        ..live.clone()
    }
}

/// Replays the live ledger's journal into `to`, a new or empty folder.
pub fn rebuild(live: &Pipeline, to: &Path) -> Result<Rebuilt, RebuildError> {
    let facts = Ledger::new(&live.ledger)
        .load()
        .map_err(RebuildError::Live)?;
    let journal = Ledger::new(&live.ledger)
        .journal()
        .map_err(RebuildError::Live)?;
    let mut inputs = inputs::verified(live, &facts).map_err(RebuildError::Inputs)?;
    prepare(to)?;
    let rebuilt = pipeline_in(live, to);
    let mkdir = |path: &Path| {
        std::fs::create_dir_all(path).map_err(|source| RebuildError::Write {
            path: path.to_path_buf(),
            source,
        })
    };
    mkdir(&rebuilt.inbox)?;
    let rebuilt_ledger = Ledger::new(&rebuilt.ledger);
    let mut done = Rebuilt {
        folder: to.to_path_buf(),
        ..Rebuilt::default()
    };
    for record in &journal {
        let before = last_commit(&rebuilt_ledger, &rebuilt)?.unwrap_or_default();
        match replay::kind(record) {
            replay::Kind::Run => {
                let files = inputs.remove(&record.run_id).unwrap_or_default();
                done.runs += 1;
                done.files += files.len();
                let summary = replay::run(&rebuilt, record, &files)?;
                done.quarantined
                    .extend(summary.quarantined.iter().map(|q| Refused {
                        commit: record.run_id.clone(),
                        reason: format!("{}: {}", q.file, q.reason),
                    }));
            }
            replay::Kind::Decision => {
                done.decisions += 1;
                if let Err(reason) = replay::decision(&rebuilt, record, &facts)? {
                    done.refused.push(Refused {
                        commit: record.run_id.clone(),
                        reason,
                    });
                }
            }
            replay::Kind::Push => {
                done.pushes += 1;
                replay::push(&rebuilt, record, &facts)?;
            }
        }
        let last = last_commit(&rebuilt_ledger, &rebuilt)?;
        if done.diverged_at.is_none() && last.as_deref() != Some(record.run_id.as_str()) {
            done.diverged_at = Some(Refused {
                commit: record.run_id.clone(),
                reason: match last {
                    Some(id) if id != before => format!("the rebuild committed it as {id}"),
                    _ => "the rebuild committed nothing for it".to_string(),
                },
            });
        }
    }
    Ok(done)
}

fn last_commit(ledger: &Ledger, rebuilt: &Pipeline) -> Result<Option<String>, RebuildError> {
    let journal = ledger.journal().map_err(|source| RebuildError::Rebuilt {
        path: rebuilt.ledger.clone(),
        source,
    })?;
    Ok(journal.last().map(|r| r.run_id.clone()))
}

/// `to` must be new or empty: a rebuild's facts must come from the journal alone.
fn prepare(to: &Path) -> Result<(), RebuildError> {
    match std::fs::read_dir(to) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(RebuildError::NotEmpty(to.to_path_buf()));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(to).map_err(|source| RebuildError::Write {
                path: to.to_path_buf(),
                source,
            })
        }
        Err(source) => Err(RebuildError::Write {
            path: to.to_path_buf(),
            source,
        }),
    }
}
