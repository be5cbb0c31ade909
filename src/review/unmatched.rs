//! `sluice unmatched`: every bank line with money that waits for a person, oldest first,
//! with what each rule said and up to three suggestions — the work list after a run.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::suggest::{Suggester, Suggestion};
use crate::ledger::{Facts, current_matches, held_by_person};
use crate::model::{MatchKind, Money};
use crate::pipeline::Pipeline;
use crate::run::Known;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Waiting {
    /// The id `sluice pair`, `unpair` and `explain` take.
    pub bank_line: String,
    pub account: String,
    pub booking_date: NaiveDate,
    /// The line's whole amount, e.g. `"59.90"`, in `currency`.
    pub amount: String,
    /// How much of it waits.
    pub waiting: String,
    pub currency: String,
    pub counterparty: String,
    pub counterparty_account: String,
    pub text: String,
    pub file: String,
    pub line: u64,
    /// What each rule said, or who unpaired it.
    pub reasons: Vec<String>,
    /// A person undid its match: runs leave it to them.
    pub held_by_person: bool,
    pub suggestions: Vec<Suggestion>,
}

pub fn unmatched(pipeline: &Pipeline, facts: &Facts) -> Vec<Waiting> {
    let known = Known::from_facts(facts, &pipeline.reconcile);
    let suggester = Suggester::new(&known.book, known.customers.values().map(|(_, c)| c));
    let mut waiting: HashMap<&str, (Decimal, Vec<String>)> = HashMap::new();
    for row in current_matches(&facts.matches, &facts.decisions) {
        let m = &row.matched;
        if m.kind != MatchKind::Unmatched {
            continue;
        }
        let entry = waiting.entry(m.bank_line_id.as_str()).or_default();
        entry.0 += m.amount.amount;
        if !entry.1.contains(&m.explanation) {
            entry.1.push(m.explanation.clone());
        }
    }
    let held = held_by_person(&facts.decisions);
    let mut out: Vec<Waiting> = facts
        .bank_lines
        .iter()
        .filter(|r| r.applied)
        .filter_map(|r| {
            let line = &r.line;
            let (amount, reasons) = waiting.get(line.id.as_str())?;
            if amount.is_zero() {
                return None;
            }
            let money = Money {
                amount: *amount,
                currency: line.amount.currency,
            };
            Some(Waiting {
                bank_line: line.id.clone(),
                account: line.account.clone(),
                booking_date: line.booking_date,
                amount: line.amount.amount.to_string(),
                waiting: amount.to_string(),
                currency: line.amount.currency.code().to_string(),
                counterparty: line.counterparty.clone(),
                counterparty_account: line.counterparty_account.clone(),
                text: line.text.clone(),
                file: line.lineage.file_name.clone(),
                line: line.lineage.line,
                reasons: reasons.clone(),
                held_by_person: held.contains(line.id.as_str()),
                suggestions: suggester.suggest(
                    money,
                    line.booking_date,
                    &line.counterparty,
                    &line.counterparty_account,
                    &format!("{} {}", line.bank_reference, line.text),
                ),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.booking_date
            .cmp(&b.booking_date)
            .then(a.bank_line.cmp(&b.bank_line))
    });
    out
}
