//! Amounts and dates as banks and billing systems write them: `1.234,56`, `(12.00)`,
//! `12,00-`, `+5`, `€1.234,56`, `12,00 EUR`, `31.10.2026`. Parsing is strict: anything
//! ambiguous is refused, because a misread amount is worse than a refused file.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::Currency;

/// A currency symbol or ISO code written beside an amount (`€`, `$`, `CHF`). It never sets
/// the currency of a row, it is only checked against it: `$` fits several currencies, and
/// the currency column or the source's `currency` is what the mapping says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyMark {
    pub written: String,
    /// The ISO codes the mark can stand for.
    codes: Vec<String>,
}

impl CurrencyMark {
    pub fn fits(&self, currency: Currency) -> bool {
        self.codes.iter().any(|c| c == currency.code())
    }
}

/// Symbols, longest first so `US$` is not read as `$`. Only those a bank or billing
/// export really prints; an unknown one is refused as an unexpected character.
const SYMBOLS: &[(&str, &[&str])] = &[
    ("US$", &["USD"]),
    ("CA$", &["CAD"]),
    ("AU$", &["AUD"]),
    ("NZ$", &["NZD"]),
    ("HK$", &["HKD"]),
    ("SFr.", &["CHF"]),
    ("Fr.", &["CHF"]),
    ("C$", &["CAD"]),
    ("A$", &["AUD"]),
    ("S$", &["SGD"]),
    ("R$", &["BRL"]),
    ("zł", &["PLN"]),
    ("Kč", &["CZK"]),
    ("kr", &["SEK", "NOK", "DKK", "ISK"]),
    ("Ft", &["HUF"]),
    ("€", &["EUR"]),
    ("£", &["GBP"]),
    ("¥", &["JPY", "CNY"]),
    ("₹", &["INR"]),
    ("₺", &["TRY"]),
    ("₩", &["KRW"]),
    ("₪", &["ILS"]),
    ("$", &["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"]),
    ("R", &["ZAR"]),
];

/// Splits one leading or trailing currency symbol or ISO code off an amount as written
/// (`€1.234,56`, `-$12.00`, `(CHF 5.00)`, `12,00 EUR`), keeping signs and parentheses. Text
/// without a known mark comes back unchanged, for `parse_amount` to judge.
pub fn split_currency_mark(text: &str) -> (Option<CurrencyMark>, String) {
    let text = text.trim();
    let core_start = text.len()
        - text
            .trim_start_matches(|c: char| c == '-' || c == '+' || c == '(' || c.is_whitespace())
            .len();
    let (lead, rest) = text.split_at(core_start);
    let core_end = rest
        .trim_end_matches(|c: char| c == ')' || c == '-' || c.is_whitespace())
        .len();
    let (core, trail) = rest.split_at(core_end);
    let found = leading_mark(core)
        .map(|(mark, len)| (mark, core[len..].trim_start()))
        .or_else(|| {
            trailing_mark(core).map(|(mark, len)| (mark, core[..core.len() - len].trim_end()))
        });
    match found {
        Some((mark, bare)) => (Some(mark), format!("{lead}{bare}{trail}")),
        None => (None, text.to_string()),
    }
}

fn iso_code(letters: &str) -> Option<CurrencyMark> {
    let currency = Currency::from_code(letters).ok()?;
    Some(CurrencyMark {
        written: letters.to_string(),
        codes: vec![currency.code().to_string()],
    })
}

fn symbol(written: &str, codes: &[&str]) -> CurrencyMark {
    CurrencyMark {
        written: written.to_string(),
        codes: codes.iter().map(|c| c.to_string()).collect(),
    }
}

/// A mark at the start of `core`, and its length in bytes. A mark must not run on into a
/// word (`R` is rand, `Rabatt` is not).
fn leading_mark(core: &str) -> Option<(CurrencyMark, usize)> {
    let ends_word = |at: usize| !core[at..].starts_with(char::is_alphabetic);
    if let Some(letters) = core.get(..3)
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && ends_word(3)
        && let Some(mark) = iso_code(letters)
    {
        return Some((mark, 3));
    }
    SYMBOLS
        .iter()
        .find(|(s, _)| core.starts_with(s) && ends_word(s.len()))
        .map(|(s, codes)| (symbol(s, codes), s.len()))
}

fn trailing_mark(core: &str) -> Option<(CurrencyMark, usize)> {
    let starts_word = |at: usize| !core[..at].ends_with(char::is_alphabetic);
    let at = core.len().checked_sub(3);
    if let Some(at) = at
        && let Some(letters) = core.get(at..)
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && starts_word(at)
        && let Some(mark) = iso_code(letters)
    {
        return Some((mark, 3));
    }
    SYMBOLS
        .iter()
        .find(|(s, _)| core.ends_with(s) && starts_word(core.len() - s.len()))
        .map(|(s, codes)| (symbol(s, codes), s.len()))
}

/// Parses an amount written with the given separators. Returns why not, in words.
pub fn parse_amount(text: &str, decimal: char, thousands: Option<char>) -> Result<Decimal, String> {
    let mut s = text.trim();
    if s.is_empty() {
        return Err("is empty".to_string());
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
        if s.starts_with(['-', '+']) || s.ends_with('-') {
            return Err("has both parentheses and a sign; which is meant?".to_string());
        }
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_suffix('-') {
        negative = !negative;
        s = rest.trim_end();
    }
    let mut digits = String::with_capacity(s.len());
    let mut seen_decimal = false;
    let mut int_digits = 0usize;
    let mut group = None::<usize>;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            if !seen_decimal {
                int_digits += 1;
                if let Some(g) = group.as_mut() {
                    *g += 1;
                }
            }
        } else if c == decimal && !seen_decimal {
            if group.is_some_and(|g| g != 3) {
                return Err("has a misplaced thousands separator".to_string());
            }
            seen_decimal = true;
            digits.push('.');
        } else if Some(c) == thousands && !seen_decimal {
            let first_group_too_long = group.is_none() && int_digits > 3;
            if int_digits == 0 || first_group_too_long || group.is_some_and(|g| g != 3) {
                return Err("has a misplaced thousands separator".to_string());
            }
            group = Some(0);
        } else {
            return Err(format!(
                "is not an amount (unexpected \"{c}\"; decimal separator is \"{decimal}\"{})",
                thousands
                    .map(|t| format!(", thousands separator \"{t}\""))
                    .unwrap_or_default()
            ));
        }
    }
    if group.is_some_and(|g| g != 3) {
        return Err("has a misplaced thousands separator".to_string());
    }
    if int_digits == 0 && !digits.chars().any(|c| c.is_ascii_digit()) {
        return Err("is not an amount (no digits)".to_string());
    }
    if digits.ends_with('.') {
        digits.pop();
    }
    if digits.starts_with('.') {
        digits.insert(0, '0');
    }
    let value: Decimal = digits
        .parse()
        .map_err(|_| "is not an amount (too many digits)".to_string())?;
    Ok(if negative { -value } else { value })
}

pub fn parse_date(text: &str, format: &str) -> Result<NaiveDate, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("is empty".to_string());
    }
    NaiveDate::parse_from_str(s, format)
        .map_err(|_| format!("is not a date in the format \"{format}\""))
}

/// An IBAN in its electronic form (`DE89370400440532013000`), whether it was written with
/// spaces or not; else why it is not one, in words. A typo in an IBAN would send money to
/// no one or tie a payer to the wrong customer, so its check digits must hold.
pub(crate) fn electronic_iban(text: &str) -> Result<String, &'static str> {
    use iban::{Iban, IbanLike, ParseBaseIbanError, ParseIbanError};
    use std::str::FromStr;
    match Iban::from_str(text) {
        Ok(iban) => Ok(iban.electronic_str().to_string()),
        Err(ParseIbanError::InvalidBaseIban {
            source: ParseBaseIbanError::InvalidChecksum,
        }) => Err("its check digits do not match"),
        Err(ParseIbanError::InvalidBaseIban { .. }) => Err("it is not written as an IBAN"),
        Err(ParseIbanError::InvalidBban(_)) => {
            Err("its account part does not fit its country's format")
        }
        Err(ParseIbanError::UnknownCountry(_)) => Err("no country issues IBANs starting like this"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amt(s: &str, d: char, t: Option<char>) -> String {
        parse_amount(s, d, t)
            .map(|v| v.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn amounts_in_the_ways_banks_write_them() {
        assert_eq!(amt("1234.56", '.', None), "1234.56");
        assert_eq!(amt("1,234.56", '.', Some(',')), "1234.56");
        assert_eq!(amt("1.234,56", ',', Some('.')), "1234.56");
        assert_eq!(amt("-1.234,56", ',', Some('.')), "-1234.56");
        assert_eq!(amt("(12.00)", '.', None), "-12.00");
        assert_eq!(amt("12,00-", ',', None), "-12.00");
        assert_eq!(amt("+5", '.', None), "5");
        assert_eq!(amt(" 7,5 ", ',', None), "7.5");
        assert_eq!(amt("1 000 000,00", ',', Some(' ')), "1000000.00");
        assert_eq!(amt("-,50", ',', None), "-0.50");
    }

    #[test]
    fn ambiguous_or_broken_amounts_are_refused() {
        assert!(amt("12,3x", ',', Some('.')).starts_with("ERR is not an amount"));
        assert!(amt("", '.', None).starts_with("ERR is empty"));
        assert!(amt("1,23.4", '.', Some(',')).starts_with("ERR has a misplaced"));
        assert!(amt("12,34", '.', None).starts_with("ERR is not an amount"));
        assert!(amt("1.2.3", '.', None).starts_with("ERR is not an amount"));
        assert!(amt("EUR 12", '.', None).starts_with("ERR is not an amount"));
        assert!(amt("-", '.', None).starts_with("ERR is not an amount"));
        assert!(amt("1234,567.89", '.', Some(',')).starts_with("ERR has a misplaced"));
        assert!(amt("(-12.00)", '.', None).starts_with("ERR has both parentheses"));
        assert!(amt("(12.00-)", '.', None).starts_with("ERR has both parentheses"));
    }

    fn marked(s: &str) -> (Option<String>, String) {
        let (mark, bare) = split_currency_mark(s);
        (mark.map(|m| m.written), bare)
    }

    #[test]
    fn one_currency_symbol_or_code_is_split_off() {
        let some = |m: &str, b: &str| (Some(m.to_string()), b.to_string());
        assert_eq!(marked("€1.234,56"), some("€", "1.234,56"));
        assert_eq!(marked("$ 12.00"), some("$", "12.00"));
        assert_eq!(marked("12,00 EUR"), some("EUR", "12,00"));
        assert_eq!(marked("CHF 5.00"), some("CHF", "5.00"));
        assert_eq!(marked("-€12.00"), some("€", "-12.00"));
        assert_eq!(marked("€ -12.00"), some("€", "-12.00"));
        assert_eq!(marked("(US$ 7.50)"), some("US$", "(7.50)"));
        assert_eq!(marked("12,00 €-"), some("€", "12,00-"));
        assert_eq!(marked("1.234,56 eur"), some("eur", "1.234,56"));
        assert_eq!(marked("R 1 234,56"), some("R", "1 234,56"));
        assert_eq!(marked("Fr. 5.00"), some("Fr.", "5.00"));
    }

    #[test]
    fn text_that_is_no_mark_is_left_for_the_amount_parser() {
        let none = |b: &str| (None, b.to_string());
        assert_eq!(marked("12.00"), none("12.00"));
        assert_eq!(marked("ABC 12"), none("ABC 12"));
        assert_eq!(marked("Rabatt 12"), none("Rabatt 12"));
        assert_eq!(marked("12 EURO"), none("12 EURO"));
        assert_eq!(marked(""), none(""));
        // Two marks: the second one stays and the amount parser refuses it.
        assert_eq!(
            marked("€12 EUR"),
            (Some("€".to_string()), "12 EUR".to_string())
        );
    }

    #[test]
    fn a_mark_fits_only_its_currencies() {
        let eur = Currency::from_code("EUR").unwrap();
        let usd = Currency::from_code("USD").unwrap();
        let mark = |s: &str| split_currency_mark(s).0.unwrap();
        assert!(mark("€1").fits(eur));
        assert!(!mark("€1").fits(usd));
        assert!(mark("$1").fits(usd));
        assert!(!mark("$1").fits(eur));
        assert!(mark("1 usd").fits(usd));
    }

    #[test]
    fn dates_follow_the_pipeline_format() {
        assert_eq!(
            parse_date("31.10.2026", "%d.%m.%Y").unwrap().to_string(),
            "2026-10-31"
        );
        assert!(parse_date("2026-10-31", "%d.%m.%Y").is_err());
        assert!(parse_date("31.02.2026", "%d.%m.%Y").is_err());
    }
}
