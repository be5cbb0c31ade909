//! Invoices and credit notes as journal transactions.
//!
//! An invoice debits the receivable with its total and credits each billing category's
//! revenue with its lines' net amounts and each VAT rate's account with their VAT. A credit
//! note's total and lines are negative, so the same postings run the other way. A document
//! version is in the books when the ledger applied it (not deleted, with lines when the
//! export lists lines), its customer is not kept out by the partners-ignore list, and the
//! billing system has not cancelled it. When a run writes a new version of a document that
//! was in the books, the version before is reversed on the day of the run and the new one
//! booked on its issue date — unless both book exactly the same (a status that went from
//! open to paid changes nothing in the journal).

use std::collections::{BTreeMap, HashMap};

use super::accounts::Accounts;
use super::{Entry, Order, Posting};
use crate::ledger::DocumentRow;
use crate::model::{Currency, Document, DocumentKind, DocumentStatus, Money};
use crate::targets::RunFacts;

pub fn entries(accounts: &Accounts, facts: &RunFacts<'_>) -> Vec<Entry> {
    let versions: HashMap<(&str, i64), &DocumentRow> = facts
        .replaced_documents
        .iter()
        .chain(facts.documents)
        .map(|r| ((r.document.number.as_str(), r.version), r))
        .collect();
    let names = customer_names(facts);
    let payee = |d: &Document| {
        let name = names
            .get(d.customer_id.trim())
            .copied()
            .unwrap_or(d.customer_name.as_str());
        if name.trim().is_empty() {
            d.customer_id.clone()
        } else {
            name.to_string()
        }
    };
    let mut entries = Vec::new();
    for row in facts.documents {
        let booked = in_books(row).then(|| booking(accounts, row, &payee(&row.document)));
        let before = versions
            .get(&(row.document.number.as_str(), row.version - 1))
            .filter(|r| in_books(r))
            .map(|r| booking(accounts, r, &payee(&r.document)));
        match (before, booked) {
            (Some(before), Some(booked))
                if before.date == booked.date && before.postings == booked.postings => {}
            (before, booked) => {
                if let Some(before) = before {
                    entries.push(reversal(before, row, facts));
                }
                entries.extend(booked);
            }
        }
    }
    entries
}

/// Whether a document version counts in the books (see the module comment).
fn in_books(row: &DocumentRow) -> bool {
    row.applied && row.ignored.is_none() && row.document.status != DocumentStatus::Cancelled
}

/// Customer names as the customer export of the run gives them (the latest version of each
/// written in the run): the payee of their documents, before the name on the document.
fn customer_names<'a>(facts: &RunFacts<'a>) -> HashMap<&'a str, &'a str> {
    facts
        .customers
        .iter()
        .map(|r| (r.customer.id.trim(), r.customer.name.as_str()))
        .filter(|(_, name)| !name.trim().is_empty())
        .collect()
}

fn what(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Invoice => "Invoice",
        DocumentKind::CreditNote => "Credit note",
    }
}

/// The transaction that books one document version.
fn booking(accounts: &Accounts, row: &DocumentRow, payee: &str) -> Entry {
    let doc = &row.document;
    let mut entry = Entry {
        date: doc.issue_date,
        order: Order::Document,
        key: format!("{}#{:06}", doc.number, row.version),
        payee: payee.to_string(),
        narration: format!("{} {}", what(doc.kind), doc.number),
        meta: vec![
            ("document", doc.number.clone()),
            ("version", row.version.to_string()),
            ("customer", doc.customer_id.clone()),
            ("billing_status", doc.status.as_str().to_string()),
            ("source_file", doc.lineage.file_name.clone()),
            ("source_line", doc.lineage.line.to_string()),
        ],
        postings: vec![Posting::new(accounts.receivable.clone(), doc.total)],
    };
    if doc.lines.is_empty() {
        entry.meta.push((
            "lines",
            "none in the export: the whole total is booked as revenue and its VAT is not known"
                .to_string(),
        ));
        entry
            .postings
            .push(Posting::new(accounts.uncategorised.clone(), -doc.total));
        return entry;
    }
    let net_lines = doc.lines_are_net();
    // Summed per account (and currency), in account order: one posting per category and
    // per rate, however many lines share them.
    let mut credits: BTreeMap<(String, Currency), Money> = BTreeMap::new();
    let mut add = |account: String, money: Money| {
        let slot = credits
            .entry((account, money.currency))
            .or_insert(Money::zero(money.currency));
        slot.amount += money.amount;
    };
    for line in &doc.lines {
        let net = if net_lines {
            line.line_total.amount
        } else {
            line.line_total.amount - line.vat_amount.amount
        };
        add(
            accounts.revenue_of(&line.category),
            Money {
                amount: net,
                currency: line.line_total.currency,
            },
        );
        add(accounts.vat_of(line.vat_rate), line.vat_amount);
    }
    for ((account, _), money) in credits {
        entry.postings.push(Posting::new(account, -money));
    }
    // The source refuses a total that is not its lines' sum, so this books nothing for a
    // document read by sluice; it keeps a transaction balanced whatever the facts say.
    entry.balance_to(
        &accounts.rounding,
        vec![(
            "note",
            "the document's total differs from its lines by this much".to_string(),
        )],
    );
    entry
}

/// The reversal of a version that was in the books, replaced by `row`.
fn reversal(before: Entry, row: &DocumentRow, facts: &RunFacts<'_>) -> Entry {
    let doc = &row.document;
    let mut meta = before.meta;
    meta.retain(|(k, _)| !matches!(*k, "billing_status" | "lines"));
    meta.push(("replaced_by_version", row.version.to_string()));
    Entry {
        date: facts.date,
        order: Order::Correction,
        key: format!("{}#{:06}", doc.number, row.version - 1),
        payee: before.payee,
        narration: format!(
            "{} version {} reversed: replaced by version {}",
            before.narration,
            row.version - 1,
            row.version
        ),
        meta,
        postings: before
            .postings
            .into_iter()
            .map(|p| Posting {
                amount: -p.amount,
                ..p
            })
            .collect(),
    }
}
