//! A batch's delivery log, `delivery.log` beside its files: one JSON line per attempt to send
//! one of its requests, appended and synced before the next attempt, never rewritten. It
//! tells the whole story (what was sent when, what came back, what was retried and why) and
//! is the state `push` resumes from: a request is done once an answer it can act on is
//! logged; until then it is sent again, under the same idempotency key.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::outbox::DELIVERY_LOG;

/// One attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    /// The request file.
    pub request: String,
    /// 1 for the first attempt at this request in this push, then one more each retry.
    pub attempt: u32,
    pub idempotency_key: String,
    /// The HTTP status, when an answer came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub outcome: Outcome,
    /// What went wrong: the platform's words, or why no answer came.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// How long `push` waited before trying again (Retry-After, or back-off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_ms: Option<u64>,
    /// Each record's fate, when the answer says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordOutcome>,
    /// The platform's ids filled into the body in place of its placeholders
    /// (`contact:C1` → the id), so the log shows what was sent.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub resolved: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The platform answered for each record: the request is done.
    Answered,
    /// No answer to act on (rate limit, server error, time-out, connection lost): sent
    /// again later, under the same key.
    Retry,
    /// Retried as often as allowed in this push; the next push goes on.
    GaveUp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordOutcome {
    pub id: String,
    /// The platform's id of what it created (Xero's PaymentID).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remote_id: String,
    /// Why the platform refused it; empty when delivered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// The platform's words when it had the record already (a document number it knows):
    /// `remote_id` is then the id of what it had, looked up by number, and the record counts
    /// as delivered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub adopted: String,
}

impl RecordOutcome {
    pub fn delivered(&self) -> bool {
        self.error.is_empty()
    }
}

/// The log of one batch, open for appending under an OS lock: one `push` per batch at a
/// time.
pub struct DeliveryLog {
    file: File,
}

impl DeliveryLog {
    /// Opens (creating) the log of the batch in `dir`. `None` when another push holds it.
    pub fn open(dir: &Path) -> io::Result<Option<DeliveryLog>> {
        let path = dir.join(DELIVERY_LOG);
        let file = File::options().create(true).append(true).open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(DeliveryLog { file })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }

    /// Appends one attempt and syncs it to disk before anything else is sent.
    pub fn append(&mut self, attempt: &Attempt) -> io::Result<()> {
        let mut line = serde_json::to_vec(attempt).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

/// Every attempt logged in the batch folder `dir`, in order. A line that does not read (a
/// crash in the middle of writing it) is skipped: its request was not answered as far as
/// the log knows, so it is sent again under the same key.
pub fn read(dir: &Path) -> io::Result<Vec<Attempt>> {
    let text = match fs::read_to_string(dir.join(DELIVERY_LOG)) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect())
}

/// The answer logged for each request that has one, by request file.
pub fn answered(attempts: &[Attempt]) -> BTreeMap<&str, &Attempt> {
    attempts
        .iter()
        .filter(|a| a.outcome == Outcome::Answered)
        .map(|a| (a.request.as_str(), a))
        .collect()
}
