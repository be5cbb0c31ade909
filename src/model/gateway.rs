//! What a payment gateway (PayPal, Braintree, GoCardless, Stripe) says happened on its side:
//! one [`GatewayTransaction`] per payment, refund, chargeback or fee, and one
//! [`GatewayPayout`] per transfer of the collected money to our bank account.
//!
//! These records are built for the reconciliation that comes after them, which does two
//! things with them: a settled payment pays the invoice it names (`invoice_reference`,
//! `customer_reference`, payer name and email), and a payout is matched to the bank line
//! it became — after checking that the payout is the sum of its transactions' net amounts
//! ([`GatewayPayout::unexplained`]). A payout that is not goes to the unmatched list with
//! the difference; a source never refuses an export for that.
//!
//! Signs are the gateway balance's: money into the gateway balance is positive (a payment),
//! money out is negative (a refund, a chargeback). `fee` is what the gateway kept: positive
//! is a cost, negative a fee given back. `net = gross − fee` always holds: sources refuse a
//! row whose figures say otherwise. A payout's `amount` is what was sent to the bank,
//! positive.

use chrono::NaiveDate;

use super::{Lineage, Money};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gateway {
    PayPal,
    Braintree,
    GoCardless,
    Stripe,
}

impl Gateway {
    /// The name in the pipeline file and in JSON: `paypal`, `braintree`, `gocardless`,
    /// `stripe`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Gateway::PayPal => "paypal",
            Gateway::Braintree => "braintree",
            Gateway::GoCardless => "gocardless",
            Gateway::Stripe => "stripe",
        }
    }

    /// Whether the gateway's exports have rows of their own for its payouts. Braintree's
    /// transaction download has none: it names each transaction's disbursement date, and
    /// a disbursement is known only as the net of the transactions disbursed together.
    pub fn reports_payouts(&self) -> bool {
        !matches!(self, Gateway::Braintree)
    }

    /// The name people know: `PayPal`, `GoCardless` …
    pub fn name(&self) -> &'static str {
        match self {
            Gateway::PayPal => "PayPal",
            Gateway::Braintree => "Braintree",
            Gateway::GoCardless => "GoCardless",
            Gateway::Stripe => "Stripe",
        }
    }
}

/// What a transaction is, mapped explicitly from each gateway's own type column (the
/// original text is kept in [`GatewayTransaction::type_text`]). A transfer to the bank —
/// a PayPal withdrawal, a Stripe payout — is not a transaction: it is a [`GatewayPayout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionKind {
    /// Money from a payer: what pays an invoice.
    Payment,
    /// Money given back to a payer.
    Refund,
    /// Money taken back by the payer's bank or card scheme (a chargeback, a dispute, a
    /// failed debit), or given back to us when we won the dispute.
    Chargeback,
    /// A fee on its own row (a dispute fee, a monthly fee), not the fee of a payment.
    Fee,
    /// Anything else the gateway books: currency conversions, holds and releases,
    /// adjustments. Recorded, never matched against invoices.
    Other,
}

impl TransactionKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            TransactionKind::Payment => "payment",
            TransactionKind::Refund => "refund",
            TransactionKind::Chargeback => "chargeback",
            TransactionKind::Fee => "fee",
            TransactionKind::Other => "other",
        }
    }
}

/// One row of a gateway's transaction export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayTransaction {
    pub gateway: Gateway,
    /// The gateway's own id: PayPal `Transaction ID`, Braintree `Transaction ID`,
    /// GoCardless payment `id` (`PM…`), Stripe `source_id` (the charge `ch_…` or refund
    /// `re_…`; `balance_transaction_id` when the report has no `source_id`).
    pub transaction_id: String,
    pub kind: TransactionKind,
    /// The gateway's type as written (PayPal `Type`, Braintree `Transaction Type`, Stripe
    /// `reporting_category`); `payment` for GoCardless, whose payments export has only
    /// payments.
    pub type_text: String,
    /// When the gateway booked it (PayPal `Date`, Braintree `Created Datetime`, GoCardless
    /// `charge_date`, Stripe `created`), in the export's own time zone.
    pub date: NaiveDate,
    pub gross: Money,
    pub fee: Money,
    pub net: Money,
    /// The gateway's status text as written (`Completed`, `settled`, `paid_out` …); empty
    /// when the export has no status because it lists only booked money (PayPal statement,
    /// Stripe balance reports).
    pub status: String,
    /// Whether the money is the merchant's: only settled transactions will be applied.
    pub settled: bool,
    pub payer_name: String,
    pub payer_email: String,
    /// Our customer number as the gateway carries it (which column feeds it is said in each
    /// gateway's source module); empty when the export carries none.
    pub customer_reference: String,
    /// Our invoice number as the gateway carries it; empty when the export carries none.
    pub invoice_reference: String,
    /// Free text the gateway carries (subject, note, description): where reconciliation
    /// looks for an invoice number when `invoice_reference` is empty.
    pub description: String,
    /// The transaction this one refers to: the payment a refund gives back (PayPal
    /// `Reference Txn ID`, Braintree `Refunded Transaction ID`, Stripe `charge_id`).
    pub related_transaction_id: String,
    /// The payout that settled (or will settle) this transaction, when the export says so:
    /// GoCardless `links.payout`, Stripe `automatic_payout_id`. Braintree names no
    /// disbursement; there it is `<Merchant Account>/<Disbursement Date>`, because
    /// Braintree disburses once per merchant account and day. PayPal links none.
    pub payout_id: String,
    /// When that payout reaches (or reached) the bank, when the export says.
    pub payout_date: Option<NaiveDate>,
    /// The gateway balance after this transaction, when the export states it (PayPal).
    pub balance: Option<Money>,
    /// How much of this payment the gateway has given back, when the export states it on
    /// the payment's own row (GoCardless `amount_refunded`) rather than as a refund row.
    pub refunded: Option<Money>,
    /// The merchant's own key/value data on the payment, as the export names each column
    /// (`payment_metadata[invoice_number]`, `metadata.customer_number`), in file order.
    pub metadata: Vec<(String, String)>,
    pub lineage: Lineage,
}

/// One transfer of collected money from the gateway to our bank account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayPayout {
    pub gateway: Gateway,
    /// GoCardless payout `id` (`PO…`), Stripe `payout_id` (`po_…`), PayPal withdrawal
    /// `Transaction ID`.
    pub payout_id: String,
    /// When the money arrives (or arrived) at the bank; PayPal gives only the day the
    /// withdrawal was made.
    pub date: NaiveDate,
    /// What was sent to the bank, positive; negative for a payout that came back (a Stripe
    /// `payout_reversal`).
    pub amount: Money,
    /// Fees the gateway says it took from this payout itself, when the export states them.
    pub fee: Option<Money>,
    /// The reference the bank statement will show (GoCardless `reference`); empty when the
    /// export has none.
    pub bank_reference: String,
    /// The gateway's status text as written (`paid`, `pending`, `Completed` …).
    pub status: String,
    /// Whether the money has left the gateway for the bank.
    pub settled: bool,
    pub lineage: Lineage,
}

impl GatewayPayout {
    /// What the given transactions do not explain of this payout: its amount minus the net
    /// of the transactions in its currency that name it. Zero when the payout is exactly
    /// the sum of its transactions; otherwise the difference reconciliation reports.
    pub fn unexplained(&self, transactions: &[GatewayTransaction]) -> Money {
        let explained = transactions
            .iter()
            .filter(|t| {
                t.gateway == self.gateway
                    && t.payout_id == self.payout_id
                    && t.net.currency == self.amount.currency
            })
            .map(|t| t.net.amount)
            .sum::<rust_decimal::Decimal>();
        Money {
            amount: self.amount.amount - explained,
            currency: self.amount.currency,
        }
    }
}

/// What an entry of a gateway's clearing account is. A gateway balance is kept as an
/// account of its own (`PayPal EUR`), as accountants keep it: payments come in gross, the
/// gateway's fees go out as entries of their own, and a payout moves the rest to the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayRole {
    /// Money a customer paid (or, negative, a refund or chargeback): the gross amount.
    Payment,
    /// What the gateway kept for one transaction.
    Fee,
    /// The transfer of the balance to our bank account: matched to the bank's credit.
    Payout,
}

impl GatewayRole {
    pub fn as_str(&self) -> &'static str {
        match self {
            GatewayRole::Payment => "payment",
            GatewayRole::Fee => "fee",
            GatewayRole::Payout => "payout",
        }
    }

    pub fn parse(text: &str) -> Option<GatewayRole> {
        match text {
            "payment" => Some(GatewayRole::Payment),
            "fee" => Some(GatewayRole::Fee),
            "payout" => Some(GatewayRole::Payout),
            _ => None,
        }
    }
}

impl Gateway {
    pub fn parse(text: &str) -> Option<Gateway> {
        [
            Gateway::PayPal,
            Gateway::Braintree,
            Gateway::GoCardless,
            Gateway::Stripe,
        ]
        .into_iter()
        .find(|g| g.as_str() == text)
    }
}

/// The gateway side of an entry of a gateway's clearing account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayEntry {
    pub gateway: Gateway,
    pub role: GatewayRole,
    /// The gateway's transaction id, or the payout id for a payout.
    pub transaction_id: String,
    /// The payout that settled it (for a payout, its own id); empty when unknown.
    pub payout_id: String,
    /// The day that payout left the gateway, when the export says it.
    pub payout_date: Option<NaiveDate>,
    /// Our customer number as the gateway carries it on a payment (and on its fee); empty
    /// for a payout, or when the export carries none.
    pub customer_reference: String,
}
