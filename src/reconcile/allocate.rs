//! Putting money on invoices: in the order given, never beyond what is open; what is left
//! becomes the customer's credit, or waits for a person when no customer is known.
//!
//! Where money meets an invoice, `reconcile.tolerance` allows a small difference between the
//! payment and what the invoice has open. The invoice is then settled in full — its
//! allocation is its whole open amount — and the difference is a `difference` match booked
//! to `reconcile.tolerance_account`, never dropped. Sign convention: a difference is the
//! payment minus the open amount it settles.
//! - Paid EUR 29.85 on EUR 29.90 open: allocation EUR 29.90, difference EUR -0.05 (written
//!   off). The invoice has nothing open; the matches add up to the EUR 29.85 received.
//! - Paid EUR 29.93 on EUR 29.90 open: allocation EUR 29.90, difference EUR 0.03 (booked to
//!   the account instead of becoming the customer's credit).
//!
//! So the matches of a line always add up to its amount, and no invoice receives more than
//! it has open. A payment more than the tolerance short leaves the invoice partly paid; one
//! more than the tolerance over gives the customer the rest as credit.

use rust_decimal::Decimal;

use super::Book;
use super::part::Part;
use crate::model::{BankLine, Match, MatchKind, Money};
use crate::pipeline::{ReconcileSettings, Tolerance};

/// What the pipeline allows where money meets an invoice. Held by the book, because every
/// rule that pays invoices pays them here.
#[derive(Debug, Clone)]
pub struct Settlement {
    pub tolerance: Tolerance,
    /// `reconcile.credit_for_paid_invoices`: money naming an invoice that is already paid
    /// becomes its customer's credit (`true`), or waits for a person.
    pub credit_for_paid_invoices: bool,
    /// `reconcile.rest_pays_other_invoices`: money left once the named invoices are paid in
    /// full pays the customer's other open invoices, oldest first, before becoming credit.
    pub rest_pays_other_invoices: bool,
}

impl Settlement {
    pub fn of(settings: &ReconcileSettings) -> Settlement {
        Settlement {
            tolerance: settings.tolerance.clone(),
            credit_for_paid_invoices: settings.credit_for_paid_invoices,
            rest_pays_other_invoices: settings.rest_pays_other_invoices,
        }
    }
}

impl Default for Settlement {
    fn default() -> Settlement {
        Settlement::of(&ReconcileSettings::default())
    }
}

/// How a rule puts money on invoices.
pub struct Placing<'a> {
    pub rule: &'a str,
    pub confidence: u8,
    /// What the money was more than, when some is left: "the named invoices".
    pub invoices: &'a str,
}

/// A match for (part of) `line`, carrying the part's end-to-end id.
pub fn base(
    line: &BankLine,
    part: &Part,
    kind: MatchKind,
    amount: Money,
    rule: &str,
    confidence: u8,
    explanation: String,
) -> Match {
    Match {
        bank_line_id: line.id.clone(),
        kind,
        document: None,
        customer_id: None,
        amount,
        rule: rule.to_string(),
        confidence,
        explanation: format!("{}{explanation}", part.label),
        end_to_end_id: part.end_to_end_id.clone(),
        account: String::new(),
    }
}

/// Allocates the part's money to `numbers` (known invoice numbers) with full confidence.
/// `why` says, for one invoice, why the money is its: "the payment names invoice INV-1
/// (customer C1 Ada)".
pub fn allocate(
    line: &BankLine,
    part: &Part,
    numbers: &[String],
    rule: &str,
    why: impl Fn(&str, &str) -> String,
    book: &mut Book,
) -> Vec<Match> {
    let placing = Placing {
        rule,
        confidence: 100,
        invoices: "the named invoices",
    };
    allocate_as(line, part, numbers, &placing, why, book)
}

/// Allocates the part's money to `numbers` in that order, each paid in full before the next.
pub fn allocate_as(
    line: &BankLine,
    part: &Part,
    numbers: &[String],
    placing: &Placing<'_>,
    why: impl Fn(&str, &str) -> String,
    book: &mut Book,
) -> Vec<Match> {
    let currency = part.amount.currency;
    let money = |amount: Decimal| Money { amount, currency };
    let settlement = book.settlement.clone();
    let tolerance = settlement.tolerance.allowed(currency);
    // The `difference` between the payment and the invoice it settles; `what` says which way.
    let difference = |number: &str, who: &(String, String), amount: Decimal, what: String| {
        let booked = if amount.is_sign_negative() {
            "written off to"
        } else {
            "booked to"
        };
        Match {
            document: Some(number.to_string()),
            customer_id: Some(who.0.clone()),
            account: settlement.tolerance.account.clone(),
            ..base(
                line,
                part,
                MatchKind::Difference,
                money(amount),
                placing.rule,
                placing.confidence,
                format!(
                    "{what} (customer {}): within reconcile.tolerance of {}, the invoice is settled and {} is {booked} account {}",
                    customer_label(who),
                    money(tolerance),
                    money(amount.abs()),
                    settlement.tolerance.account
                ),
            )
        }
    };
    let mut matches = Vec::new();
    let mut remaining = part.amount.amount;
    let mut customer: Option<(String, String)> = None;
    let mut notes: Vec<String> = Vec::new();
    let mut already_paid: Vec<&str> = Vec::new();
    // The last invoice money went to, and its customer: what a difference over it names.
    let mut last_paid: Option<(&str, (String, String))> = None;
    for number in numbers {
        let Some(invoice) = book.invoice(number) else {
            continue;
        };
        let who = (invoice.customer_id.clone(), invoice.customer_name.clone());
        let total = invoice.total;
        if total.currency != currency {
            notes.push(format!(
                "invoice {number} is in {}, the payment in {currency}",
                total.currency
            ));
            continue;
        }
        customer.get_or_insert(who.clone());
        let open = match book.open_amount(number) {
            Some(open) if !open.is_zero() => open,
            _ => {
                notes.push(format!(
                    "invoice {number} is already {}",
                    book.state_word(number)
                ));
                already_paid.push(number);
                continue;
            }
        };
        if remaining.is_zero() {
            notes.push(format!("nothing was left for invoice {number}"));
            continue;
        }
        let short = open.amount - remaining;
        // Short by no more than the tolerance: the invoice is settled all the same.
        let settles_short = short > Decimal::ZERO && short <= tolerance;
        let paid = money(if settles_short {
            open.amount
        } else {
            remaining.min(open.amount)
        });
        remaining -= paid.amount;
        book.pay(number, paid, &part.end_to_end_id, &line.id);
        last_paid = Some((number, who.clone()));
        let left = money(open.amount - paid.amount);
        let effect = if settles_short {
            format!(
                "{paid} settles it: the payment is {} short, within reconcile.tolerance",
                money(short)
            )
        } else if left.is_zero() {
            format!("{paid} pays it in full")
        } else {
            format!("{paid} pays it in part; {left} of {total} stays open")
        };
        let allocation = Match {
            document: Some(number.clone()),
            customer_id: Some(who.0.clone()),
            ..base(
                line,
                part,
                MatchKind::Allocation,
                paid,
                placing.rule,
                placing.confidence,
                format!("{}; {effect}", why(number, &customer_label(&who))),
            )
        };
        matches.push(allocation);
        if settles_short {
            matches.push(difference(
                number,
                &who,
                -short,
                format!(
                    "{} short of the {open} invoice {number} had open",
                    money(short)
                ),
            ));
            remaining = Decimal::ZERO;
        }
    }

    if remaining.is_zero() {
        return matches;
    }
    let rest = money(remaining);
    let context = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    // Over by no more than the tolerance: the difference, not credit.
    if remaining <= tolerance
        && let Some((number, who)) = &last_paid
    {
        matches.push(difference(
            number,
            who,
            remaining,
            format!("{rest} more than invoice {number} had open"),
        ));
        return matches;
    }
    match customer {
        Some(who) if !already_paid.is_empty() && !settlement.credit_for_paid_invoices => {
            matches.push(base(
                line,
                part,
                MatchKind::Unmatched,
                rest,
                super::RULE_NONE,
                0,
                format!(
                    "{rest} is left{context}; with reconcile.credit_for_paid_invoices = false it is not kept as credit for customer {}: a person decides where it goes",
                    customer_label(&who)
                ),
            ));
        }
        Some((id, name)) => matches.push(Match {
            customer_id: Some(id.clone()),
            ..base(
                line,
                part,
                MatchKind::Credit,
                rest,
                placing.rule,
                placing.confidence,
                format!(
                    "{rest} more than {} had open{context}; kept as credit for customer {}",
                    placing.invoices,
                    customer_label(&(id, name))
                ),
            )
        }),
        None => matches.push(base(
            line,
            part,
            MatchKind::Unmatched,
            rest,
            super::RULE_NONE,
            0,
            format!("names {} but cannot be placed{context}", numbers.join(", ")),
        )),
    }
    matches
}

pub fn customer_label((id, name): &(String, String)) -> String {
    if name.is_empty() {
        id.clone()
    } else {
        format!("{id} {name}")
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::reconcile::fixtures::{invoice, line};
    use crate::reconcile::{RULE_REFERENCE, reconcile_line};

    fn settings(tolerance: &str) -> ReconcileSettings {
        ReconcileSettings {
            tolerance: Tolerance {
                any: tolerance.parse().expect("an amount"),
                account: "6855".to_string(),
                ..Tolerance::default()
            },
            ..ReconcileSettings::default()
        }
    }

    fn placed(settings: &ReconcileSettings, text: &str, minor: i64) -> (Vec<Match>, Book) {
        let mut book = Book::new(settings);
        book.upsert(invoice("INV-2026-0001", "C1", 15, 2990));
        book.upsert(invoice("INV-2026-0002", "C1", 20, 1990));
        let matches = reconcile_line(&line("L1", 20, "", text, minor), &mut book, settings);
        (matches, book)
    }

    fn sum(matches: &[Match]) -> Decimal {
        matches.iter().map(|m| m.amount.amount).sum()
    }

    #[test]
    fn a_payment_short_by_no_more_than_the_tolerance_settles_the_invoice_and_writes_off_the_rest() {
        let (matches, book) = placed(&settings("0.05"), "INV-2026-0001", 2985);
        let kinds: Vec<(MatchKind, i64)> = matches
            .iter()
            .map(|m| (m.kind, m.amount.to_minor().expect("cents")))
            .collect();
        assert_eq!(
            kinds,
            [(MatchKind::Allocation, 2990), (MatchKind::Difference, -5)]
        );
        assert_eq!(sum(&matches), Decimal::new(2985, 2));
        assert!(
            book.open_amount("INV-2026-0001")
                .expect("an invoice")
                .is_zero()
        );
        let difference = &matches[1];
        assert_eq!(difference.document.as_deref(), Some("INV-2026-0001"));
        assert_eq!(difference.account, "6855");
        assert_eq!(difference.rule, RULE_REFERENCE);
        assert!(
            difference
                .explanation
                .contains("written off to account 6855"),
            "{}",
            difference.explanation
        );
    }

    #[test]
    fn a_payment_over_by_no_more_than_the_tolerance_books_the_rest_instead_of_credit() {
        let (matches, book) = placed(&settings("0.05"), "INV-2026-0001", 2993);
        let kinds: Vec<(MatchKind, i64)> = matches
            .iter()
            .map(|m| (m.kind, m.amount.to_minor().expect("cents")))
            .collect();
        assert_eq!(
            kinds,
            [(MatchKind::Allocation, 2990), (MatchKind::Difference, 3)]
        );
        assert!(
            book.open_amount("INV-2026-0001")
                .expect("an invoice")
                .is_zero()
        );
        assert!(matches[1].explanation.contains("booked to account 6855"));
    }

    #[test]
    fn beyond_the_tolerance_the_invoice_stays_partly_paid_or_the_rest_is_credit() {
        let (short, book) = placed(&settings("0.05"), "INV-2026-0001", 2984);
        assert_eq!(short.len(), 1);
        assert_eq!(
            book.open_amount("INV-2026-0001"),
            Some(crate::reconcile::fixtures::eur(6))
        );
        // The rest pays the customer's other open invoice, or with that off is credit.
        let (over, _) = placed(&settings("0.05"), "INV-2026-0001", 2996);
        assert_eq!(
            (over[1].kind, over[1].document.as_deref()),
            (MatchKind::Allocation, Some("INV-2026-0002"))
        );
        let to_credit = ReconcileSettings {
            rest_pays_other_invoices: false,
            ..settings("0.05")
        };
        let (over, _) = placed(&to_credit, "INV-2026-0001", 2996);
        assert_eq!(over[1].kind, MatchKind::Credit);
    }

    #[test]
    fn without_a_tolerance_a_cent_short_stays_open() {
        let (matches, book) = placed(&ReconcileSettings::default(), "INV-2026-0001", 2989);
        assert_eq!(matches.len(), 1);
        assert_eq!(
            book.open_amount("INV-2026-0001"),
            Some(crate::reconcile::fixtures::eur(1))
        );
    }

    #[test]
    fn of_several_named_invoices_the_one_the_money_runs_out_on_is_settled_within_the_tolerance() {
        let (matches, book) = placed(&settings("0.05"), "INV-2026-0001 INV-2026-0002", 4978);
        assert_eq!(sum(&matches), Decimal::new(4978, 2));
        assert!(
            book.open_amount("INV-2026-0002")
                .expect("an invoice")
                .is_zero()
        );
        assert_eq!(matches.last().expect("a match").kind, MatchKind::Difference);
    }

    #[test]
    fn money_for_a_paid_invoice_waits_for_a_person_when_the_pipeline_says_so() {
        let no_credit = ReconcileSettings {
            credit_for_paid_invoices: false,
            ..ReconcileSettings::default()
        };
        let mut book = Book::new(&no_credit);
        book.upsert(invoice("INV-2026-0001", "C1", 15, 2990));
        reconcile_line(
            &line("L1", 20, "", "INV-2026-0001", 2990),
            &mut book,
            &no_credit,
        );
        let again = reconcile_line(
            &line("L2", 21, "", "INV-2026-0001", 2990),
            &mut book,
            &no_credit,
        );
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].kind, MatchKind::Unmatched);
        assert!(
            again[0]
                .explanation
                .contains("reconcile.credit_for_paid_invoices = false"),
            "{}",
            again[0].explanation
        );

        let mut book = Book::new(&ReconcileSettings::default());
        book.upsert(invoice("INV-2026-0001", "C1", 15, 2990));
        let settings = ReconcileSettings::default();
        reconcile_line(
            &line("L1", 20, "", "INV-2026-0001", 2990),
            &mut book,
            &settings,
        );
        let again = reconcile_line(
            &line("L2", 21, "", "INV-2026-0001", 2990),
            &mut book,
            &settings,
        );
        assert_eq!(again[0].kind, MatchKind::Credit);
    }
}
