//! What differs from one platform's API to the next, behind one trait: how a call carries
//! the credentials, what an answer means for each record a request carries, and how to find
//! what the platform already has under a record's number. Everything else — the order, the
//! retries, the delivery log, the remote ids — is the same for every platform
//! ([`super::sender`]).

use std::time::Duration;

use reqwest::blocking::RequestBuilder;

use super::log::RecordOutcome;
use crate::outbox::StagedRequest;

/// What an answer means.
pub enum Answer {
    /// The platform said what became of each record: the request is done.
    Answered(Vec<RecordOutcome>),
    /// Nothing to act on yet: send again, after `wait` if the platform said how long.
    Retry { wait: Option<Duration>, why: String },
    /// No request will get through until a person acts (credentials).
    Stop(String),
}

/// Reads the id out of a lookup's answer.
type FindId = dyn Fn(&[u8]) -> Option<String>;

/// A `GET` that finds the platform's id of a record it has already.
pub struct Lookup {
    /// Path and query after the base URL, encoded.
    pub path: String,
    /// What is looked for, for the log and messages: `invoice INV-1`.
    pub what: String,
    /// The id in the answer, when it holds exactly one match.
    found: Box<FindId>,
}

impl Lookup {
    pub fn new(
        path: String,
        what: String,
        found: impl Fn(&[u8]) -> Option<String> + 'static,
    ) -> Lookup {
        Lookup {
            path,
            what,
            found: Box::new(found),
        }
    }

    pub fn found(&self, answer: &[u8]) -> Option<String> {
        (self.found)(answer)
    }
}

/// One platform's API, with the credentials of one target.
pub trait PlatformApi {
    /// The platform as the person knows it: `Xero`, `QuickBooks Online`.
    fn name(&self) -> &'static str;

    /// The call with the credentials on it (they are never in a staged request).
    fn authorise(&self, call: RequestBuilder) -> RequestBuilder;

    /// What the answer (`status`, `Retry-After`, body) to `request` means for each record.
    fn interpret(
        &self,
        status: u16,
        retry_after: Option<&str>,
        body: &[u8],
        request: &StagedRequest,
    ) -> Answer;

    /// The same, for a platform whose answer says in its `Location` header where the record
    /// it created or updated is (NetSuite's upsert answers 204 with no body): by default the
    /// header is not read.
    fn interpret_located(
        &self,
        status: u16,
        retry_after: Option<&str>,
        _location: Option<&str>,
        body: &[u8],
        request: &StagedRequest,
    ) -> Answer {
        self.interpret(status, retry_after, body, request)
    }

    /// How to find what the platform has already, for the record at `index` that it
    /// refused with `error` — when `error` says it has one of that number. The id found is
    /// adopted: the record is not created twice.
    fn adoption(&self, request: &StagedRequest, index: usize, error: &str) -> Option<Lookup>;

    /// For a platform whose idempotency key is known to be weak: how to find the record at
    /// `index` before a request whose answer was lost is sent again. When every record of
    /// the request is found, their ids are adopted and the request is not sent again.
    fn read_back(&self, _request: &StagedRequest, _index: usize) -> Option<Lookup> {
        None
    }
}

/// A platform's words, shortened for a log line.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.chars().count() > 300 {
        format!("{}…", text.chars().take(300).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The wait a `Retry-After` header asks for, in seconds.
pub fn retry_after(header: Option<&str>) -> Option<Duration> {
    header
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}
