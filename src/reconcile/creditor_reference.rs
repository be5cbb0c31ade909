//! ISO 11649 RF creditor references in a payment: one whose reference part is an invoice's
//! number (`RF73INV20260042` for `INV-2026-0042`) names that invoice. Only a reference whose
//! check digits hold is used (see `rf`); one that fails is noted, never guessed at.

use super::reference::ambiguous;
use super::remittance::Written;
use super::rf;
use super::several::Named;
use super::{Book, Lookup, RULE_CREDITOR_REFERENCE, Trail};

/// What the RF references in a payment's fields said, field by field.
#[derive(Debug, Default)]
pub struct Reading {
    /// Every reference read, once (a payment may repeat it in several fields).
    seen: Vec<String>,
    /// Why a reference named no invoice.
    notes: Vec<String>,
}

impl Reading {
    /// Reads the RF references in one field: those that name a known invoice, each with
    /// where it starts.
    pub fn read(&mut self, written: &Written, book: &Book) -> Vec<(usize, Named)> {
        let mut named = Vec::new();
        for found in rf::find(&written.text) {
            if self.seen.contains(&found.reference) {
                continue;
            }
            self.seen.push(found.reference.clone());
            let reference = found.reference;
            if let Err(wrong) = found.check {
                self.notes.push(format!(
                    "{reference} has wrong check digits ({} mod 97 is {}, must be 1), so it is not used — a typing error, most likely",
                    wrong.number, wrong.remainder
                ));
                continue;
            }
            let body = &reference[4..];
            let says = |number: &str| {
                format!(
                    "creditor reference {reference} (check digits valid) names invoice {number}"
                )
            };
            let field = written.field.describe();
            match book.lookup(body) {
                Lookup::Exact(number) => named.push((
                    found.at,
                    Named {
                        says: says(&number),
                        aside: format!(", found in the payment's {field}"),
                        number,
                        loose: false,
                        rule: RULE_CREDITOR_REFERENCE,
                    },
                )),
                Lookup::Loose(number) => named.push((
                    found.at,
                    Named {
                        says: says(&number),
                        aside: format!(
                            ", found in the payment's {field}; {body} is the same number but for leading zeros"
                        ),
                        number,
                        loose: true,
                        rule: RULE_CREDITOR_REFERENCE,
                    },
                )),
                Lookup::Ambiguous(numbers) => self.notes.push(format!(
                    "{reference} (check digits valid): {}",
                    ambiguous(body, &numbers)
                )),
                Lookup::Unknown => self.notes.push(format!(
                    "{reference} (check digits valid) names {body}, which is not a known invoice number"
                )),
            }
        }
        named
    }

    /// Why the RF references placed nothing (a payment without one is the rule, not worth a
    /// word in every unmatched line).
    pub fn note(self, trail: &mut Trail) {
        for why in self.notes {
            trail.note(RULE_CREDITOR_REFERENCE, why);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{MatchKind, TransactionDetail};
    use crate::reconcile::reconcile_line;
    use crate::reconcile::reference_fixtures::{book, eur, line, settings};

    /// `RF` + check digits for the reference part `INV20260042`, and the same with a typo.
    const RF: &str = "RF73INV20260042";
    const RF_TYPO: &str = "RF73INV20260043";

    #[test]
    fn a_valid_rf_in_the_structured_field_pays_the_invoice_it_names() {
        let mut book = book(&[("INV-2026-0042", 1, "30.00")]);
        let mut line = line("30.00", "Danke");
        line.info.creditor_reference = RF.to_string();
        let matches = reconcile_line(&line, &mut book, &settings());
        assert_eq!(matches.len(), 1, "{matches:#?}");
        let m = &matches[0];
        assert_eq!(m.kind, MatchKind::Allocation);
        assert_eq!(m.rule, "creditor-reference");
        assert_eq!(m.confidence, 100);
        assert_eq!(m.document.as_deref(), Some("INV-2026-0042"));
        assert_eq!(
            m.explanation,
            "creditor reference RF73INV20260042 (check digits valid) names invoice INV-2026-0042 (customer C1 Ada), found in the payment's creditor reference field; EUR 30.00 pays it in full"
        );
    }

    #[test]
    fn the_structured_field_is_read_before_the_text() {
        let mut book = book(&[("INV-2026-0042", 1, "30.00"), ("INV-2026-7", 2, "20.00")]);
        let mut line = line("50.00", "RF20 INV2 0267");
        line.info.creditor_reference = RF.to_string();
        let matches = reconcile_line(&line, &mut book, &settings());
        let paid: Vec<Option<&str>> = matches.iter().map(|m| m.document.as_deref()).collect();
        assert_eq!(
            paid,
            [Some("INV-2026-0042"), Some("INV-2026-7")],
            "{matches:#?}"
        );
        assert!(
            matches[1]
                .explanation
                .contains("found in the payment's remittance text")
        );
    }

    #[test]
    fn a_wrong_rf_is_never_used_but_an_invoice_number_still_is() {
        let mut book = book(&[("INV-2026-0042", 1, "30.00"), ("INV-2026-0043", 1, "30.00")]);
        let mut line = line("30.00", "INV-2026-0042");
        line.info.creditor_reference = RF_TYPO.to_string();
        let matches = reconcile_line(&line, &mut book, &settings());
        assert_eq!(matches[0].rule, "invoice-reference");
        assert_eq!(matches[0].document.as_deref(), Some("INV-2026-0042"));
        assert_eq!(book.open_amount("INV-2026-0043"), Some(eur("30.00")));
    }

    #[test]
    fn an_rf_naming_no_known_invoice_says_so() {
        let mut book = book(&[("INV-2026-0001", 1, "30.00")]);
        let mut line = line("30.00", "Danke");
        line.info.creditor_reference = RF.to_string();
        let matches = reconcile_line(&line, &mut book, &settings());
        assert_eq!(matches[0].kind, MatchKind::Unmatched);
        assert_eq!(
            matches[0].explanation,
            "invoice-reference: no invoice number found in the reference fields or the remittance text; \
             creditor-reference: RF73INV20260042 (check digits valid) names INV20260042, which is not a known invoice number"
        );
    }

    #[test]
    fn each_itemised_payment_reads_its_own_reference() {
        let mut book = book(&[("INV-2026-0042", 1, "30.00"), ("INV-2026-7", 2, "20.00")]);
        let mut line = line("50.00", "");
        line.info.details = vec![
            TransactionDetail {
                amount: Some(eur("20.00")),
                creditor_reference: "RF20INV20267".to_string(),
                line: 10,
                ..TransactionDetail::default()
            },
            TransactionDetail {
                amount: Some(eur("30.00")),
                creditor_reference: RF.to_string(),
                line: 20,
                ..TransactionDetail::default()
            },
        ];
        let matches = reconcile_line(&line, &mut book, &settings());
        let paid: Vec<(Option<&str>, String)> = matches
            .iter()
            .map(|m| (m.document.as_deref(), m.amount.to_string()))
            .collect();
        assert_eq!(
            paid,
            [
                (Some("INV-2026-7"), "EUR 20.00".to_string()),
                (Some("INV-2026-0042"), "EUR 30.00".to_string())
            ],
            "{matches:#?}"
        );
        assert!(
            matches[0]
                .explanation
                .starts_with("payment 1 of 2 (line 10): creditor reference RF20INV20267")
        );
    }

    #[test]
    fn an_rf_and_an_invoice_number_in_one_payment_pay_both_each_under_its_rule() {
        let mut book = book(&[("INV-2026-0042", 1, "30.00"), ("INV-2026-0007", 2, "20.00")]);
        let mut line = line("50.00", "and INV-2026-0007");
        line.info.creditor_reference = RF.to_string();
        let matches = reconcile_line(&line, &mut book, &settings());
        let paid: Vec<(Option<&str>, &str)> = matches
            .iter()
            .map(|m| (m.document.as_deref(), m.rule.as_str()))
            .collect();
        assert_eq!(
            paid,
            [
                (Some("INV-2026-0042"), "creditor-reference"),
                (Some("INV-2026-0007"), "invoice-reference")
            ]
        );
    }
}
