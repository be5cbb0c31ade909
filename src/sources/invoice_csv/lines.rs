//! The line fields of one row of a line-level export, and the figures a line must agree
//! with: quantity × unit price is the line total, and the VAT is the rate of the net.
//! "Agree" means to within half a cent, because billing systems round each product to
//! the cent; a larger gap is a wrong column or a broken export, and is refused.

use rust_decimal::Decimal;

use super::super::row_values::RowValues;
use super::super::table::Column;
use super::super::{SourceError, parse_amount};
use crate::model::{Currency, DocumentLine, Lineage, Money};
use crate::pipeline::Prices;

/// The mapped line columns. `vat_rate` and `vat_amount` come together or not at all (a
/// business that charges no VAT exports neither).
pub struct LineColumns {
    pub description: Option<Column>,
    pub quantity: Column,
    pub unit_price: Column,
    pub vat: Option<(Column, Column)>,
    pub line_total: Column,
    pub category: Option<Column>,
    pub period_from: Option<Column>,
    pub period_to: Option<Column>,
}

impl LineColumns {
    fn all(&self) -> impl Iterator<Item = &Column> {
        let vat = self.vat.as_ref().map(|(r, a)| [r, a]);
        [
            self.description.as_ref(),
            Some(&self.quantity),
            Some(&self.unit_price),
            Some(&self.line_total),
            self.category.as_ref(),
            self.period_from.as_ref(),
            self.period_to.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(vat.into_iter().flatten())
    }

    /// The row's line; `None` when every line field is empty (a document without lines,
    /// or the head row some exports write before a document's lines).
    pub fn read(
        &self,
        values: &RowValues<'_>,
        currency: Currency,
        prices: Prices,
        decimal: char,
        lineage: Lineage,
    ) -> Result<Option<DocumentLine>, SourceError> {
        let mut blank = true;
        for column in self.all() {
            blank &= values.is_blank(column)?;
        }
        if blank {
            return Ok(None);
        }
        let money = |column: &Column| -> Result<Money, SourceError> {
            let amount = values.amount(column)?.ok_or_else(|| {
                values.error(
                    column,
                    "is empty on a line that has other line fields".to_string(),
                    "fill in the line, or empty all its line fields for a document without lines",
                )
            })?;
            values.money(column, &amount, currency)
        };
        let quantity = values.amount(&self.quantity)?.ok_or_else(|| {
            values.error(
                &self.quantity,
                "is empty on a line that has other line fields".to_string(),
                "fill in the line, or empty all its line fields for a document without lines",
            )
        })?;
        let unit_price = money(&self.unit_price)?;
        let line_total = money(&self.line_total)?;
        let (vat_rate, vat_amount) = match &self.vat {
            Some((rate, amount)) => (rate_of(values, rate, decimal)?, money(amount)?),
            None => (Decimal::ZERO, Money::zero(currency)),
        };
        let line = DocumentLine {
            description: values.optional_text(self.description.as_ref())?,
            quantity: quantity.value,
            unit_price,
            vat_rate,
            vat_amount,
            line_total,
            category: values.optional_text(self.category.as_ref())?,
            period_from: values.optional_date(self.period_from.as_ref())?,
            period_to: values.optional_date(self.period_to.as_ref())?,
            lineage,
        };
        self.check(values, &line, prices)?;
        Ok(Some(line))
    }

    fn check(
        &self,
        values: &RowValues<'_>,
        line: &DocumentLine,
        prices: Prices,
    ) -> Result<(), SourceError> {
        let half_cent = half_minor_unit(line.line_total.currency);
        let product = line.quantity * line.unit_price.amount;
        if (product - line.line_total.amount).abs() > half_cent {
            return Err(values.error(
                &self.line_total,
                format!(
                    "line total {} is not quantity {} × unit price {} = {}",
                    line.line_total.amount,
                    line.quantity.normalize(),
                    line.unit_price.amount,
                    product.normalize()
                ),
                "fix the row, or check which columns `quantity`, `unit_price` and `line_total` map",
            ));
        }
        let Some((_, vat_column)) = &self.vat else {
            return Ok(());
        };
        let expected = vat_of(line.line_total.amount, line.vat_rate, prices);
        if (expected - line.vat_amount.amount).abs() > half_cent {
            let of = match prices {
                Prices::Net => "of the net line total",
                Prices::Gross => "contained in the gross line total",
            };
            return Err(values.error(
                vat_column,
                format!(
                    "VAT {} is not {} % {of} {} = {}",
                    line.vat_amount.amount,
                    line.vat_rate.normalize(),
                    line.line_total.amount,
                    expected.round_dp(line.line_total.currency.exponent())
                ),
                "fix the row, or `prices = \"net\"`/`\"gross\"` of the source (a rate is in percent: 19, not 0.19)",
            ));
        }
        Ok(())
    }
}

/// The VAT a line total carries at `rate` percent: on top of a net total, inside a gross one.
fn vat_of(line_total: Decimal, rate: Decimal, prices: Prices) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    match prices {
        Prices::Net => line_total * rate / hundred,
        Prices::Gross => line_total * rate / (hundred + rate),
    }
}

/// What a line adds to its document's total: its VAT too when prices are net.
pub fn gross_of(line: &DocumentLine, prices: Prices) -> Decimal {
    match prices {
        Prices::Net => line.line_total.amount + line.vat_amount.amount,
        Prices::Gross => line.line_total.amount,
    }
}

fn half_minor_unit(currency: Currency) -> Decimal {
    Decimal::new(5, currency.exponent() + 1)
}

/// A VAT rate in percent as written: `19`, `19.00`, `19 %`, or a number cell.
fn rate_of(values: &RowValues<'_>, column: &Column, decimal: char) -> Result<Decimal, SourceError> {
    let raw = values.text(column)?;
    if let Some(bare) = raw.strip_suffix('%') {
        return parse_amount(bare.trim_end(), decimal, None).map_err(|why| {
            values.error(
                column,
                format!("\"{raw}\" {why}"),
                "write the rate in percent, e.g. 19",
            )
        });
    }
    values.amount(column)?.map(|a| a.value).ok_or_else(|| {
        values.error(
            column,
            "is empty on a line that has other line fields".to_string(),
            "give the line's VAT rate in percent (0 for none)",
        )
    })
}
