//! A plain-text journal for auditors: the facts of one run as double-entry transactions,
//! written for hledger (`journal.hledger`) or beancount (`journal.beancount`), each a
//! complete file its tool checks on its own (`hledger check --strict`, `bean-check`).
//!
//! What becomes a transaction, the same for both tools:
//! - a document version the run wrote: an invoice debits what the customer owes and credits
//!   revenue per billing category and VAT per rate; a credit note (negative) the reverse. A
//!   changed document first reverses the version it replaces, on the day of the run.
//! - every bank line of the run (gateway entries included): its money on the bank's (or the
//!   gateway's) account, against the account of each match — so each account's balance in
//!   the journal is the sum of its statement entries.
//! - every change the run made to earlier lines' money (a retry placed what waited; a
//!   status report took a collection back), on the day of the run.
//!
//! Transactions are built once ([`Entry`]) and only written differently, so the two files
//! always say the same thing. Amounts are exact decimals in the currency's own places, each
//! transaction balances exactly per currency, and the order is fixed (date, then kind, then
//! a stable key), so the same facts give the same bytes.

pub mod accounts;
mod bank;
mod beancount;
mod documents;
mod hledger;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{RenderedFile, RunFacts};
use crate::model::{Currency, Money};
use crate::pipeline::{Platform, Target};

pub use accounts::{Accounts, AccountsSection};

/// One transaction, before it is written in a tool's syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub date: NaiveDate,
    /// Among entries of one date: documents, then bank lines, then corrections.
    pub order: Order,
    /// What makes the entry's place stable among those of its date and order.
    pub key: String,
    pub payee: String,
    pub narration: String,
    /// Lineage: what an auditor follows back to the input (`bank_line`, `source_file` …).
    pub meta: Vec<(&'static str, String)>,
    pub postings: Vec<Posting>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Order {
    /// Invoices and credit notes issued that day come before the money that pays them.
    Document,
    BankLine,
    /// What a run changed of earlier facts.
    Correction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub account: String,
    pub amount: Money,
    pub meta: Vec<(&'static str, String)>,
}

impl Posting {
    pub fn new(account: String, amount: Money) -> Posting {
        Posting {
            account,
            amount,
            meta: Vec::new(),
        }
    }
}

impl Entry {
    /// Books what does not balance, per currency, to `account`: the rounding cents of a
    /// document, the part of a bank line no match accounts for. Nothing when it balances.
    fn balance_to(&mut self, account: &str, meta: Vec<(&'static str, String)>) {
        let mut rest: BTreeMap<_, Decimal> = BTreeMap::new();
        for p in &self.postings {
            *rest.entry(p.amount.currency).or_default() += p.amount.amount;
        }
        for (currency, amount) in rest {
            if !amount.is_zero() {
                self.postings.push(Posting {
                    account: account.to_string(),
                    amount: Money {
                        amount: -amount,
                        currency,
                    },
                    meta: meta.clone(),
                });
            }
        }
    }
}

/// The journal file of one run for a hledger or beancount target; nothing when the run
/// committed nothing a journal books (customers alone, say).
pub fn render(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let entries = entries(&target.accounts, facts);
    if entries.is_empty() {
        return Vec::new();
    }
    let (name, text) = match target.platform {
        Platform::Beancount => ("journal.beancount", beancount::write(&entries)),
        _ => ("journal.hledger", hledger::write(&entries)),
    };
    vec![RenderedFile {
        name: name.to_string(),
        bytes: text.into_bytes(),
        records: entries.len() as u64,
        totals: debit_totals(&entries),
    }]
}

/// Every transaction of the run, in journal order.
pub fn entries(accounts: &Accounts, facts: &RunFacts<'_>) -> Vec<Entry> {
    let mut entries = documents::entries(accounts, facts);
    entries.extend(bank::line_entries(accounts, facts));
    entries.extend(bank::correction_entries(accounts, facts));
    for entry in &mut entries {
        entry.postings.retain(|p| !p.amount.is_zero());
    }
    entries.retain(|e| !e.postings.is_empty());
    entries.sort_by(|a, b| (a.date, a.order, &a.key).cmp(&(b.date, b.order, &b.key)));
    entries
}

/// A journal's control total: the sum of its debits per currency (its credits are the
/// same, as every transaction balances). This is what the manifest states as totals.
fn debit_totals(entries: &[Entry]) -> BTreeMap<String, Decimal> {
    let mut totals = BTreeMap::new();
    for p in entries.iter().flat_map(|e| &e.postings) {
        if p.amount.amount.is_sign_positive() {
            *totals
                .entry(p.amount.currency.code().to_string())
                .or_default() += p.amount.amount;
        }
    }
    totals
}

/// The accounts, currencies and payees a journal uses, sorted: what each tool wants
/// declared before use.
struct Declarations<'a> {
    accounts: BTreeSet<&'a str>,
    currencies: BTreeMap<&'a str, Currency>,
    payees: BTreeSet<&'a str>,
    first_date: Option<NaiveDate>,
}

impl<'a> Declarations<'a> {
    fn of(entries: &'a [Entry]) -> Declarations<'a> {
        let mut d = Declarations {
            accounts: BTreeSet::new(),
            currencies: BTreeMap::new(),
            payees: BTreeSet::new(),
            first_date: entries.iter().map(|e| e.date).min(),
        };
        for e in entries {
            d.payees.insert(&e.payee);
            for p in &e.postings {
                d.accounts.insert(&p.account);
                d.currencies
                    .insert(p.amount.currency.code(), p.amount.currency);
            }
        }
        d
    }
}

/// Each posting as `account  amount CUR`, the accounts padded and the amounts aligned on
/// their right within the entry (both tools read any spacing of two spaces or more).
fn aligned_postings(entry: &Entry) -> Vec<String> {
    let width = entry
        .postings
        .iter()
        .map(|p| p.account.chars().count())
        .max()
        .unwrap_or(0);
    let amounts: Vec<String> = entry
        .postings
        .iter()
        .map(|p| p.amount.amount.to_string())
        .collect();
    let amount_width = amounts.iter().map(String::len).max().unwrap_or(0);
    entry
        .postings
        .iter()
        .zip(&amounts)
        .map(|(posting, amount)| {
            let pad = width - posting.account.chars().count();
            format!(
                "{}{}  {amount:>amount_width$} {}",
                posting.account,
                " ".repeat(pad),
                posting.amount.currency.code()
            )
        })
        .collect()
}

/// Text from data on one line: line breaks and tabs become spaces, runs of spaces one.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
