//! A request staged for a platform's API: one file per request in the batch folder, so an
//! auditor reads exactly what will be (or was) sent — method, path, headers, body and the
//! idempotency key — and `sluice push` sends those bytes and nothing else. The credentials
//! are not in it: `push` adds them from the environment when it sends.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::durable;

/// The header a platform reads the idempotency key from.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

#[derive(Debug, Serialize, Deserialize)]
pub struct StagedRequest {
    pub method: String,
    /// Path and query, after the target's base URL.
    pub path: String,
    /// Sent as they are (the idempotency key among them).
    pub headers: BTreeMap<String, String>,
    /// The same key on every attempt: a request resent after a time-out is recognised by
    /// the platform as the one it may already have carried out.
    pub idempotency_key: String,
    /// What the body carries, in the order of its array: each record's outcome is read
    /// from the same place in the response.
    pub records: Vec<RecordRef>,
    /// Documents the platform must have before this request is sent (payments on an
    /// invoice the target held when the run staged them): `push` keeps the request back
    /// until each is staged for the target and, where documents go through the API,
    /// delivered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// The JSON body, byte for byte as sent.
    pub body: Box<RawValue>,
}

/// One record a request carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    /// `payment`, `invoice`, `contact` …
    pub kind: String,
    /// sluice's id of the record: for a payment, its bank line and the match's place.
    pub id: String,
    /// The document it concerns, if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document: String,
}

impl StagedRequest {
    /// A request whose idempotency key follows from its target, method, path and body (JSON,
    /// as serde_json writes it), so re-rendering the same facts gives the same key and the
    /// same bytes.
    pub fn new(
        target: &str,
        method: &str,
        path: &str,
        records: Vec<RecordRef>,
        body: String,
    ) -> Result<StagedRequest, serde_json::Error> {
        let digest = durable::sha256_hex(format!("{target}\n{method} {path}\n{body}").as_bytes());
        let idempotency_key = format!("sluice-{}", &digest[..32]);
        let mut headers = BTreeMap::new();
        headers.insert("Accept".to_string(), "application/json".to_string());
        headers.insert("Content-Type".to_string(), "application/json".to_string());
        headers.insert(IDEMPOTENCY_HEADER.to_string(), idempotency_key.clone());
        Ok(StagedRequest {
            method: method.to_string(),
            path: path.to_string(),
            headers,
            idempotency_key,
            records,
            needs: Vec::new(),
            body: RawValue::from_string(body)?,
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a staged request serialises");
        bytes.push(b'\n');
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<StagedRequest, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}
