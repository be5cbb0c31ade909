//! A ledger written by an earlier sluice stays readable: columns added since (the ISO 20022
//! entry fields, end-to-end ids on matches, documents' deleted and applied flags) read as
//! empty or no (but documents as applied, as they all were), tables added since (document
//! lines among them) as absent, and a new run appends to it without touching what is there.

mod common;

use std::fs;
use std::path::Path;

use common::{BANK_HEADER, Company, DEMO_SOURCES, run_at, tree};
use sluice::model::MatchKind;

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_first_release_ledger_reads_and_takes_a_new_run() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger/first-release");
    copy_dir(&fixture, &company.path("ledger"));
    let before = tree(&company.path("ledger"));

    let facts = company.ledger();
    assert_eq!(facts.bank_lines.len(), 258);
    assert!(
        facts
            .bank_lines
            .iter()
            .all(|r| r.line.info.end_to_end_id.is_empty())
    );
    assert!(
        facts
            .matches
            .iter()
            .all(|m| m.matched.end_to_end_id.is_empty())
    );
    assert!(
        facts
            .matches
            .iter()
            .filter(|m| m.matched.kind == MatchKind::Allocation)
            .count()
            > 200
    );
    assert!(facts.collections.is_empty() && facts.statements.is_empty());
    assert!(!facts.documents.is_empty());
    assert!(
        facts.documents.iter().all(|r| r.applied
            && r.note.is_empty()
            && !r.document.deleted
            && r.document.lines.is_empty()),
        "documents from before lines and deletions read as applied, without lines"
    );

    company.drop_file(
        "bank-2026-11.csv",
        format!(
            "{BANK_HEADER}2026-11-02,2026-11-02,Ada Lovelace,DE1,no reference,B-NEW,10.00,EUR,0\n"
        ),
    );
    let summary = run_at(&pipeline, "2026-11-03T02:00:00Z");
    assert_eq!(summary.bank_lines.new, 1);
    let after = tree(&company.path("ledger"));
    for (path, bytes) in &before {
        let kept = after.iter().find(|(p, _)| p == path).map(|(_, b)| b);
        assert_eq!(kept, Some(bytes), "{path} was changed");
    }
    assert_eq!(company.ledger().bank_lines.len(), 259);
}
