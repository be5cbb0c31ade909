//! Customer balances as the billing system's transactions say them: for each customer, the
//! sum of credit − debit over the latest version of each of their transactions, per
//! currency (a customer billed in two currencies has two balances; they are never added).
//! Positive means the customer has money with us, negative that they owe it.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::TransactionRow;
use crate::model::{BillingTransaction, Currency};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerBalance {
    pub customer_id: String,
    /// credit − debit, per currency.
    pub balances: BTreeMap<Currency, Decimal>,
    /// Transactions counted (the latest version of each).
    pub transactions: usize,
}

/// The latest version of each transaction, by id; a transaction the billing system moved
/// to another customer counts only for the customer its latest version names.
pub fn latest_transactions(rows: &[TransactionRow]) -> Vec<&BillingTransaction> {
    let mut latest: HashMap<&str, &TransactionRow> = HashMap::new();
    for row in rows {
        let id = row.transaction.id.as_str();
        if latest
            .get(id)
            .is_none_or(|seen| row.version >= seen.version)
        {
            latest.insert(id, row);
        }
    }
    let mut out: Vec<&BillingTransaction> = latest.into_values().map(|r| &r.transaction).collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Every customer's balance, by customer id.
pub fn balances(rows: &[TransactionRow]) -> Vec<CustomerBalance> {
    let mut by_customer: BTreeMap<&str, CustomerBalance> = BTreeMap::new();
    for t in latest_transactions(rows) {
        let entry = by_customer
            .entry(t.customer_id.as_str())
            .or_insert_with(|| CustomerBalance {
                customer_id: t.customer_id.clone(),
                balances: BTreeMap::new(),
                transactions: 0,
            });
        *entry.balances.entry(t.debit.currency).or_default() += t.balance_effect();
        entry.transactions += 1;
    }
    by_customer.into_values().collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::{BillingTransactionKind, Lineage, Money};

    fn row(id: &str, customer: &str, version: i64, debit: i64, credit: i64) -> TransactionRow {
        let eur = Currency::from_code("EUR").unwrap();
        TransactionRow {
            run_id: format!("run-{version}"),
            version,
            transaction: BillingTransaction {
                id: id.to_string(),
                customer_id: customer.to_string(),
                date: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                kind: BillingTransactionKind::Other,
                type_text: String::new(),
                debit: Money::from_minor(debit, eur),
                credit: Money::from_minor(credit, eur),
                description: String::new(),
                document: String::new(),
                category: String::new(),
                lineage: Lineage {
                    file_sha256: String::new(),
                    file_name: String::new(),
                    line: 2,
                },
            },
        }
    }

    #[test]
    fn only_the_latest_version_of_a_transaction_counts() {
        let rows = [
            row("T1", "C1", 1, 5000, 0),
            row("T2", "C1", 1, 0, 2000),
            row("T1", "C2", 2, 4000, 0),
        ];
        let b = balances(&rows);
        let eur = Currency::from_code("EUR").unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].customer_id, "C1");
        assert_eq!(b[0].balances[&eur], Decimal::new(2000, 2));
        assert_eq!(b[0].transactions, 1);
        assert_eq!(b[1].balances[&eur], Decimal::new(-4000, 2));
    }
}
