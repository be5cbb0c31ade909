//! Rule 3: money with no reference and no known payer pays the one open invoice of exactly
//! its amount due within the window around its booking date, with confidence 80 and an
//! explanation naming the amount and the due date. Two candidates or more never match: the
//! unmatched entry says how many and which.

mod common;

use common::{
    BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, assert_lines_add_up, matches_of, run_at,
};
use sluice::model::MatchKind;

fn invoices(company: &Company) {
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}\
             INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,19.90,EUR,open\n\
             INV-2026-0002,C2,Bob Byron,2026-10-01,2026-10-15,29.90,EUR,open\n\
             INV-2026-0003,C3,Cy Young,2026-10-01,2026-10-16,29.90,EUR,open\n\
             INV-2026-0004,C4,Dee Dee,2026-10-01,2026-10-17,29.90,EUR,open\n\
             INV-2026-0005,C5,Eve Early,2026-10-01,2026-10-18,29.90,EUR,open\n\
             INV-2026-0006,C6,Fay Far,2026-06-01,2026-06-15,49.90,EUR,open\n"
        ),
    );
}

fn bank(company: &Company, rows: &[(&str, &str, &str)]) {
    let mut text = BANK_HEADER.to_string();
    for (date, reference, amount) in rows {
        text.push_str(&format!(
            "{date},{date},Someone,DE02120300000000202051,Danke,{reference},{amount},EUR,0\n"
        ));
    }
    company.drop_file("bank-2026-10.csv", text);
}

#[test]
fn the_one_invoice_of_the_amount_due_near_the_booking_date_is_paid_and_several_wait() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", DEMO_SOURCES);
    invoices(&company);
    bank(
        &company,
        &[
            ("2026-10-20", "B1", "19.90"),
            ("2026-10-20", "B2", "29.90"),
            ("2026-10-20", "B3", "49.90"),
        ],
    );

    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");

    assert_eq!(
        (summary.reconciled.matched, summary.reconciled.unmatched),
        (1, 2),
        "{:?}",
        summary.reconciled
    );
    let facts = company.ledger();
    assert_lines_add_up(&facts);

    let one = matches_of(&facts, "B1");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].kind, MatchKind::Allocation);
    assert_eq!(one[0].document.as_deref(), Some("INV-2026-0001"));
    assert_eq!(
        (one[0].rule.as_str(), one[0].confidence),
        ("amount-and-date", 80)
    );
    for words in [
        "invoice INV-2026-0001 (customer C1 Ada Lovelace) is the only open invoice of EUR 19.90 due within 30 days of the booking date 2026-10-20",
        "it is due 2026-10-15",
    ] {
        assert!(
            one[0].explanation.contains(words),
            "{words}: {}",
            one[0].explanation
        );
    }

    let several = matches_of(&facts, "B2");
    assert_eq!(several.len(), 1);
    assert_eq!(several[0].kind, MatchKind::Unmatched);
    assert!(
        several[0].explanation.contains(
            "amount-and-date: 4 open invoices of EUR 29.90 due within 30 days of the booking date 2026-10-20 (INV-2026-0002, INV-2026-0003, INV-2026-0004 and 1 more): a person must choose"
        ),
        "{}",
        several[0].explanation
    );

    // Fay's invoice was due in June: outside the window.
    let old = matches_of(&facts, "B3");
    assert_eq!(old[0].kind, MatchKind::Unmatched);
    assert!(
        old[0]
            .explanation
            .contains("no open invoice of EUR 49.90 due within 30 days")
    );
}

#[test]
fn a_wider_window_finds_an_older_invoice_and_the_rule_can_be_switched_off() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!("{DEMO_SOURCES}\n[reconcile]\namount_and_date_days = 150\n"),
    );
    invoices(&company);
    bank(&company, &[("2026-10-20", "B3", "49.90")]);
    run_at(&pipeline, "2026-11-01T02:00:00Z");
    let facts = company.ledger();
    assert_eq!(
        matches_of(&facts, "B3")[0].document.as_deref(),
        Some("INV-2026-0006")
    );

    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!("{DEMO_SOURCES}\n[reconcile]\nby_amount_and_date = false\n"),
    );
    invoices(&company);
    bank(&company, &[("2026-10-20", "B1", "19.90")]);
    run_at(&pipeline, "2026-11-01T02:00:00Z");
    let facts = company.ledger();
    let off = matches_of(&facts, "B1");
    assert_eq!(off[0].kind, MatchKind::Unmatched);
    assert!(!off[0].explanation.contains("amount-and-date"));
}
