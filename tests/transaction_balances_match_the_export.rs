//! The check: a customer balance computed from the ledger equals the balance
//! computed straight from the billing system's transaction export. The test sums the
//! sample's CSV itself (credit − debit per customer, with the `csv` crate and exact
//! decimals), runs a pipeline over it, and compares with `ledger::balances` for every
//! customer. A re-export with one corrected transaction makes one new version and moves
//! exactly that customer's balance; a rerun changes nothing; and for any random debit and
//! credit rows, the ledger's balance is the direct sum.

mod common;

use std::collections::BTreeMap;
use std::str::FromStr;

use common::{
    Company, TRANSACTION_HEADER, TRANSACTION_SOURCE, csv_text, journal_count, run_at,
    transactions_sample,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use sluice::ledger;

/// credit − debit per customer, read from the export's text alone.
fn direct_balances(text: &[u8]) -> BTreeMap<String, Decimal> {
    let mut reader = csv::Reader::from_reader(text);
    let headers = reader.headers().expect("a header").clone();
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (customer, debit, credit) = (at("Customer ID"), at("Debit"), at("Credit"));
    let amount = |s: &str| {
        if s.is_empty() {
            Decimal::ZERO
        } else {
            Decimal::from_str(s).expect("a decimal")
        }
    };
    let mut balances = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("a row");
        *balances
            .entry(record[customer].to_string())
            .or_insert(Decimal::ZERO) += amount(&record[credit]) - amount(&record[debit]);
    }
    balances
}

/// The ledger's balance of each customer, in EUR.
fn ledger_balances(company: &Company) -> BTreeMap<String, Decimal> {
    ledger::balances(&company.ledger().transactions)
        .into_iter()
        .map(|b| {
            assert_eq!(b.balances.len(), 1, "{b:?}");
            let (currency, amount) = b.balances.into_iter().next().expect("one currency");
            assert_eq!(currency.code(), "EUR");
            (b.customer_id, amount)
        })
        .collect()
}

#[test]
fn every_customers_balance_from_the_ledger_equals_the_sum_of_the_export() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", TRANSACTION_SOURCE);
    let sample = transactions_sample();
    company.drop_file("transactions-2026-10.csv", &sample);
    let summary = run_at(&pipeline, "2026-10-31T22:00:00Z");
    assert_eq!(summary.transactions.new, 290);
    assert_eq!(
        summary.transactions.updated + summary.transactions.unchanged,
        0
    );

    let expected = direct_balances(&sample);
    assert!(
        expected.len() > 250,
        "the sample has most of the demo's customers"
    );
    assert_eq!(ledger_balances(&company), expected);
    // The sample's story, by hand: C10281's credit note was paid back, C10005 got a
    // goodwill correction on an open invoice, C10251 paid.
    assert_eq!(expected["C10281"], Decimal::ZERO);
    assert_eq!(expected["C10251"], Decimal::ZERO);
    assert!(expected["C10005"] < Decimal::ZERO);
}

#[test]
fn a_corrected_transaction_is_a_new_version_and_moves_only_its_customers_balance() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", TRANSACTION_SOURCE);
    let sample = String::from_utf8(transactions_sample()).expect("UTF-8");
    company.drop_file("transactions-2026-10.csv", &sample);
    run_at(&pipeline, "2026-10-31T22:00:00Z");
    let before = ledger_balances(&company);

    // The billing system corrected one charge from 59.90 to 49.90 and exported everything
    // again.
    let corrected = sample.replacen(
        "TX-2026-00001,C10001,2026-10-01,Charge,59.90,",
        "TX-2026-00001,C10001,2026-10-01,Charge,49.90,",
        1,
    );
    assert_ne!(corrected, sample);
    company.drop_file("transactions-2026-10-reexport.csv", &corrected);
    let summary = run_at(&pipeline, "2026-11-01T22:00:00Z");
    assert_eq!(summary.transactions.new, 0);
    assert_eq!(summary.transactions.updated, 1);
    assert_eq!(summary.transactions.unchanged, 289);

    let facts = company.ledger();
    let versions: Vec<i64> = facts
        .transactions
        .iter()
        .filter(|r| r.transaction.id == "TX-2026-00001")
        .map(|r| r.version)
        .collect();
    assert_eq!(versions, [1, 2], "the first version stays in the history");

    let after = ledger_balances(&company);
    assert_eq!(after, direct_balances(corrected.as_bytes()));
    for (customer, balance) in &after {
        if customer == "C10001" {
            assert_eq!(*balance - before[customer], Decimal::new(1000, 2));
        } else {
            assert_eq!(balance, &before[customer], "{customer} moved");
        }
    }
}

#[test]
fn a_rerun_over_the_same_export_is_a_no_op() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", TRANSACTION_SOURCE);
    company.drop_file("transactions-2026-10.csv", transactions_sample());
    run_at(&pipeline, "2026-10-31T22:00:00Z");
    let facts = company.ledger();

    let summary = run_at(&pipeline, "2026-11-01T22:00:00Z");
    assert_eq!(summary.run_id, None, "nothing new to commit");
    assert_eq!(journal_count(&company), 1);
    assert_eq!(company.ledger(), facts);

    // The same export under another name: every transaction is unchanged, none written.
    company.drop_file("transactions-2026-10-copy.csv", transactions_sample());
    let summary = run_at(&pipeline, "2026-11-02T22:00:00Z");
    assert_eq!(summary.transactions.unchanged + summary.transactions.new, 0);
    assert_eq!(company.ledger().transactions, facts.transactions);
}

/// One random row: customer, debit or credit in cents.
fn row() -> impl Strategy<Value = (u8, bool, i64)> {
    (0u8..6, any::<bool>(), 0i64..10_000_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_ledger_balance_of_random_rows_is_their_direct_sum(
        rows in prop::collection::vec(row(), 1..40)
    ) {
        let company = Company::new();
        let pipeline = company.pipeline("archive", TRANSACTION_SOURCE);
        let records: Vec<Vec<String>> = rows
            .iter()
            .enumerate()
            .map(|(i, (customer, is_debit, cents))| {
                let amount = Decimal::new(*cents, 2).to_string();
                let (debit, credit) = if *is_debit {
                    (amount, String::new())
                } else {
                    (String::new(), amount)
                };
                vec![
                    format!("TX-{i}"),
                    format!("C{customer}"),
                    "2026-10-01".to_string(),
                    if *is_debit { "Charge" } else { "Payment" }.to_string(),
                    debit,
                    credit,
                    "EUR".to_string(),
                    "random".to_string(),
                    String::new(),
                    String::new(),
                ]
            })
            .collect();
        let text = csv_text(TRANSACTION_HEADER, &records);
        company.drop_file("transactions-random.csv", &text);
        run_at(&pipeline, "2026-10-31T22:00:00Z");
        prop_assert_eq!(ledger_balances(&company), direct_balances(text.as_bytes()));
    }
}
