//! The book of documents reconciliation works against: each invoice's latest version and
//! the money already allocated to it, looked up by a normalised invoice number — exactly
//! (case and separators aside), or loosely (leading zeros of its digit groups aside too) —
//! and the open invoices by customer and by amount (kept current on every change, see
//! `open`).

use super::FastMap;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::allocate::Settlement;
use super::collections::{Collections, Payment};
use super::customers::CustomerIndex;
use super::ignored::IgnoredCustomers;
use super::open::{OpenEntry, OpenInvoices};
use super::part::payer_account;
use super::payout::Payouts;
use super::receipts::Receipts;
use crate::model::{BankLine, Document, DocumentKind, DocumentStatus, Match, MatchKind, Money};
use crate::pipeline::ReconcileSettings;

/// The confidence from which an allocation teaches the payer's account for its customer: an
/// invoice reference (100) or an identified customer (90), never an amount alone (80).
const TEACHES_PAYER: u8 = 90;

/// `INV-2026-0042`, `inv 2026 0042` and `INV2026-0042` all become `INV20260042`.
pub fn normalize_reference(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `INV-2026-0042`, `INV 2026 42` and `inv2026-042` all become `INV-2026-42`: the groups of
/// letters and of digits, upper case, digits without leading zeros. Payers drop zeros
/// (`42` for `0042`); the groups are kept apart so that `INV-20-2642` stays another number.
pub fn loose_reference(text: &str) -> String {
    let mut groups: Vec<String> = Vec::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if !c.is_ascii_alphanumeric() {
            previous = None;
            continue;
        }
        let same_group = previous.is_some_and(|p| p.is_ascii_digit() == c.is_ascii_digit());
        match groups.last_mut() {
            Some(group) if same_group => group.push(c.to_ascii_uppercase()),
            _ => groups.push(c.to_ascii_uppercase().to_string()),
        }
        previous = Some(c);
    }
    groups
        .iter()
        .map(|group| match group.trim_start_matches('0') {
            "" => "0",
            trimmed => trimmed,
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Which document a reference found in a payment names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The document's number, case and separators aside.
    Exact(String),
    /// The one document whose number it is once leading zeros are set aside too.
    Loose(String),
    /// Leading zeros aside, it could be any of these (two or more): it names none of them.
    Ambiguous(Vec<String>),
    Unknown,
}

#[derive(Default)]
pub struct Book {
    documents: BTreeMap<String, Document>,
    allocated: FastMap<String, Money>,
    by_key: FastMap<String, String>,
    /// Numbers by [`loose_reference`]: a set, since `INV-042` and `INV-0042` share a key.
    by_loose_key: FastMap<String, BTreeSet<String>>,
    open: OpenInvoices,
    /// Our direct debits, and the money booked under each end-to-end id.
    pub collections: Collections,
    /// Gateways' payouts, and the net of the transactions that name each.
    pub payouts: Payouts,
    /// Customers of the partners on the partners-ignore list, by their latest version.
    pub ignored: IgnoredCustomers,
    /// Customers as payers: what recognises each, and their credit.
    pub customers: CustomerIndex,
    /// What each account paid to each invoice, for returns without an end-to-end id.
    pub receipts: Receipts,
    /// What the pipeline allows where money meets an invoice (tolerance, paid invoices).
    pub settlement: Settlement,
}

/// Invoices by state, for summaries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct InvoiceCounts {
    pub paid: usize,
    pub partly_paid: usize,
    pub open: usize,
}

impl Book {
    /// An empty book for a pipeline's `[reconcile]` settings.
    pub fn new(settings: &ReconcileSettings) -> Book {
        Book {
            ignored: IgnoredCustomers::new(&settings.partners_ignore),
            settlement: Settlement::of(settings),
            ..Book::default()
        }
    }

    /// Adds a document, or replaces it with a newer version (allocations are kept).
    pub fn upsert(&mut self, document: Document) {
        self.by_key.insert(
            normalize_reference(&document.number),
            document.number.clone(),
        );
        self.by_loose_key
            .entry(loose_reference(&document.number))
            .or_default()
            .insert(document.number.clone());
        let number = document.number.clone();
        self.documents.insert(number.clone(), document);
        self.reindex(&number);
    }

    /// Takes a document out of the book: no money is allocated to it any more (it was
    /// deleted, lists no lines, or its customer's partner is on the partners-ignore list).
    /// Money it already has stays allocated (the matches are facts), and is what
    /// `allocated_to` says; should it come back, it comes back with that money.
    pub fn remove(&mut self, number: &str) {
        if self.documents.remove(number).is_some() {
            self.by_key.remove(&normalize_reference(number));
            let key = loose_reference(number);
            if let Some(numbers) = self.by_loose_key.get_mut(&key) {
                numbers.remove(number);
                if numbers.is_empty() {
                    self.by_loose_key.remove(&key);
                }
            }
        }
        self.reindex(number);
    }

    /// Money allocated to a document so far, net of reversals; `None` when there is none.
    pub fn allocated_to(&self, number: &str) -> Option<Money> {
        self.allocated.get(number).copied().filter(|m| !m.is_zero())
    }

    /// Records money already allocated (from earlier runs, or just now).
    pub fn allocate(&mut self, number: &str, amount: Money) {
        self.allocated
            .entry(number.to_string())
            .and_modify(|m| m.amount += amount.amount)
            .or_insert(amount);
        self.reindex(number);
    }

    /// Sets the open-invoice index entry of one document from where it now stands.
    fn reindex(&mut self, number: &str) {
        let entry = self.invoice(number).and_then(|invoice| {
            let open = self.open_amount(number)?;
            (!open.is_zero()).then(|| OpenEntry {
                customer_id: invoice.customer_id.trim().to_string(),
                due: invoice.due_date.unwrap_or(invoice.issue_date),
                issued: invoice.issue_date,
                open,
            })
        });
        self.open.set(number, entry);
    }

    /// A customer's open invoices, oldest first: by due date (the issue date for an invoice
    /// without one), then issue date, then number.
    pub fn open_invoices_of(&self, customer_id: &str) -> impl Iterator<Item = &str> {
        self.open.of_customer(customer_id.trim())
    }

    /// The open invoices with exactly `open` still open, due from `from` to `to`.
    pub fn open_invoices_of_amount(
        &self,
        open: Money,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &str> {
        self.open.of_amount_due_between(open, from, to)
    }

    /// When an open invoice is due (its issue date if it has no due date).
    pub fn due(&self, number: &str) -> Option<NaiveDate> {
        self.open.get(number).map(|e| e.due)
    }

    /// Learns what a match (new, or committed and replayed) says of the customer beyond the
    /// money on invoices: the account that paid their invoice, the credit they have.
    pub fn remember(&mut self, line: &BankLine, m: &Match) {
        let Some(customer) = m.customer_id.as_deref() else {
            return;
        };
        match (m.kind, m.document.as_deref()) {
            (MatchKind::Allocation, Some(invoice)) => {
                let account = self.account_of(line, m);
                self.receipts.record(&account, invoice, &line.id, m.amount);
                if m.confidence >= TEACHES_PAYER {
                    self.customers
                        .paid(&account, customer, invoice, line.booking_date);
                }
            }
            (MatchKind::Reversal, Some(invoice)) => {
                let account = self.account_of(line, m);
                self.receipts.take_back(&account, invoice, -m.amount);
            }
            (MatchKind::Credit, _) => self.customers.add_credit(customer, m.amount),
            _ => {}
        }
    }

    /// The account the money of a match came from (or went back to).
    fn account_of(&self, line: &BankLine, m: &Match) -> String {
        // A collection of a block booked as one sum names its debtor only in the pain.008
        // we sent.
        self.collections
            .get(&m.end_to_end_id)
            .map(|d| d.debtor_iban.as_str())
            .filter(|iban| !iban.is_empty())
            .unwrap_or_else(|| payer_account(line, &m.end_to_end_id))
            .to_string()
    }

    /// Allocates money of a bank line, remembered under its end-to-end id (when it has one)
    /// so that a return or a rejection can find it again.
    pub fn pay(&mut self, number: &str, amount: Money, end_to_end_id: &str, bank_line_id: &str) {
        self.allocate(number, amount);
        self.collections.record_payment(
            end_to_end_id,
            Payment {
                bank_line_id: bank_line_id.to_string(),
                invoice: number.to_string(),
                amount,
            },
        );
    }

    /// Re-applies a committed match, so the book stands where the ledger says: money on
    /// invoices, the payments under each end-to-end id, the debits still awaited.
    pub fn replay(&mut self, m: &Match) {
        let e2e = m.end_to_end_id.as_str();
        match (m.kind, m.document.as_deref()) {
            (MatchKind::Allocation, Some(doc)) => self.pay(doc, m.amount, e2e, &m.bank_line_id),
            (MatchKind::Reversal, Some(doc)) => {
                self.allocate(doc, m.amount);
                self.collections.take_payments(e2e, -m.amount.amount);
            }
            (MatchKind::Returned, _) if m.amount.amount.is_sign_positive() => {
                let rejection = self
                    .collections
                    .get(e2e)
                    .and_then(|d| self.collections.rejection(d))
                    .cloned()
                    .unwrap_or_else(|| super::Rejection {
                        reason: "rejected".to_string(),
                        file: String::new(),
                        line: 0,
                    });
                self.collections.await_debit(e2e, rejection);
            }
            (MatchKind::Returned, _) => {
                self.collections.take_awaited_debit(e2e);
            }
            (MatchKind::Payout, Some(payout)) if m.amount.amount.is_sign_positive() => {
                self.payouts.credited(payout, &m.bank_line_id);
            }
            _ => {}
        }
    }

    /// The document number a text found by the invoice pattern refers to, if any: exactly,
    /// or loosely when that fits one document only.
    pub fn number_for(&self, found: &str) -> Option<String> {
        match self.lookup(found) {
            Lookup::Exact(number) | Lookup::Loose(number) => Some(number),
            Lookup::Ambiguous(_) | Lookup::Unknown => None,
        }
    }

    /// The document `found` names. An exact key always wins over a loose one; a loose key
    /// that fits two documents names neither, since guessing would put money on the wrong
    /// customer's invoice.
    pub fn lookup(&self, found: &str) -> Lookup {
        if let Some(number) = self.by_key.get(&normalize_reference(found)) {
            return Lookup::Exact(number.clone());
        }
        let numbers: Vec<String> = self
            .by_loose_key
            .get(&loose_reference(found))
            .map(|numbers| numbers.iter().cloned().collect())
            .unwrap_or_default();
        match numbers.as_slice() {
            [] => Lookup::Unknown,
            [number] => Lookup::Loose(number.clone()),
            _ => Lookup::Ambiguous(numbers),
        }
    }

    pub fn invoice(&self, number: &str) -> Option<&Document> {
        self.documents
            .get(number)
            .filter(|d| d.kind == DocumentKind::Invoice)
    }

    fn allocated(&self, number: &str) -> Money {
        let currency = self.documents[number].total.currency;
        self.allocated
            .get(number)
            .copied()
            .unwrap_or(Money::zero(currency))
    }

    /// What is still owed on an open invoice; `None` for anything that is not one.
    pub fn open_amount(&self, number: &str) -> Option<Money> {
        let invoice = self.invoice(number)?;
        if invoice.status != DocumentStatus::Open {
            return Some(Money::zero(invoice.total.currency));
        }
        let open = invoice.total.amount - self.allocated(number).amount;
        Some(Money {
            amount: open.max(rust_decimal::Decimal::ZERO),
            currency: invoice.total.currency,
        })
    }

    /// Every invoice with money still open, and how much.
    pub fn open_invoices(&self) -> impl Iterator<Item = (&Document, Money)> {
        self.documents.values().filter_map(|d| {
            let open = self.open_amount(&d.number)?;
            (!open.is_zero()).then_some((d, open))
        })
    }

    /// "paid", "cancelled" or "fully allocated", for explanations.
    pub fn state_word(&self, number: &str) -> &'static str {
        match self.invoice(number).map(|d| d.status) {
            Some(DocumentStatus::Paid) => "marked paid in the billing system",
            Some(DocumentStatus::Cancelled) => "cancelled",
            _ => "paid in full",
        }
    }

    pub fn invoice_counts(&self) -> InvoiceCounts {
        let mut counts = InvoiceCounts::default();
        for (number, doc) in &self.documents {
            if doc.kind != DocumentKind::Invoice || doc.status == DocumentStatus::Cancelled {
                continue;
            }
            let open = self
                .open_amount(number)
                .map(|m| m.amount)
                .unwrap_or_default();
            if open.is_zero() {
                counts.paid += 1;
            } else if open < doc.total.amount {
                counts.partly_paid += 1;
            } else {
                counts.open += 1;
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::reference_fixtures::{book, invoice};

    #[test]
    fn the_loose_key_keeps_groups_and_drops_leading_zeros() {
        for (text, key) in [
            ("INV-2026-0042", "INV-2026-42"),
            ("inv 2026 42", "INV-2026-42"),
            ("INV2026/042", "INV-2026-42"),
            ("INV20260042", "INV-20260042"),
            ("RE-000", "RE-0"),
            ("A0B", "A-0-B"),
            ("", ""),
        ] {
            assert_eq!(loose_reference(text), key, "{text}");
        }
    }

    #[test]
    fn an_exact_key_wins_and_a_loose_one_must_fit_one_document() {
        let book = book(&[("INV-2026-0042", 1, "1.00"), ("INV-2026-7", 1, "1.00")]);
        assert_eq!(
            book.lookup("inv 2026 0042"),
            Lookup::Exact("INV-2026-0042".into())
        );
        assert_eq!(
            book.lookup("INV-2026-42"),
            Lookup::Loose("INV-2026-0042".into())
        );
        assert_eq!(
            book.lookup("INV-2026-007"),
            Lookup::Loose("INV-2026-7".into())
        );
        assert_eq!(book.lookup("INV-2026-4200"), Lookup::Unknown);
        assert_eq!(book.number_for("INV-2026-42"), Some("INV-2026-0042".into()));

        let mut book = book;
        book.upsert(invoice("INV-2026-042", 2, "1.00"));
        assert_eq!(
            book.lookup("INV-2026-42"),
            Lookup::Ambiguous(vec!["INV-2026-0042".into(), "INV-2026-042".into()])
        );
        assert_eq!(book.number_for("INV-2026-42"), None);
        assert_eq!(
            book.lookup("INV-2026-042"),
            Lookup::Exact("INV-2026-042".into())
        );
        book.remove("INV-2026-042");
        assert_eq!(
            book.lookup("INV-2026-42"),
            Lookup::Loose("INV-2026-0042".into())
        );
    }
}
