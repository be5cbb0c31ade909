//! A document's lines as Sage will compute them, and the rounding line that makes Sage's
//! total the ledger's to the cent.
//!
//! Sage does not take a line's total from the file: it multiplies the unit price by the
//! quantity and rounds to cents, and derives the VAT from the line's tax type (Sage One
//! South Africa works VAT-inclusive: the VAT is the inclusive total × rate / (100 + rate)).
//! A billing system's lines were rounded its own way (net unit price × quantity, VAT on the
//! net, or VAT once per document), so Sage's sum of the lines can be a cent or more off
//! the ledger's document total. That difference goes on one more line, on the mapping's
//! `rounding_account` without VAT, so the document Sage shows owes exactly what the
//! ledger says — the amount the customer pays and the bank line reconciles against.
//!
//! Rounding is half away from zero, as Sage (and the billing systems sluice reads) round
//! money; a binary float is never involved.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::Document;
use crate::targets::mapping::{Amounts, Mapping};

/// The description of the line that absorbs the difference.
pub const ROUNDING_DESCRIPTION: &str = "Rounding";

/// One line of a Sage document: what the file says and what Sage computes from it, in the
/// file's direction (a credit note's positive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SageLine {
    pub account: String,
    pub description: String,
    pub quantity: Decimal,
    /// With VAT or without, as the mapping's `amounts` says.
    pub unit_price: Decimal,
    pub tax_type: String,
    /// Percent; unknown for a document the export does not itemise (Sage knows it from
    /// `lineless_tax_rate`).
    pub vat_rate: Option<Decimal>,
    /// What Sage computes for the line: its VAT, and its total with VAT.
    pub vat: Option<Decimal>,
    pub total: Decimal,
}

/// The document's lines as Sage computes them, the rounding line last when one is needed;
/// their totals add up to the ledger's document total (times `sign`) exactly.
pub fn lines(mapping: &Mapping, doc: &Document, sign: Decimal) -> Vec<SageLine> {
    let cents = doc.total.currency.exponent();
    let round = |amount: Decimal| {
        amount.round_dp_with_strategy(cents, RoundingStrategy::MidpointAwayFromZero)
    };
    let what = match doc.kind {
        crate::model::DocumentKind::Invoice => "Invoice",
        crate::model::DocumentKind::CreditNote => "Credit note",
    };
    if doc.lines.is_empty() {
        // Only the total with tax is known: `refusal` holds such a document unless amounts
        // are inclusive, so Sage's total is this one line's amount.
        let total = doc.total.amount * sign;
        return vec![SageLine {
            account: mapping.default_account.clone().unwrap_or_default(),
            description: format!("{what} {}", doc.number),
            quantity: Decimal::ONE,
            unit_price: total,
            tax_type: mapping.lineless_tax_rate.clone().unwrap_or_default(),
            vat_rate: None,
            vat: None,
            total,
        }];
    }
    let inclusive = mapping.amounts == Amounts::Inclusive;
    let net_lines = doc.lines_are_net();
    let hundred = Decimal::ONE_HUNDRED;
    let mut lines: Vec<SageLine> = doc
        .lines
        .iter()
        .map(|line| {
            let rate = line.vat_rate.normalize();
            let vat = line.vat_amount.amount;
            let (net, gross) = if net_lines {
                (line.line_total.amount, line.line_total.amount + vat)
            } else {
                (line.line_total.amount - vat, line.line_total.amount)
            };
            // The billing system's quantity, with its unit price brought to the side of the
            // tax the file is on and rounded to cents (Sage's prices have cents), where its
            // quantity and unit price give its line total; else one unit of the line's
            // amount. Either way Sage's total may differ from the billing system's by a
            // cent, which the rounding line takes.
            let priced = !line.quantity.is_zero()
                && line.quantity * line.unit_price.amount == line.line_total.amount;
            let (quantity, unit) = if priced {
                let unit = match (inclusive, net_lines) {
                    (true, true) => round(line.unit_price.amount * (hundred + rate) / hundred),
                    (false, false) => round(line.unit_price.amount * hundred / (hundred + rate)),
                    _ => line.unit_price.amount,
                };
                // Sage wants the quantity positive and the direction in the price.
                if line.quantity.is_sign_negative() {
                    (-line.quantity.normalize(), -unit)
                } else {
                    (line.quantity.normalize(), unit)
                }
            } else {
                (Decimal::ONE, if inclusive { gross } else { net })
            };
            let (total, vat) = sage_total(quantity, unit, rate, inclusive, cents);
            let description = match line.description.split_whitespace().collect::<Vec<_>>() {
                words if words.is_empty() => format!("{what} {}", doc.number),
                words => words.join(" "),
            };
            SageLine {
                account: mapping
                    .account_of(&line.category)
                    .unwrap_or_default()
                    .to_string(),
                description,
                quantity,
                unit_price: unit * sign,
                tax_type: mapping
                    .tax_rate_of(line.vat_rate)
                    .unwrap_or_default()
                    .to_string(),
                vat_rate: Some(rate),
                vat: Some(in_cents(vat * sign, cents)),
                total: total * sign,
            }
        })
        .collect();
    let difference = doc.total.amount * sign - lines.iter().map(|l| l.total).sum::<Decimal>();
    if !difference.is_zero() {
        lines.push(SageLine {
            account: mapping.rounding_account.clone().unwrap_or_default(),
            description: ROUNDING_DESCRIPTION.to_string(),
            quantity: Decimal::ONE,
            unit_price: difference,
            tax_type: mapping
                .tax_rate_of(Decimal::ZERO)
                .unwrap_or_default()
                .to_string(),
            vat_rate: Some(Decimal::ZERO),
            vat: Some(in_cents(Decimal::ZERO, cents)),
            total: difference,
        });
    }
    lines
}

/// A line's total with VAT and its VAT, as Sage computes them from quantity, unit price and
/// rate: inclusive, the VAT is the part of the rounded total that is VAT; exclusive, the VAT
/// is added to the rounded net.
fn sage_total(
    quantity: Decimal,
    unit: Decimal,
    rate: Decimal,
    inclusive: bool,
    cents: u32,
) -> (Decimal, Decimal) {
    let hundred = Decimal::ONE_HUNDRED;
    let round = |amount: Decimal| {
        amount.round_dp_with_strategy(cents, RoundingStrategy::MidpointAwayFromZero)
    };
    let amount = round(quantity * unit);
    let vat = if inclusive {
        round(amount * rate / (hundred + rate))
    } else {
        round(amount * rate / hundred)
    };
    let total = if inclusive { amount } else { amount + vat };
    (in_cents(total, cents), in_cents(vat, cents))
}

/// The amount with its cents written out (`0.00`), as Sage shows amounts; multiplying a
/// zero drops them.
fn in_cents(mut amount: Decimal, cents: u32) -> Decimal {
    amount.rescale(cents);
    amount
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::model::{Currency, DocumentKind, DocumentLine, DocumentStatus, Lineage, Money};
    use crate::targets::mapping::{MappingSection, resolve};
    use crate::targets::sage::SAGE;

    fn eur(amount: Decimal) -> Money {
        Money {
            amount,
            currency: Currency::from_code("EUR").expect("EUR"),
        }
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).expect("decimal")
    }

    fn lineage() -> Lineage {
        Lineage {
            file_sha256: "ab".repeat(32),
            file_name: "invoice-lines.csv".to_string(),
            line: 2,
        }
    }

    /// A net line as billing systems write it: quantity × net unit price, VAT on the net
    /// rounded half away from zero.
    fn net_line(quantity: Decimal, unit: Decimal, rate: Decimal) -> DocumentLine {
        let net = quantity * unit;
        let vat = (net * rate / Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        DocumentLine {
            description: "Fibre".to_string(),
            quantity,
            unit_price: eur(unit),
            vat_rate: rate,
            vat_amount: eur(vat),
            line_total: eur(net),
            category: "service".to_string(),
            period_from: None,
            period_to: None,
            lineage: lineage(),
        }
    }

    fn document(total: Decimal, lines: Vec<DocumentLine>) -> Document {
        Document {
            number: "INV-1".to_string(),
            kind: DocumentKind::Invoice,
            customer_id: "C1".to_string(),
            customer_name: "Ada Lovelace".to_string(),
            issue_date: NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
            due_date: None,
            total: eur(total),
            status: DocumentStatus::Open,
            deleted: false,
            itemized: true,
            lines,
            lineage: lineage(),
        }
    }

    fn mapping(amounts: &str) -> Mapping {
        let spanned = |t: &str| toml::Spanned::new(0..1, t.to_string());
        let (mapping, problems) = resolve(
            Some(&MappingSection {
                amounts: Some(spanned(amounts)),
                default_account: Some(spanned("Sales")),
                rounding_account: Some(spanned("Rounding")),
                tax_rates: Some(
                    [
                        ("15", "Standard Rate"),
                        ("7", "Reduced"),
                        ("0", "Zero Rated"),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), spanned(v)))
                    .collect(),
                ),
                ..MappingSection::default()
            }),
            &SAGE,
        );
        assert!(problems.is_empty(), "{problems:?}");
        mapping
    }

    #[test]
    fn a_cent_lost_to_inclusive_unit_prices_goes_on_the_rounding_line() {
        // 3 × 0.99 net at 15%: the billing system's 2.97 + 0.45 VAT = 3.42; Sage's
        // inclusive unit price is 1.14 (1.1385 rounded), × 3 = 3.42 … and 7 × 0.99 at 15%:
        // 6.93 + 1.04 = 7.97 against 7 × 1.14 = 7.98, a cent too much.
        let doc = document(
            dec("7.97"),
            vec![net_line(dec("7"), dec("0.99"), dec("15"))],
        );
        let lines = lines(&mapping("inclusive"), &doc, Decimal::ONE);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(
            (lines[0].quantity, lines[0].unit_price, lines[0].total),
            (dec("7"), dec("1.14"), dec("7.98"))
        );
        // Sage's VAT is the part of the inclusive total that is VAT: 7.98 × 15 / 115.
        assert_eq!(lines[0].vat, Some(dec("1.04")));
        let rounding = &lines[1];
        assert_eq!(rounding.description, ROUNDING_DESCRIPTION);
        assert_eq!(rounding.account, "Rounding");
        assert_eq!(rounding.tax_type, "Zero Rated");
        assert_eq!(
            (rounding.unit_price, rounding.total),
            (dec("-0.01"), dec("-0.01"))
        );
    }

    #[test]
    fn lines_that_add_up_need_no_rounding_line() {
        let doc = document(
            dec("23.00"),
            vec![net_line(dec("2"), dec("10.00"), dec("15"))],
        );
        let lines = lines(&mapping("inclusive"), &doc, Decimal::ONE);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(
            (lines[0].unit_price, lines[0].total),
            (dec("11.50"), dec("23.00"))
        );
    }

    #[test]
    fn a_credit_notes_lines_and_rounding_are_positive() {
        let doc = document(
            dec("-7.97"),
            vec![net_line(dec("-7"), dec("0.99"), dec("15"))],
        );
        let lines = lines(&mapping("inclusive"), &doc, Decimal::NEGATIVE_ONE);
        assert_eq!(
            (lines[0].quantity, lines[0].unit_price),
            (dec("7"), dec("1.14"))
        );
        assert_eq!(lines[1].total, dec("-0.01"));
        assert_eq!(lines.iter().map(|l| l.total).sum::<Decimal>(), dec("7.97"));
    }

    fn line_strategy() -> impl Strategy<Value = DocumentLine> {
        (
            -20i64..40,
            1i64..500_000,
            prop::sample::select(vec![dec("0"), dec("7"), dec("15")]),
        )
            .prop_filter("a line has a quantity", |(q, _, _)| *q != 0)
            .prop_map(|(quantity, cents, rate)| {
                net_line(Decimal::from(quantity), Decimal::new(cents, 2), rate)
            })
    }

    proptest! {
        #[test]
        fn the_lines_sage_computes_always_add_up_to_the_ledgers_total(
            lines_in in prop::collection::vec(line_strategy(), 1..8),
            // A billing system may round the document's VAT once, not per line.
            off_by in -3i64..4,
            inclusive in any::<bool>(),
        ) {
            let sum: Decimal = lines_in
                .iter()
                .map(|l| l.line_total.amount + l.vat_amount.amount)
                .sum();
            let total = sum + Decimal::new(off_by, 2);
            let doc = document(total, lines_in);
            let mapping = mapping(if inclusive { "inclusive" } else { "exclusive" });
            let credit = total.is_sign_negative();
            let sign = if credit { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
            let rendered = lines(&mapping, &doc, sign);
            let sum_of_lines: Decimal = rendered.iter().map(|l| l.total).sum();
            prop_assert_eq!(sum_of_lines, total * sign);
            // Each total is what Sage computes from what the file says.
            for line in &rendered {
                let rate = line.vat_rate.unwrap_or_default();
                let (expected, _) = sage_total(line.quantity, line.unit_price, rate, inclusive, 2);
                prop_assert_eq!(line.total, expected, "{:?}", line);
                prop_assert!(line.quantity > Decimal::ZERO);
                prop_assert!(line.unit_price.scale() <= 2, "{:?}", line);
            }
            // At most one rounding line, last.
            let roundings = rendered.iter().filter(|l| l.description == ROUNDING_DESCRIPTION).count();
            prop_assert!(roundings <= 1);
        }
    }
}
