//! `sluice run` as cron and people see it: the summary, `--json` with stable keys, exit
//! codes 0 and 3, and one run at a time per ledger.

mod common;

use std::fs::File;
use std::process::{Command, Output};

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, run_at, try_run_at};
use sluice::run::RunError;

fn sluice_run(company: &Company, json: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sluice"));
    command
        .arg("run")
        .arg("--pipeline")
        .arg(company.path("pipeline.toml"));
    if json {
        command.arg("--json");
    }
    // From `/`, as cron runs it: the pipeline's relative paths must not depend on it.
    command
        .current_dir("/")
        .env_remove("SLUICE_LOG")
        .output()
        .expect("sluice runs")
}

fn company() -> Company {
    let company = Company::new();
    company.pipeline("archive", DEMO_SOURCES);
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,49.90,EUR,open\n"
        ),
    );
    company.drop_file("bank-2026-10.csv", bank());
    company
}

fn bank() -> String {
    format!("{BANK_HEADER}2026-10-03,2026-10-03,Ada Lovelace,DE1,INV-2026-0001,B1,49.90,EUR,0\n")
}

#[test]
fn json_summary_has_stable_keys_and_exit_code_0() {
    let company = company();
    let out = sluice_run(&company, true);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let keys: Vec<&str> = summary
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "bank_lines",
            "batches",
            "customers",
            "direct_debits",
            "documents",
            "files",
            "gateways",
            "held_documents",
            "ignored",
            "invoices",
            "money_matched",
            "money_reversed",
            "pipeline",
            "quarantined",
            "reconciled",
            "recovered",
            "run_id",
            "statements",
            "transactions"
        ]
    );
    let documents: Vec<&str> = summary["documents"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        documents,
        [
            "credit_notes",
            "deleted",
            "new",
            "unchanged",
            "updated",
            "withdrawn_with_money",
            "without_lines"
        ]
    );
    assert_eq!(summary["documents"]["deleted"], 0);
    assert_eq!(summary["files"]["processed"], 2);
    assert_eq!(summary["reconciled"]["matched"], 1);
    assert_eq!(summary["money_matched"]["EUR"], "49.90");
    assert_eq!(summary["batches"][0]["target"], "xero");
    assert!(
        company.path("archive").is_dir(),
        "relative paths resolved from the pipeline file, not from /"
    );
}

#[test]
fn text_summary_names_the_batch_and_a_quarantined_file_gives_exit_code_3() {
    let company = company();
    company.drop_file("statement.pdf", b"%PDF-1.4");
    let out = sluice_run(&company, false);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("committed run"), "{stdout}");
    assert!(stdout.contains("1 matched"), "{stdout}");
    assert!(stdout.contains("EUR 49.90"), "{stdout}");
    assert!(stdout.contains("sluice verify"), "{stdout}");
    assert!(stdout.contains("QUARANTINED  statement.pdf"), "{stdout}");
    assert!(
        company
            .path("quarantine/statement.pdf.reason.txt")
            .is_file()
    );

    let again = sluice_run(&company, false);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing new to commit"));
}

#[test]
fn a_second_run_while_another_holds_the_ledger_is_refused_with_the_reason() {
    let company = company();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    run_at(&pipeline, "2026-11-01T00:00:00Z");
    let holder = File::options()
        .write(true)
        .open(company.path("ledger/.lock"))
        .expect("lock file");
    holder
        .try_lock()
        .expect("take the lock as another run would");
    std::fs::write(
        company.path("ledger/.lock"),
        "sluice pair (process 4711, user anna, since 2026-11-01 00:30:00 UTC)",
    )
    .expect("name the holder as sluice does");
    match try_run_at(&pipeline, "2026-11-01T01:00:00Z", None) {
        Err(e @ RunError::Locked { .. }) => assert!(
            e.to_string()
                .contains("the ledger is in use by sluice pair (process 4711, user anna"),
            "{e}"
        ),
        other => panic!("expected the lock to be refused, got {other:?}"),
    }
    drop(holder);
    assert!(try_run_at(&pipeline, "2026-11-01T01:00:00Z", None).is_ok());
}

fn sluice_run_with(company: &Company, flag: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sluice"))
        .arg("run")
        .arg("--pipeline")
        .arg(company.path("pipeline.toml"))
        .arg(flag)
        .env_remove("SLUICE_LOG")
        .output()
        .expect("sluice runs")
}

#[test]
fn quiet_prints_only_problems_and_verbose_each_file_and_the_log() {
    let company = company();
    let out = sluice_run_with(&company, "--verbose");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let sha = sluice::durable::sha256_hex(bank().as_bytes());
    assert!(
        text.contains(&format!(
            "  read         bank-2026-10.csv: source demo-bank (bank_csv), 1 record(s); sha256 {sha}; archived as "
        )) && text.contains("  read         invoices-2026-10.csv: source billing-invoices (invoice_csv), 1 record(s)")
            && text.contains("  log          ")
            && text.contains("reconciled   1 matched"),
        "{text}"
    );

    company.drop_file(
        "bank-2026-11.csv",
        format!("{BANK_HEADER}2026-11-03,2026-11-03,Ada Lovelace,DE1,thanks,B2,5.00,EUR,0\n"),
    );
    let out = sluice_run_with(&company, "--quiet");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "nothing went wrong"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");

    company.drop_file("statement.pdf", "%PDF");
    let out = sluice_run_with(&company, "--quiet");
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("sluice run acme: QUARANTINED statement.pdf → ")
            && text.contains("statement.pdf: the name matches no source")
            && !text.contains("files "),
        "{text}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "said once, not twice"
    );
}
