//! Money back that a bank books without the end-to-end id of the payment it takes back —
//! a bank CSV's `Rücklastschrift INV-2026-0042 Mandat M-7 AC04`: money out whose references
//! name an invoice that a bank line from the very same account paid exactly this amount.
//! That payment is taken back and the invoice is open again by that much, as a return
//! carrying its end-to-end id does (see `direct_debit::money_back`).
//!
//! The same account, the same amount and the invoice named must all agree, and only one
//! payment may fit; anything less is ordinary money out. Money back to a customer who holds
//! that much credit is not taken as a return: it is as likely the refund of a payment made
//! twice (the second one became their credit), and reopening the invoice the first one paid
//! would be wrong. It stays money out, or reduces their credit where the pipeline says so
//! (see `customer::refund`).

use super::allocate::base;
use super::part::Part;
use super::reference::invoices_named;
use super::{Book, RULE_RETURN};
use crate::model::{BankLine, Match, MatchKind};
use crate::pipeline::ReconcileSettings;

/// Sure of the payment (its account, amount and invoice agree), though the bank did not
/// say which it was.
const CONFIDENCE: u8 = 90;

/// `what` is the kind of money back in words: "return (AC04 …)", "money back".
pub fn by_reference(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
    what: &str,
) -> Option<Vec<Match>> {
    let account = part.counterparty_account.trim();
    if account.is_empty() || !part.amount.is_negative() {
        return None;
    }
    let back = -part.amount;
    let (named, _) = invoices_named(&part.haystack, book, settings);
    let fits: Vec<(String, String)> = named
        .into_iter()
        .filter_map(|invoice| {
            let paid = book.receipts.paid_exactly(account, &invoice, back)?;
            Some((invoice, paid.bank_line_id.clone()))
        })
        .collect();
    let [(invoice, paid_by)] = fits.as_slice() else {
        return None;
    };
    let customer = book.invoice(invoice).map(|d| d.customer_id.clone())?;
    if book.customers.credit(&customer, back.currency) >= back.amount {
        return None;
    }
    book.allocate(invoice, part.amount);
    Some(vec![Match {
        document: Some(invoice.clone()),
        customer_id: Some(customer),
        ..base(
            line,
            part,
            MatchKind::Reversal,
            part.amount,
            RULE_RETURN,
            CONFIDENCE,
            format!(
                "{what} naming invoice {invoice}, to the account {account} that paid it: takes back the {back} bank line {paid_by} paid to it (same account, same amount; the bank gives no end-to-end id), so the invoice is open again by that much"
            ),
        )
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::fixtures::{customer, eur, invoice, line};
    use crate::reconcile::{Outcome, outcome, reconcile_line};

    const ADA: &str = "DE89370400440532013000";
    const BOB: &str = "DE44500105175407324931";

    /// Ada's invoice, paid by a line from her account naming it.
    fn paid(settings: &ReconcileSettings) -> Book {
        let mut book = open(settings);
        let paid = line("L1", 5, ADA, "SEPA-Lastschrift INV-2026-0001", 2990);
        let matches = reconcile_line(&paid, &mut book, settings);
        assert_eq!(matches[0].kind, MatchKind::Allocation);
        book
    }

    #[test]
    fn a_return_naming_the_invoice_to_the_account_that_paid_it_reopens_it() {
        let settings = ReconcileSettings::default();
        let mut book = paid(&settings);
        let back = line(
            "L2",
            11,
            ADA,
            "Ruecklastschrift INV-2026-0001 AC04 Konto erloschen",
            -2990,
        );
        let matches = reconcile_line(&back, &mut book, &settings);
        assert_eq!(matches.len(), 1);
        let m = &matches[0];
        assert_eq!(
            (m.kind, m.document.as_deref(), m.rule.as_str(), m.confidence),
            (MatchKind::Reversal, Some("INV-2026-0001"), RULE_RETURN, 90)
        );
        assert_eq!(m.amount, -eur(2990));
        assert!(
            m.explanation
                .contains("takes back the EUR 29.90 bank line L1"),
            "{}",
            m.explanation
        );
        assert_eq!(
            book.open_amount("INV-2026-0001")
                .and_then(|o| o.to_minor().ok()),
            Some(2990)
        );
        assert_eq!(outcome(&matches, &book), Outcome::Returned);
        // Taken back once: the same return again is ordinary money out.
        let again = line("L3", 12, ADA, "Ruecklastschrift INV-2026-0001", -2990);
        let matches = reconcile_line(&again, &mut book, &settings);
        assert_eq!(matches[0].kind, MatchKind::Outgoing);
    }

    #[test]
    fn another_account_another_amount_or_no_invoice_named_is_money_out() {
        let settings = ReconcileSettings::default();
        for (account, text, minor) in [
            (BOB, "Ruecklastschrift INV-2026-0001", -2990),
            (ADA, "Ruecklastschrift INV-2026-0001", -2980),
            (ADA, "Ruecklastschrift INV-2026-0002", -2990),
            (ADA, "Ruecklastschrift", -2990),
            ("", "Ruecklastschrift INV-2026-0001", -2990),
        ] {
            let mut book = paid(&settings);
            let matches =
                reconcile_line(&line("L2", 11, account, text, minor), &mut book, &settings);
            assert_eq!(
                matches[0].kind,
                MatchKind::Outgoing,
                "{account} {text} {minor}"
            );
            assert!(
                book.open_amount("INV-2026-0001")
                    .is_some_and(|o| o.is_zero())
            );
        }
    }

    #[test]
    fn money_back_to_a_customer_holding_that_much_credit_is_no_return() {
        for (refunds_reduce_credit, kind) in
            [(false, MatchKind::Outgoing), (true, MatchKind::Credit)]
        {
            let settings = ReconcileSettings {
                refunds_reduce_credit,
                ..ReconcileSettings::default()
            };
            let mut book = paid(&settings);
            // Ada pays INV-2026-0002 twice: the second payment is her credit.
            for id in ["L2", "L3"] {
                let payment = line(id, 7, ADA, "INV-2026-0002", 2990);
                reconcile_line(&payment, &mut book, &settings);
            }
            let refund = line(
                "L4",
                9,
                ADA,
                "Erstattung Doppelzahlung INV-2026-0002",
                -2990,
            );
            let matches = reconcile_line(&refund, &mut book, &settings);
            assert_eq!(matches[0].kind, kind, "{refunds_reduce_credit}");
            assert!(
                book.open_amount("INV-2026-0002")
                    .is_some_and(|o| o.is_zero())
            );
        }
    }

    /// Ada's customer record and her two invoices, nothing paid.
    fn open(settings: &ReconcileSettings) -> Book {
        let mut book = Book::new(settings);
        book.customers.update(&customer("C10001", ADA));
        book.upsert(invoice("INV-2026-0001", "C10001", 5, 2990));
        book.upsert(invoice("INV-2026-0002", "C10001", 6, 2990));
        book
    }

    #[test]
    fn a_return_replayed_from_the_ledger_is_taken_back_once() {
        let settings = ReconcileSettings::default();
        let mut book = open(&settings);
        let first = line("L1", 5, ADA, "SEPA-Lastschrift INV-2026-0001", 2990);
        let back = line("L2", 11, ADA, "Ruecklastschrift INV-2026-0001", -2990);
        let paid = reconcile_line(&first, &mut book, &settings);
        let returned = reconcile_line(&back, &mut book, &settings);
        // A fresh book, as the next run builds it from the ledger's matches.
        let mut next = open(&settings);
        for (line, matches) in [(&first, &paid), (&back, &returned)] {
            for m in matches {
                next.replay(m);
                next.remember(line, m);
            }
        }
        assert_eq!(
            next.open_amount("INV-2026-0001")
                .and_then(|o| o.to_minor().ok()),
            Some(2990)
        );
        let again = line("L3", 12, ADA, "Ruecklastschrift INV-2026-0001", -2990);
        assert_eq!(
            reconcile_line(&again, &mut next, &settings)[0].kind,
            MatchKind::Outgoing
        );
    }
}
