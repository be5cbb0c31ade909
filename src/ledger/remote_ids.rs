//! The `remote_ids` table: what a platform created for each record `sluice push` delivered —
//! Xero's `PaymentID` for a payment — so that later changes can name it (a payment taken
//! back is deleted in Xero by its id). One row per record delivered, written by the push
//! that delivered it as a commit of its own; the batch's delivery log tells the attempts.

use chrono::{DateTime, Utc};
use polars::prelude::DataFrame;

use super::LedgerError;
use super::frame::{self, Reader, text};
use super::tables::corrupt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteIdRow {
    /// The push's commit.
    pub run_id: String,
    /// The target's name in the pipeline file.
    pub target: String,
    /// `demo/xero/<batch-id>`, relative to the outbox folder.
    pub batch: String,
    /// The request file that carried it.
    pub request: String,
    /// `payment` …
    pub kind: String,
    /// sluice's id of the record (a payment: its bank line and the match's place).
    pub record_id: String,
    /// The document it concerns (the invoice a payment pays).
    pub document: String,
    /// The platform's id.
    pub remote_id: String,
    pub at: DateTime<Utc>,
}

pub fn remote_ids_frame(rows: &[RemoteIdRow]) -> Result<DataFrame, LedgerError> {
    let at: Vec<String> = rows.iter().map(|r| r.at.to_rfc3339()).collect();
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("target", rows.iter().map(|r| r.target.as_str())),
        text("batch", rows.iter().map(|r| r.batch.as_str())),
        text("request", rows.iter().map(|r| r.request.as_str())),
        text("kind", rows.iter().map(|r| r.kind.as_str())),
        text("record_id", rows.iter().map(|r| r.record_id.as_str())),
        text("document", rows.iter().map(|r| r.document.as_str())),
        text("remote_id", rows.iter().map(|r| r.remote_id.as_str())),
        text("at", at.iter().map(String::as_str)),
    ])
}

pub fn remote_ids_rows(r: &Reader<'_>) -> Result<Vec<RemoteIdRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let target = r.texts("target")?;
    let batch = r.texts("batch")?;
    let request = r.texts("request")?;
    let kind = r.texts("kind")?;
    let record_id = r.texts("record_id")?;
    let document = r.texts("document")?;
    let remote_id = r.texts("remote_id")?;
    let at = r.texts("at")?;
    (0..run_id.len())
        .map(|i| {
            Ok(RemoteIdRow {
                run_id: run_id[i].clone(),
                target: target[i].clone(),
                batch: batch[i].clone(),
                request: request[i].clone(),
                kind: kind[i].clone(),
                record_id: record_id[i].clone(),
                document: document[i].clone(),
                remote_id: remote_id[i].clone(),
                at: DateTime::parse_from_rfc3339(&at[i])
                    .map_err(|_| corrupt(r, "at", &at[i]))?
                    .with_timezone(&Utc),
            })
        })
        .collect()
}
