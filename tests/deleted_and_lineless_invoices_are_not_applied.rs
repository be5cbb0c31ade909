//! Deleted documents and documents without lines are recorded in the ledger, counted in
//! the summary, and never applied: no money is allocated to them. A re-export with changes
//! is a new version, a rerun changes nothing, and an invoice deleted after it was paid
//! leaves the book with its money still allocated, and says so.

mod common;

use common::{
    BANK_HEADER, Company, LINE_SOURCES, LINES_HEADER, assert_lines_add_up, invoice_lines_sample,
    run_at,
};
use sluice::model::MatchKind;

fn bank(rows: &[(&str, &str, &str)]) -> String {
    let mut text = BANK_HEADER.to_string();
    for (reference, id, amount) in rows {
        text.push_str(&format!(
            "2026-10-20,2026-10-20,Payer,DE1,{reference},{id},{amount},EUR,0\n"
        ));
    }
    text
}

#[test]
fn deleted_and_lineless_documents_are_recorded_counted_and_not_applied() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", LINE_SOURCES);
    company.drop_file("invoice-lines-2026-10.csv", invoice_lines_sample());
    company.drop_file(
        "bank-2026-10.csv",
        bank(&[
            ("INV-2026-2002", "B1", "53.44"),
            ("INV-2026-2005", "B2", "41.53"),
            ("INV-2026-2006", "B3", "10.00"),
        ]),
    );
    let summary = run_at(&pipeline, "2026-11-01T00:00:00Z");
    let d = &summary.documents;
    assert_eq!((d.new, d.updated, d.unchanged), (8, 0, 0));
    assert_eq!(d.credit_notes, 1);
    assert_eq!((d.deleted, d.without_lines), (1, 1));
    assert_eq!(d.withdrawn_with_money, 0);
    assert_eq!(summary.reconciled.matched, 1);
    assert_eq!(summary.reconciled.unmatched, 2);

    let facts = company.ledger();
    assert_eq!(facts.documents.len(), 8, "nothing is lost");
    let not_applied: Vec<(&str, &str)> = facts
        .documents
        .iter()
        .filter(|r| !r.applied)
        .map(|r| (r.document.number.as_str(), r.note.as_str()))
        .collect();
    assert_eq!(
        not_applied,
        [
            (
                "INV-2026-2005",
                "deleted in the billing system; not applied"
            ),
            ("INV-2026-2006", "has no lines; not applied"),
        ]
    );
    let lines: usize = facts.documents.iter().map(|r| r.document.lines.len()).sum();
    assert_eq!(lines, 15, "lines read back from document_lines");
    let allocated: Vec<&str> = facts
        .matches
        .iter()
        .filter(|m| m.matched.kind == MatchKind::Allocation)
        .filter_map(|m| m.matched.document.as_deref())
        .collect();
    assert_eq!(allocated, ["INV-2026-2002"]);
    assert_lines_add_up(&facts);
    // Open: 2002 is paid; 2003, 2004 and 2007 are open; 2001 says paid in billing.
    assert_eq!(summary.invoices.open, 3);
}

#[test]
fn a_reexport_with_changes_is_a_new_version_and_a_rerun_changes_nothing() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", LINE_SOURCES);
    company.drop_file("invoice-lines-2026-10.csv", invoice_lines_sample());
    run_at(&pipeline, "2026-11-01T00:00:00Z");

    let again = run_at(&pipeline, "2026-11-01T01:00:00Z");
    assert_eq!(again.run_id, None, "the same file again is a no-op");

    // The same documents in other bytes (CRLF line ends): read again, nothing new.
    let crlf = String::from_utf8(invoice_lines_sample())
        .unwrap()
        .replace('\n', "\r\n");
    company.drop_file("invoice-lines-2026-10-again.csv", &crlf);
    let same = run_at(&pipeline, "2026-11-01T02:00:00Z");
    assert_eq!(
        (
            same.documents.new,
            same.documents.updated,
            same.documents.unchanged
        ),
        (0, 0, 8)
    );
    assert_eq!(
        (same.documents.deleted, same.documents.without_lines),
        (0, 0)
    );
    assert_eq!(company.ledger().documents.len(), 8);

    // Re-exported: INV-2026-2006 now has its line, INV-2026-2005 is no longer deleted.
    let changed = String::from_utf8(invoice_lines_sample())
        .unwrap()
        .replace(
            "INV-2026-2006,C10006,Barbara Liskov,2026-10-01,2026-10-15,EUR,open,0,,,,,,,,,,0.00",
            "INV-2026-2006,C10006,Barbara Liskov,2026-10-01,2026-10-15,EUR,open,0,Fibre 50 (monthly),1,24.90,19,4.73,24.90,service,2026-10-01,2026-10-31,29.63",
        )
        .replace(",cancelled,1,", ",open,0,");
    company.drop_file("invoice-lines-2026-10-v2.csv", &changed);
    company.drop_file(
        "bank-2026-10.csv",
        bank(&[("INV-2026-2006", "B1", "29.63")]),
    );
    let updated = run_at(&pipeline, "2026-11-02T00:00:00Z");
    assert_eq!(
        (
            updated.documents.new,
            updated.documents.updated,
            updated.documents.unchanged
        ),
        (0, 2, 6)
    );
    assert_eq!(
        updated.reconciled.matched, 1,
        "the document with lines is applied now"
    );
    let facts = company.ledger();
    let versions: Vec<(i64, bool)> = facts
        .documents
        .iter()
        .filter(|r| r.document.number == "INV-2026-2006")
        .map(|r| (r.version, r.applied))
        .collect();
    assert_eq!(versions, [(1, false), (2, true)]);
}

#[test]
fn an_invoice_deleted_after_it_was_paid_leaves_the_book_and_keeps_its_money() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", LINE_SOURCES);
    let export = |deleted: &str| {
        format!(
            "{LINES_HEADER}INV-2026-0001,C1,Ada,2026-10-01,,EUR,open,{deleted},Fibre,1,34.90,19,6.63,34.90,service,,,41.53\n"
        )
    };
    company.drop_file("invoice-lines-1.csv", export("0"));
    company.drop_file("bank-1.csv", bank(&[("INV-2026-0001 part", "B1", "20.00")]));
    let first = run_at(&pipeline, "2026-11-01T00:00:00Z");
    assert_eq!(first.reconciled.partly_matched, 1);

    company.drop_file("invoice-lines-2.csv", export("1"));
    let second = run_at(&pipeline, "2026-11-02T00:00:00Z");
    assert_eq!(second.documents.updated, 1);
    assert_eq!(second.documents.deleted, 1);
    assert_eq!(second.documents.withdrawn_with_money, 1);
    assert_eq!(second.invoices.partly_paid, 0);
    let facts = company.ledger();
    let latest = facts.documents.last().expect("a version");
    assert_eq!((latest.version, latest.applied), (2, false));
    assert!(
        latest
            .note
            .contains("EUR 20.00 was allocated to it before and stays allocated"),
        "{}",
        latest.note
    );
    assert_eq!(
        facts
            .matches
            .iter()
            .filter(|m| m.matched.document.as_deref() == Some("INV-2026-0001"))
            .count(),
        1,
        "the allocation stands"
    );

    company.drop_file("bank-2.csv", bank(&[("INV-2026-0001 rest", "B2", "21.53")]));
    let third = run_at(&pipeline, "2026-11-03T00:00:00Z");
    assert_eq!(third.reconciled.unmatched, 1, "no more money goes to it");
    assert_lines_add_up(&company.ledger());
}
