//! Putting money on named invoices: in the order named, never beyond what is open; what is
//! left becomes the customer's credit, or waits for a person when no customer is known.

use super::Book;
use super::part::Part;
use crate::model::{BankLine, Match, MatchKind, Money};

/// A match for (part of) `line`, carrying the part's end-to-end id.
pub fn base(
    line: &BankLine,
    part: &Part,
    kind: MatchKind,
    amount: Money,
    rule: &str,
    confidence: u8,
    explanation: String,
) -> Match {
    Match {
        bank_line_id: line.id.clone(),
        kind,
        document: None,
        customer_id: None,
        amount,
        rule: rule.to_string(),
        confidence,
        explanation: format!("{}{explanation}", part.label),
        end_to_end_id: part.end_to_end_id.clone(),
    }
}

/// Allocates the part's money to `numbers` (known invoice numbers). `why` says, for one
/// invoice, why the money is its: "the payment names invoice INV-1 (customer C1 Ada)".
pub fn allocate(
    line: &BankLine,
    part: &Part,
    numbers: &[String],
    rule: &str,
    why: impl Fn(&str, &str) -> String,
    book: &mut Book,
) -> Vec<Match> {
    let mut matches = Vec::new();
    let mut remaining = part.amount.amount;
    let mut customer: Option<(String, String)> = None;
    let mut notes: Vec<String> = Vec::new();
    for number in numbers {
        let Some(invoice) = book.invoice(number) else {
            continue;
        };
        let who = (invoice.customer_id.clone(), invoice.customer_name.clone());
        let total = invoice.total;
        if total.currency != part.amount.currency {
            notes.push(format!(
                "invoice {number} is in {}, the payment in {}",
                total.currency, part.amount.currency
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
            currency: part.amount.currency,
        };
        remaining -= paid.amount;
        book.pay(number, paid, &part.end_to_end_id, &line.id);
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
                line,
                part,
                MatchKind::Allocation,
                paid,
                rule,
                100,
                format!("{}; {effect}", why(number, &customer_label(&who))),
            )
        });
    }

    if !remaining.is_zero() {
        let rest = Money {
            amount: remaining,
            currency: part.amount.currency,
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
                    line,
                    part,
                    MatchKind::Credit,
                    rest,
                    rule,
                    100,
                    format!(
                        "{rest} more than the named invoices had open{context}; kept as credit for customer {}",
                        customer_label(&(id, name))
                    ),
                )
            }),
            None => matches.push(base(
                line,
                part,
                MatchKind::Unmatched,
                rest,
                super::RULE_NONE,
                0,
                format!("names {} but cannot be placed{context}", numbers.join(", ")),
            )),
        }
    }
    matches
}

pub fn customer_label((id, name): &(String, String)) -> String {
    if name.is_empty() {
        id.clone()
    } else {
        format!("{id} {name}")
    }
}
