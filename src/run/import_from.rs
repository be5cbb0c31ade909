//! `reconcile.import_from`: entries booked before that day are written to the ledger with
//! the reason and counted in the summary, but never reconciled — the books before it are
//! kept elsewhere, and placing their money again would pay invoices twice. They are not
//! remembered as seen either, so they never stand in for an entry that is applied.

use super::Run;
use crate::ledger::BankLineRow;
use crate::model::BankLine;

impl Run<'_> {
    pub(super) fn booked_before_import_from(&self, line: &BankLine) -> bool {
        self.pipeline
            .reconcile
            .import_from
            .is_some_and(|from| line.booking_date < from)
    }

    /// The row of an entry booked before the import-from date: recorded, not applied.
    pub(super) fn not_imported(&mut self, line: &BankLine, fingerprint: String) -> BankLineRow {
        self.summary.bank_lines.before_import_from += 1;
        BankLineRow {
            run_id: self.run_id.clone(),
            line: line.clone(),
            applied: false,
            duplicate_of: String::new(),
            note: format!(
                "booked {} before reconcile.import_from {}: recorded, not reconciled",
                line.booking_date,
                self.pipeline.reconcile.import_from.unwrap_or_default()
            ),
            fingerprint,
        }
    }
}
