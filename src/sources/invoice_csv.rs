//! The billing system's invoice export as CSV: one row per invoice or credit note. A
//! document with a negative total is a credit note.

use std::collections::BTreeMap;

use super::csv_table::{self, Column, error, field};
use super::fields::{parse_amount, parse_date};
use super::{ColumnProblem, InputFile, SourceError, require, single_columns, unknown_roles};
use crate::model::{Currency, Document, DocumentKind, DocumentStatus, Lineage, Money};
use crate::pipeline::{ColumnSpec, Source};

const ROLES: &[&str] = &[
    "number",
    "customer_id",
    "customer_name",
    "issue_date",
    "due_date",
    "total",
    "currency",
    "status",
];

pub fn check_columns(columns: &BTreeMap<String, ColumnSpec>) -> Vec<ColumnProblem> {
    let mut problems = Vec::new();
    unknown_roles(columns, ROLES, &mut problems);
    single_columns(columns, &[], &mut problems);
    for role in ["number", "customer_id", "issue_date", "total"] {
        require(columns, role, &mut problems);
    }
    problems
}

pub fn parse(source: &Source, file: &InputFile<'_>) -> Result<Vec<Document>, SourceError> {
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
    let number = col("number")?.ok_or_else(|| unmapped("number"))?;
    let customer_id = col("customer_id")?.ok_or_else(|| unmapped("customer_id"))?;
    let issue_date = col("issue_date")?.ok_or_else(|| unmapped("issue_date"))?;
    let total = col("total")?.ok_or_else(|| unmapped("total"))?;
    let customer_name = col("customer_name")?;
    let due_date = col("due_date")?;
    let currency_col = col("currency")?;
    let status = col("status")?;

    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut documents = Vec::with_capacity(table.rows.len());
    for (line, record) in &table.rows {
        let line = *line;
        let get = |c: &Column| field(file, line, record, c);
        let fail = |c: &Column, message: String, hint: &str| {
            error(file, Some(line), Some(&c.label), message, hint)
        };
        let date = |c: &Column| {
            let raw = get(c)?;
            parse_date(raw, &source.layout.date_format).map_err(|why| {
                fail(
                    c,
                    format!("\"{raw}\" {why}"),
                    "fix the row, or `date_format` in the pipeline file",
                )
            })
        };

        let doc_number = get(&number)?.to_string();
        if doc_number.is_empty() {
            return Err(fail(
                &number,
                "is empty".to_string(),
                "every invoice needs its number",
            ));
        }
        if let Some(first) = seen.insert(doc_number.clone(), line) {
            return Err(fail(
                &number,
                format!("\"{doc_number}\" appears twice (first on line {first})"),
                "export each invoice once",
            ));
        }
        let customer = get(&customer_id)?.to_string();
        if customer.is_empty() {
            return Err(fail(
                &customer_id,
                "is empty".to_string(),
                "every invoice needs its customer",
            ));
        }
        let raw_total = get(&total)?;
        let amount = parse_amount(raw_total, source.layout.decimal, source.layout.thousands)
            .map_err(|why| {
                fail(
                    &total,
                    format!("\"{raw_total}\" {why}"),
                    "fix the row, or `decimal`/`thousands` in the pipeline file",
                )
            })?;
        let currency = match &currency_col {
            Some(c) if !get(c)?.is_empty() => {
                Currency::from_code(get(c)?).map_err(|e| fail(c, e.to_string(), "fix the row"))?
            }
            Some(c) => source.currency.ok_or_else(|| {
                fail(
                    c,
                    "is empty and the source has no default `currency`".to_string(),
                    "set `currency` for this source",
                )
            })?,
            None => source.currency.ok_or_else(|| unmapped("currency"))?,
        };
        let total_money = Money::new(amount, currency).map_err(|_| {
            fail(
                &total,
                format!(
                    "\"{raw_total}\" has fractions of a cent ({currency} amounts have {} decimals)",
                    currency.exponent()
                ),
                "sluice never rounds money; fix the row, or check `decimal` and `thousands`",
            )
        })?;
        let doc_status = match &status {
            Some(c) => {
                let raw = get(c)?;
                DocumentStatus::parse(raw).ok_or_else(|| {
                    fail(
                        c,
                        format!("\"{raw}\" is not a status sluice knows"),
                        "use open/unpaid/due/overdue, paid, or cancelled/void/deleted",
                    )
                })?
            }
            None => DocumentStatus::Open,
        };
        documents.push(Document {
            number: doc_number,
            kind: if total_money.is_negative() {
                DocumentKind::CreditNote
            } else {
                DocumentKind::Invoice
            },
            customer_id: customer,
            customer_name: customer_name
                .as_ref()
                .map(&get)
                .transpose()?
                .unwrap_or_default()
                .to_string(),
            issue_date: date(&issue_date)?,
            due_date: match &due_date {
                Some(c) if !get(c)?.is_empty() => Some(date(c)?),
                _ => None,
            },
            total: total_money,
            status: doc_status,
            lineage: Lineage {
                file_sha256: file.sha256.to_string(),
                file_name: file.name.to_string(),
                line,
            },
        });
    }
    Ok(documents)
}
