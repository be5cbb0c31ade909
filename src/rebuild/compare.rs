//! What differs between the live ledger and a rebuild of it: every table row for row (the
//! verdict), every batch manifest byte for byte, and for people the differences that
//! matter — each bank line whose money is placed elsewhere, each invoice paid otherwise,
//! and the counts and money of the whole ledger before and now.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{RebuildError, pipeline_in};
use crate::decide::what;
use crate::ledger::{Facts, JournalRecord, Ledger, current_matches};
use crate::model::{BankLine, Match, MatchKind, Money};
use crate::outbox::MANIFEST;
use crate::pipeline::Pipeline;
use crate::reconcile::{self, Book};
use crate::report::outcome_name;
use crate::run::Known;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Comparison {
    /// Bank lines whose standing matches are not the same.
    pub lines: Vec<LineChange>,
    /// Invoices with another amount placed on them.
    pub documents: Vec<DocumentChange>,
    /// Lines per outcome (matched, partly matched, …) where the number changed.
    pub outcomes: Vec<CountChange>,
    /// Money placed on invoices and money waiting for a person, per currency, where it changed.
    pub money: Vec<MoneyChange>,
    /// Every table that is not the same row for row.
    pub tables: Vec<TableDifference>,
    /// Batches whose manifest is not the same byte for byte, or that only one side has.
    pub batches: Vec<BatchDifference>,
}

impl Comparison {
    pub fn identical(&self) -> bool {
        self.tables.is_empty() && self.batches.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineChange {
    pub id: String,
    pub booking_date: NaiveDate,
    pub amount: String,
    pub counterparty: String,
    pub text: String,
    /// "allocation of EUR 29.90 to INV-2026-0042", … as the live ledger places the money,
    /// then as the rebuild does; "not in this ledger" when a side lacks the line.
    pub before: Vec<String>,
    pub now: Vec<String>,
    pub outcome_before: String,
    pub outcome_now: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentChange {
    pub number: String,
    pub customer_id: String,
    pub total: String,
    /// Money placed on it, and its state ("paid", "partly paid", "open").
    pub placed_before: String,
    pub state_before: String,
    pub placed_now: String,
    pub state_now: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountChange {
    pub outcome: String,
    pub before: usize,
    pub now: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoneyChange {
    /// "placed on invoices" or "waiting for a person".
    pub what: String,
    pub currency: String,
    pub before: Decimal,
    pub now: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableDifference {
    pub table: String,
    pub live_rows: usize,
    pub rebuilt_rows: usize,
    /// Rows that differ at the same place, plus the rows one side has more.
    pub differing: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchDifference {
    /// The batch folder, relative to the outbox.
    pub batch: String,
    pub what: String,
}

/// Compares the live ledger of `live` with the rebuild in `to`.
pub fn compare(live: &Pipeline, to: &Path) -> Result<Comparison, RebuildError> {
    let rebuilt = pipeline_in(live, to);
    let live_ledger = Ledger::new(&live.ledger);
    let rebuilt_ledger = Ledger::new(&rebuilt.ledger);
    let unreadable = |source| RebuildError::Rebuilt {
        path: rebuilt.ledger.clone(),
        source,
    };
    let before = live_ledger.load().map_err(RebuildError::Live)?;
    let now = rebuilt_ledger.load().map_err(unreadable)?;
    let before_journal = live_ledger.journal().map_err(RebuildError::Live)?;
    let now_journal = rebuilt_ledger.journal().map_err(unreadable)?;
    let before_side = Side::new(&before, live);
    let now_side = Side::new(&now, live);
    Ok(Comparison {
        lines: lines(&before_side, &now_side),
        documents: documents(&before_side, &now_side),
        outcomes: outcomes(&before_side, &now_side),
        money: money(&before_side, &now_side),
        tables: tables(&before, &now),
        batches: batches(
            (&live.outbox, &before_journal),
            (&rebuilt.outbox, &now_journal),
        ),
    })
}

/// One ledger, as the comparison looks at it.
struct Side<'f> {
    lines: Vec<&'f BankLine>,
    ids: HashSet<&'f str>,
    standing: HashMap<&'f str, Vec<&'f Match>>,
    known: Known,
}

impl<'f> Side<'f> {
    fn new(facts: &'f Facts, pipeline: &Pipeline) -> Side<'f> {
        let mut standing: HashMap<&str, Vec<&Match>> = HashMap::new();
        for row in current_matches(&facts.matches, &facts.decisions) {
            standing
                .entry(row.matched.bank_line_id.as_str())
                .or_default()
                .push(&row.matched);
        }
        let lines: Vec<&BankLine> = facts
            .bank_lines
            .iter()
            .filter(|r| r.applied)
            .map(|r| &r.line)
            .collect();
        Side {
            ids: lines.iter().map(|l| l.id.as_str()).collect(),
            lines,
            standing,
            known: Known::from_facts(facts, &pipeline.reconcile),
        }
    }

    fn matches(&self, id: &str) -> Vec<&'f Match> {
        self.standing.get(id).cloned().unwrap_or_default()
    }

    /// The line's placements in words, sorted: the same money placed in another order is
    /// the same placement.
    fn placed(&self, id: &str) -> Vec<String> {
        let mut placed: Vec<String> = self.matches(id).into_iter().map(what).collect();
        placed.sort();
        placed
    }

    fn outcome(&self, id: &str) -> &'static str {
        let matches: Vec<Match> = self.matches(id).into_iter().cloned().collect();
        outcome_name(reconcile::outcome(&matches, &self.known.book))
    }
}

const NOT_HERE: &str = "not in this ledger";

fn lines(before: &Side<'_>, now: &Side<'_>) -> Vec<LineChange> {
    let mut seen = BTreeSet::new();
    let mut changes = Vec::new();
    for line in before.lines.iter().chain(&now.lines) {
        if !seen.insert(line.id.as_str()) {
            continue;
        }
        let side = |s: &Side<'_>| {
            if s.ids.contains(line.id.as_str()) {
                (s.placed(&line.id), s.outcome(&line.id).to_string())
            } else {
                (vec![NOT_HERE.to_string()], NOT_HERE.to_string())
            }
        };
        let (placed_before, outcome_before) = side(before);
        let (placed_now, outcome_now) = side(now);
        if placed_before != placed_now {
            changes.push(LineChange {
                id: line.id.clone(),
                booking_date: line.booking_date,
                amount: line.amount.to_string(),
                counterparty: line.counterparty.clone(),
                text: line.text.clone(),
                before: placed_before,
                now: placed_now,
                outcome_before,
                outcome_now,
            });
        }
    }
    changes.sort_by(|a, b| (a.booking_date, &a.id).cmp(&(b.booking_date, &b.id)));
    changes
}

/// What an invoice has placed on it, and its state in words; `None` when the book lacks it.
fn placement(book: &Book, number: &str) -> Option<(Money, &'static str)> {
    let invoice = book.invoice(number)?;
    let open = book.open_amount(number).unwrap_or(invoice.total);
    // Nothing placed is written in the invoice's own decimals: "EUR 0.00", not "EUR 0".
    let placed = book.allocated_to(number).unwrap_or(Money {
        amount: Decimal::new(0, invoice.total.amount.scale()),
        currency: invoice.total.currency,
    });
    let state = if open.is_zero() {
        "paid"
    } else if open == invoice.total {
        "open"
    } else {
        "partly paid"
    };
    Some((placed, state))
}

fn documents(before: &Side<'_>, now: &Side<'_>) -> Vec<DocumentChange> {
    let numbers: BTreeSet<&str> = before
        .known
        .documents
        .keys()
        .chain(now.known.documents.keys())
        .map(String::as_str)
        .collect();
    let mut changes = Vec::new();
    for number in numbers {
        let was = placement(&before.known.book, number);
        let is = placement(&now.known.book, number);
        if was == is {
            continue;
        }
        let Some(invoice) = before
            .known
            .book
            .invoice(number)
            .or_else(|| now.known.book.invoice(number))
        else {
            continue;
        };
        let words = |p: Option<(Money, &str)>| match p {
            Some((placed, state)) => (placed.to_string(), state.to_string()),
            None => (String::new(), NOT_HERE.to_string()),
        };
        let (placed_before, state_before) = words(was);
        let (placed_now, state_now) = words(is);
        changes.push(DocumentChange {
            number: number.to_string(),
            customer_id: invoice.customer_id.clone(),
            total: invoice.total.to_string(),
            placed_before,
            state_before,
            placed_now,
            state_now,
        });
    }
    changes
}

fn outcomes(before: &Side<'_>, now: &Side<'_>) -> Vec<CountChange> {
    let count = |s: &Side<'_>| {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for line in &s.lines {
            *counts.entry(s.outcome(&line.id)).or_default() += 1;
        }
        counts
    };
    let (was, is) = (count(before), count(now));
    crate::report::OUTCOMES
        .iter()
        .map(|o| outcome_name(*o))
        .filter_map(|name| {
            let (b, n) = (
                was.get(name).copied().unwrap_or(0),
                is.get(name).copied().unwrap_or(0),
            );
            (b != n).then(|| CountChange {
                outcome: name.to_string(),
                before: b,
                now: n,
            })
        })
        .collect()
}

fn money(before: &Side<'_>, now: &Side<'_>) -> Vec<MoneyChange> {
    let sums = |s: &Side<'_>, kind: MatchKind| {
        let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
        for m in s.standing.values().flatten().filter(|m| m.kind == kind) {
            *sums
                .entry(m.amount.currency.code().to_string())
                .or_default() += m.amount.amount;
        }
        sums
    };
    let mut changes = Vec::new();
    for (kind, what) in [
        (MatchKind::Allocation, "placed on invoices"),
        (MatchKind::Unmatched, "waiting for a person"),
    ] {
        let (was, is) = (sums(before, kind), sums(now, kind));
        let currencies: BTreeSet<&String> = was.keys().chain(is.keys()).collect();
        for currency in currencies {
            // A currency one side lacks is zero there, in the other side's decimals.
            let zero = |other: Option<&Decimal>| Decimal::new(0, other.map_or(0, |d| d.scale()));
            let (b, n) = (
                was.get(currency)
                    .copied()
                    .unwrap_or_else(|| zero(is.get(currency))),
                is.get(currency)
                    .copied()
                    .unwrap_or_else(|| zero(was.get(currency))),
            );
            if b != n {
                changes.push(MoneyChange {
                    what: what.to_string(),
                    currency: currency.clone(),
                    before: b,
                    now: n,
                });
            }
        }
    }
    changes
}

fn table<T: PartialEq>(name: &str, live: &[T], rebuilt: &[T]) -> Option<TableDifference> {
    let differing = live.iter().zip(rebuilt).filter(|(a, b)| a != b).count()
        + live.len().abs_diff(rebuilt.len());
    (differing > 0).then(|| TableDifference {
        table: name.to_string(),
        live_rows: live.len(),
        rebuilt_rows: rebuilt.len(),
        differing,
    })
}

fn tables(live: &Facts, rebuilt: &Facts) -> Vec<TableDifference> {
    [
        table("files", &live.files, &rebuilt.files),
        table("customers", &live.customers, &rebuilt.customers),
        table("transactions", &live.transactions, &rebuilt.transactions),
        table("documents", &live.documents, &rebuilt.documents),
        table("bank_lines", &live.bank_lines, &rebuilt.bank_lines),
        table("matches", &live.matches, &rebuilt.matches),
        table("statements", &live.statements, &rebuilt.statements),
        table("collections", &live.collections, &rebuilt.collections),
        table(
            "payment_statuses",
            &live.payment_statuses,
            &rebuilt.payment_statuses,
        ),
        table("decisions", &live.decisions, &rebuilt.decisions),
        table(
            "target_documents",
            &live.target_documents,
            &rebuilt.target_documents,
        ),
        table("remote_ids", &live.remote_ids, &rebuilt.remote_ids),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn batches(
    (live_outbox, live): (&Path, &[JournalRecord]),
    (rebuilt_outbox, rebuilt): (&Path, &[JournalRecord]),
) -> Vec<BatchDifference> {
    let names = |journal: &[JournalRecord]| -> BTreeSet<String> {
        journal.iter().flat_map(|r| r.batches.clone()).collect()
    };
    let (was, is) = (names(live), names(rebuilt));
    let mut differences = Vec::new();
    for batch in was.union(&is) {
        let what = match (was.contains(batch), is.contains(batch)) {
            (true, false) => "only in the live outbox",
            (false, true) => "only in the rebuild",
            _ => {
                let read = |outbox: &Path| std::fs::read(outbox.join(batch).join(MANIFEST)).ok();
                if read(live_outbox) == read(rebuilt_outbox) {
                    continue;
                }
                "manifest.json differs"
            }
        };
        differences.push(BatchDifference {
            batch: batch.clone(),
            what: what.to_string(),
        });
    }
    differences
}
