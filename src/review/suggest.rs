//! Suggestions for money that waits: the open invoices it most likely pays, ranked, with the
//! reasons. Candidates come from hash lookups (same open amount, the customer whose IBAN or
//! name the payment carries), never from a scan of every invoice per line.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Customer, Document, Money};
use crate::reconcile::{Book, normalize_account, normalize_reference};

/// At most this many suggestions per line.
pub const MAX_SUGGESTIONS: usize = 3;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suggestion {
    pub invoice: String,
    pub customer_id: String,
    pub customer_name: String,
    /// What is still open on it, e.g. `"29.90"`, in `currency`.
    pub open: String,
    pub currency: String,
    pub due_date: Option<NaiveDate>,
    /// 0–100: how much speaks for it.
    pub score: u8,
    pub why: String,
}

struct Open<'b> {
    document: &'b Document,
    open: Money,
}

pub struct Suggester<'b> {
    open: Vec<Open<'b>>,
    by_amount: HashMap<Money, Vec<usize>>,
    by_customer: HashMap<&'b str, Vec<usize>>,
    /// Compact IBAN → customer id, from customer records.
    customer_of_iban: HashMap<String, &'b str>,
    /// Normalised customer name → customer ids.
    customers_named: HashMap<String, Vec<&'b str>>,
}

impl<'b> Suggester<'b> {
    pub fn new(book: &'b Book, customers: impl Iterator<Item = &'b Customer>) -> Suggester<'b> {
        let mut s = Suggester {
            open: Vec::new(),
            by_amount: HashMap::new(),
            by_customer: HashMap::new(),
            customer_of_iban: HashMap::new(),
            customers_named: HashMap::new(),
        };
        for (document, open) in book.open_invoices() {
            let i = s.open.len();
            s.open.push(Open { document, open });
            s.by_amount.entry(open).or_default().push(i);
            s.by_customer
                .entry(document.customer_id.as_str())
                .or_default()
                .push(i);
            let name = name_key(&document.customer_name);
            if !name.is_empty() {
                let ids = s.customers_named.entry(name).or_default();
                if !ids.contains(&document.customer_id.as_str()) {
                    ids.push(document.customer_id.as_str());
                }
            }
        }
        for c in customers {
            let iban = normalize_account(&c.iban);
            if !iban.is_empty() {
                s.customer_of_iban.insert(iban, c.id.as_str());
            }
        }
        s
    }

    /// Up to three open invoices for money in, best first; none for money out.
    pub fn suggest(
        &self,
        amount: Money,
        booked: NaiveDate,
        counterparty: &str,
        counterparty_account: &str,
        text: &str,
    ) -> Vec<Suggestion> {
        if !amount.amount.is_sign_positive() || amount.is_zero() {
            return Vec::new();
        }
        let by_iban = self
            .customer_of_iban
            .get(&normalize_account(counterparty_account))
            .copied();
        let by_name: Vec<&str> = self
            .customers_named
            .get(&name_key(counterparty))
            .cloned()
            .unwrap_or_default();
        let mut candidates: Vec<usize> = Vec::new();
        candidates.extend(self.by_amount.get(&amount).into_iter().flatten());
        for customer in by_iban.iter().chain(by_name.iter()) {
            candidates.extend(self.by_customer.get(customer).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        let haystack = normalize_reference(text);
        let mut scored: Vec<(u8, Suggestion)> = candidates
            .into_iter()
            .map(|i| {
                let o = &self.open[i];
                let d = o.document;
                let mut score = 0u8;
                let mut why = Vec::new();
                if o.open == amount {
                    score += 45;
                    why.push(format!("{} is open on it, the payment's amount", o.open));
                }
                if by_iban == Some(d.customer_id.as_str()) {
                    score += 35;
                    why.push(format!(
                        "the payer's account is on customer {}'s record",
                        d.customer_id
                    ));
                } else if by_name.contains(&d.customer_id.as_str()) {
                    score += 25;
                    why.push(format!("the payer's name is customer {}'s", d.customer_id));
                }
                let digits = trailing_digits(&d.number);
                if digits.len() >= 3 && haystack.contains(digits) {
                    score += 10;
                    why.push(format!("the text has \"{digits}\" of its number"));
                }
                if let Some(due) = d.due_date {
                    let days = (booked - due).num_days().abs();
                    if days <= 45 {
                        score += 10 - (days / 5).min(9) as u8;
                        why.push(format!("due {due}"));
                    }
                }
                (
                    score.min(99),
                    Suggestion {
                        invoice: d.number.clone(),
                        customer_id: d.customer_id.clone(),
                        customer_name: d.customer_name.clone(),
                        open: o.open.amount.to_string(),
                        currency: o.open.currency.code().to_string(),
                        due_date: d.due_date,
                        score: score.min(99),
                        why: why.join("; "),
                    },
                )
            })
            .filter(|(score, _)| *score >= 25)
            .collect();
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.due_date.cmp(&b.1.due_date))
                .then(a.1.invoice.cmp(&b.1.invoice))
        });
        scored
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, s)| s)
            .collect()
    }
}

/// `Schmidt, Anna` and `ANNA SCHMIDT` are one name: words, lower case, sorted.
fn name_key(name: &str) -> String {
    let mut words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.join(" ")
}

fn trailing_digits(number: &str) -> &str {
    let start = number
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map_or(number.len(), |(i, _)| i);
    number[start..].trim_start_matches('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_by_their_words() {
        assert_eq!(name_key("Schmidt, Anna"), name_key("ANNA  SCHMIDT"));
        assert_ne!(name_key("Anna Schmidt"), name_key("Anna Schmitt"));
    }

    #[test]
    fn an_invoice_number_ends_in_its_digits_without_leading_zeros() {
        assert_eq!(trailing_digits("INV-2026-0042"), "42");
        assert_eq!(trailing_digits("INV-2026-1093"), "1093");
        assert_eq!(trailing_digits("ABC"), "");
    }
}
