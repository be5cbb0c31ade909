//! `sluice replay` renders a committed batch again from the ledger alone and proves it is
//! byte for byte what the run staged: every batch of the demo, and the batches of two runs
//! where the second places money that waited and stages a document held by the first. A
//! changed or missing file is named with its first differences; `--to` writes the replay
//! as a batch `sluice verify` accepts; what is not a committed batch of the pipeline is
//! refused.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BANK_HEADER, Company, LINES_HEADER, xero_mapped_pipeline};

const DEMO_RUN: &str = "2026-11-01T02:00:00Z";
const DEMO_BATCH: &str = "20261101T020000Z-000001";

fn sluice(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sluice"));
    for arg in args {
        command.arg(arg);
    }
    command.output().expect("sluice runs")
}

fn replay(pipeline: &Path, batch: &dyn AsRef<std::ffi::OsStr>) -> Output {
    sluice(&[&"replay", &"--pipeline", &pipeline, batch])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every batch folder under `outbox/<pipeline>/`, sorted.
fn batches(outbox: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for target in fs::read_dir(outbox).expect("outbox").flatten() {
        for batch in fs::read_dir(target.path()).expect("target").flatten() {
            found.push(batch.path());
        }
    }
    found.sort();
    found
}

fn assert_identical(pipeline: &Path, batch: &Path) {
    let out = replay(pipeline, &batch);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}: {stdout}{}",
        batch.display(),
        text(&out.stderr)
    );
    let files = fs::read_dir(batch).expect("batch").count() - 1;
    assert!(
        stdout.contains(&format!("identical: {files} file(s)")),
        "{stdout}"
    );
}

/// The demo, run once: its pipeline file and its outbox folder.
fn demo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let demo = common::demo_copy();
    let file = demo.path().join("pipelines/demo.toml");
    let pipeline = sluice::pipeline::load(&file).expect("demo pipeline is valid");
    common::run_at(&pipeline, DEMO_RUN);
    let outbox = demo.path().join("outbox/demo");
    (demo, file, outbox)
}

#[test]
fn every_batch_of_the_demo_replays_identical() {
    let (_demo, pipeline, outbox) = demo();
    let all = batches(&outbox);
    let targets: Vec<String> = all
        .iter()
        .map(|b| {
            b.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(targets, ["audit-beancount", "audit-hledger", "xero"]);
    for batch in &all {
        assert_identical(&pipeline, batch);
    }
    // By its id, naming the target; a bare id of a run with several batches is refused.
    let out = sluice(&[
        &"replay",
        &"--pipeline",
        &pipeline,
        &DEMO_BATCH,
        &"--target",
        &"audit-hledger",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = replay(&pipeline, &DEMO_BATCH);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--target"),
        "{}",
        text(&out.stderr)
    );
}

/// The Xero target of `xero_mapped_pipeline` staging payments as API requests too, a
/// NetSuite target staging them as a customer payment import, and the journal targets.
fn pipeline_text(extra_categories: &str) -> String {
    let xero = xero_mapped_pipeline(extra_categories).replace(
        "[targets.mapping]\n",
        "[targets.mapping]\npayment_account = \"090\"\n",
    );
    format!(
        r#"{xero}
[targets.api]
base_url = "http://127.0.0.1:9"
token_env = "TEST_XERO_TOKEN"
tenant_env = "TEST_XERO_TENANT"

[[targets]]
name = "netsuite"
platform = "netsuite"

[targets.mapping]
default_account = "Internet service"
payment_account = "Operating Account"

[targets.mapping.tax_rates]
"19" = "VAT_DE:S-DE"
"7" = "VAT_DE:R-DE"
"0" = "VAT_DE:Z-DE"

[[targets]]
name = "audit-hledger"
platform = "hledger"

[[targets]]
name = "audit-beancount"
platform = "beancount"
"#
    )
}

const OCTOBER: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,19,3.80,20.00,service,,,29.15
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,7,0.35,5.00,hardware,,,29.15
INV-2,C2,,2026-10-02,2026-10-16,EUR,open,0,Tech magazine,1,9.90,7,0.69,9.90,magazine,,,10.59
INV-4,C3,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,50.00,0,0.00,50.00,one-time,,,50.00
";

/// The invoice the waiting money names, and INV-4 corrected.
const NOVEMBER: &str = "\
INV-2026-0007,C1,,2026-10-20,2026-11-03,EUR,open,0,Fibre 100,1,10.08,19,1.92,10.08,service,,,12.00
INV-4,C3,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,45.00,0,0.00,45.00,one-time,,,45.00
";

const BANK: &str = "\
2026-10-10,2026-10-10,Ada Lovelace,,Internet Oktober,DB01,29.15,EUR,
2026-10-12,2026-10-12,Stranger Person,,Rechnung INV-2026-0007,DB02,12.00,EUR,
";

#[test]
fn money_placed_on_retry_and_a_document_staged_after_its_hold_replay_identical() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", &pipeline_text(""));
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{OCTOBER}"),
    );
    company.drop_file("bank-2026-10.csv", format!("{BANK_HEADER}{BANK}"));
    let first = common::run_at(&pipeline, "2026-11-01T02:00:00Z");
    assert_eq!(first.held_documents.len(), 1, "{:?}", first.held_documents);
    assert_eq!(
        first.reconciled.unmatched, 1,
        "the money for INV-2026-0007 waits"
    );

    // The invoice arrives, INV-4 is corrected, and the pipeline maps the held category.
    let pipeline = company.pipeline("keep", &pipeline_text("magazine = \"230\""));
    company.drop_file(
        "invoice-lines-2026-11.csv",
        format!("{LINES_HEADER}{NOVEMBER}"),
    );
    let second = common::run_at(&pipeline, "2026-11-02T02:00:00Z");
    assert_eq!(second.reconciled.placed_on_retry, 1);
    assert!(second.held_documents.is_empty());

    let second_batch = |target: &str| {
        company
            .path("outbox/acme")
            .join(target)
            .join("20261102T020000Z-000002")
    };
    let journal = fs::read_to_string(second_batch("audit-hledger").join("journal.hledger"))
        .expect("the second run's journal");
    assert!(journal.contains("INV-2026-0007"), "{journal}");
    let invoices =
        fs::read_to_string(second_batch("xero").join("xero-invoices.csv")).expect("invoices");
    assert!(
        invoices.contains("INV-2"),
        "the held invoice is staged: {invoices}"
    );
    let payments = fs::read_dir(second_batch("xero"))
        .expect("batch")
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("xero-payments-")
        });
    assert!(payments, "the money placed on retry is a payment");
    let netsuite =
        fs::read_to_string(second_batch("netsuite").join("netsuite-customer-payments.csv"))
            .expect("the second run's NetSuite payments");
    assert!(
        netsuite.contains(",INV-2026-0007,12.00\r\n"),
        "the money placed on retry is a NetSuite payment: {netsuite}"
    );

    let all = batches(&company.path("outbox/acme"));
    assert_eq!(all.len(), 8, "{all:?}");
    for batch in &all {
        assert_identical(&pipeline.file, batch);
    }
}

#[test]
fn a_changed_byte_and_a_missing_file_are_named() {
    let (_demo, pipeline, outbox) = demo();
    let batch = outbox.join("xero").join(DEMO_BATCH);
    let csv = batch.join("xero-invoices.csv");
    let mut bytes = fs::read(&csv).expect("invoices");
    let i = bytes.len() / 2;
    bytes[i] = if bytes[i] == b'1' { b'2' } else { b'1' };
    fs::write(&csv, &bytes).expect("write");

    let out = replay(&pipeline, &batch);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("xero-invoices.csv: differs"), "{stdout}");
    assert!(
        stdout.contains("@@ -"),
        "a diff with line numbers: {stdout}"
    );
    let removed = stdout
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .count();
    let added = stdout
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .count();
    assert_eq!((removed, added), (1, 1), "only the line changed: {stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the target's settings may have changed since the run"),
        "{stderr}"
    );

    let contacts = batch.join("xero-contacts.csv");
    fs::remove_file(&contacts).expect("remove");
    let out = replay(&pipeline, &batch);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("xero-contacts.csv: missing from the batch folder"),
        "{stdout}"
    );
}

#[test]
fn a_delivery_log_is_not_part_of_the_batch() {
    let (_demo, pipeline, outbox) = demo();
    let batch = outbox.join("xero").join(DEMO_BATCH);
    fs::write(batch.join("delivery.log"), "sent\n").expect("log");
    let out = replay(&pipeline, &batch);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn to_a_folder_writes_the_batch_verify_accepts_and_equal_to_the_original() {
    let (demo, pipeline, outbox) = demo();
    for target in ["xero", "audit-hledger", "audit-beancount"] {
        let batch = outbox.join(target).join(DEMO_BATCH);
        let to = demo.path().join("replayed").join(target);
        let out = sluice(&[&"replay", &"--pipeline", &pipeline, &batch, &"--to", &to]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains(&to.display().to_string()));
        let verified = sluice(&[&"verify", &to]);
        assert_eq!(
            verified.status.code(),
            Some(0),
            "{}",
            text(&verified.stderr)
        );
        assert_eq!(common::tree(&to), common::tree(&batch), "{target}");
    }
}

#[test]
fn what_is_not_a_committed_batch_of_the_pipeline_is_refused() {
    let (demo, pipeline, outbox) = demo();
    let refused = |args: &[&dyn AsRef<std::ffi::OsStr>], says: &str| {
        let out = sluice(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(says), "{says}: {stderr}");
    };
    let replay_args = |batch: &Path| -> Vec<String> {
        vec![
            "replay".into(),
            "--pipeline".into(),
            pipeline.display().to_string(),
            batch.display().to_string(),
        ]
    };
    let call = |args: Vec<String>, says: &str| {
        let args: Vec<&dyn AsRef<std::ffi::OsStr>> = args
            .iter()
            .map(|a| a as &dyn AsRef<std::ffi::OsStr>)
            .collect();
        refused(&args, says);
    };

    call(
        replay_args(Path::new("20261201T000000Z-000009")),
        "no committed run",
    );

    // A batch folder no journal record names (as a run that died before its commit leaves).
    let original = outbox.join("xero").join(DEMO_BATCH);
    let uncommitted = outbox.join("xero").join("20261201T000000Z-000002");
    copy_batch(&original, &uncommitted, |m| {
        m.replace(DEMO_BATCH, "20261201T000000Z-000002")
    });
    call(replay_args(&uncommitted), "no committed run");

    // Another pipeline's batch.
    let other = demo.path().join("outbox/other/xero").join(DEMO_BATCH);
    copy_batch(&original, &other, |m| {
        m.replace("\"pipeline\": \"demo\"", "\"pipeline\": \"other\"")
    });
    call(replay_args(&other), "pipeline \"other\"");

    // A folder that is not empty is never written into.
    let full = demo.path().join("full");
    fs::create_dir_all(&full).expect("mkdir");
    fs::write(full.join("keep.txt"), "mine").expect("write");
    let mut args = replay_args(&original);
    args.extend(["--to".to_string(), full.display().to_string()]);
    call(args, "is not empty");
    assert_eq!(common::tree(&full).len(), 1, "nothing written into it");
}

/// Copies a batch folder, its manifest changed by `edit`.
fn copy_batch(from: &Path, to: &Path, edit: impl Fn(&str) -> String) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("batch").flatten() {
        let bytes = fs::read(entry.path()).expect("read");
        let bytes = if entry.file_name() == "manifest.json" {
            edit(&text(&bytes)).into_bytes()
        } else {
            bytes
        };
        fs::write(to.join(entry.file_name()), bytes).expect("write");
    }
}
