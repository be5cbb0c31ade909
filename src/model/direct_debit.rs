//! SEPA direct debits as sluice follows them: the collections we asked the bank for
//! (pain.008) and what the banks later said of each (pain.002 status reports).

use chrono::NaiveDate;

use super::{Lineage, Money};

/// One collection we sent to the bank: a pain.008 `DrctDbtTxInf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectDebit {
    /// `GrpHdr/MsgId` of the pain.008 message.
    pub message_id: String,
    /// `PmtInf/PmtInfId`: the banks book a payment information block as one sum.
    pub payment_information_id: String,
    /// `PmtId/EndToEndId`: comes back on the bank statement and in status reports.
    pub end_to_end_id: String,
    /// `PmtId/InstrId`, when given.
    pub instruction_id: String,
    /// `DrctDbtTx/MndtRltdInf/MndtId`.
    pub mandate_id: String,
    /// `DrctDbtTx/MndtRltdInf/DtOfSgntr`.
    pub mandate_signed: Option<NaiveDate>,
    /// `PmtTpInf/SeqTp`: FRST, RCUR, OOFF or FNAL.
    pub sequence_type: String,
    /// The IBAN the money is collected to (`PmtInf/CdtrAcct`): our own account.
    pub creditor_account: String,
    pub debtor_name: String,
    pub debtor_iban: String,
    pub debtor_bic: String,
    pub amount: Money,
    /// `PmtInf/ReqdColltnDt`.
    pub collection_date: NaiveDate,
    /// Unstructured remittance (`RmtInf/Ustrd`, joined with spaces).
    pub remittance: String,
    /// Structured creditor reference (`RmtInf/Strd/CdtrRefInf/Ref`), e.g. an RF reference.
    pub creditor_reference: String,
    pub lineage: Lineage,
}

/// One status a pain.002 report gives: for one transaction, or — when no transaction is
/// named — for a whole payment information block or the whole original message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentStatus {
    /// `GrpHdr/MsgId` of the report itself.
    pub message_id: String,
    /// When the report was created (`GrpHdr/CreDtTm`, its date).
    pub created: Option<NaiveDate>,
    /// `OrgnlGrpInfAndSts/OrgnlMsgId`: the message this reports on.
    pub original_message_id: String,
    /// `OrgnlGrpInfAndSts/OrgnlMsgNmId`: which kind of message that was — `pain.008…` for
    /// collections we sent, `pain.001…` for credit transfers (banks send both kinds of
    /// report the same way). Empty in ledgers written before it was kept.
    pub original_message_name: String,
    /// `OrgnlPmtInfAndSts/OrgnlPmtInfId`; empty when the status is for the whole message.
    pub original_payment_information_id: String,
    /// `TxInfAndSts/OrgnlEndToEndId`; empty when the status is for a block or the message.
    pub end_to_end_id: String,
    /// `TxInfAndSts/OrgnlInstrId`, when given.
    pub instruction_id: String,
    /// `TxSts` (or `PmtInfSts`, `GrpSts`): RJCT, ACCP, ACSC, ACTC, PDNG, PART …
    pub status: String,
    /// ISO reason code (`StsRsnInf/Rsn/Cd`, e.g. AC04, AM04, MD01), or the `Prtry` one.
    pub reason_code: String,
    /// `StsRsnInf/AddtlInf`, joined with spaces.
    pub reason_text: String,
    /// `OrgnlTxRef/Amt/InstdAmt`, when the report repeats it.
    pub amount: Option<Money>,
    /// `OrgnlTxRef/MndtRltdInf/MndtId`, when the report repeats it.
    pub mandate_id: String,
    pub lineage: Lineage,
}

impl PaymentStatus {
    /// Whether the report is about direct-debit collections (pain.008), the only payments
    /// whose status changes what sluice booked. Older ledger rows, which did not keep the
    /// name, were applied as collections and read back as such.
    pub fn is_about_collections(&self) -> bool {
        let name = self.original_message_name.trim();
        name.is_empty()
            || name
                .get(..8)
                .is_some_and(|kind| kind.eq_ignore_ascii_case("pain.008"))
    }

    /// RJCT: the collection was refused and no money will come (or it comes back).
    pub fn is_rejection(&self) -> bool {
        self.status.eq_ignore_ascii_case("RJCT")
    }
}
