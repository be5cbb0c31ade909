//! The billing system's invoice export as CSV or spreadsheet: one row per invoice or
//! credit note. A document with a negative total is a credit note.

use std::collections::BTreeMap;

use super::table::{self, Origin};
use super::{ColumnProblem, InputFile, SourceError, require, single_columns, unknown_roles};
use crate::model::{Document, DocumentKind, DocumentStatus, Lineage};
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
    for row in &table.rows {
        let values = table.values(source, file, row);
        let line = values.line();

        let doc_number = values.text(&number)?;
        if doc_number.is_empty() {
            return Err(values.error(
                &number,
                "is empty".to_string(),
                "every invoice needs its number",
            ));
        }
        if let Some(first) = seen.insert(doc_number.clone(), line) {
            let first_at = match table.origin {
                Origin::Sheet { .. } => "row",
                Origin::Delimited => "line",
            };
            return Err(values.error(
                &number,
                format!("\"{doc_number}\" appears twice (first on {first_at} {first})"),
                "export each invoice once",
            ));
        }
        let customer = values.text(&customer_id)?;
        if customer.is_empty() {
            return Err(values.error(
                &customer_id,
                "is empty".to_string(),
                "every invoice needs its customer",
            ));
        }
        let amount = values.amount(&total)?.ok_or_else(|| {
            values.error(
                &total,
                "\"\" is empty".to_string(),
                "fix the row, or `decimal`/`thousands` in the pipeline file",
            )
        })?;
        let currency = values.currency(currency_col.as_ref())?;
        let total_money = values.money(&total, &amount, currency)?;
        let doc_status = match &status {
            Some(c) => {
                let raw = values.text(c)?;
                DocumentStatus::parse(&raw).ok_or_else(|| {
                    values.error(
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
            customer_name: values.optional_text(customer_name.as_ref())?,
            issue_date: values.date(&issue_date)?,
            due_date: values.optional_date(due_date.as_ref())?,
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
