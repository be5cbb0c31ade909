//! Money as journal transactions: each bank line of the run on its bank's (or gateway's)
//! account against the accounts of its matches, and each change the run made to the
//! matches of earlier runs' lines.
//!
//! A match of amount `a` is always booked as `-a` on the account its kind stands for (see
//! [`account_of`]), so the signs follow by themselves: money in (`+`) credits the receivable
//! it pays, a return (`-`) debits it again, a gateway fee (`-` on the gateway's balance)
//! debits the fee expense. Since a line's matches add up to its amount, the transaction
//! balances; should they not, what is left goes to the unmatched account, so the bank's
//! balance in the journal is the statement's sum whatever the matches say.

use std::collections::BTreeMap;

use super::accounts::Accounts;
use super::{Entry, Order, Posting, one_line};
use crate::model::{BankLine, Match, MatchKind};
use crate::targets::RunFacts;

/// The account a match's money is booked to.
pub fn account_of(accounts: &Accounts, kind: MatchKind) -> &str {
    match kind {
        MatchKind::Allocation | MatchKind::Reversal => &accounts.receivable,
        MatchKind::Credit => &accounts.customer_credit,
        MatchKind::Outgoing => &accounts.outgoing,
        MatchKind::Returned => &accounts.returned,
        MatchKind::Fee => &accounts.fees,
        MatchKind::Payout => &accounts.in_transit,
        MatchKind::Difference => &accounts.difference,
        // `targets::render` leaves out lines whose money is all of ignored customers; a
        // part of a line that is (never written so far) waits like unplaced money.
        MatchKind::Unmatched | MatchKind::Ignored => &accounts.unmatched,
    }
}

/// The posting that books a match, with what it is and why as metadata.
pub fn posting_of(accounts: &Accounts, m: &Match) -> Posting {
    let mut meta = vec![("kind", m.kind.as_str().to_string())];
    if !m.rule.is_empty() {
        meta.push(("rule", m.rule.clone()));
    }
    if let Some(document) = m.document.as_deref().filter(|d| !d.is_empty()) {
        let key = match m.kind {
            MatchKind::Payout => "payout",
            _ => "invoice",
        };
        meta.push((key, document.to_string()));
    }
    if let Some(customer) = m.customer_id.as_deref().filter(|c| !c.is_empty()) {
        meta.push(("customer", customer.to_string()));
    }
    if !m.end_to_end_id.is_empty() {
        meta.push(("end_to_end_id", m.end_to_end_id.clone()));
    }
    if m.kind == MatchKind::Difference && !m.account.is_empty() {
        meta.push(("tolerance_account", m.account.clone()));
    }
    Posting {
        account: account_of(accounts, m.kind).to_string(),
        amount: -m.amount,
        meta,
    }
}

/// The account a bank line's money is on: its gateway's balance, or its bank account.
fn money_account(accounts: &Accounts, line: &BankLine) -> String {
    match &line.info.gateway {
        Some(entry) => accounts.clearing_of(entry.gateway.name()),
        None => accounts.bank_of(&line.account),
    }
}

pub fn line_entries(accounts: &Accounts, facts: &RunFacts<'_>) -> Vec<Entry> {
    let mut by_line: BTreeMap<&str, Vec<&Match>> = BTreeMap::new();
    for m in facts.matches {
        by_line.entry(m.bank_line_id.as_str()).or_default().push(m);
    }
    facts
        .bank_lines
        .iter()
        .map(|line| {
            let matches = by_line.get(line.id.as_str()).map(Vec::as_slice);
            line_entry(accounts, line, matches.unwrap_or_default())
        })
        .collect()
}

pub fn line_entry(accounts: &Accounts, line: &BankLine, matches: &[&Match]) -> Entry {
    let mut meta = vec![
        ("bank_line", line.id.clone()),
        ("source_file", line.lineage.file_name.clone()),
        ("source_line", line.lineage.line.to_string()),
    ];
    if !line.account.is_empty() {
        meta.push(("bank_account", line.account.clone()));
    }
    if !line.bank_reference.trim().is_empty() {
        meta.push(("bank_reference", line.bank_reference.trim().to_string()));
    }
    if let Some(gateway) = &line.info.gateway {
        meta.push(("gateway", gateway.gateway.as_str().to_string()));
        meta.push(("gateway_id", gateway.transaction_id.clone()));
    }
    let payee = one_line(&line.counterparty);
    let narration = [&line.text, &line.bank_reference]
        .into_iter()
        .map(|t| one_line(t))
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| "Bank entry".to_string());
    let mut entry = Entry {
        date: line.booking_date,
        order: Order::BankLine,
        key: format!(
            "{}\u{0}{:012}\u{0}{}",
            line.lineage.file_name, line.lineage.line, line.id
        ),
        payee: if payee.is_empty() {
            "No counterparty given".to_string()
        } else {
            payee
        },
        narration,
        meta,
        postings: vec![Posting::new(money_account(accounts, line), line.amount)],
    };
    entry
        .postings
        .extend(matches.iter().map(|m| posting_of(accounts, m)));
    entry.balance_to(
        &accounts.unmatched,
        vec![("kind", "not placed by any match".to_string())],
    );
    entry
}

/// What the run changed of earlier lines' money, one transaction per line: the matches it
/// withdrew are booked back, the new ones booked. A retry moves money from the unmatched
/// account to the invoices it pays; a rejected collection reopens its invoice and owes the
/// money back to the debtor. The bank's balance does not move: the money was booked when
/// its line was.
pub fn correction_entries(accounts: &Accounts, facts: &RunFacts<'_>) -> Vec<Entry> {
    let mut by_line: BTreeMap<&str, (Vec<&Match>, Vec<&Match>)> = BTreeMap::new();
    for m in facts.withdrawn {
        by_line.entry(&m.bank_line_id).or_default().0.push(m);
    }
    for m in facts.rematched {
        by_line.entry(&m.bank_line_id).or_default().1.push(m);
    }
    by_line
        .into_iter()
        .map(|(id, (withdrawn, placed))| {
            let narration = if withdrawn.is_empty() {
                format!("Bank line {id} of an earlier run: money taken back")
            } else {
                format!("Bank line {id} of an earlier run: waiting money placed on retry")
            };
            let mut postings: Vec<Posting> = withdrawn
                .iter()
                .map(|m| {
                    let mut p = posting_of(accounts, m);
                    p.amount = -p.amount;
                    p.meta.insert(0, ("withdrawn", "yes".to_string()));
                    p
                })
                .collect();
            postings.extend(placed.iter().map(|m| posting_of(accounts, m)));
            let mut entry = Entry {
                date: facts.date,
                order: Order::Correction,
                key: id.to_string(),
                payee: "sluice".to_string(),
                narration,
                meta: vec![("bank_line", id.to_string())],
                postings,
            };
            entry.balance_to(
                &accounts.unmatched,
                vec![("kind", "not placed by any match".to_string())],
            );
            entry
        })
        .collect()
}
