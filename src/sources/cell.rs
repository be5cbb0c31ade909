//! One value of a table row, as the file holds it: text (every CSV field, a text cell) or a
//! typed spreadsheet value (number, date, error …), and how each is read as text, as an
//! amount or as a date. Only what a value *is* lives here; where it is (file, row, column)
//! is added by `row_values::RowValues`.
//!
//! A number cell becomes a `Decimal` without float arithmetic: the shortest decimal that
//! reads back as the same f64 (what Rust's `{}` prints) is parsed as a decimal. Excel keeps
//! at most 15 significant digits of what a person typed, so 49.9 comes back as exactly
//! 49.9; a formula result with binary noise (0.1+0.2 = 0.30000000000000004) keeps its noise
//! and is refused like any amount with fractions of a cent — sluice never rounds money.

use calamine::{ExcelDateTime, ExcelDateTimeType};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::fields::{CurrencyMark, parse_amount, parse_date, split_currency_mark};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date cell (a number the sheet formats as a date, or an ODS date); the time of day
    /// a timestamp carries is kept here and dropped when the cell is read as a date.
    Date(NaiveDateTime),
    /// A time-of-day or duration cell (`14:30`, `[h]:mm`), as the file writes it.
    Time(String),
    Bool(bool),
    /// An error cell (`#N/A`, `#VALUE!`): a formula that failed.
    Error(String),
}

/// Which day a serial number counts from: Excel on Windows and LibreOffice count from
/// 1900 (with Excel's fictitious 1900-02-29), old Mac workbooks from 1904.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSystem {
    From1900,
    From1904,
}

/// Serial numbers outside these years are refused: a date column holding `12` or `100000`
/// is an amount or an id in the wrong column, not a booking date.
const SANE_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Why a value cannot be read, and what a person can do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: String,
    pub hint: &'static str,
}

fn refuse(reason: impl Into<String>, hint: &'static str) -> Refusal {
    Refusal {
        reason: reason.into(),
        hint,
    }
}

/// An amount read from a cell: its value, how the cell reads (quoted in messages) and the
/// currency mark written beside it, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub value: Decimal,
    pub written: String,
    pub mark: Option<CurrencyMark>,
    /// Read from a number cell (so a refusal suggests rounding in the sheet).
    pub from_number: bool,
}

const ERROR_HINT: &str = "fix the formula in the sheet, or paste the values instead";

impl Cell {
    /// Empty, or text that is only blanks.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// How the cell reads in a message or as text: text trimmed, a number in its shortest
    /// form (`10001`, `49.9`), a date as `2026-10-01` (with the time when it has one).
    pub fn written(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Time(t) | Cell::Error(t) => t.clone(),
            Cell::Bool(true) => "TRUE".to_string(),
            Cell::Bool(false) => "FALSE".to_string(),
        }
    }

    /// The cell as text (names, numbers, references); an error cell is refused.
    pub fn text(&self) -> Result<String, Refusal> {
        match self {
            Cell::Error(_) => Err(refuse("is an error cell", ERROR_HINT)),
            other => Ok(other.written()),
        }
    }

    /// The cell as an amount; `None` when it is empty. Text goes through the separators of
    /// the source, with one currency symbol or code allowed before or after it.
    pub fn amount(
        &self,
        decimal: char,
        thousands: Option<char>,
    ) -> Result<Option<Amount>, Refusal> {
        let written = self.written();
        match self {
            _ if self.is_blank() => Ok(None),
            Cell::Text(text) => {
                let (mark, bare) = split_currency_mark(text);
                let value = parse_amount(&bare, decimal, thousands).map_err(|why| {
                    refuse(
                        why,
                        "fix the row, or `decimal`/`thousands` in the pipeline file",
                    )
                })?;
                Ok(Some(Amount {
                    value,
                    written,
                    mark,
                    from_number: false,
                }))
            }
            Cell::Number(n) => Ok(Some(Amount {
                value: decimal_from_f64(*n)?,
                written,
                mark: None,
                from_number: true,
            })),
            Cell::Error(_) => Err(refuse("is an error cell, not an amount", ERROR_HINT)),
            Cell::Date(_) | Cell::Time(_) => Err(refuse(
                "is a date or time cell, not an amount",
                "check the column mapping, or format the column as numbers in the sheet",
            )),
            Cell::Bool(_) | Cell::Empty => Err(refuse(
                "is not an amount",
                "check the column mapping in the pipeline file",
            )),
        }
    }

    /// The cell as a date: text in the source's `date_format`, a date cell (its time of day
    /// dropped: exports stamp bookings with a time, the booking date is the day), or a
    /// number, which is a spreadsheet serial date.
    pub fn date(&self, format: &str, system: DateSystem) -> Result<NaiveDate, Refusal> {
        match self {
            Cell::Text(_) | Cell::Empty => parse_date(&self.written(), format)
                .map_err(|why| refuse(why, "fix the row, or `date_format` in the pipeline file")),
            Cell::Date(d) => Ok(d.date()),
            Cell::Number(n) => date_from_serial(*n, system),
            Cell::Time(_) => Err(refuse(
                "is a time of day or a duration, not a date",
                "check the column mapping, or format the column as dates in the sheet",
            )),
            Cell::Error(_) => Err(refuse("is an error cell, not a date", ERROR_HINT)),
            Cell::Bool(_) => Err(refuse(
                "is not a date",
                "check the column mapping in the pipeline file",
            )),
        }
    }
}

/// The single point where a spreadsheet's f64 becomes money: the shortest decimal that
/// round-trips the float, parsed exactly (never rounded).
pub fn decimal_from_f64(value: f64) -> Result<Decimal, Refusal> {
    if !value.is_finite() {
        return Err(refuse("is not a number", "fix the cell in the sheet"));
    }
    Decimal::from_str_exact(&value.to_string()).map_err(|_| {
        refuse(
            "is too large or has too many decimals to be an amount",
            "fix the cell in the sheet",
        )
    })
}

/// A serial date (days since the workbook's epoch; a fraction is the time of day, dropped).
/// The 1900 system's fictitious 1900-02-29 and the 1904 system are calamine's conversion.
pub fn date_from_serial(serial: f64, system: DateSystem) -> Result<NaiveDate, Refusal> {
    const HINT: &str = "format the column as dates in the sheet, or fix the row";
    if !serial.is_finite() || serial < 1.0 {
        return Err(refuse(
            "is not a date (as a serial date it is before the first day of the calendar)",
            HINT,
        ));
    }
    let is_1904 = system == DateSystem::From1904;
    let (year, month, day, ..) =
        ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904).to_ymd_hms_milli();
    let shown = format!("{year:04}-{month:02}-{day:02}");
    let date = NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day));
    match date {
        Some(date) if SANE_YEARS.contains(&i32::from(year)) => Ok(date),
        _ => Err(refuse(
            format!(
                "is not a date: as a serial date it would be {shown}, outside {}–{}",
                SANE_YEARS.start(),
                SANE_YEARS.end()
            ),
            HINT,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn number_cells_become_the_decimal_a_person_typed() {
        assert_eq!(decimal_from_f64(49.9).unwrap(), dec("49.90"));
        assert_eq!(decimal_from_f64(1234.56).unwrap(), dec("1234.56"));
        assert_eq!(decimal_from_f64(0.1).unwrap(), dec("0.1"));
        assert_eq!(decimal_from_f64(-19.9).unwrap(), dec("-19.9"));
        assert_eq!(
            decimal_from_f64(1e11 + 0.01).unwrap(),
            dec("100000000000.01")
        );
        assert_eq!(
            decimal_from_f64(0.1 + 0.2).unwrap(),
            dec("0.30000000000000004")
        );
    }

    proptest::proptest! {
        /// What a person types into a cell (at most two decimals, under a trillion) is
        /// stored as the nearest f64; reading that f64 gives back exactly what was typed.
        #[test]
        fn any_amount_typed_into_a_cell_reads_back_as_the_same_decimal(
            cents in proptest::prop_oneof![
                -100_000i64..=100_000,
                -99_999_999_999_999i64..=99_999_999_999_999,
            ],
        ) {
            // Every decimal with at most two places and |x| < 1e12.
            let typed = Decimal::new(cents, 2);
            let stored: f64 = typed.to_string().parse().expect("a decimal is a float literal");
            let read = decimal_from_f64(stored).expect("a typed amount is read");
            proptest::prop_assert_eq!(read, typed);
        }
    }

    #[test]
    fn numbers_that_are_no_amount_are_refused() {
        assert!(decimal_from_f64(f64::NAN).is_err());
        assert!(decimal_from_f64(f64::INFINITY).is_err());
        assert!(decimal_from_f64(1e300).is_err());
        assert!(decimal_from_f64(1e-30).is_err());
    }

    #[test]
    fn serial_dates_count_from_the_workbooks_epoch() {
        let d = |s| date_from_serial(s, DateSystem::From1900).map(|d| d.to_string());
        assert_eq!(d(46296.0).unwrap(), "2026-10-01");
        assert_eq!(
            d(46296.75).unwrap(),
            "2026-10-01",
            "the time of day is dropped"
        );
        assert_eq!(d(32874.0).unwrap(), "1990-01-01");
        let mac = date_from_serial(46296.0 - 1462.0, DateSystem::From1904).unwrap();
        assert_eq!(mac.to_string(), "2026-10-01");
    }

    #[test]
    fn serials_outside_sane_years_are_refused() {
        let d = |s| {
            date_from_serial(s, DateSystem::From1900)
                .unwrap_err()
                .reason
        };
        assert!(d(60.0).contains("1900-02-29"), "{}", d(60.0));
        assert!(d(61.0).contains("1900-03-01"), "{}", d(61.0));
        assert!(d(12.0).contains("1900-01-12"), "{}", d(12.0));
        assert!(d(1e7).contains("outside 1990–2100"));
        assert!(date_from_serial(0.5, DateSystem::From1900).is_err());
        assert!(date_from_serial(-3.0, DateSystem::From1900).is_err());
        assert!(date_from_serial(f64::NAN, DateSystem::From1900).is_err());
    }

    #[test]
    fn cells_read_as_dates() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let date = |c: Cell| c.date("%d.%m.%Y", DateSystem::From1900);
        assert_eq!(
            date(Cell::Date(at("2026-10-01 23:30")))
                .unwrap()
                .to_string(),
            "2026-10-01"
        );
        assert_eq!(
            date(Cell::Text("01.10.2026".into())).unwrap().to_string(),
            "2026-10-01"
        );
        assert_eq!(
            date(Cell::Number(46296.0)).unwrap().to_string(),
            "2026-10-01"
        );
        assert!(date(Cell::Time("PT14H30M".into())).is_err());
        assert!(date(Cell::Error("#N/A".into())).is_err());
        assert!(date(Cell::Bool(true)).is_err());
        assert_eq!(date(Cell::Empty).unwrap_err().reason, "is empty");
    }

    #[test]
    fn cells_read_as_amounts() {
        let amount = |c: Cell| c.amount(',', Some('.')).map(|a| a.map(|a| a.value));
        assert_eq!(amount(Cell::Number(49.9)).unwrap(), Some(dec("49.9")));
        assert_eq!(
            amount(Cell::Text("€1.234,56".into())).unwrap(),
            Some(dec("1234.56"))
        );
        assert_eq!(amount(Cell::Text("  ".into())).unwrap(), None);
        assert_eq!(amount(Cell::Empty).unwrap(), None);
        assert!(amount(Cell::Error("#VALUE!".into())).is_err());
        assert!(amount(Cell::Bool(false)).is_err());
        assert!(amount(Cell::Date(NaiveDateTime::MIN)).is_err());
    }

    #[test]
    fn cells_read_as_text() {
        assert_eq!(Cell::Number(10001.0).text().unwrap(), "10001");
        assert_eq!(Cell::Number(49.9).text().unwrap(), "49.9");
        assert_eq!(Cell::Text(" Ada ".into()).text().unwrap(), "Ada");
        assert_eq!(Cell::Bool(true).text().unwrap(), "TRUE");
        assert!(Cell::Error("#N/A".into()).text().is_err());
    }
}
