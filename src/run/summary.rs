//! What a run did, in numbers and names: printed by `sluice run`, kept in the journal.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::ledger::Finding;
use crate::reconcile::InvoiceCounts;

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FileCounts {
    /// Files looked at (not counting ignored temporary and lock files).
    pub read: usize,
    pub processed: usize,
    pub already_processed: usize,
    pub duplicates: usize,
    pub quarantined: usize,
    pub ignored: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Quarantined {
    pub file: String,
    /// Where the file (with `after = "keep"`, a copy of it) now is.
    pub moved_to: PathBuf,
    pub reason: String,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct LineCounts {
    pub new: usize,
    pub skipped_as_seen_before: usize,
    /// Pending or information-only entries of bank statements: reported, not applied.
    pub not_booked: usize,
    /// Entries booked before `reconcile.import_from`: recorded in the ledger, not reconciled.
    pub before_import_from: usize,
}

/// Bank statements read, and how they continue the account's earlier statements.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct StatementCounts {
    pub read: usize,
    /// Missing statements and pages, balances that do not follow on, statements read again
    /// with other balances, and late statements that fill a gap. The entries are applied
    /// either way.
    pub continuity: Vec<Finding>,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct DocumentCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub credit_notes: usize,
    /// Of the new and updated: deleted in the billing system, recorded and not applied.
    pub deleted: usize,
    /// Of the new and updated: an export with lines gave none, recorded and not applied.
    pub without_lines: usize,
    /// Documents that left the book in this run (deleted, or re-exported without lines)
    /// with money already allocated to them. The allocations stand until a person moves
    /// them; each such version's ledger note says how much.
    pub withdrawn_with_money: usize,
}

/// Customers taken in: new ones, changed ones (a new version), and ones exported again
/// with nothing new.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct CustomerCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The billing system's transactions taken in: new ones, corrected ones (a new version),
/// and ones exported again with nothing new.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct TransactionCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What this run kept out of reconciliation and of every target because of
/// `reconcile.partners_ignore`: customer and document versions it wrote flagged, and entries
/// it recorded as `ignored`.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct IgnoredCounts {
    pub customers: usize,
    pub documents: usize,
    pub entries: usize,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Outcomes {
    pub matched: usize,
    pub partly_matched: usize,
    pub unmatched: usize,
    pub outgoing: usize,
    /// Returns and reversals: money back that reopened invoices.
    pub returned: usize,
    /// Lines of earlier runs that waited for a person, placed now (an invoice they name
    /// arrived since): counted here, not above.
    pub placed_on_retry: usize,
}

/// A document a target that imports documents (Xero, QuickBooks, Sage) held because its mapping does not cover it: never
/// staged as a row the platform would refuse, staged by the first run after the pipeline names what is missing.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HeldDocument {
    pub target: String,
    pub document: String,
    pub version: i64,
    /// The input file and line the document came from.
    pub file: String,
    pub line: u64,
    /// What the mapping lacks (the unmapped category or VAT rate, with the line).
    pub reason: String,
    /// What to add to the pipeline file.
    pub fix: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BatchSummary {
    pub target: String,
    pub path: PathBuf,
    pub files: usize,
    pub records: u64,
    /// Records staged apart because they need a document the target holds (a payment on
    /// an invoice not yet in the platform), with the documents they wait for.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub waiting: Vec<(usize, Vec<String>)>,
}

/// SEPA direct debits: collections taken in from pain.008, statuses from pain.002.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct DirectDebitCounts {
    pub collections_new: usize,
    pub collections_seen_before: usize,
    pub statuses: usize,
    /// Of `statuses`, those on payments we sent (a pain.001's credit transfers): recorded
    /// only, since they do not concern collections.
    pub statuses_on_other_payments: usize,
    /// Collections a status report rejected.
    pub rejected: usize,
    /// Booked collections whose money a rejection took back from the invoice.
    pub reversed_by_status: usize,
}

/// Payment gateways' exports: their entries on each gateway's clearing account.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct GatewayCounts {
    /// Settled transactions taken in (each is a payment entry, plus a fee entry when the
    /// gateway kept one).
    pub transactions: usize,
    /// Settled payouts taken in.
    pub payouts: usize,
    /// Pending, declined or failed transactions and payouts: reported, not applied.
    pub not_settled: usize,
    /// Fees booked, per currency.
    pub fees: BTreeMap<String, String>,
    /// Bank credits matched to a gateway's payout in this run.
    pub payouts_credited: usize,
    /// Of those, payouts known only from the transactions disbursed in them (Braintree's):
    /// each got its entry on the clearing account from the bank's credit.
    pub payouts_implied: usize,
    /// Payouts the transactions naming them do not add up to: the difference waits in the
    /// unmatched list.
    pub payouts_with_difference: usize,
}

/// What a run did; `sluice run --json` prints exactly this.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub pipeline: String,
    /// The committed run, or none when there was nothing new to commit.
    pub run_id: Option<String>,
    pub files: FileCounts,
    pub quarantined: Vec<Quarantined>,
    pub bank_lines: LineCounts,
    pub statements: StatementCounts,
    pub customers: CustomerCounts,
    pub transactions: TransactionCounts,
    pub documents: DocumentCounts,
    pub reconciled: Outcomes,
    pub direct_debits: DirectDebitCounts,
    pub gateways: GatewayCounts,
    pub ignored: IgnoredCounts,
    /// Money allocated to invoices in this run, per currency.
    pub money_matched: BTreeMap<String, String>,
    /// Money taken back from invoices in this run (returns, reversals, rejections).
    pub money_reversed: BTreeMap<String, String>,
    /// All invoices in the ledger after this run.
    pub invoices: InvoiceCounts,
    pub batches: Vec<BatchSummary>,
    /// Documents held for the mapping of a target that imports documents: new ones and those still waiting.
    pub held_documents: Vec<HeldDocument>,
    /// Leftovers of an interrupted earlier run that this run cleaned up or finished.
    pub recovered: Recovered,
    /// The files the run took in, as the file registry records them (for `--verbose`; the
    /// JSON summary and the journal keep to the counts).
    #[serde(skip)]
    pub read: Vec<crate::ledger::FileRow>,
    /// The run's log for auditors, once committed.
    #[serde(skip)]
    pub log: Option<PathBuf>,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Recovered {
    pub discarded_segments: usize,
    pub discarded_batches: usize,
    pub completed_moves: usize,
}

impl Summary {
    /// 0 all processed; 3 committed, but something went to quarantine.
    pub fn exit_code(&self) -> i32 {
        if self.quarantined.is_empty() { 0 } else { 3 }
    }
}

impl Summary {
    pub fn new(pipeline: &str, recovered: Recovered) -> Summary {
        Summary {
            pipeline: pipeline.to_string(),
            run_id: None,
            files: FileCounts::default(),
            quarantined: Vec::new(),
            bank_lines: LineCounts::default(),
            statements: StatementCounts::default(),
            customers: CustomerCounts::default(),
            transactions: TransactionCounts::default(),
            documents: DocumentCounts::default(),
            reconciled: Outcomes::default(),
            direct_debits: DirectDebitCounts::default(),
            gateways: GatewayCounts::default(),
            ignored: IgnoredCounts::default(),
            money_matched: BTreeMap::new(),
            money_reversed: BTreeMap::new(),
            invoices: InvoiceCounts::default(),
            batches: Vec::new(),
            held_documents: Vec::new(),
            recovered,
            read: Vec::new(),
            log: None,
        }
    }
}
