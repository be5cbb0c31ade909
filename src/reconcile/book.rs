//! The book of documents reconciliation works against: each invoice's latest version and
//! the money already allocated to it, looked up by a normalised invoice number.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Document, DocumentKind, DocumentStatus, Money};

/// `INV-2026-0042`, `inv 2026 0042` and `INV2026-0042` all become `INV20260042`.
pub fn normalize_reference(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[derive(Default)]
pub struct Book {
    documents: BTreeMap<String, Document>,
    allocated: HashMap<String, Money>,
    by_key: HashMap<String, String>,
}

/// Invoices by state, for summaries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct InvoiceCounts {
    pub paid: usize,
    pub partly_paid: usize,
    pub open: usize,
}

impl Book {
    /// Adds a document, or replaces it with a newer version (allocations are kept).
    pub fn upsert(&mut self, document: Document) {
        self.by_key.insert(
            normalize_reference(&document.number),
            document.number.clone(),
        );
        self.documents.insert(document.number.clone(), document);
    }

    /// Records money already allocated (from earlier runs, or just now).
    pub fn allocate(&mut self, number: &str, amount: Money) {
        self.allocated
            .entry(number.to_string())
            .and_modify(|m| m.amount += amount.amount)
            .or_insert(amount);
    }

    /// The document number a text found by the invoice pattern refers to, if any.
    pub fn number_for(&self, found: &str) -> Option<String> {
        self.by_key.get(&normalize_reference(found)).cloned()
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
