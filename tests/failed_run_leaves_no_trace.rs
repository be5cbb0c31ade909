//! A run that fails at any step leaves nothing half-done: the next run produces exactly
//! the ledger, outbox and archive of a run that never failed.

mod common;

use std::path::Path;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, run_at, tree, try_run_at};
use sluice::ledger::Table;
use sluice::run::{FailPoint, RunError};

const TIME: &str = "2026-11-02T03:00:00Z";

fn company_with_inputs() -> (Company, sluice::pipeline::Pipeline) {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,49.90,EUR,open\n\
             INV-2026-0002,C2,Alan Turing,2026-10-01,2026-10-15,29.90,EUR,open\n"
        ),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}2026-10-03,2026-10-03,Ada Lovelace,DE02100100100006820101,INV-2026-0001,B1,49.90,EUR,1049.90\n\
             2026-10-04,2026-10-04,Alan Turing,DE02100100100006820102,inv 2026 0002 part,B2,10.00,EUR,1059.90\n\
             2026-10-05,2026-10-05,Demo Bank,,fees,B3,-4.50,EUR,1055.40\n"
        ),
    );
    (company, pipeline)
}

type Files = Vec<(String, Vec<u8>)>;

/// Everything a person or an auditor could look at, except the journal's own wording.
#[derive(Debug, PartialEq)]
struct State {
    facts: sluice::ledger::Facts,
    ledger_files: Vec<String>,
    outbox: Files,
    archive: Files,
    inbox: Files,
}

fn state(company: &Company) -> State {
    State {
        facts: company.ledger(),
        ledger_files: tree(&company.path("ledger"))
            .into_iter()
            .map(|(name, _)| name)
            .filter(|n| n != ".lock")
            .collect(),
        outbox: tree(&company.path("outbox")),
        archive: tree(&company.path("archive")),
        inbox: tree(&company.path("inbox")),
    }
}

fn points() -> Vec<FailPoint> {
    let mut points = vec![FailPoint::AfterIntake];
    points.extend(Table::ALL.map(FailPoint::AfterSegment));
    points.extend([
        FailPoint::AfterBatches,
        FailPoint::AfterLog,
        FailPoint::AfterCommit,
        FailPoint::AfterFirstMove,
    ]);
    points
}

#[test]
fn a_run_that_fails_at_any_step_is_finished_or_undone_by_the_next() {
    let (clean, clean_pipeline) = company_with_inputs();
    let clean_summary = run_at(&clean_pipeline, TIME);
    assert!(clean_summary.run_id.is_some());
    let expected = state(&clean);
    assert!(
        !expected.facts.matches.is_empty()
            && !expected.outbox.is_empty()
            && !expected.archive.is_empty()
    );

    for point in points() {
        let (company, pipeline) = company_with_inputs();
        match try_run_at(&pipeline, TIME, Some(point)) {
            Err(RunError::Injected(p)) => assert_eq!(p, point),
            other => panic!("expected the injected failure at {point:?}, got {other:?}"),
        }
        let again = run_at(&pipeline, TIME);
        assert_eq!(again.exit_code(), 0, "{point:?}");
        assert_eq!(state(&company), expected, "after a failure at {point:?}");
        let third = run_at(&pipeline, "2026-11-02T04:00:00Z");
        assert_eq!(
            third.run_id, None,
            "after a failure at {point:?} a further run must find nothing new"
        );
    }
}

#[test]
fn leftovers_of_an_uncommitted_run_are_removed_on_start() {
    let (company, pipeline) = company_with_inputs();
    let err = try_run_at(&pipeline, TIME, Some(FailPoint::AfterBatches)).unwrap_err();
    assert!(matches!(err, RunError::Injected(FailPoint::AfterBatches)));
    let segments = tree(&company.path("ledger/matches"));
    assert_eq!(segments.len(), 1, "the failed run wrote its segment");
    assert!(
        company.ledger().files.is_empty(),
        "but no journal record names it, so it is not a fact"
    );
    assert!(
        Path::new(&company.path("inbox/bank-2026-10.csv")).exists(),
        "inputs stay in the inbox until the commit"
    );

    let summary = run_at(&pipeline, TIME);
    assert_eq!(summary.recovered.discarded_segments, 4);
    assert_eq!(summary.recovered.discarded_batches, 1);
    assert_eq!(company.ledger().files.len(), 2);
}

#[test]
fn archive_moves_interrupted_after_the_commit_are_finished_by_recovery() {
    let (company, pipeline) = company_with_inputs();
    try_run_at(&pipeline, TIME, Some(FailPoint::AfterFirstMove)).unwrap_err();
    let in_inbox = tree(&company.path("inbox")).len();
    assert_eq!(
        in_inbox, 1,
        "one of two inputs was moved before the failure"
    );
    let summary = run_at(&pipeline, TIME);
    assert_eq!(summary.recovered.completed_moves, 1);
    assert_eq!(
        summary.run_id, None,
        "the committed run is not applied again"
    );
    assert!(tree(&company.path("inbox")).is_empty());
    assert_eq!(tree(&company.path("archive")).len(), 2);
}

#[test]
fn the_log_of_a_run_that_never_committed_is_removed_on_start() {
    let (company, pipeline) = company_with_inputs();
    try_run_at(&pipeline, TIME, Some(FailPoint::AfterLog)).unwrap_err();
    let journal = || {
        tree(&company.path("ledger/journal"))
            .into_iter()
            .map(|(name, _)| name)
            .collect::<Vec<_>>()
    };
    assert_eq!(journal(), ["20261102T030000Z-000001.log"]);

    let summary = run_at(&pipeline, "2026-11-02T05:00:00Z");
    assert_eq!(
        summary.recovered.discarded_segments, 5,
        "4 segments and the log"
    );
    assert_eq!(
        journal(),
        [
            "20261102T050000Z-000001.json",
            "20261102T050000Z-000001.log",
            "20261102T050000Z-000001.moved"
        ]
    );
}
