//! Carrying what the platform created into the ledger: each record a push delivered, with
//! the platform's id, becomes a row of `ledger/remote_ids/`, written as a commit of its own
//! under the ledger's lock once the push is done. The delivery log is written first, as the
//! answers come, so a push that dies before this commit loses nothing: the next push finds
//! the answered records the ledger does not have yet and writes them then.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, Utc};

use super::DeliveryError;
use super::log::{self, Outcome};
use crate::ledger::{Facts, JournalRecord, RemoteIdRow, Table};
use crate::outbox::{self, RecordRef, StagedRequest};
use crate::pipeline::Pipeline;
use crate::run::{commit_id, open_for_writing};

/// Writes the delivered records of `batches` ((target, batch) pairs) that the ledger does not
/// hold yet; returns how many.
pub fn record(
    pipeline: &Pipeline,
    batches: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<usize, DeliveryError> {
    let (_lock, ledger, _) = open_for_writing(pipeline).map_err(|e| {
        DeliveryError::Record(format!(
            "{e} — the platform's ids stay in the delivery logs, and the next push writes them"
        ))
    })?;
    let facts = ledger.load()?;
    let known: BTreeSet<(&str, &str, &str)> = facts
        .remote_ids
        .iter()
        .map(|r| (r.target.as_str(), r.batch.as_str(), r.record_id.as_str()))
        .collect();
    let mut rows = Vec::new();
    for (target, batch) in batches {
        for row in delivered(&pipeline.outbox, target, batch)? {
            if !known.contains(&(target.as_str(), batch.as_str(), row.record_id.as_str())) {
                rows.push(row);
            }
        }
    }
    if rows.is_empty() {
        return Ok(0);
    }
    let seq = ledger.next_seq()?;
    let id = commit_id(now, seq);
    for row in &mut rows {
        row.run_id = id.clone();
    }
    let count = rows.len();
    let new = Facts {
        remote_ids: rows,
        ..Facts::default()
    };
    let mut segments = BTreeMap::new();
    if let Some(segment) = ledger.write_segment(&id, Table::RemoteIds, &new)? {
        segments.insert(Table::RemoteIds.name().to_string(), segment);
    }
    ledger.commit(&JournalRecord {
        run_id: id,
        seq,
        pipeline: pipeline.name.clone(),
        started: now,
        segments,
        batches: Vec::new(),
        moves: Vec::new(),
        summary: serde_json::json!({ "push": { "remote_ids": count } }),
    })?;
    Ok(count)
}

/// Every record the batch's log says was delivered with a platform id, as a row.
fn delivered(
    outbox_dir: &Path,
    target: &str,
    batch: &str,
) -> Result<Vec<RemoteIdRow>, DeliveryError> {
    let dir = outbox_dir.join(batch);
    let attempts = log::read(&dir).map_err(|source| DeliveryError::Log {
        path: dir.join(outbox::DELIVERY_LOG),
        source,
    })?;
    let mut records: BTreeMap<String, Vec<RecordRef>> = BTreeMap::new();
    let mut rows = Vec::new();
    for attempt in attempts.iter().filter(|a| a.outcome == Outcome::Answered) {
        if !records.contains_key(&attempt.request) {
            let path = dir.join(&attempt.request);
            let request = std::fs::read(&path)
                .ok()
                .and_then(|bytes| StagedRequest::from_bytes(&bytes).ok())
                .ok_or_else(|| DeliveryError::BadRequest {
                    path: path.clone(),
                    message: "the delivery log names it, but it does not read".to_string(),
                })?;
            records.insert(attempt.request.clone(), request.records);
        }
        let sent = &records[&attempt.request];
        for outcome in attempt.records.iter().filter(|o| o.delivered()) {
            if outcome.remote_id.is_empty() {
                continue;
            }
            let record = sent.iter().find(|r| r.id == outcome.id);
            rows.push(RemoteIdRow {
                run_id: String::new(),
                target: target.to_string(),
                batch: batch.to_string(),
                request: attempt.request.clone(),
                kind: record.map(|r| r.kind.clone()).unwrap_or_default(),
                record_id: outcome.id.clone(),
                document: record.map(|r| r.document.clone()).unwrap_or_default(),
                remote_id: outcome.remote_id.clone(),
                at: attempt.at,
            });
        }
    }
    Ok(rows)
}
