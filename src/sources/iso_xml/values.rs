//! The values `walk` collects, and the readings every ISO 20022 message shares: IBANs whose
//! check digits must hold, unsigned amounts with their currency, dates. What a finance
//! person would not accept — an IBAN that fails its check, a fraction of a cent, a date that
//! is not one — refuses the file at the element's line and path.

use std::str::FromStr;

use chrono::NaiveDate;
use iban::{Iban, IbanLike, ParseBaseIbanError, ParseIbanError};
use rust_decimal::Decimal;

use super::refusal;
use crate::model::{Currency, Money};
use crate::sources::{InputFile, SourceError};

/// One leaf value, where it stands.
#[derive(Debug)]
pub(crate) struct Field {
    pub value: String,
    pub line: u64,
    pub path: String,
}

/// The leaf values below a scope, in document order, keyed by their relative path.
#[derive(Debug, Default)]
pub(crate) struct Fields(Vec<(String, Field)>);

impl Fields {
    /// The first value found under the first of `keys` that has one.
    pub fn first(&self, keys: &[&str]) -> Option<&Field> {
        keys.iter()
            .find_map(|key| self.0.iter().find(|(rel, _)| rel == key).map(|(_, f)| f))
    }

    /// The first value of `keys`, or an empty text: for what a message may leave out.
    pub fn text(&self, keys: &[&str]) -> String {
        self.first(keys)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    }

    /// Whether any value lies below `element` (`RtrInf` has `RtrInf/Rsn/Cd` …).
    pub fn any_under(&self, element: &str) -> bool {
        self.0.iter().any(|(rel, _)| {
            rel.strip_prefix(element)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.0
            .iter()
            .filter(move |(rel, _)| rel == key)
            .map(|(_, f)| f)
    }

    pub(super) fn push(&mut self, key: String, field: Field) {
        self.0.push((key, field));
    }
}

/// A scope element: where it starts and what is below it.
#[derive(Debug)]
pub(crate) struct Element {
    /// The local name (`Ntry`, `DrctDbtTxInf`).
    pub name: String,
    pub line: u64,
    pub path: String,
    pub fields: Fields,
}

/// A required element that is not there: at the enclosing element, naming what is missing.
pub(crate) fn missing(
    file: &InputFile<'_>,
    element: &Element,
    name: &str,
    message: &str,
    hint: &str,
) -> SourceError {
    refusal(
        file,
        Some(element.line),
        Some(format!("{}/{name}", element.path)),
        message.to_string(),
        hint,
    )
}

/// A value the message cannot do without: present and not empty.
pub(crate) fn required<'e>(
    file: &InputFile<'_>,
    element: &'e Element,
    key: &str,
    message: &str,
    hint: &str,
) -> Result<&'e Field, SourceError> {
    match element.fields.first(&[key]) {
        Some(field) if !field.value.is_empty() => Ok(field),
        Some(field) => Err(refusal(
            file,
            Some(field.line),
            Some(field.path.clone()),
            format!("{message} (the element is empty)"),
            hint,
        )),
        None => Err(missing(file, element, key, message, hint)),
    }
}

/// The unsigned amount at `key` with its `Ccy` attribute, e.g. `<InstdAmt Ccy="EUR">`;
/// `None` when the element is absent. `what` names the amount in messages ("the entry").
pub(crate) fn amount(
    file: &InputFile<'_>,
    element: &Element,
    key: &str,
    what: &str,
    hint: &str,
) -> Result<Option<Money>, SourceError> {
    let Some(amount) = element.fields.first(&[key]) else {
        return Ok(None);
    };
    let at = |field: &Field, message: String, hint: &str| {
        refusal(
            file,
            Some(field.line),
            Some(field.path.clone()),
            message,
            hint,
        )
    };
    let code = element
        .fields
        .first(&[&format!("{key}/@Ccy")])
        .ok_or_else(|| {
            at(
                amount,
                format!("{what}'s amount {} has no currency (Ccy)", amount.value),
                hint,
            )
        })?;
    let currency = Currency::from_code(&code.value).map_err(|e| at(code, e.to_string(), hint))?;
    let value = decimal(&amount.value).ok_or_else(|| {
        at(
            amount,
            format!(
                "\"{}\" is not an amount (ISO 20022 writes amounts as 1234.56, unsigned)",
                amount.value
            ),
            hint,
        )
    })?;
    Money::new(value, currency).map(Some).map_err(|e| {
        at(
            amount,
            format!("{what}'s amount {e}: money moves in whole cents"),
            hint,
        )
    })
}

/// An unsigned decimal as the ISO schema writes it: digits, at most one point.
pub(crate) fn decimal(text: &str) -> Option<Decimal> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || text.ends_with('.') {
        return None;
    }
    Decimal::from_str(text).ok()
}

/// A date (`2026-10-31`), or the date of a date and time (`2026-10-31T09:30:00+01:00`) as
/// the writer's local time gives it.
pub(crate) fn date(
    file: &InputFile<'_>,
    field: &Field,
    hint: &str,
) -> Result<NaiveDate, SourceError> {
    let text = field.value.as_str();
    let (day, rest) = text.split_at_checked(10).unwrap_or((text, ""));
    let rest_ok = rest.is_empty() || rest.starts_with(['T', 'Z', '+', '-']);
    match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(date) if rest_ok && day.len() == 10 => Ok(date),
        _ => Err(refusal(
            file,
            Some(field.line),
            Some(field.path.clone()),
            format!(
                "\"{text}\" is not a date (ISO 20022 writes 2026-10-31 or 2026-10-31T09:30:00)"
            ),
            hint,
        )),
    }
}

/// The IBAN in its electronic form, if its check digits and country format hold. `hint`
/// says who can correct it.
pub(crate) fn checked_iban(
    file: &InputFile<'_>,
    field: &Field,
    hint: &str,
) -> Result<String, SourceError> {
    let reason = match Iban::from_str(&field.value) {
        Ok(iban) => return Ok(iban.electronic_str().to_string()),
        Err(ParseIbanError::InvalidBaseIban {
            source: ParseBaseIbanError::InvalidChecksum,
        }) => "its check digits do not match",
        Err(ParseIbanError::InvalidBaseIban { .. }) => "it is not written as an IBAN",
        Err(ParseIbanError::InvalidBban(_)) => "its account part does not fit its country's format",
        Err(ParseIbanError::UnknownCountry(_)) => "no country issues IBANs starting like this",
    };
    Err(refusal(
        file,
        Some(field.line),
        Some(field.path.clone()),
        format!("IBAN \"{}\" is not valid: {reason}", field.value),
        hint,
    ))
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn amounts_are_unsigned_decimals_with_a_point() {
        assert_eq!(
            decimal("1234.56").map(|d| d.to_string()).as_deref(),
            Some("1234.56")
        );
        assert_eq!(decimal("0").map(|d| d.to_string()).as_deref(), Some("0"));
        for bad in ["", "-5.00", "+5", "1,50", "1.", ".5", "1.2.3", "1e3", " 5"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
    }
}
