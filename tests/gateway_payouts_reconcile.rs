//! Gateway exports in a run: each gateway's balance is a clearing account. Payments pay
//! their invoices gross, the gateway's fees are booked as fees, and a payout is checked
//! against the net of the transactions that name it and matched to the bank's credit — so
//! the invoice side and the bank side both close, and a payout that does not add up leaves
//! its difference in the unmatched list.

mod common;

use std::collections::BTreeMap;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, assert_lines_add_up, run_at};
use rust_decimal::Decimal;
use sluice::ledger::Facts;
use sluice::model::MatchKind;

/// The demo's bank and billing sources, and two gateways.
fn pipeline_text() -> String {
    format!(
        r#"{DEMO_SOURCES}
[[sources]]
name = "stripe"
format = "stripe"
files = ["stripe-*.csv"]

[[sources]]
name = "paypal"
format = "paypal"
files = ["paypal-*.csv"]

[[sources]]
name = "braintree"
format = "braintree"
files = ["braintree-*.csv"]
"#
    )
}

fn invoices() -> String {
    format!(
        "{INVOICE_HEADER}\
         INV-2026-0001,C1,Ada Byron,2026-10-01,2026-10-15,100.00,EUR,open\n\
         INV-2026-0002,C2,Alan Turing,2026-10-01,2026-10-15,50.00,EUR,open\n\
         INV-2026-0003,C3,Grace Hopper,2026-10-01,2026-10-15,39.90,EUR,open\n"
    )
}

const STRIPE_HEADER: &str = "automatic_payout_id,automatic_payout_effective_at,balance_transaction_id,created,currency,gross,fee,net,reporting_category,source_id,description,payment_metadata[invoice_number]\n";

/// Two charges paid out together as `po_1`, whose own row says it moved `payout` to the
/// bank (the balance's sign: negative).
fn stripe(payout: &str) -> String {
    format!(
        "{STRIPE_HEADER}\
         po_1,2026-10-09 02:00:00,txn_1,2026-10-02 10:15:31,eur,100.00,3.20,96.80,charge,ch_1,Invoice INV-2026-0001,INV-2026-0001\n\
         po_1,2026-10-09 02:00:00,txn_2,2026-10-03 11:00:00,eur,50.00,1.70,48.30,charge,ch_2,Invoice INV-2026-0002,INV-2026-0002\n\
         po_1,2026-10-09 02:00:00,txn_3,2026-10-09 02:00:00,eur,-{payout},0.00,-{payout},payout,po_1,STRIPE PAYOUT,\n"
    )
}

fn bank(rows: &[(&str, &str, &str)]) -> String {
    let mut text = BANK_HEADER.to_string();
    for (n, (date, amount, remittance)) in rows.iter().enumerate() {
        text.push_str(&format!(
            "{date},{date},Stripe Payments Europe,IE29AIBK93115212345678,{remittance},BANK-{n},{amount},EUR,\n"
        ));
    }
    text
}

fn pipeline(company: &Company) -> sluice::pipeline::Pipeline {
    company.pipeline("archive", &pipeline_text())
}

fn kinds_of(facts: &Facts, line_text: &str) -> Vec<(MatchKind, String)> {
    let ids: Vec<&str> = facts
        .bank_lines
        .iter()
        .filter(|r| r.line.text.contains(line_text))
        .map(|r| r.line.id.as_str())
        .collect();
    facts
        .matches
        .iter()
        .filter(|m| ids.contains(&m.matched.bank_line_id.as_str()))
        .map(|m| (m.matched.kind, m.matched.amount.amount.to_string()))
        .collect()
}

/// What each account's entries add up to.
fn balances(facts: &Facts) -> BTreeMap<String, Decimal> {
    let mut out = BTreeMap::new();
    for r in facts.bank_lines.iter().filter(|r| r.applied) {
        *out.entry(r.line.account.clone()).or_default() += r.line.amount.amount;
    }
    out
}

#[test]
fn a_payout_pays_the_invoices_gross_books_the_fees_and_closes_against_the_bank_credit() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("stripe-2026-10.csv", stripe("145.10"));
    company.drop_file(
        "bank-2026-10-12.csv",
        bank(&[("2026-10-12", "145.10", "STRIPE PAYOUT")]),
    );
    let summary = run_at(&pipeline, "2026-10-13T02:00:00Z");
    assert_eq!(summary.quarantined, vec![]);
    assert_eq!(summary.gateways.transactions, 2);
    assert_eq!(summary.gateways.payouts, 1);
    assert_eq!(summary.gateways.fees["EUR"], "4.90");
    assert_eq!(summary.gateways.payouts_credited, 1);
    assert_eq!(summary.gateways.payouts_with_difference, 0);
    assert_eq!(summary.money_matched["EUR"], "150.00");
    assert_eq!((summary.invoices.paid, summary.invoices.open), (2, 1));

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    // The clearing account is empty again once the payout left; the bank got the net.
    let balances = balances(&facts);
    assert_eq!(balances["Stripe EUR"], Decimal::ZERO);
    assert_eq!(balances["DE89370400440532013000"].to_string(), "145.10");
    assert_eq!(
        kinds_of(&facts, "Stripe fee"),
        [
            (MatchKind::Fee, "-3.20".to_string()),
            (MatchKind::Fee, "-1.70".to_string())
        ]
    );
    assert_eq!(
        kinds_of(&facts, "Stripe payout po_1"),
        [(MatchKind::Payout, "-145.10".to_string())]
    );
    let credit = facts
        .matches
        .iter()
        .find(|m| m.matched.kind == MatchKind::Payout && !m.matched.amount.is_negative())
        .expect("the bank credit is matched to the payout");
    assert_eq!(credit.matched.document.as_deref(), Some("stripe:po_1"));
    assert_eq!(
        credit.matched.explanation,
        "Stripe payout po_1 of EUR 145.10 on 2026-10-09: the money Stripe collected, less its fees, reached the bank"
    );
}

#[test]
fn a_payout_its_transactions_do_not_add_up_to_leaves_the_difference_unmatched() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("stripe-2026-10.csv", stripe("150.00"));
    let summary = run_at(&pipeline, "2026-10-10T02:00:00Z");
    assert_eq!(summary.gateways.payouts_with_difference, 1);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(
        kinds_of(&facts, "Stripe payout po_1"),
        [
            (MatchKind::Payout, "-145.10".to_string()),
            (MatchKind::Unmatched, "-4.90".to_string())
        ]
    );
    let unmatched = facts
        .matches
        .iter()
        .find(|m| m.matched.kind == MatchKind::Unmatched)
        .unwrap();
    assert!(
        unmatched.matched.explanation.starts_with(
            "Stripe payout po_1 is EUR 150.00, but the payments and fees that name it net EUR 145.10: EUR 4.90 is unexplained"
        ),
        "{}",
        unmatched.matched.explanation
    );

    // The bank's credit, in a later run, still finds the payout it is.
    company.drop_file(
        "bank-2026-10-12.csv",
        bank(&[("2026-10-12", "150.00", "STRIPE PAYOUT")]),
    );
    let summary = run_at(&pipeline, "2026-10-13T02:00:00Z");
    assert_eq!(summary.gateways.payouts_credited, 1);
    assert_eq!(summary.reconciled.matched, 1);
}

#[test]
fn a_credit_is_a_payout_only_within_days_of_it_and_only_when_one_payout_fits() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("stripe-2026-10.csv", stripe("145.10"));
    company.drop_file(
        "bank-2026-10.csv",
        bank(&[
            // A month later: not the payout, whatever the amount.
            ("2026-11-09", "145.10", "STRIPE PAYOUT"),
            // Another amount: not the payout.
            ("2026-10-12", "145.11", "STRIPE PAYOUT"),
        ]),
    );
    let summary = run_at(&pipeline, "2026-11-10T02:00:00Z");
    assert_eq!(summary.gateways.payouts_credited, 0);
    assert_eq!(summary.reconciled.unmatched, 2);

    // The right credit later: it is taken, once; the same amount again is not.
    company.drop_file(
        "bank-2026-10-b.csv",
        bank(&[
            ("2026-10-10", "145.10", "STRIPE PAYOUT"),
            ("2026-10-11", "145.10", "STRIPE PAYOUT"),
        ]),
    );
    let summary = run_at(&pipeline, "2026-11-11T02:00:00Z");
    assert_eq!(summary.gateways.payouts_credited, 1);
    assert_eq!(summary.reconciled.unmatched, 1);
}

#[test]
fn the_same_export_again_changes_nothing() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("stripe-2026-10.csv", stripe("145.10"));
    run_at(&pipeline, "2026-10-10T02:00:00Z");
    let before = company.ledger();
    // Downloaded again, with other line endings: another file, the same rows.
    company.drop_file(
        "stripe-2026-10-again.csv",
        stripe("145.10").replace('\n', "\r\n"),
    );
    let summary = run_at(&pipeline, "2026-10-11T02:00:00Z");
    assert_eq!(summary.bank_lines.new, 0);
    assert_eq!(summary.bank_lines.skipped_as_seen_before, 5);
    let after = company.ledger();
    assert_eq!(after.matches, before.matches);
    assert_eq!(balances(&after), balances(&before));
}

#[test]
fn a_paypal_withdrawal_is_a_payout_without_a_list_of_its_payments() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    let header = "\u{feff}\"Date\",\"Time\",\"TimeZone\",\"Name\",\"Type\",\"Status\",\"Currency\",\"Gross\",\"Fee\",\"Net\",\"From Email Address\",\"To Email Address\",\"Transaction ID\",\"Reference Txn ID\",\"Invoice Number\",\"Custom Number\",\"Balance\",\"Subject\",\"Balance Impact\"\n";
    let paypal = format!(
        "{header}\
         \"02/10/2026\",\"08:14:09\",\"CEST\",\"Grace Hopper\",\"Express Checkout Payment\",\"Completed\",\"EUR\",\"39.90\",\"-1.34\",\"38.56\",\"grace@example.net\",\"paypal@acme.example\",\"7019TX1\",\"\",\"INV-2026-0003\",\"C3\",\"38.56\",\"Invoice INV-2026-0003\",\"Credit\"\n\
         \"15/10/2026\",\"06:00:03\",\"CEST\",\"Bank Account\",\"General Withdrawal\",\"Completed\",\"EUR\",\"-38.56\",\"0.00\",\"-38.56\",\"paypal@acme.example\",\"\",\"7089TX2\",\"\",\"\",\"\",\"0.00\",\"\",\"Debit\"\n"
    );
    company.drop_file("paypal-2026-10.csv", paypal);
    company.drop_file(
        "bank-2026-10-16.csv",
        bank(&[("2026-10-16", "38.56", "PAYPAL EUROPE S.A.R.L. ET CIE")]),
    );
    let summary = run_at(&pipeline, "2026-10-17T02:00:00Z");
    assert_eq!(summary.quarantined, vec![]);
    assert_eq!(summary.gateways.payouts_credited, 1);
    assert_eq!(summary.gateways.fees["EUR"], "1.34");
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(balances(&facts)["PayPal EUR"], Decimal::ZERO);
    assert_eq!(summary.invoices.paid, 1);
}

#[test]
fn money_is_placed_in_the_order_it_moved_whichever_file_told_of_it() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    // Stripe's export is read before the bank's file, but the bank's transfer of the 1st
    // came first; Stripe's charge of the 2nd for the same invoice is then the customer's
    // credit.
    company.drop_file("stripe-2026-10.csv", stripe("145.10"));
    company.drop_file(
        "bank-2026-10-01.csv",
        bank(&[("2026-10-01", "100.00", "INV-2026-0001")]),
    );
    run_at(&pipeline, "2026-10-13T02:00:00Z");
    let facts = company.ledger();
    let paid_by: Vec<&str> = facts
        .matches
        .iter()
        .filter(|m| {
            m.matched.kind == MatchKind::Allocation
                && m.matched.document.as_deref() == Some("INV-2026-0001")
        })
        .map(|m| m.matched.bank_line_id.as_str())
        .collect();
    let bank_line = facts
        .bank_lines
        .iter()
        .find(|r| r.line.text == "INV-2026-0001")
        .unwrap();
    assert_eq!(paid_by, [bank_line.line.id.as_str()]);
    assert!(
        facts
            .matches
            .iter()
            .any(|m| m.matched.kind == MatchKind::Credit
                && m.matched.amount.amount.to_string() == "100.00"),
        "Stripe's payment of the paid invoice is the customer's credit"
    );
}

const BRAINTREE_HEADER: &str = "Transaction ID,Transaction Type,Transaction Status,Created Datetime,Settlement Date,Disbursement Date,Merchant Account,Currency ISO Code,Amount Submitted For Settlement,Order ID,Customer ID\n";

/// Two sales disbursed on 10/05, and on 10/15 a sale less a refund; a sale still settling
/// has no disbursement yet.
fn braintree() -> String {
    format!(
        "{BRAINTREE_HEADER}\
         bt1,sale,settled,10/02/2026 09:12:44,10/02/2026 23:03:11,10/05/2026,acmeEUR,EUR,100.00,INV-2026-0001,C1\n\
         bt2,sale,settled,10/03/2026 14:40:02,10/03/2026 23:02:57,10/05/2026,acmeEUR,EUR,50.00,INV-2026-0002,C2\n\
         bt3,sale,settled,10/13/2026 08:30:19,10/13/2026 23:04:40,10/15/2026,acmeEUR,EUR,39.90,INV-2026-0003,C3\n\
         bt4,credit,settled,10/14/2026 10:15:00,10/14/2026 23:01:12,10/15/2026,acmeEUR,EUR,10.00,,C3\n\
         bt5,sale,submitted_for_settlement,10/31/2026 21:58:30,,,acmeEUR,EUR,20.00,INV-2026-0009,C9\n"
    )
}

fn braintree_bank(rows: &[(&str, &str)]) -> String {
    let mut text = BANK_HEADER.to_string();
    for (n, (date, amount)) in rows.iter().enumerate() {
        text.push_str(&format!(
            "{date},{date},BRAINTREE,LU89751000135104200E,BRAINTREE DISBURSEMENT,BT-{n},{amount},EUR,\n"
        ));
    }
    text
}

#[test]
fn a_braintree_disbursement_is_the_net_of_the_transactions_disbursed_that_day() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("braintree-2026-10.csv", braintree());
    company.drop_file(
        "bank-2026-10.csv",
        braintree_bank(&[("2026-10-06", "150.00"), ("2026-10-16", "29.90")]),
    );
    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");
    assert_eq!(summary.quarantined, vec![]);
    assert_eq!(summary.gateways.transactions, 4);
    assert_eq!(summary.gateways.not_settled, 1);
    assert_eq!(summary.gateways.payouts, 0);
    assert_eq!(summary.gateways.payouts_credited, 2);
    assert_eq!(summary.gateways.payouts_implied, 2);
    assert_eq!(summary.gateways.payouts_with_difference, 0);
    assert_eq!(summary.invoices.paid, 3);

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    // Each disbursement left the clearing account as the bank received it.
    let balances = balances(&facts);
    assert_eq!(balances["Braintree EUR"], Decimal::ZERO);
    assert_eq!(balances["DE89370400440532013000"].to_string(), "179.90");
    let credit = facts
        .matches
        .iter()
        .find(|m| {
            m.matched.kind == MatchKind::Payout && m.matched.amount.amount.to_string() == "29.90"
        })
        .expect("the second credit is the disbursement of 10/15");
    assert_eq!(
        credit.matched.document.as_deref(),
        Some("braintree:acmeEUR/2026-10-15")
    );
    assert_eq!(
        credit.matched.explanation,
        "Braintree disbursement acmeEUR/2026-10-15 of EUR 29.90 on 2026-10-15: the net of the settled Braintree transactions disbursed that day reached the bank"
    );
    let entry = facts
        .bank_lines
        .iter()
        .find(|r| {
            r.line.account == "Braintree EUR"
                && r.line.amount.is_negative()
                && r.line.text.contains("2026-10-15")
        })
        .expect("the disbursement's entry on the clearing account");
    assert_eq!(entry.line.amount.amount.to_string(), "-29.90");
    assert_eq!(entry.line.booking_date.to_string(), "2026-10-15");
    assert_eq!(entry.line.lineage.file_name, "bank-2026-10.csv");
    assert_eq!(
        kinds_of(&facts, "disbursement acmeEUR/2026-10-15"),
        [(MatchKind::Payout, "-29.90".to_string())]
    );

    // The same files again, and an export overlapping the first: nothing changes.
    let before = company.ledger();
    company.drop_file(
        "braintree-2026-10-again.csv",
        braintree().replace('\n', "\r\n"),
    );
    let summary = run_at(&pipeline, "2026-11-02T02:00:00Z");
    assert_eq!(summary.bank_lines.new, 0);
    assert_eq!(summary.gateways.payouts_implied, 0);
    let after = company.ledger();
    assert_eq!(after.matches, before.matches);
}

#[test]
fn a_braintree_credit_net_of_fees_the_export_does_not_show_waits_for_a_person() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("braintree-2026-10.csv", braintree());
    // Braintree took its fees from the disbursement: 150.00 less 4.35 reached the bank.
    company.drop_file(
        "bank-2026-10.csv",
        braintree_bank(&[("2026-10-06", "145.65")]),
    );
    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");
    assert_eq!(summary.gateways.payouts_credited, 0);
    assert_eq!(summary.reconciled.unmatched, 1);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(balances(&facts)["Braintree EUR"].to_string(), "179.90");
}

#[test]
fn a_braintree_disbursement_is_credited_in_a_later_run_than_its_transactions() {
    let company = Company::new();
    let pipeline = pipeline(&company);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("braintree-2026-10.csv", braintree());
    run_at(&pipeline, "2026-10-20T02:00:00Z");
    company.drop_file(
        "bank-2026-10.csv",
        braintree_bank(&[("2026-10-07", "150.00")]),
    );
    let summary = run_at(&pipeline, "2026-11-01T02:00:00Z");
    assert_eq!(summary.gateways.payouts_credited, 1);
    assert_eq!(summary.gateways.payouts_implied, 1);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    // What is left on the clearing account is the disbursement of 10/15 the bank has not
    // shown yet.
    assert_eq!(balances(&facts)["Braintree EUR"].to_string(), "29.90");
}
