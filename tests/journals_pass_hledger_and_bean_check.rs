//! The journals are accepted by the real tools: `hledger check --strict` (every account and
//! commodity declared) with the `ordereddates` and `payees` checks, and `bean-check`, on the
//! journals of a whole `sluice run` over the shipped samples and of the itemised month. And
//! the checks bite: a journal with one amount changed is refused by both.
//!
//! The tools are installed by .ci/run (hledger from Debian, beancount from PyPI). Where `CI`
//! is set a missing tool fails the test, so CI cannot pass by skipping; elsewhere the test
//! says which tool is missing and passes.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sluice::pipeline;

use common::journal::{FIRST_BATCH, SECOND_BATCH, itemised_month};

const RUN_AT: &str = "2026-11-01T02:00:00Z";
const BATCH: &str = "20261101T020000Z-000001";
const HLEDGER_CHECKS: [&str; 4] = ["check", "--strict", "ordereddates", "payees"];

/// Whether `tool` runs here; a missing tool fails the test under CI.
fn available(tool: &str) -> bool {
    let runs = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(
        runs || !ci,
        "{tool} is not installed, and CI must run the journal checks: install it as .ci/run does"
    );
    if !runs {
        eprintln!("note: {tool} is not installed here; its journal check is skipped (CI runs it)");
    }
    runs
}

fn hledger(journal: &Path) -> Output {
    Command::new("hledger")
        .arg("-f")
        .arg(journal)
        .args(HLEDGER_CHECKS)
        .output()
        .expect("hledger runs")
}

fn bean_check(journal: &Path) -> Output {
    Command::new("bean-check")
        .arg(journal)
        .output()
        .expect("bean-check runs")
}

fn assert_accepted(tool: &str, journal: &Path, out: &Output) {
    assert!(
        out.status.success(),
        "{tool} refuses {}:\n{}{}",
        journal.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo, run once over the shipped samples: its two journals.
fn demo_journals() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let demo = common::demo_copy();
    let pipeline =
        pipeline::load(&demo.path().join("pipelines/demo.toml")).expect("demo pipeline is valid");
    let summary = common::run_at(&pipeline, RUN_AT);
    assert_eq!(summary.exit_code(), 0, "{:?}", summary.quarantined);
    let outbox = demo.path().join("outbox/demo");
    let hledger = outbox
        .join("audit-hledger")
        .join(BATCH)
        .join("journal.hledger");
    let beancount = outbox
        .join("audit-beancount")
        .join(BATCH)
        .join("journal.beancount");
    (demo, hledger, beancount)
}

#[test]
fn the_demo_runs_journal_passes_hledger_check_strict() {
    if !available("hledger") {
        return;
    }
    let (_demo, journal, _) = demo_journals();
    assert_accepted("hledger", &journal, &hledger(&journal));
}

#[test]
fn the_demo_runs_journal_passes_bean_check() {
    if !available("bean-check") {
        return;
    }
    let (_demo, _, journal) = demo_journals();
    assert_accepted("bean-check", &journal, &bean_check(&journal));
}

#[test]
fn both_runs_of_the_itemised_month_pass_both_tools() {
    let hledger_here = available("hledger");
    let bean_check_here = available("bean-check");
    let month = itemised_month();
    for batch in [FIRST_BATCH, SECOND_BATCH] {
        if hledger_here {
            let journal = month.batch("audit-hledger", batch).join("journal.hledger");
            assert_accepted("hledger", &journal, &hledger(&journal));
        }
        if bean_check_here {
            let journal = month
                .batch("audit-beancount", batch)
                .join("journal.beancount");
            assert_accepted("bean-check", &journal, &bean_check(&journal));
        }
    }
}

/// A copy of `journal` beside it with the first posting of `amount` changed to
/// `changed`: the transaction no longer balances.
fn unbalanced(journal: &Path, amount: &str, changed: &str) -> PathBuf {
    let text = fs::read_to_string(journal).expect("journal");
    let posting = text
        .lines()
        .find(|l| l.starts_with("  ") && l.trim_end().ends_with(amount))
        .unwrap_or_else(|| panic!("no posting of {amount} in {}", journal.display()));
    let edited = text.replacen(posting, &posting.replace(amount, changed), 1);
    let extension = journal.extension().expect("an extension");
    let path = journal.with_file_name(format!("unbalanced.{}", extension.to_string_lossy()));
    fs::write(&path, edited).expect("write");
    path
}

#[test]
fn a_journal_that_does_not_balance_is_refused_by_both_tools() {
    let hledger_here = available("hledger");
    let bean_check_here = available("bean-check");
    let (_demo, hledger_journal, beancount_journal) = demo_journals();
    if hledger_here {
        let journal = unbalanced(&hledger_journal, "59.90 EUR", "59.91 EUR");
        let out = hledger(&journal);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "hledger took an unbalanced journal");
        assert!(stderr.contains("balance"), "{stderr}");
    }
    if bean_check_here {
        let journal = unbalanced(&beancount_journal, "59.90 EUR", "59.91 EUR");
        let out = bean_check(&journal);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.status.success(),
            "bean-check took an unbalanced journal"
        );
        assert!(text.contains("does not balance"), "{text}");
    }
}
