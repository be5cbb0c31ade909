//! Rules for our own SEPA direct debits: money in that a collection we sent explains (by its
//! end-to-end id, or a whole payment block booked as one sum), money back that undoes a
//! booked collection or payment (a return, a reversal), and what a pain.002 rejection does.

use rust_decimal::Decimal;

use super::allocate::{allocate, base};
use super::collections::{Payment, Rejection};
use super::part::Part;
use super::reference::invoices_named;
use super::returned;
use super::{Book, RULE_DIRECT_DEBIT, RULE_NONE, RULE_RETURN};
use crate::model::{BankLine, DirectDebit, Match, MatchKind, Money, PaymentStatus};
use crate::pipeline::ReconcileSettings;

/// The invoice a collection collects: the first known invoice number in its remittance,
/// creditor reference or end-to-end id.
pub fn invoice_of(
    debit: &DirectDebit,
    book: &Book,
    settings: &ReconcileSettings,
) -> Option<String> {
    let text = format!(
        "{} {} {}",
        debit.remittance, debit.creditor_reference, debit.end_to_end_id
    );
    invoices_named(&text, book, settings).0.into_iter().next()
}

/// Money in carrying the end-to-end id of a collection we sent.
pub fn collected(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
) -> Option<Vec<Match>> {
    let debit = book.collections.get(&part.end_to_end_id)?.clone();
    Some(collect(line, part, &debit, book, settings))
}

fn collect(
    line: &BankLine,
    part: &Part,
    debit: &DirectDebit,
    book: &mut Book,
    settings: &ReconcileSettings,
) -> Vec<Match> {
    let rejected = book
        .collections
        .rejection(debit)
        .map(|r| {
            format!(
                " (status report {} line {} rejected it: {}; the bank booked it nonetheless)",
                r.file, r.line, r.reason
            )
        })
        .unwrap_or_default();
    let Some(number) = invoice_of(debit, book, settings) else {
        return vec![base(
            line,
            part,
            MatchKind::Unmatched,
            part.amount,
            RULE_NONE,
            0,
            format!(
                "collection {} (mandate {}, {}) is one of ours, but its remittance \"{}\" names no known invoice{rejected} — is the invoice export missing?",
                debit.end_to_end_id, debit.mandate_id, debit.debtor_name, debit.remittance
            ),
        )];
    };
    allocate(
        line,
        part,
        &[number],
        RULE_DIRECT_DEBIT,
        |number, customer| {
            format!(
                "direct debit {} (mandate {}) collects invoice {number} (customer {customer}){rejected}",
                debit.end_to_end_id, debit.mandate_id
            )
        },
        book,
    )
}

/// A whole entry booking one of our payment blocks as one sum, without itemising it: its
/// collections that were not rejected must add up to the entry, each then pays its invoice.
pub fn block(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
) -> Option<Vec<Match>> {
    if !part.whole {
        return None;
    }
    let id = if book
        .collections
        .block(&line.info.payment_information_id)
        .is_some()
    {
        line.info.payment_information_id.clone()
    } else {
        book.collections.block_named_in(&part.haystack)?.to_string()
    };
    let debits: Vec<DirectDebit> = book.collections.block(&id)?.into_iter().cloned().collect();
    let (kept, rejected): (Vec<&DirectDebit>, Vec<&DirectDebit>) = debits
        .iter()
        .partition(|d| book.collections.rejection(d).is_none());
    let sum: Decimal = kept.iter().map(|d| d.amount.amount).sum();
    let same_currency = kept
        .iter()
        .all(|d| d.amount.currency == part.amount.currency);
    if !same_currency || sum != part.amount.amount {
        let less = if rejected.is_empty() {
            String::new()
        } else {
            format!(" ({} rejected ones left out)", rejected.len())
        };
        return Some(vec![base(
            line,
            part,
            MatchKind::Unmatched,
            part.amount,
            RULE_NONE,
            0,
            format!(
                "books our direct-debit block {id}, but its {} collections{less} add up to {} {sum}, not {} — a status report or a return is missing; pair it by hand",
                kept.len(),
                part.amount.currency,
                part.amount
            ),
        )]);
    }
    let mut matches = Vec::new();
    for (n, debit) in kept.iter().enumerate() {
        let single = Part {
            amount: debit.amount,
            end_to_end_id: debit.end_to_end_id.clone(),
            return_reason: String::new(),
            counterparty_account: debit.debtor_iban.clone(),
            counterparty: debit.debtor_name.clone(),
            mandate_id: debit.mandate_id.clone(),
            haystack: String::new(),
            remittance: Vec::new(),
            label: format!("collection {} of {} in block {id}: ", n + 1, kept.len()),
            whole: false,
        };
        matches.extend(collect(line, &single, debit, book, settings));
    }
    Some(matches)
}

/// Money out that takes back money booked to invoices under the same end-to-end id — a
/// returned collection, a reversed payment — or the bank's debit of a collection whose
/// rejection already reopened its invoice. `None` for ordinary money out.
pub fn money_back(
    line: &BankLine,
    part: &Part,
    book: &mut Book,
    settings: &ReconcileSettings,
) -> Option<Vec<Match>> {
    let e2e = part.end_to_end_id.as_str();
    let what = if !part.return_reason.is_empty() {
        format!(
            "return ({})",
            super::reason_codes::describe(&part.return_reason)
        )
    } else if line.info.reversal {
        "reversal".to_string()
    } else {
        "money back".to_string()
    };
    let back = -part.amount.amount;
    if book.collections.has_payments(e2e) {
        let taken = book.collections.take_payments(e2e, back);
        let mut matches = Vec::new();
        let mut left = back;
        for Payment {
            bank_line_id,
            invoice,
            amount,
        } in taken
        {
            left -= amount.amount;
            book.allocate(&invoice, -amount);
            let customer = book.invoice(&invoice).map(|d| d.customer_id.clone());
            matches.push(Match {
                document: Some(invoice.clone()),
                customer_id: customer,
                ..base(
                    line,
                    part,
                    MatchKind::Reversal,
                    -amount,
                    RULE_RETURN,
                    100,
                    format!(
                        "{what} of {e2e}: takes back the {amount} bank line {bank_line_id} paid to invoice {invoice}, which is open again by that much"
                    ),
                )
            });
        }
        if !left.is_zero() {
            let rest = Money {
                amount: -left,
                currency: part.amount.currency,
            };
            matches.push(base(
                line,
                part,
                MatchKind::Outgoing,
                rest,
                RULE_RETURN,
                100,
                format!(
                    "{rest} of the {what} of {e2e} is more than was booked under it: bank charges, most likely"
                ),
            ));
        }
        return Some(matches);
    }
    if let Some(rejection) = book.collections.take_awaited_debit(e2e) {
        return Some(vec![base(
            line,
            part,
            MatchKind::Returned,
            part.amount,
            RULE_RETURN,
            100,
            format!(
                "the bank debits back collection {e2e}, whose rejection ({}, status report {} line {}) already reopened its invoice",
                rejection.reason, rejection.file, rejection.line
            ),
        )]);
    }
    if let Some(matches) = returned::by_reference(line, part, book, settings, &what) {
        return Some(matches);
    }
    let ours = book.collections.get(e2e).is_some();
    if ours || line.info.reversal || !part.return_reason.is_empty() {
        let why = if ours {
            format!(
                "{what} of our collection {e2e}, which sluice never saw booked as paid: check that the statement booking it was taken in, then pair by hand"
            )
        } else {
            format!(
                "{what} of a payment sluice cannot trace (no end-to-end id it booked{}): pair by hand",
                if e2e.is_empty() {
                    String::new()
                } else {
                    format!("; this one names {e2e}")
                }
            )
        };
        return Some(vec![base(
            line,
            part,
            MatchKind::Unmatched,
            part.amount,
            RULE_NONE,
            0,
            why,
        )]);
    }
    None
}

/// What one pain.002 status did: the effect in words, and any matches it wrote.
pub struct StatusEffect {
    pub effect: String,
    pub matches: Vec<Match>,
    /// Collections newly marked rejected.
    pub rejected: usize,
    /// Money taken back from invoices.
    pub reversed: Vec<Money>,
}

/// Applies a status: a report on anything but collections (a pain.001 of credit transfers)
/// is only recorded. A rejection marks its collections failed and, where one was already
/// booked as paid, reverses that allocation so the invoice is open again. The bank line's
/// money then counts as `returned` (it goes back to the debtor), so a line's matches still
/// add up to its amount.
pub fn apply_status(status: &PaymentStatus, book: &mut Book) -> StatusEffect {
    let mut out = StatusEffect {
        effect: String::new(),
        matches: Vec::new(),
        rejected: 0,
        reversed: Vec::new(),
    };
    if !status.is_about_collections() {
        out.effect = format!(
            "status {} on a {} (payments we sent, not collections): recorded, nothing to change",
            status.status, status.original_message_name
        );
        return out;
    }
    let concerned = book.collections.concerned(status);
    if !status.is_rejection() {
        out.effect = format!(
            "status {} for {} collection(s): nothing to change",
            status.status,
            concerned.len()
        );
        return out;
    }
    let rejection = Rejection::of(status);
    book.collections.reject(status);
    if concerned.is_empty() {
        out.effect = format!(
            "rejected ({}), but names no collection sluice knows yet; it applies when the pain.008 it answers arrives",
            rejection.reason
        );
        return out;
    }
    let mut words = Vec::new();
    for e2e in &concerned {
        out.rejected += 1;
        let taken = book.collections.take_payments(e2e, Decimal::MAX);
        if taken.is_empty() {
            words.push(format!("{e2e} not booked yet: its invoice stays open"));
            continue;
        }
        for Payment {
            bank_line_id,
            invoice,
            amount,
        } in taken
        {
            book.allocate(&invoice, -amount);
            out.reversed.push(amount);
            let customer = book.invoice(&invoice).map(|d| d.customer_id.clone());
            let why = format!(
                "status report {} line {} rejected collection {e2e} ({})",
                status.lineage.file_name, status.lineage.line, rejection.reason
            );
            let fact = |kind, amount, explanation: String| Match {
                bank_line_id: bank_line_id.clone(),
                kind,
                document: None,
                customer_id: customer.clone(),
                amount,
                rule: RULE_RETURN.to_string(),
                confidence: 100,
                explanation,
                end_to_end_id: e2e.clone(),
                account: String::new(),
            };
            out.matches.push(Match {
                document: Some(invoice.clone()),
                ..fact(
                    MatchKind::Reversal,
                    -amount,
                    format!("{why}: the {amount} it paid to invoice {invoice} is taken back; the invoice is open again"),
                )
            });
            out.matches.push(fact(
                MatchKind::Returned,
                amount,
                format!("{why}: {amount} of this line goes back to the debtor; expect the bank to debit it"),
            ));
            words.push(format!("{e2e}: {amount} reversed from invoice {invoice}"));
            book.collections.await_debit(e2e, rejection.clone());
        }
    }
    out.effect = format!("rejected ({}): {}", rejection.reason, words.join("; "));
    out
}
