//! Entry-level dedup: a statement for 1–31 October dropped after the one for 1–15 October
//! (so it holds the first half's entries again) applies only the entries not seen before.
//! Each repeated entry is kept in the ledger as a skipped row pointing at the entry it
//! repeats; the Xero batch holds only the new entries; no invoice is paid twice.
//!
//! Entries are recognised by the bank's own reference when it gives one, and otherwise by
//! account, date, amount and text, counting identical entries — so two genuinely identical
//! payments on one day are two entries, and a third one exported later is new.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, run_at};
use rust_decimal::Decimal;
use sluice::ledger::{BankLineRow, Facts};
use sluice::model::MatchKind;
use sluice::outbox::Manifest;
use sluice::pipeline::Pipeline;
use sluice::run::Summary;

const FIRST_HALF: &str = "bank-2026-10-01-to-15.csv";
const WHOLE_MONTH: &str = "bank-2026-10-01-to-31.csv";
const FIRST_RUN: &str = "2026-10-16T06:00:00Z";
const SECOND_RUN: &str = "2026-11-01T06:00:00Z";

fn company(invoices: &str, first_half: &str) -> (Company, Pipeline, Summary) {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}{invoices}"),
    );
    company.drop_file(FIRST_HALF, format!("{BANK_HEADER}{first_half}"));
    let first = run_at(&pipeline, FIRST_RUN);
    assert!(first.quarantined.is_empty(), "{:?}", first.quarantined);
    (company, pipeline, first)
}

fn rows_of<'a>(facts: &'a Facts, run_id: &str) -> Vec<&'a BankLineRow> {
    facts
        .bank_lines
        .iter()
        .filter(|r| r.run_id == run_id)
        .collect()
}

/// The allocations of each invoice over all runs, in commit order.
fn allocations(facts: &Facts) -> BTreeMap<String, Vec<Decimal>> {
    let mut by_invoice: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for row in &facts.matches {
        if let (MatchKind::Allocation, Some(doc)) = (row.matched.kind, &row.matched.document) {
            by_invoice
                .entry(doc.clone())
                .or_default()
                .push(row.matched.amount.amount);
        }
    }
    by_invoice
}

fn cents(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

/// The data rows of a run's one Xero batch (all its CSV files), and its manifest.
fn xero_batch(summary: &Summary) -> (Vec<Vec<String>>, Manifest) {
    assert_eq!(summary.batches.len(), 1, "{:#?}", summary.batches);
    let dir: &Path = &summary.batches[0].path;
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(dir.join("manifest.json")).expect("manifest.json"))
            .expect("a manifest");
    let mut rows = Vec::new();
    for file in &manifest.files {
        let bytes = fs::read(dir.join(&file.name)).expect("batch file");
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        for record in reader.records() {
            rows.push(
                record
                    .expect("a CSV row")
                    .iter()
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    (rows, manifest)
}

/// Checks a skipped row of the second run against the first run's row it repeats.
fn assert_skipped_as(skipped: &BankLineRow, earlier: &BankLineRow, why: &str) {
    assert!(!skipped.applied, "applied again: {skipped:#?}");
    assert!(earlier.applied);
    assert_eq!(
        skipped.duplicate_of, earlier.line.id,
        "{} line {} points at the wrong entry",
        skipped.line.lineage.file_name, skipped.line.lineage.line
    );
    let names = format!("{FIRST_HALF} line {}", earlier.line.lineage.line);
    assert!(
        skipped.note.contains(&names) && skipped.note.contains(why),
        "the note {:?} should say {why:?} and name {names:?}",
        skipped.note
    );
    assert_eq!(skipped.line.lineage.file_name, WHOLE_MONTH);
    assert_ne!(skipped.line.id, earlier.line.id);
}

// ---------------------------------------------------------------------------------------
// Entries with a bank reference
// ---------------------------------------------------------------------------------------

const INVOICES: &str = "\
INV-2026-0001,C10001,Jonas Schulz,2026-10-01,2026-10-15,59.90,EUR,open
INV-2026-0002,C10002,Ben Hoffmann,2026-10-01,2026-10-15,39.90,EUR,open
INV-2026-0003,C10003,Vera Becker,2026-10-01,2026-10-15,49.90,EUR,open
";

const WITH_REFERENCES_FIRST_HALF: &str = "\
2026-10-02,2026-10-02,Jonas Schulz,DE02100100100006820101,Rechnung INV-2026-0001,DB2026100200001,59.90,EUR,\"1,059.90\"
2026-10-05,2026-10-05,Telekom Deutschland GmbH,DE02100100100006820199,Phone 10/2026,DB2026100500001,-45.00,EUR,\"1,014.90\"
2026-10-12,2026-10-12,Ben Hoffmann,DE02100100100006820102,INV-2026-0002 first part,DB2026101200001,20.00,EUR,\"1,034.90\"
";

/// The whole month: the first half's three entries again (line 2, 4, 5), two new ones.
/// The balances differ from the first export, as they do when a bank exports again.
const WITH_REFERENCES_WHOLE_MONTH: &str = "\
2026-10-02,2026-10-02,Jonas Schulz,DE02100100100006820101,Rechnung INV-2026-0001,DB2026100200001,59.90,EUR,\"2,059.90\"
2026-10-03,2026-10-03,Vera Becker,DE02100100100006820103,inv 2026 0003,DB2026100300001,49.90,EUR,\"2,109.80\"
2026-10-05,2026-10-05,Telekom Deutschland GmbH,DE02100100100006820199,Phone 10/2026,DB2026100500001,-45.00,EUR,\"2,064.80\"
2026-10-12,2026-10-12,Ben Hoffmann,DE02100100100006820102,INV-2026-0002 first part,DB2026101200001,20.00,EUR,\"2,084.80\"
2026-10-20,2026-10-20,Ben Hoffmann,DE02100100100006820102,INV-2026-0002 rest,DB2026102000001,19.90,EUR,\"2,104.70\"
";

#[test]
fn a_longer_statement_with_bank_references_applies_only_its_new_entries() {
    let (company, pipeline, first) = company(INVOICES, WITH_REFERENCES_FIRST_HALF);
    assert_eq!(first.bank_lines.new, 3);
    let first_run = first.run_id.clone().expect("committed");
    company.drop_file(
        WHOLE_MONTH,
        format!("{BANK_HEADER}{WITH_REFERENCES_WHOLE_MONTH}"),
    );

    let second = run_at(&pipeline, SECOND_RUN);

    assert_eq!(second.files.processed, 1, "{second:#?}");
    assert_eq!(
        second.files.duplicates, 0,
        "a longer export is not the same file"
    );
    assert_eq!(second.bank_lines.new, 2, "{:#?}", second.bank_lines);
    assert_eq!(second.bank_lines.skipped_as_seen_before, 3);
    let second_run = second.run_id.clone().expect("committed");

    let facts = company.ledger();
    let earlier = rows_of(&facts, &first_run);
    let rows = rows_of(&facts, &second_run);
    assert_eq!(
        rows.len(),
        5,
        "every entry of the statement is kept in the ledger"
    );
    let by_reference = |reference: &str| {
        earlier
            .iter()
            .find(|r| r.line.bank_reference == reference)
            .copied()
            .expect("the first run's entry")
    };
    for row in &rows {
        let reference = row.line.bank_reference.as_str();
        match row.line.lineage.line {
            2 | 4 | 5 => assert_skipped_as(
                row,
                by_reference(reference),
                &format!("same bank reference \"{reference}\""),
            ),
            3 | 6 => {
                assert!(row.applied, "a new entry was skipped: {row:#?}");
                assert_eq!(row.duplicate_of, "");
            }
            other => panic!("unexpected line {other}"),
        }
    }

    let (batch, manifest) = xero_batch(&second);
    let dates_and_amounts: Vec<(&str, &str, &str)> = batch
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        dates_and_amounts,
        [
            ("03/10/2026", "49.90", "INV-2026-0003"),
            ("20/10/2026", "19.90", "INV-2026-0002"),
        ],
        "the second batch must hold only the new entries"
    );
    assert_eq!(manifest.record_count, 2);
    assert_eq!(
        manifest.totals.get("EUR").map(String::as_str),
        Some("69.80")
    );
    assert_eq!(
        manifest
            .inputs
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>(),
        [WHOLE_MONTH]
    );

    let paid = allocations(&facts);
    assert_eq!(paid["INV-2026-0001"], [cents("59.90")], "paid again");
    assert_eq!(paid["INV-2026-0002"], [cents("20.00"), cents("19.90")]);
    assert_eq!(paid["INV-2026-0003"], [cents("49.90")]);
    let second_lines: Vec<&str> = rows
        .iter()
        .filter(|r| r.applied)
        .map(|r| r.line.id.as_str())
        .collect();
    for m in facts.matches.iter().filter(|m| m.run_id == second_run) {
        assert!(
            second_lines.contains(&m.matched.bank_line_id.as_str()),
            "a skipped entry was reconciled again: {m:#?}"
        );
    }
    assert_eq!(
        second.money_matched.get("EUR").map(String::as_str),
        Some("69.80")
    );
    assert_eq!(
        (
            second.invoices.paid,
            second.invoices.partly_paid,
            second.invoices.open
        ),
        (3, 0, 0)
    );
}

#[test]
fn a_second_export_holding_only_entries_seen_before_applies_nothing_and_writes_no_batch() {
    let (company, pipeline, first) = company(INVOICES, WITH_REFERENCES_FIRST_HALF);
    let before = company.ledger();
    // The same entries with other balances: other bytes, so not a duplicate file.
    let again = WITH_REFERENCES_FIRST_HALF.replace("\"1,", "\"9,");
    company.drop_file(
        "bank-2026-10-01-to-15-again.csv",
        format!("{BANK_HEADER}{again}"),
    );

    let second = run_at(&pipeline, SECOND_RUN);

    assert_eq!(second.files.processed, 1, "{second:#?}");
    assert_eq!(second.bank_lines.new, 0);
    assert_eq!(second.bank_lines.skipped_as_seen_before, 3);
    assert!(second.batches.is_empty(), "{:#?}", second.batches);
    assert!(second.money_matched.is_empty());
    let facts = company.ledger();
    assert_eq!(
        facts.matches, before.matches,
        "entries were reconciled again"
    );
    let rows = rows_of(
        &facts,
        second.run_id.as_deref().expect("skipped rows are recorded"),
    );
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| !r.applied), "{rows:#?}");
    assert_eq!(first.invoices, second.invoices, "invoice states changed");
}

// ---------------------------------------------------------------------------------------
// Entries without a bank reference
// ---------------------------------------------------------------------------------------

const MIA: &str = "\
INV-2026-0004,C10004,Mia Hartmann,2026-10-01,2026-10-15,75.00,EUR,open
";

/// Mia pays 25.00 twice on the 6th (both real payments); the bank's fee on the 7th.
const WITHOUT_REFERENCES_FIRST_HALF: &str = "\
2026-10-06,2026-10-06,Mia Hartmann,DE80200900787174856938,INV-2026-0004,,25.00,EUR,\"1,025.00\"
2026-10-06,2026-10-06,Mia Hartmann,DE80200900787174856938,INV-2026-0004,,25.00,EUR,\"1,050.00\"
2026-10-07,2026-10-07,Demo Bank,,Konto fuehrung,,-3.50,EUR,\"1,046.50\"
";

/// The whole month: Mia's two payments and a third identical one on the 6th, the fee again
/// (its text spaced differently by this export), and the same fee on the 21st.
const WITHOUT_REFERENCES_WHOLE_MONTH: &str = "\
2026-10-06,2026-10-06,Mia Hartmann,DE80200900787174856938,INV-2026-0004,,25.00,EUR,\"2,025.00\"
2026-10-06,2026-10-06,Mia Hartmann,DE80200900787174856938,INV-2026-0004,,25.00,EUR,\"2,050.00\"
2026-10-06,2026-10-06,Mia Hartmann,DE80200900787174856938,INV-2026-0004,,25.00,EUR,\"2,075.00\"
2026-10-07,2026-10-07,Demo Bank,,Konto  fuehrung,,-3.50,EUR,\"2,071.50\"
2026-10-21,2026-10-21,Demo Bank,,Konto fuehrung,,-3.50,EUR,\"2,068.00\"
";

#[test]
fn two_identical_payments_on_one_day_are_two_entries() {
    let (company, _, first) = company(MIA, WITHOUT_REFERENCES_FIRST_HALF);

    assert_eq!(first.bank_lines.new, 3, "{:#?}", first.bank_lines);
    assert_eq!(first.bank_lines.skipped_as_seen_before, 0);
    let facts = company.ledger();
    assert!(
        facts.bank_lines.iter().all(|r| r.applied),
        "{:#?}",
        facts.bank_lines
    );
    assert_eq!(
        allocations(&facts)["INV-2026-0004"],
        [cents("25.00"), cents("25.00")]
    );
    let (batch, _) = xero_batch(&first);
    assert_eq!(batch.len(), 3, "{batch:#?}");
}

#[test]
fn a_longer_statement_without_bank_references_applies_only_the_entries_beyond_those_seen() {
    let (company, pipeline, first) = company(MIA, WITHOUT_REFERENCES_FIRST_HALF);
    assert_eq!(first.bank_lines.new, 3);
    let first_run = first.run_id.clone().expect("committed");
    company.drop_file(
        WHOLE_MONTH,
        format!("{BANK_HEADER}{WITHOUT_REFERENCES_WHOLE_MONTH}"),
    );

    let second = run_at(&pipeline, SECOND_RUN);

    assert_eq!(second.bank_lines.new, 2, "{:#?}", second.bank_lines);
    assert_eq!(second.bank_lines.skipped_as_seen_before, 3);
    let second_run = second.run_id.clone().expect("committed");
    let facts = company.ledger();
    let earlier = rows_of(&facts, &first_run);
    let at_line = |n: u64| {
        earlier
            .iter()
            .find(|r| r.line.lineage.line == n)
            .copied()
            .expect("a first-run entry")
    };
    let rows = rows_of(&facts, &second_run);
    assert_eq!(rows.len(), 5);
    let same = "same account, date, amount and text";
    for row in &rows {
        match row.line.lineage.line {
            // Mia's first and second payment of the 6th: the first run's first and second.
            2 => assert_skipped_as(row, at_line(2), same),
            3 => assert_skipped_as(row, at_line(3), same),
            // The fee of the 7th, whatever the spacing of its text.
            5 => assert_skipped_as(row, at_line(4), same),
            // Her third payment of the 6th, and the fee of the 21st.
            4 | 6 => {
                assert!(row.applied, "a new entry was skipped: {row:#?}");
                assert_eq!(row.duplicate_of, "");
            }
            other => panic!("unexpected line {other}"),
        }
    }

    let (batch, manifest) = xero_batch(&second);
    let dates_and_amounts: Vec<(&str, &str, &str)> = batch
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        dates_and_amounts,
        [
            ("06/10/2026", "25.00", "INV-2026-0004"),
            ("21/10/2026", "-3.50", "")
        ],
        "the second batch must hold only the new entries"
    );
    assert_eq!(manifest.record_count, 2);

    assert_eq!(
        allocations(&facts)["INV-2026-0004"],
        [cents("25.00"), cents("25.00"), cents("25.00")],
        "Mia's invoice is paid by her three payments, each once"
    );
    assert_eq!(
        (
            second.invoices.paid,
            second.invoices.partly_paid,
            second.invoices.open
        ),
        (1, 0, 0)
    );
}

// ---------------------------------------------------------------------------------------
// A reference that identifies nothing
// ---------------------------------------------------------------------------------------

#[test]
fn entries_of_one_statement_that_share_a_placeholder_reference_are_all_applied() {
    let statement = "\
2026-10-02,2026-10-02,Jonas Schulz,DE02100100100006820101,Rechnung INV-2026-0001,NONREF,59.90,EUR,\"1,059.90\"
2026-10-03,2026-10-03,Vera Becker,DE02100100100006820103,INV-2026-0003,NONREF,49.90,EUR,\"1,109.80\"
2026-10-05,2026-10-05,Telekom Deutschland GmbH,DE02100100100006820199,Phone 10/2026,NONREF,-45.00,EUR,\"1,064.80\"
";
    let (company, pipeline, first) = company(INVOICES, statement);

    assert_eq!(
        (
            first.bank_lines.new,
            first.bank_lines.skipped_as_seen_before
        ),
        (3, 0),
        "three different entries of one statement: {:#?}",
        company.ledger().bank_lines
    );
    assert_eq!(allocations(&company.ledger()).len(), 2);

    // Exported again over the whole month, with one more NONREF entry: only that one is new.
    let whole_month = format!(
        "{statement}2026-10-20,2026-10-20,Ben Hoffmann,DE02100100100006820102,INV-2026-0002,NONREF,39.90,EUR,\"1,104.70\"\n"
    );
    company.drop_file(WHOLE_MONTH, format!("{BANK_HEADER}{whole_month}"));
    let second = run_at(&pipeline, SECOND_RUN);
    assert_eq!(
        (
            second.bank_lines.new,
            second.bank_lines.skipped_as_seen_before
        ),
        (1, 3)
    );
}
