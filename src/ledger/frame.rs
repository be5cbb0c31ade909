//! Building and reading polars frames column by column. Money is two columns, exact integer
//! minor units and the currency code; dates are Parquet DATE. Nothing here is a float.

use chrono::NaiveDate;
use polars::prelude::*;

use super::LedgerError;
use crate::model::{Currency, Money};

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

pub fn days(date: NaiveDate) -> i32 {
    (date - epoch()).num_days() as i32
}

pub fn text<'a>(name: &str, values: impl Iterator<Item = &'a str>) -> Column {
    Column::new(name.into(), values.collect::<Vec<_>>())
}

pub fn int(name: &str, values: impl Iterator<Item = i64>) -> Column {
    Column::new(name.into(), values.collect::<Vec<_>>())
}

/// Integers that may be absent (a balance a statement does not give): null, never 0.
pub fn opt_int(name: &str, values: impl Iterator<Item = Option<i64>>) -> Column {
    Column::new(name.into(), values.collect::<Vec<_>>())
}

pub fn flag(name: &str, values: impl Iterator<Item = bool>) -> Column {
    Column::new(name.into(), values.collect::<Vec<_>>())
}

pub fn date(
    name: &str,
    values: impl Iterator<Item = Option<NaiveDate>>,
) -> Result<Column, LedgerError> {
    let raw: Vec<Option<i32>> = values.map(|d| d.map(days)).collect();
    Ok(Column::new(name.into(), raw).cast(&DataType::Date)?)
}

pub fn frame(columns: Vec<Column>) -> Result<DataFrame, LedgerError> {
    let height = columns.first().map(|c| c.len()).unwrap_or(0);
    Ok(DataFrame::new(height, columns)?)
}

/// Typed access to the columns of a frame read back from a segment.
pub struct Reader<'a> {
    pub frame: &'a DataFrame,
    pub segment: &'a str,
}

impl Reader<'_> {
    fn column(&self, name: &str) -> Result<&Column, LedgerError> {
        self.frame.column(name).map_err(|_| LedgerError::Corrupt {
            segment: self.segment.to_string(),
            message: format!("has no column \"{name}\""),
        })
    }

    pub fn texts(&self, name: &str) -> Result<Vec<String>, LedgerError> {
        Ok(self
            .column(name)?
            .str()?
            .into_iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect())
    }

    /// A text column added after ledgers were first written: segments from before it
    /// read as empty text, so an older ledger keeps working with a newer sluice.
    pub fn added_texts(&self, name: &str) -> Result<Vec<String>, LedgerError> {
        if self.frame.column(name).is_err() {
            return Ok(vec![String::new(); self.frame.height()]);
        }
        self.texts(name)
    }

    /// A yes/no column added after ledgers were first written: older segments read as no.
    pub fn added_flags(&self, name: &str) -> Result<Vec<bool>, LedgerError> {
        self.added_flags_or(name, false)
    }

    /// A yes/no column added after ledgers were first written, where older segments read
    /// as `absent`: what every row of theirs was.
    pub fn added_flags_or(&self, name: &str, absent: bool) -> Result<Vec<bool>, LedgerError> {
        if self.frame.column(name).is_err() {
            return Ok(vec![absent; self.frame.height()]);
        }
        self.flags(name)
    }

    /// Integers that may be absent, in a column added after ledgers were first written.
    pub fn added_opt_ints(&self, name: &str) -> Result<Vec<Option<i64>>, LedgerError> {
        if self.frame.column(name).is_err() {
            return Ok(vec![None; self.frame.height()]);
        }
        self.opt_ints(name)
    }

    pub fn ints(&self, name: &str) -> Result<Vec<i64>, LedgerError> {
        Ok(self
            .column(name)?
            .cast(&DataType::Int64)?
            .i64()?
            .into_iter()
            .map(|v| v.unwrap_or_default())
            .collect())
    }

    pub fn opt_ints(&self, name: &str) -> Result<Vec<Option<i64>>, LedgerError> {
        Ok(self
            .column(name)?
            .cast(&DataType::Int64)?
            .i64()?
            .into_iter()
            .collect())
    }

    pub fn flags(&self, name: &str) -> Result<Vec<bool>, LedgerError> {
        Ok(self
            .column(name)?
            .bool()?
            .into_iter()
            .map(|v| v.unwrap_or_default())
            .collect())
    }

    /// Dates in a column added after ledgers were first written: older segments have none.
    pub fn added_dates(&self, name: &str) -> Result<Vec<Option<NaiveDate>>, LedgerError> {
        if self.frame.column(name).is_err() {
            return Ok(vec![None; self.frame.height()]);
        }
        self.dates(name)
    }

    pub fn dates(&self, name: &str) -> Result<Vec<Option<NaiveDate>>, LedgerError> {
        Ok(self
            .column(name)?
            .cast(&DataType::Int32)?
            .i32()?
            .into_iter()
            .map(|v| {
                v.and_then(|d| epoch().checked_add_signed(chrono::Duration::days(i64::from(d))))
            })
            .collect())
    }

    /// Money from the `<prefix>_minor` and `currency` columns.
    pub fn money(&self, minor: &str, currency: &str) -> Result<Vec<Money>, LedgerError> {
        let amounts = self.ints(minor)?;
        let currencies = self.texts(currency)?;
        amounts
            .into_iter()
            .zip(currencies)
            .map(|(a, c)| {
                let currency = Currency::from_code(&c).map_err(|e| LedgerError::Corrupt {
                    segment: self.segment.to_string(),
                    message: e.to_string(),
                })?;
                Ok(Money::from_minor(a, currency))
            })
            .collect()
    }

    pub fn required_dates(&self, name: &str) -> Result<Vec<NaiveDate>, LedgerError> {
        self.dates(name)?
            .into_iter()
            .map(|d| {
                d.ok_or_else(|| LedgerError::Corrupt {
                    segment: self.segment.to_string(),
                    message: format!("column \"{name}\" has an empty date"),
                })
            })
            .collect()
    }
}
