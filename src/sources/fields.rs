//! Amounts and dates as banks and billing systems write them: `1.234,56`, `(12.00)`,
//! `12,00-`, `+5`, `31.10.2026`. Parsing is strict: anything ambiguous is refused, because a
//! misread amount is worse than a refused file.

use chrono::NaiveDate;
use rust_decimal::Decimal;

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
