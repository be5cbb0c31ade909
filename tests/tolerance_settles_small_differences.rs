//! Rule 4: with `reconcile.tolerance`, a payment a little short of or over an invoice's open
//! amount settles the invoice in full; the difference is a `difference` match in the ledger,
//! booked to `reconcile.tolerance_account`, so the entry's matches still add up to its
//! amount. Beyond the tolerance, the invoice stays partly paid or the rest is credit.

mod common;

use common::{
    BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, assert_lines_add_up, matches_of, run_at,
};
use sluice::model::{Match, MatchKind};

fn kinds(matches: &[&Match]) -> Vec<(MatchKind, String, String)> {
    matches
        .iter()
        .map(|m| {
            (
                m.kind,
                m.document.clone().unwrap_or_default(),
                m.amount.to_string(),
            )
        })
        .collect()
}

#[test]
fn small_differences_settle_the_invoice_and_are_booked_to_the_tolerance_account() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!("{DEMO_SOURCES}\n[reconcile]\ntolerance = \"0.05\"\ntolerance_account = \"6855 Rounding\"\n"),
    );
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}\
             INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,29.90,EUR,open\n\
             INV-2026-0002,C2,Bob Byron,2026-10-01,2026-10-15,29.90,EUR,open\n\
             INV-2026-0003,C3,Cy Young,2026-10-01,2026-10-15,29.90,EUR,open\n\
             INV-2026-0004,C4,Dee Dee,2026-10-01,2026-10-15,29.90,EUR,open\n"
        ),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}\
             2026-10-10,2026-10-10,Ada,DE1,INV-2026-0001,B1,29.87,EUR,0\n\
             2026-10-10,2026-10-10,Bob,DE2,INV-2026-0002,B2,29.95,EUR,0\n\
             2026-10-10,2026-10-10,Cy,DE3,INV-2026-0003,B3,29.80,EUR,0\n\
             2026-10-10,2026-10-10,Dee,DE4,INV-2026-0004,B4,30.00,EUR,0\n"
        ),
    );

    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");

    assert_eq!(summary.reconciled.matched, 2, "{:?}", summary.reconciled);
    assert_eq!(summary.reconciled.partly_matched, 2);
    assert_eq!(
        (summary.invoices.paid, summary.invoices.partly_paid),
        (3, 1),
        "{:?}",
        summary.invoices
    );
    let facts = company.ledger();
    assert_lines_add_up(&facts);

    let short = matches_of(&facts, "B1");
    assert_eq!(
        kinds(&short),
        [
            (
                MatchKind::Allocation,
                "INV-2026-0001".into(),
                "EUR 29.90".into()
            ),
            (
                MatchKind::Difference,
                "INV-2026-0001".into(),
                "EUR -0.03".into()
            ),
        ]
    );
    assert_eq!(short[1].account, "6855 Rounding");
    assert_eq!(short[1].customer_id.as_deref(), Some("C1"));
    assert!(
        short[1]
            .explanation
            .contains("EUR 0.03 short of the EUR 29.90 invoice INV-2026-0001 had open"),
        "{}",
        short[1].explanation
    );
    assert!(
        short[1]
            .explanation
            .contains("written off to account 6855 Rounding")
    );

    let over = matches_of(&facts, "B2");
    assert_eq!(
        kinds(&over),
        [
            (
                MatchKind::Allocation,
                "INV-2026-0002".into(),
                "EUR 29.90".into()
            ),
            (
                MatchKind::Difference,
                "INV-2026-0002".into(),
                "EUR 0.05".into()
            ),
        ]
    );
    assert!(
        over[1]
            .explanation
            .contains("booked to account 6855 Rounding")
    );

    let too_short = matches_of(&facts, "B3");
    assert_eq!(
        kinds(&too_short),
        [(
            MatchKind::Allocation,
            "INV-2026-0003".into(),
            "EUR 29.80".into()
        )]
    );
    let too_much = matches_of(&facts, "B4");
    assert_eq!(too_much[1].kind, MatchKind::Credit);
    assert_eq!(too_much[1].amount.to_string(), "EUR 0.10");

    let again = run_at(&pipeline, "2026-11-01T03:00:00Z");
    assert_eq!(again.run_id, None, "running again changes nothing");
    assert_eq!(
        company.ledger(),
        facts,
        "the differences read back as written"
    );
}
