//! The batches a scope's runs produced, as their manifests in the outbox describe them. The
//! SHA-256 of `manifest.json` pins every file of the batch (the manifest holds each file's
//! own), so one hash on the page lets an auditor check a whole batch.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::durable;
use crate::outbox::{MANIFEST, Manifest};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchReport {
    /// `demo/xero/<batch-id>`, relative to the outbox folder.
    pub batch: String,
    pub target: String,
    pub platform: String,
    pub run_id: String,
    pub files: usize,
    pub records: u64,
    /// Per currency, as exact decimal text.
    pub totals: BTreeMap<String, String>,
    pub manifest_sha256: String,
    /// Why the manifest could not be read, when it could not: the batch was changed or
    /// removed after its run committed it.
    pub problem: Option<String>,
}

/// A committed batch; a missing or unreadable manifest is shown on the page, not hidden.
pub fn batch_report(outbox: &Path, batch: &str) -> BatchReport {
    let path = outbox.join(batch).join(MANIFEST);
    let mut report = BatchReport {
        batch: batch.to_string(),
        target: String::new(),
        platform: String::new(),
        run_id: String::new(),
        files: 0,
        records: 0,
        totals: BTreeMap::new(),
        manifest_sha256: String::new(),
        problem: None,
    };
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            report.problem = Some(format!(
                "its manifest.json cannot be read ({e}); check the batch with `sluice verify`"
            ));
            return report;
        }
    };
    report.manifest_sha256 = durable::sha256_hex(&bytes);
    match serde_json::from_slice::<Manifest>(&bytes) {
        Ok(manifest) => {
            report.target = manifest.target;
            report.platform = manifest.platform;
            report.run_id = manifest.run_id;
            report.files = manifest.files.len();
            report.records = manifest.record_count;
            report.totals = manifest.totals;
        }
        Err(e) => {
            report.problem = Some(format!(
                "its manifest.json is not a manifest ({e}); check the batch with `sluice verify`"
            ));
        }
    }
    report
}
