//! One data row being read: each value (text, amount, date, currency) comes with its
//! location — file, row, column, and for a sheet the cell — and each refusal with what a
//! person can do about it. What a value *is* is `cell.rs`; this adds where it is.

use chrono::NaiveDate;

use super::cell::{Amount, Cell, DateSystem, Refusal};
use super::table::{Column, Origin, Row, Table};
use super::{InputFile, SourceError};
use crate::model::{Currency, Money};
use crate::pipeline::Source;

pub struct RowValues<'a> {
    table: &'a Table,
    source: &'a Source,
    file: &'a InputFile<'a>,
    row: &'a Row,
}

/// What a cell beyond the end of a sheet's row holds.
static EMPTY: Cell = Cell::Empty;

impl<'a> RowValues<'a> {
    pub fn new(
        table: &'a Table,
        source: &'a Source,
        file: &'a InputFile<'a>,
        row: &'a Row,
    ) -> RowValues<'a> {
        RowValues {
            table,
            source,
            file,
            row,
        }
    }

    pub fn line(&self) -> u64 {
        self.row.line
    }

    pub fn error(&self, column: &Column, message: String, hint: &str) -> SourceError {
        self.table
            .error(self.file, Some(self.row.line), Some(column), message, hint)
    }

    fn refused(&self, column: &Column, cell: &Cell, refusal: Refusal) -> SourceError {
        self.error(
            column,
            format!("\"{}\" {}", cell.written(), refusal.reason),
            refusal.hint,
        )
    }

    /// The cell; a text row too short for the mapping refuses the file (a sheet's row is
    /// as wide as the sheet: what is past its end is empty).
    fn cell(&self, column: &Column) -> Result<&Cell, SourceError> {
        match (self.row.cells.get(column.index), &self.table.origin) {
            (Some(cell), _) => Ok(cell),
            (None, Origin::Sheet { .. }) => Ok(&EMPTY),
            (None, Origin::Delimited) => Err(self.error(
                column,
                format!("row has only {} fields", self.row.cells.len()),
                "the row is cut short; check `delimiter`, or `skip_trailing` for summary rows",
            )),
        }
    }

    pub fn text(&self, column: &Column) -> Result<String, SourceError> {
        let cell = self.cell(column)?;
        cell.text().map_err(|r| self.refused(column, cell, r))
    }

    /// The text of a mapped column, or "" when it is not mapped.
    pub fn optional_text(&self, column: Option<&Column>) -> Result<String, SourceError> {
        column
            .map(|c| self.text(c))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// Several text columns joined by a space, empty ones (or ones past a short row's end)
    /// left out.
    pub fn joined(&self, columns: &[Column]) -> Result<String, SourceError> {
        let mut parts = Vec::new();
        for column in columns {
            if let Some(cell) = self.row.cells.get(column.index) {
                let text = cell.text().map_err(|r| self.refused(column, cell, r))?;
                if !text.is_empty() {
                    parts.push(text);
                }
            }
        }
        Ok(parts.join(" "))
    }

    pub fn is_blank(&self, column: &Column) -> Result<bool, SourceError> {
        Ok(self.cell(column)?.is_blank())
    }

    pub fn date(&self, column: &Column) -> Result<NaiveDate, SourceError> {
        let cell = self.cell(column)?;
        let dates = match &self.table.origin {
            Origin::Sheet { dates, .. } => *dates,
            Origin::Delimited => DateSystem::From1900,
        };
        cell.date(&self.source.layout.date_format, dates)
            .map_err(|r| self.refused(column, cell, r))
    }

    /// The date in a mapped column; `None` when it is not mapped or the cell is empty.
    pub fn optional_date(&self, column: Option<&Column>) -> Result<Option<NaiveDate>, SourceError> {
        match column {
            Some(c) if !self.is_blank(c)? => self.date(c).map(Some),
            _ => Ok(None),
        }
    }

    /// The row's currency: its currency column, else the source's `currency`.
    pub fn currency(&self, column: Option<&Column>) -> Result<Currency, SourceError> {
        match column {
            Some(c) if !self.is_blank(c)? => {
                let code = self.text(c)?;
                Currency::from_code(&code).map_err(|e| self.error(c, e.to_string(), "fix the row"))
            }
            Some(c) => self.source.currency.ok_or_else(|| {
                self.error(
                    c,
                    "is empty and the source has no default `currency`".to_string(),
                    "set `currency` for this source",
                )
            }),
            None => self.source.currency.ok_or_else(|| {
                self.table.error(
                    self.file,
                    None,
                    None,
                    format!("source \"{}\" maps no currency column", self.source.name),
                    "run `sluice check` on the pipeline file",
                )
            }),
        }
    }

    /// The amount in `column`; `None` when the cell is empty.
    pub fn amount(&self, column: &Column) -> Result<Option<Amount>, SourceError> {
        let cell = self.cell(column)?;
        let layout = &self.source.layout;
        cell.amount(layout.decimal, layout.thousands)
            .map_err(|r| self.refused(column, cell, r))
    }

    /// An amount read from `column` as money of the row's currency. A currency mark written
    /// beside it must fit the currency, and an amount with more decimals than the currency
    /// has is refused, never rounded.
    pub fn money(
        &self,
        column: &Column,
        amount: &Amount,
        currency: Currency,
    ) -> Result<Money, SourceError> {
        if let Some(mark) = amount.mark.as_ref().filter(|m| !m.fits(currency)) {
            return Err(self.error(
                column,
                format!(
                    "\"{}\" is written in {} but the row's currency is {currency}",
                    amount.written, mark.written
                ),
                "fix the row, or the currency column / `currency` of the source",
            ));
        }
        Money::new(amount.value, currency).map_err(|_| {
            self.error(
                column,
                format!(
                    "\"{}\" has fractions of a cent ({currency} amounts have {} decimals)",
                    amount.written,
                    currency.exponent()
                ),
                if amount.from_number {
                    "sluice never rounds money; round the cell in the sheet (=ROUND(…; 2)) or fix the row"
                } else {
                    "sluice never rounds money; fix the row, or check `decimal` and `thousands`"
                },
            )
        })
    }
}
