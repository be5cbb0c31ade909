//! Canonical records every source produces and every target consumes.
//!
//! Sources and targets never see each other: both speak these types. Every record carries
//! its lineage (which file, which line) so an auditor can walk from a ledger fact back to
//! the byte that caused it.

mod customer;
mod direct_debit;
mod gateway;
mod money;
mod records;
mod transaction;

pub use customer::Customer;
pub use direct_debit::{DirectDebit, PaymentStatus};
pub use gateway::{
    Gateway, GatewayEntry, GatewayPayout, GatewayRole, GatewayTransaction, TransactionKind,
};
pub use money::{Currency, Money, MoneyError};
pub use records::{
    BankLine, Document, DocumentKind, DocumentLine, DocumentStatus, EntryInfo, Lineage, Match,
    MatchKind, NotApplied, TransactionDetail,
};
pub use transaction::{BillingTransaction, BillingTransactionKind};
