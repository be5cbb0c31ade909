//! `sluice verify`: does a batch folder still hold exactly what its manifest says?
//! Every file's SHA-256 and size, every record count, and no file more or less (but the
//! delivery log `sluice push` appends to).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::{DELIVERY_LOG, MANIFEST, Manifest, OutboxError, StagedRequest};
use crate::durable;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub files_checked: usize,
    pub records: u64,
    /// Each problem names the file: empty means the batch is intact.
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The manifest of the batch folder `dir`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, OutboxError> {
    let manifest_path = dir.join(MANIFEST);
    let text = fs::read_to_string(&manifest_path).map_err(|source| OutboxError::Read {
        path: manifest_path.clone(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| OutboxError::BadManifest {
        path: manifest_path.clone(),
        message: e.to_string(),
    })
}

pub fn verify(dir: &Path) -> Result<VerifyReport, OutboxError> {
    let manifest_path = dir.join(MANIFEST);
    let manifest = read_manifest(dir)?;
    let mut report = VerifyReport::default();
    let mut listed = BTreeSet::new();
    for file in &manifest.files {
        listed.insert(file.name.clone());
        let path = dir.join(&file.name);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                report.problems.push(format!(
                    "{}: listed in the manifest but cannot be read ({e})",
                    path.display()
                ));
                continue;
            }
        };
        report.files_checked += 1;
        let sha = durable::sha256_hex(&bytes);
        if sha != file.sha256 {
            report.problems.push(format!(
                "{}: SHA-256 is {sha}, the manifest says {} — the file was changed after it was written",
                path.display(),
                file.sha256
            ));
        }
        if bytes.len() as u64 != file.bytes {
            report.problems.push(format!(
                "{}: {} bytes, the manifest says {}",
                path.display(),
                bytes.len(),
                file.bytes
            ));
        }
        if let Ok(request) = StagedRequest::from_bytes(&bytes) {
            let n = request.records.len() as u64;
            if n == file.records {
                report.records += n;
            } else {
                report.problems.push(format!(
                    "{}: a request of {n} records, the manifest says {}",
                    path.display(),
                    file.records
                ));
            }
        } else if path.extension().is_some_and(|e| e == "csv") {
            match count_csv_records(&bytes) {
                Ok(n) if n == file.records => report.records += n,
                Ok(n) => report.problems.push(format!(
                    "{}: {n} records, the manifest says {}",
                    path.display(),
                    file.records
                )),
                Err(e) => report
                    .problems
                    .push(format!("{}: cannot be read as CSV ({e})", path.display())),
            }
        } else {
            report.records += file.records;
        }
    }
    let total: u64 = manifest.files.iter().map(|f| f.records).sum();
    if total != manifest.record_count {
        report.problems.push(format!(
            "{}: record_count is {}, its files hold {total}",
            manifest_path.display(),
            manifest.record_count
        ));
    }
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // The delivery log is appended to as requests are sent: not part of the batch
            // as staged.
            if name != MANIFEST && name != DELIVERY_LOG && !listed.contains(&name) {
                report.problems.push(format!(
                    "{}: not listed in the manifest",
                    entry.path().display()
                ));
            }
        }
    }
    Ok(report)
}

fn count_csv_records(bytes: &[u8]) -> Result<u64, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let mut n = 0;
    for record in reader.records() {
        record?;
        n += 1;
    }
    Ok(n)
}
