//! `sluice status` as a finance person and a monitoring script see it: each account's last
//! statement, what is missing and whom to ask, the ledger's totals, the files waiting in the
//! inbox and refused in quarantine (with the reason), the last run and how it ended, the
//! money waiting for a person, and where each batch stands — staged files, or API records
//! delivered, refused or not answered yet; `--json` with stable keys; exit 0, and 2 for a
//! bad pipeline file. `sluice run --json` reports continuity too.

mod common;

use std::process::{Command, Output};

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, MT940_ACCOUNT, mt940_statement};
use sluice::delivery::log::{Attempt, Outcome, RecordOutcome};
use sluice::outbox::StagedRequest;

const PIPELINE: &str = r#"
[[sources]]
name = "bank"
format = "mt940"
files = ["*.sta"]
"#;

fn sluice(company: &Company, command: &str, json: bool) -> Output {
    let mut sluice = Command::new(env!("CARGO_BIN_EXE_sluice"));
    sluice
        .arg(command)
        .arg("--pipeline")
        .arg(company.path("pipeline.toml"));
    if json {
        sluice.arg("--json");
    }
    sluice
        .current_dir("/")
        .env_remove("SLUICE_LOG")
        .output()
        .expect("sluice runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn keys(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// Statement 41 in a first run, 43 in a second: 42 is missing.
fn company_missing_statement_42() -> Company {
    let company = Company::new();
    company.pipeline("archive", PIPELINE);
    company.drop_file(
        "a.sta",
        mt940_statement("41", "2026-10-02", 100_000, "2026-10-03", 5_000, "B-41"),
    );
    json(&sluice(&company, "run", true));
    company.drop_file(
        "c.sta",
        mt940_statement("43", "2026-10-06", 107_000, "2026-10-07", 3_000, "B-43"),
    );
    company
}

#[test]
fn run_json_reports_a_missing_statement_with_stable_keys() {
    let company = company_missing_statement_42();
    let summary = json(&sluice(&company, "run", true));
    let statements = &summary["statements"];
    assert_eq!(keys(statements), ["continuity", "read"]);
    assert_eq!(statements["read"], 1);
    let finding = &statements["continuity"][0];
    assert_eq!(keys(finding), ["account", "kind", "message"]);
    assert_eq!(finding["account"], MT940_ACCOUNT);
    assert_eq!(finding["kind"], "sequence_gap");
    assert_eq!(summary["bank_lines"]["new"], 1);
}

#[test]
fn run_text_names_the_missing_statement() {
    let company = company_missing_statement_42();
    let out = sluice(&company, "run", false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("statements   1 read, 1 continuity problem(s)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "CONTINUITY   statement 42 of account {MT940_ACCOUNT} is missing"
        )),
        "{stdout}"
    );
}

#[test]
fn status_shows_the_last_statement_what_is_missing_and_the_totals() {
    let company = company_missing_statement_42();
    json(&sluice(&company, "run", true));

    let out = sluice(&company, "status", false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    for part in [
        "sluice status acme — 2 committed run(s)",
        "files        2 processed, 0 duplicate(s)",
        "bank lines   2 applied, 0 skipped as seen before, 2 unmatched, waiting for a person",
        "invoices     0 paid, 0 partly paid, 0 open",
        &format!(
            "account      {MT940_ACCOUNT} EUR: last statement 43 (STMT-43) closes on 2026-10-07 with EUR 1100.00 (file c.sta)"
        ),
        &format!("ask the bank for statement 42 of account {MT940_ACCOUNT}"),
    ] {
        assert!(stdout.contains(part), "{part:?} not in:\n{stdout}");
    }

    let status = json(&sluice(&company, "status", true));
    assert_eq!(
        keys(&status),
        [
            "accounts",
            "bank_lines",
            "batches",
            "continuity",
            "decisions",
            "files",
            "inbox",
            "invoices",
            "last_run",
            "last_run_outcome",
            "pipeline",
            "quarantine",
            "runs"
        ]
    );
    assert_eq!(status["runs"], 2);
    assert_eq!(status["decisions"], 0);
    assert_eq!(
        keys(&status["bank_lines"]),
        [
            "applied",
            "skipped_as_seen_before",
            "unmatched",
            "unmatched_money"
        ]
    );
    assert_eq!(
        status["bank_lines"]["unmatched_money"],
        serde_json::json!({"EUR": "80.00"})
    );
    assert_eq!(
        keys(&status["accounts"][0]),
        ["account", "currency", "last_statement"]
    );
    assert_eq!(
        keys(&status["accounts"][0]["last_statement"]),
        [
            "closing_balance",
            "closing_date",
            "file",
            "id",
            "run_id",
            "sequence"
        ]
    );
    assert_eq!(
        status["accounts"][0]["last_statement"]["closing_balance"],
        "1100.00"
    );
    assert_eq!(
        status["accounts"][0]["last_statement"]["closing_date"],
        "2026-10-07"
    );
    assert_eq!(status["continuity"][0]["kind"], "sequence_gap");
}

#[test]
fn status_on_an_empty_ledger_says_nothing_is_committed_yet() {
    let company = Company::new();
    company.pipeline("archive", PIPELINE);
    let out = sluice(&company, "status", false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("no run committed yet"), "{stdout}");
    assert!(stdout.contains("statements   none read yet"), "{stdout}");
    assert!(!company.path("ledger").exists(), "status writes nothing");

    let status = json(&sluice(&company, "status", true));
    assert_eq!(status["runs"], 0);
    assert_eq!(status["last_run"], serde_json::Value::Null);
    assert_eq!(status["accounts"], serde_json::json!([]));
    assert_eq!(status["continuity"], serde_json::json!([]));
}

#[test]
fn status_with_a_bad_pipeline_file_exits_2() {
    let company = Company::new();
    std::fs::write(
        company.path("pipeline.toml"),
        "name = \"acme\"\n[inbox]\npathh = 1\n",
    )
    .expect("write pipeline");
    let out = sluice(&company, "status", false);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
}

#[test]
fn status_shows_the_inbox_the_quarantine_the_last_run_and_the_money_waiting() {
    let company = Company::new();
    company.pipeline("archive", PIPELINE);
    company.drop_file(
        "a.sta",
        mt940_statement("41", "2026-10-02", 100_000, "2026-10-03", 5_000, "B-41"),
    );
    company.drop_file("notes.txt", "not a statement");
    let run = sluice(&company, "run", false);
    assert_eq!(run.status.code(), Some(3), "a file was quarantined");
    // Dropped after the run: the next one takes it.
    company.drop_file(
        "c.sta",
        mt940_statement("42", "2026-10-06", 105_000, "2026-10-07", 3_000, "B-42"),
    );

    let out = sluice(&company, "status", false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    for part in [
        "last run     20",
        ": committed, 1 file(s) quarantined (exit code 3); 2 file(s) read, 1 processed",
        "inbox        1 file(s) waiting for the next run: c.sta",
        "QUARANTINED  notes.txt: notes.txt: the name matches no source of pipeline acme",
        "unmatched    EUR 50.00 waits for a person (`sluice unmatched`)",
        "batches      none staged yet",
    ] {
        assert!(stdout.contains(part), "{part:?} not in:\n{stdout}");
    }

    let status = json(&sluice(&company, "status", true));
    assert_eq!(status["inbox"], serde_json::json!(["c.sta"]));
    assert_eq!(status["quarantine"][0]["file"], "notes.txt");
    let reason = status["quarantine"][0]["reason"]
        .as_str()
        .expect("a reason");
    assert!(reason.contains("matches no source"), "{reason}");
    assert!(!reason.contains("What to do"), "only the reason: {reason}");
    let last = &status["last_run_outcome"];
    assert_eq!(
        keys(last),
        [
            "files_processed",
            "files_quarantined",
            "files_read",
            "outcome",
            "run_id",
            "started"
        ]
    );
    assert_eq!(last["outcome"], "committed_with_quarantine");
    assert_eq!(last["run_id"], status["last_run"]);
    assert_eq!(
        status["bank_lines"]["unmatched_money"],
        serde_json::json!({"EUR": "50.00"})
    );
}

#[test]
fn status_with_keep_counts_only_bytes_not_yet_taken_as_waiting() {
    let company = Company::new();
    company.pipeline("keep", PIPELINE);
    company.drop_file(
        "a.sta",
        mt940_statement("41", "2026-10-02", 100_000, "2026-10-03", 5_000, "B-41"),
    );
    company.drop_file("notes.txt", "not a statement");
    assert_eq!(sluice(&company, "run", false).status.code(), Some(3));
    let status = json(&sluice(&company, "status", true));
    // a.sta is applied, notes.txt refused (a copy in quarantine): both stay, neither waits.
    assert_eq!(status["inbox"], serde_json::json!([]));
    assert_eq!(status["quarantine"][0]["file"], "notes.txt");
    company.drop_file(
        "a.sta",
        mt940_statement("41", "2026-10-02", 100_000, "2026-10-03", 6_000, "B-41"),
    );
    let status = json(&sluice(&company, "status", true));
    assert_eq!(
        status["inbox"],
        serde_json::json!(["a.sta"]),
        "new bytes wait"
    );
}

const API_RUN: &str = "2026-10-31T18:00:00Z";
const API_BATCH: &str = "acme/xero/20261031T180000Z-000001";

/// Five payments staged for Xero's API, two per request; no push has run.
fn company_with_an_api_batch() -> Company {
    let company = Company::new();
    let mut invoices = INVOICE_HEADER.to_string();
    let mut bank = BANK_HEADER.to_string();
    for i in 1..=5 {
        invoices.push_str(&format!(
            "INV-{i},C{i},Customer {i},2026-10-01,2026-10-15,{i}0.00,EUR,open\n"
        ));
        bank.push_str(&format!(
            "2026-10-0{i},2026-10-0{i},Customer {i},,Rechnung INV-{i},B{i},{i}0.00,EUR,\n"
        ));
    }
    company.drop_file("invoices-2026-10.csv", invoices);
    company.drop_file("bank-2026-10.csv", bank);
    // Never contacted: the delivery log below is written by hand.
    let pipeline = company.pipeline(
        "archive",
        &format!(
            "{DEMO_SOURCES}\n[targets.api]\nbase_url = \"http://127.0.0.1:9\"\ntoken_env = \"T\"\ntenant_env = \"U\"\npayment_account = \"090\"\nper_request = 2\n"
        ),
    );
    common::run_at(&pipeline, API_RUN);
    company
}

fn attempt(request: &str, outcome: Outcome, records: Vec<RecordOutcome>) -> String {
    let line = Attempt {
        at: common::at("2026-11-01T08:00:00Z"),
        request: request.to_string(),
        attempt: 1,
        idempotency_key: "sluice-test".to_string(),
        status: Some(if outcome == Outcome::Answered {
            200
        } else {
            503
        }),
        outcome,
        error: if outcome == Outcome::Answered {
            String::new()
        } else {
            "server error".to_string()
        },
        wait_ms: None,
        records,
        resolved: Default::default(),
    };
    format!("{}\n", serde_json::to_string(&line).expect("JSON"))
}

#[test]
fn status_tells_delivered_refused_and_unanswered_records_of_an_api_batch() {
    let company = company_with_an_api_batch();
    let batch = company.path("outbox").join(API_BATCH);
    let first: StagedRequest = StagedRequest::from_bytes(
        &std::fs::read(batch.join("xero-payments-0001.json")).expect("request"),
    )
    .expect("a request");
    let refused = &first.records[1];
    // The first request answered (one taken, one refused), the second lost, the third not sent.
    let log = attempt(
        "xero-payments-0001.json",
        Outcome::Answered,
        vec![
            RecordOutcome {
                id: first.records[0].id.clone(),
                remote_id: "pay-1".to_string(),
                error: String::new(),
                adopted: String::new(),
            },
            RecordOutcome {
                id: refused.id.clone(),
                remote_id: String::new(),
                error: "Payment amount exceeds the amount outstanding on this document".to_string(),
                adopted: String::new(),
            },
        ],
    ) + &attempt("xero-payments-0002.json", Outcome::GaveUp, Vec::new());
    std::fs::write(batch.join("delivery.log"), log).expect("write log");

    let status = json(&sluice(&company, "status", true));
    let batches = status["batches"].as_array().expect("batches");
    let api = batches
        .iter()
        .find(|b| b["batch"] == API_BATCH)
        .expect("the API batch");
    assert_eq!(
        keys(api),
        [
            "batch",
            "delivered",
            "failed",
            "failures",
            "records",
            "run_id",
            "state",
            "target",
            "waiting"
        ]
    );
    assert_eq!(api["state"], "failed");
    assert_eq!(
        (&api["delivered"], &api["failed"], &api["waiting"]),
        (
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(3)
        )
    );
    assert_eq!(api["failures"][0]["id"], refused.id.as_str());
    assert_eq!(api["failures"][0]["document"], refused.document.as_str());

    let out = sluice(&company, "status", false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for part in [
        format!("delivery     {API_BATCH}: 1 delivered, 1 refused, 3 not answered yet"),
        format!(
            "FAILED       payment {} ({}) in xero-payments-0001.json: Payment amount exceeds",
            refused.id, refused.document
        ),
    ] {
        assert!(stdout.contains(&part), "{part:?} not in:\n{stdout}");
    }

    // Every record answered without error: delivered, and no longer listed one by one.
    let all: String = ["0001", "0002", "0003"]
        .iter()
        .map(|n| {
            let name = format!("xero-payments-{n}.json");
            let request =
                StagedRequest::from_bytes(&std::fs::read(batch.join(&name)).expect("request"))
                    .expect("a request");
            let records = request
                .records
                .iter()
                .map(|r| RecordOutcome {
                    id: r.id.clone(),
                    remote_id: "pay".to_string(),
                    error: String::new(),
                    adopted: String::new(),
                })
                .collect();
            attempt(&name, Outcome::Answered, records)
        })
        .collect();
    std::fs::write(batch.join("delivery.log"), all).expect("write log");
    let status = json(&sluice(&company, "status", true));
    let api = status["batches"]
        .as_array()
        .expect("batches")
        .iter()
        .find(|b| b["batch"] == API_BATCH)
        .cloned()
        .expect("the API batch");
    assert_eq!(api["state"], "delivered");
    assert_eq!(api["delivered"], 5);
    let out = sluice(&company, "status", false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("delivered    1 batch(es) of API requests, every record answered"),
        "{stdout}"
    );
}
