//! The billing system's transaction export (its debit/credit history) as CSV or
//! spreadsheet: one row per charge, payment, correction, credit note or refund. The amount
//! is two columns, `debit` and `credit`, or one signed `amount` whose sign is the effect
//! on the customer's balance: positive is a credit (a payment, a credit note), negative a
//! debit (a charge) — the way a customer account statement shows it.
//!
//! A row with both a debit and a credit is refused: a billing system books a movement one
//! way, and a row that books both is either a net that hides two movements or a mistake;
//! sluice cannot tell which, and the balance would silently depend on it.

use std::collections::BTreeMap;

use super::cell::Amount;
use super::row_values::RowValues;
use super::table::{self, Column, Origin};
use super::{ColumnProblem, InputFile, SourceError, require, single_columns, unknown_roles};
use crate::model::{BillingTransaction, BillingTransactionKind, Lineage, Money};
use crate::pipeline::{ColumnSpec, Source};

const ROLES: &[&str] = &[
    "id",
    "customer_id",
    "date",
    "debit",
    "credit",
    "amount",
    "type",
    "description",
    "document",
    "category",
    "currency",
];

pub fn check_columns(columns: &BTreeMap<String, ColumnSpec>) -> Vec<ColumnProblem> {
    let mut problems = Vec::new();
    unknown_roles(columns, ROLES, &mut problems);
    single_columns(columns, &["description"], &mut problems);
    for role in ["id", "customer_id", "date"] {
        require(columns, role, &mut problems);
    }
    let has = |r: &str| columns.contains_key(r);
    match (has("amount"), has("debit"), has("credit")) {
        (true, false, false) | (false, true, true) => {}
        (false, false, false) => problems.push(ColumnProblem {
            role: None,
            message: "missing mapping for the amount: map both `debit` and `credit`, or a signed `amount`"
                .to_string(),
        }),
        (false, d, _) => problems.push(ColumnProblem {
            role: Some(if d { "debit" } else { "credit" }.to_string()),
            message: "`debit` and `credit` go together: map both".to_string(),
        }),
        (true, _, _) => problems.push(ColumnProblem {
            role: Some("amount".to_string()),
            message: "map either `amount` or `debit` and `credit`, not both".to_string(),
        }),
    }
    problems
}

enum AmountColumns {
    /// Positive: credit; negative: debit.
    Signed(Column),
    DebitCredit {
        debit: Column,
        credit: Column,
    },
}

struct Columns {
    id: Column,
    customer_id: Column,
    date: Column,
    amounts: AmountColumns,
    kind: Option<Column>,
    description: Vec<Column>,
    document: Option<Column>,
    category: Option<Column>,
    currency: Option<Column>,
}

pub fn parse(
    source: &Source,
    file: &InputFile<'_>,
) -> Result<Vec<BillingTransaction>, SourceError> {
    let table = table::read(source, file)?;
    let col = |role: &str| table.optional(source, file, role);
    let unmapped = |role: &str| {
        table.error(
            file,
            None,
            None,
            format!("source \"{}\" maps no {role} column", source.name),
            "run `sluice check` on the pipeline file",
        )
    };
    let required = |role: &str| col(role)?.ok_or_else(|| unmapped(role));
    let amounts = match (col("amount")?, col("debit")?, col("credit")?) {
        (Some(amount), None, None) => AmountColumns::Signed(amount),
        (None, Some(debit), Some(credit)) => AmountColumns::DebitCredit { debit, credit },
        _ => return Err(unmapped("amount (or debit and credit)")),
    };
    let columns = Columns {
        id: required("id")?,
        customer_id: required("customer_id")?,
        date: required("date")?,
        amounts,
        kind: col("type")?,
        description: table.columns(source, file, "description")?,
        document: col("document")?,
        category: col("category")?,
        currency: col("currency")?,
    };
    let row_word = match table.origin {
        Origin::Sheet { .. } => "row",
        Origin::Delimited => "line",
    };

    // Where each id was first seen, and at which position of `transactions`.
    let mut seen: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    let mut transactions: Vec<BillingTransaction> = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let values = table.values(source, file, row);
        let transaction = transaction(&values, &columns, file)?;
        match seen.get(&transaction.id) {
            Some(&(_, at)) if transactions[at].same_content(&transaction) => {}
            Some(&(first, _)) => {
                return Err(values.error(
                    &columns.id,
                    format!(
                        "transaction \"{}\" appears twice with different details (first on {row_word} {first})",
                        transaction.id
                    ),
                    "export each transaction once; a corrected transaction belongs in a later export",
                ));
            }
            None => {
                seen.insert(transaction.id.clone(), (values.line(), transactions.len()));
                transactions.push(transaction);
            }
        }
    }
    Ok(transactions)
}

fn transaction(
    values: &RowValues<'_>,
    columns: &Columns,
    file: &InputFile<'_>,
) -> Result<BillingTransaction, SourceError> {
    let id = values.text(&columns.id)?;
    if id.is_empty() {
        return Err(values.error(
            &columns.id,
            "is empty".to_string(),
            "every transaction needs the billing system's transaction id",
        ));
    }
    let customer_id = values.text(&columns.customer_id)?;
    if customer_id.is_empty() {
        return Err(values.error(
            &columns.customer_id,
            "is empty".to_string(),
            "every transaction belongs to a customer: fill in the customer number",
        ));
    }
    let date = values.date(&columns.date)?;
    let currency = values.currency(columns.currency.as_ref())?;
    let (debit, credit) = match &columns.amounts {
        AmountColumns::Signed(column) => {
            let amount = present(values, column)?;
            let money = values.money(column, &amount, currency)?;
            if money.is_negative() {
                (-money, Money::zero(currency))
            } else {
                (Money::zero(currency), money)
            }
        }
        AmountColumns::DebitCredit { debit, credit } => {
            let d = unsigned(values, debit, currency)?;
            let c = unsigned(values, credit, currency)?;
            match (d, c) {
                (None, None) => {
                    return Err(values.error(
                        debit,
                        format!(
                            "neither \"{}\" nor \"{}\" holds an amount",
                            debit.label, credit.label
                        ),
                        "fill in the debit or the credit of the transaction",
                    ));
                }
                (Some(d), Some(c)) if !d.is_zero() && !c.is_zero() => {
                    return Err(values.error(
                        credit,
                        format!(
                            "both \"{}\" ({}) and \"{}\" ({}) hold an amount",
                            debit.label, d.amount, credit.label, c.amount
                        ),
                        "a transaction is a debit or a credit: export it as two transactions, or fix the row",
                    ));
                }
                (d, c) => (
                    d.unwrap_or(Money::zero(currency)),
                    c.unwrap_or(Money::zero(currency)),
                ),
            }
        }
    };
    let type_text = values.optional_text(columns.kind.as_ref())?;
    Ok(BillingTransaction {
        customer_id,
        date,
        kind: BillingTransactionKind::from_type_text(&type_text),
        type_text,
        debit,
        credit,
        description: values.joined(&columns.description)?,
        document: values.optional_text(columns.document.as_ref())?,
        category: values.optional_text(columns.category.as_ref())?,
        lineage: Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line: values.line(),
        },
        id,
    })
}

fn present(values: &RowValues<'_>, column: &Column) -> Result<Amount, SourceError> {
    values.amount(column)?.ok_or_else(|| {
        values.error(
            column,
            "has no amount".to_string(),
            "every transaction has an amount; fill it in",
        )
    })
}

/// A debit or credit cell: empty, or an amount that is not negative (which side it is on
/// is what says whether it adds to or takes from the balance).
fn unsigned(
    values: &RowValues<'_>,
    column: &Column,
    currency: crate::model::Currency,
) -> Result<Option<Money>, SourceError> {
    let Some(amount) = values.amount(column)? else {
        return Ok(None);
    };
    let money = values.money(column, &amount, currency)?;
    if money.is_negative() {
        return Err(values.error(
            column,
            format!("\"{}\" is negative", amount.written),
            "debit and credit are written without a sign; a negative debit is a credit — put it in the other column",
        ));
    }
    Ok(Some(money))
}
