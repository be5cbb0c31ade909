//! `sluice status` as a finance person and a monitoring script see it: each account's last
//! statement, what is missing and whom to ask, the ledger's totals; `--json` with stable
//! keys; exit 0, and 2 for a bad pipeline file. `sluice run --json` reports continuity too.

mod common;

use std::process::{Command, Output};

use common::{Company, MT940_ACCOUNT, mt940_statement};

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
            "continuity",
            "decisions",
            "files",
            "invoices",
            "last_run",
            "pipeline",
            "runs"
        ]
    );
    assert_eq!(status["runs"], 2);
    assert_eq!(status["decisions"], 0);
    assert_eq!(
        keys(&status["bank_lines"]),
        ["applied", "skipped_as_seen_before", "unmatched"]
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
