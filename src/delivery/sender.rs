//! Sending one batch's requests to one platform, in order, with retries, and logging every
//! attempt (see the module above for the rules).

use std::path::Path;
use std::thread;

use chrono::Utc;

use super::log::{self, Attempt, DeliveryLog, Outcome, RecordOutcome};
use super::platform::{Answer, Lookup, PlatformApi};
use super::platform_has::PlatformHas;
use super::{BatchPush, DeliveryError, PushOptions};
use crate::outbox::{self, StagedRequest};

pub struct Sender<'a> {
    pub client: &'a reqwest::blocking::Client,
    pub base_url: &'a str,
    pub platform: &'a dyn PlatformApi,
    pub options: &'a PushOptions,
}

/// What came of one attempt.
enum Sent {
    Answer(Answer, u16),
    Lost(String),
}

impl Sender<'_> {
    /// Sends the batch's unanswered requests; the second value says why the push must stop.
    pub fn batch(
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
            if let Some(why) = platform_has.lacks(request) {
                // Independent of the rest: payments on an invoice the target held, a
                // record naming one the platform does not have yet.
                done.waiting += request.records.len();
                done.held_back.push((name.clone(), why));
                continue;
            }
            let (body, resolved) = platform_has.resolve(request);
            let mut attempt = 0;
            let mut lost_before = false;
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
                    resolved: resolved.clone(),
                };
                // A platform whose key may not keep a lost request from being carried out
                // twice is asked first whether it has the records.
                let sent = match lost_before.then(|| self.read_back(request)).flatten() {
                    Some(outcomes) => Sent::Answer(Answer::Answered(outcomes), 200),
                    None => self.send(request, &body),
                };
                let (wait, why) = match sent {
                    Sent::Answer(Answer::Answered(mut outcomes), status) => {
                        entry.status = Some(status);
                        entry.outcome = Outcome::Answered;
                        self.adopt(request, &mut outcomes);
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
                    Sent::Lost(why) => {
                        lost_before = true;
                        (None, why)
                    }
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

    /// Records the platform refused because it has their number already: looked up by
    /// number, and the id of what the platform has adopted, so the document is not created
    /// twice and what follows (its payments) refers to it. A lookup that finds nothing, or
    /// more than one, leaves the refusal as it was, with what the lookup found.
    fn adopt(&self, request: &StagedRequest, outcomes: &mut [RecordOutcome]) {
        let name = self.platform.name();
        for (index, outcome) in outcomes.iter_mut().enumerate() {
            if outcome.delivered() {
                continue;
            }
            let Some(lookup) = self.platform.adoption(request, index, &outcome.error) else {
                continue;
            };
            match self.look_up(&lookup) {
                Ok(Some(id)) => {
                    outcome.adopted = std::mem::take(&mut outcome.error);
                    outcome.remote_id = id;
                }
                Ok(None) => outcome.error.push_str(&format!(
                    " ({name} has no single {} to adopt: compare it with what {name} has, and correct one of them)",
                    lookup.what
                )),
                Err(why) => outcome.error.push_str(&format!(
                    " (looking up {} in {name} failed: {why}; it stays refused)",
                    lookup.what
                )),
            }
        }
    }

    /// After a lost answer: every record of the request as the platform has it, when the
    /// platform reads back and finds them all; else `None`, and the request is sent again.
    fn read_back(&self, request: &StagedRequest) -> Option<Vec<RecordOutcome>> {
        let mut outcomes = Vec::new();
        for (index, record) in request.records.iter().enumerate() {
            let lookup = self.platform.read_back(request, index)?;
            let id = self.look_up(&lookup).ok()??;
            outcomes.push(RecordOutcome {
                id: record.id.clone(),
                remote_id: id,
                error: String::new(),
                adopted: format!(
                    "read back from {} after an answer was lost: it had {} already",
                    self.platform.name(),
                    lookup.what
                ),
            });
        }
        Some(outcomes)
    }

    fn look_up(&self, lookup: &Lookup) -> Result<Option<String>, String> {
        let call = self
            .client
            .get(format!("{}{}", self.base_url, lookup.path))
            .header("Accept", "application/json");
        let response = self.platform.authorise(call).send().map_err(|e| {
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
            return Err(format!(
                "{} answered {}",
                self.platform.name(),
                status.as_u16()
            ));
        }
        Ok(lookup.found(&body))
    }

    /// Sends `body` (the staged body, platform ids filled in) with the staged request's
    /// method, path and headers.
    fn send(&self, request: &StagedRequest, body: &str) -> Sent {
        let Ok(method) = reqwest::Method::from_bytes(request.method.as_bytes()) else {
            return Sent::Lost(format!("\"{}\" is no HTTP method", request.method));
        };
        let call = self
            .client
            .request(method, format!("{}{}", self.base_url, request.path))
            .body(body.to_string());
        let mut call = self.platform.authorise(call);
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
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = match response.bytes() {
            Ok(body) => body,
            Err(e) if e.is_timeout() => return Sent::Lost("no answer in time".to_string()),
            Err(_) => return Sent::Lost("the connection was lost during the answer".to_string()),
        };
        Sent::Answer(
            self.platform.interpret_located(
                status,
                retry_after.as_deref(),
                location.as_deref(),
                &body,
                request,
            ),
            status,
        )
    }
}

/// When a request goes: contacts first, then invoices and credit notes, then payments, then
/// what completes them.
fn stage(request: &StagedRequest) -> u8 {
    match request.records.first().map(|r| r.kind.as_str()) {
        Some("contact") => 0,
        Some("invoice" | "credit-note") => 1,
        // What completes a payment (a customer's overpayment, a difference) goes after it.
        Some("overpayment" | "difference") => 3,
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
