//! A transaction as a billing system keeps it on a customer's account: every charge,
//! payment, correction, credit note and refund is one, with a debit (what the customer owes
//! more) or a credit (what they owe less). The customer's balance is the sum of their
//! transactions' credits less their debits, so a ledger of these answers "what does the
//! billing system say this customer owes" without recomputing the billing system's logic.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Lineage, Money};

/// What a transaction is, as sluice understands the billing system's type text. The text
/// itself is kept on the transaction: the kind groups, the text is what the system said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BillingTransactionKind {
    Charge,
    Payment,
    Correction,
    CreditNote,
    Refund,
    Other,
}

impl BillingTransactionKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            BillingTransactionKind::Charge => "charge",
            BillingTransactionKind::Payment => "payment",
            BillingTransactionKind::Correction => "correction",
            BillingTransactionKind::CreditNote => "credit_note",
            BillingTransactionKind::Refund => "refund",
            BillingTransactionKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<BillingTransactionKind> {
        [
            BillingTransactionKind::Charge,
            BillingTransactionKind::Payment,
            BillingTransactionKind::Correction,
            BillingTransactionKind::CreditNote,
            BillingTransactionKind::Refund,
            BillingTransactionKind::Other,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The kind a billing system's type text names. Exports word these differently
    /// (`Invoice`, `Recurring charge`, `Gutschrift`, `Zahlung` …), so the words are matched
    /// case-insensitively, the most specific first: "credit note" before "credit".
    pub fn from_type_text(text: &str) -> BillingTransactionKind {
        let text = text.trim().to_lowercase();
        const WORDS: [(&str, BillingTransactionKind); 17] = [
            ("credit note", BillingTransactionKind::CreditNote),
            ("credit_note", BillingTransactionKind::CreditNote),
            ("creditnote", BillingTransactionKind::CreditNote),
            ("gutschrift", BillingTransactionKind::CreditNote),
            ("refund", BillingTransactionKind::Refund),
            ("erstattung", BillingTransactionKind::Refund),
            ("correction", BillingTransactionKind::Correction),
            ("adjustment", BillingTransactionKind::Correction),
            ("korrektur", BillingTransactionKind::Correction),
            ("payment", BillingTransactionKind::Payment),
            ("zahlung", BillingTransactionKind::Payment),
            ("charge", BillingTransactionKind::Charge),
            ("invoice", BillingTransactionKind::Charge),
            ("rechnung", BillingTransactionKind::Charge),
            ("debit", BillingTransactionKind::Charge),
            ("fee", BillingTransactionKind::Charge),
            ("credit", BillingTransactionKind::CreditNote),
        ];
        WORDS
            .iter()
            .find(|(word, _)| text.contains(word))
            .map_or(BillingTransactionKind::Other, |(_, kind)| *kind)
    }
}

impl fmt::Display for BillingTransactionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingTransaction {
    /// The billing system's transaction id: what a re-export names again.
    pub id: String,
    pub customer_id: String,
    pub date: NaiveDate,
    pub kind: BillingTransactionKind,
    /// The type as the export wrote it (`Recurring charge`); empty when it has no type column.
    pub type_text: String,
    /// What the customer owes more; never negative.
    pub debit: Money,
    /// What the customer owes less; never negative, same currency as `debit`.
    pub credit: Money,
    pub description: String,
    /// The invoice or credit note it concerns; empty when none.
    pub document: String,
    pub category: String,
    pub lineage: Lineage,
}

impl BillingTransaction {
    /// Its effect on the customer's balance: credit − debit. Positive means the customer
    /// has money with us, negative that they owe it.
    pub fn balance_effect(&self) -> Decimal {
        self.credit.amount - self.debit.amount
    }

    /// Whether a re-exported transaction says anything new (where it came from does not
    /// count).
    pub fn same_content(&self, other: &BillingTransaction) -> bool {
        let mut other = other.clone();
        other.lineage = self.lineage.clone();
        *self == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_texts_map_to_kinds_most_specific_first() {
        use BillingTransactionKind::*;
        for (text, kind) in [
            ("Recurring charge", Charge),
            ("Invoice", Charge),
            ("Payment", Payment),
            ("Credit note", CreditNote),
            ("CREDIT", CreditNote),
            ("Correction", Correction),
            ("Manual adjustment", Correction),
            ("Refund", Refund),
            ("Gutschrift", CreditNote),
            ("", Other),
            ("Voucher", Other),
        ] {
            assert_eq!(BillingTransactionKind::from_type_text(text), kind, "{text}");
        }
    }

    #[test]
    fn kinds_read_back_from_their_names() {
        for kind in [
            BillingTransactionKind::Charge,
            BillingTransactionKind::CreditNote,
            BillingTransactionKind::Other,
        ] {
            assert_eq!(BillingTransactionKind::parse(kind.as_str()), Some(kind));
        }
    }
}
