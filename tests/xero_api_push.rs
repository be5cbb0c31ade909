//! Payments staged as requests to Xero's Accounting API and delivered by `sluice push`:
//! every body is what Xero's own specification accepts, the staged batch is the golden one
//! byte for byte, and a push through rate limits, server errors and lost answers delivers
//! every payment exactly once, leaves what Xero refused refused with Xero's words, writes
//! the whole story to the batch's delivery log — and never writes a credential anywhere.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::xero_mock::{Fault, TENANT, TOKEN, XeroMock};
use common::xero_spec::{XeroSpec, errors};
use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, compare_with_golden, run_at};
use sluice::delivery::log::{self, Outcome};
use sluice::delivery::{self, DeliveryError, PushOptions};
use sluice::outbox::{self, StagedRequest};
use sluice::pipeline::Pipeline;

const RUN: &str = "2026-10-31T18:00:00Z";
const BATCH: &str = "outbox/acme/xero/20261031T180000Z-000001";

const INVOICES: &[(&str, &str, &str, &str)] = &[
    ("INV-2026-0001", "C1", "Ada Lovelace", "29.90"),
    ("INV-2026-0002", "C2", "Alan Turing", "39.90"),
    ("INV-2026-0003", "C3", "Grace Hopper", "49.90"),
    ("INV-2026-0004", "C4", "Edsger Dijkstra", "19.90"),
    ("INV-2026-0005", "C5", "Frances Allen", "59.90"),
];

fn company(base_url: &str) -> (Company, Pipeline) {
    company_with(base_url, "")
}

/// The company, with `extra` settings at the end of `[targets.mapping]`.
fn company_with(base_url: &str, extra: &str) -> (Company, Pipeline) {
    let company = Company::new();
    let mut invoices = INVOICE_HEADER.to_string();
    let mut bank = BANK_HEADER.to_string();
    for (i, (number, customer, name, total)) in INVOICES.iter().enumerate() {
        invoices.push_str(&format!(
            "{number},{customer},{name},2026-10-01,2026-10-15,{total},EUR,open\n"
        ));
        bank.push_str(&format!(
            "2026-10-0{day},2026-10-0{day},{name},,Rechnung {number},DB0{day},{total},EUR,\n",
            day = i + 3
        ));
    }
    company.drop_file("invoices-2026-10.csv", invoices);
    company.drop_file("bank-2026-10.csv", bank);
    let body = format!(
        r#"{DEMO_SOURCES}
[targets.mapping]
payment_account = "090"
{extra}
[targets.api]
base_url = "{base_url}"
token_env = "TEST_XERO_TOKEN"
tenant_env = "TEST_XERO_TENANT"
per_request = 2
"#
    );
    let pipeline = company.pipeline("keep", &body);
    run_at(&pipeline, RUN);
    (company, pipeline)
}

fn env(name: &str) -> Option<String> {
    match name {
        "TEST_XERO_TOKEN" => Some(TOKEN.to_string()),
        "TEST_XERO_TENANT" => Some(TENANT.to_string()),
        _ => None,
    }
}

fn quick() -> PushOptions {
    common::quick_push(5)
}

fn requests(batch: &Path) -> Vec<(String, StagedRequest)> {
    let mut found: Vec<(String, StagedRequest)> = fs::read_dir(batch)
        .expect("batch folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("xero-payments-"))
        .map(|name| {
            let bytes = fs::read(batch.join(&name)).expect("request file");
            (
                name,
                StagedRequest::from_bytes(&bytes).expect("a staged request"),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn the_run_stages_payments_as_requests_xeros_specification_accepts() {
    let (company, _) = company("http://127.0.0.1:9");
    let batch = company.path(BATCH);
    let staged = requests(&batch);
    assert_eq!(
        staged
            .iter()
            .map(|(n, r)| (n.as_str(), r.records.len()))
            .collect::<Vec<_>>(),
        [
            ("xero-payments-0001.json", 2),
            ("xero-payments-0002.json", 2),
            ("xero-payments-0003.json", 1)
        ]
    );
    let spec = XeroSpec::load().validator("put", "/Payments");
    for (name, request) in &staged {
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("PUT", "/api.xro/2.0/Payments?summarizeErrors=false")
        );
        assert_eq!(request.headers["Idempotency-Key"], request.idempotency_key);
        let body: serde_json::Value = serde_json::from_str(request.body.get()).expect("JSON");
        assert_eq!(errors(&spec, &body), Vec::<String>::new(), "{name}");
    }
    // The amounts are the decimals as written, never through a float.
    assert!(
        staged[0].1.body.get().contains(r#""Amount":29.90"#),
        "{}",
        staged[0].1.body.get()
    );
    let report = outbox::verify(&batch).expect("verify");
    assert!(report.is_intact(), "{:?}", report.problems);
    compare_with_golden(&batch, &common::repo().join("tests/golden/xero/api"));
}

#[test]
fn a_push_delivers_every_payment_once_through_rate_limits_errors_and_lost_answers() {
    let known = [
        "INV-2026-0001",
        "INV-2026-0002",
        "INV-2026-0003",
        "INV-2026-0004",
    ];
    let faults = vec![
        Fault::RateLimit("1"),
        Fault::ServerError,
        Fault::SlowAnswer(Duration::from_millis(1500)),
    ];
    let mock = XeroMock::start(&known, faults);
    let (company, pipeline) = company(&mock.base_url);
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.stopped, None);
    let [batch] = report.batches.as_slice() else {
        panic!("one batch: {report:?}");
    };
    assert_eq!(
        (batch.requests_answered, batch.delivered, batch.waiting),
        (3, 4, 0)
    );
    assert_eq!(batch.refused.len(), 1);
    assert_eq!(batch.refused[0].0.document, "INV-2026-0005");
    assert_eq!(batch.refused[0].1, "Invoice could not be found");
    assert!(mock.refused_bodies().is_empty());

    // Each payment was created once, though its request went four times.
    let mut created: Vec<String> = mock
        .created()
        .iter()
        .map(|p| {
            p["Invoice"]["InvoiceNumber"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    created.sort();
    assert_eq!(created, known);

    // The log tells the story of the first request: waited as told, backed off, lost the
    // answer, resent under the same key, answered.
    let dir = company.path(BATCH);
    let attempts = log::read(&dir).expect("delivery log");
    let first: Vec<(u32, Option<u16>, Outcome, Option<u64>)> = attempts
        .iter()
        .filter(|a| a.request == "xero-payments-0001.json")
        .map(|a| (a.attempt, a.status, a.outcome, a.wait_ms))
        .collect();
    assert_eq!(
        first,
        [
            (1, Some(429), Outcome::Retry, Some(1000)),
            (2, Some(500), Outcome::Retry, Some(20)),
            (3, None, Outcome::Retry, Some(40)),
            (4, Some(200), Outcome::Answered, None),
        ]
    );
    let keys: std::collections::BTreeSet<&str> = attempts
        .iter()
        .filter(|a| a.request == "xero-payments-0001.json")
        .map(|a| a.idempotency_key.as_str())
        .collect();
    assert_eq!(keys.len(), 1, "one key for every attempt");
    let answered = attempts.iter().filter(|a| a.outcome == Outcome::Answered);
    let remote: Vec<&str> = answered
        .flat_map(|a| &a.records)
        .map(|r| r.remote_id.as_str())
        .filter(|id| !id.is_empty())
        .collect();
    assert_eq!(remote.len(), 4);

    // The platform's ids are in the ledger, by record, and the push is no run.
    let facts = company.ledger();
    let mut in_ledger: Vec<(&str, &str, &str)> = facts
        .remote_ids
        .iter()
        .map(|r| (r.kind.as_str(), r.document.as_str(), r.request.as_str()))
        .collect();
    in_ledger.sort();
    assert_eq!(
        in_ledger,
        [
            ("payment", "INV-2026-0001", "xero-payments-0001.json"),
            ("payment", "INV-2026-0002", "xero-payments-0001.json"),
            ("payment", "INV-2026-0003", "xero-payments-0002.json"),
            ("payment", "INV-2026-0004", "xero-payments-0002.json"),
        ]
    );
    let mut ids: Vec<&str> = facts
        .remote_ids
        .iter()
        .map(|r| r.remote_id.as_str())
        .collect();
    ids.sort();
    let mut logged = remote.clone();
    logged.sort();
    assert_eq!(ids, logged);
    assert_eq!(report.remote_ids_recorded, 4);
    let status = sluice::status::status(&pipeline).expect("status");
    assert_eq!(status.runs, 1);

    // Pushing again sends nothing: every request has its answer.
    let before = mock.requests();
    let again = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(mock.requests(), before);
    assert_eq!(again.batches[0].answered_before, 5);
    assert_eq!(again.batches[0].delivered, 0);
    assert_eq!(again.remote_ids_recorded, 0);
    assert_eq!(company.ledger().remote_ids.len(), 4);
    // The delivery log is the batch's own: the batch is still intact.
    assert!(outbox::verify(&dir).expect("verify").is_intact());

    // No credential is written anywhere: outbox, ledger, log.
    for file in walk(company.dir.path()) {
        let bytes = fs::read(&file).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(TOKEN) && !text.contains(TENANT),
            "{}",
            file.display()
        );
    }
}

#[test]
fn without_credentials_nothing_is_sent_and_refused_ones_stop_the_push() {
    let mock = XeroMock::start(&["INV-2026-0001"], Vec::new());
    let (company, pipeline) = company(&mock.base_url);
    let none = |_: &str| None;
    match delivery::push(&pipeline, &quick(), &none) {
        Err(DeliveryError::MissingCredential { variable, .. }) => {
            assert_eq!(variable, "TEST_XERO_TOKEN")
        }
        other => panic!("refused for the missing token: {other:?}"),
    }
    assert_eq!(mock.requests(), 0);

    let wrong = |name: &str| match name {
        "TEST_XERO_TOKEN" => Some("expired".to_string()),
        other => env(other),
    };
    let report = delivery::push(&pipeline, &quick(), &wrong).expect("push");
    assert!(
        report
            .stopped
            .as_deref()
            .is_some_and(|why| why.contains("credentials (401)"))
    );
    assert_eq!(report.batches[0].waiting, 5);
    assert_eq!(mock.requests(), 1, "no retry mends credentials");
    let attempts = log::read(&company.path(BATCH)).expect("log");
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, Outcome::GaveUp);
    // With the right token the next push delivers.
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.batches[0].delivered, 1);
    assert_eq!(report.batches[0].refused.len(), 4);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn the_push_command_says_what_became_of_each_payment() {
    let mock = XeroMock::start(
        &[
            "INV-2026-0001",
            "INV-2026-0002",
            "INV-2026-0003",
            "INV-2026-0004",
        ],
        Vec::new(),
    );
    let (company, _) = company(&mock.base_url);
    let push = |token: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sluice"));
        command
            .args(["push", "--pipeline"])
            .arg(company.path("pipeline.toml"))
            .env("TEST_XERO_TENANT", TENANT);
        match token {
            Some(token) => command.env("TEST_XERO_TOKEN", token),
            None => command.env_remove("TEST_XERO_TOKEN"),
        };
        command.output().expect("sluice runs")
    };
    let out = push(Some(TOKEN));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Something was refused: exit 3, and the refusal in Xero's words.
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("3 request(s) answered now — 4 record(s) delivered, 1 refused, 0 waiting"),
        "{stdout}"
    );
    assert!(
        stdout.contains("REFUSED payment")
            && stdout.contains("(INV-2026-0005): Invoice could not be found"),
        "{stdout}"
    );
    let again = push(Some(TOKEN));
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 request(s) answered now"));
    let missing = push(None);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("TEST_XERO_TOKEN is not set"));
}

#[test]
fn ids_a_push_could_not_write_to_the_ledger_are_written_by_the_next() {
    let mock = XeroMock::start(&["INV-2026-0001", "INV-2026-0002"], Vec::new());
    let (company, pipeline) = company(&mock.base_url);
    // A run holds the ledger while the push ends.
    let lock = fs::File::options()
        .write(true)
        .open(company.path("ledger/.lock"))
        .expect("the ledger's lock file");
    lock.try_lock().expect("the lock");
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.batches[0].delivered, 2);
    assert!(report.remote_ids_pending.is_some(), "{report:?}");
    assert!(company.ledger().remote_ids.is_empty());
    drop(lock);
    let before = mock.requests();
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(mock.requests(), before, "nothing is sent again");
    assert_eq!(report.remote_ids_recorded, 2);
    assert_eq!(company.ledger().remote_ids.len(), 2);
}

#[test]
fn payments_xero_has_from_its_own_feed_are_never_pushed() {
    let (company, _) = company_with(
        "http://127.0.0.1:9",
        "never_export = [\"DE89 3704 0044 0532 0130 00\"]\n",
    );
    assert!(requests(&company.path(BATCH)).is_empty());
}
