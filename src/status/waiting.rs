//! What lies in the pipeline's folders rather than in the ledger: files in the inbox that
//! the next run will take, and files in quarantine with the reason written beside each.
//!
//! With `after = "keep"` the inbox also holds every file already applied (and every refused
//! one, whose copy is in quarantine); only bytes the ledger and quarantine do not know wait.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::durable;
use crate::intake::{self, IntakeError};

const REASON_SUFFIX: &str = ".reason.txt";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct QuarantinedFile {
    /// Its name in the quarantine folder.
    pub file: String,
    /// Why it was refused, as the reason file beside it says.
    pub reason: String,
}

/// Files the next run takes: the inbox's inputs, less (with `keep`) the bytes already known.
pub fn inbox(inbox: &Path, keep: bool, known: &HashSet<&str>) -> Result<Vec<String>, IntakeError> {
    if !inbox.exists() {
        return Ok(Vec::new());
    }
    let (files, _ignored) = intake::list_inbox(inbox)?;
    let mut waiting = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if keep {
            // Gone since the listing: nothing waits under that name any more.
            let Ok(bytes) = fs::read(&path) else {
                continue;
            };
            if known.contains(durable::sha256_hex(&bytes).as_str()) {
                continue;
            }
        }
        waiting.push(name);
    }
    Ok(waiting)
}

/// SHA-256 of every file in quarantine: with `keep`, the originals still in the inbox are
/// not waiting, every run refuses them again.
pub fn quarantined_sha256(quarantine: &Path) -> io::Result<HashSet<String>> {
    let mut known = HashSet::new();
    for (path, _) in quarantine_files(quarantine)? {
        if let Ok(bytes) = fs::read(&path) {
            known.insert(durable::sha256_hex(&bytes));
        }
    }
    Ok(known)
}

/// Every refused file with its reason, by name.
pub fn quarantine(quarantine: &Path) -> io::Result<Vec<QuarantinedFile>> {
    quarantine_files(quarantine)?
        .into_iter()
        .map(|(path, file)| {
            let mut reason_path = path.into_os_string();
            reason_path.push(REASON_SUFFIX);
            let reason = match fs::read_to_string(&reason_path) {
                Ok(text) => first_paragraph(&text),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    "no reason file beside it: it was put there by hand".to_string()
                }
                Err(e) => return Err(e),
            };
            Ok(QuarantinedFile { file, reason })
        })
        .collect()
}

fn quarantine_files(quarantine: &Path) -> io::Result<Vec<(std::path::PathBuf, String)>> {
    let entries = match fs::read_dir(quarantine) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_file() || name.ends_with(REASON_SUFFIX) || name.starts_with('.') {
            continue;
        }
        files.push((entry.path(), name));
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(files)
}

/// The reason proper: the reason file goes on with the file's name, SHA-256 and what to do.
fn first_paragraph(text: &str) -> String {
    text.split("\n\nfile: ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_what_comes_before_the_file_name() {
        let text = "bank.csv:3: column \"Amount\": \"x\" is not an amount\n(source \"bank\")\n\nfile: bank.csv\nsha256: ab\n\nWhat to do: fix it\n";
        assert_eq!(
            first_paragraph(text),
            "bank.csv:3: column \"Amount\": \"x\" is not an amount\n(source \"bank\")"
        );
    }

    #[test]
    fn quarantine_lists_files_with_their_reasons_and_marks_those_without() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a.csv"), "x").expect("write");
        fs::write(
            dir.path().join("a.csv.reason.txt"),
            "a.csv: no source\n\nfile: a.csv\n",
        )
        .expect("write");
        fs::write(dir.path().join("b.sta"), "y").expect("write");
        let files = quarantine(dir.path()).expect("reads");
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].reason, "a.csv: no source");
        assert!(files[1].reason.contains("no reason file"));
    }
}
