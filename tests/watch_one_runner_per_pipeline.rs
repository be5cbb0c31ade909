//! One runner per pipeline: a `sluice run` while the watcher's run works is refused with
//! the name of the watcher; a second watcher is refused; the watcher waits for a person's
//! `sluice pair` (which holds the ledger) and runs once it is done; a file dropped while a
//! run works is taken by the next run.

mod common;

use std::fs::File;
use std::time::Duration;

use common::watcher::{Watcher, generated_month};
use common::{Company, DEMO_SOURCES, INVOICE_HEADER, journal_count};

const WITHIN: Duration = Duration::from_secs(60);

fn sluice_run(pipeline: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--pipeline"])
        .arg(pipeline)
        .env_remove("SLUICE_LOG")
        .output()
        .expect("sluice run")
}

#[test]
fn a_run_while_the_watcher_runs_is_told_who_holds_the_ledger() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = generated_month(dir.path());
    let watcher = Watcher::start(&pipeline, &["--settle", "0.2"]);
    watcher.wait_for("run started", 1, WITHIN);
    let second = sluice_run(&pipeline);
    let pid = watcher.pid();
    let ended = watcher.stop();
    assert_eq!(ended.code, Some(0), "{}", ended.stderr);

    let message = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{message}");
    assert!(
        message.contains(&format!(
            "nothing was committed: the ledger is in use by sluice watch (process {pid}, user "
        )),
        "{message}"
    );
    assert!(message.contains("wait for it to finish"), "{message}");
}

#[test]
fn a_second_watcher_of_the_same_pipeline_is_refused() {
    let company = Company::new();
    company.pipeline("archive", DEMO_SOURCES);
    let first = Watcher::start(&company.path("pipeline.toml"), &[]);
    first.wait_for("watching", 1, WITHIN);
    let second = Watcher::start(&company.path("pipeline.toml"), &[]);
    let refused = second.ended(WITHIN);
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains(&format!(
            "pipeline acme is already watched by sluice watch (process {}",
            first.pid()
        )),
        "{}",
        refused.stderr
    );
    let ended = first.stop();
    assert_eq!(ended.code, Some(0));
    // Gone with its process: a new watcher may start.
    let again = Watcher::start(&company.path("pipeline.toml"), &[]);
    again.wait_for("watching", 1, WITHIN);
    assert_eq!(again.stop().code, Some(0));
}

#[test]
fn the_watcher_waits_while_a_person_holds_the_ledger_and_runs_after() {
    let company = Company::new();
    company.pipeline("archive", DEMO_SOURCES);
    std::fs::create_dir_all(company.path("ledger")).expect("ledger folder");
    let person = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(company.path("ledger/.lock"))
        .expect("lock file");
    person
        .try_lock()
        .expect("the person's pair holds the ledger");
    std::fs::write(
        company.path("ledger/.lock"),
        "sluice pair (process 4711, user anna, since 2026-11-01 09:00:00 UTC)",
    )
    .expect("named as sluice names a holder");

    let watcher = Watcher::start(&company.path("pipeline.toml"), &["--settle", "0.2"]);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}INV-2026-0001,C1,Ada,2026-10-01,2026-10-15,49.90,EUR,open\n"),
    );
    watcher.wait_for(
        "the ledger is in use by sluice pair (process 4711, user anna",
        1,
        WITHIN,
    );
    assert_eq!(journal_count(&company), 0);
    drop(person);
    watcher.wait_for("committed run", 1, WITHIN);
    let ended = watcher.stop();
    assert_eq!(ended.code, Some(0), "{}", ended.stderr);
    assert_eq!(journal_count(&company), 1);
    assert_eq!(
        ended.stdout.matches("committed run").count(),
        1,
        "a run put off is not reported: {}",
        ended.stdout
    );
}

#[test]
fn a_file_dropped_while_a_run_works_is_taken_by_the_next_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = generated_month(dir.path());
    let watcher = Watcher::start(&pipeline, &["--settle", "0.2"]);
    watcher.wait_for("run started", 1, WITHIN);
    let statement =
        std::fs::read_to_string(dir.path().join("inbox/bank-2026-10.csv")).expect("the statement");
    let late: String = statement
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("inbox/bank-late.csv"), late).expect("drop during the run");

    watcher.wait_for("committed run", 2, WITHIN);
    let ended = watcher.stop();
    assert_eq!(ended.code, Some(0), "{}", ended.stderr);
    assert!(
        ended.stderr.contains("run started: 3 settled file(s)")
            && ended.stderr.contains("run started: 1 settled file(s)"),
        "{}",
        ended.stderr
    );
    let facts = sluice::ledger::Ledger::new(&dir.path().join("ledger"))
        .load()
        .expect("ledger");
    let runs: Vec<(&str, &str)> = facts
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.run_id.as_str()))
        .collect();
    let late_run = runs
        .iter()
        .find(|(n, _)| *n == "bank-late.csv")
        .expect("taken")
        .1;
    let first_run = runs
        .iter()
        .find(|(n, _)| *n == "bank-2026-10.csv")
        .expect("taken")
        .1;
    assert_ne!(late_run, first_run, "{runs:?}");
}
