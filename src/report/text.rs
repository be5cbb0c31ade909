//! Text on the page: every string from an input file escaped (a counterparty may be named
//! `<script>`), every amount written from its exact decimal with digits grouped for reading.

use rust_decimal::Decimal;

use crate::model::Currency;

/// Safe in element content and in quoted attribute values alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The amount with at least the currency's minor digits, as the ledger holds it:
/// `13997.5` in EUR is `13997.50`. What `data-` attributes carry, for machines.
pub fn exact(amount: Decimal, currency: Currency) -> String {
    let mut amount = amount;
    if amount.scale() < currency.exponent() {
        amount.rescale(currency.exponent());
    }
    amount.to_string()
}

/// `exact`, with the whole part grouped by thousands: `13,997.50`. For people.
pub fn money(amount: Decimal, currency: Currency) -> String {
    grouped(&exact(amount, currency))
}

/// Groups the whole part of a decimal's text by thousands.
pub fn grouped(text: &str) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::from_code("EUR").expect("EUR")
    }

    #[test]
    fn markup_in_input_text_is_shown_not_run() {
        assert_eq!(
            escape("<script>alert(\"x\")</script> & 'Co'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;"
        );
    }

    #[test]
    fn amounts_keep_every_digit_and_the_currency_s_minor_unit() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(exact(d("13997.5"), eur()), "13997.50");
        assert_eq!(exact(d("0.125"), eur()), "0.125");
        assert_eq!(money(d("1234567.891"), eur()), "1,234,567.891");
        assert_eq!(money(d("-1000"), eur()), "-1,000.00");
        assert_eq!(money(d("999.99"), eur()), "999.99");
        let jpy = Currency::from_code("JPY").expect("JPY");
        assert_eq!(money(d("1500"), jpy), "1,500");
    }
}
