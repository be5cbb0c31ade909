//! The values of single MT940 fields: a balance (`:60F:`, `:62F:` …), a statement line
//! (`:61:`), a floor limit (`:34F:`) and an MT942 total (`:90D:`, `:90C:`). Each parser
//! returns what is wrong in words; the caller adds file, line and tag.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::model::{Currency, Money};
use crate::sources::parse_amount;

/// A balance as written: its date and the signed amount.
pub struct BalanceValue {
    pub date: NaiveDate,
    pub amount: Money,
}

/// `C200101EUR444,29`: credit/debit mark, date, currency, amount.
pub fn balance(value: &str) -> Result<BalanceValue, String> {
    let value = single_line(value, "balance")?;
    let (negative, rest) = match value.as_bytes().first() {
        Some(b'C') => (false, &value[1..]),
        Some(b'D') => (true, &value[1..]),
        _ => {
            return Err(format!(
                "\"{value}\" does not start with C (credit) or D (debit)"
            ));
        }
    };
    let (date, rest) = split_digits(rest, 6)
        .ok_or_else(|| format!("\"{value}\" has no date (YYMMDD) after the credit/debit mark"))?;
    let date = yymmdd(date)?;
    let (currency, amount) = currency_prefix(rest)?;
    let amount = decimal_comma(amount)?;
    let amount = money(if negative { -amount } else { amount }, currency)?;
    Ok(BalanceValue { date, amount })
}

/// `EURD0,00` (MT942 floor limit): only its currency matters here.
pub fn floor_limit_currency(value: &str) -> Result<Currency, String> {
    let value = single_line(value, "floor limit")?;
    currency_prefix(value).map(|(currency, _)| currency)
}

/// `3PLN0,03` (MT942 `:90D:`/`:90C:`): how many entries and their sum.
pub fn total(value: &str) -> Result<(u64, Money), String> {
    let value = single_line(value, "total")?;
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    let count = value[..digits]
        .parse::<u64>()
        .map_err(|_| format!("\"{value}\" does not start with the number of entries"))?;
    let (currency, amount) = currency_prefix(&value[digits..])?;
    Ok((count, money(decimal_comma(amount)?, currency)?))
}

/// One `:61:` statement line.
#[derive(Debug)]
pub struct StatementLine {
    pub value_date: NaiveDate,
    pub booking_date: NaiveDate,
    /// Signed: money in is positive.
    pub amount: Decimal,
    pub reversal: bool,
    /// `NTRF`, `N024`, `FMSC` …
    pub transaction_type: String,
    /// The account owner's reference; `NONREF` when there is none.
    pub customer_reference: String,
    /// After `//`: the bank's own reference.
    pub bank_reference: String,
    /// Text after the references and on the following lines.
    pub supplementary: String,
}

/// Where in a `:61:` value a problem is, so the caller can name it.
pub enum LineProblem {
    Date(String),
    Mark(String),
    Amount(String),
    Other(String),
}

/// `YYMMDD[MMDD](C|D|RC|RD)[funds code]amount(N|F|S)xxx reference[//bank reference]`,
/// then supplementary details on the next lines.
pub fn statement_line(value: &str) -> Result<StatementLine, LineProblem> {
    let (first, more) = value.split_once('\n').unwrap_or((value, ""));
    let first = first.trim_end();
    let (value_date, rest) = split_digits(first, 6).ok_or_else(|| {
        LineProblem::Date(format!(
            "\"{first}\" does not start with a value date (YYMMDD)"
        ))
    })?;
    let value_date = value_date_lenient(value_date).map_err(LineProblem::Date)?;
    // The entry (booking) date is optional; ASN Bank writes four spaces instead.
    let (booking_date, rest) = match split_digits(rest, 4) {
        Some((mmdd, rest)) => (
            booking_near(mmdd, value_date).map_err(LineProblem::Date)?,
            rest,
        ),
        None => (value_date, rest.strip_prefix("    ").unwrap_or(rest)),
    };
    let (negative, reversal, rest) = if let Some(rest) = rest.strip_prefix("RC") {
        // Reversal of a credit: money goes back out.
        (true, true, rest)
    } else if let Some(rest) = rest.strip_prefix("RD") {
        // Reversal of a debit: money comes back in.
        (false, true, rest)
    } else if let Some(rest) = rest.strip_prefix('C') {
        (false, false, rest)
    } else if let Some(rest) = rest.strip_prefix('D') {
        (true, false, rest)
    } else {
        let mark: String = rest.chars().take(2).collect();
        return Err(LineProblem::Mark(format!(
            "\"{mark}\" after the date is not a debit/credit mark (C, D, RC or RD)"
        )));
    };
    // The funds code is the third letter of the currency code, when the bank gives one.
    let rest = match rest.as_bytes().first() {
        Some(c) if c.is_ascii_alphabetic() => &rest[1..],
        _ => rest,
    };
    let amount_len = rest
        .bytes()
        .take_while(|c| c.is_ascii_digit() || *c == b',')
        .count();
    if !rest[..amount_len].bytes().any(|c| c.is_ascii_digit()) {
        return Err(LineProblem::Amount(format!(
            "the entry has no amount (\"{first}\")"
        )));
    }
    let amount = decimal_comma(&rest[..amount_len]).map_err(LineProblem::Amount)?;
    // Commerzbank and Deutsche Bank put a space before the transaction type.
    let rest = rest[amount_len..].trim_start_matches(' ');
    // ING and Triodos pad two-letter codes with a space (`NOV `, `NIC `).
    let code_ok = rest.len() >= 4
        && matches!(rest.as_bytes()[0], b'N' | b'F' | b'S')
        && rest.is_char_boundary(4)
        && rest[1..4]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b' ');
    let (transaction_type, rest) = if code_ok {
        (rest[..4].trim_end().to_string(), &rest[4..])
    } else if rest.starts_with("//") {
        // Zetb omits the type and goes straight to the bank reference.
        (String::new(), rest)
    } else {
        return Err(LineProblem::Other(format!(
            "no transaction type (N, F or S and three characters, e.g. NTRF) after the amount in \"{first}\""
        )));
    };
    let (customer_reference, bank_reference, extra) = match rest.split_once("//") {
        Some((customer, bank)) => (customer.trim(), bank.trim(), ""),
        // Without `//` the reference is at most 16 characters; Rabobank writes more after it.
        None => {
            let cut = rest.char_indices().nth(16).map_or(rest.len(), |(i, _)| i);
            (rest[..cut].trim(), "", rest[cut..].trim())
        }
    };
    let supplementary = std::iter::once(extra)
        .chain(more.lines().map(str::trim))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(StatementLine {
        value_date,
        booking_date,
        amount: if negative { -amount } else { amount },
        reversal,
        transaction_type,
        customer_reference: customer_reference.to_string(),
        bank_reference: bank_reference.to_string(),
        supplementary,
    })
}

pub fn money(amount: Decimal, currency: Currency) -> Result<Money, String> {
    Money::new(amount, currency).map_err(|e| e.to_string())
}

fn single_line<'a>(value: &'a str, what: &str) -> Result<&'a str, String> {
    let value = value.trim();
    if value.contains('\n') {
        return Err(format!(
            "the {what} \"{}\" runs on over more lines",
            value.replace('\n', " ")
        ));
    }
    Ok(value)
}

fn split_digits(text: &str, n: usize) -> Option<(&str, &str)> {
    let head = text.get(..n)?;
    head.bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| (head, &text[n..]))
}

fn currency_prefix(text: &str) -> Result<(Currency, &str), String> {
    let code = text.get(..3).unwrap_or(text);
    if code.len() < 3 || !code.bytes().all(|c| c.is_ascii_uppercase()) {
        return Err(format!("\"{text}\" does not start with a currency code"));
    }
    let currency = Currency::from_code(code).map_err(|e| e.to_string())?;
    Ok((currency, &text[3..]))
}

/// SWIFT amounts: digits with a decimal comma, no sign, no thousands separator.
fn decimal_comma(text: &str) -> Result<Decimal, String> {
    if text.is_empty() {
        return Err("the amount is missing".to_string());
    }
    if !text.bytes().all(|c| c.is_ascii_digit() || c == b',') {
        return Err(format!(
            "\"{text}\" is not an amount (SWIFT writes digits and a decimal comma: 1234,56)"
        ));
    }
    parse_amount(text, ',', None).map_err(|e| format!("\"{text}\" {e}"))
}

fn century(yy: i32) -> i32 {
    if yy < 80 { 2000 + yy } else { 1900 + yy }
}

fn yymmdd(text: &str) -> Result<NaiveDate, String> {
    let (yy, mm, dd) = parts(text);
    NaiveDate::from_ymd_opt(century(yy), mm, dd)
        .ok_or_else(|| format!("\"{text}\" is not a date (YYMMDD)"))
}

/// German banks date interest and fee settlements on day 30 of every month, February
/// too (the 30/360 convention): such a value date is taken as the month's last day.
fn value_date_lenient(text: &str) -> Result<NaiveDate, String> {
    let (yy, mm, dd) = parts(text);
    if let Some(date) = NaiveDate::from_ymd_opt(century(yy), mm, dd) {
        return Ok(date);
    }
    let first = NaiveDate::from_ymd_opt(century(yy), mm, 1);
    match first {
        Some(first) if (29..=31).contains(&dd) => Ok(last_of_month(first)),
        _ => Err(format!("\"{text}\" is not a value date (YYMMDD)")),
    }
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    next.pred_opt().unwrap_or(first)
}

/// The entry date has no year: it is the one of the years around the value date that
/// lies nearest to it (a 31 December value date booked on 2 January is booked next year).
fn booking_near(mmdd: &str, value_date: NaiveDate) -> Result<NaiveDate, String> {
    let mm = mmdd[..2].parse().unwrap_or(0);
    let dd = mmdd[2..].parse().unwrap_or(0);
    let year = value_date.year();
    [year - 1, year, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, mm, dd))
        .min_by_key(|d| (*d - value_date).num_days().abs())
        .ok_or_else(|| format!("\"{mmdd}\" is not an entry date (MMDD)"))
}

fn parts(text: &str) -> (i32, u32, u32) {
    let n = |r: std::ops::Range<usize>| text[r].parse().unwrap_or(0);
    (n(0..2) as i32, n(2..4), n(4..6))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(value: &str) -> StatementLine {
        statement_line(value).unwrap_or_else(|_| panic!("{value} should parse"))
    }

    #[test]
    fn reversals_carry_the_sign_of_what_they_undo() {
        assert_eq!(
            line("2301020102RC10,00NTRFNONREF").amount.to_string(),
            "-10.00"
        );
        assert_eq!(
            line("2301020102RD10,00NTRFNONREF").amount.to_string(),
            "10.00"
        );
        assert!(line("2301020102RD10,00NTRFNONREF").reversal);
        assert_eq!(line("230102DR5,NCHGNONREF").amount.to_string(), "-5");
    }

    #[test]
    fn an_entry_date_early_in_january_belongs_to_the_next_year() {
        let l = line("2312310102D1,00NTRFNONREF//B1");
        assert_eq!(l.booking_date.to_string(), "2024-01-02");
        assert_eq!(l.bank_reference, "B1");
        let l = line("2401021231C1,00NTRFNONREF");
        assert_eq!(l.booking_date.to_string(), "2023-12-31");
    }

    #[test]
    fn february_30_is_the_last_day_of_february() {
        assert_eq!(
            line("1602300301D6,00N024NONREF").value_date.to_string(),
            "2016-02-29"
        );
        assert!(statement_line("1613300301D6,00N024NONREF").is_err());
    }

    #[test]
    fn malformed_lines_are_refused_not_guessed() {
        assert!(matches!(
            statement_line("230102X1,00NTRF"),
            Err(LineProblem::Mark(_))
        ));
        assert!(matches!(
            statement_line("230102DNTRF"),
            Err(LineProblem::Amount(_))
        ));
        assert!(matches!(statement_line("23010"), Err(LineProblem::Date(_))));
        assert!(matches!(
            statement_line("230102D1,00"),
            Err(LineProblem::Other(_))
        ));
        assert!(matches!(
            statement_line("230102ü"),
            Err(LineProblem::Mark(_))
        ));
        assert!(matches!(
            statement_line("230102D1,0Nü"),
            Err(LineProblem::Other(_))
        ));
    }
}
