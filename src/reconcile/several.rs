//! Paying the invoices a payment names by reference, when it names one or several: in which
//! order, and the words saying why.
//!
//! People write invoice numbers in any order, so the order written is the default. But when
//! the amount is exactly what the oldest of them have open, and not what the first ones
//! written have open, the payer meant those: paying oldest first settles whole invoices
//! instead of leaving one paid in part and one not at all. Either way no invoice gets more
//! than it has open, and what is left is the customer's credit (see `allocate`).

use super::allocate::{Placing, allocate, allocate_as};
use super::part::Part;
use super::{Book, RULE_CUSTOMER};
use crate::model::{BankLine, Match, MatchKind, Money};

/// How sure a match by a number written without its leading zeros is: it fits one invoice
/// only, but the payer did not write that invoice's number as it is.
const LOOSE_CONFIDENCE: u8 = 90;

/// How sure the money beyond the named invoices is of the customer's other invoices: sure
/// of the customer (they named their invoice), not of which other invoice they meant.
const REST_CONFIDENCE: u8 = 90;

/// One invoice a payment names, and how it names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub number: String,
    /// `the payment's remittance text names invoice INV-1`: the customer follows.
    pub says: String,
    /// What the explanation adds after the customer (`, written INV-01: …`); often empty.
    pub aside: String,
    /// Found with leading zeros set aside (see `Book::lookup`).
    pub loose: bool,
    /// The rule that found it: an invoice number, or an RF creditor reference.
    pub rule: &'static str,
}

/// Adds `named` unless its invoice is named already (the first naming is the one told).
pub fn add(all: &mut Vec<Named>, named: Named) {
    if !all.iter().any(|n| n.number == named.number) {
        all.push(named);
    }
}

/// Pays the named invoices (not empty) from the part, in the order the amounts call for.
/// Each allocation carries the rule that named its invoice; what is left, the first one's.
pub fn pay(line: &BankLine, part: &Part, named: &[Named], book: &mut Book) -> Vec<Match> {
    let written: Vec<String> = named.iter().map(|n| n.number.clone()).collect();
    let (numbers, why_order) = order(&written, part.amount, book);
    let first_rule = named.first().map_or(super::RULE_REFERENCE, |n| n.rule);
    let mut matches = allocate(
        line,
        part,
        &numbers,
        first_rule,
        |number, customer| {
            let Some(n) = named.iter().find(|n| n.number == number) else {
                return format!("the payment names invoice {number} (customer {customer})");
            };
            format!("{} (customer {customer}){}{why_order}", n.says, n.aside)
        },
        book,
    );
    for m in matches
        .iter_mut()
        .filter(|m| m.kind == MatchKind::Allocation)
    {
        let Some(n) = named
            .iter()
            .find(|n| m.document.as_deref() == Some(n.number.as_str()))
        else {
            continue;
        };
        m.rule = n.rule.to_string();
        if n.loose {
            m.confidence = LOOSE_CONFIDENCE;
        }
    }
    rest_to_other_invoices(line, part, named, matches, book)
}

/// With `reconcile.rest_pays_other_invoices`, the credit left once every named invoice is
/// paid in full pays the same customer's other open invoices, oldest first (as rule 2 pays
/// an identified customer's); whatever is still left stays their credit. People paying two
/// months at once often name only the newest invoice. Money naming an invoice already paid,
/// or invoices of several customers, is left as it was.
fn rest_to_other_invoices(
    line: &BankLine,
    part: &Part,
    named: &[Named],
    mut matches: Vec<Match>,
    book: &mut Book,
) -> Vec<Match> {
    if !book.settlement.rest_pays_other_invoices {
        return matches;
    }
    let Some(credit) = matches.last().filter(|m| m.kind == MatchKind::Credit) else {
        return matches;
    };
    let Some(customer) = credit.customer_id.clone() else {
        return matches;
    };
    let all_paid = named.iter().all(|n| {
        matches.iter().any(|m| {
            m.kind == MatchKind::Allocation && m.document.as_deref() == Some(n.number.as_str())
        }) && book
            .invoice(&n.number)
            .is_some_and(|d| d.customer_id.trim() == customer)
    });
    let currency = part.amount.currency;
    let others: Vec<String> = book
        .open_invoices_of(&customer)
        .filter(|n| !named.iter().any(|named| named.number == *n))
        .filter(|n| {
            book.invoice(n)
                .is_some_and(|d| d.total.currency == currency)
        })
        .map(str::to_string)
        .collect();
    if !all_paid || others.is_empty() {
        return matches;
    }
    let Some(credit) = matches.pop() else {
        return matches;
    };
    let rest = Part {
        amount: credit.amount,
        ..part.clone()
    };
    let paid: Vec<&str> = named.iter().map(|n| n.number.as_str()).collect();
    let paid = paid.join(", ");
    let placing = Placing {
        rule: RULE_CUSTOMER,
        confidence: REST_CONFIDENCE,
        invoices: &format!("{paid} and customer {customer}'s other open invoices"),
    };
    let due: Vec<(String, String)> = others
        .iter()
        .map(|n| {
            (
                n.clone(),
                book.due(n).map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let more = allocate_as(
        line,
        &rest,
        &others,
        &placing,
        |number, who| {
            let due = due
                .iter()
                .find(|(n, _)| n == number)
                .map_or("", |(_, d)| d.as_str());
            format!(
                "{} is left once {paid} is paid in full; the rest pays customer {who}'s other open invoices oldest first (reconcile.rest_pays_other_invoices): invoice {number}, due {due}",
                credit.amount
            )
        },
        book,
    );
    matches.extend(more);
    matches
}

/// The order to pay `written` in, and why (`; …`, empty for one invoice).
fn order(written: &[String], amount: Money, book: &Book) -> (Vec<String>, String) {
    if written.len() < 2 {
        return (written.to_vec(), String::new());
    }
    let mut oldest = written.to_vec();
    // Stable: invoices of one day stay in the order written; anything that is not an
    // invoice (it gets nothing) goes last.
    oldest.sort_by_key(|n| {
        let invoice = book.invoice(n);
        (invoice.is_none(), invoice.map(|d| d.issue_date))
    });
    let list = |numbers: &[String]| numbers.join(", ");
    match (fits(written, amount, book), fits(&oldest, amount, book)) {
        (None, Some(n)) if oldest != written => {
            let settled = list(&oldest[..n]);
            let why = format!(
                "; invoices paid oldest first ({}), not in the order written ({}): {amount} is exactly what {settled} had open, so the amounts say so",
                list(&oldest),
                list(written)
            );
            (oldest, why)
        }
        _ => (
            written.to_vec(),
            format!("; invoices paid in the order written ({})", list(written)),
        ),
    }
}

/// How many of `numbers`, from the first, have exactly `amount` open together.
fn fits(numbers: &[String], amount: Money, book: &Book) -> Option<usize> {
    let mut total = Money::zero(amount.currency);
    for (i, number) in numbers.iter().enumerate() {
        let open = book
            .open_amount(number)
            .filter(|open| open.currency == amount.currency);
        if let Some(open) = open {
            total.amount += open.amount;
        }
        if total == amount {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::reconcile_line;
    use crate::reconcile::reference_fixtures::{book, eur, line, settings};

    fn numbers(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn one_invoice_needs_no_order() {
        let book = book(&[("INV-2", 2, "50.00")]);
        assert_eq!(
            order(&numbers(&["INV-2"]), eur("10.00"), &book),
            (numbers(&["INV-2"]), String::new())
        );
    }

    #[test]
    fn the_order_written_is_kept_when_the_amount_fits_it_or_fits_neither() {
        let book = book(&[("INV-1", 1, "30.00"), ("INV-2", 2, "50.00")]);
        let written = numbers(&["INV-2", "INV-1"]);
        for amount in ["50.00", "80.00", "45.00", "100.00"] {
            let (order, why) = order(&written, eur(amount), &book);
            assert_eq!(order, written, "{amount}");
            assert_eq!(why, "; invoices paid in the order written (INV-2, INV-1)");
        }
    }

    #[test]
    fn the_oldest_first_when_the_amounts_say_so() {
        let book = book(&[
            ("INV-1", 1, "30.00"),
            ("INV-2", 2, "50.00"),
            ("INV-3", 3, "20.00"),
        ]);
        let (order, why) = order(&numbers(&["INV-3", "INV-2", "INV-1"]), eur("80.00"), &book);
        assert_eq!(order, numbers(&["INV-1", "INV-2", "INV-3"]));
        assert_eq!(
            why,
            "; invoices paid oldest first (INV-1, INV-2, INV-3), not in the order written (INV-3, INV-2, INV-1): EUR 80.00 is exactly what INV-1, INV-2 had open, so the amounts say so"
        );
    }

    #[test]
    fn what_is_open_counts_not_the_total() {
        let mut book = book(&[("INV-1", 1, "30.00"), ("INV-2", 2, "50.00")]);
        book.allocate("INV-1", eur("20.00"));
        // INV-1 has 10.00 open: 10.00 settles it, oldest first; 30.00 fits no prefix.
        let (first, _) = order(&numbers(&["INV-2", "INV-1"]), eur("10.00"), &book);
        assert_eq!(first, numbers(&["INV-1", "INV-2"]));
        let (first, _) = order(&numbers(&["INV-2", "INV-1"]), eur("30.00"), &book);
        assert_eq!(first, numbers(&["INV-2", "INV-1"]));
    }

    #[test]
    fn several_numbers_in_one_text_pay_several_invoices_each_saying_so() {
        let mut book = book(&[("INV-2026-0001", 1, "30.00"), ("INV-2026-0002", 2, "50.00")]);
        let line = line("100.00", "INV-2026-0002 + INV-2026-0001");
        let matches = reconcile_line(&line, &mut book, &settings());
        let said: Vec<(MatchKind, Option<&str>, String, &str)> = matches
            .iter()
            .map(|m| {
                (
                    m.kind,
                    m.document.as_deref(),
                    m.amount.to_string(),
                    m.explanation.as_str(),
                )
            })
            .collect();
        assert_eq!(
            said,
            [
                (
                    MatchKind::Allocation,
                    Some("INV-2026-0002"),
                    "EUR 50.00".to_string(),
                    "the payment's remittance text names invoice INV-2026-0002 (customer C1 Ada); invoices paid in the order written (INV-2026-0002, INV-2026-0001); EUR 50.00 pays it in full"
                ),
                (
                    MatchKind::Allocation,
                    Some("INV-2026-0001"),
                    "EUR 30.00".to_string(),
                    "the payment's remittance text names invoice INV-2026-0001 (customer C1 Ada); invoices paid in the order written (INV-2026-0002, INV-2026-0001); EUR 30.00 pays it in full"
                ),
                (
                    MatchKind::Credit,
                    None,
                    "EUR 20.00".to_string(),
                    "EUR 20.00 more than the named invoices had open; kept as credit for customer C1 Ada"
                ),
            ]
        );
    }

    #[test]
    fn a_payment_of_exactly_the_oldest_pays_it_and_leaves_the_newer_open() {
        let mut book = book(&[("INV-2026-0001", 1, "30.00"), ("INV-2026-0002", 2, "50.00")]);
        let line = line("30.00", "INV-2026-0002 INV-2026-0001");
        let matches = reconcile_line(&line, &mut book, &settings());
        assert_eq!(matches.len(), 1, "{matches:#?}");
        assert_eq!(matches[0].document.as_deref(), Some("INV-2026-0001"));
        assert!(
            matches[0].explanation.contains("invoices paid oldest first (INV-2026-0001, INV-2026-0002), not in the order written (INV-2026-0002, INV-2026-0001): EUR 30.00 is exactly what INV-2026-0001 had open, so the amounts say so"),
            "{}",
            matches[0].explanation
        );
        assert_eq!(book.open_amount("INV-2026-0002"), Some(eur("50.00")));
    }

    #[test]
    fn a_number_without_its_leading_zeros_is_less_sure() {
        let mut book = book(&[("INV-2026-0042", 1, "30.00")]);
        let matches = reconcile_line(&line("30.00", "INV-2026-42"), &mut book, &settings());
        assert_eq!(matches[0].confidence, LOOSE_CONFIDENCE);
        assert_eq!(
            matches[0].explanation,
            "the payment's remittance text names invoice INV-2026-0042 (customer C1 Ada), written INV-2026-42: the same number but for leading zeros; EUR 30.00 pays it in full"
        );
        let matches = reconcile_line(&line("30.00", "INV-2026-0042"), &mut book, &settings());
        assert_eq!(matches[0].kind, MatchKind::Credit);
        assert_eq!(matches[0].confidence, 100);
    }

    #[test]
    fn money_beyond_the_named_invoice_pays_the_customers_other_invoices_oldest_first() {
        let invoices = [
            ("INV-2026-0001", 1, "30.00"),
            ("INV-2026-0002", 2, "50.00"),
            ("INV-2026-0003", 3, "20.00"),
        ];
        let placed = |amount: &str, settings: &crate::pipeline::ReconcileSettings| {
            let mut book = book(&invoices);
            book.settlement = crate::reconcile::Settlement::of(settings);
            let matches = reconcile_line(
                &line(amount, "INV-2026-0002 Sept und Okt"),
                &mut book,
                settings,
            );
            matches
                .into_iter()
                .map(|m| {
                    (
                        m.kind,
                        m.document,
                        m.amount.to_string(),
                        m.rule,
                        m.explanation,
                    )
                })
                .collect::<Vec<_>>()
        };
        let two = placed("80.00", &settings());
        let said: Vec<_> = two
            .iter()
            .map(|(k, d, a, r, _)| (*k, d.as_deref(), a.as_str(), r.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                (
                    MatchKind::Allocation,
                    Some("INV-2026-0002"),
                    "EUR 50.00",
                    "invoice-reference"
                ),
                (
                    MatchKind::Allocation,
                    Some("INV-2026-0001"),
                    "EUR 30.00",
                    "customer"
                ),
            ]
        );
        assert!(
            two[1].4.contains("EUR 30.00 is left once INV-2026-0002 is paid in full; the rest pays customer C1 Ada's other open invoices oldest first (reconcile.rest_pays_other_invoices): invoice INV-2026-0001, due 2026-10-01; EUR 30.00 pays it in full"),
            "{}",
            two[1].4
        );
        let all = placed("110.00", &settings());
        let kinds: Vec<_> = all
            .iter()
            .map(|(k, d, a, _, _)| (*k, d.as_deref(), a.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (MatchKind::Allocation, Some("INV-2026-0002"), "EUR 50.00"),
                (MatchKind::Allocation, Some("INV-2026-0001"), "EUR 30.00"),
                (MatchKind::Allocation, Some("INV-2026-0003"), "EUR 20.00"),
                (MatchKind::Credit, None, "EUR 10.00"),
            ]
        );
        let off = crate::pipeline::ReconcileSettings {
            rest_pays_other_invoices: false,
            ..settings()
        };
        let credit = placed("80.00", &off);
        let kinds: Vec<_> = credit
            .iter()
            .map(|(k, d, a, _, _)| (*k, d.as_deref(), a.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (MatchKind::Allocation, Some("INV-2026-0002"), "EUR 50.00"),
                (MatchKind::Credit, None, "EUR 30.00"),
            ]
        );
    }
}
