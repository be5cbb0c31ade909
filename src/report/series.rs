//! The two charts' numbers, day by day over the scope: money in by booking date, and the
//! unmatched backlog — the money of lines booked so far that no match places, as it stood at
//! the end of each day.
//!
//! A run reconciles a line as of its booking date (that is when the money was there to be
//! placed); a later decision (a run's retry, a person's pair or unpair) changes the line's
//! matches from the day it was taken. So the backlog falls on the day a person paired a line,
//! and rises again on the day one was unpaired.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Scope;
use crate::ledger::{BankLineRow, DecisionRow, Facts, MatchRow, current_matches};
use crate::model::{Currency, MatchKind};

/// One value per day, every day from `first` on, none left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailySeries {
    pub currency: Currency,
    pub first: NaiveDate,
    pub values: Vec<Decimal>,
}

impl DailySeries {
    pub fn days(&self) -> impl Iterator<Item = (NaiveDate, Decimal)> + '_ {
        self.first.iter_days().zip(self.values.iter().copied())
    }
}

/// The daily cash-in and the unmatched backlog, one series per currency each.
pub fn daily(
    lines: &[&BankLineRow],
    facts: &Facts,
    scope: &Scope,
) -> (Vec<DailySeries>, Vec<DailySeries>) {
    let timelines = unmatched_timelines(lines, facts);
    let mut dates = lines.iter().map(|r| r.line.booking_date).chain(
        timelines
            .iter()
            .flat_map(|(_, events)| events.iter().map(|e| e.0)),
    );
    let Some(start) = dates.next() else {
        return (Vec::new(), Vec::new());
    };
    let (mut first, mut last) = (start, start);
    for date in dates {
        first = first.min(date);
        last = last.max(date);
    }
    if let Scope::Period(p) = scope {
        first = first.min(p.first_day());
        last = last.max(p.last_day());
    }
    let days = usize::try_from((last - first).num_days() + 1).unwrap_or(0);
    let index = |date: NaiveDate| usize::try_from((date - first).num_days()).unwrap_or(0);

    let mut cash_in: BTreeMap<Currency, Vec<Decimal>> = BTreeMap::new();
    for row in lines {
        let amount = row.line.amount;
        if amount.amount > Decimal::ZERO {
            cash_in
                .entry(amount.currency)
                .or_insert_with(|| vec![Decimal::ZERO; days])[index(row.line.booking_date)] +=
                amount.amount;
        }
    }
    // Changes of the backlog by day, summed up into the level at each day's end.
    let mut backlog: BTreeMap<Currency, Vec<Decimal>> = BTreeMap::new();
    for (currency, events) in &timelines {
        let changes = backlog
            .entry(*currency)
            .or_insert_with(|| vec![Decimal::ZERO; days]);
        let mut before = Decimal::ZERO;
        for (date, level) in events {
            changes[index(*date)] += *level - before;
            before = *level;
        }
    }
    for changes in backlog.values_mut() {
        let mut level = Decimal::ZERO;
        for value in changes.iter_mut() {
            level += *value;
            *value = level;
        }
    }
    let series = |all: BTreeMap<Currency, Vec<Decimal>>| {
        all.into_iter()
            .map(|(currency, values)| DailySeries {
                currency,
                first,
                values,
            })
            .collect()
    };
    (series(cash_in), series(backlog))
}

/// For each line: the unmatched money it held from each day on where that changed.
fn unmatched_timelines(
    lines: &[&BankLineRow],
    facts: &Facts,
) -> Vec<(Currency, Vec<(NaiveDate, Decimal)>)> {
    let mut matches: HashMap<&str, Vec<&MatchRow>> = HashMap::new();
    for row in &facts.matches {
        matches
            .entry(row.matched.bank_line_id.as_str())
            .or_default()
            .push(row);
    }
    let mut decisions: HashMap<&str, Vec<&DecisionRow>> = HashMap::new();
    for d in &facts.decisions {
        decisions
            .entry(d.bank_line_id.as_str())
            .or_default()
            .push(d);
    }
    lines
        .iter()
        .map(|row| {
            let line = &row.line;
            let rows = matches.remove(line.id.as_str()).unwrap_or_default();
            let decided = decisions.remove(line.id.as_str()).unwrap_or_default();
            // A decision cannot act before the money was there.
            let taken = |d: &DecisionRow| d.at.date_naive().max(line.booking_date);
            let commit_day: HashMap<&str, NaiveDate> = decided
                .iter()
                .map(|d| (d.run_id.as_str(), taken(d)))
                .collect();
            let day_of =
                |commit: &str| commit_day.get(commit).copied().unwrap_or(line.booking_date);
            let mut event_days: Vec<NaiveDate> = rows.iter().map(|r| day_of(&r.run_id)).collect();
            event_days.extend(decided.iter().map(|d| taken(d)));
            event_days.sort();
            event_days.dedup();
            let events = event_days
                .into_iter()
                .map(|day| {
                    let visible: Vec<MatchRow> = rows
                        .iter()
                        .filter(|r| day_of(&r.run_id) <= day)
                        .map(|r| (*r).clone())
                        .collect();
                    let known: Vec<DecisionRow> = decided
                        .iter()
                        .filter(|d| taken(d) <= day)
                        .map(|d| (*d).clone())
                        .collect();
                    let waiting: Decimal = current_matches(&visible, &known)
                        .iter()
                        .filter(|r| r.matched.kind == MatchKind::Unmatched)
                        .map(|r| r.matched.amount.amount)
                        .sum();
                    (day, waiting)
                })
                .collect();
            (line.amount.currency, events)
        })
        .collect()
}
