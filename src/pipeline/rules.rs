//! The `[reconcile]` settings beyond the invoice pattern and the partners-ignore list: which
//! of rules 2 and 3 run and how, the tolerance and its account, what becomes of money that
//! finds no open invoice, the import-from date and refunds. Each one that is wrong is a
//! problem with its key and line; each one absent is what `ReconcileSettings::default` says.

use std::ops::Range;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::Spanned;

use super::check::Checker;
use super::schema::ReconcileSection;
use super::{DEFAULT_AMOUNT_AND_DATE_DAYS, ReconcileSettings, Tolerance};
use crate::model::Currency;

/// Beyond a year around the booking date, an amount alone says nothing about an invoice.
const MAX_WINDOW_DAYS: u32 = 366;

impl Checker<'_> {
    /// The settings of `[reconcile]` apart from `invoice_pattern` and `partners_ignore`
    /// (left at their defaults for the caller to set).
    pub fn rule_settings(&mut self, section: Option<&ReconcileSection>) -> ReconcileSettings {
        let defaults = ReconcileSettings::default();
        let Some(r) = section else {
            return defaults;
        };
        ReconcileSettings {
            by_customer: r.by_customer.unwrap_or(defaults.by_customer),
            customer_in_text: r.customer_in_text.unwrap_or(defaults.customer_in_text),
            by_amount_and_date: r.by_amount_and_date.unwrap_or(defaults.by_amount_and_date),
            amount_and_date_days: self.window(r.amount_and_date_days.as_ref()),
            tolerance: self.tolerance(r),
            credit_without_invoice: r
                .credit_without_invoice
                .unwrap_or(defaults.credit_without_invoice),
            credit_for_paid_invoices: r
                .credit_for_paid_invoices
                .unwrap_or(defaults.credit_for_paid_invoices),
            rest_pays_other_invoices: r
                .rest_pays_other_invoices
                .unwrap_or(defaults.rest_pays_other_invoices),
            import_from: r.import_from.as_ref().and_then(|d| self.import_from(d)),
            refunds_reduce_credit: r
                .refunds_reduce_credit
                .unwrap_or(defaults.refunds_reduce_credit),
            ..defaults
        }
    }

    fn window(&mut self, days: Option<&Spanned<i64>>) -> u32 {
        let Some(days) = days else {
            return DEFAULT_AMOUNT_AND_DATE_DAYS;
        };
        match u32::try_from(*days.get_ref()) {
            Ok(d) if d <= MAX_WINDOW_DAYS => d,
            _ => {
                self.problem(
                    days.span(),
                    "reconcile.amount_and_date_days",
                    format!(
                        "{} days: give a number of days from 0 to {MAX_WINDOW_DAYS} (default {DEFAULT_AMOUNT_AND_DATE_DAYS})",
                        days.get_ref()
                    ),
                );
                DEFAULT_AMOUNT_AND_DATE_DAYS
            }
        }
    }

    /// `tolerance = "0.05"` or `tolerance = { EUR = "0.05", CHF = "0.10" }`, and the account
    /// the differences go to, which a tolerance needs.
    fn tolerance(&mut self, r: &ReconcileSection) -> Tolerance {
        const KEY: &str = "reconcile.tolerance";
        let mut tolerance = Tolerance::default();
        if let Some(value) = &r.tolerance {
            let span = value.span();
            match value.get_ref() {
                toml::Value::Table(per_currency) => {
                    for (code, amount) in per_currency {
                        let key = format!("{KEY}.{code}");
                        match Currency::from_code(code) {
                            Ok(currency) => {
                                if let Some(a) = self.tolerance_amount(span.clone(), &key, amount) {
                                    tolerance.per_currency.insert(currency, a);
                                }
                            }
                            Err(e) => self.problem(span.clone(), key, e.to_string()),
                        }
                    }
                }
                amount => {
                    if let Some(a) = self.tolerance_amount(span, KEY, amount) {
                        tolerance.any = a;
                    }
                }
            }
        }
        match &r.tolerance_account {
            Some(account) if account.get_ref().trim().is_empty() => self.problem(
                account.span(),
                "reconcile.tolerance_account",
                "is empty: name the account differences within the tolerance are booked to",
            ),
            Some(account) => tolerance.account = account.get_ref().trim().to_string(),
            None if !tolerance.is_off() => self.problem(
                r.tolerance.as_ref().map(|t| t.span()).unwrap_or(0..0),
                "reconcile.tolerance_account",
                "missing: with a tolerance, name the account its differences are booked to (e.g. tolerance_account = \"6855\"); without one they would vanish",
            ),
            None => {}
        }
        tolerance
    }

    fn tolerance_amount(
        &mut self,
        span: Range<usize>,
        key: &str,
        value: &toml::Value,
    ) -> Option<Decimal> {
        let amount = match value {
            toml::Value::String(text) => text.trim().parse::<Decimal>().ok(),
            toml::Value::Integer(n) => Some(Decimal::from(*n)),
            toml::Value::Float(f) => {
                self.problem(
                    span,
                    key,
                    format!(
                        "write the amount in quotes, \"{f}\": a number with decimals would be read as binary floating point, which money never is"
                    ),
                );
                return None;
            }
            _ => None,
        };
        match amount {
            Some(a) if a.is_sign_negative() && !a.is_zero() => {
                self.problem(
                    span,
                    key,
                    format!(
                        "{a} is negative: give how far a payment may be off either way, e.g. \"0.05\""
                    ),
                );
                None
            }
            Some(a) => Some(a),
            None => {
                self.problem(
                    span,
                    key,
                    format!(
                        "{value} is not an amount: write it like \"0.05\" (a dot for decimals), or per currency {{ EUR = \"0.05\" }}"
                    ),
                );
                None
            }
        }
    }

    fn import_from(&mut self, value: &Spanned<toml::Value>) -> Option<NaiveDate> {
        let text = match value.get_ref() {
            toml::Value::String(text) => text.trim().to_string(),
            toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            other => other.to_string(),
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.problem(
                    value.span(),
                    "reconcile.import_from",
                    format!("{text} is not a day: write it as 2026-01-01 (year-month-day)"),
                );
                None
            }
        }
    }
}
