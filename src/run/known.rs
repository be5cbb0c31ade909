//! What the ledger already knows, in the form a run needs it: which files were applied,
//! which entries were seen, the latest version of each document, and the book of open
//! invoices with the money already allocated to them, and the statements read so far.
//! The latest version of each customer decides whether it is kept out by the pipeline's
//! partners-ignore list, as the list reads now: its documents stay out of the book. The
//! customers' records, the accounts that paid their invoices and their credit are rebuilt
//! the same way, so rule 2 recognises a payer from everything committed before.

use std::collections::HashMap;

use crate::intake::Fingerprints;
use crate::ledger::{
    DocumentRow, Facts, FileRow, MatchRow, StagingRow, StatementRow, current_matches,
    held_by_person, learned_rules,
};
use crate::model::{
    BankLine, BillingTransaction, Customer, Document, DocumentLine, Lineage, Match, MatchKind,
};
use crate::pipeline::ReconcileSettings;
use crate::reconcile::Book;

pub struct Known {
    /// Applied or duplicate files by SHA-256: the file registry.
    pub files: HashMap<String, FileRow>,
    pub fingerprints: Fingerprints,
    /// Latest version of each customer, by id.
    pub customers: HashMap<String, (i64, Customer)>,
    /// Latest version of each billing transaction, by id.
    pub transactions: HashMap<String, (i64, BillingTransaction)>,
    /// Latest version of each document, by number, as written (whether it was applied and
    /// kept out tells a journal whether that version was in the books).
    pub documents: HashMap<String, DocumentRow>,
    pub book: Book,
    /// Every statement read so far, for continuity across files.
    pub statements: Vec<StatementRow>,
    /// Lines of earlier runs whose money all waits for a person, and that no person has
    /// taken in hand: a run tries them again, in the order the money moved.
    pub open: Vec<OpenLine>,
    /// The last staging decision per target and document number (see `run::staging`).
    pub staging: HashMap<(String, String), StagingRow>,
}

/// A line of an earlier run whose money is unmatched, with its standing matches and their
/// commits (what placing it now withdraws).
pub struct OpenLine {
    pub line: BankLine,
    pub matched_in: Vec<String>,
    pub matches: Vec<Match>,
}

impl Known {
    pub fn from_facts(facts: &Facts, settings: &ReconcileSettings) -> Known {
        let mut known = Known {
            files: HashMap::new(),
            fingerprints: Fingerprints::default(),
            customers: HashMap::new(),
            transactions: HashMap::new(),
            documents: HashMap::new(),
            book: Book::new(settings),
            statements: facts.statements.clone(),
            open: Vec::new(),
            staging: HashMap::new(),
        };
        for row in &facts.target_documents {
            known
                .staging
                .insert((row.target.clone(), row.number.clone()), row.clone());
        }
        // In commit order, so the latest version is the one that stays.
        for row in &facts.customers {
            known.book.ignored.update(&row.customer);
            known.book.customers.update(&row.customer);
            known
                .customers
                .insert(row.customer.id.clone(), (row.version, row.customer.clone()));
        }
        for row in &facts.transactions {
            known.transactions.insert(
                row.transaction.id.clone(),
                (row.version, row.transaction.clone()),
            );
        }
        for f in &facts.files {
            known
                .files
                .entry(f.sha256.clone())
                .or_insert_with(|| f.clone());
        }
        for row in facts.bank_lines.iter().filter(|r| r.applied) {
            known.fingerprints.insert(&row.fingerprint, &row.line);
            known.book.payouts.record(&row.line);
        }
        for row in &facts.documents {
            if row.applied && !known.book.ignored.is_kept_out(&row.document.customer_id) {
                known.book.upsert(row.document.clone());
            } else {
                known.book.remove(&row.document.number);
            }
            known
                .documents
                .insert(row.document.number.clone(), row.clone());
        }
        for row in facts.collections.iter().filter(|r| !r.duplicate) {
            known.book.collections.add(row.debit.clone());
        }
        for row in facts
            .payment_statuses
            .iter()
            .filter(|r| r.status.is_rejection())
        {
            known.book.collections.reject(&row.status);
        }
        let lines = facts.applied_lines();
        let current = current_matches(&facts.matches, &facts.decisions);
        for row in &current {
            known.book.replay(&row.matched);
            if let Some(line) = lines.get(row.matched.bank_line_id.as_str()) {
                known.book.remember(line, &row.matched);
            }
        }
        // A payer a person paired with a customer is that customer's from then on, until
        // the pairing is undone or the rule removed.
        for d in learned_rules(&facts.decisions) {
            known.book.customers.learn(
                &d.counterparty_account,
                &d.counterparty_name,
                &d.customer_id,
                &format!(
                    "learned from pairing {} by {} on {}",
                    d.run_id,
                    d.by,
                    d.at.date_naive()
                ),
            );
        }
        known.open = open_lines(facts, &current);
        known
    }
}

/// Applied lines whose standing matches are all unmatched, except those whose last decision
/// was a person's `unpair`: they wait for that person.
fn open_lines(facts: &Facts, current: &[&MatchRow]) -> Vec<OpenLine> {
    let mut by_line: HashMap<&str, Vec<&MatchRow>> = HashMap::new();
    for row in current {
        by_line
            .entry(row.matched.bank_line_id.as_str())
            .or_default()
            .push(row);
    }
    let held = held_by_person(&facts.decisions);
    facts
        .bank_lines
        .iter()
        .filter(|r| r.applied)
        .filter_map(|r| {
            let id = r.line.id.as_str();
            let rows = by_line.get(id)?;
            let waiting =
                rows.iter().all(|m| m.matched.kind == MatchKind::Unmatched) && !held.contains(id);
            waiting.then(|| {
                let mut matched_in: Vec<String> = rows.iter().map(|m| m.run_id.clone()).collect();
                matched_in.sort();
                matched_in.dedup();
                OpenLine {
                    line: r.line.clone(),
                    matched_in,
                    matches: rows.iter().map(|m| m.matched.clone()).collect(),
                }
            })
        })
        .collect()
}

/// Whether a re-exported document says anything new (where it came from does not count,
/// for the document or for any of its lines).
pub fn same_content(a: &Document, b: &Document) -> bool {
    let head = |d: &Document| {
        (
            d.kind,
            d.customer_id.clone(),
            d.customer_name.clone(),
            d.issue_date,
            d.due_date,
            d.total,
            d.status,
            d.deleted,
            d.itemized,
        )
    };
    let lines = |d: &Document| -> Vec<DocumentLine> {
        d.lines
            .iter()
            .map(|l| DocumentLine {
                lineage: Lineage {
                    file_sha256: String::new(),
                    file_name: String::new(),
                    line: 0,
                },
                ..l.clone()
            })
            .collect()
    };
    head(a) == head(b) && lines(a) == lines(b)
}
