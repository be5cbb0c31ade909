//! The outbox: one folder per batch, `outbox/<pipeline>/<target>/<batch-id>/`, holding the
//! rendered files and a `manifest.json` an auditor can check with `sluice verify`.
//!
//! A batch is staged under a temporary folder name and renamed into place, so a batch
//! folder is always complete. It is only a fact once its run's journal record names it;
//! recovery removes batches of runs that never committed.

pub mod batch;
mod diff;
mod replay;
pub mod request;
mod verify;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::durable;
use crate::targets::RenderedFile;

pub use batch::{Batch, RunRecord};
pub use replay::{Comparison, Difference, ReplayError, Replayed, compare, replay, write_replay};
pub use request::{RecordRef, StagedRequest};
pub use verify::{VerifyReport, read_manifest, verify};

pub const MANIFEST: &str = "manifest.json";
/// What `sluice push` appends to as it sends a batch's requests (see `delivery`).
pub const DELIVERY_LOG: &str = "delivery.log";

#[derive(Debug, Error)]
pub enum OutboxError {
    #[error("cannot write {path}: {source} — check free disk space and permissions")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a batch manifest: {message}")]
    BadManifest { path: PathBuf, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub batch_id: String,
    pub run_id: String,
    pub pipeline: String,
    pub target: String,
    pub platform: String,
    pub created: DateTime<Utc>,
    pub record_count: u64,
    /// Sum of the batch's amounts per currency, as exact decimal text.
    pub totals: BTreeMap<String, String>,
    pub files: Vec<ManifestFile>,
    /// The input files the batch's facts came from.
    pub inputs: Vec<InputRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
    pub records: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRef {
    pub name: String,
    pub sha256: String,
}

/// What a batch is, before its files are written.
pub struct BatchHeader<'a> {
    pub batch_id: &'a str,
    pub run_id: &'a str,
    pub pipeline: &'a str,
    pub target: &'a str,
    pub platform: &'a str,
    pub created: DateTime<Utc>,
    pub inputs: Vec<InputRef>,
}

pub fn manifest(header: BatchHeader<'_>, files: &[RenderedFile]) -> Manifest {
    let mut totals: BTreeMap<String, rust_decimal::Decimal> = BTreeMap::new();
    for file in files {
        for (currency, amount) in &file.totals {
            *totals.entry(currency.clone()).or_default() += *amount;
        }
    }
    Manifest {
        batch_id: header.batch_id.to_string(),
        run_id: header.run_id.to_string(),
        pipeline: header.pipeline.to_string(),
        target: header.target.to_string(),
        platform: header.platform.to_string(),
        created: header.created,
        record_count: files.iter().map(|f| f.records).sum(),
        totals: totals
            .into_iter()
            .map(|(c, a)| (c, a.to_string()))
            .collect(),
        files: files
            .iter()
            .map(|f| ManifestFile {
                name: f.name.clone(),
                sha256: durable::sha256_hex(&f.bytes),
                bytes: f.bytes.len() as u64,
                records: f.records,
            })
            .collect(),
        inputs: header.inputs,
    }
}

pub fn manifest_bytes(manifest: &Manifest) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(manifest).expect("a manifest always serialises");
    text.push('\n');
    text.into_bytes()
}

/// `outbox/<pipeline>/<target>/<batch-id>`, relative to the outbox folder.
pub fn batch_path(manifest: &Manifest) -> PathBuf {
    Path::new(&manifest.pipeline)
        .join(&manifest.target)
        .join(&manifest.batch_id)
}

/// Writes a complete batch folder where its pipeline and target put it in the outbox.
pub fn stage(
    outbox: &Path,
    manifest: &Manifest,
    files: &[RenderedFile],
) -> Result<PathBuf, OutboxError> {
    let dir = outbox.join(batch_path(manifest));
    write_folder(&dir, manifest, files)?;
    Ok(dir)
}

/// Writes a batch folder `dir`: its files and manifest go to a temporary folder beside it,
/// which is renamed into place, so the folder is never seen half-written. What `dir` held
/// before (a batch of a run that never committed) is replaced.
pub fn write_folder(
    dir: &Path,
    manifest: &Manifest,
    files: &[RenderedFile],
) -> Result<(), OutboxError> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    let staging = parent.join(format!(".{name}.tmp"));
    let write = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutboxError::Write { path, source }
    };
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(write(&staging))?;
    }
    fs::create_dir_all(&staging).map_err(write(&staging))?;
    for file in files {
        let path = staging.join(&file.name);
        durable::write_atomic(&path, &file.bytes).map_err(write(&path))?;
    }
    let path = staging.join(MANIFEST);
    durable::write_atomic(&path, &manifest_bytes(manifest)).map_err(write(&path))?;
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(write(dir))?;
    }
    fs::rename(&staging, dir).map_err(write(dir))?;
    durable::sync_dir(&parent).map_err(write(&parent))
}

/// Removes batch folders of this pipeline that no committed run names, and staging
/// leftovers. Returns what it removed.
pub fn discard_uncommitted(
    outbox: &Path,
    pipeline: &str,
    committed: &BTreeSet<String>,
) -> Result<Vec<PathBuf>, OutboxError> {
    let mut removed = Vec::new();
    let root = outbox.join(pipeline);
    let Ok(targets) = fs::read_dir(&root) else {
        return Ok(removed);
    };
    for target in targets.flatten() {
        let Ok(batches) = fs::read_dir(target.path()) else {
            continue;
        };
        for batch in batches.flatten() {
            let path = batch.path();
            let name = batch.file_name().to_string_lossy().into_owned();
            if path.is_dir() && (durable::is_temp(&path) || !committed.contains(&name)) {
                fs::remove_dir_all(&path).map_err(|source| OutboxError::Write {
                    path: path.clone(),
                    source,
                })?;
                removed.push(path);
            }
        }
    }
    Ok(removed)
}
