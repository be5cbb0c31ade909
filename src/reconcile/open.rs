//! The open invoices, indexed the two ways rules 2 and 3 look for them: by customer (oldest
//! first) and by open amount (by due date). The book holds a million invoices; a rule looks
//! up one customer or one amount by hash and reads only what it finds, never the whole book.
//!
//! The book keeps this index current: every change to a document or to the money on it
//! (`Book::upsert`, `remove`, `allocate`) sets that invoice's entry again.

use super::FastMap;
use std::collections::BTreeSet;
use std::ops::Bound;

use chrono::NaiveDate;

use crate::model::Money;

/// What the index knows of an invoice with money still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEntry {
    pub customer_id: String,
    /// The due date, or the issue date for an invoice without one.
    pub due: NaiveDate,
    pub issued: NaiveDate,
    pub open: Money,
}

#[derive(Debug, Default)]
pub struct OpenInvoices {
    entries: FastMap<String, OpenEntry>,
    /// Customer id → (due, issued, number): oldest first.
    by_customer: FastMap<String, BTreeSet<(NaiveDate, NaiveDate, String)>>,
    /// Open amount → (due, number).
    by_amount: FastMap<Money, BTreeSet<(NaiveDate, String)>>,
}

impl OpenInvoices {
    /// Sets what is open on `number`; `None` takes it out (paid, cancelled, gone).
    pub fn set(&mut self, number: &str, entry: Option<OpenEntry>) {
        if self.entries.get(number) == entry.as_ref() {
            return;
        }
        if let Some(old) = self.entries.remove(number) {
            if let Some(of_customer) = self.by_customer.get_mut(&old.customer_id) {
                of_customer.remove(&(old.due, old.issued, number.to_string()));
                if of_customer.is_empty() {
                    self.by_customer.remove(&old.customer_id);
                }
            }
            if let Some(of_amount) = self.by_amount.get_mut(&old.open) {
                of_amount.remove(&(old.due, number.to_string()));
                if of_amount.is_empty() {
                    self.by_amount.remove(&old.open);
                }
            }
        }
        let Some(entry) = entry else {
            return;
        };
        self.by_customer
            .entry(entry.customer_id.clone())
            .or_default()
            .insert((entry.due, entry.issued, number.to_string()));
        self.by_amount
            .entry(entry.open)
            .or_default()
            .insert((entry.due, number.to_string()));
        self.entries.insert(number.to_string(), entry);
    }

    pub fn get(&self, number: &str) -> Option<&OpenEntry> {
        self.entries.get(number)
    }

    /// A customer's open invoices, by due date, then issue date, then number.
    pub fn of_customer(&self, customer_id: &str) -> impl Iterator<Item = &str> {
        self.by_customer
            .get(customer_id)
            .into_iter()
            .flatten()
            .map(|(_, _, number)| number.as_str())
    }

    /// The open invoices with exactly `open` open, due from `from` to `to` (both included),
    /// by due date.
    pub fn of_amount_due_between(
        &self,
        open: Money,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &str> {
        let range = (
            Bound::Included((from, String::new())),
            match to.succ_opt() {
                Some(next) => Bound::Excluded((next, String::new())),
                None => Bound::Unbounded,
            },
        );
        self.by_amount
            .get(&open)
            .into_iter()
            .flat_map(move |due| due.range(range.clone()))
            .map(|(_, number)| number.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Currency;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).expect("a day of October")
    }

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::from_code("EUR").expect("EUR"))
    }

    fn entry(customer: &str, due: u32, issued: u32, minor: i64) -> Option<OpenEntry> {
        Some(OpenEntry {
            customer_id: customer.to_string(),
            due: day(due),
            issued: day(issued),
            open: eur(minor),
        })
    }

    #[test]
    fn a_customers_invoices_come_oldest_first_by_due_then_issue_date_then_number() {
        let mut open = OpenInvoices::default();
        open.set("INV-3", entry("C1", 20, 1, 2990));
        open.set("INV-2", entry("C1", 15, 2, 2990));
        open.set("INV-1", entry("C1", 15, 2, 1000));
        open.set("INV-0", entry("C1", 15, 1, 500));
        open.set("INV-9", entry("C2", 1, 1, 500));
        let order: Vec<&str> = open.of_customer("C1").collect();
        assert_eq!(order, ["INV-0", "INV-1", "INV-2", "INV-3"]);
        assert_eq!(open.of_customer("C3").count(), 0);
    }

    #[test]
    fn a_changed_open_amount_moves_the_invoice_and_none_takes_it_out() {
        let mut open = OpenInvoices::default();
        open.set("INV-1", entry("C1", 15, 1, 2990));
        open.set("INV-1", entry("C1", 15, 1, 990));
        assert_eq!(
            open.of_amount_due_between(eur(2990), day(1), day(31))
                .count(),
            0
        );
        assert_eq!(
            open.of_amount_due_between(eur(990), day(1), day(31))
                .collect::<Vec<_>>(),
            ["INV-1"]
        );
        open.set("INV-1", None);
        assert_eq!(open.of_customer("C1").count(), 0);
        assert_eq!(
            open.of_amount_due_between(eur(990), day(1), day(31))
                .count(),
            0
        );
        assert!(open.get("INV-1").is_none());
    }

    #[test]
    fn the_due_window_includes_both_ends() {
        let mut open = OpenInvoices::default();
        open.set("INV-A", entry("C1", 5, 1, 2990));
        open.set("INV-B", entry("C2", 10, 1, 2990));
        open.set("INV-C", entry("C3", 11, 1, 2990));
        let found: Vec<&str> = open
            .of_amount_due_between(eur(2990), day(5), day(10))
            .collect();
        assert_eq!(found, ["INV-A", "INV-B"]);
    }
}
