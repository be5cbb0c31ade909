//! Money in and out per bank account and currency, and the documents issued per currency:
//! exact sums of the ledger's decimals.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::ledger::{BankLineRow, DocumentRow};
use crate::model::{Currency, DocumentKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTotals {
    pub account: String,
    pub currency: Currency,
    pub lines_in: usize,
    pub money_in: Decimal,
    pub lines_out: usize,
    /// As a positive amount: what left the account.
    pub money_out: Decimal,
}

impl AccountTotals {
    pub fn net(&self) -> Decimal {
        self.money_in - self.money_out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentTotals {
    pub currency: Currency,
    pub invoices: usize,
    pub invoiced: Decimal,
    pub credit_notes: usize,
    /// As a positive amount.
    pub credited: Decimal,
    /// Documents recorded but kept out of the books (deleted, without lines, a partner on the
    /// ignore list): counted, not summed.
    pub not_applied: usize,
}

/// By account, then currency.
pub fn account_totals(lines: &[&BankLineRow]) -> Vec<AccountTotals> {
    let mut by: BTreeMap<(&str, &str), AccountTotals> = BTreeMap::new();
    for row in lines {
        let line = &row.line;
        let totals = by
            .entry((line.account.as_str(), line.amount.currency.code()))
            .or_insert_with(|| AccountTotals {
                account: line.account.clone(),
                currency: line.amount.currency,
                lines_in: 0,
                money_in: Decimal::ZERO,
                lines_out: 0,
                money_out: Decimal::ZERO,
            });
        if line.amount.amount.is_sign_negative() {
            totals.lines_out += 1;
            totals.money_out -= line.amount.amount;
        } else {
            totals.lines_in += 1;
            totals.money_in += line.amount.amount;
        }
    }
    by.into_values().collect()
}

/// By currency.
pub fn document_totals(documents: &[&DocumentRow]) -> Vec<DocumentTotals> {
    let mut by: BTreeMap<&str, DocumentTotals> = BTreeMap::new();
    for row in documents {
        let d = &row.document;
        let totals = by
            .entry(d.total.currency.code())
            .or_insert_with(|| DocumentTotals {
                currency: d.total.currency,
                invoices: 0,
                invoiced: Decimal::ZERO,
                credit_notes: 0,
                credited: Decimal::ZERO,
                not_applied: 0,
            });
        if !row.applied || row.ignored.is_some() {
            totals.not_applied += 1;
            continue;
        }
        match d.kind {
            DocumentKind::Invoice => {
                totals.invoices += 1;
                totals.invoiced += d.total.amount;
            }
            DocumentKind::CreditNote => {
                totals.credit_notes += 1;
                totals.credited += d.total.amount.abs();
            }
        }
    }
    by.into_values().collect()
}
