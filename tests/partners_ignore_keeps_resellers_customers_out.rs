//! A reseller's customers are accounted by the reseller: with the reseller in
//! `reconcile.partners_ignore`, their customer records and invoices are written to the ledger
//! flagged, their payments are recorded as `ignored` (never allocated), and the Xero batch
//! leaves them out. A later export moving a customer to another partner takes effect from
//! the run that reads it; running again changes nothing.

mod common;

use std::fs;

use common::{
    BANK_HEADER, CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, DEMO_SOURCES, INVOICE_HEADER,
    assert_lines_add_up, customer_row, journal_count, run_at,
};
use sluice::ledger::Facts;
use sluice::model::MatchKind;
use sluice::pipeline::Pipeline;
use sluice::run::IgnoredCounts;

const ADA: &str = "DE89370400440532013000";
const BOB: &str = "DE44500105175407324931";
const CY: &str = "GB82WEST12345698765432";

fn pipeline(company: &Company) -> Pipeline {
    // Written as staff type it: other case, spaces around.
    company.pipeline(
        "keep",
        &format!(
            "{DEMO_SOURCES}{CUSTOMER_SOURCE}\n[reconcile]\npartners_ignore = [\" reseller NORTH \"]\n"
        ),
    )
}

fn october(company: &Company) {
    company.drop_file(
        "customers-2026-10.csv",
        format!(
            "{CUSTOMER_HEADER}{}{}{}",
            customer_row("C1", "Ada Lovelace", "", ADA),
            customer_row("C2", "Bob Byron", "Reseller North", BOB),
            customer_row("C3", "Cy Young", "Reseller South", CY),
        ),
    );
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}\
             INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,49.90,EUR,open\n\
             INV-2026-0002,C2,Bob Byron,2026-10-01,2026-10-15,29.90,EUR,open\n\
             INV-2026-0003,C3,Cy Young,2026-10-01,2026-10-15,19.90,EUR,open\n\
             INV-2026-0004,C9,Dee Unknown,2026-10-01,2026-10-15,9.90,EUR,open\n"
        ),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}\
             2026-10-03,2026-10-03,Ada Lovelace,{ADA},INV-2026-0001,B1,49.90,EUR,0\n\
             2026-10-03,2026-10-03,Bob Byron,DE44 5001 0517 5407 3249 31,INV-2026-0002,B2,29.90,EUR,0\n\
             2026-10-04,2026-10-04,Cy Young,{CY},INV-2026-0003,B3,19.90,EUR,0\n\
             2026-10-04,2026-10-04,Dee Unknown,{ADA}X,INV-2026-0004,B4,9.90,EUR,0\n"
        ),
    );
}

fn customer_versions(facts: &Facts, id: &str) -> Vec<(i64, String, Option<String>)> {
    facts
        .customers
        .iter()
        .filter(|r| r.customer.id == id)
        .map(|r| (r.version, r.customer.partner.clone(), r.ignored.clone()))
        .collect()
}

fn batch_csv(company: &Company, run_id: &str) -> String {
    let dir = company.path("outbox/acme/xero").join(run_id);
    fs::read_dir(&dir)
        .expect("batch folder")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .map(|e| fs::read_to_string(e.path()).expect("batch file"))
        .collect()
}

#[test]
fn a_resellers_customer_invoice_and_payment_are_kept_out() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    october(&company);

    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");
    assert_eq!(summary.customers.new, 3);
    assert_eq!(
        summary.ignored,
        IgnoredCounts {
            customers: 1,
            documents: 1,
            entries: 1
        }
    );
    assert_eq!(summary.reconciled.matched, 3, "{:?}", summary.reconciled);
    assert_eq!(summary.reconciled.unmatched, 0);
    // INV-2026-0002 is not in the book: three invoices, all paid.
    assert_eq!(
        (summary.invoices.paid, summary.invoices.open),
        (3, 0),
        "{:?}",
        summary.invoices
    );

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let bob = customer_versions(&facts, "C2");
    assert_eq!(bob.len(), 1);
    let reason = bob[0].2.as_deref().expect("Bob is flagged");
    assert!(reason.contains("\"Reseller North\""), "{reason}");
    assert_eq!(customer_versions(&facts, "C1")[0].2, None);
    assert_eq!(customer_versions(&facts, "C3")[0].2, None);
    for row in &facts.documents {
        let flagged = row.ignored.is_some();
        assert_eq!(flagged, row.document.number == "INV-2026-0002", "{row:?}");
    }
    // A document of a customer no export names (C9) is reconciled as always.
    assert!(facts.matches.iter().any(|m| {
        m.matched.kind == MatchKind::Allocation
            && m.matched.document.as_deref() == Some("INV-2026-0004")
    }));

    let bob_line = facts
        .bank_lines
        .iter()
        .find(|r| r.line.bank_reference == "B2")
        .expect("Bob's payment is recorded");
    let bob_matches: Vec<_> = facts
        .matches
        .iter()
        .filter(|m| m.matched.bank_line_id == bob_line.line.id)
        .map(|m| &m.matched)
        .collect();
    assert_eq!(bob_matches.len(), 1, "{bob_matches:#?}");
    let m = bob_matches[0];
    assert_eq!(m.kind, MatchKind::Ignored);
    assert_eq!(m.amount, bob_line.line.amount);
    assert_eq!(m.rule, "partners-ignore");
    assert_eq!(m.customer_id.as_deref(), Some("C2"));
    assert_eq!(m.document, None);
    for words in [
        "C2 Bob Byron",
        "Reseller North",
        "reconcile.partners_ignore",
        BOB,
    ] {
        assert!(m.explanation.contains(words), "{words}: {}", m.explanation);
    }
    assert!(
        !facts
            .matches
            .iter()
            .any(|m| { m.matched.document.as_deref() == Some("INV-2026-0002") })
    );

    let run_id = summary.run_id.expect("committed");
    let batch = batch_csv(&company, &run_id);
    assert_eq!(summary.batches[0].records, 3);
    assert!(!batch.contains("Bob Byron"), "{batch}");
    for payer in ["Ada Lovelace", "Cy Young", "Dee Unknown"] {
        assert!(batch.contains(payer), "{payer} missing:\n{batch}");
    }

    // The same inbox again: every file is known, nothing is written.
    let runs = journal_count(&company);
    let again = run_at(&pipeline, "2026-11-01T03:00:00Z");
    assert_eq!(again.run_id, None);
    assert_eq!(journal_count(&company), runs);
    assert_eq!(company.ledger(), facts);
}

#[test]
fn a_customer_moved_to_another_partner_follows_the_latest_export() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    october(&company);
    run_at(&pipeline, "2026-11-01T02:00:00Z");

    // November: the same customers exported again (nothing new), then a later export that
    // moves Bob to our own books and Cy to Reseller North.
    company.drop_file(
        "customers-2026-11-01.csv",
        format!(
            "{CUSTOMER_HEADER}{}{}{}\n",
            customer_row("C1", "Ada Lovelace", "", ADA),
            customer_row("C2", "Bob Byron", "Reseller North", BOB),
            customer_row("C3", "Cy Young", "Reseller South", CY),
        ),
    );
    let same = run_at(&pipeline, "2026-11-02T02:00:00Z");
    assert_eq!(same.customers.unchanged, 3);
    assert_eq!(same.customers.new + same.customers.updated, 0);
    assert_eq!(same.ignored, IgnoredCounts::default());

    company.drop_file(
        "customers-2026-11-15.csv",
        format!(
            "{CUSTOMER_HEADER}{}{}{}",
            customer_row("C1", "Ada Lovelace", "", ADA),
            customer_row("C2", "Bob Byron", "", BOB),
            customer_row("C3", "Cy Young", "Reseller North", CY),
        ),
    );
    company.drop_file(
        "bank-2026-11.csv",
        format!(
            "{BANK_HEADER}\
             2026-11-16,2026-11-16,Bob Byron,{BOB},INV-2026-0002,B5,29.90,EUR,0\n\
             2026-11-16,2026-11-16,Cy Young,{CY},November,B6,19.90,EUR,0\n"
        ),
    );
    let moved = run_at(&pipeline, "2026-11-17T02:00:00Z");
    assert_eq!(
        (
            moved.customers.new,
            moved.customers.updated,
            moved.customers.unchanged
        ),
        (0, 2, 1)
    );
    assert_eq!(
        moved.ignored,
        IgnoredCounts {
            customers: 1,
            documents: 0,
            entries: 1
        }
    );
    // Bob's invoice is back in the book and his new payment settles it.
    assert_eq!(moved.reconciled.matched, 1, "{:?}", moved.reconciled);
    assert_eq!(moved.money_matched["EUR"], "29.90");

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let bob = customer_versions(&facts, "C2");
    assert_eq!(bob.len(), 2);
    assert_eq!(
        (bob[1].0, bob[1].1.as_str(), bob[1].2.as_ref()),
        (2, "", None)
    );
    let cy = customer_versions(&facts, "C3");
    assert_eq!(cy.len(), 2);
    assert_eq!(cy[1].0, 2);
    assert!(
        cy[1]
            .2
            .as_deref()
            .is_some_and(|r| r.contains("Reseller North"))
    );
    assert!(facts.matches.iter().any(|m| {
        m.matched.kind == MatchKind::Allocation
            && m.matched.document.as_deref() == Some("INV-2026-0002")
    }));
    let cy_payment = facts
        .bank_lines
        .iter()
        .find(|r| r.line.bank_reference == "B6")
        .expect("recorded");
    assert!(facts.matches.iter().any(|m| {
        m.matched.bank_line_id == cy_payment.line.id && m.matched.kind == MatchKind::Ignored
    }));

    let batch = batch_csv(&company, moved.run_id.as_deref().expect("committed"));
    assert!(
        batch.contains("Bob Byron") && !batch.contains("Cy Young"),
        "{batch}"
    );

    let again = run_at(&pipeline, "2026-11-18T02:00:00Z");
    assert_eq!(again.run_id, None);
}

#[test]
fn a_deleted_invoice_stays_out_when_its_customer_leaves_the_ignored_partner() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!(
            "{}{CUSTOMER_SOURCE}\n[reconcile]\npartners_ignore = [\"Reseller North\"]\n",
            common::LINE_SOURCES
        ),
    );
    company.drop_file(
        "customers-2026-10.csv",
        format!(
            "{CUSTOMER_HEADER}{}",
            customer_row("C2", "Bob Byron", "Reseller North", BOB)
        ),
    );
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!(
            "{}INV-2026-0002,C2,Bob Byron,2026-10-01,2026-10-15,EUR,open,yes,Internet,1,29.90,0,0.00,29.90,service,,,29.90\n",
            common::LINES_HEADER
        ),
    );
    run_at(&pipeline, "2026-10-02T02:00:00Z");
    // Bob moves to us; his invoice is still deleted, so his payment of it pays nothing.
    company.drop_file(
        "customers-2026-10-b.csv",
        format!(
            "{CUSTOMER_HEADER}{}",
            customer_row("C2", "Bob Byron", "", BOB)
        ),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}2026-10-03,2026-10-03,Bob Byron,{BOB},INV-2026-0002,B2,29.90,EUR,0\n"
        ),
    );
    let summary = run_at(&pipeline, "2026-10-04T02:00:00Z");
    assert_eq!(summary.money_matched.get("EUR"), None, "{summary:?}");
    let facts = company.ledger();
    assert!(
        facts
            .matches
            .iter()
            .all(|m| m.matched.kind != MatchKind::Allocation),
        "{:?}",
        facts.matches
    );
}
