//! Reconciliation: placing the money of each bank line, with a reason a person can read.
//!
//! A line is placed payment by payment (a batch entry the bank itemised splits into its
//! payments). Rules, in order, for money in:
//! 1. direct debit — the end-to-end id of a collection we sent (pain.008) pays the invoice
//!    that collection collects;
//! 2. direct-debit block — an entry booking a whole pain.008 payment block as one sum pays
//!    each collection's invoice, when the collections not rejected add up to it;
//! 3. gateway payout — a credit of exactly the amount a payment gateway paid out a few days
//!    before (one such payout, or the one the entry names);
//! 4. reference — the payment's references name invoices: an ISO 11649 RF creditor
//!    reference whose check digits hold and whose reference part is an invoice's number
//!    (rule name `creditor-reference`), or invoice numbers found by the pipeline's patterns
//!    (`invoice-reference`), tolerant of case, spaces, missing separators and missing leading
//!    zeros — unless a number without its zeros fits two invoices, then it names neither.
//!    The structured fields (creditor reference, end-to-end id, bank reference) are read
//!    before the remittance text, and the explanation says which field named the invoice.
//!    An RF reference whose check digits fail is never used. Several invoices named are paid
//!    in the order written, or oldest first when the amount is exactly what the oldest of
//!    them have open (and not the first ones written); each explanation says which and why.
//!    A reference naming only invoices of other customers than the one the money comes from
//!    (by account, mandate or gateway reference) is not trusted: the line waits. Money left
//!    once the named invoices are paid pays the customer's other open invoices oldest first
//!    (`reconcile.rest_pays_other_invoices`) before it becomes their credit;
//! 5. customer identified (the design's rule 2) — the payer is one customer (IBAN on their
//!    record or seen paying their invoices, a pairing a person made, their mandate, their
//!    customer number or login in the text): their open invoices are paid oldest first
//!    (`customer`);
//! 6. amount and date (rule 3) — the one open invoice of exactly the amount, due near the
//!    booking date, or of several the only one of a customer whose full name the text
//!    writes (`amount`).
//!
//! Wherever money meets an invoice, `reconcile.tolerance` lets a small difference settle it
//! (`allocate`).
//!
//! Before any rule, money of a customer whose partner is on the partners-ignore list (their
//! IBAN, or a gateway payment naming them) is recorded as `ignored` and goes no further.
//!
//! Entries of a gateway's clearing account (`PayPal EUR`) are placed the same way, except
//! the gateway's fees (booked as fees) and its payouts (checked against the net of the
//! transactions that name them; a difference waits for a person).
//!
//! The money goes to the named invoices, never beyond what is open; what is left becomes the
//! customer's credit. Money out is recorded, except money back — a return or reversal
//! carrying the end-to-end id of money booked to invoices, or money out naming an invoice
//! that the same account paid exactly that amount (`returned`) — which takes that money
//! back and reopens the invoices; with `reconcile.refunds_reduce_credit`, money out to an identified
//! customer takes it off their credit. Everything else waits in the unmatched list with the
//! reason.
//!
//! Invariant (property-tested): the matches of a line add up to its amount exactly.

mod allocate;
mod amount;
mod book;
mod collections;
mod creditor_reference;
mod customer;
mod customers;
mod direct_debit;
#[cfg(test)]
mod fixtures;
mod ignored;
mod manual;
mod open;
mod part;
mod payout;
mod reason_codes;
mod receipts;
mod reference;
#[cfg(test)]
mod reference_fixtures;
mod remittance;
mod returned;
mod rf;
mod several;

use crate::model::{BankLine, Match, MatchKind};
use crate::pipeline::ReconcileSettings;

/// The hash maps of the book: keys are invoice numbers, accounts and customer ids, looked up
/// several times per payment, so a fast hasher pays (foldhash, seeded per map, which also
/// keeps crafted keys from colliding on purpose).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

pub use allocate::Settlement;
pub use amount::RULE_AMOUNT_AND_DATE;
pub use book::{Book, InvoiceCounts, Lookup, loose_reference, normalize_reference};
pub use collections::{Collections, Payment, Rejection};
pub use customer::RULE_CUSTOMER;
pub use customers::{CustomerIndex, normalize_account};
pub use direct_debit::{StatusEffect, apply_status, invoice_of};
pub use ignored::{IgnoredCustomers, RULE_PARTNERS_IGNORE};
pub use manual::{RULE_MANUAL, pair_by_hand};
pub use payout::{Payouts, RULE_FEE, RULE_PAYOUT};
pub use reason_codes::describe as describe_reason;

pub const RULE_REFERENCE: &str = "invoice-reference";
pub const RULE_CREDITOR_REFERENCE: &str = "creditor-reference";
pub const RULE_NONE: &str = "none";
pub const RULE_OUTGOING: &str = "outgoing";
pub const RULE_DIRECT_DEBIT: &str = "direct-debit";
pub const RULE_RETURN: &str = "return";

/// What became of one bank line, for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// All of its money paid invoices, each now settled.
    Matched,
    /// It paid invoices only in part, or (some of) its money became customer credit.
    PartlyMatched,
    Unmatched,
    Outgoing,
    /// Money back: a return or reversal that reopened invoices, or a rejected collection's
    /// debit.
    Returned,
    /// Money of a customer whose partner is on the partners-ignore list: recorded only.
    Ignored,
}

/// Places the money of one bank line, payment by payment, and updates the book with what
/// was allocated or taken back, and with what the matches teach of the customers (the
/// account that paid their invoice, their credit). The matches of a line add up to its
/// amount exactly.
pub fn reconcile_line(
    line: &BankLine,
    book: &mut Book,
    settings: &ReconcileSettings,
) -> Vec<Match> {
    reconcile_line_in(line, book, settings, Pass::All)
}

/// Which rules a placement may use. A run places every line by what names its invoice or
/// its payer first, and only then lets the lines still waiting try the amount alone — so a
/// guess never takes an invoice that a payment of the same run names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Every rule except amount and date.
    Named,
    /// Every rule.
    All,
}

/// [`reconcile_line`], with the rules of `pass`.
pub fn reconcile_line_in(
    line: &BankLine,
    book: &mut Book,
    settings: &ReconcileSettings,
    pass: Pass,
) -> Vec<Match> {
    let mut matches = Vec::new();
    for part in part::parts(line) {
        let placed = place(line, &part, book, settings, pass);
        for m in &placed {
            book.remember(line, m);
        }
        matches.extend(placed);
    }
    matches
}

fn place(
    line: &BankLine,
    part: &part::Part,
    book: &mut Book,
    settings: &ReconcileSettings,
    pass: Pass,
) -> Vec<Match> {
    if part.amount.is_zero() {
        return vec![allocate::base(
            line,
            part,
            MatchKind::Outgoing,
            part.amount,
            RULE_OUTGOING,
            100,
            "zero amount: recorded, nothing to match".to_string(),
        )];
    }
    if let Some(matches) = ignored::payment(line, part, book) {
        return matches;
    }
    if let Some(matches) = payout::clearing_entry(line, part, book) {
        return matches;
    }
    if part.amount.is_negative() {
        return direct_debit::money_back(line, part, book, settings)
            .or_else(|| customer::refund(line, part, book, settings))
            .unwrap_or_else(|| {
                vec![allocate::base(
                    line,
                    part,
                    MatchKind::Outgoing,
                    part.amount,
                    RULE_OUTGOING,
                    100,
                    format!(
                        "money out ({}): recorded, not matched against invoices",
                        part.amount
                    ),
                )]
            });
    }
    let mut trail = Trail::default();
    direct_debit::collected(line, part, book, settings)
        .or_else(|| direct_debit::block(line, part, book, settings))
        .or_else(|| payout::credit(line, part, book))
        .or_else(|| reference::by_reference(line, part, book, settings, &mut trail))
        .or_else(|| customer::by_customer(line, part, book, settings, &mut trail))
        .or_else(|| {
            (pass == Pass::All)
                .then(|| amount::by_amount_and_date(line, part, book, settings, &mut trail))
                .flatten()
        })
        .unwrap_or_else(|| trail.unmatched(line, part))
}

/// What each rule that looked at a part and did not place it said, in the order the rules
/// ran: the explanation of money that waits for a person.
#[derive(Debug, Default)]
pub struct Trail {
    said: Vec<(&'static str, String)>,
}

impl Trail {
    /// Records why `rule` did not place the part.
    pub fn note(&mut self, rule: &'static str, why: impl Into<String>) {
        self.said.push((rule, why.into()));
    }

    /// `invoice-reference: no invoice number found …; customer: …`.
    pub fn explanation(&self) -> String {
        if self.said.is_empty() {
            return "no rule found where this money belongs".to_string();
        }
        self.said
            .iter()
            .map(|(rule, why)| format!("{rule}: {why}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The part, unplaced, with the reasons.
    pub fn unmatched(&self, line: &BankLine, part: &part::Part) -> Vec<Match> {
        vec![allocate::base(
            line,
            part,
            MatchKind::Unmatched,
            part.amount,
            RULE_NONE,
            0,
            self.explanation(),
        )]
    }
}

/// Classifies a line by its matches and the state of the invoices they paid.
pub fn outcome(matches: &[Match], book: &Book) -> Outcome {
    if !matches.is_empty() && matches.iter().all(|m| m.kind == MatchKind::Ignored) {
        return Outcome::Ignored;
    }
    if matches
        .iter()
        .any(|m| matches!(m.kind, MatchKind::Reversal | MatchKind::Returned))
    {
        return Outcome::Returned;
    }
    // A refund taken off a customer's credit is money out too.
    if matches.iter().any(|m| {
        matches!(m.kind, MatchKind::Outgoing | MatchKind::Fee)
            || (m.kind == MatchKind::Credit && m.amount.is_negative())
    }) {
        return Outcome::Outgoing;
    }
    if matches.iter().all(|m| m.kind == MatchKind::Unmatched) {
        return Outcome::Unmatched;
    }
    // A gateway's payout: the bank's credit is matched; the gateway's entry is money out.
    if matches.iter().all(|m| m.kind == MatchKind::Payout) {
        return if matches.iter().all(|m| m.amount.is_negative()) {
            Outcome::Outgoing
        } else {
            Outcome::Matched
        };
    }
    let allocations: Vec<&Match> = matches
        .iter()
        .filter(|m| m.kind == MatchKind::Allocation)
        .collect();
    let settled = allocations.iter().all(|m| {
        m.document
            .as_deref()
            .and_then(|n| book.open_amount(n))
            .is_some_and(|open| open.is_zero())
    });
    // A difference within the tolerance is placed: its invoice is settled.
    let all_placed = matches
        .iter()
        .all(|m| matches!(m.kind, MatchKind::Allocation | MatchKind::Difference));
    if !allocations.is_empty() && settled && all_placed {
        Outcome::Matched
    } else {
        Outcome::PartlyMatched
    }
}
