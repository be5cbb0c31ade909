//! The billing system's invoice export as CSV or spreadsheet, in one of two shapes:
//!
//! - one row per invoice or credit note (no line columns mapped);
//! - one row per line (line columns mapped): the rows of one document share its number,
//!   repeat its fields unchanged, and follow one another — a number that comes back after
//!   other documents is refused rather than merged, because that is how two exports
//!   pasted together, or two documents given one number, look. A row whose line fields are
//!   all empty adds no line; a document with no line at all is recorded, not applied.
//!
//! Figures must agree to the cent: each line with itself (`lines.rs`), and the document's
//! total with its lines — their totals, plus their VAT when `prices = "net"`. Without a
//! mapped `total` the document's total is that sum. A negative total is a credit note.

mod head;
mod lines;

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::table::{self, Column, Origin, Table};
use super::{ColumnProblem, InputFile, SourceError, require, single_columns, unknown_roles};
use crate::model::{Document, DocumentKind, Lineage, Money};
use crate::pipeline::{ColumnSpec, Prices, Source};
use head::{Head, HeadColumns};
use lines::{LineColumns, gross_of};

const DOCUMENT_ROLES: &[&str] = &[
    "number",
    "customer_id",
    "customer_name",
    "issue_date",
    "due_date",
    "total",
    "currency",
    "status",
    "deleted",
];

const LINE_ROLES: &[&str] = &[
    "line_description",
    "quantity",
    "unit_price",
    "vat_rate",
    "vat_amount",
    "line_total",
    "category",
    "period_from",
    "period_to",
];

fn itemized(columns: &BTreeMap<String, ColumnSpec>) -> bool {
    LINE_ROLES.iter().any(|r| columns.contains_key(*r))
}

pub fn check_columns(columns: &BTreeMap<String, ColumnSpec>) -> Vec<ColumnProblem> {
    let mut problems = Vec::new();
    let known: Vec<&str> = DOCUMENT_ROLES.iter().chain(LINE_ROLES).copied().collect();
    unknown_roles(columns, &known, &mut problems);
    single_columns(columns, &[], &mut problems);
    for role in ["number", "customer_id", "issue_date"] {
        require(columns, role, &mut problems);
    }
    if itemized(columns) {
        for role in ["quantity", "unit_price", "line_total"] {
            require(columns, role, &mut problems);
        }
        let rate = columns.contains_key("vat_rate");
        if rate != columns.contains_key("vat_amount") {
            problems.push(ColumnProblem {
                role: Some(if rate { "vat_rate" } else { "vat_amount" }.to_string()),
                message:
                    "map `vat_rate` and `vat_amount` together (neither for documents without VAT)"
                        .to_string(),
            });
        }
    } else {
        require(columns, "total", &mut problems);
    }
    problems
}

/// A document being assembled from its rows.
struct Assembly {
    head: Head,
    first_line: u64,
    document: Document,
}

pub fn parse(source: &Source, file: &InputFile<'_>) -> Result<Vec<Document>, SourceError> {
    let table = table::read(source, file)?;
    let heads = head_columns(source, file, &table)?;
    let line_columns = if itemized(&source.columns) {
        Some(line_columns(source, file, &table)?)
    } else {
        None
    };
    let row_word = match table.origin {
        Origin::Sheet { .. } => "row",
        Origin::Delimited => "line",
    };
    let lineage = |line: u64| Lineage {
        file_sha256: file.sha256.to_string(),
        file_name: file.name.to_string(),
        line,
    };

    let mut assembled: Vec<Assembly> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let values = table.values(source, file, row);
        let line = values.line();
        let head = heads.read(&values)?;
        match (position.get(&head.number), &line_columns) {
            (None, _) => {}
            (Some(&at), Some(_)) if at + 1 == assembled.len() => {
                let first = &assembled[at];
                heads.agree(&values, &head, &first.head, first.first_line, row_word)?;
            }
            (Some(&at), itemized) => {
                let (message, hint) = match itemized {
                    Some(_) => (
                        format!(
                            "\"{}\" comes back after other documents (its rows start on {row_word} {})",
                            head.number, assembled[at].first_line
                        ),
                        "the rows of one document must follow one another; sort the export by document",
                    ),
                    None => (
                        format!(
                            "\"{}\" appears twice (first on {row_word} {})",
                            head.number, assembled[at].first_line
                        ),
                        "export each invoice once",
                    ),
                };
                return Err(values.error(&heads.number, message, hint));
            }
        }
        if !position.contains_key(&head.number) {
            position.insert(head.number.clone(), assembled.len());
            assembled.push(Assembly {
                document: Document {
                    number: head.number.clone(),
                    kind: DocumentKind::Invoice,
                    customer_id: head.customer_id.clone(),
                    customer_name: head.customer_name.clone(),
                    issue_date: head.issue_date,
                    due_date: head.due_date,
                    total: head.total.unwrap_or(Money::zero(head.currency)),
                    status: head.status,
                    deleted: head.deleted,
                    itemized: line_columns.is_some(),
                    lines: Vec::new(),
                    lineage: lineage(line),
                },
                first_line: line,
                head,
            });
        }
        if let (Some(columns), Some(last)) = (&line_columns, assembled.last_mut())
            && let Some(item) = columns.read(
                &values,
                last.head.currency,
                source.prices,
                source.layout.decimal,
                lineage(line),
            )?
        {
            last.document.lines.push(item);
        }
    }

    let mut documents = Vec::with_capacity(assembled.len());
    for Assembly {
        first_line,
        mut document,
        ..
    } in assembled
    {
        if document.itemized && !document.lines.is_empty() {
            document.total = total_of(&table, file, &heads, source.prices, first_line, &document)?;
        }
        if document.total.is_negative() {
            document.kind = DocumentKind::CreditNote;
        }
        documents.push(document);
    }
    Ok(documents)
}

/// The document's total from its lines; a stated total must be exactly that.
fn total_of(
    table: &Table,
    file: &InputFile<'_>,
    heads: &HeadColumns,
    prices: Prices,
    first_line: u64,
    document: &Document,
) -> Result<Money, SourceError> {
    let sum: Decimal = document.lines.iter().map(|l| gross_of(l, prices)).sum();
    let derived = Money {
        amount: sum,
        currency: document.total.currency,
    };
    let Some(column) = &heads.total else {
        return Ok(derived);
    };
    if document.total.amount == derived.amount {
        return Ok(derived);
    }
    let parts = match prices {
        Prices::Net => {
            let net: Decimal = document.lines.iter().map(|l| l.line_total.amount).sum();
            let vat: Decimal = document.lines.iter().map(|l| l.vat_amount.amount).sum();
            format!("{net} + VAT {vat} = {sum}")
        }
        Prices::Gross => sum.to_string(),
    };
    Err(table.error(
        file,
        Some(first_line),
        Some(column),
        format!(
            "total {} of document \"{}\" is not the sum of its {} lines: {parts}",
            document.total.amount,
            document.number,
            document.lines.len()
        ),
        "fix the export, or `prices = \"net\"`/`\"gross\"` of the source if its line totals include VAT",
    ))
}

fn head_columns(
    source: &Source,
    file: &InputFile<'_>,
    table: &Table,
) -> Result<HeadColumns, SourceError> {
    let col = |role: &str| table.optional(source, file, role);
    let required = |role: &str| -> Result<Column, SourceError> {
        col(role)?.ok_or_else(|| unmapped(source, file, table, role))
    };
    Ok(HeadColumns {
        number: required("number")?,
        customer_id: required("customer_id")?,
        customer_name: col("customer_name")?,
        issue_date: required("issue_date")?,
        due_date: col("due_date")?,
        total: match itemized(&source.columns) {
            true => col("total")?,
            false => Some(required("total")?),
        },
        currency: col("currency")?,
        status: col("status")?,
        deleted: col("deleted")?,
    })
}

fn line_columns(
    source: &Source,
    file: &InputFile<'_>,
    table: &Table,
) -> Result<LineColumns, SourceError> {
    let col = |role: &str| table.optional(source, file, role);
    let required = |role: &str| -> Result<Column, SourceError> {
        col(role)?.ok_or_else(|| unmapped(source, file, table, role))
    };
    let vat = match (col("vat_rate")?, col("vat_amount")?) {
        (Some(rate), Some(amount)) => Some((rate, amount)),
        (None, None) => None,
        (Some(_), None) => return Err(unmapped(source, file, table, "vat_amount")),
        (None, Some(_)) => return Err(unmapped(source, file, table, "vat_rate")),
    };
    Ok(LineColumns {
        description: col("line_description")?,
        quantity: required("quantity")?,
        unit_price: required("unit_price")?,
        vat,
        line_total: required("line_total")?,
        category: col("category")?,
        period_from: col("period_from")?,
        period_to: col("period_to")?,
    })
}

fn unmapped(source: &Source, file: &InputFile<'_>, table: &Table, role: &str) -> SourceError {
    table.error(
        file,
        None,
        None,
        format!("source \"{}\" maps no {role} column", source.name),
        "run `sluice check` on the pipeline file",
    )
}
