//! Rule 2: money that names no invoice but whose payer is one customer — their IBAN is on
//! the customer export, the account paid their invoice before (in this run or an earlier
//! one), their customer number is in the text — pays that customer's open invoices oldest
//! first, and the explanation says what identified them. Evidence for two customers chooses
//! neither; a customer without an open invoice gets the money as credit only when the
//! pipeline says so; a reseller's customer on the partners-ignore list is never chosen.

mod common;

use common::{
    BANK_HEADER, CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, DEMO_SOURCES, INVOICE_HEADER,
    assert_lines_add_up, customer_row, matches_of, run_at,
};
use sluice::model::{Match, MatchKind};
use sluice::pipeline::Pipeline;

const ADA: &str = "DE89370400440532013000";
const BOB: &str = "DE44500105175407324931";
const CY: &str = "GB82WEST12345698765432";
/// An account on no customer's record.
const UNKNOWN: &str = "FR1420041010050500013M02606";

fn pipeline(company: &Company, reconcile: &str) -> Pipeline {
    company.pipeline(
        "keep",
        &format!("{DEMO_SOURCES}{CUSTOMER_SOURCE}\n[reconcile]\n{reconcile}"),
    )
}

/// Ada has three open invoices (the oldest due first in the file's last row), Bob one, Cy —
/// a reseller's customer — one.
fn customers_and_invoices(company: &Company) {
    company.drop_file(
        "customers-2026-10.csv",
        format!(
            "{CUSTOMER_HEADER}{}{}{}",
            customer_row("C10001", "Ada Lovelace", "", ADA),
            customer_row("C10002", "Bob Byron", "", BOB),
            customer_row("C10003", "Cy Young", "Reseller North", CY),
        ),
    );
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}\
             INV-2026-0003,C10001,Ada Lovelace,2026-10-01,2026-10-31,29.90,EUR,open\n\
             INV-2026-0002,C10001,Ada Lovelace,2026-09-20,2026-10-15,29.90,EUR,open\n\
             INV-2026-0001,C10001,Ada Lovelace,2026-09-01,2026-10-15,19.90,EUR,open\n\
             INV-2026-0004,C10002,Bob Byron,2026-10-01,2026-10-15,39.90,EUR,open\n\
             INV-2026-0005,C10003,Cy Young,2026-10-01,2026-10-15,9.90,EUR,open\n"
        ),
    );
}

fn bank(company: &Company, name: &str, rows: &[(&str, &str, &str, &str, &str)]) {
    let mut text = BANK_HEADER.to_string();
    for (date, account, remittance, reference, amount) in rows {
        text.push_str(&format!(
            "{date},{date},Payer,{account},{remittance},{reference},{amount},EUR,0\n"
        ));
    }
    company.drop_file(name, text);
}

fn allocations(matches: &[&Match]) -> Vec<(String, String)> {
    matches
        .iter()
        .filter(|m| m.kind == MatchKind::Allocation)
        .map(|m| {
            (
                m.document.clone().expect("an allocation names its invoice"),
                m.amount.to_string(),
            )
        })
        .collect()
}

#[test]
fn money_from_an_iban_on_the_customer_record_pays_their_oldest_invoices_first() {
    let company = Company::new();
    let pipeline = pipeline(&company, "");
    customers_and_invoices(&company);
    bank(
        &company,
        "bank-2026-10.csv",
        &[(
            "2026-10-20",
            "DE89 3704 0044 0532 0130 00",
            "Oktober",
            "B1",
            "60.00",
        )],
    );

    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");

    assert_eq!(
        summary.reconciled.partly_matched, 1,
        "{:?}",
        summary.reconciled
    );
    assert_eq!(summary.money_matched["EUR"], "60.00");
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let matches = matches_of(&facts, "B1");
    assert_eq!(
        allocations(&matches),
        [
            ("INV-2026-0001".to_string(), "EUR 19.90".to_string()),
            ("INV-2026-0002".to_string(), "EUR 29.90".to_string()),
            ("INV-2026-0003".to_string(), "EUR 10.20".to_string()),
        ]
    );
    for m in &matches {
        assert_eq!((m.rule.as_str(), m.confidence), ("customer", 90));
        assert_eq!(m.customer_id.as_deref(), Some("C10001"));
        assert!(
            m.explanation.contains(&format!(
                "customer C10001 Ada Lovelace identified (counterparty IBAN {ADA} is on customer C10001's record)"
            )),
            "{}",
            m.explanation
        );
    }
    assert!(
        matches[2]
            .explanation
            .contains("EUR 19.70 of EUR 29.90 stays open")
    );

    let again = run_at(&pipeline, "2026-11-01T03:00:00Z");
    assert_eq!(again.run_id, None, "running again changes nothing");
}

#[test]
fn an_account_that_paid_by_reference_identifies_the_customer_in_a_later_run() {
    let company = Company::new();
    let pipeline = pipeline(&company, "");
    customers_and_invoices(&company);
    bank(
        &company,
        "bank-2026-10-a.csv",
        &[("2026-10-03", UNKNOWN, "INV-2026-0004", "B1", "20.00")],
    );
    run_at(&pipeline, "2026-10-04T02:00:00Z");

    // The next run rebuilds what it knows from the ledger: the account paid Bob's invoice.
    bank(
        &company,
        "bank-2026-10-b.csv",
        &[("2026-10-10", UNKNOWN, "Rest", "B2", "19.90")],
    );
    let summary = run_at(&pipeline, "2026-10-11T02:00:00Z");

    assert_eq!(summary.reconciled.matched, 1, "{:?}", summary.reconciled);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let matches = matches_of(&facts, "B2");
    assert_eq!(
        allocations(&matches),
        [("INV-2026-0004".to_string(), "EUR 19.90".to_string())]
    );
    assert!(
        matches[0].explanation.contains(&format!(
            "counterparty IBAN {UNKNOWN} paid C10002's invoice INV-2026-0004 on 2026-10-03"
        )),
        "{}",
        matches[0].explanation
    );
}

#[test]
fn a_customer_number_in_the_text_identifies_the_customer_and_two_customers_choose_neither() {
    let company = Company::new();
    let pipeline = pipeline(&company, "");
    customers_and_invoices(&company);
    bank(
        &company,
        "bank-2026-10.csv",
        &[
            ("2026-10-20", "", "Kundennr. C10002 Oktober", "B1", "39.90"),
            ("2026-10-20", ADA, "fuer C10002", "B2", "12.34"),
        ],
    );

    run_at(&pipeline, "2026-11-01T02:00:00Z");

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let by_number = matches_of(&facts, "B1");
    assert_eq!(
        allocations(&by_number),
        [("INV-2026-0004".to_string(), "EUR 39.90".to_string())]
    );
    assert!(
        by_number[0]
            .explanation
            .contains("the text names customer number C10002")
    );

    let both = matches_of(&facts, "B2");
    assert_eq!(both.len(), 1);
    assert_eq!(both[0].kind, MatchKind::Unmatched);
    for words in [
        "customer: the payment fits several customers",
        &format!("C10001 Ada Lovelace (counterparty IBAN {ADA} is on customer C10001's record)"),
        "C10002 Bob Byron (the text names customer number C10002)",
        "a person must choose",
    ] {
        assert!(
            both[0].explanation.contains(words),
            "{words}: {}",
            both[0].explanation
        );
    }
}

#[test]
fn a_customer_without_an_open_invoice_gets_credit_only_when_the_pipeline_says_so() {
    let rows = [
        ("2026-10-20", BOB, "", "B1", "39.90"),
        ("2026-10-21", BOB, "Vorauszahlung", "B2", "50.00"),
    ];

    let company = Company::new();
    customers_and_invoices(&company);
    bank(&company, "bank-2026-10.csv", &rows);
    run_at(&pipeline(&company, ""), "2026-11-01T02:00:00Z");
    let facts = company.ledger();
    let waits = matches_of(&facts, "B2");
    assert_eq!(waits.len(), 1);
    assert_eq!(waits[0].kind, MatchKind::Unmatched);
    assert!(
        waits[0].explanation.contains(&format!(
            "customer: customer C10002 Bob Byron (counterparty IBAN {BOB} is on customer C10002's record) has no open invoice in EUR; with reconcile.credit_without_invoice = false"
        )),
        "{}",
        waits[0].explanation
    );

    let company = Company::new();
    customers_and_invoices(&company);
    bank(&company, "bank-2026-10.csv", &rows);
    run_at(
        &pipeline(&company, "credit_without_invoice = true\n"),
        "2026-11-01T02:00:00Z",
    );
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let credit = matches_of(&facts, "B2");
    assert_eq!(credit.len(), 1);
    assert_eq!(credit[0].kind, MatchKind::Credit);
    assert_eq!(credit[0].customer_id.as_deref(), Some("C10002"));
    assert!(
        credit[0]
            .explanation
            .contains("EUR 50.00 kept as their credit")
    );
}

#[test]
fn a_resellers_customer_on_the_ignore_list_is_never_chosen() {
    let company = Company::new();
    let pipeline = pipeline(&company, "partners_ignore = [\"Reseller North\"]\n");
    customers_and_invoices(&company);
    bank(
        &company,
        "bank-2026-10.csv",
        &[("2026-10-20", UNKNOWN, "Kunde C10003", "B1", "9.90")],
    );

    run_at(&pipeline, "2026-11-01T02:00:00Z");

    let facts = company.ledger();
    let matches = matches_of(&facts, "B1");
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0].kind, MatchKind::Unmatched, "{:?}", matches[0]);
    assert!(matches[0].customer_id.is_none());
}

#[test]
fn with_the_rule_off_an_identified_payer_waits_as_before() {
    let company = Company::new();
    let pipeline = pipeline(
        &company,
        "by_customer = false\nby_amount_and_date = false\n",
    );
    customers_and_invoices(&company);
    bank(
        &company,
        "bank-2026-10.csv",
        &[("2026-10-20", ADA, "", "B1", "19.90")],
    );

    run_at(&pipeline, "2026-11-01T02:00:00Z");

    let facts = company.ledger();
    let matches = matches_of(&facts, "B1");
    assert_eq!(matches[0].kind, MatchKind::Unmatched);
    assert_eq!(
        matches[0].explanation,
        "invoice-reference: no invoice number found in the reference fields or the remittance text"
    );
}
