//! The shipped demo, run at a fixed time, gives exactly the checked-in outbox batch; and
//! rendering the committed ledger facts again gives the same bytes (replay).
//!
//! To accept a deliberate change of the rendering: `SLUICE_BLESS=1 cargo test --test
//! demo_outbox_matches_golden`, then review the diff of tests/golden/ before committing.

mod common;

use std::fs;

use sluice::outbox;
use sluice::pipeline;

const RUN_AT: &str = "2026-11-01T02:00:00Z";
const BATCH: &str = "20261101T020000Z-000001";

#[test]
fn the_demo_batch_is_byte_for_byte_the_golden_one() {
    let demo = common::demo_copy();
    let pipeline =
        pipeline::load(&demo.path().join("pipelines/demo.toml")).expect("demo pipeline is valid");
    let summary = common::run_at(&pipeline, RUN_AT);
    assert_eq!(summary.run_id.as_deref(), Some(BATCH));
    assert_eq!(
        summary.exit_code(),
        0,
        "the demo quarantines nothing: {:?}",
        summary.quarantined
    );
    let batch = demo.path().join("outbox/demo/xero").join(BATCH);
    common::compare_with_golden(&batch, &common::repo().join("tests/golden/demo/xero"));
    let report = outbox::verify(&batch).expect("manifest readable");
    assert!(report.is_intact(), "{:?}", report.problems);
}

#[test]
fn rendering_the_committed_facts_again_gives_the_same_bytes() {
    let demo = common::demo_copy();
    let pipeline =
        pipeline::load(&demo.path().join("pipelines/demo.toml")).expect("demo pipeline is valid");
    common::run_at(&pipeline, RUN_AT);
    for target in &pipeline.targets {
        let batch = demo
            .path()
            .join("outbox/demo")
            .join(&target.name)
            .join(BATCH);
        let replayed = outbox::replay(&pipeline, &batch, None).expect("a committed batch");
        let comparison = outbox::compare(&replayed).expect("the batch folder reads");
        assert!(
            comparison.is_identical(),
            "{}: {:?}",
            target.name,
            comparison.differences
        );
        // Every file and the manifest.
        assert_eq!(comparison.identical, replayed.batch.files.len() + 1);
    }
}

#[test]
fn verify_names_the_file_after_one_byte_changes() {
    let demo = common::demo_copy();
    let pipeline =
        pipeline::load(&demo.path().join("pipelines/demo.toml")).expect("demo pipeline is valid");
    common::run_at(&pipeline, RUN_AT);
    let batch = demo.path().join("outbox/demo/xero").join(BATCH);
    let csv = fs::read_dir(&batch)
        .expect("batch")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .expect("a csv file");
    let mut bytes = fs::read(&csv).expect("read");
    let i = bytes.len() / 2;
    bytes[i] = if bytes[i] == b'1' { b'2' } else { b'1' };
    fs::write(&csv, bytes).expect("write");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
        .arg("verify")
        .arg(&batch)
        .output()
        .expect("sluice runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = csv.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        stderr.contains(&name) && stderr.contains("SHA-256"),
        "{stderr}"
    );
}
