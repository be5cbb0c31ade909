//! Where each committed batch stands with its platform. A batch of files is staged: a person
//! uploads it, and sluice cannot see that happen. A batch of API requests is read from its
//! delivery log (see `delivery::log`): a record is delivered once an answer lists it without
//! error, failed when the answer gives the platform's refusal, and waiting while no answer
//! covers its request.

use std::path::Path;

use serde::Serialize;

use crate::delivery::log;
use crate::outbox::{self, OutboxError, StagedRequest};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BatchStatus {
    /// `demo/xero/<batch-id>`, relative to the outbox folder.
    pub batch: String,
    pub target: String,
    pub run_id: String,
    /// `staged` (files a person uploads), `delivered`, `failed` (the platform refused some
    /// records) or `waiting` (requests not answered yet).
    pub state: String,
    pub records: u64,
    /// For API batches: records the platform took, refused, and has not answered for.
    pub delivered: u64,
    pub failed: u64,
    pub waiting: u64,
    pub failures: Vec<FailedRecord>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FailedRecord {
    pub request: String,
    pub kind: String,
    pub id: String,
    pub document: String,
    /// The platform's words.
    pub error: String,
}

/// The state of the committed batch folder `batch` (relative to `outbox`).
pub fn batch_status(outbox_dir: &Path, batch: &str) -> Result<BatchStatus, OutboxError> {
    let dir = outbox_dir.join(batch);
    let manifest = outbox::read_manifest(&dir)?;
    let attempts = log::read(&dir).map_err(|source| OutboxError::Read {
        path: dir.join(outbox::DELIVERY_LOG),
        source,
    })?;
    let answered = log::answered(&attempts);
    let mut status = BatchStatus {
        batch: batch.to_string(),
        target: manifest.target.clone(),
        run_id: manifest.run_id.clone(),
        state: "staged".to_string(),
        records: manifest.record_count,
        delivered: 0,
        failed: 0,
        waiting: 0,
        failures: Vec::new(),
    };
    let mut requests = 0;
    for file in manifest.files.iter().filter(|f| f.name.ends_with(".json")) {
        let path = dir.join(&file.name);
        let bytes = std::fs::read(&path).map_err(|source| OutboxError::Read {
            path: path.clone(),
            source,
        })?;
        // A JSON file that is no request is one of a file batch's own files.
        let Ok(request) = StagedRequest::from_bytes(&bytes) else {
            continue;
        };
        requests += 1;
        let Some(answer) = answered.get(file.name.as_str()) else {
            status.waiting += request.records.len() as u64;
            continue;
        };
        for (i, record) in request.records.iter().enumerate() {
            // An answer that does not mention a record ends its request all the same: push
            // will not send it again, so it counts as refused.
            let error = match answer.records.get(i) {
                Some(outcome) if outcome.delivered() => {
                    status.delivered += 1;
                    continue;
                }
                Some(outcome) => outcome.error.clone(),
                None => "the platform's answer does not mention it".to_string(),
            };
            status.failed += 1;
            status.failures.push(FailedRecord {
                request: file.name.clone(),
                kind: record.kind.clone(),
                id: record.id.clone(),
                document: record.document.clone(),
                error,
            });
        }
    }
    if requests > 0 {
        status.state = if status.failed > 0 {
            "failed"
        } else if status.waiting > 0 {
            "waiting"
        } else {
            "delivered"
        }
        .to_string();
    }
    Ok(status)
}
