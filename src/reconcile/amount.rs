//! Rule 3, amount and date: money that names no invoice and no known customer pays the one
//! open invoice (of any customer) with exactly its amount open and due within
//! `reconcile.amount_and_date_days` of the booking date. An amount alone is a guess, so the
//! match says so (confidence 80) and teaches nothing about the payer. Two candidates or more
//! never match: a subscription business bills the same amount to thousands of customers,
//! and choosing one of them would pay the wrong customer's invoice.

use chrono::{Days, NaiveDate};

use super::allocate::{Placing, allocate_as};
use super::part::Part;
use super::{Book, Trail};
use crate::model::{BankLine, Match};
use crate::pipeline::ReconcileSettings;

pub const RULE_AMOUNT_AND_DATE: &str = "amount-and-date";

const CONFIDENCE: u8 = 80;

/// How many candidates the trail names before it only counts.
const NAMED: usize = 3;

pub fn by_amount_and_date(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
    trail: &mut Trail,
) -> Option<Vec<Match>> {
    if !settings.by_amount_and_date {
        return None;
    }
    let days = settings.amount_and_date_days;
    let window = Days::new(u64::from(days));
    let date = line.booking_date;
    let from = date.checked_sub_days(window).unwrap_or(date);
    let to = date.checked_add_days(window).unwrap_or(date);
    let within = format!("due within {days} days of the booking date {date}");
    let candidates = book.open_invoices_of_amount(part.amount, from, to);
    // Counted, and the first few named, without collecting them all: a business billing
    // one price to thousands has thousands of candidates.
    let (count, first): (usize, Vec<&str>) =
        candidates.fold((0, Vec::new()), |(count, mut first), number| {
            if first.len() <= NAMED {
                first.push(number);
            }
            (count + 1, first)
        });
    let mut by_name = None;
    let number = match first.as_slice() {
        [number] => number.to_string(),
        [] => {
            trail.note(
                RULE_AMOUNT_AND_DATE,
                format!("no open invoice of {} {within}", part.amount),
            );
            return None;
        }
        several => {
            let mut named = several[..several.len().min(NAMED)].join(", ");
            if count > NAMED {
                named.push_str(&format!(" and {} more", count - NAMED));
            }
            let choose = format!(
                "{count} open invoices of {} {within} ({named})",
                part.amount
            );
            match of_customers_named(part, book, from, to) {
                Narrowed::One { number, name } => {
                    by_name = Some(format!(
                        "{choose}, and {number} is the only one of a customer the text names ({name})"
                    ));
                    number
                }
                Narrowed::NoName => {
                    trail.note(
                        RULE_AMOUNT_AND_DATE,
                        format!("{choose}: a person must choose"),
                    );
                    return None;
                }
                Narrowed::Still(why) => {
                    trail.note(
                        RULE_AMOUNT_AND_DATE,
                        format!("{choose}; {why}: a person must choose"),
                    );
                    return None;
                }
            }
        }
    };
    let due = book.due(&number).map(|d| d.to_string()).unwrap_or_default();
    let placing = Placing {
        rule: RULE_AMOUNT_AND_DATE,
        confidence: CONFIDENCE,
        invoices: "the invoice of its amount",
    };
    Some(allocate_as(
        line,
        part,
        std::slice::from_ref(&number),
        &placing,
        |number, customer| match &by_name {
            Some(why) => format!(
                "{why}: invoice {number} (customer {customer}), due {due} — matched by amount, date and name, worth a look"
            ),
            None => format!(
                "invoice {number} (customer {customer}) is the only open invoice of {} {within}: it is due {due} — matched by amount and date alone, worth a look",
                part.amount
            ),
        },
        book,
    ))
}

/// What the customer names written in the text leave of the candidates.
enum Narrowed {
    /// The text names no customer.
    NoName,
    One {
        number: String,
        name: String,
    },
    /// None, or several, of the named customers' invoices fit: why, in words.
    Still(String),
}

/// The candidates of the part's amount and window that are invoices of a customer whose
/// full name the text writes (`Internet fuer Anna Schmidt`): a relative paying from an
/// account never seen often writes whom it is for. Found through the named customers'
/// own open invoices, never by reading every candidate.
fn of_customers_named(part: &Part, book: &Book, from: NaiveDate, to: NaiveDate) -> Narrowed {
    let named = book.customers.named_in(&part.haystack);
    if named.is_empty() {
        return Narrowed::NoName;
    }
    let fits: Vec<(&str, &str)> = named
        .iter()
        .flat_map(|id| book.open_invoices_of(id).map(move |n| (n, id.as_str())))
        .filter(|(n, _)| {
            book.open_amount(n) == Some(part.amount)
                && book.due(n).is_some_and(|due| from <= due && due <= to)
        })
        .collect();
    let name = |id: &str| book.customers.name(id).unwrap_or(id).to_string();
    match fits.as_slice() {
        [(number, id)] => Narrowed::One {
            number: number.to_string(),
            name: name(id),
        },
        [] => Narrowed::Still(format!(
            "the text names {}, with no such invoice",
            names(&named, &name)
        )),
        several => Narrowed::Still(format!(
            "the text names {}, who have {} of them",
            names(&named, &name),
            several.len()
        )),
    }
}

/// `Anna Schmidt (C1, C2)`: the names, each once, with the customers of that name.
fn names(ids: &std::collections::BTreeSet<String>, name: &impl Fn(&str) -> String) -> String {
    let mut by_name: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for id in ids {
        by_name.entry(name(id)).or_default().push(id);
    }
    by_name
        .iter()
        .map(|(name, ids)| format!("{name} ({})", ids.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MatchKind;
    use crate::reconcile::fixtures::{invoice, line};
    use crate::reconcile::reconcile_line;

    fn book(settings: &ReconcileSettings) -> Book {
        let mut book = Book::new(settings);
        book.upsert(invoice("INV-2026-0001", "C1", 15, 2990));
        book.upsert(invoice("INV-2026-0002", "C2", 15, 4990));
        book.upsert(invoice("INV-2026-0003", "C3", 31, 4990));
        book
    }

    #[test]
    fn the_only_invoice_of_the_amount_due_near_the_booking_date_is_paid_with_less_confidence() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let matches = reconcile_line(&line("L1", 20, "", "Internet", 2990), &mut book, &settings);
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].kind, MatchKind::Allocation);
        assert_eq!(matches[0].document.as_deref(), Some("INV-2026-0001"));
        assert_eq!(
            (matches[0].rule.as_str(), matches[0].confidence),
            (RULE_AMOUNT_AND_DATE, 80)
        );
        let why = &matches[0].explanation;
        assert!(
            why.contains("only open invoice of EUR 29.90 due within 30 days"),
            "{why}"
        );
        assert!(why.contains("due 2026-10-15"), "{why}");
    }

    #[test]
    fn two_candidates_never_match_and_the_trail_names_them() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let matches = reconcile_line(&line("L1", 20, "", "", 4990), &mut book, &settings);
        assert_eq!(matches[0].kind, MatchKind::Unmatched);
        assert!(
            matches[0].explanation.contains(
                "amount-and-date: 2 open invoices of EUR 49.90 due within 30 days of the booking date 2026-10-20 (INV-2026-0002, INV-2026-0003): a person must choose"
            ),
            "{}",
            matches[0].explanation
        );
    }

    #[test]
    fn the_window_decides_which_invoices_are_candidates() {
        let settings = ReconcileSettings {
            amount_and_date_days: 5,
            ..ReconcileSettings::default()
        };
        let mut book = book(&settings);
        let matches = reconcile_line(&line("L1", 12, "", "", 4990), &mut book, &settings);
        assert_eq!(matches[0].document.as_deref(), Some("INV-2026-0002"));
        let late = reconcile_line(&line("L2", 24, "", "", 2990), &mut book, &settings);
        assert_eq!(late[0].kind, MatchKind::Unmatched);
        assert!(
            late[0]
                .explanation
                .contains("no open invoice of EUR 29.90 due within 5 days")
        );
    }

    /// Two Anna Schmidts, one Peter Weber, each with an open invoice.
    fn named_book(settings: &ReconcileSettings) -> Book {
        let mut book = Book::new(settings);
        for (id, name) in [
            ("C1", "Anna Schmidt"),
            ("C2", "Peter Weber"),
            ("C3", "Anna Schmidt"),
        ] {
            book.customers.update(&crate::model::Customer {
                name: name.to_string(),
                ..crate::reconcile::fixtures::customer(id, "")
            });
        }
        book.upsert(invoice("INV-2026-0001", "C1", 15, 2990));
        book.upsert(invoice("INV-2026-0002", "C2", 15, 2990));
        book.upsert(invoice("INV-2026-0003", "C3", 15, 4990));
        book
    }

    #[test]
    fn of_several_candidates_the_one_of_a_customer_the_text_names_is_paid() {
        let settings = ReconcileSettings::default();
        let mut book = named_book(&settings);
        let text = "Internet fuer Anna Schmidt";
        let matches = reconcile_line(&line("L1", 20, "", text, 2990), &mut book, &settings);
        assert_eq!(
            (matches[0].kind, matches[0].document.as_deref()),
            (MatchKind::Allocation, Some("INV-2026-0001"))
        );
        assert_eq!(matches[0].confidence, CONFIDENCE);
        let why = &matches[0].explanation;
        assert!(
            why.contains("2 open invoices of EUR 29.90 due within 30 days of the booking date 2026-10-20 (INV-2026-0001, INV-2026-0002), and INV-2026-0001 is the only one of a customer the text names (Anna Schmidt)"),
            "{why}"
        );
    }

    #[test]
    fn a_name_that_fits_no_candidate_or_several_chooses_none() {
        let settings = ReconcileSettings::default();
        let mut book = named_book(&settings);
        book.upsert(invoice("INV-2026-0004", "C3", 16, 2990));
        let cases = [
            ("Internet", "3 open invoices of EUR 29.90"),
            ("fuer Paul Klee", "3 open invoices of EUR 29.90"),
            (
                "fuer Anna Schmidt",
                "the text names Anna Schmidt (C1, C3), who have 2 of them: a person must choose",
            ),
        ];
        for (text, says) in cases {
            let matches = reconcile_line(&line("L1", 20, "", text, 2990), &mut book, &settings);
            assert_eq!(matches[0].kind, MatchKind::Unmatched, "{text}");
            assert!(
                matches[0].explanation.contains(says),
                "{text}: {}",
                matches[0].explanation
            );
        }
        let text = "fuer Peter Weber";
        let matches = reconcile_line(&line("L2", 20, "", text, 4990), &mut book, &settings);
        assert_eq!(
            matches[0].document.as_deref(),
            Some("INV-2026-0003"),
            "the only one"
        );
        let mut book = named_book(&settings);
        book.upsert(invoice("INV-2026-0005", "C1", 16, 4990));
        let matches = reconcile_line(&line("L3", 20, "", text, 4990), &mut book, &settings);
        assert!(
            matches[0]
                .explanation
                .contains("the text names Peter Weber (C2), with no such invoice"),
            "{}",
            matches[0].explanation
        );
    }
}
