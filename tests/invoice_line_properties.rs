//! Properties of line-level invoice exports: for any lines whose figures agree, the total
//! sluice derives is the sum of the lines' totals and VAT; a stated total equal to it is
//! accepted, and one a single cent off is refused on the document's row and total column.

mod common;

use common::{Company, LINE_SOURCES, LINES_HEADER, read_documents};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone)]
struct Line {
    quantity: Decimal,
    unit_price: Decimal,
    rate: Decimal,
}

fn line() -> impl Strategy<Value = Line> {
    (
        -6i64..=10,
        -50_000i64..=200_000,
        prop::sample::select(vec![0i64, 7, 19]),
    )
        .prop_map(|(halves, cents, rate)| Line {
            quantity: Decimal::new(halves * 5, 1),
            unit_price: Decimal::new(cents, 2),
            rate: Decimal::from(rate),
        })
}

fn cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The export's rows, each line's total and VAT rounded as billing systems do; and the
/// sum of the lines' totals plus their VAT.
fn export(lines: &[Line], stated: impl Fn(Decimal) -> String) -> (String, Decimal) {
    let figures: Vec<(Decimal, Decimal)> = lines
        .iter()
        .map(|l| {
            let net = cents(l.quantity * l.unit_price);
            (net, cents(net * l.rate / Decimal::ONE_HUNDRED))
        })
        .collect();
    let sum: Decimal = figures.iter().map(|(net, vat)| net + vat).sum();
    let mut text = LINES_HEADER.to_string();
    for (l, (net, vat)) in lines.iter().zip(&figures) {
        text.push_str(&format!(
            "INV-2026-0001,C1,Ada,2026-10-01,,EUR,open,0,Item,{},{},{},{vat},{net},service,,,{}\n",
            l.quantity,
            l.unit_price,
            l.rate,
            stated(sum)
        ));
    }
    (text, sum)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_derived_total_is_the_sum_of_the_lines_and_their_vat(
        lines in prop::collection::vec(line(), 1..8),
    ) {
        let company = Company::new();
        let pipeline =
            company.pipeline("keep", &LINE_SOURCES.replace("total = \"Invoice Total\"\n", ""));
        let (text, sum) = export(&lines, |_| String::new());
        let documents = read_documents(&pipeline, "invoice-lines-p.csv", text.as_bytes())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(documents.len(), 1);
        prop_assert_eq!(documents[0].total.amount, sum);
        prop_assert_eq!(documents[0].lines.len(), lines.len());
        prop_assert_eq!(documents[0].total.is_negative(), sum.is_sign_negative() && !sum.is_zero());
    }

    #[test]
    fn a_stated_total_is_accepted_when_it_is_the_sum_and_refused_one_cent_off(
        lines in prop::collection::vec(line(), 1..8),
        up in any::<bool>(),
    ) {
        let company = Company::new();
        let pipeline = company.pipeline("keep", LINE_SOURCES);
        let (exact, sum) = export(&lines, |s| s.to_string());
        let documents = read_documents(&pipeline, "invoice-lines-p.csv", exact.as_bytes())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(documents[0].total.amount, sum);

        let cent = Decimal::new(if up { 1 } else { -1 }, 2);
        let (off, _) = export(&lines, |s| (s + cent).to_string());
        let refused = read_documents(&pipeline, "invoice-lines-p.csv", off.as_bytes());
        let Err(e) = refused else {
            return Err(TestCaseError::fail("a total one cent off was accepted"));
        };
        prop_assert_eq!(e.line, Some(2));
        prop_assert_eq!(e.column.as_deref(), Some("Invoice Total"));
        prop_assert!(e.message.contains("is not the sum of its"), "{}", e);
    }
}
