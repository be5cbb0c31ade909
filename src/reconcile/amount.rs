//! Rule 3, amount and date: money that names no invoice and no known customer pays the one
//! open invoice (of any customer) with exactly its amount open and due within
//! `reconcile.amount_and_date_days` of the booking date. An amount alone is a guess, so the
//! match says so (confidence 80) and teaches nothing about the payer. Two candidates or more
//! never match: a subscription business bills the same amount to thousands of customers,
//! and choosing one of them would pay the wrong customer's invoice.

use chrono::Days;

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
    let candidates: Vec<String> = book
        .open_invoices_of_amount(part.amount, from, to)
        .map(str::to_string)
        .collect();
    let within = format!("due within {days} days of the booking date {date}");
    let [number] = candidates.as_slice() else {
        trail.note(
            RULE_AMOUNT_AND_DATE,
            if candidates.is_empty() {
                format!("no open invoice of {} {within}", part.amount)
            } else {
                let mut named = candidates[..candidates.len().min(NAMED)].join(", ");
                if candidates.len() > NAMED {
                    named.push_str(&format!(" and {} more", candidates.len() - NAMED));
                }
                format!(
                    "{} open invoices of {} {within} ({named}): a person must choose",
                    candidates.len(),
                    part.amount
                )
            },
        );
        return None;
    };
    let due = book.due(number).map(|d| d.to_string()).unwrap_or_default();
    let placing = Placing {
        rule: RULE_AMOUNT_AND_DATE,
        confidence: CONFIDENCE,
        invoices: "the invoice of its amount",
    };
    Some(allocate_as(
        line,
        part,
        std::slice::from_ref(number),
        &placing,
        |number, customer| {
            format!(
                "invoice {number} (customer {customer}) is the only open invoice of {} {within}: it is due {due} — matched by amount and date alone, worth a look",
                part.amount
            )
        },
        book,
    ))
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
}
