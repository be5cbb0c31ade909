//! Money placed by a person (`sluice pair`): on the invoices they name, in their order,
//! never beyond what is open; what is left is the customer's credit — the customer they
//! name, or the one the first invoice belongs to.

use super::Book;
use super::allocate::{allocate, base, customer_label};
use super::part::Part;
use crate::model::{BankLine, Match, MatchKind, Money};

pub const RULE_MANUAL: &str = "manual";

/// Places `amount` of `line` (the money of it that waited) as a person said. `who` is how
/// explanations name the decision: "paired by ada on 2026-11-23 (pairing 2026…-000007)".
pub fn pair_by_hand(
    line: &BankLine,
    amount: Money,
    end_to_end_id: &str,
    invoices: &[String],
    customer: Option<(&str, &str)>,
    who: &str,
    book: &mut Book,
) -> Vec<Match> {
    let part = Part {
        amount,
        end_to_end_id: end_to_end_id.to_string(),
        return_reason: String::new(),
        counterparty_account: line.counterparty_account.clone(),
        counterparty: line.counterparty.clone(),
        mandate_id: line.info.mandate_id.clone(),
        haystack: String::new(),
        remittance: Vec::new(),
        label: String::new(),
        whole: true,
    };
    let credit_only = |amount: Money, (id, name): (&str, &str)| Match {
        customer_id: Some(id.to_string()),
        ..base(
            line,
            &part,
            MatchKind::Credit,
            amount,
            RULE_MANUAL,
            100,
            format!(
                "{who}: {amount} kept as credit for customer {}",
                customer_label(&(id.to_string(), name.to_string()))
            ),
        )
    };
    if invoices.is_empty() {
        return match customer {
            Some(c) => vec![credit_only(amount, c)],
            None => Vec::new(),
        };
    }
    let mut matches = allocate(
        line,
        &part,
        invoices,
        RULE_MANUAL,
        |number, customer| format!("{who}: invoice {number} (customer {customer})"),
        book,
    );
    // The rest goes to the customer the person named, when they named one.
    if let Some(c) = customer {
        for m in matches.iter_mut() {
            if matches!(m.kind, MatchKind::Credit | MatchKind::Unmatched) {
                *m = credit_only(m.amount, c);
            }
        }
    }
    matches
}
