//! `sluice replay`: a committed batch rendered again from the ledger alone, and compared byte
//! for byte with the batch folder — the proof an auditor asks for that a batch says what the
//! ledger says, and that rendering is deterministic.
//!
//! The run's record is rebuilt from the ledger (the rows the run appended, and the earlier
//! facts they refer to) and rendered by `batch::render`, the code the run staged it with.
//! The target's settings are the pipeline file's as it is now: a mapping changed since the
//! run shows as a difference, and the message says so rather than blaming the ledger.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::batch::{self, Batch, RunRecord};
use super::diff::first_differences;
use super::{DELIVERY_LOG, MANIFEST, OutboxError, manifest_bytes, read_manifest, write_folder};
use crate::ledger::{
    DecisionAction, DocumentRow, Facts, JournalRecord, Ledger, LedgerError, MatchRow,
};
use crate::model::{BankLine, Customer, Match};
use crate::pipeline::Pipeline;

#[derive(Debug, Error)]
pub enum ReplayError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(
        "{batch} is a batch of pipeline \"{found}\", not of \"{pipeline}\": replay it with that pipeline's file"
    )]
    OtherPipeline {
        batch: String,
        found: String,
        pipeline: String,
    },
    #[error(
        "no committed run of pipeline \"{pipeline}\" has the id {batch_id}: the ledger's journal does not name it (a batch of a run that never committed is not a fact; the next run removes it)"
    )]
    NotCommitted { pipeline: String, batch_id: String },
    #[error(
        "run {batch_id} staged no batch for target \"{target}\"{}",
        staged_list(.staged)
    )]
    NotStaged {
        batch_id: String,
        target: String,
        staged: Vec<String>,
    },
    #[error("run {0} staged no batch: nothing of it was for any target")]
    NoBatches(String),
    #[error(
        "run {batch_id} staged batches for several targets ({}): name one with --target, or give the batch folder",
        .targets.join(", ")
    )]
    WhichTarget {
        batch_id: String,
        targets: Vec<String>,
    },
    #[error(
        "target \"{target}\" is not in {pipeline_file} any more: its batch cannot be rendered again without its settings"
    )]
    UnknownTarget {
        target: String,
        pipeline_file: PathBuf,
    },
    #[error(
        "target \"{target}\" renders nothing from run {batch_id}'s facts now: the target's settings may have changed since the run"
    )]
    NothingRendered { target: String, batch_id: String },
    #[error("{0} is neither a batch folder nor a batch id")]
    NoSuchBatch(PathBuf),
    #[error(
        "{0} exists and is not empty: give a new or empty folder, so nothing there is overwritten"
    )]
    NotEmpty(PathBuf),
}

fn staged_list(staged: &[String]) -> String {
    if staged.is_empty() {
        String::new()
    } else {
        format!(" (it staged: {})", staged.join(", "))
    }
}

/// A batch rendered again from the ledger.
pub struct Replayed {
    /// The folder the run staged it in, `outbox/<pipeline>/<target>/<batch-id>`, or the
    /// folder the replay was asked about.
    pub folder: PathBuf,
    pub batch: Batch,
}

/// Renders again the batch `batch` names — a batch folder, or a batch id (the run's id;
/// `target` says which of the run's batches when it staged several).
pub fn replay(
    pipeline: &Pipeline,
    batch: &Path,
    target: Option<&str>,
) -> Result<Replayed, ReplayError> {
    let ledger = Ledger::new(&pipeline.ledger);
    let journal = ledger.journal()?;
    let (target, batch_id, folder) = identify(pipeline, &journal, batch, target)?;
    let Some(position) = journal
        .iter()
        .position(|r| r.run_id == batch_id && r.pipeline == pipeline.name)
    else {
        return Err(ReplayError::NotCommitted {
            pipeline: pipeline.name.clone(),
            batch_id,
        });
    };
    let record = &journal[position];
    let staged_as = Path::new(&pipeline.name).join(&target).join(&batch_id);
    if !record
        .batches
        .iter()
        .any(|b| Path::new(b) == staged_as.as_path())
    {
        return Err(ReplayError::NotStaged {
            batch_id,
            target,
            staged: staged_targets(record),
        });
    }
    let Some(settings) = pipeline.targets.iter().find(|t| t.name == target) else {
        return Err(ReplayError::UnknownTarget {
            target,
            pipeline_file: pipeline.file.clone(),
        });
    };
    let facts = ledger.load()?;
    let commits: BTreeSet<&str> = journal[..=position]
        .iter()
        .map(|r| r.run_id.as_str())
        .collect();
    let rebuilt = Rebuilt::from_ledger(&facts, &batch_id, &commits);
    let record = RunRecord {
        run_id: &batch_id,
        pipeline: &pipeline.name,
        started: record.started,
        rows: &rebuilt.rows,
        retried_lines: &rebuilt.retried_lines,
        withdrawn: &rebuilt.withdrawn,
        replaced_documents: &rebuilt.replaced_documents,
        customers: &rebuilt.customers,
        documents: &rebuilt.documents,
        held: &batch::held_documents(
            facts
                .target_documents
                .iter()
                .filter(|r| commits.contains(r.run_id.as_str())),
        ),
    };
    let batch = batch::render(std::slice::from_ref(settings), &record)
        .pop()
        .ok_or_else(|| ReplayError::NothingRendered {
            target: target.clone(),
            batch_id: batch_id.clone(),
        })?;
    Ok(Replayed { folder, batch })
}

/// The target, batch id and folder of the batch asked about. A folder says who it is in its
/// manifest (compared with the replay like every file), else by where it lies:
/// `<pipeline>/<target>/<batch-id>`.
fn identify(
    pipeline: &Pipeline,
    journal: &[JournalRecord],
    batch: &Path,
    target: Option<&str>,
) -> Result<(String, String, PathBuf), ReplayError> {
    let name = |p: Option<&Path>| {
        p.and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if batch.is_dir() {
        let (found, target, batch_id) = match read_manifest(batch) {
            Ok(m) => (m.pipeline, m.target, m.batch_id),
            Err(_) => {
                let target_dir = batch.parent();
                (
                    name(target_dir.and_then(Path::parent)),
                    name(target_dir),
                    name(Some(batch)),
                )
            }
        };
        if found != pipeline.name {
            return Err(ReplayError::OtherPipeline {
                batch: batch.display().to_string(),
                found,
                pipeline: pipeline.name.clone(),
            });
        }
        return Ok((target, batch_id, batch.to_path_buf()));
    }
    let batch_id = batch.to_string_lossy().into_owned();
    if batch.components().count() != 1 {
        return Err(ReplayError::NoSuchBatch(batch.to_path_buf()));
    }
    let target = match target {
        Some(t) => t.to_string(),
        None => {
            let staged = journal
                .iter()
                .find(|r| r.run_id == batch_id && r.pipeline == pipeline.name)
                .map(staged_targets)
                .ok_or_else(|| ReplayError::NotCommitted {
                    pipeline: pipeline.name.clone(),
                    batch_id: batch_id.clone(),
                })?;
            match staged.as_slice() {
                [one] => one.clone(),
                [] => return Err(ReplayError::NoBatches(batch_id)),
                _ => {
                    return Err(ReplayError::WhichTarget {
                        batch_id,
                        targets: staged,
                    });
                }
            }
        }
    };
    let folder = pipeline
        .outbox
        .join(&pipeline.name)
        .join(&target)
        .join(&batch_id);
    Ok((target, batch_id, folder))
}

/// The targets a committed run staged a batch for.
fn staged_targets(record: &JournalRecord) -> Vec<String> {
    record
        .batches
        .iter()
        .filter_map(|b| {
            Path::new(b)
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
        })
        .collect()
}

/// A run's record read back from the ledger: its rows, and the earlier facts they refer
/// to, as the run held them when it staged its batches.
struct Rebuilt {
    rows: Facts,
    retried_lines: Vec<BankLine>,
    withdrawn: Vec<Match>,
    replaced_documents: Vec<DocumentRow>,
    customers: HashMap<String, (i64, Customer)>,
    documents: HashMap<String, DocumentRow>,
}

impl Rebuilt {
    /// `commits`: the run and every commit before it.
    fn from_ledger(facts: &Facts, run_id: &str, commits: &BTreeSet<&str>) -> Rebuilt {
        let rows = facts.of_commit(run_id);
        let mut customers = HashMap::new();
        for row in facts
            .customers
            .iter()
            .filter(|r| commits.contains(r.run_id.as_str()))
        {
            customers.insert(row.customer.id.clone(), (row.version, row.customer.clone()));
        }
        let mut documents = HashMap::new();
        let mut versions: HashMap<(&str, i64), &DocumentRow> = HashMap::new();
        for row in facts
            .documents
            .iter()
            .filter(|r| commits.contains(r.run_id.as_str()))
        {
            documents.insert(row.document.number.clone(), row.clone());
            versions.insert((row.document.number.as_str(), row.version), row);
        }
        let replaced_documents = rows
            .documents
            .iter()
            .filter(|r| r.version > 1)
            .filter_map(|r| versions.get(&(r.document.number.as_str(), r.version - 1)))
            .map(|r| (*r).clone())
            .collect();

        // A retry withdrew every match of its line written by the commits it replaces.
        let lines = facts.applied_lines();
        let mut matches_of: HashMap<&str, Vec<&MatchRow>> = HashMap::new();
        for m in &facts.matches {
            matches_of
                .entry(m.matched.bank_line_id.as_str())
                .or_default()
                .push(m);
        }
        let mut retried_lines = Vec::new();
        let mut withdrawn = Vec::new();
        for d in rows
            .decisions
            .iter()
            .filter(|d| d.action == DecisionAction::Retry)
        {
            if let Some(line) = lines.get(d.bank_line_id.as_str()) {
                retried_lines.push((*line).clone());
            }
            let earlier = matches_of
                .get(d.bank_line_id.as_str())
                .into_iter()
                .flatten();
            withdrawn.extend(
                earlier
                    .filter(|m| d.replaces.contains(&m.run_id))
                    .map(|m| m.matched.clone()),
            );
        }
        Rebuilt {
            rows,
            retried_lines,
            withdrawn,
            replaced_documents,
            customers,
            documents,
        }
    }
}

/// What a batch folder holds compared with its replay.
#[derive(Debug, Default)]
pub struct Comparison {
    /// Files (the manifest among them) byte for byte as replayed.
    pub identical: usize,
    pub differences: Vec<Difference>,
}

impl Comparison {
    pub fn is_identical(&self) -> bool {
        self.differences.is_empty()
    }
}

#[derive(Debug)]
pub enum Difference {
    /// Both have the file; `diff` shows its first differing lines.
    Differs { name: String, diff: String },
    /// The replay renders a file the folder does not hold.
    MissingFromBatch { name: String },
    /// The folder holds a file the replay does not render.
    NotReplayed { name: String },
}

/// Compares the replay with the batch folder it was made of, file by file and the
/// manifest; the delivery log `sluice push` appends to is not part of a staged batch.
pub fn compare(replayed: &Replayed) -> Result<Comparison, ReplayError> {
    let dir = &replayed.folder;
    let batch = &replayed.batch;
    let manifest = manifest_bytes(&batch.manifest);
    let expected = batch
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.bytes.as_slice()))
        .chain([(MANIFEST, manifest.as_slice())]);
    let mut comparison = Comparison::default();
    let mut names = BTreeSet::new();
    for (name, bytes) in expected {
        names.insert(name.to_string());
        let path = dir.join(name);
        match fs::read(&path) {
            Ok(staged) if staged == bytes => comparison.identical += 1,
            Ok(staged) => comparison.differences.push(Difference::Differs {
                name: name.to_string(),
                diff: first_differences(name, &staged, bytes),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                comparison.differences.push(Difference::MissingFromBatch {
                    name: name.to_string(),
                })
            }
            Err(source) => return Err(OutboxError::Read { path, source }.into()),
        }
    }
    let entries = fs::read_dir(dir).map_err(|source| OutboxError::Read {
        path: dir.clone(),
        source,
    })?;
    let mut extra: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != DELIVERY_LOG && !names.contains(n))
        .collect();
    extra.sort();
    comparison.differences.extend(
        extra
            .into_iter()
            .map(|name| Difference::NotReplayed { name }),
    );
    Ok(comparison)
}

/// Writes the replay as a batch folder `dir` (its files and manifest), which must be new or
/// empty.
pub fn write_replay(replayed: &Replayed, dir: &Path) -> Result<(), ReplayError> {
    if let Ok(mut entries) = fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(ReplayError::NotEmpty(dir.to_path_buf()));
        }
    } else if dir.exists() {
        return Err(ReplayError::NotEmpty(dir.to_path_buf()));
    }
    let batch = &replayed.batch;
    write_folder(dir, &batch.manifest, &batch.files)?;
    Ok(())
}
