//! A generated month (`sluice::synthetic`) of 300 customers, run through sluice and scored
//! against what each bank line truly pays: no payment may be put with the wrong customer,
//! and the share of payments placed without a person may not fall below what today's
//! rules reach.
//!
//! The recall floor is measured, not wished for. What still waits for a person is what no
//! rule can place safely: money from an account never seen, naming nothing, of an amount
//! many customers owe; a relative naming only the family; a number mistyped into another
//! customer's invoice. Raise the floor when a rule places more.

mod common;

use chrono::NaiveDate;
use common::run_at;
use rust_decimal::Decimal;
use sluice::ledger::Ledger;
use sluice::pipeline;
use sluice::synthetic::{self, Score, Spec, truth};

/// Lines placed exactly as truth says, in per cent, for seed 7 (measured: 285 of 292 lines,
/// 97.60; 82.53 with the reference rules only).
const LINE_RECALL_FLOOR: Decimal = Decimal::from_parts(9760, 0, 0, false, 2);

fn spec(mistyped_numbers: bool) -> Spec {
    Spec {
        customers: 300,
        month: NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date"),
        seed: 7,
        mistyped_numbers,
    }
}

/// Generates the month into a temporary folder, runs sluice on it and scores the ledger
/// against the `truth.csv` written beside it.
fn run_and_score(spec: &Spec) -> Score {
    let dir = tempfile::tempdir().expect("temp dir");
    let month = synthetic::generate(spec).expect("a valid spec");
    let pipeline_file = month.write(dir.path()).expect("month written");
    let pipeline = pipeline::load(&pipeline_file).expect("the generated pipeline is valid");
    let summary = run_at(&pipeline, "2026-11-02T06:00:00Z");
    assert_eq!(summary.files.quarantined, 0, "every generated file is read");
    let truth = truth::read(&dir.path().join("truth.csv")).expect("truth.csv reads");
    assert_eq!(
        truth, month.truth,
        "truth.csv gives back what was generated"
    );
    let facts = Ledger::new(&pipeline.ledger).load().expect("ledger loads");
    common::assert_lines_add_up(&facts);
    synthetic::score(&facts, &truth)
}

#[test]
fn no_payment_is_put_with_the_wrong_customer_and_recall_holds() {
    let score = run_and_score(&spec(false));
    assert!(
        score.missing.is_empty(),
        "lines not in the ledger: {:?}",
        score.missing
    );
    assert_eq!(score.wrong_lines, 0, "{score}");
    assert_eq!(score.line_precision(), Decimal::ONE_HUNDRED, "{score}");
    assert_eq!(score.money_precision(), Decimal::ONE_HUNDRED, "{score}");
    assert!(
        score.line_recall() >= LINE_RECALL_FLOOR,
        "recall fell below {LINE_RECALL_FLOOR} %:\n{score}"
    );
}

/// A payer who mistypes one digit names another customer's invoice. The account it comes
/// from is the payer's own, so the reference and the account disagree: the payment waits
/// for a person instead of paying the wrong customer's invoice.
#[test]
fn a_mistyped_invoice_number_waits_for_a_person() {
    let score = run_and_score(&spec(true));
    assert_eq!(score.wrong_lines, 0, "{score}");
    let mistyped = score.cases.get("mistyped").copied().unwrap_or_default();
    assert!(mistyped.lines > 0, "seed 7 mistypes some numbers:\n{score}");
    assert_eq!(mistyped.unmatched, mistyped.lines, "{score}");
}

#[test]
fn the_same_seed_gives_the_same_month() {
    let a = synthetic::generate(&spec(true)).expect("a valid spec");
    let b = synthetic::generate(&spec(true)).expect("a valid spec");
    assert_eq!(
        (a.customers_csv, a.invoices_csv, a.bank_csv, a.truth),
        (b.customers_csv, b.invoices_csv, b.bank_csv, b.truth)
    );
}
