//! Which facts a report covers: everything committed, one run's facts, or one month's —
//! the bank lines booked in it and the documents issued in it.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Everything,
    /// The facts one run (or a person's decision) committed.
    Run(String),
    Period(Period),
}

impl Scope {
    /// How the page names what it covers.
    pub fn describe(&self) -> String {
        match self {
            Scope::Everything => "everything committed to the ledger".to_string(),
            Scope::Run(id) => format!("the facts of run {id}"),
            Scope::Period(p) => format!(
                "bank lines booked and documents issued from {} to {}",
                p.first_day(),
                p.last_day()
            ),
        }
    }
}

/// A calendar month, `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    first: NaiveDate,
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("\"{0}\" is not a month: write it as YEAR-MONTH, e.g. 2026-11")]
pub struct BadPeriod(pub String);

impl FromStr for Period {
    type Err = BadPeriod;

    fn from_str(text: &str) -> Result<Period, BadPeriod> {
        let bad = || BadPeriod(text.to_string());
        let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u32 = month.parse().map_err(|_| bad())?;
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        Ok(Period { first })
    }
}

impl Period {
    pub fn first_day(&self) -> NaiveDate {
        self.first
    }

    pub fn last_day(&self) -> NaiveDate {
        let (year, month) = match self.first.month() {
            12 => (self.first.year() + 1, 1),
            m => (self.first.year(), m + 1),
        };
        NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|next| next.pred_opt())
            .unwrap_or(self.first)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        date.year() == self.first.year() && date.month() == self.first.month()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first.format("%Y-%m"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_reads_as_year_dash_month_and_knows_its_last_day() {
        let p: Period = "2026-02".parse().expect("a month");
        assert_eq!(p.last_day(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        let december: Period = "2026-12".parse().expect("a month");
        assert_eq!(
            december.last_day(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        assert!(p.contains(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()));
        assert!(!p.contains(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()));
        assert_eq!(p.to_string(), "2026-02");
    }

    #[test]
    fn anything_else_is_refused_with_an_example() {
        for bad in ["2026-13", "2026/11", "11-2026", "2026-1", "", "november"] {
            let e = bad.parse::<Period>().expect_err(bad);
            assert!(e.to_string().contains("e.g. 2026-11"), "{e}");
        }
    }
}
