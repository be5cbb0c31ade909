//! Intake: what is in the inbox, which source each file belongs to, what was seen before,
//! and where a file goes when sluice is done with it (archive or quarantine).
//!
//! Nothing a person dropped is ever deleted here: a file is moved (or, with
//! `after = "keep"`, copied) to quarantine with a plain-language reason beside it.

mod dedup;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::durable;

pub use dedup::{Earlier, Fingerprints, fingerprint_lines};

#[derive(Debug, Error)]
pub enum IntakeError {
    #[error("cannot read {path}: {source} — check the folder exists and sluice may read it")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source} — check free disk space and permissions")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One file found in the inbox, read whole and fingerprinted.
pub struct Dropped {
    pub path: PathBuf,
    pub name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// Files that are never inputs: partial downloads, office lock files (Excel's `~$x.xlsx`;
/// LibreOffice's `.~lock.x.ods#` is a hidden file), hidden files. They are left in the
/// inbox untouched: not read, not archived, not quarantined.
pub fn is_ignored(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || lower.ends_with(".part")
        || lower.ends_with(".crdownload")
        || lower.ends_with(".tmp")
        || lower.ends_with(".reason.txt")
}

/// The files directly in the inbox, by name; ignored ones are returned apart.
pub fn list_inbox(inbox: &Path) -> Result<(Vec<PathBuf>, Vec<String>), IntakeError> {
    let read = |source| IntakeError::Read {
        path: inbox.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    let mut ignored = Vec::new();
    for entry in walkdir::WalkDir::new(inbox)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| read(e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored(&name) {
            ignored.push(name);
        } else {
            files.push(entry.into_path());
        }
    }
    Ok((files, ignored))
}

pub fn read_dropped(path: &Path) -> Result<Dropped, IntakeError> {
    let bytes = fs::read(path).map_err(|source| IntakeError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Dropped {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: durable::sha256_hex(&bytes),
        path: path.to_path_buf(),
        bytes,
    })
}

/// `archive/YYYY/MM/<name>` for a file taken in at `now`; a duplicate is marked in its
/// name (`bank.duplicate.csv`). A name in `promised` belongs to a file still on its way
/// there, and is not given to another.
pub fn archive_destination(
    archive: &Path,
    now: DateTime<Utc>,
    file: &Dropped,
    duplicate: bool,
    promised: impl Fn(&Path) -> bool,
) -> PathBuf {
    let dir = archive.join(now.format("%Y/%m").to_string());
    let name = if duplicate {
        let path = Path::new(&file.name);
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        match path.extension() {
            Some(ext) => format!("{stem}.duplicate.{}", ext.to_string_lossy()),
            None => format!("{stem}.duplicate"),
        }
    } else {
        file.name.clone()
    };
    durable::free_name_but(&dir, &name, &file.sha256, promised)
}

/// Puts a refused file in quarantine with `<name>.reason.txt` beside it. With `keep`, the
/// original stays in the inbox and a copy goes to quarantine.
pub fn quarantine(
    quarantine_dir: &Path,
    file: &Dropped,
    reason: &str,
    keep: bool,
) -> Result<PathBuf, IntakeError> {
    // The same refused bytes again (with `keep`, every run sees them) go to the same place.
    let already = quarantine_dir.join(&file.name);
    let to = match fs::read(&already) {
        Ok(bytes) if durable::sha256_hex(&bytes) == file.sha256 => already,
        _ => durable::free_name(quarantine_dir, &file.name, &file.sha256),
    };
    let mut reason_path = to.clone().into_os_string();
    reason_path.push(".reason.txt");
    let reason_path = PathBuf::from(reason_path);
    let what_to_do = if keep {
        "fix the file in the inbox (or the pipeline file): the next run reads it again.\nUntil then every run refuses it and exits with code 3. This copy and this note\ncan be deleted once it is fixed."
    } else {
        "fix the file (or the pipeline file) and drop it in the inbox again;\nthis copy and this note can then be deleted."
    };
    let text = format!(
        "{reason}\n\nfile: {}\nsha256: {}\n\nWhat to do: {what_to_do}\n",
        file.name, file.sha256
    );
    let write = |path: &Path| {
        let path = path.to_path_buf();
        move |source| IntakeError::Write { path, source }
    };
    durable::write_atomic(&reason_path, text.as_bytes()).map_err(write(&reason_path))?;
    if keep {
        if !to.exists() {
            durable::write_atomic(&to, &file.bytes).map_err(write(&to))?;
        }
    } else {
        durable::move_file(&file.path, &to).map_err(write(&to))?;
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::is_ignored;

    #[test]
    fn partial_downloads_lock_files_and_hidden_files_are_not_inputs() {
        for name in [
            "bank-2026-10.csv.part",
            "bank-2026-10.CSV.PART",
            "camt053.xml.crdownload",
            "~$invoices-2026-10.xlsx",
            ".~lock.invoices-2026-10.ods#",
            ".DS_Store",
            ".bank-2026-10.csv",
            // What sluice itself writes: atomic writes' temporary names, quarantine notes.
            "bank-2026-10.csv.tmp",
            "statement.pdf.reason.txt",
        ] {
            assert!(is_ignored(name), "{name} must be ignored");
        }
    }

    #[test]
    fn ordinary_exports_are_inputs() {
        for name in [
            "bank-2026-10.csv",
            "invoices-2026-10.xlsx",
            "camt053_2026-10.xml",
            "MT940 Oktober.sta",
            "partner-report.csv",
            "lock-dates.csv",
            "a~$b.csv",
        ] {
            assert!(!is_ignored(name), "{name} is an input");
        }
    }
}
