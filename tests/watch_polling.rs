//! `sluice watch` on a network share, where the operating system sends no file events:
//! `[watch] poll_seconds` (or `--poll`) looks at the inbox every so often instead; the
//! `[watch]` settings are checked like every other key.

mod common;

use std::time::Duration;

use common::watcher::Watcher;
use common::{Company, DEMO_SOURCES, INVOICE_HEADER, journal_count};
use sluice::pipeline::{self, PipelineError};

const WITHIN: Duration = Duration::from_secs(20);

#[test]
fn polling_takes_settled_files() {
    let company = Company::new();
    company.pipeline(
        "archive",
        &format!("{DEMO_SOURCES}\n[watch]\nsettle_seconds = 0.3\npoll_seconds = 0.2\n"),
    );
    let watcher = Watcher::start(&company.path("pipeline.toml"), &[]);
    watcher.wait_for("looking every 0.2 s", 1, WITHIN);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}INV-2026-0001,C1,Ada,2026-10-01,2026-10-15,49.90,EUR,open\n"),
    );
    watcher.wait_for("committed run", 1, WITHIN);
    let ended = watcher.stop();
    assert_eq!(ended.code, Some(0), "{}", ended.stderr);
    assert!(
        ended.stderr.contains("unchanged for 0.3 s"),
        "{}",
        ended.stderr
    );
    assert_eq!(journal_count(&company), 1);
    assert_eq!(company.ledger().documents.len(), 1);
}

#[test]
fn the_poll_flag_overrides_file_events() {
    let company = Company::new();
    company.pipeline("archive", DEMO_SOURCES);
    let watcher = Watcher::start(
        &company.path("pipeline.toml"),
        &["--poll", "0.25", "--settle", "0.3"],
    );
    watcher.wait_for("looking every 0.25 s", 1, WITHIN);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}INV-2026-0001,C1,Ada,2026-10-01,2026-10-15,49.90,EUR,open\n"),
    );
    watcher.wait_for("committed run", 1, WITHIN);
    assert_eq!(watcher.stop().code, Some(0));
}

#[test]
fn wrong_watch_settings_are_refused_with_their_lines() {
    let company = Company::new();
    let text = format!(
        "name = \"acme\"\n[inbox]\npath = \"inbox\"\n{DEMO_SOURCES}\n[watch]\nsettle_seconds = 0\npoll_seconds = \"often\"\nsettle = 5\n"
    );
    let path = company.path("pipeline.toml");
    std::fs::write(&path, &text).expect("write");
    let line = |key: &str| text.lines().position(|l| l.starts_with(key)).expect("key") + 1;
    let Err(PipelineError::Invalid { problems, .. }) = pipeline::load(&path) else {
        panic!("the pipeline should be refused");
    };
    let found: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.key.as_str())).collect();
    assert!(
        found.contains(&(line("settle_seconds"), "watch.settle_seconds")),
        "{problems:#?}"
    );
    assert!(
        found.contains(&(line("poll_seconds"), "watch.poll_seconds")),
        "{problems:#?}"
    );
    assert!(
        found.contains(&(line("settle ="), "watch.settle")),
        "{problems:#?}"
    );
    let settle = problems
        .iter()
        .find(|p| p.key == "watch.settle_seconds")
        .expect("settle_seconds");
    assert!(
        settle.message.contains("from 0.1 to 86400"),
        "{}",
        settle.message
    );
}

#[test]
fn a_wrong_settle_flag_is_a_usage_error() {
    let company = Company::new();
    company.pipeline("archive", DEMO_SOURCES);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["watch", "--settle", "0", "--pipeline"])
        .arg(company.path("pipeline.toml"))
        .output()
        .expect("sluice watch");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("give a number of seconds"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
