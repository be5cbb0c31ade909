//! Applying direct-debit files: pain.008 collections join the book (each end-to-end id once),
//! pain.002 statuses are recorded with their effect — a rejection of a collection already
//! booked as paid reverses that money and reopens the invoice.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::Run;
use crate::ledger::{CollectionRow, StatusRow};
use crate::model::{DirectDebit, Match, PaymentStatus};
use crate::reconcile;

impl Run<'_> {
    pub(super) fn apply_direct_debits(&mut self, debits: &[DirectDebit]) {
        for debit in debits {
            let earlier = self
                .known
                .book
                .collections
                .get(&debit.end_to_end_id)
                .map(|d| (d.lineage.file_name.clone(), d.lineage.line));
            let invoice = reconcile::invoice_of(debit, &self.known.book, &self.pipeline.reconcile)
                .unwrap_or_default();
            let (duplicate, note) = match earlier {
                Some((file, line)) => {
                    self.summary.direct_debits.collections_seen_before += 1;
                    (
                        true,
                        format!(
                            "end-to-end id {} already known from {file} line {line}; not added again",
                            debit.end_to_end_id
                        ),
                    )
                }
                None => {
                    self.summary.direct_debits.collections_new += 1;
                    self.known.book.collections.add(debit.clone());
                    let note = if invoice.is_empty() {
                        "names no known invoice yet (remittance, creditor reference, end-to-end id)"
                            .to_string()
                    } else {
                        String::new()
                    };
                    (false, note)
                }
            };
            self.new.collections.push(CollectionRow {
                run_id: self.run_id.clone(),
                debit: debit.clone(),
                invoice,
                duplicate,
                note,
            });
        }
    }

    /// Records each status; returns the matches rejections wrote (reversals of money that
    /// was already booked).
    pub(super) fn apply_statuses(&mut self, statuses: &[PaymentStatus]) -> Vec<Match> {
        let mut matches = Vec::new();
        for status in statuses {
            let effect = reconcile::apply_status(status, &mut self.known.book);
            let counts = &mut self.summary.direct_debits;
            counts.statuses += 1;
            if !status.is_about_collections() {
                counts.statuses_on_other_payments += 1;
            }
            counts.rejected += effect.rejected;
            for m in &effect.reversed {
                let total = self
                    .money_reversed
                    .entry(m.currency.code().to_string())
                    .or_insert(Decimal::ZERO);
                *total += m.amount;
            }
            counts.reversed_by_status += effect.reversed.len();
            matches.extend(effect.matches);
            self.new.payment_statuses.push(StatusRow {
                run_id: self.run_id.clone(),
                status: status.clone(),
                effect: effect.effect,
            });
        }
        matches
    }
}

/// Totals per currency as the summary prints them.
pub(super) fn per_currency(totals: &BTreeMap<String, Decimal>) -> BTreeMap<String, String> {
    totals
        .iter()
        .map(|(c, a)| (c.clone(), a.to_string()))
        .collect()
}
