//! Rule: the references a payment gives name the invoices it pays. Its fields are read in
//! order (see `remittance`: structured fields first, then the remittance text), each for
//! ISO 11649 RF creditor references (see `creditor_reference`) and for invoice numbers
//! found by the pipeline's patterns — tolerant of case, spaces and missing separators
//! (`inv 2026 0042`, `INV2026-0042`) and of missing leading zeros (`INV-2026-42`) as long
//! as that fits one invoice only. Every invoice named is paid (see `several`); when none is,
//! the trail says what each kind of reference found.

use super::allocate::customer_label;
use super::creditor_reference;
use super::customer;
use super::part::Part;
use super::remittance::{Field, Written};
use super::several::{self, Named};
use super::{Book, Lookup, RULE_REFERENCE, Trail};
use crate::model::{BankLine, Match};
use crate::pipeline::ReconcileSettings;

/// Pays the invoices the part's references name; `None`, with the reasons in `trail`, when
/// they name none that is known.
pub fn by_reference(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
    trail: &mut Trail,
) -> Option<Vec<Match>> {
    let mut named: Vec<Named> = Vec::new();
    let mut numbers = Numbers::default();
    let mut rfs = creditor_reference::Reading::default();
    for written in &part.remittance {
        let mut found = rfs.read(written, book);
        found.extend(numbers.read(written, book, settings));
        // In the order written within the field.
        found.sort_by_key(|(at, _)| *at);
        for (_, n) in found {
            several::add(&mut named, n);
        }
    }
    if let Some(first) = named.first() {
        if let Some(why) = payer_conflict(line, part, &named, book) {
            trail.note(first.rule, why);
            return Some(trail.unmatched(line, part));
        }
        return Some(several::pay(line, part, &named, book));
    }
    numbers.note(trail);
    rfs.note(trail);
    None
}

/// Why the invoices a payment names are not trusted, when none of them is of a customer
/// the money comes from (by their own account, mandate or gateway reference: see
/// `customer::payers`) while the money does come from a known customer. A slip of one digit names another customer's invoice as
/// surely as the right one; the account is the payer's own evidence, so when the two
/// disagree neither decides. `None` when they agree, or nothing says who paid.
fn payer_conflict(line: &BankLine, part: &Part, named: &[Named], book: &Book) -> Option<String> {
    let payers = customer::payers(line, part, book);
    if payers.is_empty() {
        return None;
    }
    let owners: Vec<(&str, String)> = named
        .iter()
        .filter_map(|n| {
            let invoice = book.invoice(&n.number)?;
            Some((n.number.as_str(), invoice.customer_id.trim().to_string()))
        })
        .collect();
    let agree = owners
        .iter()
        .any(|(_, owner)| payers.iter().any(|(payer, _)| payer == owner));
    if owners.is_empty() || agree {
        return None;
    }
    let label = |id: &str| {
        customer_label(&(
            id.to_string(),
            book.customers.name(id).unwrap_or_default().to_string(),
        ))
    };
    let invoices = owners
        .iter()
        .map(|(number, owner)| format!("invoice {number} of customer {}", label(owner)))
        .collect::<Vec<_>>()
        .join(", ");
    let from = payers
        .iter()
        .map(|(id, words)| format!("customer {} ({words})", label(id)))
        .collect::<Vec<_>>()
        .join(" or ");
    Some(format!(
        "the payment names {invoices}, but the money comes from {from}: a mistyped number, or one customer paying for another — a person must choose"
    ))
}

/// What a payment's fields say of invoice numbers that name no invoice.
#[derive(Debug, Default)]
struct Numbers {
    /// Numbers as written that are no known document's.
    unknown: Vec<String>,
    /// Numbers as written that fit several documents once leading zeros are set aside.
    ambiguous: Vec<(String, Vec<String>)>,
}

impl Numbers {
    /// Reads the invoice numbers in one field: the known ones, each with where it starts.
    fn read(
        &mut self,
        written: &Written,
        book: &Book,
        settings: &ReconcileSettings,
    ) -> Vec<(usize, Named)> {
        let mut named = Vec::new();
        for found in settings.invoice_pattern.find_iter(&written.text) {
            let at = found.start();
            let found = found.as_str().trim();
            let says = |number: &str| {
                format!(
                    "the payment's {} names invoice {number}",
                    written.field.describe()
                )
            };
            match book.lookup(found) {
                Lookup::Exact(number) => named.push((
                    at,
                    Named {
                        says: says(&number),
                        number,
                        aside: String::new(),
                        loose: false,
                        rule: RULE_REFERENCE,
                    },
                )),
                Lookup::Loose(number) => named.push((
                    at,
                    Named {
                        says: says(&number),
                        aside: format!(", written {found}: the same number but for leading zeros"),
                        number,
                        loose: true,
                        rule: RULE_REFERENCE,
                    },
                )),
                Lookup::Ambiguous(numbers) => {
                    if !self.ambiguous.iter().any(|(f, _)| f == found) {
                        self.ambiguous.push((found.to_string(), numbers));
                    }
                }
                Lookup::Unknown => {
                    if !self.unknown.iter().any(|u| u == found) {
                        self.unknown.push(found.to_string());
                    }
                }
            }
        }
        named
    }

    /// Why the invoice numbers placed nothing.
    fn note(&self, trail: &mut Trail) {
        let check = "check for a typo, or whether the invoice export is missing";
        match self.unknown.as_slice() {
            [] if self.ambiguous.is_empty() => trail.note(
                RULE_REFERENCE,
                "no invoice number found in the reference fields or the remittance text",
            ),
            [] => {}
            [one] => trail.note(
                RULE_REFERENCE,
                format!("mentions {one}, which is not a known invoice number — {check}"),
            ),
            several => trail.note(
                RULE_REFERENCE,
                format!(
                    "mentions {}, which are not known invoice numbers — {check}",
                    several.join(", ")
                ),
            ),
        }
        for (found, numbers) in &self.ambiguous {
            trail.note(RULE_REFERENCE, ambiguous(found, numbers));
        }
    }
}

/// The known invoice numbers `text` mentions, in order, and the numbers it mentions that
/// are not known (or could be several).
pub fn invoices_named(
    text: &str,
    book: &Book,
    settings: &ReconcileSettings,
) -> (Vec<String>, Vec<String>) {
    let written = Written {
        field: Field::RemittanceText,
        text: text.to_string(),
    };
    let mut numbers = Numbers::default();
    let mut known: Vec<String> = Vec::new();
    for (_, named) in numbers.read(&written, book, settings) {
        if !known.contains(&named.number) {
            known.push(named.number);
        }
    }
    let unknown = numbers
        .unknown
        .into_iter()
        .chain(numbers.ambiguous.into_iter().map(|(found, _)| found))
        .collect();
    (known, unknown)
}

/// `INV-2026-42 could be invoice INV-2026-0042 or INV-2026-042 …`.
pub fn ambiguous(found: &str, numbers: &[String]) -> String {
    let either = match numbers.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => numbers.join(""),
    };
    format!(
        "{found} could be invoice {either} (leading zeros aside), so it names none of them — pair it by hand"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::DEFAULT_INVOICE_PATTERN;
    use crate::reconcile::reconcile_line;
    use crate::reconcile::reference_fixtures::{self as fixtures, line};

    fn book(numbers: &[&str]) -> Book {
        let invoices: Vec<(&str, u32, &str)> = numbers.iter().map(|n| (*n, 1, "10.00")).collect();
        fixtures::book(&invoices)
    }

    fn settings(pattern: &str) -> ReconcileSettings {
        ReconcileSettings {
            invoice_pattern: regex::Regex::new(pattern).unwrap(),
            ..fixtures::settings()
        }
    }

    /// The invoices the fields name, and what they say of numbers naming none.
    fn read_all(written: &[Written], book: &Book, pattern: &str) -> (Vec<Named>, Numbers) {
        let mut named = Vec::new();
        let mut numbers = Numbers::default();
        for w in written {
            for (_, n) in numbers.read(w, book, &settings(pattern)) {
                several::add(&mut named, n);
            }
        }
        (named, numbers)
    }

    fn read(text: &str, book: &Book) -> (Vec<Named>, Numbers) {
        let written = [Written {
            field: Field::RemittanceText,
            text: text.to_string(),
        }];
        read_all(&written, book, DEFAULT_INVOICE_PATTERN)
    }

    fn numbers((named, _): &(Vec<Named>, Numbers)) -> Vec<(&str, bool)> {
        named.iter().map(|n| (n.number.as_str(), n.loose)).collect()
    }

    #[test]
    fn separators_case_and_leading_zeros_are_tolerated() {
        let book = book(&["INV-2026-0042"]);
        for text in ["INV 2026 0042", "inv2026-0042", "INV20260042"] {
            assert_eq!(
                numbers(&read(text, &book)),
                [("INV-2026-0042", false)],
                "{text}"
            );
        }
        for text in ["INV-2026-42", "inv 2026 042", "INV2026/42"] {
            assert_eq!(
                numbers(&read(text, &book)),
                [("INV-2026-0042", true)],
                "{text}"
            );
        }
        assert!(numbers(&read("INV-2026-4200", &book)).is_empty());
        assert!(numbers(&read("INV-202-642", &book)).is_empty());
    }

    #[test]
    fn a_loose_number_fitting_two_invoices_names_neither_and_an_exact_one_wins() {
        let book = book(&["INV-2026-0042", "INV-2026-042"]);
        let (named, m) = read("INV-2026-42", &book);
        assert!(named.is_empty());
        assert_eq!(
            m.ambiguous,
            [(
                "INV-2026-42".to_string(),
                vec!["INV-2026-0042".to_string(), "INV-2026-042".to_string()]
            )]
        );
        assert_eq!(
            ambiguous(&m.ambiguous[0].0, &m.ambiguous[0].1),
            "INV-2026-42 could be invoice INV-2026-0042 or INV-2026-042 (leading zeros aside), so it names none of them — pair it by hand"
        );
        assert_eq!(
            numbers(&read("INV-2026-042", &book)),
            [("INV-2026-042", false)]
        );
        assert_eq!(
            numbers(&read("inv 2026 0042", &book)),
            [("INV-2026-0042", false)]
        );
    }

    #[test]
    fn structured_fields_are_read_before_the_text_and_say_so() {
        let book = book(&["INV-2026-0001", "INV-2026-0002"]);
        let written = [
            Written {
                field: Field::EndToEndId,
                text: "ACME-INV-2026-0002".to_string(),
            },
            Written {
                field: Field::RemittanceText,
                text: "INV-2026-0001 and INV-2026-0002".to_string(),
            },
        ];
        let m = read_all(&written, &book, DEFAULT_INVOICE_PATTERN);
        assert_eq!(
            numbers(&m),
            [("INV-2026-0002", false), ("INV-2026-0001", false)]
        );
        assert_eq!(
            m.0[0].says,
            "the payment's end-to-end id names invoice INV-2026-0002"
        );
        assert_eq!(
            m.0[1].says,
            "the payment's remittance text names invoice INV-2026-0001"
        );
    }

    #[test]
    fn every_pattern_of_the_list_finds_its_numbers() {
        let book = book(&["INV-2026-0042", "2026-10-77"]);
        let written = [Written {
            field: Field::RemittanceText,
            text: "Rechnung 2026-10-77 und INV-2026-0042".to_string(),
        }];
        let joined = crate::pipeline::joined_pattern(&[
            DEFAULT_INVOICE_PATTERN.to_string(),
            r"\b\d{4}-\d{2}-\d{2}\b".to_string(),
        ])
        .unwrap();
        let m = read_all(&written, &book, joined.as_str());
        assert_eq!(
            numbers(&m),
            [("2026-10-77", false), ("INV-2026-0042", false)]
        );
    }

    #[test]
    fn unknown_numbers_are_listed_once() {
        let book = book(&["INV-2026-0001"]);
        let (_, m) = read("INV-2026-9999, INV-2026-9999 and INV-2026-9998", &book);
        assert_eq!(m.unknown, ["INV-2026-9999", "INV-2026-9998"]);
    }

    #[test]
    fn an_unmatched_line_says_what_each_reference_rule_found() {
        let mut book = book(&["INV-2026-0042", "INV-2026-042"]);
        let matches = reconcile_line(
            &line(
                "10.00",
                "INV-2026-9999 and INV-2026-42, RF19 5390 0754 7034",
            ),
            &mut book,
            &fixtures::settings(),
        );
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].rule, "none");
        assert_eq!(
            matches[0].explanation,
            "invoice-reference: mentions INV-2026-9999, which is not a known invoice number — check for a typo, or whether the invoice export is missing; \
             invoice-reference: INV-2026-42 could be invoice INV-2026-0042 or INV-2026-042 (leading zeros aside), so it names none of them — pair it by hand; \
             creditor-reference: RF19539007547034 has wrong check digits (539007547034271519 mod 97 is 2, must be 1), so it is not used — a typing error, most likely"
        );
        let matches = reconcile_line(
            &line("10.00", "Miete Oktober"),
            &mut book,
            &fixtures::settings(),
        );
        assert_eq!(
            matches[0].explanation,
            "invoice-reference: no invoice number found in the reference fields or the remittance text"
        );
    }
}
