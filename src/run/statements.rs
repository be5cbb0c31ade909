//! A run's bank statements: one ledger row each, and how they continue the statements
//! already in the ledger (`ledger::continuity`) — reported in the summary and noted in each
//! row. Continuity never holds anything back: `apply` books the entries whatever it says.

use super::Run;
use super::take_in::Parsed;
use crate::ledger::{self, StatementRow};
use crate::sources::Records;

impl Run<'_> {
    pub(super) fn take_statements(&mut self, parsed: &[Parsed<'_>]) {
        for p in parsed {
            let Records::Statements(statements) = &p.records else {
                continue;
            };
            for s in statements {
                self.new.statements.push(StatementRow {
                    run_id: self.run_id.clone(),
                    file_sha256: p.file.sha256.clone(),
                    file_name: p.file.name.clone(),
                    line: s.line,
                    message: s.message.clone(),
                    id: s.id.clone(),
                    account: s.account.clone(),
                    sequence: s.sequence.clone(),
                    opening: s.opening.clone(),
                    closing: s.closing.clone(),
                    booked: s.lines.len() as i64,
                    not_booked: s.not_booked.len() as i64,
                    continuity: String::new(),
                });
            }
        }
        let continuity = ledger::check_new(&self.known.statements, &self.new.statements);
        for (row, note) in self.new.statements.iter_mut().zip(continuity.notes) {
            row.continuity = note;
        }
        self.summary.statements.read = self.new.statements.len();
        self.summary.statements.continuity = continuity.findings;
    }
}
