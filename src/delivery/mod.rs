//! Delivery: `sluice push` sends the requests a run staged for a platform's API (see
//! `outbox::request`), batch by batch in the order the runs committed them, and records
//! every attempt in the batch's delivery log (see [`log`]). What differs between platforms
//! is behind [`platform::PlatformApi`]; sending, retrying and logging are the same for all
//! ([`sender`]).
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
//! - A document the platform refuses because it has its number already is looked up by
//!   number, and the id of what it has is adopted (logged as such), so nothing is created
//!   twice. Where a platform's idempotency key is weak (QuickBooks' `requestid`), a request
//!   whose answer was lost is read back by number before it is sent again. NetSuite's
//!   requests are upserts by External ID ([`netsuite`]): a resend updates the record its
//!   lost answer was about.
//! - Credentials come from the environment variables the pipeline names, at the moment of
//!   sending; they are never written anywhere.
//! - Only batches of committed runs are sent (the ledger's journal names them).
//! - What the platform created for each record (its id) is written to the ledger's
//!   `remote_ids` table when the push is done (see [`remote`]).

pub mod log;
mod netsuite;
pub mod platform;
mod platform_has;
pub mod pull;
mod quickbooks;
mod remote;
mod sage;
mod sender;
mod xero;

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use thiserror::Error;

use crate::ledger::{Ledger, LedgerError};
use crate::outbox::{OutboxError, RecordRef};
use crate::pipeline::{Pipeline, Target};
use platform::PlatformApi;
use platform_has::PlatformHas;
use sender::Sender;

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
        "no target named \"{0}\" pushes through an API: only targets with a [targets.api] section do"
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
    #[error(
        "no source named \"{0}\" is pulled from a platform: only sources of format xero_payments are"
    )]
    NoSuchSource(String),
    #[error("sluice pull: {0}")]
    Pull(String),
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
        .filter(|t| pushes(t))
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
        let Some(connection) = connect(target, env)? else {
            continue;
        };
        let sender = Sender {
            client: &client,
            base_url: &connection.base_url,
            platform: connection.platform.as_ref(),
            options,
        };
        let mut platform_has = PlatformHas::of(
            &facts,
            &target.name,
            connection.platform.name(),
            connection.documents_by_api,
        );
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

/// A target's platform API, ready to send.
struct Connection {
    platform: Box<dyn PlatformApi>,
    base_url: String,
    /// Whether the target's documents go through the API (else as files a person imports).
    documents_by_api: bool,
}

/// Whether the target pushes anything through an API.
fn pushes(target: &Target) -> bool {
    target.xero_api.is_some()
        || target.sage_api.is_some()
        || target.netsuite.as_ref().is_some_and(|n| n.api.is_some())
        || target.quickbooks.as_ref().is_some_and(|q| q.api.is_some())
}

/// The target's platform API with the credentials from the environment variables the
/// pipeline names; `None` for a target that pushes nothing.
fn connect(
    target: &Target,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Connection>, DeliveryError> {
    let credential = |variable: &str, holds: &'static str| {
        env(variable)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| DeliveryError::MissingCredential {
                target: target.name.clone(),
                variable: variable.to_string(),
                holds,
            })
    };
    if let Some(api) = &target.xero_api {
        return Ok(Some(Connection {
            platform: Box::new(xero::XeroApi {
                token: credential(&api.token_env, "access token")?,
                tenant: credential(&api.tenant_env, "tenant id")?,
            }),
            base_url: api.base_url.clone(),
            documents_by_api: api.documents == crate::targets::xero::api::DocumentsBy::Api,
        }));
    }
    if let Some(api) = target.netsuite.as_ref().and_then(|n| n.api.as_ref()) {
        return Ok(Some(Connection {
            platform: Box::new(netsuite::NetSuiteApi {
                token: credential(&api.token_env, "access token")?,
            }),
            base_url: api.base_url.clone(),
            documents_by_api: true,
        }));
    }
    if let Some(api) = &target.sage_api {
        return Ok(Some(Connection {
            platform: Box::new(sage::SageApi {
                token: credential(&api.token_env, "access token")?,
                business: api.business_id.clone(),
            }),
            base_url: api.base_url.clone(),
            documents_by_api: true,
        }));
    }
    if let Some(api) = target.quickbooks.as_ref().and_then(|q| q.api.as_ref()) {
        return Ok(Some(Connection {
            platform: Box::new(quickbooks::QuickBooksApi {
                token: credential(&api.token_env, "access token")?,
            }),
            base_url: api.base_url.clone(),
            documents_by_api: true,
        }));
    }
    Ok(None)
}
