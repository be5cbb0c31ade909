//! A ledger written by an earlier sluice stays readable: columns added since (the ISO 20022
//! entry fields, end-to-end ids on matches, documents' deleted and applied flags) read as
//! empty or no (but documents as applied, as they all were), tables added since (document
//! lines among them) as absent, and a new run appends to it without touching what is there.

mod common;

use std::fs;
use std::path::Path;

use common::{
    BANK_HEADER, CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, DEMO_SOURCES, TRANSACTION_HEADER,
    TRANSACTION_SOURCE, customer_row, run_at, tree,
};
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

/// The first release had no `customers` table and no `ignored` columns on documents: it
/// reads with no customers and nothing flagged, and a run with a customer export and a
/// partners-ignore list appends to it.
#[test]
fn a_first_release_ledger_takes_customers_and_a_partners_ignore_list() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        &format!(
            "{DEMO_SOURCES}{CUSTOMER_SOURCE}\n[reconcile]\npartners_ignore = [\"Reseller North\"]\n"
        ),
    );
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger/first-release");
    copy_dir(&fixture, &company.path("ledger"));

    let facts = company.ledger();
    assert!(facts.customers.is_empty());
    assert!(facts.documents.iter().all(|r| r.ignored.is_none()));
    let customer = &facts.documents[0].document;

    company.drop_file(
        "customers-2026-11.csv",
        format!(
            "{CUSTOMER_HEADER}{}",
            customer_row(
                &customer.customer_id,
                &customer.customer_name,
                "Reseller North",
                "DE89370400440532013000"
            )
        ),
    );
    company.drop_file(
        "bank-2026-11.csv",
        format!(
            "{BANK_HEADER}2026-11-02,2026-11-02,{},DE89370400440532013000,November,B-NEW,10.00,EUR,0\n",
            customer.customer_name
        ),
    );
    let summary = run_at(&pipeline, "2026-11-03T02:00:00Z");
    assert_eq!(summary.customers.new, 1);
    assert_eq!(summary.ignored.customers, 1);
    assert_eq!(summary.ignored.entries, 1);
    let facts = company.ledger();
    assert_eq!(facts.customers.len(), 1);
    assert!(facts.customers[0].ignored.is_some());
    assert_eq!(
        facts.matches.last().map(|m| m.matched.kind),
        Some(MatchKind::Ignored)
    );
}

/// The first release had no `transactions` table: it reads with no transactions and no
/// balances, and a run with a transaction export appends to it.
#[test]
fn a_first_release_ledger_takes_billing_transactions() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", &format!("{DEMO_SOURCES}{TRANSACTION_SOURCE}"));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger/first-release");
    copy_dir(&fixture, &company.path("ledger"));
    let before = tree(&company.path("ledger"));

    let facts = company.ledger();
    assert!(facts.transactions.is_empty());
    assert!(sluice::ledger::balances(&facts.transactions).is_empty());

    company.drop_file(
        "transactions-2026-11.csv",
        format!(
            "{TRANSACTION_HEADER}TX-1,C1,2026-11-01,Charge,59.90,,EUR,Internet,INV-1,Internet\n"
        ),
    );
    let summary = run_at(&pipeline, "2026-11-03T02:00:00Z");
    assert_eq!(summary.transactions.new, 1);
    let after = tree(&company.path("ledger"));
    for (path, bytes) in &before {
        let kept = after.iter().find(|(p, _)| p == path).map(|(_, b)| b);
        assert_eq!(kept, Some(bytes), "{path} was changed");
    }
    let balances = sluice::ledger::balances(&company.ledger().transactions);
    assert_eq!(balances.len(), 1);
    assert_eq!(
        balances[0].balances.values().next().map(|b| b.to_string()),
        Some("-59.90".to_string())
    );
}
