//! Applying a billing system's transaction export: a transaction becomes a new version
//! only when it changed (the billing system corrected it), so a re-export of the whole
//! history writes only what is new. Transactions are recorded, not reconciled: they are the
//! billing system's own account of each customer, kept beside ours to compare balances.

use super::Run;
use crate::ledger::TransactionRow;
use crate::model::BillingTransaction;

impl Run<'_> {
    pub(super) fn apply_transactions(&mut self, transactions: &[BillingTransaction]) {
        for transaction in transactions {
            let counts = &mut self.summary.transactions;
            let version = match self.known.transactions.get(&transaction.id) {
                None => {
                    counts.new += 1;
                    1
                }
                Some((_, old)) if old.same_content(transaction) => {
                    counts.unchanged += 1;
                    continue;
                }
                Some((v, _)) => {
                    counts.updated += 1;
                    v + 1
                }
            };
            self.known
                .transactions
                .insert(transaction.id.clone(), (version, transaction.clone()));
            self.new.transactions.push(TransactionRow {
                run_id: self.run_id.clone(),
                version,
                transaction: transaction.clone(),
            });
        }
    }
}
