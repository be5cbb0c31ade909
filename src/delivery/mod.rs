//! Delivery: `sluice push` sends the requests a run staged for a platform's API (see
//! `outbox::request`), batch by batch in the order the runs committed them, request by
//! request in the order of their file names, and records every attempt in the batch's
//! delivery log (see [`log`]).
//!
//! - A request is sent until the platform answers for its records; that answer is logged
//!   and the request is never sent again. Each record delivered carries the platform's id
//!   of what it created; each record refused, the platform's words. A refused record does
//!   not hold up the others.
//! - Rate limits (429) are waited out as `Retry-After` says; server errors (5xx), time-outs
//!   and lost connections are retried after a back-off that doubles. Every resend carries
//!   the request's own idempotency key, so a request the platform carried out before its
//!   answer was lost is not carried out twice.
//! - Contacts go first, then invoices and credit notes, then payments, batch by batch. After
//!   `max_attempts` in one push a request waits for the next push, and so does everything
//!   after it for that target: a payment is never sent before the invoice it pays. Refused
//!   credentials (401, 403) stop the target's push at once: no retry mends them.
//! - A document Xero refuses because it has its number already is looked up by number, and
//!   the id of what Xero has is adopted (logged as such), so nothing is created twice.
//! - Credentials come from the environment variables the pipeline names, at the moment of
//!   sending; they are never written anywhere.
//! - Only batches of committed runs are sent (the ledger's journal names them).
//! - What the platform created for each record (its id) is written to the ledger's
//!   `remote_ids` table when the push is done (see [`remote`]).

pub mod log;
mod remote;
mod xero;

use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use chrono::Utc;
use thiserror::Error;

use crate::ledger::{Ledger, LedgerError};
use crate::outbox::{self, OutboxError, RecordRef, StagedRequest};
use crate::pipeline::{Pipeline, Target};
use log::{Attempt, DeliveryLog, Outcome, RecordOutcome};
use xero::Answer;

#[derive(Debug, Error)]
pub enum DeliveryError {
    #[error(
        "the environment variable {variable} is not set: target {target} reads its {holds} from it (see [targets.api] in the pipeline file)"
    )]
    MissingCredential {
        target: String,
        variable: String,
        holds: &'static str,
    },
    #[error(
        "no target named \"{0}\" pushes through an API: only Xero targets with a [targets.api] section do"
    )]
    NoSuchTarget(String),
    #[error("the ledger cannot be read: {0}")]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(
        "cannot read {path}: {message} — the batch was changed after it was staged; check it with `sluice verify`"
    )]
    BadRequest { path: PathBuf, message: String },
    #[error(
        "cannot write the delivery log {path}: {source} — nothing more is sent until it can be written"
    )]
    Log {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another `sluice push` is delivering {0}: wait for it to finish")]
    Busy(PathBuf),
    #[error("cannot start sending: {0}")]
    Client(String),
    #[error("cannot write the platform's ids to the ledger: {0}")]
    Record(String),
}

/// How hard to try.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Only this target (by name).
    pub target: Option<String>,
    /// Only this batch (its id, the run's).
    pub batch: Option<String>,
    /// How long one request may take before it counts as lost.
    pub timeout: Duration,
    /// Attempts per request in one push.
    pub max_attempts: u32,
    /// The first wait after a server error or a lost request; it doubles each time.
    pub backoff: Duration,
    /// The longest wait honoured; a platform asking for more ends the push for that target.
    pub max_wait: Duration,
}

impl Default for PushOptions {
    fn default() -> PushOptions {
        PushOptions {
            target: None,
            batch: None,
            timeout: Duration::from_secs(60),
            max_attempts: 5,
            backoff: Duration::from_secs(2),
            max_wait: Duration::from_secs(120),
        }
    }
}

/// What one push did with one batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BatchPush {
    /// `demo/xero/<batch-id>`, relative to the outbox folder.
    pub batch: String,
    /// Requests answered in this push.
    pub requests_answered: usize,
    /// Records the platform took in this push.
    pub delivered: usize,
    /// Records the platform refused in this push, with its words.
    pub refused: Vec<(RecordRef, String)>,
    /// Records the platform had already (a document number it knows), whose id was
    /// adopted, with its words; they count as delivered too.
    pub adopted: Vec<(RecordRef, String)>,
    /// Records whose request is still unanswered: the next push sends them.
    pub waiting: usize,
    /// Requests kept back because the platform lacks a document they need, with why.
    pub held_back: Vec<(String, String)>,
    /// Records answered by earlier pushes.
    pub answered_before: usize,
}

impl BatchPush {
    /// Adds a second pass over the batch (after its kept-back requests): what it sent adds
    /// up; what still waits is what it says.
    fn absorb(&mut self, again: BatchPush) {
        self.requests_answered += again.requests_answered;
        self.delivered += again.delivered;
        self.refused.extend(again.refused);
        self.adopted.extend(again.adopted);
        self.waiting = again.waiting;
        self.held_back = again.held_back;
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PushReport {
    pub batches: Vec<BatchPush>,
    /// Why the push stopped early, if it did (credentials refused, a rate limit too long).
    pub stopped: Option<String>,
    /// Records whose platform id this push wrote to the ledger (`remote_ids`).
    pub remote_ids_recorded: usize,
    /// Why the platform's ids could not be written to the ledger this time.
    pub remote_ids_pending: Option<String>,
}

impl PushReport {
    /// Everything staged is delivered.
    pub fn complete(&self) -> bool {
        self.stopped.is_none()
            && self
                .batches
                .iter()
                .all(|b| b.refused.is_empty() && b.waiting == 0)
    }
}

/// Sends what is not yet answered. `env` reads an environment variable (tests pass their own).
pub fn push(
    pipeline: &Pipeline,
    options: &PushOptions,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<PushReport, DeliveryError> {
    let targets: Vec<&Target> = pipeline
        .targets
        .iter()
        .filter(|t| t.xero_api.is_some())
        .filter(|t| options.target.as_ref().is_none_or(|name| &t.name == name))
        .collect();
    if let Some(name) = &options.target
        && targets.is_empty()
    {
        return Err(DeliveryError::NoSuchTarget(name.clone()));
    }
    let ledger = Ledger::new(&pipeline.ledger);
    let committed: Vec<String> = ledger
        .journal()?
        .into_iter()
        .flat_map(|record| record.batches)
        .collect();
    let facts = ledger.load()?;
    let client = reqwest::blocking::Client::builder()
        .timeout(options.timeout)
        .build()
        .map_err(|e| DeliveryError::Client(e.to_string()))?;
    let mut report = PushReport::default();
    let mut touched: Vec<(String, String)> = Vec::new();
    for target in targets {
        let Some(api) = &target.xero_api else {
            continue;
        };
        let prefix = format!("{}/{}/", pipeline.name, target.name);
        let batches: Vec<&String> = committed
            .iter()
            .filter(|b| b.starts_with(&prefix))
            .filter(|b| {
                options
                    .batch
                    .as_ref()
                    .is_none_or(|id| b.ends_with(&format!("/{id}")))
            })
            .collect();
        if batches.is_empty() {
            continue;
        }
        let credential = |variable: &str, holds: &'static str| {
            env(variable)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| DeliveryError::MissingCredential {
                    target: target.name.clone(),
                    variable: variable.to_string(),
                    holds,
                })
        };
        let sender = Sender {
            client: &client,
            base_url: &api.base_url,
            token: credential(&api.token_env, "access token")?,
            tenant: credential(&api.tenant_env, "tenant id")?,
            options,
        };
        let mut platform_has = PlatformHas::of(&facts, &target.name, api);
        let first = report.batches.len();
        let mut stopped = None;
        for batch in batches {
            let (done, why) = sender.batch(&pipeline.outbox, batch, &mut platform_has)?;
            report.batches.push(done);
            touched.push((target.name.clone(), batch.clone()));
            if why.is_some() {
                stopped = why;
                break;
            }
        }
        // Requests kept back for an invoice a later batch of this push delivered go now,
        // rather than at the next push.
        if stopped.is_none() {
            for i in first..report.batches.len() {
                if report.batches[i].held_back.is_empty() {
                    continue;
                }
                let batch = report.batches[i].batch.clone();
                let (again, why) = sender.batch(&pipeline.outbox, &batch, &mut platform_has)?;
                report.batches[i].absorb(again);
                if why.is_some() {
                    stopped = why;
                    break;
                }
            }
        }
        if let Some(why) = stopped {
            // What follows in this target may need what did not get through; other
            // targets are other platforms (or organisations) and go on.
            let why = format!("{}: {why}", target.name);
            report.stopped = Some(match report.stopped.take() {
                Some(before) => format!("{before}; {why}"),
                None => why,
            });
        }
    }
    // Also what an earlier push delivered but could not write to the ledger. What cannot be
    // written now (a run holds the ledger) stays in the logs for the next push.
    match remote::record(pipeline, &touched, Utc::now()) {
        Ok(n) => report.remote_ids_recorded = n,
        Err(e) => report.remote_ids_pending = Some(e.to_string()),
    }
    Ok(report)
}

struct Sender<'a> {
    client: &'a reqwest::blocking::Client,
    base_url: &'a str,
    token: String,
    tenant: String,
    options: &'a PushOptions,
}

/// What came of one attempt.
enum Sent {
    Answer(Answer, u16),
    Lost(String),
}

impl Sender<'_> {
    /// Sends the batch's unanswered requests; the second value says why the push must stop.
    fn batch(
        &self,
        outbox: &Path,
        batch: &str,
        platform_has: &mut PlatformHas,
    ) -> Result<(BatchPush, Option<String>), DeliveryError> {
        let dir = outbox.join(batch);
        let manifest = outbox::read_manifest(&dir)?;
        let mut done = BatchPush {
            batch: batch.to_string(),
            ..BatchPush::default()
        };
        let mut requests: Vec<(String, StagedRequest)> = Vec::new();
        for file in manifest.files.iter().filter(|f| f.name.ends_with(".json")) {
            let path = dir.join(&file.name);
            let bad = |message: String| DeliveryError::BadRequest {
                path: path.clone(),
                message,
            };
            let bytes = std::fs::read(&path).map_err(|e| bad(e.to_string()))?;
            if crate::durable::sha256_hex(&bytes) != file.sha256 {
                return Err(bad("its SHA-256 is not the manifest's".to_string()));
            }
            let request = StagedRequest::from_bytes(&bytes).map_err(|e| bad(e.to_string()))?;
            requests.push((file.name.clone(), request));
        }
        if requests.is_empty() {
            return Ok((done, None));
        }
        // Contacts, then documents, then payments: a payment is never sent before the
        // invoice it pays, nor an invoice before its contact.
        requests.sort_by(|a, b| (stage(&a.1), &a.0).cmp(&(stage(&b.1), &b.0)));
        let log_failed = |source| DeliveryError::Log {
            path: dir.join(outbox::DELIVERY_LOG),
            source,
        };
        let mut log = DeliveryLog::open(&dir)
            .map_err(log_failed)?
            .ok_or_else(|| DeliveryError::Busy(dir.clone()))?;
        let before = log::read(&dir).map_err(log_failed)?;
        let answered = log::answered(&before);
        for (position, (name, request)) in requests.iter().enumerate() {
            if answered.contains_key(name.as_str()) {
                done.answered_before += request.records.len();
                continue;
            }
            if let Some(why) = platform_has.lacks(&request.needs) {
                // Independent of the rest: payments on an invoice the target held.
                done.waiting += request.records.len();
                done.held_back.push((name.clone(), why));
                continue;
            }
            let collection = xero::collection_of(request.body.get());
            let mut attempt = 0;
            loop {
                attempt += 1;
                let mut entry = Attempt {
                    at: Utc::now(),
                    request: name.clone(),
                    attempt,
                    idempotency_key: request.idempotency_key.clone(),
                    status: None,
                    outcome: Outcome::Retry,
                    error: String::new(),
                    wait_ms: None,
                    records: Vec::new(),
                };
                let (wait, why) = match self.send(request, &collection) {
                    Sent::Answer(Answer::Answered(mut outcomes), status) => {
                        entry.status = Some(status);
                        entry.outcome = Outcome::Answered;
                        self.adopt(request, &collection, &mut outcomes);
                        platform_has.delivered(request, &outcomes);
                        tally(&mut done, request, &outcomes);
                        entry.records = outcomes;
                        log.append(&entry).map_err(log_failed)?;
                        done.requests_answered += 1;
                        break;
                    }
                    Sent::Answer(Answer::Stop(why), status) => {
                        entry.status = Some(status);
                        entry.outcome = Outcome::GaveUp;
                        entry.error = why.clone();
                        log.append(&entry).map_err(log_failed)?;
                        done.waiting += unanswered(&requests[position..], &answered);
                        return Ok((done, Some(why)));
                    }
                    Sent::Answer(Answer::Retry { wait, why }, status) => {
                        entry.status = Some(status);
                        (wait, why)
                    }
                    Sent::Lost(why) => (None, why),
                };
                let wait = wait.unwrap_or_else(|| {
                    self.options.backoff * 2u32.saturating_pow(attempt.saturating_sub(1))
                });
                entry.error = why.clone();
                if attempt >= self.options.max_attempts || wait > self.options.max_wait {
                    entry.outcome = Outcome::GaveUp;
                    log.append(&entry).map_err(log_failed)?;
                    done.waiting += unanswered(&requests[position..], &answered);
                    let why = if wait > self.options.max_wait {
                        format!(
                            "{why}: the platform asks to wait {:.0} s, more than the {:.0} s a push waits — push again later",
                            wait.as_secs_f64(),
                            self.options.max_wait.as_secs_f64()
                        )
                    } else {
                        // What follows may pay an invoice this request creates.
                        format!(
                            "{name} got no answer in {attempt} attempts ({why}); it and what follows it wait — push again later"
                        )
                    };
                    return Ok((done, Some(why)));
                }
                entry.wait_ms = Some(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX));
                log.append(&entry).map_err(log_failed)?;
                thread::sleep(wait);
            }
        }
        Ok((done, None))
    }

    /// Records Xero refused because it has their number already: looked up by number, and
    /// the id of what Xero has adopted, so the document is not created twice and what
    /// follows (its payments) refers to it. A lookup that finds nothing, or more than one,
    /// leaves the refusal as it was, with what the lookup found.
    fn adopt(&self, request: &StagedRequest, collection: &str, outcomes: &mut [RecordOutcome]) {
        for (index, outcome) in outcomes.iter_mut().enumerate() {
            if outcome.delivered() || !xero::already_there(&outcome.error) {
                continue;
            }
            let Some(lookup) = xero::Lookup::of(request.body.get(), collection, index) else {
                continue;
            };
            let found = self.look_up(&lookup);
            match found {
                Ok(Some(id)) => {
                    outcome.adopted = std::mem::take(&mut outcome.error);
                    outcome.remote_id = id;
                }
                Ok(None) => outcome.error.push_str(&format!(
                    " (Xero has no single {} to adopt: compare it with what Xero has, and correct one of them)",
                    lookup.what()
                )),
                Err(why) => outcome.error.push_str(&format!(
                    " (looking up {} in Xero failed: {why}; it stays refused)",
                    lookup.what()
                )),
            }
        }
    }

    fn look_up(&self, lookup: &xero::Lookup) -> Result<Option<String>, String> {
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base_url, lookup.path))
            .map_err(|e| e.to_string())?;
        url.query_pairs_mut()
            .append_pair(lookup.query.0, &lookup.query.1);
        let response = self
            .client
            .get(url)
            .bearer_auth(&self.token)
            .header("xero-tenant-id", &self.tenant)
            .header("Accept", "application/json")
            .send()
            .map_err(|e| {
                if e.is_timeout() {
                    "no answer in time".to_string()
                } else {
                    "the connection failed".to_string()
                }
            })?;
        let status = response.status();
        let body = response
            .bytes()
            .map_err(|_| "the answer was cut off".to_string())?;
        if !status.is_success() {
            return Err(format!("Xero answered {}", status.as_u16()));
        }
        Ok(lookup.found(&body))
    }

    fn send(&self, request: &StagedRequest, collection: &str) -> Sent {
        let Ok(method) = reqwest::Method::from_bytes(request.method.as_bytes()) else {
            return Sent::Lost(format!("\"{}\" is no HTTP method", request.method));
        };
        let mut call = self
            .client
            .request(method, format!("{}{}", self.base_url, request.path))
            .bearer_auth(&self.token)
            .header("xero-tenant-id", &self.tenant)
            .body(request.body.get().to_string());
        for (name, value) in &request.headers {
            call = call.header(name, value);
        }
        let response = match call.send() {
            Ok(response) => response,
            Err(e) if e.is_timeout() => return Sent::Lost("no answer in time".to_string()),
            Err(e) if e.is_connect() => {
                return Sent::Lost(format!("cannot connect to {}", self.base_url));
            }
            Err(_) => return Sent::Lost("the connection was lost".to_string()),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = match response.bytes() {
            Ok(body) => body,
            Err(e) if e.is_timeout() => return Sent::Lost("no answer in time".to_string()),
            Err(_) => return Sent::Lost("the connection was lost during the answer".to_string()),
        };
        Sent::Answer(
            xero::interpret(
                status,
                retry_after.as_deref(),
                &body,
                collection,
                &request.records,
            ),
            status,
        )
    }
}

/// What a target's platform has of the documents requests may need: those staged for the
/// target and, where documents go through the API, delivered.
struct PlatformHas {
    target: String,
    by_api: bool,
    /// The last staging decision of each document for the target: staged or held.
    staged: std::collections::HashMap<String, bool>,
    /// Documents the platform acknowledged (the ledger's remote ids, and this push's).
    delivered: std::collections::HashSet<String>,
}

impl PlatformHas {
    fn of(
        facts: &crate::ledger::Facts,
        target: &str,
        api: &crate::targets::xero::api::Api,
    ) -> Self {
        let mut staged = std::collections::HashMap::new();
        for row in facts.target_documents.iter().filter(|r| r.target == target) {
            staged.insert(row.number.clone(), row.staged);
        }
        let delivered = facts
            .remote_ids
            .iter()
            .filter(|r| r.target == target && matches!(r.kind.as_str(), "invoice" | "credit-note"))
            .map(|r| r.document.clone())
            .collect();
        PlatformHas {
            target: target.to_string(),
            by_api: api.documents == crate::targets::xero::api::DocumentsBy::Api,
            staged,
            delivered,
        }
    }

    /// Why a request needing `needs` cannot go yet, if it cannot.
    fn lacks(&self, needs: &[String]) -> Option<String> {
        let missing: Vec<String> = needs
            .iter()
            .filter_map(|number| match self.staged.get(number) {
                Some(false) | None => Some(format!(
                    "{number} is held for target {} (`sluice run` lists why; once the pipeline covers it, a run stages it)",
                    self.target
                )),
                Some(true) if self.by_api && !self.delivered.contains(number) => Some(format!(
                    "{number} is staged but not yet in the platform (push its batch first)"
                )),
                Some(true) => None,
            })
            .collect();
        (!missing.is_empty()).then(|| format!("waits for {}", missing.join("; ")))
    }

    fn delivered(&mut self, request: &StagedRequest, outcomes: &[RecordOutcome]) {
        for (record, outcome) in request.records.iter().zip(outcomes) {
            if outcome.delivered() && matches!(record.kind.as_str(), "invoice" | "credit-note") {
                self.delivered.insert(record.document.clone());
            }
        }
    }
}

/// When a request goes: contacts first, then invoices and credit notes, then payments.
fn stage(request: &StagedRequest) -> u8 {
    match request.records.first().map(|r| r.kind.as_str()) {
        Some("contact") => 0,
        Some("invoice" | "credit-note") => 1,
        _ => 2,
    }
}

fn tally(done: &mut BatchPush, request: &StagedRequest, outcomes: &[RecordOutcome]) {
    for (record, outcome) in request.records.iter().zip(outcomes) {
        if outcome.delivered() {
            done.delivered += 1;
            if !outcome.adopted.is_empty() {
                done.adopted.push((record.clone(), outcome.adopted.clone()));
            }
        } else {
            done.refused.push((record.clone(), outcome.error.clone()));
        }
    }
}

/// Records of the requests (from where a push stops on) that no answer covers: what a stop
/// leaves.
fn unanswered(
    requests: &[(String, StagedRequest)],
    answered: &std::collections::BTreeMap<&str, &Attempt>,
) -> usize {
    requests
        .iter()
        .filter(|(name, _)| !answered.contains_key(name.as_str()))
        .map(|(_, r)| r.records.len())
        .sum()
}
