//! Reconciliation: placing the money of each bank line, with a reason a person can read.
//!
//! First version, one rule: an invoice number found in the bank reference or remittance
//! text (by the pipeline's pattern, tolerant of case, spaces and missing separators). The
//! money goes to the named invoices in the order written, never beyond what is open; what
//! is left becomes the customer's credit. Money out is recorded, never matched. Everything
//! else waits in the unmatched list with the reason no rule applied.
//!
//! Invariant (property-tested): the matches of a line add up to its amount exactly.

mod book;

use crate::model::{BankLine, Match, MatchKind, Money};
use crate::pipeline::ReconcileSettings;

pub use book::{Book, InvoiceCounts, normalize_reference};

pub const RULE_REFERENCE: &str = "invoice-reference";
pub const RULE_NONE: &str = "none";
pub const RULE_OUTGOING: &str = "outgoing";

/// What became of one bank line, for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// All of its money paid invoices, each now settled.
    Matched,
    /// It paid invoices only in part, or (some of) its money became customer credit.
    PartlyMatched,
    Unmatched,
    Outgoing,
}

/// Places the money of one bank line and updates the book with what was allocated.
pub fn reconcile_line(
    line: &BankLine,
    book: &mut Book,
    settings: &ReconcileSettings,
) -> Vec<Match> {
    let base = |kind, amount: Money, rule: &str, confidence, explanation: String| Match {
        bank_line_id: line.id.clone(),
        kind,
        document: None,
        customer_id: None,
        amount,
        rule: rule.to_string(),
        confidence,
        explanation,
    };
    if !line.amount.amount.is_sign_positive() || line.amount.is_zero() {
        let why = if line.amount.is_zero() {
            "zero amount: recorded, nothing to match".to_string()
        } else {
            format!(
                "money out ({}): recorded, not matched against invoices",
                line.amount
            )
        };
        return vec![base(
            MatchKind::Outgoing,
            line.amount,
            RULE_OUTGOING,
            100,
            why,
        )];
    }

    let haystack = format!("{} {}", line.bank_reference, line.text);
    let mut mentioned: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for found in settings.invoice_pattern.find_iter(&haystack) {
        match book.number_for(found.as_str()) {
            Some(number) if !mentioned.contains(&number) => mentioned.push(number),
            Some(_) => {}
            None => unknown.push(found.as_str().trim().to_string()),
        }
    }

    if mentioned.is_empty() {
        let why = if unknown.is_empty() {
            "no invoice number found in the reference or the remittance text".to_string()
        } else {
            format!(
                "mentions {}, which is not a known invoice number — check for a typo, or whether the invoice export is missing",
                unknown.join(", ")
            )
        };
        return vec![base(MatchKind::Unmatched, line.amount, RULE_NONE, 0, why)];
    }

    let mut matches = Vec::new();
    let mut remaining = line.amount.amount;
    let mut customer: Option<(String, String)> = None;
    let mut notes: Vec<String> = Vec::new();
    for number in &mentioned {
        let Some(invoice) = book.invoice(number) else {
            continue;
        };
        let who = (invoice.customer_id.clone(), invoice.customer_name.clone());
        let total = invoice.total;
        if total.currency != line.amount.currency {
            notes.push(format!(
                "invoice {number} is in {}, the payment in {}",
                total.currency, line.amount.currency
            ));
            continue;
        }
        customer.get_or_insert(who.clone());
        let open = match book.open_amount(number) {
            Some(open) if !open.is_zero() => open,
            _ => {
                notes.push(format!(
                    "invoice {number} is already {}",
                    book.state_word(number)
                ));
                continue;
            }
        };
        if remaining.is_zero() {
            notes.push(format!("nothing was left for invoice {number}"));
            continue;
        }
        let paid = Money {
            amount: remaining.min(open.amount),
            currency: line.amount.currency,
        };
        remaining -= paid.amount;
        book.allocate(number, paid);
        let left = Money {
            amount: open.amount - paid.amount,
            currency: paid.currency,
        };
        let effect = if left.is_zero() {
            format!("{paid} pays it in full")
        } else {
            format!("{paid} pays it in part; {left} of {total} stays open")
        };
        matches.push(Match {
            document: Some(number.clone()),
            customer_id: Some(who.0.clone()),
            ..base(
                MatchKind::Allocation,
                paid,
                RULE_REFERENCE,
                100,
                format!(
                    "the payment names invoice {number} (customer {}); {effect}",
                    customer_label(&who)
                ),
            )
        });
    }

    if !remaining.is_zero() {
        let rest = Money {
            amount: remaining,
            currency: line.amount.currency,
        };
        let context = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        match customer {
            Some((id, name)) => matches.push(Match {
                customer_id: Some(id.clone()),
                ..base(
                    MatchKind::Credit,
                    rest,
                    RULE_REFERENCE,
                    100,
                    format!(
                        "{rest} more than the named invoices had open{context}; kept as credit for customer {}",
                        customer_label(&(id, name))
                    ),
                )
            }),
            None => matches.push(base(
                MatchKind::Unmatched,
                rest,
                RULE_NONE,
                0,
                format!("names {} but cannot be placed{context}", mentioned.join(", ")),
            )),
        }
    }
    matches
}

fn customer_label((id, name): &(String, String)) -> String {
    if name.is_empty() {
        id.clone()
    } else {
        format!("{id} {name}")
    }
}

/// Classifies a line by its matches and the state of the invoices they paid.
pub fn outcome(matches: &[Match], book: &Book) -> Outcome {
    if matches.iter().any(|m| m.kind == MatchKind::Outgoing) {
        return Outcome::Outgoing;
    }
    if matches.iter().all(|m| m.kind == MatchKind::Unmatched) {
        return Outcome::Unmatched;
    }
    let allocations: Vec<&Match> = matches
        .iter()
        .filter(|m| m.kind == MatchKind::Allocation)
        .collect();
    let settled = allocations.iter().all(|m| {
        m.document
            .as_deref()
            .and_then(|n| book.open_amount(n))
            .is_some_and(|open| open.is_zero())
    });
    let all_placed = matches.iter().all(|m| m.kind == MatchKind::Allocation);
    if !allocations.is_empty() && settled && all_placed {
        Outcome::Matched
    } else {
        Outcome::PartlyMatched
    }
}
