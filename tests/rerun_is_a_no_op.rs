//! Running the same input twice changes nothing: a second run over a kept inbox commits
//! nothing and leaves every byte as it was; the same bytes dropped again (under any name)
//! are recorded as a duplicate and archived, and apply nothing; a run that finds nothing
//! new writes no journal record.

mod common;

use std::fs;

use common::{
    BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, csv_text, journal_count, run_at, tree,
};
use proptest::prelude::*;
use sluice::ledger::FileStatus;

// ---------------------------------------------------------------------------------------
// Random small inputs in the demo layout
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct InvoiceRow {
    cents: i64,
    status: &'static str,
    customer: (&'static str, &'static str),
}

#[derive(Debug, Clone)]
struct BankRow {
    day: u32,
    value_date: bool,
    cents: i64,
    grouped: bool,
    counterparty: &'static str,
    /// Which invoice the text names (an index into the invoices), if any.
    names: Option<prop::sample::Index>,
    words: &'static str,
    with_reference: bool,
}

const CUSTOMERS: [(&str, &str); 4] = [
    ("C10001", "Jonas Schulz"),
    ("C10002", "Müller, Hans"),
    ("C10003", "Vera \"V\" Becker"),
    ("C10004", "Ben Hoffmann"),
];

fn invoice_row() -> impl Strategy<Value = InvoiceRow> {
    (
        100i64..=100_000,
        prop_oneof![8 => Just("open"), 1 => Just("paid"), 1 => Just("cancelled")],
        prop::sample::select(CUSTOMERS.to_vec()),
    )
        .prop_map(|(cents, status, customer)| InvoiceRow {
            cents,
            status,
            customer,
        })
}

fn bank_row() -> impl Strategy<Value = BankRow> {
    (
        1u32..=31,
        any::<bool>(),
        prop_oneof![3 => 1i64..=250_000, 1 => -250_000i64..=-1],
        any::<bool>(),
        prop::sample::select(vec![
            "Jonas Schulz",
            "Müller, Hans",
            "Telekom Deutschland GmbH",
            "",
        ]),
        prop::option::weighted(0.7, any::<prop::sample::Index>()),
        prop::sample::select(vec![
            "",
            "Rechnung",
            "Ref",
            "thanks, see you",
            "Miete Oktober",
        ]),
        any::<bool>(),
    )
        .prop_map(
            |(day, value_date, cents, grouped, counterparty, names, words, with_reference)| {
                BankRow {
                    day,
                    value_date,
                    cents,
                    grouped,
                    counterparty,
                    names,
                    words,
                    with_reference,
                }
            },
        )
}

/// `1234567` cents as `12345.67`, or `12,345.67` (the demo bank writes `thousands = ","`).
fn amount(cents: i64, grouped: bool) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let units = (cents.abs() / 100).to_string();
    let units = if grouped {
        common::group_digits(&units, ',')
    } else {
        units
    };
    format!("{sign}{units}.{:02}", cents.abs() % 100)
}

fn invoice_csv(invoices: &[InvoiceRow]) -> String {
    let rows: Vec<Vec<String>> = invoices
        .iter()
        .enumerate()
        .map(|(i, inv)| {
            vec![
                format!("INV-2026-{:04}", i + 1),
                inv.customer.0.to_string(),
                inv.customer.1.to_string(),
                "2026-10-01".to_string(),
                "2026-10-15".to_string(),
                amount(inv.cents, false),
                "EUR".to_string(),
                inv.status.to_string(),
            ]
        })
        .collect();
    csv_text(INVOICE_HEADER, &rows)
}

fn bank_csv(lines: &[BankRow], invoices: usize) -> String {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let date = format!("2026-10-{:02}", line.day);
            let text = match &line.names {
                Some(index) => format!("{} INV-2026-{:04}", line.words, index.index(invoices) + 1),
                None => line.words.to_string(),
            };
            vec![
                date.clone(),
                if line.value_date { date } else { String::new() },
                line.counterparty.to_string(),
                String::new(),
                text.trim().to_string(),
                if line.with_reference {
                    format!("DB2026{:06}", i + 1)
                } else {
                    String::new()
                },
                amount(line.cents, line.grouped),
                "EUR".to_string(),
                "1,000.00".to_string(),
            ]
        })
        .collect();
    csv_text(BANK_HEADER, &rows)
}

// ---------------------------------------------------------------------------------------
// The same inbox, run twice
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn running_a_kept_inbox_a_second_time_commits_nothing_and_changes_no_byte(
        invoices in prop::collection::vec(invoice_row(), 1..=5),
        lines in prop::collection::vec(bank_row(), 1..=8),
    ) {
        let company = Company::new();
        let pipeline = company.pipeline("keep", DEMO_SOURCES);
        company.drop_file("invoices-2026-10.csv", invoice_csv(&invoices));
        company.drop_file("bank-2026-10.csv", bank_csv(&lines, invoices.len()));

        let first = run_at(&pipeline, "2026-11-01T02:00:00Z");
        prop_assert!(
            first.quarantined.is_empty(),
            "the test's inputs are refused: {:?}", first.quarantined
        );
        prop_assert!(first.run_id.is_some());
        prop_assert_eq!(first.files.processed, 2);
        prop_assert_eq!(
            first.bank_lines.new + first.bank_lines.skipped_as_seen_before,
            lines.len()
        );
        let ledger = company.ledger();
        let outbox = tree(&company.path("outbox"));
        let everything = tree(company.dir.path());
        prop_assert!(!outbox.is_empty(), "the first run wrote no batch");

        let second = run_at(&pipeline, "2026-11-02T02:00:00Z");
        prop_assert_eq!(&second.run_id, &None);
        prop_assert_eq!(second.files.already_processed, 2);
        prop_assert_eq!(second.files.processed, 0);
        prop_assert_eq!(second.files.duplicates, 0);
        prop_assert_eq!(second.bank_lines.new, 0);
        prop_assert_eq!(second.documents.new + second.documents.updated, 0);
        prop_assert!(second.money_matched.is_empty(), "{:?}", second.money_matched);
        prop_assert!(second.batches.is_empty(), "{:?}", second.batches);
        prop_assert_eq!(&company.ledger(), &ledger, "the ledger facts changed");
        prop_assert!(tree(&company.path("outbox")) == outbox, "the outbox changed");
        prop_assert_eq!(journal_count(&company), 1);
        let changed: Vec<String> = changed_files(&everything, &tree(company.dir.path()));
        prop_assert!(changed.is_empty(), "the second run changed {:?}", changed);
    }
}

/// Files added, removed or rewritten between two snapshots of a folder.
fn changed_files(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut changed: Vec<String> = before
        .iter()
        .filter(|b| !after.contains(b))
        .map(|(name, _)| format!("{name} (before)"))
        .collect();
    changed.extend(
        after
            .iter()
            .filter(|a| !before.contains(a))
            .map(|(name, _)| format!("{name} (after)")),
    );
    changed
}

// ---------------------------------------------------------------------------------------
// The same bytes dropped again (archive mode)
// ---------------------------------------------------------------------------------------

const INVOICES: &str = "INV-2026-0001,C10001,Jonas Schulz,2026-10-01,2026-10-15,59.90,EUR,open\n\
                        INV-2026-0002,C10002,Ben Hoffmann,2026-10-01,2026-10-15,39.90,EUR,open\n";
const BANK: &str = "2026-10-03,2026-10-03,Jonas Schulz,DE02100100100006820101,Rechnung INV-2026-0001,DB2026100300001,59.90,EUR,\"1,059.90\"\n\
                    2026-10-04,2026-10-04,Ben Hoffmann,DE02100100100006820102,inv 2026 0002,DB2026100400001,20.00,EUR,\"1,079.90\"\n\
                    2026-10-05,2026-10-05,Demo Bank,,fees,DB2026100500001,-4.50,EUR,\"1,075.40\"\n";

fn bank_bytes() -> String {
    format!("{BANK_HEADER}{BANK}")
}

/// A company in archive mode whose first run (on 3 November) took in October's files.
fn after_a_first_run() -> (Company, sluice::pipeline::Pipeline, String) {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}{INVOICES}"),
    );
    company.drop_file("bank-2026-10.csv", bank_bytes());
    let first = run_at(&pipeline, "2026-11-03T09:00:00Z");
    assert!(first.quarantined.is_empty(), "{:?}", first.quarantined);
    assert_eq!(first.bank_lines.new, 3);
    assert_eq!(first.batches.len(), 1);
    assert_eq!(
        fs::read_to_string(company.path("archive/2026/11/bank-2026-10.csv")).expect("archived"),
        bank_bytes(),
        "the statement is archived as it was dropped"
    );
    assert!(
        company
            .path("archive/2026/11/invoices-2026-10.csv")
            .is_file()
    );
    assert!(
        tree(&company.path("inbox")).is_empty(),
        "inputs left the inbox"
    );
    (company, pipeline, first.run_id.expect("committed"))
}

/// Drops the statement again as `name`, runs on 4 November, and checks it was taken as a
/// duplicate of the first run's `bank-2026-10.csv`, archived as `archived_as`.
fn same_bytes_again(name: &str, archived_as: &str) {
    let (company, pipeline, first_run) = after_a_first_run();
    let before = company.ledger();
    let outbox = tree(&company.path("outbox"));
    company.drop_file(name, bank_bytes());

    let second = run_at(&pipeline, "2026-11-04T09:00:00Z");

    assert_eq!(second.files.duplicates, 1, "{second:#?}");
    assert_eq!(second.files.processed, 0);
    assert_eq!(second.bank_lines.new, 0);
    assert!(second.batches.is_empty(), "a duplicate wrote a batch");
    assert!(second.money_matched.is_empty());
    let second_run = second
        .run_id
        .clone()
        .expect("the duplicate is recorded, so the run commits");

    let after = company.ledger();
    assert_eq!(after.bank_lines, before.bank_lines, "bank lines appended");
    assert_eq!(after.documents, before.documents, "documents appended");
    assert_eq!(after.matches, before.matches, "matches appended");
    assert_eq!(after.files.len(), before.files.len() + 1);
    let row = after.files.last().expect("a files row");
    assert_eq!(row.run_id, second_run);
    assert_eq!(row.name, name);
    assert_eq!(row.status, FileStatus::Duplicate);
    assert_eq!(row.records, 0);
    assert!(
        row.note.contains("bank-2026-10.csv") && row.note.contains(&first_run),
        "the note does not name the earlier file and run: {:?}",
        row.note
    );
    assert_eq!(row.archived_as, archived_as);

    assert!(
        tree(&company.path("inbox")).is_empty(),
        "the duplicate stayed in the inbox"
    );
    assert_eq!(
        fs::read_to_string(company.path("archive").join(archived_as)).expect("duplicate archived"),
        bank_bytes()
    );
    assert!(
        archived_as.contains(".duplicate."),
        "not marked in its name: {archived_as}"
    );
    assert_eq!(
        fs::read_to_string(company.path("archive/2026/11/bank-2026-10.csv")).expect("original"),
        bank_bytes(),
        "the original in the archive was touched"
    );
    assert!(
        tree(&company.path("outbox")) == outbox,
        "the outbox changed"
    );
}

#[test]
fn a_statement_dropped_again_under_another_name_is_archived_as_duplicate_applying_nothing() {
    same_bytes_again(
        "bank-2026-10-again.csv",
        "2026/11/bank-2026-10-again.duplicate.csv",
    );
}

#[test]
fn a_statement_dropped_again_under_its_own_name_is_archived_as_duplicate_applying_nothing() {
    same_bytes_again("bank-2026-10.csv", "2026/11/bank-2026-10.duplicate.csv");
}

#[test]
fn two_copies_of_one_statement_in_one_run_apply_once() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}{INVOICES}"),
    );
    company.drop_file("bank-2026-10.csv", bank_bytes());
    company.drop_file("bank-2026-10-copy.csv", bank_bytes());

    let summary = run_at(&pipeline, "2026-11-03T09:00:00Z");

    assert_eq!(summary.files.processed, 2, "{summary:#?}");
    assert_eq!(summary.files.duplicates, 1);
    assert_eq!(summary.bank_lines.new, 3);
    let facts = company.ledger();
    assert_eq!(facts.bank_lines.len(), 3, "the copy's lines were taken in");
    let processed: Vec<_> = facts
        .files
        .iter()
        .filter(|f| f.name.starts_with("bank-") && f.status == FileStatus::Processed)
        .collect();
    let duplicates: Vec<_> = facts
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Duplicate)
        .collect();
    assert_eq!(processed.len(), 1, "{:#?}", facts.files);
    assert_eq!(duplicates.len(), 1, "{:#?}", facts.files);
    let (taken, copy) = (processed[0], duplicates[0]);
    assert_ne!(taken.name, copy.name);
    assert!(
        copy.note.contains(&taken.name),
        "the duplicate's note does not name {}: {:?}",
        taken.name,
        copy.note
    );
    let stem = copy.name.trim_end_matches(".csv");
    assert_eq!(copy.archived_as, format!("2026/11/{stem}.duplicate.csv"));
    assert!(company.path("archive").join(&copy.archived_as).is_file());
    assert!(company.path("archive/2026/11").join(&taken.name).is_file());
    assert!(tree(&company.path("inbox")).is_empty());
}

// ---------------------------------------------------------------------------------------
// Nothing new, nothing written
// ---------------------------------------------------------------------------------------

#[test]
fn a_run_that_finds_nothing_new_in_an_archived_inbox_writes_no_journal_record() {
    let (company, pipeline, _) = after_a_first_run();
    assert_eq!(journal_count(&company), 1);
    let ledger = tree(&company.path("ledger"));
    let archive = tree(&company.path("archive"));

    let again = run_at(&pipeline, "2026-11-04T09:00:00Z");

    assert_eq!(again.run_id, None);
    assert_eq!(again.files.read, 0);
    assert_eq!(
        journal_count(&company),
        1,
        "a run with nothing new committed"
    );
    assert!(
        tree(&company.path("ledger")) == ledger,
        "the ledger folder changed"
    );
    assert!(
        tree(&company.path("archive")) == archive,
        "the archive changed"
    );
}

#[test]
fn a_run_that_finds_only_kept_files_it_already_applied_writes_no_journal_record() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", DEMO_SOURCES);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}{INVOICES}"),
    );
    company.drop_file("bank-2026-10.csv", bank_bytes());
    assert!(run_at(&pipeline, "2026-11-03T09:00:00Z").run_id.is_some());
    assert_eq!(journal_count(&company), 1);
    let ledger = tree(&company.path("ledger"));

    for day in ["04", "05"] {
        let again = run_at(&pipeline, &format!("2026-11-{day}T09:00:00Z"));
        assert_eq!(again.run_id, None);
        assert_eq!(again.files.already_processed, 2);
        assert_eq!(journal_count(&company), 1, "run on the {day}th committed");
    }
    assert!(
        tree(&company.path("ledger")) == ledger,
        "the ledger folder changed"
    );
}

#[test]
fn a_run_over_an_empty_inbox_writes_no_journal_record() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);

    let summary = run_at(&pipeline, "2026-11-03T09:00:00Z");

    assert_eq!(summary.run_id, None);
    assert_eq!(journal_count(&company), 0);
    assert!(company.ledger().is_empty());
    assert!(tree(&company.path("outbox")).is_empty());
}

#[test]
fn a_refused_file_left_in_a_kept_inbox_is_refused_again_without_changing_anything() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", DEMO_SOURCES);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}{INVOICES}"),
    );
    company.drop_file("bank-2026-10.csv", bank_bytes());
    company.drop_file(
        "bank-2026-09.csv",
        format!("{BANK_HEADER}2026-09-30,2026-09-30,Jonas Schulz,,rent,DB1,12.3x,EUR,\n"),
    );
    let first = run_at(&pipeline, "2026-11-03T09:00:00Z");
    assert_eq!(first.quarantined.len(), 1, "{first:#?}");
    assert!(first.run_id.is_some());
    let everything = tree(company.dir.path());

    let second = run_at(&pipeline, "2026-11-04T09:00:00Z");

    assert_eq!(second.run_id, None);
    assert_eq!(second.files.already_processed, 2);
    assert_eq!(second.quarantined.len(), 1, "the refusal is reported again");
    assert_eq!(second.quarantined[0].reason, first.quarantined[0].reason);
    assert_eq!(journal_count(&company), 1);
    let changed = changed_files(&everything, &tree(company.dir.path()));
    assert!(changed.is_empty(), "the second run changed {changed:?}");
}

#[test]
fn the_same_statement_dropped_a_third_time_is_archived_too_and_then_nothing_is_left_to_do() {
    let (company, pipeline, _) = after_a_first_run();
    company.drop_file("bank-2026-10.csv", bank_bytes());
    let second = run_at(&pipeline, "2026-11-04T09:00:00Z");
    assert_eq!(second.files.duplicates, 1);
    assert!(
        company
            .path("archive/2026/11/bank-2026-10.duplicate.csv")
            .is_file()
    );
    company.drop_file("bank-2026-10.csv", bank_bytes());

    let third = run_at(&pipeline, "2026-11-05T09:00:00Z");

    assert_eq!(third.files.duplicates, 1, "{third:#?}");
    assert!(
        tree(&company.path("inbox")).is_empty(),
        "the third copy stayed in the inbox"
    );
    let journal = journal_count(&company);
    let fourth = run_at(&pipeline, "2026-11-06T09:00:00Z");
    assert_eq!(
        (fourth.run_id, fourth.files.duplicates),
        (None, 0),
        "the same copy is recorded as a duplicate run after run"
    );
    assert_eq!(journal_count(&company), journal);
}

#[test]
fn a_new_statement_dropped_under_the_name_of_one_archived_and_since_cleared_away_is_read() {
    let (company, pipeline, _) = after_a_first_run();
    // The archive of November is moved to long-term storage.
    fs::remove_dir_all(company.path("archive/2026/11")).expect("clear the archive");
    // A later statement that happens to reuse the name.
    let newer = format!(
        "{BANK_HEADER}2026-10-30,2026-10-30,Ben Hoffmann,DE02100100100006820102,INV-2026-0002 rest,DB2026103000001,19.90,EUR,\"1,095.30\"\n"
    );
    company.drop_file("bank-2026-10.csv", &newer);

    let second = run_at(&pipeline, "2026-12-01T09:00:00Z");

    assert_eq!(
        (second.files.processed, second.bank_lines.new),
        (1, 1),
        "the new statement was not read: {second:#?}"
    );
}
