//! Applying a customer export: a customer becomes a new version only when it changed, and
//! each version is flagged when its partner is on the partners-ignore list. A customer
//! moving onto or off the list takes its documents out of the book or back into it, so the
//! rest of the run already reconciles by the latest version.

use std::collections::BTreeSet;

use super::Run;
use crate::ledger::CustomerRow;
use crate::model::Customer;

impl Run<'_> {
    pub(super) fn apply_customers(&mut self, customers: &[Customer]) {
        let mut moved = BTreeSet::new();
        for customer in customers {
            let counts = &mut self.summary.customers;
            let version = match self.known.customers.get(&customer.id) {
                None => {
                    counts.new += 1;
                    1
                }
                Some((_, old)) if old.same_content(customer) => {
                    counts.unchanged += 1;
                    continue;
                }
                Some((v, _)) => {
                    counts.updated += 1;
                    v + 1
                }
            };
            let ignored = &mut self.known.book.ignored;
            let was_kept_out = ignored.is_kept_out(&customer.id);
            let reason = ignored.reason(customer);
            if ignored.update(customer) != was_kept_out {
                moved.insert(customer.id.trim().to_string());
            }
            self.known.book.customers.update(customer);
            if reason.is_some() {
                self.summary.ignored.customers += 1;
            }
            self.known
                .customers
                .insert(customer.id.clone(), (version, customer.clone()));
            self.new.customers.push(CustomerRow {
                run_id: self.run_id.clone(),
                version,
                customer: customer.clone(),
                ignored: reason,
            });
        }
        if moved.is_empty() {
            return;
        }
        // Sorted, so the book is built the same way on every run.
        let mut affected: Vec<&String> = self
            .known
            .documents
            .iter()
            .filter(|(_, row)| moved.contains(row.document.customer_id.trim()))
            .map(|(number, _)| number)
            .collect();
        affected.sort();
        for number in affected {
            let document = &self.known.documents[number].document;
            // Back in the book only if it is applied on its own terms (not deleted, and with
            // lines when the export lists lines).
            if self.known.book.ignored.is_kept_out(&document.customer_id)
                || document.not_applied().is_some()
            {
                self.known.book.remove(number);
            } else {
                self.known.book.upsert(document.clone());
            }
        }
    }
}
