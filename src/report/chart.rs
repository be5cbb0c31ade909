//! Charts as inline SVG written here: bars for a daily amount, a stepped area for a level
//! that holds from day to day. No script and no library: the page must open offline and
//! print. Coordinates are computed with decimals too — no float comes near an amount.

use std::fmt::Write;

use rust_decimal::Decimal;

use super::series::DailySeries;
use super::text::{escape, grouped, money};

const WIDTH: i64 = 760;
const HEIGHT: i64 = 240;
const LEFT: i64 = 84;
const RIGHT: i64 = 12;
const TOP: i64 = 14;
const BOTTOM: i64 = 30;
const PLOT_WIDTH: i64 = WIDTH - LEFT - RIGHT;
const PLOT_HEIGHT: i64 = HEIGHT - TOP - BOTTOM;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One bar a day: what happened that day.
    Bars,
    /// A stepped area: where a level stood at the end of each day.
    Steps,
}

/// One chart; `id` names it for the page and for tests.
pub fn svg(id: &str, title: &str, series: &DailySeries, shape: Shape) -> String {
    let currency = series.currency;
    let top = nice_ceiling(series.values.iter().copied().max().unwrap_or_default());
    let days = i64::try_from(series.values.len()).unwrap_or(1).max(1);
    let day_width = Decimal::from(PLOT_WIDTH) / Decimal::from(days);
    let x = |i: usize| coord(Decimal::from(LEFT) + day_width * Decimal::from(i));
    let y = |value: Decimal| {
        let value = value.max(Decimal::ZERO);
        coord(Decimal::from(TOP + PLOT_HEIGHT) - value * Decimal::from(PLOT_HEIGHT) / top)
    };
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg id="{id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    let _ = write!(out, "<title>{}</title>", escape(title));
    // Grid and amounts on the left, a quarter of the scale apart.
    for quarter in 0..=4 {
        let value = top * Decimal::from(quarter) / Decimal::from(4);
        let at = y(value);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{at}" y2="{at}" stroke="#d0d5dd" stroke-width="1"/><text x="{}" y="{at}" dy="4" text-anchor="end" class="axis">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6,
            grouped(&value.normalize().to_string())
        );
    }
    let base = TOP + PLOT_HEIGHT;
    match shape {
        Shape::Bars => {
            for (i, (date, value)) in series.days().enumerate() {
                if value.is_zero() {
                    continue;
                }
                let gap = if day_width > Decimal::from(4) {
                    Decimal::ONE
                } else {
                    Decimal::ZERO
                };
                let _ = write!(
                    out,
                    r##"<rect class="bar" data-date="{date}" data-value="{}" x="{}" y="{}" width="{}" height="{}" fill="#2f6fb0"><title>{date}: {} {}</title></rect>"##,
                    super::text::exact(value, currency),
                    x(i),
                    y(value),
                    coord(day_width - gap),
                    coord(Decimal::from(base) - y(value)),
                    currency.code(),
                    money(value, currency)
                );
            }
        }
        Shape::Steps => {
            let mut path = format!("M{} {base}", x(0));
            for (i, (_, value)) in series.days().enumerate() {
                let _ = write!(path, " L{} {} L{} {}", x(i), y(value), x(i + 1), y(value));
            }
            let _ = write!(path, " L{} {base} Z", x(series.values.len()));
            let _ = write!(
                out,
                r##"<path d="{path}" fill="#f3c98b" stroke="#b4690e" stroke-width="1.5"/>"##
            );
            // A column per day to hover over; it carries the day's level for machines.
            for (i, (date, value)) in series.days().enumerate() {
                let _ = write!(
                    out,
                    r#"<rect class="level" data-date="{date}" data-value="{}" x="{}" y="{TOP}" width="{}" height="{PLOT_HEIGHT}" fill="transparent"><title>{date}: {} {} open</title></rect>"#,
                    super::text::exact(value, currency),
                    x(i),
                    coord(day_width),
                    currency.code(),
                    money(value, currency)
                );
            }
        }
    }
    // Dates along the bottom: the first day and every seventh after it.
    for (i, (date, _)) in series.days().enumerate().step_by(7) {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" class="axis">{}</text>"#,
            x(i),
            HEIGHT - 10,
            date.format("%d %b")
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{}" y1="{base}" y2="{base}" stroke="#667085" stroke-width="1"/></svg>"##,
        WIDTH - RIGHT
    );
    out
}

/// A coordinate to one decimal place: enough for a screen, short in the file.
fn coord(value: Decimal) -> Decimal {
    value.round_dp(1).normalize()
}

/// The smallest of 1, 2 or 5 times a power of ten at or above `max` (1 for nothing): a
/// scale whose quarters read as round amounts.
fn nice_ceiling(max: Decimal) -> Decimal {
    if max <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let mut unit = Decimal::new(1, 2);
    while unit * Decimal::TEN <= max {
        unit *= Decimal::TEN;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| unit * Decimal::from(m))
        .find(|candidate| *candidate >= max)
        .unwrap_or(unit * Decimal::TEN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Currency;
    use chrono::NaiveDate;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn the_scale_ends_on_a_round_amount_at_or_above_the_largest() {
        assert_eq!(nice_ceiling(d("0")), d("1"));
        assert_eq!(nice_ceiling(d("1234.50")), d("2000"));
        assert_eq!(nice_ceiling(d("5000")), d("5000"));
        assert_eq!(nice_ceiling(d("5000.01")), d("10000"));
        assert_eq!(nice_ceiling(d("0.03")), d("0.05"));
    }

    #[test]
    fn each_day_with_money_is_a_bar_with_its_exact_amount() {
        let series = DailySeries {
            currency: Currency::from_code("EUR").expect("EUR"),
            first: NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
            values: vec![d("100.50"), d("0"), d("1000")],
        };
        let svg = svg("cash-in-EUR", "Money in", &series, Shape::Bars);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains(r#"data-date="2026-10-01" data-value="100.50""#));
        assert!(svg.contains("2026-10-03: EUR 1,000.00"));
        // The tallest bar fills the plot: 1000 is the scale's top.
        assert!(svg.contains(&format!(r#"y="{TOP}" width"#)), "{svg}");
    }
}
