//! The ledger: append-only Parquet tables under one folder, readable by any Parquet engine.
//!
//! ```text
//! ledger/
//!   files/<run-id>.parquet        one segment per table per run
//!   customers/<run-id>.parquet    customers, a new version only when one changed
//!   transactions/<run-id>.parquet the billing system's transactions, versioned the same way
//!   documents/<run-id>.parquet
//!   bank_lines/<run-id>.parquet
//!   matches/<run-id>.parquet
//!   statements/<run-id>.parquet        bank statements read, with their continuity note
//!   collections/<run-id>.parquet       pain.008 transactions we sent
//!   payment_statuses/<run-id>.parquet  pain.002 statuses, with their effect
//!   document_lines/<run-id>.parquet    the lines of each document version written
//!   decisions/<run-id>.parquet         what changed a line's matches later: a run's retry,
//!                                      a person's pair, unpair or removed rule
//!   target_documents/<run-id>.parquet document versions a target that imports documents staged or held
//!   remote_ids/<commit-id>.parquet     what a platform created for each record a push delivered
//!   journal/<run-id>.json         the commit record, written last (see `commit`)
//!   journal/<run-id>.log          a run's log for auditors: read, decided, written
//! ```
//! Only segments named by a journal record are facts; anything else is an unfinished run
//! that recovery removes. Nothing is ever rewritten in place.

mod balances;
mod commit;
mod continuity;
mod customers;
mod decisions;
mod direct_debits;
mod document_lines;
mod frame;
mod remote_ids;
mod staging;
mod tables;
mod transactions;

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use thiserror::Error;

use crate::model::BankLine;

pub use balances::{CustomerBalance, balances, latest_transactions};
pub use commit::{JournalRecord, Move, Recovery, SegmentInfo, apply_move};
pub use continuity::{Continuity, Finding, FindingKind, check_new, latest, open_problems};
pub use customers::CustomerRow;
pub use decisions::{
    DecisionAction, DecisionRow, current_matches, held_by_person, learned_rules, withdrawn,
};
pub use direct_debits::{CollectionRow, StatusRow};
pub use remote_ids::RemoteIdRow;
pub use staging::StagingRow;
pub use tables::{BankLineRow, DocumentRow, FileRow, FileStatus, MatchRow, StatementRow, Table};
pub use transactions::TransactionRow;

#[derive(Debug, Error)]
pub enum LedgerError {
    #[error("ledger {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source} — check free disk space and permissions")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("ledger segment {segment} cannot be read: {message}")]
    Corrupt { segment: String, message: String },
    #[error("ledger Parquet error: {0}")]
    Polars(#[from] PolarsError),
    #[error("journal record {path} cannot be read: {message}")]
    Journal { path: PathBuf, message: String },
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LedgerError + '_ {
    move |source| LedgerError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// For writes, whose usual failure (a full disk) a person can fix.
pub(crate) fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> LedgerError + '_ {
    move |source| LedgerError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Rows of every table: what one run appends, or everything committed so far.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Facts {
    pub files: Vec<FileRow>,
    pub customers: Vec<CustomerRow>,
    pub transactions: Vec<TransactionRow>,
    pub documents: Vec<DocumentRow>,
    pub bank_lines: Vec<BankLineRow>,
    pub matches: Vec<MatchRow>,
    pub statements: Vec<StatementRow>,
    pub collections: Vec<CollectionRow>,
    pub payment_statuses: Vec<StatusRow>,
    pub decisions: Vec<DecisionRow>,
    pub target_documents: Vec<StagingRow>,
    pub remote_ids: Vec<RemoteIdRow>,
}

impl Facts {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
            && self.customers.is_empty()
            && self.transactions.is_empty()
            && self.documents.is_empty()
            && self.bank_lines.is_empty()
            && self.matches.is_empty()
            && self.statements.is_empty()
            && self.collections.is_empty()
            && self.payment_statuses.is_empty()
            && self.decisions.is_empty()
            && self.target_documents.is_empty()
            && self.remote_ids.is_empty()
    }

    /// The applied bank lines (not duplicates, not before the import-from date), by id.
    pub fn applied_lines(&self) -> HashMap<&str, &BankLine> {
        self.bank_lines
            .iter()
            .filter(|r| r.applied)
            .map(|r| (r.line.id.as_str(), &r.line))
            .collect()
    }

    /// The rows one commit appended, in the order it wrote them.
    pub fn of_commit(&self, run_id: &str) -> Facts {
        fn rows<T: Clone>(all: &[T], run_id: &str, of: fn(&T) -> &str) -> Vec<T> {
            all.iter().filter(|r| of(r) == run_id).cloned().collect()
        }
        Facts {
            files: rows(&self.files, run_id, |r| &r.run_id),
            customers: rows(&self.customers, run_id, |r| &r.run_id),
            transactions: rows(&self.transactions, run_id, |r| &r.run_id),
            documents: rows(&self.documents, run_id, |r| &r.run_id),
            bank_lines: rows(&self.bank_lines, run_id, |r| &r.run_id),
            matches: rows(&self.matches, run_id, |r| &r.run_id),
            statements: rows(&self.statements, run_id, |r| &r.run_id),
            collections: rows(&self.collections, run_id, |r| &r.run_id),
            payment_statuses: rows(&self.payment_statuses, run_id, |r| &r.run_id),
            decisions: rows(&self.decisions, run_id, |r| &r.run_id),
            target_documents: rows(&self.target_documents, run_id, |r| &r.run_id),
            remote_ids: rows(&self.remote_ids, run_id, |r| &r.run_id),
        }
    }

    fn frame(&self, table: Table) -> Result<DataFrame, LedgerError> {
        match table {
            Table::Files => tables::files_frame(&self.files),
            Table::Customers => customers::customers_frame(&self.customers),
            Table::Transactions => transactions::transactions_frame(&self.transactions),
            Table::Documents => tables::documents_frame(&self.documents),
            Table::BankLines => tables::bank_lines_frame(&self.bank_lines),
            Table::Matches => tables::matches_frame(&self.matches),
            Table::Statements => tables::statements_frame(&self.statements),
            Table::Collections => direct_debits::collections_frame(&self.collections),
            Table::PaymentStatuses => direct_debits::statuses_frame(&self.payment_statuses),
            Table::DocumentLines => document_lines::lines_frame(&self.documents),
            Table::Decisions => decisions::decisions_frame(&self.decisions),
            Table::TargetDocuments => staging::staging_frame(&self.target_documents),
            Table::RemoteIds => remote_ids::remote_ids_frame(&self.remote_ids),
        }
    }

    fn extend_from(&mut self, table: Table, reader: &frame::Reader<'_>) -> Result<(), LedgerError> {
        match table {
            Table::Files => self.files.extend(tables::files_rows(reader)?),
            Table::Customers => self.customers.extend(customers::customers_rows(reader)?),
            Table::Transactions => self
                .transactions
                .extend(transactions::transactions_rows(reader)?),
            Table::Documents => self.documents.extend(tables::documents_rows(reader)?),
            Table::BankLines => self.bank_lines.extend(tables::bank_lines_rows(reader)?),
            Table::Matches => self.matches.extend(tables::matches_rows(reader)?),
            Table::Statements => self.statements.extend(tables::statements_rows(reader)?),
            Table::Collections => self
                .collections
                .extend(direct_debits::collections_rows(reader)?),
            Table::PaymentStatuses => self
                .payment_statuses
                .extend(direct_debits::statuses_rows(reader)?),
            Table::DocumentLines => document_lines::attach(&mut self.documents, reader)?,
            Table::Decisions => self.decisions.extend(decisions::decisions_rows(reader)?),
            Table::TargetDocuments => self.target_documents.extend(staging::staging_rows(reader)?),
            Table::RemoteIds => self.remote_ids.extend(remote_ids::remote_ids_rows(reader)?),
        }
        Ok(())
    }
}

pub struct Ledger {
    root: PathBuf,
}

impl Ledger {
    pub fn new(root: &Path) -> Ledger {
        Ledger {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every committed fact, in commit order.
    pub fn load(&self) -> Result<Facts, LedgerError> {
        let mut facts = Facts::default();
        for record in self.journal()? {
            for table in Table::ALL {
                if let Some(segment) = record.segments.get(table.name()) {
                    let path = self.root.join(&segment.file);
                    let frame = read_parquet(&path)?;
                    let name = segment.file.clone();
                    facts.extend_from(
                        table,
                        &frame::Reader {
                            frame: &frame,
                            segment: &name,
                        },
                    )?;
                }
            }
        }
        Ok(facts)
    }

    /// Writes one table's segment of a run durably; `None` when the run has no rows for
    /// it. A segment is not a fact until `commit` names it.
    pub fn write_segment(
        &self,
        run_id: &str,
        table: Table,
        facts: &Facts,
    ) -> Result<Option<SegmentInfo>, LedgerError> {
        let mut frame = facts.frame(table)?;
        if frame.height() == 0 {
            return Ok(None);
        }
        let file = format!("{}/{run_id}.parquet", table.name());
        write_parquet(&self.root.join(&file), &mut frame)?;
        Ok(Some(SegmentInfo {
            file,
            rows: frame.height() as u64,
        }))
    }
}

fn read_parquet(path: &Path) -> Result<DataFrame, LedgerError> {
    let file = File::open(path).map_err(io(path))?;
    Ok(ParquetReader::new(file).finish()?)
}

/// Parquet through the temporary-name protocol of `durable`. Encoded in memory first:
/// polars reports a failed write (a full disk) as a broken Parquet transport, which tells
/// a person nothing, while `durable` keeps the operating system's reason and the path.
fn write_parquet(path: &Path, frame: &mut DataFrame) -> Result<(), LedgerError> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(frame)?;
    crate::durable::write_atomic(path, &bytes).map_err(write_error(path))
}
