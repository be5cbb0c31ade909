//! The `[reconcile]` switches a finance team sets once: entries booked before
//! `import_from` are recorded but not reconciled; with `credit_for_paid_invoices = false`
//! money naming a paid invoice waits for a person instead of becoming credit; with
//! `refunds_reduce_credit`, money out to a customer with credit (from an earlier run) takes
//! it off their credit.

mod common;

use common::{
    BANK_HEADER, CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, DEMO_SOURCES, INVOICE_HEADER,
    assert_lines_add_up, customer_row, matches_of, run_at,
};
use sluice::model::MatchKind;

const BOB: &str = "DE44500105175407324931";

fn invoices(company: &Company) {
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}\
             INV-2026-0001,C10001,Ada Lovelace,2026-09-01,2026-09-15,29.90,EUR,open\n\
             INV-2026-0002,C10002,Bob Byron,2026-10-01,2026-10-15,39.90,EUR,open\n"
        ),
    );
}

#[test]
fn entries_booked_before_the_import_from_date_are_recorded_but_not_reconciled() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!("{DEMO_SOURCES}\n[reconcile]\nimport_from = 2026-10-01\n"),
    );
    invoices(&company);
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}\
             2026-09-30,2026-09-30,Ada,DE1,INV-2026-0001,B1,29.90,EUR,0\n\
             2026-10-01,2026-10-01,Bob,DE2,INV-2026-0002,B2,39.90,EUR,0\n"
        ),
    );

    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");

    assert_eq!(summary.bank_lines.new, 1);
    assert_eq!(summary.bank_lines.before_import_from, 1);
    assert_eq!(summary.reconciled.matched, 1, "{:?}", summary.reconciled);
    assert_eq!((summary.invoices.paid, summary.invoices.open), (1, 1));
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let old = facts
        .bank_lines
        .iter()
        .find(|r| r.line.bank_reference == "B1")
        .expect("recorded");
    assert!(!old.applied);
    assert!(old.duplicate_of.is_empty());
    assert_eq!(
        old.note,
        "booked 2026-09-30 before reconcile.import_from 2026-10-01: recorded, not reconciled"
    );
    assert!(matches_of(&facts, "B1").is_empty());

    let again = run_at(&pipeline, "2026-11-01T03:00:00Z");
    assert_eq!(again.run_id, None, "running again changes nothing");
}

#[test]
fn money_for_a_paid_invoice_waits_for_a_person_when_credit_for_paid_invoices_is_off() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!("{DEMO_SOURCES}\n[reconcile]\ncredit_for_paid_invoices = false\n"),
    );
    invoices(&company);
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}\
             2026-10-10,2026-10-10,Bob,DE2,INV-2026-0002,B1,39.90,EUR,0\n\
             2026-10-11,2026-10-11,Bob,DE2,INV-2026-0002 again,B2,39.90,EUR,0\n"
        ),
    );

    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");

    assert_eq!(summary.reconciled.unmatched, 1, "{:?}", summary.reconciled);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let twice = matches_of(&facts, "B2");
    assert_eq!(twice.len(), 1);
    assert_eq!(twice[0].kind, MatchKind::Unmatched);
    for words in [
        "invoice INV-2026-0002 is already paid in full",
        "with reconcile.credit_for_paid_invoices = false it is not kept as credit for customer C10002 Bob Byron",
    ] {
        assert!(
            twice[0].explanation.contains(words),
            "{words}: {}",
            twice[0].explanation
        );
    }
}

#[test]
fn a_refund_takes_the_customers_credit_from_an_earlier_run() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!("{DEMO_SOURCES}{CUSTOMER_SOURCE}\n[reconcile]\nrefunds_reduce_credit = true\n"),
    );
    company.drop_file(
        "customers-2026-10.csv",
        format!(
            "{CUSTOMER_HEADER}{}",
            customer_row("C10002", "Bob Byron", "", BOB)
        ),
    );
    invoices(&company);
    company.drop_file(
        "bank-2026-10.csv",
        format!("{BANK_HEADER}2026-10-10,2026-10-10,Bob,{BOB},INV-2026-0002,B1,50.00,EUR,0\n"),
    );
    run_at(&pipeline, "2026-10-11T02:00:00Z");

    company.drop_file(
        "bank-2026-10-b.csv",
        format!(
            "{BANK_HEADER}\
             2026-10-12,2026-10-12,Bob,{BOB},Erstattung,B2,-8.00,EUR,0\n\
             2026-10-13,2026-10-13,Bob,{BOB},Erstattung Rest,B3,-5.00,EUR,0\n"
        ),
    );
    let summary = run_at(&pipeline, "2026-10-14T02:00:00Z");

    assert_eq!(summary.reconciled.outgoing, 2, "{:?}", summary.reconciled);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let first = matches_of(&facts, "B2");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].kind, MatchKind::Credit);
    assert_eq!(first[0].amount.to_string(), "EUR -8.00");
    assert_eq!(first[0].customer_id.as_deref(), Some("C10002"));
    assert!(
        first[0].explanation.contains(&format!(
            "refund to customer C10002 Bob Byron (counterparty IBAN {BOB} is on customer C10002's record): takes EUR 8.00 off their credit of EUR 10.10, leaving EUR 2.10"
        )),
        "{}",
        first[0].explanation
    );
    let rest = matches_of(&facts, "B3");
    let amounts: Vec<(MatchKind, String)> = rest
        .iter()
        .map(|m| (m.kind, m.amount.to_string()))
        .collect();
    assert_eq!(
        amounts,
        [
            (MatchKind::Credit, "EUR -2.10".to_string()),
            (MatchKind::Outgoing, "EUR -2.90".to_string())
        ]
    );
}
