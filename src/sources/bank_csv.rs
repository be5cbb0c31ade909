//! Bank statements as CSV or spreadsheet, in any layout, described by mapping rules in the
//! pipeline file (in the spirit of hledger's CSV rules): which column holds the date, the amount — one
//! signed column, separate debit and credit columns, or an amount with a D/C column — the
//! counterparty, the bank reference and the remittance text.

use std::collections::BTreeMap;

use super::cell::Amount;
use super::table::{self, Column};
use super::{ColumnProblem, InputFile, SourceError, require, single_columns, unknown_roles};
use crate::model::{BankLine, EntryInfo, Lineage};
use crate::pipeline::{ColumnSpec, Source};

const ROLES: &[&str] = &[
    "booking_date",
    "value_date",
    "amount",
    "debit",
    "credit",
    "direction",
    "currency",
    "account",
    "counterparty",
    "counterparty_account",
    "reference",
    "text",
];

pub fn check_columns(columns: &BTreeMap<String, ColumnSpec>) -> Vec<ColumnProblem> {
    let mut problems = Vec::new();
    unknown_roles(columns, ROLES, &mut problems);
    single_columns(columns, &["text"], &mut problems);
    require(columns, "booking_date", &mut problems);
    let has = |r: &str| columns.contains_key(r);
    match (has("amount"), has("debit"), has("credit"), has("direction")) {
        (true, false, false, _) | (false, true, true, false) => {}
        (false, false, false, _) => problems.push(ColumnProblem {
            role: None,
            message: "missing mapping for the amount: map `amount`, or both `debit` and `credit`"
                .to_string(),
        }),
        (false, d, c, _) if d != c => problems.push(ColumnProblem {
            role: Some(if d { "debit" } else { "credit" }.to_string()),
            message: "`debit` and `credit` go together: map both".to_string(),
        }),
        (false, true, true, true) => problems.push(ColumnProblem {
            role: Some("direction".to_string()),
            message: "`direction` goes with a single `amount` column, not with `debit`/`credit`"
                .to_string(),
        }),
        _ => problems.push(ColumnProblem {
            role: Some("amount".to_string()),
            message: "map either `amount` or `debit` and `credit`, not both".to_string(),
        }),
    }
    problems
}

enum AmountColumns {
    Signed(Column),
    DebitCredit(Column, Column),
    WithDirection(Column, Column),
}

pub fn parse(source: &Source, file: &InputFile<'_>) -> Result<Vec<BankLine>, SourceError> {
    let table = table::read(source, file)?;
    let col = |role: &str| table.optional(source, file, role);
    let unmapped = |what: &str| {
        table.error(
            file,
            None,
            None,
            format!("source \"{}\" maps no {what} column", source.name),
            "run `sluice check` on the pipeline file",
        )
    };
    let booking = col("booking_date")?.ok_or_else(|| unmapped("booking_date"))?;
    let value_date = col("value_date")?;
    let amounts = match (
        col("amount")?,
        col("debit")?,
        col("credit")?,
        col("direction")?,
    ) {
        (Some(a), _, _, Some(d)) => AmountColumns::WithDirection(a, d),
        (Some(a), _, _, None) => AmountColumns::Signed(a),
        (None, Some(d), Some(c), _) => AmountColumns::DebitCredit(d, c),
        _ => return Err(unmapped("amount")),
    };
    let currency_col = col("currency")?;
    let account_col = col("account")?;
    let counterparty = table.columns(source, file, "counterparty")?;
    let counterparty_account = col("counterparty_account")?;
    let reference = col("reference")?;
    let text = table.columns(source, file, "text")?;

    let mut lines = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let values = table.values(source, file, row);
        let amount_in = |c: &Column| values.amount(c);
        let required = |c: &Column, v: Option<Amount>| {
            v.ok_or_else(|| {
                values.error(
                    c,
                    "has no amount".to_string(),
                    "fix the row, or `skip_trailing` if it is a summary row",
                )
            })
        };
        let money_out = |a: Amount| Amount {
            value: -a.value.abs(),
            ..a
        };
        let money_in = |a: Amount| Amount {
            value: a.value.abs(),
            ..a
        };

        // The amount, and the column it was read from (named if it is refused below).
        let (amount, money_column) = match &amounts {
            AmountColumns::Signed(a) => (required(a, amount_in(a)?)?, a),
            AmountColumns::DebitCredit(d, c) => match (amount_in(d)?, amount_in(c)?) {
                (Some(debit), None) => (money_out(debit), d),
                (None, Some(credit)) => (money_in(credit), c),
                (Some(debit), Some(credit)) if credit.value.is_zero() => (money_out(debit), d),
                (Some(debit), Some(credit)) if debit.value.is_zero() => (money_in(credit), c),
                (Some(_), Some(_)) => {
                    return Err(values.error(
                        d,
                        format!("both \"{}\" and \"{}\" hold an amount", d.label, c.label),
                        "a row is either money out or money in; fix the row, or set `skip_trailing` if it is a summary row",
                    ));
                }
                (None, None) => {
                    return Err(values.error(
                        d,
                        format!(
                            "neither \"{}\" nor \"{}\" holds an amount",
                            d.label, c.label
                        ),
                        "fix the row, or `skip_trailing` if it is a summary row",
                    ));
                }
            },
            AmountColumns::WithDirection(a, d) => {
                let amount = required(a, amount_in(a)?)?;
                let written = values.text(d)?;
                let mark = written.to_uppercase();
                if source.debit_marks.contains(&mark) {
                    (money_out(amount), a)
                } else if source.credit_marks.contains(&mark) {
                    (money_in(amount), a)
                } else {
                    return Err(values.error(
                        d,
                        format!(
                            "\"{written}\" is neither a debit mark ({}) nor a credit mark ({})",
                            source.debit_marks.join(", "),
                            source.credit_marks.join(", ")
                        ),
                        "add it to `debit_marks` or `credit_marks` in the pipeline file",
                    ));
                }
            }
        };
        let currency = values.currency(currency_col.as_ref())?;
        let amount = values.money(money_column, &amount, currency)?;

        let account = match &account_col {
            Some(c) => values.text(c)?,
            None => source.account.clone().unwrap_or_default(),
        };
        let lineage = Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line: values.line(),
        };
        lines.push(BankLine {
            id: lineage.record_id(),
            booking_date: values.date(&booking)?,
            value_date: values.optional_date(value_date.as_ref())?,
            amount,
            account,
            counterparty: values.joined(&counterparty)?,
            counterparty_account: values.optional_text(counterparty_account.as_ref())?,
            bank_reference: values.optional_text(reference.as_ref())?,
            text: values.joined(&text)?,
            info: EntryInfo::default(),
            lineage,
        });
    }
    Ok(lines)
}
