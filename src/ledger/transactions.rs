//! The `transactions` table: one row per version of a billing system's transaction. A
//! re-export that says nothing new writes nothing; one that changes a transaction (the
//! billing system corrected its amount or customer) is a new version, and balances read
//! only the latest version of each, so the history stays while the balance moves.

use polars::prelude::DataFrame;

use super::LedgerError;
use super::frame::{self, Reader, date, int, text};
use super::tables::minor;
use crate::model::{BillingTransaction, BillingTransactionKind, Lineage, Money};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionRow {
    pub run_id: String,
    pub version: i64,
    pub transaction: BillingTransaction,
}

pub fn transactions_frame(rows: &[TransactionRow]) -> Result<DataFrame, LedgerError> {
    let t = |f: fn(&BillingTransaction) -> &str| rows.iter().map(move |r| f(&r.transaction));
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("id", t(|t| &t.id)),
        int("version", rows.iter().map(|r| r.version)),
        text("customer_id", t(|t| &t.customer_id)),
        date("date", rows.iter().map(|r| Some(r.transaction.date)))?,
        text("kind", t(|t| t.kind.as_str())),
        text("type", t(|t| &t.type_text)),
        int(
            "debit_minor",
            rows.iter().map(|r| minor(&r.transaction.debit)),
        ),
        int(
            "credit_minor",
            rows.iter().map(|r| minor(&r.transaction.credit)),
        ),
        text("currency", t(|t| t.debit.currency.code())),
        text("description", t(|t| &t.description)),
        text("document", t(|t| &t.document)),
        text("category", t(|t| &t.category)),
        text("file_sha256", t(|t| &t.lineage.file_sha256)),
        text("file_name", t(|t| &t.lineage.file_name)),
        int(
            "line",
            rows.iter().map(|r| r.transaction.lineage.line as i64),
        ),
    ])
}

pub fn transactions_rows(r: &Reader<'_>) -> Result<Vec<TransactionRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let version = r.ints("version")?;
    let dates = r.required_dates("date")?;
    let debit = r.money("debit_minor", "currency")?;
    let credit_minor = r.ints("credit_minor")?;
    let line = r.ints("line")?;
    let mut columns = std::collections::BTreeMap::new();
    for name in [
        "id",
        "customer_id",
        "kind",
        "type",
        "description",
        "document",
        "category",
        "file_sha256",
        "file_name",
    ] {
        columns.insert(name, r.texts(name)?);
    }
    let at = |name: &str, i: usize| columns[name][i].clone();
    (0..run_id.len())
        .map(|i| {
            let kind = at("kind", i);
            Ok(TransactionRow {
                run_id: run_id[i].clone(),
                version: version[i],
                transaction: BillingTransaction {
                    id: at("id", i),
                    customer_id: at("customer_id", i),
                    date: dates[i],
                    kind: BillingTransactionKind::parse(&kind).ok_or_else(|| {
                        LedgerError::Corrupt {
                            segment: r.segment.to_string(),
                            message: format!("unknown transaction kind \"{kind}\""),
                        }
                    })?,
                    type_text: at("type", i),
                    debit: debit[i],
                    credit: Money::from_minor(credit_minor[i], debit[i].currency),
                    description: at("description", i),
                    document: at("document", i),
                    category: at("category", i),
                    lineage: Lineage {
                        file_sha256: at("file_sha256", i),
                        file_name: at("file_name", i),
                        line: line[i] as u64,
                    },
                },
            })
        })
        .collect()
}
