//! Rule 2, customer identified: money whose payer is one customer (by the evidence in
//! `customers`) pays that customer's open invoices oldest first; the rest is their credit.
//! A customer without an open invoice in the payment's currency gets the money as credit, or
//! — with `reconcile.credit_without_invoice = false` — it waits for a person.
//!
//! Evidence that fits two customers or more chooses none: the trail names each with its
//! evidence. Customers whose partner is on the partners-ignore list are never chosen.
//!
//! Money out to an identified customer with credit (a refund) takes it off that credit when
//! `reconcile.refunds_reduce_credit` is set.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::allocate::{Placing, allocate_as, base, customer_label};
use super::customers::{Evidence, Payer};
use super::part::Part;
use super::{Book, RULE_OUTGOING, Trail};
use crate::model::{BankLine, GatewayRole, Match, MatchKind, Money};
use crate::pipeline::ReconcileSettings;

pub const RULE_CUSTOMER: &str = "customer";

/// Sure of the customer, not of which invoice they meant: below a reference's 100.
const CONFIDENCE: u8 = 90;

/// Who the part's payer is, as far as the evidence goes.
enum Identified {
    Nobody,
    One {
        id: String,
        label: String,
        /// "counterparty IBAN DE… is on customer C1's record; mandate M-1 is C1's".
        evidence: String,
    },
    /// "C1 Ada (counterparty IBAN … is on customer C1's record), C2 Bob (…)".
    Several(String),
}

/// Every customer the part's payer points at, with the evidence for each, leaving out the
/// customers of partners on the partners-ignore list. `text` is where a customer number or
/// login may be written (empty: look at the accounts only); `paid_before` whether an
/// account that paid a customer's invoice before counts.
fn evidence(
    line: &BankLine,
    part: &Part,
    book: &Book,
    text: &str,
    paid_before: bool,
) -> BTreeMap<String, Vec<Evidence>> {
    let gateway_reference = line
        .info
        .gateway
        .as_ref()
        .filter(|g| g.role == GatewayRole::Payment && !g.customer_reference.trim().is_empty())
        .map(|g| (g.gateway.name(), g.customer_reference.as_str()));
    let payer = Payer {
        account: &part.counterparty_account,
        name: &part.counterparty,
        mandate_id: &part.mandate_id,
        text,
        gateway_reference,
    };
    let mut found = if paid_before {
        book.customers.identify(&payer)
    } else {
        book.customers.identify_own(&payer)
    };
    found.retain(|id, _| !book.ignored.is_kept_out(id));
    found
}

/// The customers the payment comes from by their own account (the IBAN on their record, or
/// one a person paired with them), their mandate or a gateway's customer reference — what
/// the payment says of who paid, not of whom it is for (the text may name someone else: a
/// parent paying for a child). An account that merely paid a customer's invoice before does
/// not count: one account paying several customers' invoices (a parent, an employer, a
/// social services office) is ordinary. Each with the evidence in words.
pub fn payers(line: &BankLine, part: &Part, book: &Book) -> Vec<(String, String)> {
    evidence(line, part, book, "", false)
        .into_iter()
        .map(|(id, evidence)| {
            let words = evidence
                .iter()
                .map(|e| e.describe(&id))
                .collect::<Vec<_>>()
                .join("; ");
            (id, words)
        })
        .collect()
}

fn identify(line: &BankLine, part: &Part, book: &Book, settings: &ReconcileSettings) -> Identified {
    let text = if settings.customer_in_text {
        part.haystack.as_str()
    } else {
        ""
    };
    let found = evidence(line, part, book, text, true);
    let label = |id: &str| {
        customer_label(&(
            id.to_string(),
            book.customers.name(id).unwrap_or_default().to_string(),
        ))
    };
    let words = |id: &str, evidence: &[Evidence]| {
        evidence
            .iter()
            .map(|e| e.describe(id))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match found.len() {
        0 => Identified::Nobody,
        1 => {
            let (id, evidence) = found.into_iter().next().expect("one customer");
            Identified::One {
                label: label(&id),
                evidence: words(&id, &evidence),
                id,
            }
        }
        _ => Identified::Several(
            found
                .iter()
                .map(|(id, evidence)| format!("{} ({})", label(id), words(id, evidence)))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// Rule 2 for money in. `None`, with the reason in `trail`, when no single customer is
/// identified; once one is, this rule decides.
pub fn by_customer(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
    trail: &mut Trail,
) -> Option<Vec<Match>> {
    if !settings.by_customer {
        return None;
    }
    let (id, label, evidence) = match identify(line, part, book, settings) {
        Identified::One {
            id,
            label,
            evidence,
        } => (id, label, evidence),
        Identified::Nobody => {
            let text = if settings.customer_in_text {
                ", a mandate or a customer number in the text"
            } else {
                " or a mandate (reconcile.customer_in_text = false)"
            };
            trail.note(
                RULE_CUSTOMER,
                format!("no customer is known by the counterparty account{text}"),
            );
            return None;
        }
        Identified::Several(who) => {
            trail.note(
                RULE_CUSTOMER,
                format!("the payment fits several customers — {who}: a person must choose"),
            );
            return None;
        }
    };
    let currency = part.amount.currency;
    let numbers: Vec<String> = book
        .open_invoices_of(&id)
        .filter(|n| {
            book.invoice(n)
                .is_some_and(|d| d.total.currency == currency)
        })
        .map(str::to_string)
        .collect();
    if numbers.is_empty() {
        if !settings.credit_without_invoice {
            trail.note(
                RULE_CUSTOMER,
                format!(
                    "customer {label} ({evidence}) has no open invoice in {currency}; with reconcile.credit_without_invoice = false the money is not kept as their credit: a person decides"
                ),
            );
            return Some(trail.unmatched(line, part));
        }
        return Some(vec![Match {
            customer_id: Some(id),
            ..base(
                line,
                part,
                MatchKind::Credit,
                part.amount,
                RULE_CUSTOMER,
                CONFIDENCE,
                format!(
                    "customer {label} ({evidence}) has no open invoice in {currency}: {} kept as their credit",
                    part.amount
                ),
            )
        }]);
    }
    let invoices = format!("customer {id}'s open invoices");
    let placing = Placing {
        rule: RULE_CUSTOMER,
        confidence: CONFIDENCE,
        invoices: &invoices,
    };
    let due: Vec<(String, String)> = numbers
        .iter()
        .map(|n| {
            let due = book.due(n).map(|d| d.to_string()).unwrap_or_default();
            (n.clone(), due)
        })
        .collect();
    Some(allocate_as(
        line,
        part,
        &numbers,
        &placing,
        |number, customer| {
            let due = due
                .iter()
                .find(|(n, _)| n == number)
                .map(|(_, d)| d.as_str())
                .unwrap_or_default();
            format!(
                "customer {customer} identified ({evidence}); their open invoices are paid oldest first: invoice {number}, due {due}"
            )
        },
        book,
    ))
}

/// Money out to an identified customer: a refund of their credit, as far as it goes; the
/// rest is money out. `None` when the setting is off or the payee is not one customer.
pub fn refund(
    line: &BankLine,
    part: &Part,
    book: &Book,
    settings: &ReconcileSettings,
) -> Option<Vec<Match>> {
    if !settings.refunds_reduce_credit {
        return None;
    }
    let Identified::One {
        id,
        label,
        evidence,
    } = identify(line, part, book, settings)
    else {
        return None;
    };
    let currency = part.amount.currency;
    let money = |amount: Decimal| Money { amount, currency };
    let credit = book.customers.credit(&id, currency);
    let out = -part.amount.amount;
    if credit <= Decimal::ZERO {
        return Some(vec![base(
            line,
            part,
            MatchKind::Outgoing,
            part.amount,
            RULE_OUTGOING,
            100,
            format!(
                "money out ({}) to customer {label} ({evidence}), who has no credit in {currency} with us: recorded, not matched",
                part.amount
            ),
        )]);
    }
    let taken = out.min(credit);
    let mut matches = vec![Match {
        customer_id: Some(id),
        ..base(
            line,
            part,
            MatchKind::Credit,
            money(-taken),
            RULE_CUSTOMER,
            CONFIDENCE,
            format!(
                "refund to customer {label} ({evidence}): takes {} off their credit of {}, leaving {}",
                money(taken),
                money(credit),
                money(credit - taken)
            ),
        )
    }];
    if out > taken {
        matches.push(base(
            line,
            part,
            MatchKind::Outgoing,
            money(taken - out),
            RULE_OUTGOING,
            100,
            format!(
                "{} more than customer {label}'s credit of {}: recorded as money out",
                money(out - taken),
                money(credit)
            ),
        ));
    }
    Some(matches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::fixtures::{customer, eur, invoice, line};
    use crate::reconcile::{RULE_NONE, RULE_REFERENCE, reconcile_line};

    const ADA: &str = "DE89370400440532013000";
    const BOB: &str = "DE44500105175407324931";

    fn book(settings: &ReconcileSettings) -> Book {
        let mut book = Book::new(settings);
        book.customers.update(&customer("C10001", ADA));
        book.customers.update(&customer("C10002", BOB));
        book.upsert(invoice("INV-2026-0003", "C10001", 20, 2990));
        book.upsert(invoice("INV-2026-0001", "C10001", 10, 1990));
        book.upsert(invoice("INV-2026-0002", "C10001", 15, 990));
        book.upsert(invoice("INV-2026-0009", "C10002", 15, 4990));
        book
    }

    fn kinds(matches: &[Match]) -> Vec<(MatchKind, Option<&str>, i64)> {
        matches
            .iter()
            .map(|m| {
                (
                    m.kind,
                    m.document.as_deref(),
                    m.amount.to_minor().expect("cents"),
                )
            })
            .collect()
    }

    #[test]
    fn the_iban_on_the_record_pays_the_customers_oldest_invoices_first() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let matches = reconcile_line(&line("L1", 20, ADA, "Oktober", 3500), &mut book, &settings);
        assert_eq!(
            kinds(&matches),
            [
                (MatchKind::Allocation, Some("INV-2026-0001"), 1990),
                (MatchKind::Allocation, Some("INV-2026-0002"), 990),
                (MatchKind::Allocation, Some("INV-2026-0003"), 520),
            ]
        );
        assert!(matches.iter().all(|m| m.rule == RULE_CUSTOMER));
        assert!(matches.iter().all(|m| m.confidence == CONFIDENCE));
        assert!(
            matches[0].explanation.contains(&format!(
                "counterparty IBAN {ADA} is on customer C10001's record"
            )),
            "{}",
            matches[0].explanation
        );
        assert!(
            matches[2]
                .explanation
                .contains("EUR 24.70 of EUR 29.90 stays open")
        );
    }

    #[test]
    fn an_account_that_paid_by_reference_identifies_the_customer_next_time() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let account = "GB82WEST12345698765432";
        let first = reconcile_line(
            &line("L1", 3, account, "INV-2026-0009", 1000),
            &mut book,
            &settings,
        );
        assert_eq!(first[0].rule, RULE_REFERENCE);
        let next = reconcile_line(&line("L2", 4, account, "", 3990), &mut book, &settings);
        assert_eq!(
            kinds(&next),
            [(MatchKind::Allocation, Some("INV-2026-0009"), 3990)]
        );
        assert!(
            next[0].explanation.contains(&format!(
                "counterparty IBAN {account} paid C10002's invoice INV-2026-0009 on 2026-10-03"
            )),
            "{}",
            next[0].explanation
        );
    }

    #[test]
    fn a_reference_to_another_customers_invoice_from_a_known_account_waits() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let slip = line("L1", 20, ADA, "INV-2026-0009", 4990);
        let matches = reconcile_line(&slip, &mut book, &settings);
        assert_eq!(kinds(&matches), [(MatchKind::Unmatched, None, 4990)]);
        assert!(
            matches[0].explanation.contains(&format!(
                "invoice-reference: the payment names invoice INV-2026-0009 of customer C10002 Name of C10002, but the money comes from customer C10001 Name of C10001 (counterparty IBAN {ADA} is on customer C10001's record): a mistyped number, or one customer paying for another — a person must choose"
            )),
            "{}",
            matches[0].explanation
        );
        assert_eq!(
            book.open_amount("INV-2026-0009").map(|o| o.is_zero()),
            Some(false)
        );
        // From Bob's own account, from an account nobody knows, or naming one of Ada's
        // invoices too, the reference is trusted.
        for (account, text) in [
            (BOB, "INV-2026-0009"),
            ("DE02120300000000202051", "INV-2026-0009"),
            (ADA, "INV-2026-0009 INV-2026-0001"),
        ] {
            let mut book = self::book(&settings);
            let matches =
                reconcile_line(&line("L1", 20, account, text, 4990), &mut book, &settings);
            assert_eq!(
                matches[0].document.as_deref(),
                Some("INV-2026-0009"),
                "{account} {text}"
            );
            assert_eq!(matches[0].rule, RULE_REFERENCE);
        }
    }

    #[test]
    fn an_account_that_paid_one_customer_before_may_pay_another() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let parent = "DE02120300000000202051";
        let first = line("L1", 20, parent, "INV-2026-0001", 1990);
        assert_eq!(
            reconcile_line(&first, &mut book, &settings)[0].rule,
            RULE_REFERENCE
        );
        let second = line("L2", 21, parent, "INV-2026-0009", 4990);
        let matches = reconcile_line(&second, &mut book, &settings);
        assert_eq!(
            kinds(&matches),
            [(MatchKind::Allocation, Some("INV-2026-0009"), 4990)]
        );
    }

    #[test]
    fn a_customer_number_in_the_text_counts_unless_switched_off() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let payment = line("L1", 20, "", "Kd-Nr. C10002, danke", 4990);
        let matches = reconcile_line(&payment, &mut book, &settings);
        assert_eq!(
            kinds(&matches),
            [(MatchKind::Allocation, Some("INV-2026-0009"), 4990)]
        );
        assert!(
            matches[0]
                .explanation
                .contains("the text names customer number C10002")
        );

        let off = ReconcileSettings {
            customer_in_text: false,
            by_amount_and_date: false,
            ..ReconcileSettings::default()
        };
        let mut book = self::book(&off);
        let matches = reconcile_line(&payment, &mut book, &off);
        assert_eq!(matches[0].kind, MatchKind::Unmatched);
        assert!(
            matches[0]
                .explanation
                .contains("reconcile.customer_in_text = false")
        );
    }

    #[test]
    fn evidence_for_two_customers_chooses_neither_and_says_who() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let matches = reconcile_line(
            &line("L1", 20, ADA, "for C10002", 1234),
            &mut book,
            &settings,
        );
        assert_eq!(kinds(&matches), [(MatchKind::Unmatched, None, 1234)]);
        let why = &matches[0].explanation;
        assert!(why.contains("fits several customers"), "{why}");
        assert!(
            why.contains("C10001 Name of C10001 (counterparty IBAN"),
            "{why}"
        );
        assert!(
            why.contains("C10002 Name of C10002 (the text names customer number C10002)"),
            "{why}"
        );
    }

    #[test]
    fn a_mandate_identifies_the_customer() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let mut bob = customer("C10002", BOB);
        bob.mandate_id = "M-0002".to_string();
        book.customers.update(&bob);
        let mut payment = line("L1", 20, "", "", 4990);
        payment.info.mandate_id = "m-0002".to_string();
        let matches = reconcile_line(&payment, &mut book, &settings);
        assert_eq!(
            kinds(&matches),
            [(MatchKind::Allocation, Some("INV-2026-0009"), 4990)]
        );
        assert!(
            matches[0]
                .explanation
                .contains("mandate m-0002 is C10002's")
        );
    }

    #[test]
    fn a_customer_without_an_open_invoice_gets_credit_only_when_the_pipeline_says_so() {
        let kept = ReconcileSettings {
            credit_without_invoice: true,
            ..ReconcileSettings::default()
        };
        let mut book = book(&kept);
        reconcile_line(&line("L1", 20, BOB, "", 4990), &mut book, &kept);
        let matches = reconcile_line(&line("L2", 21, BOB, "", 1500), &mut book, &kept);
        assert_eq!(kinds(&matches), [(MatchKind::Credit, None, 1500)]);
        assert_eq!(matches[0].customer_id.as_deref(), Some("C10002"));
        assert!(
            matches[0]
                .explanation
                .contains("has no open invoice in EUR")
        );
        assert_eq!(
            book.customers.credit("C10002", eur(0).currency),
            eur(1500).amount
        );

        let waits = ReconcileSettings::default();
        let mut book = self::book(&waits);
        reconcile_line(&line("L1", 20, BOB, "", 4990), &mut book, &waits);
        let matches = reconcile_line(&line("L2", 21, BOB, "", 1500), &mut book, &waits);
        assert_eq!(kinds(&matches), [(MatchKind::Unmatched, None, 1500)]);
        assert_eq!(matches[0].rule, RULE_NONE);
        assert!(
            matches[0]
                .explanation
                .contains("reconcile.credit_without_invoice = false"),
            "{}",
            matches[0].explanation
        );
    }

    #[test]
    fn a_learned_pairing_identifies_the_customer_and_is_quoted() {
        let settings = ReconcileSettings::default();
        let mut book = book(&settings);
        let origin = "learned from pairing 20261123T101500Z-000007 on 2026-11-23";
        book.customers.learn("", "A Payer", "C10002", origin);
        let matches = reconcile_line(&line("L1", 20, "", "", 4990), &mut book, &settings);
        assert_eq!(
            kinds(&matches),
            [(MatchKind::Allocation, Some("INV-2026-0009"), 4990)]
        );
        assert!(matches[0].explanation.contains(origin));
        assert!(book.customers.forget("", "a payer", "C10002"));
    }

    #[test]
    fn a_refund_takes_what_it_can_off_the_customers_credit() {
        let settings = ReconcileSettings {
            refunds_reduce_credit: true,
            ..ReconcileSettings::default()
        };
        let mut book = book(&settings);
        let over = reconcile_line(
            &line("L1", 20, BOB, "INV-2026-0009", 6000),
            &mut book,
            &settings,
        );
        assert_eq!(over[1].kind, MatchKind::Credit);
        let refund = reconcile_line(
            &line("L2", 21, BOB, "Erstattung", -1500),
            &mut book,
            &settings,
        );
        assert_eq!(
            kinds(&refund),
            [
                (MatchKind::Credit, None, -1010),
                (MatchKind::Outgoing, None, -490)
            ]
        );
        assert!(
            refund[0]
                .explanation
                .contains("takes EUR 10.10 off their credit of EUR 10.10")
        );
        assert_eq!(
            book.customers.credit("C10002", eur(0).currency),
            eur(0).amount
        );

        let again = reconcile_line(&line("L3", 22, BOB, "", -100), &mut book, &settings);
        assert_eq!(kinds(&again), [(MatchKind::Outgoing, None, -100)]);
        assert!(again[0].explanation.contains("who has no credit in EUR"));
    }
}
