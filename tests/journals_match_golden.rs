//! The journal targets write the same bytes for the same facts: the shipped demo's journals
//! (one run over samples/, with the demo's default accounts) and an itemised month's two
//! runs (accounts of its own; a changed invoice and a retry in the second run) are exactly
//! the checked-in batches under tests/golden/, manifests included, and each batch verifies.
//!
//! To accept a deliberate change of the rendering: `SLUICE_BLESS=1 cargo test --test
//! journals_match_golden`, then review the diff of tests/golden/ before committing.

mod common;

use sluice::outbox;
use sluice::pipeline;

use common::journal::{FIRST_BATCH, SECOND_BATCH, itemised_month};

const RUN_AT: &str = "2026-11-01T02:00:00Z";
const BATCH: &str = "20261101T020000Z-000001";

#[test]
fn the_demo_journals_are_byte_for_byte_the_golden_ones() {
    let demo = common::demo_copy();
    let pipeline =
        pipeline::load(&demo.path().join("pipelines/demo.toml")).expect("demo pipeline is valid");
    let summary = common::run_at(&pipeline, RUN_AT);
    assert_eq!(summary.run_id.as_deref(), Some(BATCH));
    for target in ["audit-hledger", "audit-beancount"] {
        let batch = demo.path().join("outbox/demo").join(target).join(BATCH);
        common::compare_with_golden(
            &batch,
            &common::repo().join("tests/golden/demo").join(target),
        );
        let report = outbox::verify(&batch).expect("manifest readable");
        assert!(report.is_intact(), "{target}: {:?}", report.problems);
    }
}

#[test]
fn an_itemised_month_and_what_its_second_run_changes_are_the_golden_journals() {
    let month = itemised_month();
    for (run, batch) in [("run-1", FIRST_BATCH), ("run-2", SECOND_BATCH)] {
        for target in ["audit-hledger", "audit-beancount"] {
            let produced = month.batch(target, batch);
            common::compare_with_golden(
                &produced,
                &common::repo()
                    .join("tests/golden/journal/itemised")
                    .join(run)
                    .join(target),
            );
            let report = outbox::verify(&produced).expect("manifest readable");
            assert!(report.is_intact(), "{run} {target}: {:?}", report.problems);
        }
    }
}
