//! The values `walk` collects, and the readings every ISO 20022 message shares: IBANs whose
//! check digits must hold, unsigned amounts with their currency, dates. What a finance
//! person would not accept — an IBAN that fails its check, a fraction of a cent, a date that
//! is not one — refuses the file at the element's line and path.

use std::ops::Range;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::refusal;
use crate::model::{Currency, Money};
use crate::sources::{InputFile, SourceError};

/// One leaf value, where it stands: a view into the `Fields` that hold it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'e> {
    pub value: &'e str,
    pub line: u64,
    scope_path: &'e str,
    /// The path below the scope, with its sibling numbers (`/Chrgs/Rcrd[2]/Amt`).
    below: &'e str,
}

impl Field<'_> {
    /// The absolute path (`/Document/BkToCstmrStmt/Stmt/Ntry[3]/Amt`), for refusals.
    pub fn path(&self) -> String {
        format!("{}{}", self.scope_path, self.below)
    }
}

/// Where one value's texts lie in `Fields::text`.
#[derive(Debug)]
struct Slot {
    key: Range<usize>,
    below: Range<usize>,
    value: Range<usize>,
    line: u64,
}

/// The leaf values below a scope, in document order, keyed by their path relative to it
/// (`Amt`, `Amt/@Ccy`, `BookgDt/Dt`). Keys, paths and values share one text, so filing a
/// value allocates nothing once the text has grown: a large statement files millions.
#[derive(Debug)]
pub(crate) struct Fields {
    scope_path: String,
    text: String,
    slots: Vec<Slot>,
}

impl Fields {
    pub(super) fn new(scope_path: String) -> Fields {
        Fields {
            scope_path,
            text: String::new(),
            slots: Vec::new(),
        }
    }

    fn view(&self, slot: &Slot) -> Field<'_> {
        Field {
            value: &self.text[slot.value.clone()],
            line: slot.line,
            scope_path: &self.scope_path,
            below: &self.text[slot.below.clone()],
        }
    }

    fn key(&self, slot: &Slot) -> &str {
        &self.text[slot.key.clone()]
    }

    /// The first value found under the first of `keys` that has one.
    pub fn first(&self, keys: &[&str]) -> Option<Field<'_>> {
        keys.iter().find_map(|key| self.all(key).next())
    }

    /// The first value of `keys`, or an empty text: for what a message may leave out.
    pub fn text(&self, keys: &[&str]) -> String {
        self.first(keys)
            .map(|f| f.value.to_string())
            .unwrap_or_default()
    }

    /// Whether any value lies below `element` (`RtrInf` has `RtrInf/Rsn/Cd` …).
    pub fn any_under(&self, element: &str) -> bool {
        self.slots.iter().any(|slot| {
            self.key(slot)
                .strip_prefix(element)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    pub fn all<'a, 'k>(&'a self, key: &'k str) -> impl Iterator<Item = Field<'a>> + use<'a, 'k> {
        self.slots
            .iter()
            .filter(move |slot| self.key(slot) == key)
            .map(|slot| self.view(slot))
    }

    /// The values of attribute `name` of the elements at `key` (`Amt`, `Ccy`: `Amt/@Ccy`).
    pub fn all_attributes<'a, 'k>(
        &'a self,
        key: &'k str,
        name: &'k str,
    ) -> impl Iterator<Item = Field<'a>> + use<'a, 'k> {
        self.slots
            .iter()
            .filter(move |slot| {
                self.key(slot)
                    .strip_prefix(key)
                    .and_then(|rest| rest.strip_prefix("/@"))
                    == Some(name)
            })
            .map(|slot| self.view(slot))
    }

    /// Files one value. `below` is its path under the scope (`/Chrgs/Rcrd[2]/Amt/@Ccy`);
    /// its key is the same without sibling numbers and the leading slash.
    pub(super) fn push(&mut self, below: &str, value: &str, line: u64) {
        let below_range = self.append(below);
        let key = if below.contains('[') {
            let start = self.text.len();
            let mut rest = below.strip_prefix('/').unwrap_or(below);
            while let Some(open) = rest.find('[') {
                self.text.push_str(&rest[..open]);
                let close = rest[open..].find(']').map_or(rest.len(), |c| open + c + 1);
                rest = &rest[close..];
            }
            self.text.push_str(rest);
            start..self.text.len()
        } else {
            let skip = usize::from(below.starts_with('/'));
            below_range.start + skip..below_range.end
        };
        let value = self.append(value);
        self.slots.push(Slot {
            key,
            below: below_range,
            value,
            line,
        });
    }

    fn append(&mut self, text: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(text);
        start..self.text.len()
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
) -> Result<Field<'e>, SourceError> {
    match element.fields.first(&[key]) {
        Some(field) if !field.value.is_empty() => Ok(field),
        Some(field) => Err(refusal(
            file,
            Some(field.line),
            Some(field.path()),
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
    let at = |field: Field<'_>, message: String, hint: &str| {
        refusal(file, Some(field.line), Some(field.path()), message, hint)
    };
    let code = element
        .fields
        .all_attributes(key, "Ccy")
        .next()
        .ok_or_else(|| {
            at(
                amount,
                format!("{what}'s amount {} has no currency (Ccy)", amount.value),
                hint,
            )
        })?;
    let currency = Currency::from_code(code.value).map_err(|e| at(code, e.to_string(), hint))?;
    let value = decimal(amount.value).ok_or_else(|| {
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
    field: Field<'_>,
    hint: &str,
) -> Result<NaiveDate, SourceError> {
    let text = field.value;
    let (day, rest) = text.split_at_checked(10).unwrap_or((text, ""));
    let rest_ok = rest.is_empty() || rest.starts_with(['T', 'Z', '+', '-']);
    match calendar_date(day) {
        Some(date) if rest_ok => Ok(date),
        _ => Err(refusal(
            file,
            Some(field.line),
            Some(field.path()),
            format!(
                "\"{text}\" is not a date (ISO 20022 writes 2026-10-31 or 2026-10-31T09:30:00)"
            ),
            hint,
        )),
    }
}

/// `2026-10-31` exactly, as XML Schema's `date` writes it (read by hand: a format-string
/// parser was a twentieth of a large statement's parse).
fn calendar_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7])?, number(&b[8..10])?)
}

/// The IBAN in its electronic form, if its check digits and country format hold. `hint`
/// says who can correct it.
pub(crate) fn checked_iban(
    file: &InputFile<'_>,
    field: Field<'_>,
    hint: &str,
) -> Result<String, SourceError> {
    let reason = match crate::sources::fields::electronic_iban(field.value) {
        Ok(electronic) => return Ok(electronic),
        Err(reason) => reason,
    };
    Err(refusal(
        file,
        Some(field.line),
        Some(field.path()),
        format!("IBAN \"{}\" is not valid: {reason}", field.value),
        hint,
    ))
}

#[cfg(test)]
mod tests {
    use super::{calendar_date, decimal};

    #[test]
    fn dates_are_year_month_day_with_every_digit() {
        assert_eq!(
            calendar_date("2026-02-28")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2026-02-28")
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-031",
            "26-10-31xx",
            "2026/10/31",
            "+026-10-31",
            "2026-10-3",
            "",
            "２026-10-31",
        ] {
            assert_eq!(calendar_date(bad), None, "{bad}");
        }
    }

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
