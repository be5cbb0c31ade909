//! Bank statements that arrive in separate files, run after run, must follow on: each opens
//! with the balance the previous one closed with, and the bank's numbering does not skip.
//! A break is reported in the run's summary and by `sluice status` until a later file
//! mends it; the entries are applied either way.

mod common;

use common::{Company, MT940_ACCOUNT, mt940_statement, run_at};
use sluice::ledger::FindingKind;
use sluice::status;

const PIPELINE: &str = r#"
[[sources]]
name = "bank"
format = "mt940"
files = ["*.sta"]
"#;

fn kinds(findings: &[sluice::ledger::Finding]) -> Vec<FindingKind> {
    findings.iter().map(|f| f.kind).collect()
}

#[test]
fn a_missing_statement_is_reported_until_a_later_file_fills_the_gap() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", PIPELINE);

    company.drop_file(
        "a.sta",
        mt940_statement("41", "2026-10-02", 100_000, "2026-10-03", 5_000, "B-41"),
    );
    let first = run_at(&pipeline, "2026-10-04T06:00:00Z");
    assert_eq!(first.statements.read, 1);
    assert_eq!(first.statements.continuity, []);

    // Statement 42 (EUR 1050.00 → 1070.00) has not come; 43 opens where 42 closed.
    company.drop_file(
        "c.sta",
        mt940_statement("43", "2026-10-06", 107_000, "2026-10-07", 3_000, "B-43"),
    );
    let second = run_at(&pipeline, "2026-10-08T06:00:00Z");
    assert_eq!(
        second.bank_lines.new, 1,
        "the entries are applied all the same"
    );
    assert_eq!(second.exit_code(), 0);
    let gap = format!(
        "statement 42 of account {MT940_ACCOUNT} is missing: \
         statement 41 (file a.sta) closes on 2026-10-03 with EUR 1050.00, \
         statement 43 (file c.sta) opens on 2026-10-06 with EUR 1070.00 — \
         ask the bank for statement 42 of account {MT940_ACCOUNT}"
    );
    assert_eq!(
        kinds(&second.statements.continuity),
        [FindingKind::SequenceGap]
    );
    assert_eq!(second.statements.continuity[0].message, gap);
    assert_eq!(second.statements.continuity[0].account, MT940_ACCOUNT);

    let before = status::status(&pipeline).expect("status");
    assert_eq!(kinds(&before.continuity), [FindingKind::SequenceGap]);
    assert_eq!(before.continuity[0].message, gap);
    assert_eq!(before.accounts.len(), 1);
    let last = &before.accounts[0].last_statement;
    assert_eq!(last.sequence.as_deref(), Some("43"));
    assert_eq!(last.file, "c.sta");
    assert_eq!(last.closing_balance.as_deref(), Some("1100.00"));

    company.drop_file(
        "b.sta",
        mt940_statement("42", "2026-10-03", 105_000, "2026-10-05", 2_000, "B-42"),
    );
    let third = run_at(&pipeline, "2026-10-09T06:00:00Z");
    assert_eq!(
        kinds(&third.statements.continuity),
        [FindingKind::GapFilled]
    );
    assert_eq!(
        third.statements.continuity[0].message,
        format!(
            "statement 42 (file b.sta) of account {MT940_ACCOUNT} arrived late and closes the gap \
             between statement 41 (file a.sta) and statement 43 (file c.sta)"
        )
    );

    let after = status::status(&pipeline).expect("status");
    assert_eq!(after.continuity, [], "a filled gap is no longer open");
    assert_eq!(
        after.accounts[0].last_statement.sequence.as_deref(),
        Some("43")
    );
    assert_eq!(after.runs, 3);
    assert_eq!(after.bank_lines.applied, 3);

    let rows = company.ledger().statements;
    let notes: Vec<(&str, bool)> = rows
        .iter()
        .map(|r| (r.file_name.as_str(), r.continuity.is_empty()))
        .collect();
    assert_eq!(notes, [("a.sta", true), ("c.sta", false), ("b.sta", false)]);
    assert_eq!(rows[1].continuity, gap);
}

#[test]
fn a_balance_that_does_not_follow_on_names_both_figures_and_both_files() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", PIPELINE);
    company.drop_file(
        "a.sta",
        mt940_statement("41", "2026-10-02", 100_000, "2026-10-03", 15_000, "B-41"),
    );
    run_at(&pipeline, "2026-10-04T06:00:00Z");
    company.drop_file(
        "b.sta",
        mt940_statement("42", "2026-10-03", 110_000, "2026-10-05", 1_000, "B-42"),
    );
    let summary = run_at(&pipeline, "2026-10-06T06:00:00Z");

    assert_eq!(summary.bank_lines.new, 1);
    assert_eq!(summary.exit_code(), 0);
    assert_eq!(
        kinds(&summary.statements.continuity),
        [FindingKind::BalanceMismatch]
    );
    let message = &summary.statements.continuity[0].message;
    for part in [
        "statement 42 (file b.sta)",
        "opens on 2026-10-03 with EUR 1100.00",
        "statement 41 (file a.sta) closed on 2026-10-03 with EUR 1150.00",
        "a difference of EUR -50.00",
    ] {
        assert!(message.contains(part), "{part:?} not in {message}");
    }
    let open = status::status(&pipeline).expect("status").continuity;
    assert_eq!(kinds(&open), [FindingKind::BalanceMismatch]);
}

#[test]
fn a_statement_repeated_in_a_later_file_is_not_a_gap() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", PIPELINE);
    let statement_41 = mt940_statement("41", "2026-10-02", 100_000, "2026-10-03", 5_000, "B-41");
    company.drop_file("a.sta", &statement_41);
    run_at(&pipeline, "2026-10-04T06:00:00Z");
    company.drop_file(
        "b.sta",
        statement_41.clone()
            + &mt940_statement("42", "2026-10-03", 105_000, "2026-10-05", 2_000, "B-42"),
    );
    let summary = run_at(&pipeline, "2026-10-06T06:00:00Z");

    assert_eq!(summary.statements.read, 2);
    assert_eq!(summary.statements.continuity, []);
    assert_eq!(summary.bank_lines.new, 1);
    assert_eq!(summary.bank_lines.skipped_as_seen_before, 1);
    assert_eq!(status::status(&pipeline).expect("status").continuity, []);

    let rows = company.ledger().statements;
    let repeated = rows
        .iter()
        .find(|r| r.file_name == "b.sta" && r.sequence.as_deref() == Some("41"))
        .expect("statement 41 of b.sta is in the ledger");
    assert_eq!(repeated.continuity, "repeats statement 41 (file a.sta)");
}
