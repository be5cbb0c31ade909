//! Bank statements as CSV, in any layout, described by mapping rules in the pipeline file
//! (in the spirit of hledger's CSV rules): which column holds the date, the amount — one
//! signed column, separate debit and credit columns, or an amount with a D/C column — the
//! counterparty, the bank reference and the remittance text.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::csv_table::{self, Column, error, field, joined};
use super::fields::{parse_amount, parse_date};
use super::{ColumnProblem, InputFile, SourceError, require, single_columns, unknown_roles};
use crate::model::{BankLine, Currency, EntryInfo, Lineage, Money};
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
    let table = csv_table::read(&source.layout, file)?;
    let col = |role: &str| table.optional(source, file, role);
    let unmapped = |what: &str| {
        error(
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
    for (line, record) in &table.rows {
        let line = *line;
        let get = |c: &Column| field(file, line, record, c);
        let date = |c: &Column| {
            parse_date(get(c)?, &source.layout.date_format).map_err(|why| {
                error(
                    file,
                    Some(line),
                    Some(&c.label),
                    format!("\"{}\" {why}", get(c).unwrap_or_default()),
                    "fix the row, or `date_format` in the pipeline file",
                )
            })
        };
        let amount_in = |c: &Column| -> Result<Option<Decimal>, SourceError> {
            let raw = get(c)?;
            if raw.is_empty() {
                return Ok(None);
            }
            parse_amount(raw, source.layout.decimal, source.layout.thousands)
                .map(Some)
                .map_err(|why| {
                    error(
                        file,
                        Some(line),
                        Some(&c.label),
                        format!("\"{raw}\" {why}"),
                        "fix the row, or `decimal`/`thousands` in the pipeline file",
                    )
                })
        };
        let required = |c: &Column, v: Option<Decimal>| {
            v.ok_or_else(|| {
                error(
                    file,
                    Some(line),
                    Some(&c.label),
                    "has no amount".to_string(),
                    "fix the row, or `skip_trailing` if it is a summary row",
                )
            })
        };

        // The amount, and the column it was read from (named if it is refused below).
        let (amount, money_column) = match &amounts {
            AmountColumns::Signed(a) => (required(a, amount_in(a)?)?, a),
            AmountColumns::DebitCredit(d, c) => match (amount_in(d)?, amount_in(c)?) {
                (Some(debit), None) => (-debit.abs(), d),
                (None, Some(credit)) => (credit.abs(), c),
                (Some(debit), Some(credit)) if credit.is_zero() => (-debit.abs(), d),
                (Some(debit), Some(credit)) if debit.is_zero() => (credit.abs(), c),
                (Some(_), Some(_)) => {
                    return Err(error(
                        file,
                        Some(line),
                        Some(&d.label),
                        format!("both \"{}\" and \"{}\" hold an amount", d.label, c.label),
                        "a row is either money out or money in; fix the row, or set `skip_trailing` if it is a summary row",
                    ));
                }
                (None, None) => {
                    return Err(error(
                        file,
                        Some(line),
                        Some(&d.label),
                        format!(
                            "neither \"{}\" nor \"{}\" holds an amount",
                            d.label, c.label
                        ),
                        "fix the row, or `skip_trailing` if it is a summary row",
                    ));
                }
            },
            AmountColumns::WithDirection(a, d) => {
                let value = required(a, amount_in(a)?)?.abs();
                let written = get(d)?;
                let mark = written.to_uppercase();
                if source.debit_marks.contains(&mark) {
                    (-value, a)
                } else if source.credit_marks.contains(&mark) {
                    (value, a)
                } else {
                    return Err(error(
                        file,
                        Some(line),
                        Some(&d.label),
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

        let currency = match &currency_col {
            Some(c) if !get(c)?.is_empty() => Currency::from_code(get(c)?).map_err(|e| {
                error(
                    file,
                    Some(line),
                    Some(&c.label),
                    e.to_string(),
                    "fix the row",
                )
            })?,
            Some(c) => source.currency.ok_or_else(|| {
                error(
                    file,
                    Some(line),
                    Some(&c.label),
                    "is empty and the source has no default `currency`".to_string(),
                    "set `currency` for this source",
                )
            })?,
            None => source.currency.ok_or_else(|| unmapped("currency"))?,
        };
        let amount = Money::new(amount, currency).map_err(|_| {
            error(
                file,
                Some(line),
                Some(&money_column.label),
                format!(
                    "\"{}\" has fractions of a cent ({currency} amounts have {} decimals)",
                    get(money_column).unwrap_or_default(),
                    currency.exponent()
                ),
                "sluice never rounds money; fix the row, or check `decimal` and `thousands`",
            )
        })?;
        let account = match &account_col {
            Some(c) => get(c)?.to_string(),
            None => source.account.clone().unwrap_or_default(),
        };
        let lineage = Lineage {
            file_sha256: file.sha256.to_string(),
            file_name: file.name.to_string(),
            line,
        };
        lines.push(BankLine {
            id: lineage.record_id(),
            booking_date: date(&booking)?,
            value_date: match &value_date {
                Some(c) if !get(c)?.is_empty() => Some(date(c)?),
                _ => None,
            },
            amount,
            account,
            counterparty: joined(record, &counterparty),
            counterparty_account: counterparty_account
                .as_ref()
                .map(&get)
                .transpose()?
                .unwrap_or_default()
                .to_string(),
            bank_reference: reference
                .as_ref()
                .map(get)
                .transpose()?
                .unwrap_or_default()
                .to_string(),
            text: joined(record, &text),
            info: EntryInfo::default(),
            lineage,
        });
    }
    Ok(lines)
}
