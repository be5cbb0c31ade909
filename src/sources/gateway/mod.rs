//! Payment-gateway exports: PayPal, Braintree, GoCardless and Stripe settlement and
//! activity CSVs, read into [`GatewayTransaction`]s and [`GatewayPayout`]s.
//!
//! These exports describe themselves: each gateway writes a fixed header, so a file is
//! recognised by its header row ([`sniff`]), never by its name, and needs no `[columns]`
//! mapping. Every column sluice reads is named exactly as the gateway writes it, in the
//! gateway's module, next to the page that documents it. This module holds what the four
//! share: reading the table (through `delimited`, the one CSV reader), finding columns,
//! and reading amounts, currencies and dates with refusals that name the file, the line,
//! the column and the reason.
//!
//! A row that contradicts itself (net ≠ gross − fee) is refused. A payout that is not the
//! sum of its transactions is not: that is for reconciliation to report.

mod braintree;
mod clearing;
mod gocardless;
mod paypal;
mod stripe;

pub use clearing::{
    ClearingEntries, account as clearing_account, clearing_entries, implied_payout,
};

use chrono::NaiveDate;
use csv::StringRecord;
use rust_decimal::Decimal;

use super::cell::Cell;
use super::delimited;
use super::fields::parse_amount;
use super::{InputFile, SourceError};
use crate::model::{
    Currency, Gateway, GatewayPayout, GatewayTransaction, Lineage, Money, TransactionKind,
};
use crate::pipeline::CsvLayout;

/// Everything one gateway export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayExport {
    pub gateway: Gateway,
    /// Which of the gateway's exports it is, in words: "PayPal activity download".
    pub export: &'static str,
    pub transactions: Vec<GatewayTransaction>,
    pub payouts: Vec<GatewayPayout>,
}

/// One export layout of a gateway: its name and the columns that identify it (and that a
/// file must have to be read as it).
struct Layout {
    export: &'static str,
    required: &'static [&'static str],
}

/// The gateway whose export this is, recognised by the header row alone.
pub fn sniff(bytes: &[u8]) -> Option<Gateway> {
    let header = first_row(bytes)?;
    [
        Gateway::PayPal,
        Gateway::Braintree,
        Gateway::GoCardless,
        Gateway::Stripe,
    ]
    .into_iter()
    .find(|g| {
        layouts(*g)
            .iter()
            .any(|l| l.required.iter().all(|c| header.iter().any(|h| h == c)))
    })
}

pub fn parse(gateway: Gateway, file: &InputFile<'_>) -> Result<GatewayExport, SourceError> {
    let table = Table::read(gateway, file)?;
    let layout = table.layout(layouts(gateway))?;
    match gateway {
        Gateway::PayPal => paypal::parse(&table, layout),
        Gateway::Braintree => braintree::parse(&table, layout),
        Gateway::GoCardless => gocardless::parse(&table, layout),
        Gateway::Stripe => stripe::parse(&table, layout),
    }
}

fn layouts(gateway: Gateway) -> &'static [Layout] {
    match gateway {
        Gateway::PayPal => paypal::LAYOUTS,
        Gateway::Braintree => braintree::LAYOUTS,
        Gateway::GoCardless => gocardless::LAYOUTS,
        Gateway::Stripe => stripe::LAYOUTS,
    }
}

/// The header row of a CSV file, BOM and surrounding spaces removed; `None` when the file
/// does not start with a readable CSV row.
fn first_row(bytes: &[u8]) -> Option<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(8192)];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let record = reader.records().next()?.ok()?;
    Some(record.iter().map(|f| f.trim().to_string()).collect())
}

/// What a row is: a transaction of some kind, or a transfer to the bank.
enum RowKind {
    Transaction(TransactionKind),
    Payout,
}

/// Gateways export UTF-8 with `,` between fields and a header row. (`delimited::read` uses
/// only the encoding, delimiter, header and skips; amounts and dates are read here.)
fn csv_layout() -> CsvLayout {
    CsvLayout {
        encoding: encoding_rs::UTF_8,
        delimiter: b',',
        sheet: None,
        skip_lines: 0,
        skip_trailing: 0,
        header: true,
        date_format: String::new(),
        decimal: '.',
        thousands: None,
    }
}

/// A refusal at a line and column of the export.
fn error(
    file: &InputFile<'_>,
    line: Option<u64>,
    column: Option<&str>,
    message: String,
    hint: &str,
) -> SourceError {
    SourceError {
        file: file.name.to_string(),
        line,
        column: column.map(str::to_string),
        path: None,
        message,
        hint: hint.to_string(),
    }
}

const REDOWNLOAD: &str = "download the export again from the gateway and drop it unchanged: opening and re-saving it in a spreadsheet rewrites numbers, dates and separators";

/// How amounts are written: `1,234.56` (English PayPal, Braintree), `1234.56` (Stripe,
/// GoCardless), `1.234,56` (Spanish PayPal).
#[derive(Clone, Copy)]
struct Numbers {
    decimal: char,
    thousands: Option<char>,
}

const POINT: Numbers = Numbers {
    decimal: '.',
    thousands: None,
};
const POINT_GROUPED: Numbers = Numbers {
    decimal: '.',
    thousands: Some(','),
};
const COMMA_GROUPED: Numbers = Numbers {
    decimal: ',',
    thousands: Some('.'),
};

/// Which number comes first in a date written `a/b/yyyy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateOrder {
    DayFirst,
    MonthFirst,
}

/// How a file writes its dates: ISO 8601 (`2026-10-05`, with or without a time) is always
/// read; `a/b/yyyy` is read in the order the file shows (a day above 12 tells), else in the
/// gateway's default order; without either it is ambiguous and refused.
#[derive(Clone, Copy)]
struct Dates {
    order: Option<DateOrder>,
}

struct Table<'f> {
    gateway: Gateway,
    file: &'f InputFile<'f>,
    header: Vec<String>,
    header_line: u64,
    rows: Vec<(u64, StringRecord)>,
    /// Fields a row must have: up to the last named column (some exports end the header
    /// with unnamed columns their rows leave out).
    width: usize,
}

/// A column of the header: where it is and how the gateway names it.
#[derive(Clone, Copy)]
struct Col<'t> {
    index: usize,
    name: &'t str,
}

impl<'f> Table<'f> {
    fn read(gateway: Gateway, file: &'f InputFile<'f>) -> Result<Table<'f>, SourceError> {
        let table = delimited::read(&csv_layout(), file).map_err(|mut e| {
            e.hint = format!("{} exports are UTF-8 CSV; {REDOWNLOAD}", gateway.name());
            e
        })?;
        let header: Vec<String> = table.header().map(<[String]>::to_vec).unwrap_or_default();
        let width = header
            .iter()
            .rposition(|h| !h.is_empty())
            .map_or(0, |i| i + 1);
        Ok(Table {
            gateway,
            file,
            header,
            header_line: table.header_line(),
            // Delimited text has text cells only.
            rows: table
                .rows
                .into_iter()
                .map(|row| {
                    let fields: StringRecord = row
                        .cells
                        .iter()
                        .map(|cell| match cell {
                            Cell::Text(text) => text.as_str(),
                            _ => "",
                        })
                        .collect();
                    (row.line, fields)
                })
                .collect(),
            width,
        })
    }

    /// The layout whose columns the header has; refused, naming the first missing column
    /// of the closest layout, when it has none of them completely.
    fn layout(&self, layouts: &'static [Layout]) -> Result<&'static Layout, SourceError> {
        let missing = |l: &Layout| -> Vec<&'static str> {
            l.required
                .iter()
                .copied()
                .filter(|c| self.find(c).is_none())
                .collect()
        };
        // A complete layout with the most columns wins (Stripe's payouts report has every
        // column its transactions report requires, and more); else the closest one.
        let complete = layouts
            .iter()
            .filter(|l| missing(l).is_empty())
            .max_by_key(|l| l.required.len());
        if let Some(layout) = complete {
            return Ok(layout);
        }
        let closest = layouts.iter().min_by_key(|l| missing(l).len());
        match closest.map(|l| (l, missing(l))) {
            None => Err(error(
                self.file,
                None,
                None,
                format!("sluice reads no {} export", self.gateway.name()),
                REDOWNLOAD,
            )),
            Some((closest, missing)) => Err(error(
                self.file,
                Some(self.header_line.max(1)),
                Some(missing[0]),
                format!(
                    "the header has no column \"{}\": this is not a {} sluice reads (it needs the columns {})",
                    missing[0],
                    closest.export,
                    closest.required.join(", ")
                ),
                &format!(
                    "download the {} with its standard columns; {REDOWNLOAD}",
                    closest.export
                ),
            )),
        }
    }

    /// A layout the gateway's module does not know: only a mismatch between a module's
    /// `LAYOUTS` and its own tables gets here.
    fn unknown_layout(&self, layout: &Layout) -> SourceError {
        error(
            self.file,
            None,
            None,
            format!("sluice has no reader for the {}", layout.export),
            REDOWNLOAD,
        )
    }

    fn find(&self, name: &str) -> Option<Col<'_>> {
        self.header.iter().position(|h| h == name).map(|index| Col {
            index,
            name: &self.header[index],
        })
    }

    /// A column the layout requires; `layout` found them all, so this refuses only if a
    /// module asks for a column its layout does not list.
    fn col(&self, name: &str) -> Result<Col<'_>, SourceError> {
        self.find(name).ok_or_else(|| {
            error(
                self.file,
                Some(self.header_line.max(1)),
                Some(name),
                format!("the header has no column \"{name}\""),
                REDOWNLOAD,
            )
        })
    }

    /// The first of several columns the header has (reports can be run with either).
    fn any_of(&self, names: &[&str]) -> Option<Col<'_>> {
        names.iter().find_map(|n| self.find(n))
    }

    /// The first of several columns of which the export must have one.
    fn first_of(&self, names: &[&str]) -> Result<Col<'_>, SourceError> {
        self.any_of(names).ok_or_else(|| {
            error(
                self.file,
                Some(self.header_line.max(1)),
                names.first().copied(),
                format!(
                    "the header has none of the columns {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                REDOWNLOAD,
            )
        })
    }

    /// The data rows, each checked to have the fields the header names.
    fn rows(&self) -> impl Iterator<Item = Result<Row<'_>, SourceError>> {
        self.rows.iter().map(|(line, record)| {
            let row = Row {
                table: self,
                line: *line,
                record,
            };
            row.check_width()?;
            Ok(row)
        })
    }

    /// Decides the order of `a/b/yyyy` dates from every value of the given columns.
    fn dates(
        &self,
        columns: &[Option<Col<'_>>],
        default: Option<DateOrder>,
    ) -> Result<Dates, SourceError> {
        let mut seen: Option<(DateOrder, u64, &str, &str)> = None;
        for (line, record) in &self.rows {
            for col in columns.iter().flatten() {
                let Some(value) = record.get(col.index).map(str::trim) else {
                    continue;
                };
                let Some((a, b, _)) = slash_parts(value) else {
                    continue;
                };
                let shows = if a > 12 && b <= 12 {
                    DateOrder::DayFirst
                } else if b > 12 && a <= 12 {
                    DateOrder::MonthFirst
                } else {
                    continue;
                };
                match seen {
                    None => seen = Some((shows, *line, value, col.name)),
                    Some((order, first_line, first, _)) if order != shows => {
                        return Err(error(
                            self.file,
                            Some(*line),
                            Some(col.name),
                            format!(
                                "\"{value}\" is {} but line {first_line} has \"{first}\" ({}): the dates of the file disagree",
                                order_words(shows),
                                order_words(order)
                            ),
                            REDOWNLOAD,
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(Dates {
            order: seen.map(|(order, ..)| order).or(default),
        })
    }

    fn lineage(&self, line: u64) -> Lineage {
        Lineage {
            file_sha256: self.file.sha256.to_string(),
            file_name: self.file.name.to_string(),
            line,
        }
    }
}

fn order_words(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayFirst => "day/month/year",
        DateOrder::MonthFirst => "month/day/year",
    }
}

/// `5/10/2026` (or `05/10/2026 14:03:11`) → (5, 10, 2026).
fn slash_parts(value: &str) -> Option<(u32, u32, i32)> {
    let date = value.split([' ', 'T']).next()?;
    let mut parts = date.split('/');
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
}

struct Row<'t> {
    table: &'t Table<'t>,
    line: u64,
    record: &'t StringRecord,
}

impl<'t> Row<'t> {
    fn fail(&self, column: &str, message: String, hint: &str) -> SourceError {
        error(
            self.table.file,
            Some(self.line),
            Some(column),
            message,
            hint,
        )
    }

    fn check_width(&self) -> Result<(), SourceError> {
        let fields = self.record.len();
        if fields < self.table.width {
            let column = &self.table.header[fields];
            return Err(self.fail(
                column,
                format!(
                    "the row ends after {fields} of the {} columns the header names: it is cut short",
                    self.table.width
                ),
                REDOWNLOAD,
            ));
        }
        let extra = self
            .record
            .iter()
            .skip(self.table.header.len())
            .any(|f| !f.trim().is_empty());
        if extra {
            return Err(error(
                self.table.file,
                Some(self.line),
                None,
                format!(
                    "the row has {fields} fields but the header names {}: a field with a comma that lost its quotes?",
                    self.table.header.len()
                ),
                REDOWNLOAD,
            ));
        }
        Ok(())
    }

    /// The text of a column, trimmed; empty when the header has no such column.
    fn text(&self, col: Option<Col<'_>>) -> &'t str {
        col.and_then(|c| self.record.get(c.index))
            .map_or("", str::trim)
    }

    fn required_text(&self, col: Col<'_>) -> Result<&'t str, SourceError> {
        let value = self.text(Some(col));
        if value.is_empty() {
            return Err(self.fail(col.name, "is empty".to_string(), REDOWNLOAD));
        }
        Ok(value)
    }

    fn currency(&self, col: Col<'_>) -> Result<Currency, SourceError> {
        let value = self.required_text(col)?;
        Currency::from_code(value).map_err(|e| {
            self.fail(
                col.name,
                e.to_string(),
                "fix the row: a currency is a three-letter ISO 4217 code such as EUR",
            )
        })
    }

    /// An amount that must be there.
    fn amount(
        &self,
        col: Col<'_>,
        numbers: Numbers,
        currency: Currency,
    ) -> Result<Money, SourceError> {
        self.optional_amount(Some(col), numbers, currency)?
            .ok_or_else(|| self.fail(col.name, "has no amount".to_string(), REDOWNLOAD))
    }

    /// An amount, or `None` when the column is missing or empty.
    fn optional_amount(
        &self,
        col: Option<Col<'_>>,
        numbers: Numbers,
        currency: Currency,
    ) -> Result<Option<Money>, SourceError> {
        let Some(col) = col else {
            return Ok(None);
        };
        let raw = self.text(Some(col));
        if raw.is_empty() {
            return Ok(None);
        }
        let value = parse_amount(raw, numbers.decimal, numbers.thousands).map_err(|why| {
            self.fail(
                col.name,
                format!(
                    "\"{raw}\" {why} — {} writes amounts here like {}",
                    self.table.gateway.name(),
                    example(numbers)
                ),
                REDOWNLOAD,
            )
        })?;
        self.money(col, value, currency).map(Some)
    }

    fn money(
        &self,
        col: Col<'_>,
        value: Decimal,
        currency: Currency,
    ) -> Result<Money, SourceError> {
        // `-0.00` is zero: no sign to carry.
        let value = if value.is_zero() {
            Decimal::ZERO
        } else {
            value
        };
        Money::new(value, currency).map_err(|_| {
            self.fail(
                col.name,
                format!(
                    "\"{}\" has more decimals than {currency} has ({})",
                    self.text(Some(col)),
                    currency.exponent()
                ),
                "sluice never rounds money; fix the row or download the export again",
            )
        })
    }

    fn date(&self, col: Col<'_>, dates: Dates) -> Result<NaiveDate, SourceError> {
        self.optional_date(Some(col), dates)?
            .ok_or_else(|| self.fail(col.name, "has no date".to_string(), REDOWNLOAD))
    }

    /// A date, or `None` when the column is missing or empty. A time after the date
    /// (`2026-10-05 14:03:11`, `2026-10-05T14:03:11Z`) is ignored.
    fn optional_date(
        &self,
        col: Option<Col<'_>>,
        dates: Dates,
    ) -> Result<Option<NaiveDate>, SourceError> {
        let Some(col) = col else {
            return Ok(None);
        };
        let raw = self.text(Some(col));
        if raw.is_empty() {
            return Ok(None);
        }
        let day = raw.split([' ', 'T']).next().unwrap_or(raw);
        let parsed = if let Some((a, b, year)) = slash_parts(raw) {
            let (day, month) = match dates.order {
                Some(DateOrder::DayFirst) => (a, b),
                Some(DateOrder::MonthFirst) => (b, a),
                None => {
                    return Err(self.fail(
                        col.name,
                        format!(
                            "\"{raw}\" could be day/month/year or month/day/year, and no date in the file has a day above 12 to tell which"
                        ),
                        "download a period that includes a day after the 12th of a month, so the file shows its date order",
                    ));
                }
            };
            NaiveDate::from_ymd_opt(year, month, day)
        } else {
            NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
        };
        parsed.map(Some).ok_or_else(|| {
            let expected = match dates.order {
                Some(order) => format!("2026-10-31, or {}", order_words(order)),
                None => "2026-10-31".to_string(),
            };
            self.fail(
                col.name,
                format!("\"{raw}\" is not a date (expected {expected})"),
                REDOWNLOAD,
            )
        })
    }

    /// Refuses the row unless `net = gross − fee`, naming the three figures.
    fn check_net(
        &self,
        net_col: Col<'_>,
        gross: Money,
        fee: Money,
        net: Money,
    ) -> Result<(), SourceError> {
        if gross.amount - fee.amount == net.amount {
            return Ok(());
        }
        Err(self.fail(
            net_col.name,
            format!(
                "gross {} − fee {} = {}, but the row says net {}: the row does not add up",
                gross.amount,
                fee.amount,
                gross.amount - fee.amount,
                net.amount
            ),
            &format!(
                "the export contradicts itself: download it again, and if the row still does not add up ask {} why",
                self.table.gateway.name()
            ),
        ))
    }

    fn lineage(&self) -> Lineage {
        self.table.lineage(self.line)
    }
}

fn example(numbers: Numbers) -> &'static str {
    match (numbers.decimal, numbers.thousands) {
        (',', _) => "1.234,56",
        (_, Some(_)) => "1,234.56",
        _ => "1234.56",
    }
}

/// The same sum the other way, without a negative zero (`-0.00` reads as money out).
fn negate(m: Money) -> Money {
    if m.is_zero() { m } else { -m }
}

/// `a − b` in `a`'s currency (both are in the row's currency).
fn minus(a: Money, b: Money) -> Money {
    Money {
        amount: a.amount - b.amount,
        currency: a.currency,
    }
}

/// Several text fields joined by a space, empty ones left out.
fn joined(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_dates_are_split_with_or_without_a_time() {
        assert_eq!(slash_parts("5/10/2026"), Some((5, 10, 2026)));
        assert_eq!(slash_parts("05/10/2026 14:03:11"), Some((5, 10, 2026)));
        assert_eq!(slash_parts("2026-10-05"), None);
        assert_eq!(slash_parts("5/10/26"), None);
        assert_eq!(slash_parts("1/2/3/2026"), None);
    }
}
