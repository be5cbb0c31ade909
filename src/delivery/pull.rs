//! `sluice pull`: the import direction. Payments received in Xero that sluice did not push —
//! Xero's own bank feed, a payment a person entered there — are fetched from the target's
//! API (`GET /Payments`, received on sales invoices, from the source's `import_from` day)
//! and written into the inbox as a file of the pipeline's `xero_payments` source, which the
//! next run reads like any bank file (see `crate::sources` `xero_payments`): archived with
//! its SHA-256, reconciled onto the invoices, never applied twice.
//!
//! `pull` also fetches what each Xero target's organisation takes — its lock date, tax
//! rates and accounts ([`crate::targets::xero::settings`]) — so the next run holds what Xero
//! would refuse before it is staged.
//!
//! Nothing echoes: payments sluice pushed (their ids are in the ledger's `remote_ids`) are
//! left out of the file, and the payments pulled stay on the source's account, which the
//! target's `never_export` lists (`sluice check` insists), so they are never pushed back.
//! Payments already in the ledger (pulled before) are left out too; when nothing new is
//! left, no file is written.

use std::collections::HashSet;
use std::path::PathBuf;
use std::thread;

use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::platform::{PlatformApi, excerpt, retry_after};
use super::{DeliveryError, PushOptions, connect};
use crate::ledger::Ledger;
use crate::pipeline::{Pipeline, Source};
use crate::sources::PullHeader;
use crate::targets::xero::settings::{self, TaxType, XeroSettings};

/// Xero returns up to 100 payments a page.
const PAGE: usize = 100;

/// What one pull took for one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    pub source: String,
    /// The file written into the inbox; none when nothing new was found.
    pub file: Option<PathBuf>,
    pub payments: usize,
    pub left_out_pushed_by_sluice: usize,
    pub left_out_in_ledger: usize,
}

#[derive(Deserialize)]
struct Page {
    #[serde(rename = "Payments", default)]
    payments: Vec<Box<RawValue>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Identity {
    #[serde(rename = "PaymentID", default)]
    payment_id: String,
    #[serde(default)]
    payment_type: String,
    #[serde(default)]
    status: String,
}

/// Pulls every pulled source of the pipeline (or the one named `only`).
pub fn pull(
    pipeline: &Pipeline,
    only: Option<&str>,
    options: &PushOptions,
    env: &dyn Fn(&str) -> Option<String>,
    now: DateTime<Utc>,
) -> Result<Vec<Pulled>, DeliveryError> {
    let sources: Vec<&Source> = pipeline
        .sources
        .iter()
        .filter(|s| s.pull.is_some())
        .filter(|s| only.is_none_or(|name| s.name == name))
        .collect();
    if let Some(name) = only
        && sources.is_empty()
    {
        return Err(DeliveryError::NoSuchSource(name.to_string()));
    }
    if sources.is_empty() {
        return Ok(Vec::new());
    }
    let facts = Ledger::new(&pipeline.ledger).load()?;
    let client = reqwest::blocking::Client::builder()
        .timeout(options.timeout)
        .build()
        .map_err(|e| DeliveryError::Client(e.to_string()))?;
    let mut pulled = Vec::new();
    for source in sources {
        let Some(pull) = &source.pull else { continue };
        let Some(target) = pipeline.targets.iter().find(|t| t.name == pull.target) else {
            continue;
        };
        let Some(connection) = connect(target, env)? else {
            continue;
        };
        let ours: HashSet<&str> = facts
            .remote_ids
            .iter()
            .filter(|r| r.target == target.name && r.kind == "payment")
            .map(|r| r.remote_id.as_str())
            .collect();
        let account = source.account.clone().unwrap_or_default();
        let known: HashSet<&str> = facts
            .bank_lines
            .iter()
            .filter(|r| r.line.account == account)
            .map(|r| r.line.bank_reference.as_str())
            .collect();
        let from = pull.import_from;
        let filter = format!(
            "Date>=DateTime({},{:02},{:02})&&PaymentType==\"ACCRECPAYMENT\"",
            from.year(),
            from.month(),
            from.day()
        );
        let mut lines = Vec::new();
        let (mut left_ours, mut left_known) = (0, 0);
        for page in 1.. {
            let mut url =
                reqwest::Url::parse(&format!("{}/api.xro/2.0/Payments", connection.base_url))
                    .map_err(|e| DeliveryError::Client(e.to_string()))?;
            url.query_pairs_mut()
                .append_pair("where", &filter)
                .append_pair("page", &page.to_string());
            let body = get(&client, connection.platform.as_ref(), url, options)?;
            let answer: Page = serde_json::from_slice(&body).map_err(|e| {
                DeliveryError::Pull(format!(
                    "Xero's answer to GET /Payments is not a page of payments ({e}): {}",
                    excerpt(&body)
                ))
            })?;
            let count = answer.payments.len();
            for raw in answer.payments {
                let id: Identity = serde_json::from_str(raw.get()).map_err(|e| {
                    DeliveryError::Pull(format!("a payment Xero sent does not read: {e}"))
                })?;
                if id.payment_type != "ACCRECPAYMENT" || id.status == "DELETED" {
                    continue;
                }
                if ours.contains(id.payment_id.as_str()) {
                    left_ours += 1;
                } else if known.contains(id.payment_id.as_str()) {
                    left_known += 1;
                } else {
                    lines.push(one_line(raw.get()));
                }
            }
            if count < PAGE {
                break;
            }
        }
        let mut done = Pulled {
            source: source.name.clone(),
            file: None,
            payments: lines.len(),
            left_out_pushed_by_sluice: left_ours,
            left_out_in_ledger: left_known,
        };
        if !lines.is_empty() {
            let header = PullHeader {
                pulled_from: connection.base_url.clone(),
                target: target.name.clone(),
                at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                import_from: from,
                left_out_pushed_by_sluice: left_ours,
                left_out_in_ledger: left_known,
            };
            let mut text = serde_json::to_string(&header).expect("a header serialises");
            text.push('\n');
            for line in &lines {
                text.push_str(line);
                text.push('\n');
            }
            let name = format!("xero-payments-{}.jsonl", now.format("%Y%m%dT%H%M%SZ"));
            if !source.matches_file_name(&name) {
                return Err(DeliveryError::Pull(format!(
                    "source {} would not read the file pull writes ({name}): let its files include \"xero-payments-*.jsonl\"",
                    source.name
                )));
            }
            done.file = Some(write_into_inbox(pipeline, &name, text.as_bytes())?);
        }
        pulled.push(done);
    }
    Ok(pulled)
}

#[derive(Deserialize)]
struct Organisations {
    #[serde(rename = "Organisations", default)]
    organisations: Vec<Organisation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Organisation {
    #[serde(default)]
    period_lock_date: Option<String>,
    #[serde(default)]
    end_of_year_lock_date: Option<String>,
}

#[derive(Deserialize)]
struct TaxRates {
    #[serde(rename = "TaxRates", default)]
    tax_rates: Vec<TaxRate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TaxRate {
    tax_type: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    can_apply_to_revenue: bool,
}

#[derive(Deserialize)]
struct Accounts {
    #[serde(rename = "Accounts", default)]
    accounts: Vec<Account>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Account {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    class: String,
}

/// Fetches what the organisation of each Xero target with an API section takes (or of the
/// target `only`), and keeps it beside the ledger; returns the files written.
pub fn fetch_settings(
    pipeline: &Pipeline,
    only: Option<&str>,
    options: &PushOptions,
    env: &dyn Fn(&str) -> Option<String>,
    now: DateTime<Utc>,
) -> Result<Vec<PathBuf>, DeliveryError> {
    let client = reqwest::blocking::Client::builder()
        .timeout(options.timeout)
        .build()
        .map_err(|e| DeliveryError::Client(e.to_string()))?;
    let mut written = Vec::new();
    for target in pipeline
        .targets
        .iter()
        .filter(|t| t.xero_api.is_some())
        .filter(|t| only.is_none_or(|name| t.name == name))
    {
        let Some(connection) = connect(target, env)? else {
            continue;
        };
        let fetch = |what: &str| -> Result<Vec<u8>, DeliveryError> {
            let url = reqwest::Url::parse(&format!("{}/api.xro/2.0/{what}", connection.base_url))
                .map_err(|e| DeliveryError::Client(e.to_string()))?;
            get(&client, connection.platform.as_ref(), url, options)
        };
        let unreadable = |what: &str, e: serde_json::Error, body: &[u8]| {
            DeliveryError::Pull(format!(
                "Xero's answer to GET /{what} does not read ({e}): {}",
                excerpt(body)
            ))
        };
        let body = fetch("Organisation")?;
        let organisation: Organisations =
            serde_json::from_slice(&body).map_err(|e| unreadable("Organisation", e, &body))?;
        let lock_date = organisation
            .organisations
            .first()
            .map(|o| {
                [&o.period_lock_date, &o.end_of_year_lock_date]
                    .into_iter()
                    .flatten()
                    .filter_map(|d| crate::sources::xero_date(d))
                    .max()
            })
            .unwrap_or_default();
        let body = fetch("TaxRates")?;
        let rates: TaxRates =
            serde_json::from_slice(&body).map_err(|e| unreadable("TaxRates", e, &body))?;
        let body = fetch("Accounts")?;
        let accounts: Accounts =
            serde_json::from_slice(&body).map_err(|e| unreadable("Accounts", e, &body))?;
        let settings = XeroSettings {
            fetched: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            lock_date,
            tax_types: rates
                .tax_rates
                .into_iter()
                .map(|r| {
                    (
                        r.tax_type,
                        TaxType {
                            name: r.name,
                            status: r.status,
                            can_apply_to_revenue: r.can_apply_to_revenue,
                        },
                    )
                })
                .collect(),
            accounts: accounts
                .accounts
                .into_iter()
                .filter_map(|a| {
                    let code = a.code.filter(|c| !c.trim().is_empty())?;
                    Some((
                        code,
                        settings::Account {
                            name: a.name,
                            class: a.class,
                            status: a.status,
                        },
                    ))
                })
                .collect(),
        };
        let path = settings::path(&pipeline.ledger, &target.name);
        let bytes = serde_json::to_vec_pretty(&settings).expect("settings serialise");
        write_atomically(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// One `GET`, retried on rate limits and server trouble as a push retries.
fn get(
    client: &reqwest::blocking::Client,
    platform: &dyn PlatformApi,
    url: reqwest::Url,
    options: &PushOptions,
) -> Result<Vec<u8>, DeliveryError> {
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let call = client.get(url.clone()).header("Accept", "application/json");
        let (wait, why) = match platform.authorise(call).send() {
            Ok(response) => {
                let status = response.status().as_u16();
                let after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let body = response
                    .bytes()
                    .map_err(|_| DeliveryError::Pull("Xero's answer was cut off".to_string()))?;
                match status {
                    200..=299 => return Ok(body.to_vec()),
                    429 => (
                        retry_after(after.as_deref()),
                        "Xero's rate limit (429)".to_string(),
                    ),
                    500..=599 => (None, format!("Xero could not answer ({status})")),
                    _ => {
                        return Err(DeliveryError::Pull(format!(
                            "Xero answered {status}: {} — check the credentials and the tenant id",
                            excerpt(&body)
                        )));
                    }
                }
            }
            Err(e) if e.is_timeout() => (None, "no answer in time".to_string()),
            Err(_) => (None, "the connection failed".to_string()),
        };
        let wait = wait
            .unwrap_or_else(|| options.backoff * 2u32.saturating_pow(attempt.saturating_sub(1)));
        if attempt >= options.max_attempts || wait > options.max_wait {
            return Err(DeliveryError::Pull(format!(
                "{why}, {attempt} time(s): nothing was written — pull again later"
            )));
        }
        thread::sleep(wait);
    }
}

/// A JSON value on one line: whitespace outside strings dropped, every other byte (numbers
/// above all) as Xero wrote it.
fn one_line(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// Writes the file under a name no run reads (`*.tmp`) and renames it into place
/// (`durable::write_atomic`), so a run or a watcher never sees half of it.
fn write_into_inbox(
    pipeline: &Pipeline,
    name: &str,
    bytes: &[u8],
) -> Result<PathBuf, DeliveryError> {
    let path = pipeline.inbox.join(name);
    write_atomically(&path, bytes)?;
    Ok(path)
}

fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), DeliveryError> {
    crate::durable::write_atomic(path, bytes)
        .map_err(|e| DeliveryError::Pull(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_keeps_strings_and_numbers_as_written() {
        let pretty = "{\n  \"Amount\": 29.90,\n  \"Reference\": \"a  b\\\" c\"\n}";
        assert_eq!(
            one_line(pretty),
            r#"{"Amount":29.90,"Reference":"a  b\" c"}"#
        );
    }
}
