//! The money each account paid to each invoice, bank line by bank line: what a return
//! booked without the end-to-end id of the payment it takes back (a bank CSV's
//! `Rücklastschrift INV-2026-0042 …`) is traced back to. Kept current on every match, new
//! or replayed from the ledger (`Book::remember`).

use super::FastMap;
use super::customers::normalize_account;
use crate::model::Money;

/// One bank line's money on one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub bank_line_id: String,
    pub amount: Money,
}

#[derive(Debug, Default)]
pub struct Receipts {
    /// By (normalised account, invoice number), oldest first.
    by_payer: FastMap<(String, String), Vec<Receipt>>,
}

impl Receipts {
    /// `account` paid `amount` to `invoice` with bank line `bank_line_id`. Money without a
    /// known account is not kept: nothing could trace a return to it.
    pub fn record(&mut self, account: &str, invoice: &str, bank_line_id: &str, amount: Money) {
        let account = normalize_account(account);
        if account.is_empty() || amount.amount <= rust_decimal::Decimal::ZERO {
            return;
        }
        self.by_payer
            .entry((account, invoice.to_string()))
            .or_default()
            .push(Receipt {
                bank_line_id: bank_line_id.to_string(),
                amount,
            });
    }

    /// The latest bank line from `account` that paid exactly `amount` to `invoice`.
    pub fn paid_exactly(&self, account: &str, invoice: &str, amount: Money) -> Option<&Receipt> {
        let key = (normalize_account(account), invoice.to_string());
        self.by_payer
            .get(&key)?
            .iter()
            .rev()
            .find(|r| r.amount == amount)
    }

    /// `amount` of what `account` paid to `invoice` went back: the latest receipt of exactly
    /// that amount is gone, else that much is taken off the receipts, newest first.
    pub fn take_back(&mut self, account: &str, invoice: &str, amount: Money) {
        let key = (normalize_account(account), invoice.to_string());
        let Some(receipts) = self.by_payer.get_mut(&key) else {
            return;
        };
        if let Some(at) = receipts.iter().rposition(|r| r.amount == amount) {
            receipts.remove(at);
        } else {
            let mut left = amount.amount;
            while left > rust_decimal::Decimal::ZERO {
                let Some(last) = receipts.last_mut() else {
                    break;
                };
                let taken = last.amount.amount.min(left);
                left -= taken;
                last.amount.amount -= taken;
                if last.amount.is_zero() {
                    receipts.pop();
                }
            }
        }
        if receipts.is_empty() {
            self.by_payer.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::fixtures::eur;

    const ADA: &str = "DE89 3704 0044 0532 0130 00";

    #[test]
    fn the_latest_payment_of_exactly_the_amount_is_found_by_account_and_invoice() {
        let mut receipts = Receipts::default();
        receipts.record(ADA, "INV-1", "L1", eur(1000));
        receipts.record(ADA, "INV-1", "L2", eur(1990));
        receipts.record(ADA, "INV-1", "L3", eur(1000));
        let found = receipts.paid_exactly("DE89370400440532013000", "INV-1", eur(1000));
        assert_eq!(found.map(|r| r.bank_line_id.as_str()), Some("L3"));
        assert_eq!(receipts.paid_exactly(ADA, "INV-1", eur(999)), None);
        assert_eq!(receipts.paid_exactly(ADA, "INV-2", eur(1000)), None);
        assert_eq!(
            receipts.paid_exactly("DE44500105175407324931", "INV-1", eur(1000)),
            None
        );
    }

    #[test]
    fn money_without_an_account_or_not_paid_in_is_not_kept() {
        let mut receipts = Receipts::default();
        receipts.record("", "INV-1", "L1", eur(1000));
        receipts.record(ADA, "INV-1", "L2", eur(-1000));
        assert!(receipts.by_payer.is_empty());
    }

    #[test]
    fn taking_back_removes_the_exact_receipt_or_takes_newest_first() {
        let mut receipts = Receipts::default();
        receipts.record(ADA, "INV-1", "L1", eur(1000));
        receipts.record(ADA, "INV-1", "L2", eur(500));
        receipts.take_back(ADA, "INV-1", eur(1000));
        assert_eq!(receipts.paid_exactly(ADA, "INV-1", eur(1000)), None);
        assert!(receipts.paid_exactly(ADA, "INV-1", eur(500)).is_some());
        receipts.take_back(ADA, "INV-1", eur(200));
        assert!(receipts.paid_exactly(ADA, "INV-1", eur(300)).is_some());
        receipts.take_back(ADA, "INV-1", eur(300));
        assert!(receipts.by_payer.is_empty());
    }
}
