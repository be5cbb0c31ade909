//! The canonical records: one bank statement entry, one billing document, one match.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{GatewayEntry, Money};

/// Where a record came from: the file's SHA-256, its name as dropped, and the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    pub file_sha256: String,
    pub file_name: String,
    pub line: u64,
}

impl Lineage {
    /// A stable id for the record: the same bytes at the same line always give the same id.
    pub fn record_id(&self) -> String {
        format!(
            "{}:{}",
            &self.file_sha256[..12.min(self.file_sha256.len())],
            self.line
        )
    }
}

/// One entry of a bank statement. Positive amounts are money in, negative money out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankLine {
    pub id: String,
    pub lineage: Lineage,
    pub account: String,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub amount: Money,
    pub counterparty: String,
    pub counterparty_account: String,
    /// The bank's own reference for the entry, when it gives one (used for dedup).
    pub bank_reference: String,
    /// Remittance text: what the payer wrote, plus any booking text the mapping adds.
    pub text: String,
    /// What bank formats say beyond a CSV export (empty for CSV).
    pub info: EntryInfo,
}

/// The parts of a bank entry that ISO 20022 and MT940 carry and a CSV export does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryInfo {
    /// ISO `Domn/Cd/Fmly/Cd/SubFmlyCd` as `PMNT/RCDT/ESCT`, else the proprietary code
    /// (`Prtry/Cd`, MT940 `NTRF`, `?`-code `166` …).
    pub bank_transaction_code: String,
    pub end_to_end_id: String,
    pub mandate_id: String,
    /// Structured creditor reference (`CdtrRefInf/Ref`, an RF reference, `/EREF/`…).
    pub creditor_reference: String,
    /// The bank booked this entry as the reversal of an earlier one (`RvslInd`, MT940 RC/RD).
    pub reversal: bool,
    /// Why money came back (`RtrInf/Rsn/Cd`, e.g. `AC04`, `MD06`).
    pub return_reason: String,
    /// The sender's instruction id (`Refs/InstrId`).
    pub instruction_id: String,
    /// The payment information block a batch booking sums (`Btch/PmtInfId`, `Refs/PmtInfId`):
    /// for our own direct debits, the `PmtInfId` of the pain.008 we sent.
    pub payment_information_id: String,
    /// What the banks charged for the entry (`Chrgs`), as they state it: information, already
    /// in the amount or not as the bank's own booking says.
    pub charges: Option<Money>,
    /// The BIC of the other side's bank (`RltdAgts/DbtrAgt` or `CdtrAgt`).
    pub counterparty_bic: String,
    /// The single payments of an entry booked as one sum (one per `TxDtls`); empty when the
    /// entry is one payment, whose details are the fields above.
    pub details: Vec<TransactionDetail>,
    /// For an entry of a payment gateway's clearing account: what it is on the gateway's
    /// side. `None` for a bank's entries.
    pub gateway: Option<GatewayEntry>,
}

/// One payment inside a batch entry, as the bank itemises it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionDetail {
    /// Signed like the entry; `None` when the bank gives no amount per payment.
    pub amount: Option<Money>,
    pub end_to_end_id: String,
    pub instruction_id: String,
    pub mandate_id: String,
    pub counterparty: String,
    pub counterparty_account: String,
    pub creditor_reference: String,
    pub text: String,
    pub return_reason: String,
    /// Line of the `TxDtls` element.
    pub line: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

impl DocumentKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentKind> {
        match text {
            "invoice" => Some(DocumentKind::Invoice),
            "credit_note" => Some(DocumentKind::CreditNote),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentStatus {
    /// Waiting for money (the billing system may call it unpaid, due, sent or overdue).
    Open,
    /// Settled in the billing system itself; never a candidate for a bank line.
    Paid,
    /// Cancelled, voided or deleted: not owed.
    Cancelled,
}

impl DocumentStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            DocumentStatus::Open => "open",
            DocumentStatus::Paid => "paid",
            DocumentStatus::Cancelled => "cancelled",
        }
    }

    /// The words billing systems use, case-insensitively.
    pub fn parse(text: &str) -> Option<DocumentStatus> {
        match text.trim().to_ascii_lowercase().as_str() {
            "open" | "unpaid" | "due" | "overdue" | "sent" | "issued" | "partially paid"
            | "partly paid" | "partial" => Some(DocumentStatus::Open),
            "paid" | "settled" => Some(DocumentStatus::Paid),
            "cancelled" | "canceled" | "void" | "voided" | "deleted" => {
                Some(DocumentStatus::Cancelled)
            }
            _ => None,
        }
    }
}

/// An invoice or credit note as the billing system exported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub number: String,
    pub kind: DocumentKind,
    pub customer_id: String,
    pub customer_name: String,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub total: Money,
    /// The payment status as the billing system states it.
    pub status: DocumentStatus,
    /// The billing system deleted the document (its own flag, apart from the status: a
    /// deleted invoice may still say "paid"). Recorded, never applied.
    pub deleted: bool,
    /// The export lists the document's lines (line columns are mapped). Only then does an
    /// empty `lines` mean a document without lines, which is recorded but not applied.
    pub itemized: bool,
    pub lines: Vec<DocumentLine>,
    /// The document's first row.
    pub lineage: Lineage,
}

impl Document {
    /// Why the document stays out of the reconciliation book, if it does: the billing
    /// system's own sync skips deleted documents and documents without lines alike.
    pub fn not_applied(&self) -> Option<NotApplied> {
        if self.deleted {
            Some(NotApplied::Deleted)
        } else if self.itemized && self.lines.is_empty() {
            Some(NotApplied::WithoutLines)
        } else {
            None
        }
    }
}

impl Document {
    /// Whether the line totals exclude VAT. The ledger does not keep the source's `prices`
    /// setting, but the source made the total the sum of the lines' gross amounts, so the
    /// total tells: with net lines it is their totals plus their VAT, with gross lines their
    /// totals alone. When both hold (the VAT adds up to zero) the net reading is taken; it
    /// gives the same amounts either way.
    pub fn lines_are_net(&self) -> bool {
        let totals: Decimal = self.lines.iter().map(|l| l.line_total.amount).sum();
        let vat: Decimal = self.lines.iter().map(|l| l.vat_amount.amount).sum();
        totals + vat == self.total.amount || totals != self.total.amount
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplied {
    Deleted,
    WithoutLines,
}

impl NotApplied {
    pub fn reason(&self) -> &'static str {
        match self {
            NotApplied::Deleted => "deleted in the billing system; not applied",
            NotApplied::WithoutLines => "has no lines; not applied",
        }
    }
}

/// One line of an invoice or credit note. Whether `unit_price` and `line_total` include
/// VAT is the source's `prices` setting; `vat_amount` is the VAT of the line either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLine {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    /// Percent: 19 means 19 %.
    pub vat_rate: Decimal,
    pub vat_amount: Money,
    pub line_total: Money,
    /// What the billing system calls the transaction: service, discount, one-time …
    pub category: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub lineage: Lineage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// Money of a bank line allocated to an invoice.
    Allocation,
    /// Money of a bank line kept as the customer's credit (an overpayment).
    Credit,
    /// Money in that no rule could place; it waits for a person.
    Unmatched,
    /// Money out: recorded, never matched against invoices.
    Outgoing,
    /// Money taken back from an invoice (negative): a return, a reversal or a rejected
    /// collection. The invoice is open again by this much.
    Reversal,
    /// Money of a collection that was rejected or returned after it was booked: it belongs
    /// to no invoice and goes back to the debtor.
    Returned,
    /// A payment gateway's fee: a cost, booked as such, never matched against invoices.
    Fee,
    /// A gateway's payout: on the gateway's account the money leaving for the bank, on the
    /// bank's account the credit it became. `document` names the payout
    /// (`stripe:po_…`).
    Payout,
    /// Money of a customer whose partner is on the partners-ignore list: recorded for its
    /// whole amount, never matched against invoices, never rendered by a target.
    Ignored,
    /// The small difference between a payment and the open amount of the invoice it settles,
    /// allowed by `reconcile.tolerance` and booked to `reconcile.tolerance_account` (named in
    /// `account`). Its amount is the payment minus what the invoice had open: negative when
    /// the payer paid less (written off), positive when more (instead of customer credit).
    /// The invoice's allocation is its whole open amount, so the line's matches still add up
    /// to the line's amount.
    Difference,
}

impl MatchKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            MatchKind::Allocation => "allocation",
            MatchKind::Credit => "credit",
            MatchKind::Unmatched => "unmatched",
            MatchKind::Outgoing => "outgoing",
            MatchKind::Reversal => "reversal",
            MatchKind::Returned => "returned",
            MatchKind::Fee => "fee",
            MatchKind::Payout => "payout",
            MatchKind::Ignored => "ignored",
            MatchKind::Difference => "difference",
        }
    }

    pub fn parse(text: &str) -> Option<MatchKind> {
        match text {
            "allocation" => Some(MatchKind::Allocation),
            "credit" => Some(MatchKind::Credit),
            "unmatched" => Some(MatchKind::Unmatched),
            "outgoing" => Some(MatchKind::Outgoing),
            "reversal" => Some(MatchKind::Reversal),
            "returned" => Some(MatchKind::Returned),
            "fee" => Some(MatchKind::Fee),
            "payout" => Some(MatchKind::Payout),
            "ignored" => Some(MatchKind::Ignored),
            "difference" => Some(MatchKind::Difference),
            _ => None,
        }
    }
}

/// What reconciliation decided for (part of) one bank line, and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub bank_line_id: String,
    pub kind: MatchKind,
    pub document: Option<String>,
    pub customer_id: Option<String>,
    pub amount: Money,
    pub rule: String,
    /// 0–100: how sure the rule is (an exact reference is 100).
    pub confidence: u8,
    pub explanation: String,
    /// The end-to-end id of the payment or collection this money is, when known: how a
    /// later return or reversal finds what it undoes.
    pub end_to_end_id: String,
    /// The ledger account a `difference` is booked to (`reconcile.tolerance_account` when it
    /// was placed); empty for every other kind.
    pub account: String,
}
