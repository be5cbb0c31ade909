//! Every bank line's money is in the journal: after the demo's run, each bank account's and
//! each gateway balance's postings in the journal add up to the applied statement entries of
//! that account in the ledger, and every transaction of the journal balances.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::str::FromStr;

use rust_decimal::Decimal;
use sluice::ledger::Ledger;
use sluice::pipeline;
use sluice::targets::journal::Accounts;

const RUN_AT: &str = "2026-11-01T02:00:00Z";
const BATCH: &str = "20261101T020000Z-000001";

/// Account → sum of its postings, read from a journal sluice wrote for hledger (one
/// posting per line, `    Account  amount CUR`); panics on a transaction that does not
/// balance.
fn balances(journal: &str) -> BTreeMap<String, Decimal> {
    let mut sums = BTreeMap::new();
    let mut transaction = Decimal::ZERO;
    for line in journal.lines() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            assert!(
                transaction.is_zero(),
                "a transaction before {line:?} does not balance"
            );
        }
        let Some(posting) = line
            .strip_prefix("    ")
            .filter(|l| !l.trim_start().starts_with(';'))
        else {
            continue;
        };
        let parts: Vec<&str> = posting.split_whitespace().collect();
        let [account, amount, "EUR"] = parts[..] else {
            panic!("not a posting: {line:?}");
        };
        let amount = Decimal::from_str(amount).expect("an amount");
        transaction += amount;
        *sums.entry(account.to_string()).or_default() += amount;
    }
    assert!(
        transaction.is_zero(),
        "the last transaction does not balance"
    );
    sums
}

#[test]
fn each_accounts_balance_in_the_journal_is_the_sum_of_its_statement_entries() {
    let demo = common::demo_copy();
    let pipeline =
        pipeline::load(&demo.path().join("pipelines/demo.toml")).expect("demo pipeline is valid");
    common::run_at(&pipeline, RUN_AT);
    let journal = fs::read_to_string(
        demo.path()
            .join("outbox/demo/audit-hledger")
            .join(BATCH)
            .join("journal.hledger"),
    )
    .expect("journal");
    let in_journal = balances(&journal);

    let accounts = Accounts::default();
    let mut in_statements: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in Ledger::new(&pipeline.ledger)
        .load()
        .expect("ledger")
        .bank_lines
        .iter()
        .filter(|r| r.applied)
    {
        let account = match &row.line.info.gateway {
            Some(entry) => accounts.clearing_of(entry.gateway.name()),
            None => accounts.bank_of(&row.line.account),
        };
        *in_statements.entry(account).or_default() += row.line.amount.amount;
    }
    assert_eq!(in_statements.len(), 4, "{in_statements:?}");
    for (account, sum) in &in_statements {
        assert_eq!(in_journal.get(account), Some(sum), "{account}");
    }
}
