//! The ledger's tables, one row type each, and how a row maps to Parquet columns.
//!
//! Column names are the public face of the ledger (DuckDB users query them), so they are
//! plain words and never change meaning: amounts are `*_minor` integers beside `currency`.

use polars::prelude::{Column, DataFrame};

use super::LedgerError;
use super::frame::{self, Reader, date, flag, int, opt_int, text};
use crate::model::{
    BankLine, Currency, Document, DocumentKind, DocumentStatus, EntryInfo, Gateway, GatewayEntry,
    GatewayRole, Lineage, Match, MatchKind, Money,
};
use crate::sources::Balance;

/// The tables a run appends to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Files,
    Customers,
    Transactions,
    Documents,
    BankLines,
    Matches,
    Statements,
    Collections,
    PaymentStatuses,
    DocumentLines,
    Decisions,
    TargetDocuments,
    RemoteIds,
}

impl Table {
    /// In the order a run writes their segments.
    /// `DocumentLines` after `Documents`: reading a run, its lines join the documents read.
    pub const ALL: [Table; 13] = [
        Table::Files,
        Table::Customers,
        Table::Transactions,
        Table::Documents,
        Table::BankLines,
        Table::Matches,
        Table::Statements,
        Table::Collections,
        Table::PaymentStatuses,
        Table::DocumentLines,
        Table::Decisions,
        Table::TargetDocuments,
        Table::RemoteIds,
    ];

    /// The table's folder under the ledger, and its name for Parquet engines.
    pub fn name(&self) -> &'static str {
        match self {
            Table::Files => "files",
            Table::Customers => "customers",
            Table::Transactions => "transactions",
            Table::Documents => "documents",
            Table::BankLines => "bank_lines",
            Table::Matches => "matches",
            Table::Statements => "statements",
            Table::Collections => "collections",
            Table::PaymentStatuses => "payment_statuses",
            Table::DocumentLines => "document_lines",
            Table::Decisions => "decisions",
            Table::TargetDocuments => "target_documents",
            Table::RemoteIds => "remote_ids",
        }
    }
}

fn opt_text<'a>(name: &str, values: impl Iterator<Item = Option<&'a str>>) -> Column {
    Column::new(name.into(), values.collect::<Vec<_>>())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Parsed and applied.
    Processed,
    /// The same bytes were applied before; nothing of it was applied again.
    Duplicate,
}

impl FileStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            FileStatus::Processed => "processed",
            FileStatus::Duplicate => "duplicate",
        }
    }
}

/// One input file a run took in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub run_id: String,
    pub sha256: String,
    pub name: String,
    pub source: String,
    pub status: FileStatus,
    pub records: i64,
    /// For a duplicate: which earlier file it repeats.
    pub note: String,
    /// Its path in the archive folder (`2026/11/bank.csv`), empty when kept in place.
    pub archived_as: String,
}

pub fn files_frame(rows: &[FileRow]) -> Result<DataFrame, LedgerError> {
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("sha256", rows.iter().map(|r| r.sha256.as_str())),
        text("name", rows.iter().map(|r| r.name.as_str())),
        text("source", rows.iter().map(|r| r.source.as_str())),
        text("status", rows.iter().map(|r| r.status.as_str())),
        int("records", rows.iter().map(|r| r.records)),
        text("note", rows.iter().map(|r| r.note.as_str())),
        text("archived_as", rows.iter().map(|r| r.archived_as.as_str())),
    ])
}

pub fn files_rows(r: &Reader<'_>) -> Result<Vec<FileRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let sha = r.texts("sha256")?;
    let name = r.texts("name")?;
    let source = r.texts("source")?;
    let status = r.texts("status")?;
    let records = r.ints("records")?;
    let note = r.texts("note")?;
    let stored = r.texts("archived_as")?;
    (0..run_id.len())
        .map(|i| {
            Ok(FileRow {
                run_id: run_id[i].clone(),
                sha256: sha[i].clone(),
                name: name[i].clone(),
                source: source[i].clone(),
                status: match status[i].as_str() {
                    "processed" => FileStatus::Processed,
                    "duplicate" => FileStatus::Duplicate,
                    other => return Err(corrupt(r, "status", other)),
                },
                records: records[i],
                note: note[i].clone(),
                archived_as: stored[i].clone(),
            })
        })
        .collect()
}

pub(super) fn corrupt(r: &Reader<'_>, column: &str, value: &str) -> LedgerError {
    LedgerError::Corrupt {
        segment: r.segment.to_string(),
        message: format!("column \"{column}\" holds unknown value \"{value}\""),
    }
}

/// One bank statement entry as taken in: applied, skipped as seen before, or recorded only
/// (booked before `reconcile.import_from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankLineRow {
    pub run_id: String,
    pub line: BankLine,
    /// What identifies the entry across overlapping statements (see `intake::dedup`).
    pub fingerprint: String,
    pub applied: bool,
    /// For a skipped entry: the earlier entry it repeats, and why.
    pub duplicate_of: String,
    pub note: String,
}

pub fn bank_lines_frame(rows: &[BankLineRow]) -> Result<DataFrame, LedgerError> {
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("id", rows.iter().map(|r| r.line.id.as_str())),
        text(
            "file_sha256",
            rows.iter().map(|r| r.line.lineage.file_sha256.as_str()),
        ),
        text(
            "file_name",
            rows.iter().map(|r| r.line.lineage.file_name.as_str()),
        ),
        int("line", rows.iter().map(|r| r.line.lineage.line as i64)),
        text("account", rows.iter().map(|r| r.line.account.as_str())),
        date(
            "booking_date",
            rows.iter().map(|r| Some(r.line.booking_date)),
        )?,
        date("value_date", rows.iter().map(|r| r.line.value_date))?,
        int("amount_minor", rows.iter().map(|r| minor(&r.line.amount))),
        text(
            "currency",
            rows.iter().map(|r| r.line.amount.currency.code()),
        ),
        text(
            "counterparty",
            rows.iter().map(|r| r.line.counterparty.as_str()),
        ),
        text(
            "counterparty_account",
            rows.iter().map(|r| r.line.counterparty_account.as_str()),
        ),
        text(
            "bank_reference",
            rows.iter().map(|r| r.line.bank_reference.as_str()),
        ),
        text("text", rows.iter().map(|r| r.line.text.as_str())),
        text(
            "bank_transaction_code",
            rows.iter()
                .map(|r| r.line.info.bank_transaction_code.as_str()),
        ),
        text(
            "end_to_end_id",
            rows.iter().map(|r| r.line.info.end_to_end_id.as_str()),
        ),
        text(
            "mandate_id",
            rows.iter().map(|r| r.line.info.mandate_id.as_str()),
        ),
        text(
            "creditor_reference",
            rows.iter().map(|r| r.line.info.creditor_reference.as_str()),
        ),
        flag("reversal", rows.iter().map(|r| r.line.info.reversal)),
        text(
            "return_reason",
            rows.iter().map(|r| r.line.info.return_reason.as_str()),
        ),
        text(
            "instruction_id",
            rows.iter().map(|r| r.line.info.instruction_id.as_str()),
        ),
        text(
            "payment_information_id",
            rows.iter()
                .map(|r| r.line.info.payment_information_id.as_str()),
        ),
        opt_int(
            "charges_minor",
            rows.iter().map(|r| r.line.info.charges.as_ref().map(minor)),
        ),
        text(
            "charges_currency",
            rows.iter().map(|r| {
                r.line
                    .info
                    .charges
                    .as_ref()
                    .map(|c| c.currency.code())
                    .unwrap_or("")
            }),
        ),
        text(
            "counterparty_bic",
            rows.iter().map(|r| r.line.info.counterparty_bic.as_str()),
        ),
        // Entries of a payment gateway's clearing account say what they are there.
        text(
            "gateway",
            rows.iter()
                .map(|r| gateway_entry(r).map_or("", |g| g.gateway.as_str())),
        ),
        text(
            "gateway_role",
            rows.iter()
                .map(|r| gateway_entry(r).map_or("", |g| g.role.as_str())),
        ),
        text(
            "gateway_transaction_id",
            rows.iter()
                .map(|r| gateway_entry(r).map_or("", |g| g.transaction_id.as_str())),
        ),
        text(
            "payout_id",
            rows.iter()
                .map(|r| gateway_entry(r).map_or("", |g| g.payout_id.as_str())),
        ),
        date(
            "payout_date",
            rows.iter()
                .map(|r| gateway_entry(r).and_then(|g| g.payout_date)),
        )?,
        text(
            "gateway_customer_reference",
            rows.iter()
                .map(|r| gateway_entry(r).map_or("", |g| g.customer_reference.as_str())),
        ),
        // A batch entry's single payments live on in its matches (each with its
        // end-to-end id) and in the archived file; here, how many there were.
        int(
            "batch_payments",
            rows.iter().map(|r| r.line.info.details.len() as i64),
        ),
        text("fingerprint", rows.iter().map(|r| r.fingerprint.as_str())),
        text(
            "status",
            rows.iter()
                .map(|r| match (r.applied, r.duplicate_of.is_empty()) {
                    (true, _) => "applied",
                    (false, false) => "duplicate",
                    // Recorded only, for the reason in `note` (booked before the import-from date).
                    (false, true) => "not_applied",
                }),
        ),
        text("duplicate_of", rows.iter().map(|r| r.duplicate_of.as_str())),
        text("note", rows.iter().map(|r| r.note.as_str())),
    ])
}

fn gateway_entry(row: &BankLineRow) -> Option<&GatewayEntry> {
    row.line.info.gateway.as_ref()
}

/// Amounts are checked to fit when parsed; `Money::to_minor` only fails past 9e18 cents.
pub(super) fn minor(m: &crate::model::Money) -> i64 {
    m.to_minor().unwrap_or(i64::MAX)
}

pub fn bank_lines_rows(r: &Reader<'_>) -> Result<Vec<BankLineRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let id = r.texts("id")?;
    let sha = r.texts("file_sha256")?;
    let file_name = r.texts("file_name")?;
    let line = r.ints("line")?;
    let account = r.texts("account")?;
    let booking = r.required_dates("booking_date")?;
    let value = r.dates("value_date")?;
    let amount = r.money("amount_minor", "currency")?;
    let counterparty = r.texts("counterparty")?;
    let counterparty_account = r.texts("counterparty_account")?;
    let reference = r.texts("bank_reference")?;
    let txt = r.texts("text")?;
    let code = r.added_texts("bank_transaction_code")?;
    let end_to_end = r.added_texts("end_to_end_id")?;
    let mandate = r.added_texts("mandate_id")?;
    let creditor_reference = r.added_texts("creditor_reference")?;
    let reversal = r.added_flags("reversal")?;
    let return_reason = r.added_texts("return_reason")?;
    let instruction_id = r.added_texts("instruction_id")?;
    let payment_information_id = r.added_texts("payment_information_id")?;
    let charges_minor = r.added_opt_ints("charges_minor")?;
    let charges_currency = r.added_texts("charges_currency")?;
    let counterparty_bic = r.added_texts("counterparty_bic")?;
    let gateway = r.added_texts("gateway")?;
    let gateway_role = r.added_texts("gateway_role")?;
    let gateway_transaction_id = r.added_texts("gateway_transaction_id")?;
    let payout_id = r.added_texts("payout_id")?;
    let customer_reference = r.added_texts("gateway_customer_reference")?;
    let payout_date = r.added_dates("payout_date")?;
    let fingerprint = r.texts("fingerprint")?;
    let status = r.texts("status")?;
    let duplicate_of = r.texts("duplicate_of")?;
    let note = r.texts("note")?;
    (0..run_id.len())
        .map(|i| {
            Ok(BankLineRow {
                run_id: run_id[i].clone(),
                line: BankLine {
                    id: id[i].clone(),
                    lineage: Lineage {
                        file_sha256: sha[i].clone(),
                        file_name: file_name[i].clone(),
                        line: line[i] as u64,
                    },
                    account: account[i].clone(),
                    booking_date: booking[i],
                    value_date: value[i],
                    amount: amount[i],
                    counterparty: counterparty[i].clone(),
                    counterparty_account: counterparty_account[i].clone(),
                    bank_reference: reference[i].clone(),
                    text: txt[i].clone(),
                    info: EntryInfo {
                        bank_transaction_code: code[i].clone(),
                        end_to_end_id: end_to_end[i].clone(),
                        mandate_id: mandate[i].clone(),
                        creditor_reference: creditor_reference[i].clone(),
                        reversal: reversal[i],
                        return_reason: return_reason[i].clone(),
                        instruction_id: instruction_id[i].clone(),
                        payment_information_id: payment_information_id[i].clone(),
                        charges: match charges_minor[i] {
                            Some(minor) => Some(Money::from_minor(
                                minor,
                                Currency::from_code(&charges_currency[i]).map_err(|_| {
                                    corrupt(r, "charges_currency", &charges_currency[i])
                                })?,
                            )),
                            None => None,
                        },
                        counterparty_bic: counterparty_bic[i].clone(),
                        details: Vec::new(),
                        gateway: match gateway[i].as_str() {
                            "" => None,
                            name => Some(GatewayEntry {
                                gateway: Gateway::parse(name)
                                    .ok_or_else(|| corrupt(r, "gateway", name))?,
                                role: GatewayRole::parse(&gateway_role[i])
                                    .ok_or_else(|| corrupt(r, "gateway_role", &gateway_role[i]))?,
                                transaction_id: gateway_transaction_id[i].clone(),
                                payout_id: payout_id[i].clone(),
                                payout_date: payout_date[i],
                                customer_reference: customer_reference[i].clone(),
                            }),
                        },
                    },
                },
                fingerprint: fingerprint[i].clone(),
                applied: match status[i].as_str() {
                    "applied" => true,
                    "duplicate" | "not_applied" => false,
                    other => return Err(corrupt(r, "status", other)),
                },
                duplicate_of: duplicate_of[i].clone(),
                note: note[i].clone(),
            })
        })
        .collect()
}

/// One version of an invoice or credit note; a re-export with changes is a new version.
/// Its lines are the `document_lines` table (see `document_lines`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub run_id: String,
    pub version: i64,
    pub document: Document,
    /// In the reconciliation book: not deleted, and with lines when the export has lines.
    pub applied: bool,
    /// Why it is not applied, and what that left behind (money allocated before).
    pub note: String,
    /// Why the document is kept out of reconciliation and the targets, when it is (its
    /// customer's partner was on the partners-ignore list when this version was written).
    pub ignored: Option<String>,
}

pub fn documents_frame(rows: &[DocumentRow]) -> Result<DataFrame, LedgerError> {
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("number", rows.iter().map(|r| r.document.number.as_str())),
        int("version", rows.iter().map(|r| r.version)),
        text("kind", rows.iter().map(|r| r.document.kind.as_str())),
        text(
            "customer_id",
            rows.iter().map(|r| r.document.customer_id.as_str()),
        ),
        text(
            "customer_name",
            rows.iter().map(|r| r.document.customer_name.as_str()),
        ),
        date(
            "issue_date",
            rows.iter().map(|r| Some(r.document.issue_date)),
        )?,
        date("due_date", rows.iter().map(|r| r.document.due_date))?,
        int("total_minor", rows.iter().map(|r| minor(&r.document.total))),
        text(
            "currency",
            rows.iter().map(|r| r.document.total.currency.code()),
        ),
        text("status", rows.iter().map(|r| r.document.status.as_str())),
        flag("deleted", rows.iter().map(|r| r.document.deleted)),
        flag("itemized", rows.iter().map(|r| r.document.itemized)),
        flag("applied", rows.iter().map(|r| r.applied)),
        text("note", rows.iter().map(|r| r.note.as_str())),
        text(
            "file_sha256",
            rows.iter().map(|r| r.document.lineage.file_sha256.as_str()),
        ),
        text(
            "file_name",
            rows.iter().map(|r| r.document.lineage.file_name.as_str()),
        ),
        int("line", rows.iter().map(|r| r.document.lineage.line as i64)),
        flag("ignored", rows.iter().map(|r| r.ignored.is_some())),
        text(
            "ignored_reason",
            rows.iter().map(|r| r.ignored.as_deref().unwrap_or("")),
        ),
    ])
}

pub fn documents_rows(r: &Reader<'_>) -> Result<Vec<DocumentRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let number = r.texts("number")?;
    let version = r.ints("version")?;
    let kind = r.texts("kind")?;
    let customer_id = r.texts("customer_id")?;
    let customer_name = r.texts("customer_name")?;
    let issue = r.required_dates("issue_date")?;
    let due = r.dates("due_date")?;
    let total = r.money("total_minor", "currency")?;
    let status = r.texts("status")?;
    let deleted = r.added_flags("deleted")?;
    let itemized = r.added_flags("itemized")?;
    // Ledgers from before documents could be left out applied every document.
    let applied = r.added_flags_or("applied", true)?;
    let note = r.added_texts("note")?;
    let sha = r.texts("file_sha256")?;
    let file_name = r.texts("file_name")?;
    let line = r.ints("line")?;
    let ignored = r.added_flags("ignored")?;
    let ignored_reason = r.added_texts("ignored_reason")?;
    (0..run_id.len())
        .map(|i| {
            Ok(DocumentRow {
                run_id: run_id[i].clone(),
                version: version[i],
                applied: applied[i],
                note: note[i].clone(),
                ignored: ignored[i].then(|| ignored_reason[i].clone()),
                document: Document {
                    number: number[i].clone(),
                    kind: DocumentKind::parse(&kind[i])
                        .ok_or_else(|| corrupt(r, "kind", &kind[i]))?,
                    customer_id: customer_id[i].clone(),
                    customer_name: customer_name[i].clone(),
                    issue_date: issue[i],
                    due_date: due[i],
                    total: total[i],
                    status: DocumentStatus::parse(&status[i])
                        .ok_or_else(|| corrupt(r, "status", &status[i]))?,
                    deleted: deleted[i],
                    itemized: itemized[i],
                    // Read from `document_lines`, which follows in the same run.
                    lines: Vec::new(),
                    lineage: Lineage {
                        file_sha256: sha[i].clone(),
                        file_name: file_name[i].clone(),
                        line: line[i] as u64,
                    },
                },
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRow {
    pub run_id: String,
    pub matched: Match,
}

pub fn matches_frame(rows: &[MatchRow]) -> Result<DataFrame, LedgerError> {
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text(
            "bank_line_id",
            rows.iter().map(|r| r.matched.bank_line_id.as_str()),
        ),
        text("kind", rows.iter().map(|r| r.matched.kind.as_str())),
        opt_text(
            "document",
            rows.iter().map(|r| r.matched.document.as_deref()),
        ),
        opt_text(
            "customer_id",
            rows.iter().map(|r| r.matched.customer_id.as_deref()),
        ),
        int(
            "amount_minor",
            rows.iter().map(|r| minor(&r.matched.amount)),
        ),
        text(
            "currency",
            rows.iter().map(|r| r.matched.amount.currency.code()),
        ),
        text("rule", rows.iter().map(|r| r.matched.rule.as_str())),
        int(
            "confidence",
            rows.iter().map(|r| i64::from(r.matched.confidence)),
        ),
        text(
            "explanation",
            rows.iter().map(|r| r.matched.explanation.as_str()),
        ),
        text(
            "end_to_end_id",
            rows.iter().map(|r| r.matched.end_to_end_id.as_str()),
        ),
        text("account", rows.iter().map(|r| r.matched.account.as_str())),
    ])
}

pub fn matches_rows(r: &Reader<'_>) -> Result<Vec<MatchRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let bank_line_id = r.texts("bank_line_id")?;
    let kind = r.texts("kind")?;
    let document = r.texts("document")?;
    let customer_id = r.texts("customer_id")?;
    let amount = r.money("amount_minor", "currency")?;
    let rule = r.texts("rule")?;
    let confidence = r.ints("confidence")?;
    let explanation = r.texts("explanation")?;
    let end_to_end_id = r.added_texts("end_to_end_id")?;
    let account = r.added_texts("account")?;
    let some = |s: &String| (!s.is_empty()).then(|| s.clone());
    (0..run_id.len())
        .map(|i| {
            Ok(MatchRow {
                run_id: run_id[i].clone(),
                matched: Match {
                    bank_line_id: bank_line_id[i].clone(),
                    kind: MatchKind::parse(&kind[i]).ok_or_else(|| corrupt(r, "kind", &kind[i]))?,
                    document: some(&document[i]),
                    customer_id: some(&customer_id[i]),
                    amount: amount[i],
                    rule: rule[i].clone(),
                    confidence: confidence[i].clamp(0, 100) as u8,
                    explanation: explanation[i].clone(),
                    end_to_end_id: end_to_end_id[i].clone(),
                    account: account[i].clone(),
                },
            })
        })
        .collect()
}

/// One bank statement as read (CAMT `Stmt`/`Rpt`/`Ntfctn`, MT940/MT942 `:20:`), with how it
/// continues the account's earlier statements (see `continuity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    pub run_id: String,
    pub file_sha256: String,
    pub file_name: String,
    /// Where the statement starts in its file.
    pub line: u64,
    /// `camt.053.001.02`, `MT940`.
    pub message: String,
    /// The statement's own id (`Stmt/Id`, `:20:`).
    pub id: String,
    pub account: String,
    /// As the bank wrote it: `ElctrncSeqNb`/`LglSeqNb`, or MT940 `:28C:` (`00042/001`).
    pub sequence: Option<String>,
    pub opening: Option<Balance>,
    pub closing: Option<Balance>,
    pub booked: i64,
    pub not_booked: i64,
    /// How it follows the earlier statements when it was read; empty when it follows on.
    pub continuity: String,
}

pub fn statements_frame(rows: &[StatementRow]) -> Result<DataFrame, LedgerError> {
    let currency = |r: &StatementRow| {
        r.opening
            .as_ref()
            .or(r.closing.as_ref())
            .map(|b| b.amount.currency.code().to_string())
            .unwrap_or_default()
    };
    let currencies: Vec<String> = rows.iter().map(currency).collect();
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("file_sha256", rows.iter().map(|r| r.file_sha256.as_str())),
        text("file_name", rows.iter().map(|r| r.file_name.as_str())),
        int("line", rows.iter().map(|r| r.line as i64)),
        text("message", rows.iter().map(|r| r.message.as_str())),
        text("id", rows.iter().map(|r| r.id.as_str())),
        text("account", rows.iter().map(|r| r.account.as_str())),
        opt_text("sequence", rows.iter().map(|r| r.sequence.as_deref())),
        text("currency", currencies.iter().map(String::as_str)),
        opt_int(
            "opening_minor",
            rows.iter()
                .map(|r| r.opening.as_ref().map(|b| minor(&b.amount))),
        ),
        date(
            "opening_date",
            rows.iter().map(|r| r.opening.as_ref().map(|b| b.date)),
        )?,
        opt_int(
            "closing_minor",
            rows.iter()
                .map(|r| r.closing.as_ref().map(|b| minor(&b.amount))),
        ),
        date(
            "closing_date",
            rows.iter().map(|r| r.closing.as_ref().map(|b| b.date)),
        )?,
        int("booked", rows.iter().map(|r| r.booked)),
        int("not_booked", rows.iter().map(|r| r.not_booked)),
        text("continuity", rows.iter().map(|r| r.continuity.as_str())),
    ])
}

pub fn statements_rows(r: &Reader<'_>) -> Result<Vec<StatementRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let sha = r.texts("file_sha256")?;
    let file_name = r.texts("file_name")?;
    let line = r.ints("line")?;
    let message = r.texts("message")?;
    let id = r.texts("id")?;
    let account = r.texts("account")?;
    let sequence = r.texts("sequence")?;
    let currency = r.texts("currency")?;
    let opening_minor = r.opt_ints("opening_minor")?;
    let opening_date = r.dates("opening_date")?;
    let closing_minor = r.opt_ints("closing_minor")?;
    let closing_date = r.dates("closing_date")?;
    let booked = r.ints("booked")?;
    let not_booked = r.ints("not_booked")?;
    let continuity = r.texts("continuity")?;
    (0..run_id.len())
        .map(|i| {
            let balance = |minor: Option<i64>,
                           date: Option<chrono::NaiveDate>|
             -> Result<Option<Balance>, LedgerError> {
                let (Some(minor), Some(date)) = (minor, date) else {
                    return Ok(None);
                };
                let currency = Currency::from_code(&currency[i])
                    .map_err(|_| corrupt(r, "currency", &currency[i]))?;
                Ok(Some(Balance {
                    amount: Money::from_minor(minor, currency),
                    date,
                }))
            };
            Ok(StatementRow {
                run_id: run_id[i].clone(),
                file_sha256: sha[i].clone(),
                file_name: file_name[i].clone(),
                line: line[i] as u64,
                message: message[i].clone(),
                id: id[i].clone(),
                account: account[i].clone(),
                sequence: (!sequence[i].is_empty()).then(|| sequence[i].clone()),
                opening: balance(opening_minor[i], opening_date[i])?,
                closing: balance(closing_minor[i], closing_date[i])?,
                booked: booked[i],
                not_booked: not_booked[i],
                continuity: continuity[i].clone(),
            })
        })
        .collect()
}
