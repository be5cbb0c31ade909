//! `sluice report --html`: the demo's page is the golden one byte for byte (a fixed run
//! and report time), markup from input files is shown and never run, `--run` and `--period`
//! limit the page to their facts, and wrong arguments exit 2 with what to write instead.
//!
//! To accept a deliberate change of the page: `SLUICE_BLESS=1 cargo test --test
//! report_shows_auditors_the_ledger`, then open tests/golden/report/demo.html and read the diff.

mod common;

use std::fs;

use common::report::{RUN_ID, build, demo, hostile_company, write_with_cli};
use common::{Company, assert_golden};
use sluice::report::{self, Scope};

#[test]
fn the_demo_page_is_the_golden_one() {
    let (_demo, pipeline, _) = demo();
    let page = report::html(&build(&pipeline, &Scope::Everything));
    assert_golden("report/demo.html", &page);
}

#[test]
fn the_page_needs_nothing_from_elsewhere() {
    let (_demo, pipeline, _) = demo();
    let page = report::html(&build(&pipeline, &Scope::Everything));
    for outside in [
        "<script", "<link", "<img", "@import", "url(", "src=", "http://", "https://",
    ] {
        // The SVG namespace is a name, not something fetched.
        let found = page
            .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
            .contains(outside);
        assert!(!found, "the page holds {outside:?}");
    }
}

#[test]
fn markup_in_a_bank_file_is_shown_as_text() {
    let (_company, pipeline) = hostile_company();
    let page = report::html(&build(&pipeline, &Scope::Everything));
    assert!(
        !page.contains("<script"),
        "a <script> element reached the page"
    );
    assert!(!page.contains("<img"), "an <img> element reached the page");
    assert!(
        !page.contains("<h1>forged"),
        "a forged heading reached the page"
    );
    assert!(
        page.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"),
        "the payer's name is not shown as text"
    );
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; INV-1"));
    assert!(page.contains("&amp;amp; nothing"));
}

#[test]
fn a_month_holds_the_lines_booked_in_it_and_a_run_its_own() {
    let (_demo, pipeline, summary) = demo();
    let everything = build(&pipeline, &Scope::Everything);
    let october = build(&pipeline, &Scope::Period("2026-10".parse().expect("month")));
    // Every demo line is booked in October 2026.
    assert_eq!(october.lines, everything.lines);
    assert_eq!(october.accounts, everything.accounts);
    assert_eq!(october.files.len(), 9);
    assert_eq!(october.batches.len(), 3);
    assert_eq!(
        october.cash_in[0].values.len(),
        31,
        "a month's chart has every day of it"
    );

    let september = build(&pipeline, &Scope::Period("2026-09".parse().expect("month")));
    assert!(september.lines.is_empty() && september.accounts.is_empty());
    assert!(september.files.is_empty() && september.batches.is_empty());
    let empty = report::html(&september);
    assert!(empty.contains("No bank line in this scope."), "{empty}");

    let run = build(&pipeline, &Scope::Run(RUN_ID.to_string()));
    assert_eq!(run.lines.len(), summary.bank_lines.new);
    assert_eq!(run.files.len(), summary.files.processed);
    assert_eq!(run.batches.len(), summary.batches.len());
}

#[test]
fn the_command_writes_the_page_and_refuses_what_it_cannot_use() {
    let (demo, _, _) = demo();
    let pipeline_file = demo.path().join("pipelines/demo.toml");
    let html = demo.path().join("report.html");

    let out = write_with_cli(&pipeline_file, &html, &["--period", "2026-10"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("289 bank line(s), 9 input file(s), 3 batch(es)"),
        "{stdout}"
    );
    assert!(
        fs::read_to_string(&html)
            .expect("page")
            .starts_with("<!DOCTYPE html>")
    );

    let out = write_with_cli(&pipeline_file, &html, &["--period", "2026/10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("e.g. 2026-11"));

    let out = write_with_cli(&pipeline_file, &html, &["--run", "20990101T000000Z-000001"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no committed run is called"), "{stderr}");

    let out = write_with_cli(
        &pipeline_file,
        &html,
        &["--run", RUN_ID, "--period", "2026-10"],
    );
    assert_eq!(out.status.code(), Some(2), "--run and --period together");
}

#[test]
fn a_ledger_with_nothing_committed_gives_a_page_that_says_so() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", common::DEMO_SOURCES);
    let page = report::html(&build(&pipeline, &Scope::Everything));
    assert!(page.contains("nothing is committed yet"), "{page}");
    assert!(
        !company.path("ledger").exists(),
        "a report writes nothing to the ledger"
    );
}

#[test]
fn the_backlog_falls_on_the_day_a_line_is_paired_and_rises_when_unpaired() {
    use sluice::decide::{self, PairRequest, Who};
    let (company, pipeline) = hostile_company();
    let line = company
        .ledger()
        .bank_lines
        .iter()
        .find(|r| r.line.bank_reference == "B2")
        .map(|r| r.line.id.clone())
        .expect("line B2");
    let who = |now: &str| Who {
        by: "ada".to_string(),
        now: common::at(now),
    };
    decide::pair(
        &pipeline,
        &PairRequest {
            bank_line: line.clone(),
            invoices: Vec::new(),
            customer: Some("C1".to_string()),
            learn: false,
            note: String::new(),
        },
        &who("2026-10-10T09:00:00Z"),
    )
    .expect("paired");
    decide::unpair(
        &pipeline,
        &line,
        &who("2026-10-12T09:00:00Z"),
        "wrong customer",
    )
    .expect("unpaired");

    let report = build(&pipeline, &Scope::Everything);
    let backlog = &report.backlog[0];
    let level = |day: &str| {
        backlog
            .days()
            .find(|(d, _)| d.to_string() == day)
            .map(|(_, v)| v.normalize().to_string())
            .unwrap_or_else(|| panic!("{day} is not on the chart"))
    };
    assert_eq!(level("2026-10-03"), "0", "the paid line never waited");
    assert_eq!(level("2026-10-04"), "12", "booked, and nothing placed it");
    assert_eq!(level("2026-10-09"), "12");
    assert_eq!(level("2026-10-10"), "0", "paired that day");
    assert_eq!(level("2026-10-11"), "0");
    assert_eq!(level("2026-10-12"), "12", "unpaired that day");
    assert_eq!(
        backlog.values.len(),
        10,
        "from the first booking to the last decision"
    );
    let cash_in: Vec<String> = report.cash_in[0]
        .days()
        .filter(|(_, v)| !v.is_zero())
        .map(|(d, v)| format!("{d} {v}"))
        .collect();
    assert_eq!(cash_in, ["2026-10-03 59.90", "2026-10-04 12.00"]);
}
