//! An input a person changes or removes in the inbox after a run read it — a bank export
//! saved again over the old one, a file deleted while the run works — still reaches the
//! archive as the bytes the run read and the ledger records (its SHA-256): the lineage of
//! every fact points at those bytes. A changed file stays in the inbox, and the next run
//! reads it as the new file it is. A file changed or removed between listing and reading is
//! read as it is then (a removed one not at all: the next run sees what is there).

mod common;

use std::fs;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER};
use sluice::durable::sha256_hex;
use sluice::pipeline::Pipeline;
use sluice::run::{self, RunOptions};

const BANK: &str = "2026-10-03,2026-10-03,Ada Lovelace,,Rechnung INV-2026-0001,DB01,29.90,EUR,\n";
const SAVED_AGAIN: &str =
    "2026-10-04,2026-10-04,Alan Turing,,Rechnung INV-2026-0002,DB02,39.90,EUR,\n";

fn change_the_bank_file(pipeline: &Pipeline) {
    fs::write(
        pipeline.inbox.join("bank-2026-10.csv"),
        format!("{BANK_HEADER}{BANK}{SAVED_AGAIN}"),
    )
    .expect("saved again");
}

fn remove_the_invoices(pipeline: &Pipeline) {
    fs::remove_file(pipeline.inbox.join("invoices-2026-10.csv")).expect("removed");
}

fn run_with(pipeline: &Pipeline, hook: fn(&Pipeline)) -> sluice::run::Summary {
    run::run(
        pipeline,
        &RunOptions {
            before_archive: Some(hook),
            ..RunOptions {
                now: common::at("2026-10-31T18:00:00Z"),
                ..RunOptions::now()
            }
        },
    )
    .expect("the run commits")
}

fn company() -> (Company, Pipeline, String, String) {
    let company = Company::new();
    let invoices = format!(
        "{INVOICE_HEADER}\
INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,29.90,EUR,open\n\
INV-2026-0002,C2,Alan Turing,2026-10-01,2026-10-15,39.90,EUR,open\n"
    );
    let bank = format!("{BANK_HEADER}{BANK}");
    company.drop_file("invoices-2026-10.csv", &invoices);
    company.drop_file("bank-2026-10.csv", &bank);
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    (
        company,
        pipeline,
        sha256_hex(invoices.as_bytes()),
        sha256_hex(bank.as_bytes()),
    )
}

/// The archived file the ledger names for `sha256`, read.
fn archived(company: &Company, sha256: &str) -> Vec<u8> {
    let facts = company.ledger();
    let row = facts
        .files
        .iter()
        .find(|f| f.sha256 == sha256)
        .expect("the file is in the registry");
    fs::read(company.path("archive").join(&row.archived_as)).expect("archived")
}

#[test]
fn a_file_saved_again_after_reading_is_archived_as_read_and_the_new_one_waits() {
    let (company, pipeline, _, bank_sha) = company();
    run_with(&pipeline, change_the_bank_file);
    assert_eq!(
        sha256_hex(&archived(&company, &bank_sha)),
        bank_sha,
        "the archive holds the bytes the ledger's lineage names"
    );
    let waiting = fs::read_to_string(company.path("inbox/bank-2026-10.csv"))
        .expect("the new version stays in the inbox");
    assert!(waiting.contains("Alan Turing"));

    // The next run reads the new version as a file of its own: only its new entry applies.
    let next = common::run_at(&pipeline, "2026-11-01T06:00:00Z");
    assert_eq!(next.bank_lines.new, 1, "{next:?}");
    assert!(!company.path("inbox/bank-2026-10.csv").exists());
}

#[test]
fn a_file_removed_after_reading_is_archived_all_the_same() {
    let (company, pipeline, invoices_sha, _) = company();
    run_with(&pipeline, remove_the_invoices);
    assert_eq!(sha256_hex(&archived(&company, &invoices_sha)), invoices_sha);
    // Nothing is left to do: a second run commits nothing.
    let again = common::run_at(&pipeline, "2026-11-01T06:00:00Z");
    assert_eq!(again.run_id, None);
}

fn change_and_remove_after_listing(pipeline: &Pipeline) {
    change_the_bank_file(pipeline);
    remove_the_invoices(pipeline);
}

#[test]
fn files_changed_or_removed_between_listing_and_reading_are_read_as_they_are_then() {
    let (company, pipeline, invoices_sha, bank_sha) = company();
    let summary = run::run(
        &pipeline,
        &RunOptions {
            after_listing: Some(change_and_remove_after_listing),
            ..RunOptions {
                now: common::at("2026-10-31T18:00:00Z"),
                ..RunOptions::now()
            }
        },
    )
    .expect("the run commits");
    // The removed file is not read (the next run sees what is there); the changed one is
    // read, recorded and archived as it was when read.
    assert_eq!(summary.files.read, 1, "{summary:?}");
    let facts = company.ledger();
    assert!(facts.files.iter().all(|f| f.sha256 != invoices_sha));
    assert!(facts.files.iter().all(|f| f.sha256 != bank_sha));
    let read = &facts.files[0];
    let archived = fs::read(company.path("archive").join(&read.archived_as)).expect("archived");
    assert_eq!(sha256_hex(&archived), read.sha256);
    assert!(String::from_utf8_lossy(&archived).contains("Alan Turing"));
    assert_eq!(summary.bank_lines.new, 2);
}
