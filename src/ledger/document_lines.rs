//! The `document_lines` table: the lines of every document version written, keyed by the
//! document's `number` and `version` (and the `run_id` that wrote them), numbered from 1
//! in the order of the export. A version's lines are written with it and never again, so
//! the lines of version 1 and of version 2 stand side by side: that is the history.
//!
//! Quantity and VAT rate are exact decimals written as text (`1.5`, `19`): the polars
//! build has no Decimal columns, and a float would not be exact. Money is `*_minor`
//! beside `currency`, as everywhere in the ledger.

use std::collections::HashMap;
use std::str::FromStr;

use polars::prelude::DataFrame;
use rust_decimal::Decimal;

use super::LedgerError;
use super::frame::{self, Reader, date, int, text};
use super::tables::{DocumentRow, corrupt, minor};
use crate::model::{DocumentLine, Lineage};

pub fn lines_frame(documents: &[DocumentRow]) -> Result<DataFrame, LedgerError> {
    let rows: Vec<(&DocumentRow, usize, &DocumentLine)> = documents
        .iter()
        .flat_map(|d| {
            d.document
                .lines
                .iter()
                .enumerate()
                .map(move |(i, l)| (d, i + 1, l))
        })
        .collect();
    let decimals = |f: fn(&DocumentLine) -> Decimal| -> Vec<String> {
        rows.iter()
            .map(|(_, _, l)| f(l).normalize().to_string())
            .collect()
    };
    let quantity = decimals(|l| l.quantity);
    let vat_rate = decimals(|l| l.vat_rate);
    frame::frame(vec![
        text("run_id", rows.iter().map(|(d, _, _)| d.run_id.as_str())),
        text(
            "number",
            rows.iter().map(|(d, _, _)| d.document.number.as_str()),
        ),
        int("version", rows.iter().map(|(d, _, _)| d.version)),
        int("line_number", rows.iter().map(|(_, n, _)| *n as i64)),
        text(
            "description",
            rows.iter().map(|(_, _, l)| l.description.as_str()),
        ),
        text("quantity", quantity.iter().map(String::as_str)),
        int(
            "unit_price_minor",
            rows.iter().map(|(_, _, l)| minor(&l.unit_price)),
        ),
        text("vat_rate", vat_rate.iter().map(String::as_str)),
        int(
            "vat_amount_minor",
            rows.iter().map(|(_, _, l)| minor(&l.vat_amount)),
        ),
        int(
            "line_total_minor",
            rows.iter().map(|(_, _, l)| minor(&l.line_total)),
        ),
        text(
            "currency",
            rows.iter().map(|(_, _, l)| l.line_total.currency.code()),
        ),
        text("category", rows.iter().map(|(_, _, l)| l.category.as_str())),
        date("period_from", rows.iter().map(|(_, _, l)| l.period_from))?,
        date("period_to", rows.iter().map(|(_, _, l)| l.period_to))?,
        text(
            "file_sha256",
            rows.iter().map(|(_, _, l)| l.lineage.file_sha256.as_str()),
        ),
        text(
            "file_name",
            rows.iter().map(|(_, _, l)| l.lineage.file_name.as_str()),
        ),
        int("line", rows.iter().map(|(_, _, l)| l.lineage.line as i64)),
    ])
}

/// Gives each line of a run's segment to its document version, read just before from the
/// same run's `documents` segment (so those are the last rows of `documents`).
pub fn attach(documents: &mut [DocumentRow], r: &Reader<'_>) -> Result<(), LedgerError> {
    let run_id = r.texts("run_id")?;
    let number = r.texts("number")?;
    let version = r.ints("version")?;
    let description = r.texts("description")?;
    let quantity = r.texts("quantity")?;
    let unit_price = r.money("unit_price_minor", "currency")?;
    let vat_rate = r.texts("vat_rate")?;
    let vat_amount = r.money("vat_amount_minor", "currency")?;
    let line_total = r.money("line_total_minor", "currency")?;
    let category = r.texts("category")?;
    let period_from = r.dates("period_from")?;
    let period_to = r.dates("period_to")?;
    let sha = r.texts("file_sha256")?;
    let file_name = r.texts("file_name")?;
    let line = r.ints("line")?;

    let Some(run) = run_id.first() else {
        return Ok(());
    };
    let of_run = documents
        .iter()
        .rev()
        .take_while(|d| &d.run_id == run)
        .count();
    let start = documents.len() - of_run;
    let tail = &mut documents[start..];
    let index: HashMap<(String, i64), usize> = tail
        .iter()
        .enumerate()
        .map(|(at, d)| ((d.document.number.clone(), d.version), at))
        .collect();
    let decimal =
        |column: &str, text: &str| Decimal::from_str(text).map_err(|_| corrupt(r, column, text));
    for i in 0..run_id.len() {
        let owner = index
            .get(&(number[i].clone(), version[i]))
            .map(|&at| &mut tail[at])
            .ok_or_else(|| LedgerError::Corrupt {
                segment: r.segment.to_string(),
                message: format!(
                    "holds a line of document \"{}\" version {} that run {} did not write",
                    number[i], version[i], run_id[i]
                ),
            })?;
        owner.document.lines.push(DocumentLine {
            description: description[i].clone(),
            quantity: decimal("quantity", &quantity[i])?,
            unit_price: unit_price[i],
            vat_rate: decimal("vat_rate", &vat_rate[i])?,
            vat_amount: vat_amount[i],
            line_total: line_total[i],
            category: category[i].clone(),
            period_from: period_from[i],
            period_to: period_to[i],
            lineage: Lineage {
                file_sha256: sha[i].clone(),
                file_name: file_name[i].clone(),
                line: line[i] as u64,
            },
        });
    }
    Ok(())
}
