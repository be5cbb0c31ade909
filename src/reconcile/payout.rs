//! Payment gateways' money on its way to the bank. A gateway's clearing account gets
//! payments gross and loses fees and payouts; a payout must be the net of the transactions
//! that name it, and must arrive at the bank as one credit of its amount. Each side closes on
//! its own: the payout entry against its transactions, the bank credit against the payout.
//! A gateway whose exports have no payout rows (Braintree) names a disbursement on each
//! transaction: that payout is implied, its amount the net of those transactions, and its
//! clearing entry is written once the bank's credit is matched.

use super::FastMap;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::Book;
use super::allocate::base;
use super::part::Part;
use crate::model::{
    BankLine, Currency, Gateway, GatewayEntry, GatewayRole, Match, MatchKind, Money,
};

pub const RULE_FEE: &str = "gateway-fee";
pub const RULE_PAYOUT: &str = "gateway-payout";

/// How far a bank's booking date may lie from the day the gateway says it paid out: banks
/// book a day or two later, and weekends come between.
const EARLIEST_DAYS_BEFORE: u64 = 3;
const LATEST_DAYS_AFTER: u64 = 10;

/// One payout as the gateway reported it, and whether a bank credit was matched to it.
#[derive(Debug, Clone)]
pub struct Payout {
    pub gateway: Gateway,
    pub id: String,
    /// What was sent to the bank: positive.
    pub amount: Money,
    pub date: NaiveDate,
    /// The bank line it became, once matched.
    pub credited_by: Option<String>,
    /// Known only from the transactions that name it (Braintree's exports have no payout
    /// rows): its amount is their net so far.
    pub implied: bool,
    /// Whether its entry on the clearing account is known; an implied payout gets one when
    /// the bank's credit is matched.
    pub entered: bool,
}

impl Payout {
    /// How a match names it in `document`: `stripe:po_…`.
    pub fn key(&self) -> String {
        key(self.gateway, &self.id)
    }
}

fn key(gateway: Gateway, id: &str) -> String {
    format!("{}:{id}", gateway.as_str())
}

/// The payouts known, and the net of the transactions that name each.
#[derive(Default)]
pub struct Payouts {
    payouts: Vec<Payout>,
    /// Net per payout key and currency: payments gross, fees negative.
    net: FastMap<(String, Currency), Decimal>,
}

impl Payouts {
    /// Takes in an entry of a gateway's clearing account, as it is applied or replayed.
    pub fn record(&mut self, line: &BankLine) {
        let Some(entry) = &line.info.gateway else {
            return;
        };
        if entry.payout_id.is_empty() {
            return;
        }
        let key = key(entry.gateway, &entry.payout_id);
        match entry.role {
            GatewayRole::Payment | GatewayRole::Fee => {
                *self
                    .net
                    .entry((key.clone(), line.amount.currency))
                    .or_default() += line.amount.amount;
                if !entry.gateway.reports_payouts()
                    && let Some(date) = entry.payout_date
                {
                    self.imply(&key, entry, date, line.amount);
                }
            }
            GatewayRole::Payout if !entry.gateway.reports_payouts() => {
                if let Some(p) = self.find_mut(&key, line.amount.currency) {
                    p.entered = true;
                }
            }
            GatewayRole::Payout => self.payouts.push(Payout {
                gateway: entry.gateway,
                id: entry.payout_id.clone(),
                amount: -line.amount,
                date: line.booking_date,
                credited_by: None,
                implied: false,
                entered: true,
            }),
        }
    }

    /// Adds a transaction's money to the payout its export says it was disbursed in.
    fn imply(&mut self, key: &str, entry: &GatewayEntry, date: NaiveDate, amount: Money) {
        match self.find_mut(key, amount.currency) {
            Some(p) => p.amount.amount += amount.amount,
            None => self.payouts.push(Payout {
                gateway: entry.gateway,
                id: entry.payout_id.clone(),
                amount,
                date,
                credited_by: None,
                implied: true,
                entered: false,
            }),
        }
    }

    fn find_mut(&mut self, key: &str, currency: Currency) -> Option<&mut Payout> {
        self.payouts
            .iter_mut()
            .find(|p| p.implied && p.amount.currency == currency && p.key() == key)
    }

    /// Implied payouts whose bank credit is matched but which have no entry on the clearing
    /// account yet, with the bank line that received each; marked entered.
    pub fn take_unentered_credited(&mut self) -> Vec<(Payout, String)> {
        self.payouts
            .iter_mut()
            .filter(|p| p.implied && !p.entered)
            .filter_map(|p| {
                let credit = p.credited_by.clone()?;
                p.entered = true;
                Some((p.clone(), credit))
            })
            .collect()
    }

    /// A committed match of a bank credit to a payout, replayed.
    pub fn credited(&mut self, payout_key: &str, bank_line_id: &str) {
        if let Some(p) = self
            .payouts
            .iter_mut()
            .find(|p| p.key() == payout_key && p.credited_by.is_none())
        {
            p.credited_by = Some(bank_line_id.to_string());
        }
    }

    fn net_of(&self, gateway: Gateway, id: &str, currency: Currency) -> Option<Decimal> {
        self.net.get(&(key(gateway, id), currency)).copied()
    }
}

/// An entry of a gateway's clearing account, placed by what it is; `None` for a payment,
/// which the invoice rules place like any money in (or out: a refund).
pub fn clearing_entry(line: &BankLine, part: &Part, book: &Book) -> Option<Vec<Match>> {
    let entry = line.info.gateway.as_ref()?;
    match entry.role {
        GatewayRole::Payment => None,
        GatewayRole::Fee => Some(vec![base(
            line,
            part,
            MatchKind::Fee,
            part.amount,
            RULE_FEE,
            100,
            format!(
                "{}'s fee ({}): booked as a fee, not matched against invoices",
                entry.gateway.name(),
                part.amount
            ),
        )]),
        GatewayRole::Payout => Some(leaving(line, part, book, entry.gateway, &entry.payout_id)),
    }
}

/// The payout entry on the clearing account: as much as its transactions explain is the
/// payout; what they do not waits for a person with the difference.
fn leaving(line: &BankLine, part: &Part, book: &Book, gateway: Gateway, id: &str) -> Vec<Match> {
    let amount = -part.amount;
    let name = gateway.name();
    let payout = |paid: Money, explanation: String| Match {
        document: Some(key(gateway, id)),
        ..base(
            line,
            part,
            MatchKind::Payout,
            paid,
            RULE_PAYOUT,
            100,
            explanation,
        )
    };
    let Some(net) = book.payouts.net_of(gateway, id, amount.currency) else {
        if gateway == Gateway::PayPal {
            // PayPal's exports say which balance a withdrawal took, not which payments.
            return vec![payout(
                part.amount,
                format!("{name} payout {id} of {amount} moved the balance to the bank"),
            )];
        }
        return vec![base(
            line,
            part,
            MatchKind::Unmatched,
            part.amount,
            RULE_PAYOUT,
            0,
            format!(
                "{name} payout {id} of {amount}: no transaction that names it is known; drop the {name} export of its payments (with or before the payouts), or explain it by hand"
            ),
        )];
    };
    let explained = Money {
        amount: net,
        currency: amount.currency,
    };
    if net == amount.amount {
        return vec![payout(
            part.amount,
            format!(
                "{name} payout {id} of {amount}: the net of the payments and fees that name it"
            ),
        )];
    }
    let difference = Money {
        amount: amount.amount - net,
        currency: amount.currency,
    };
    vec![
        payout(
            -explained,
            format!(
                "{name} payout {id}: {explained} of it is the net of the payments and fees that name it"
            ),
        ),
        base(
            line,
            part,
            MatchKind::Unmatched,
            -difference,
            RULE_PAYOUT,
            0,
            format!(
                "{name} payout {id} is {amount}, but the payments and fees that name it net {explained}: {difference} is unexplained; check {name}'s report of the payout for transactions missing from the exports"
            ),
        ),
    ]
}

/// A bank credit that is a gateway's payout: the one payout not yet credited of that amount
/// and currency, paid out within a few days of the booking. Where several could be, the one
/// whose gateway, id or bank reference the entry names; otherwise none is chosen.
pub fn credit(line: &BankLine, part: &Part, book: &mut Book) -> Option<Vec<Match>> {
    if line.info.gateway.is_some() || !part.whole {
        return None;
    }
    let booked = line.booking_date;
    let candidates: Vec<usize> = book
        .payouts
        .payouts
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.credited_by.is_none()
                && p.amount == part.amount
                && p.date.checked_sub_days(Days::new(EARLIEST_DAYS_BEFORE)) <= Some(booked)
                && p.date.checked_add_days(Days::new(LATEST_DAYS_AFTER)) >= Some(booked)
        })
        .map(|(i, _)| i)
        .collect();
    let haystack = format!("{} {}", part.haystack, line.counterparty).to_uppercase();
    let named = |p: &Payout| {
        haystack.contains(&p.gateway.name().to_uppercase())
            || (!p.id.is_empty() && haystack.contains(&p.id.to_uppercase()))
    };
    let chosen = match candidates.as_slice() {
        [] => return None,
        [only] => *only,
        several => {
            let naming: Vec<usize> = several
                .iter()
                .copied()
                .filter(|&i| named(&book.payouts.payouts[i]))
                .collect();
            match naming.as_slice() {
                [only] => *only,
                _ => return None,
            }
        }
    };
    let payout = &mut book.payouts.payouts[chosen];
    payout.credited_by = Some(line.id.clone());
    let name = payout.gateway.name();
    let explanation = if payout.implied {
        format!(
            "{name} disbursement {} of {} on {}: the net of the settled {name} transactions disbursed that day reached the bank",
            payout.id, payout.amount, payout.date
        )
    } else {
        format!(
            "{name} payout {} of {} on {}: the money {name} collected, less its fees, reached the bank",
            payout.id, payout.amount, payout.date
        )
    };
    Some(vec![Match {
        document: Some(payout.key()),
        ..base(
            line,
            part,
            MatchKind::Payout,
            part.amount,
            RULE_PAYOUT,
            if candidates.len() == 1 { 95 } else { 90 },
            explanation,
        )
    }])
}
