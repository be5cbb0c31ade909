//! The direct debits sluice knows: every collection we sent (pain.008), every rejection a
//! status report gave (pain.002), and the money booked to invoices under each end-to-end id
//! — what a later return or rejection takes back.

use super::FastMap;
use rust_decimal::Decimal;

use crate::model::{DirectDebit, Money, PaymentStatus};

/// A rejection as a person reads it: `AM04 (insufficient funds)`, from which report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub reason: String,
    pub file: String,
    pub line: u64,
}

impl Rejection {
    pub fn of(status: &PaymentStatus) -> Rejection {
        let mut reason = super::reason_codes::describe(&status.reason_code);
        if !status.reason_text.is_empty() {
            reason.push_str(&format!(" — \"{}\"", status.reason_text));
        }
        Rejection {
            reason,
            file: status.lineage.file_name.clone(),
            line: status.lineage.line,
        }
    }
}

/// Money booked to an invoice under one end-to-end id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub bank_line_id: String,
    pub invoice: String,
    pub amount: Money,
}

/// An end-to-end id that identifies something: `NOTPROVIDED` (which SEPA allows) does not.
fn provided(id: &str) -> Option<&str> {
    (!id.is_empty() && !id.eq_ignore_ascii_case("NOTPROVIDED")).then_some(id)
}

/// The key a collection is known by: its end-to-end id, or where it was written when it has
/// none (then no bank statement or status report can name it, but it is still kept).
fn key(debit: &DirectDebit) -> String {
    match provided(&debit.end_to_end_id) {
        Some(id) => id.to_string(),
        None => format!("{}:{}", debit.lineage.file_sha256, debit.lineage.line),
    }
}

/// Which collections a rejection concerns: one, a payment block, or a whole message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Scope {
    Transaction(String),
    Block(String),
    Message(String),
}

#[derive(Debug, Default)]
pub struct Collections {
    by_e2e: FastMap<String, DirectDebit>,
    /// Payment information id → end-to-end ids, in the order sent.
    blocks: FastMap<String, Vec<String>>,
    messages: FastMap<String, Vec<String>>,
    rejections: FastMap<Scope, Rejection>,
    payments: FastMap<String, Vec<Payment>>,
    /// Collections whose booked money a rejection took back, waiting for the bank's debit.
    awaiting_debit: FastMap<String, Rejection>,
}

impl Collections {
    /// Adds a collection; `false` when its end-to-end id is already known.
    pub fn add(&mut self, debit: DirectDebit) -> bool {
        let e2e = key(&debit);
        if self.by_e2e.contains_key(&e2e) {
            return false;
        }
        self.blocks
            .entry(debit.payment_information_id.clone())
            .or_default()
            .push(e2e.clone());
        self.messages
            .entry(debit.message_id.clone())
            .or_default()
            .push(e2e.clone());
        self.by_e2e.insert(e2e, debit);
        true
    }

    pub fn get(&self, end_to_end_id: &str) -> Option<&DirectDebit> {
        self.by_e2e.get(provided(end_to_end_id)?)
    }

    /// The collections of a payment block, in the order sent.
    pub fn block(&self, id: &str) -> Option<Vec<&DirectDebit>> {
        self.blocks
            .get(id)
            .map(|ids| ids.iter().filter_map(|e| self.by_e2e.get(e)).collect())
    }

    /// The id of a known payment block that `text` names, if any.
    pub fn block_named_in(&self, text: &str) -> Option<&str> {
        let mut ids: Vec<&String> = self.blocks.keys().filter(|id| id.len() >= 6).collect();
        ids.sort();
        ids.into_iter()
            .find(|id| text.contains(id.as_str()))
            .map(String::as_str)
    }

    fn scope(status: &PaymentStatus) -> Scope {
        if provided(&status.end_to_end_id).is_some() {
            Scope::Transaction(status.end_to_end_id.clone())
        } else if !status.original_payment_information_id.is_empty() {
            Scope::Block(status.original_payment_information_id.clone())
        } else {
            Scope::Message(status.original_message_id.clone())
        }
    }

    /// The end-to-end ids of the known collections a status concerns.
    pub fn concerned(&self, status: &PaymentStatus) -> Vec<String> {
        match Self::scope(status) {
            Scope::Transaction(e2e) => self
                .by_e2e
                .contains_key(&e2e)
                .then_some(e2e)
                .into_iter()
                .collect(),
            Scope::Block(id) => self.blocks.get(&id).cloned().unwrap_or_default(),
            Scope::Message(id) => self.messages.get(&id).cloned().unwrap_or_default(),
        }
    }

    /// Remembers a rejection, also for collections whose pain.008 has not arrived yet.
    pub fn reject(&mut self, status: &PaymentStatus) {
        self.rejections
            .entry(Self::scope(status))
            .or_insert_with(|| Rejection::of(status));
    }

    pub fn rejection(&self, debit: &DirectDebit) -> Option<&Rejection> {
        [
            Scope::Transaction(key(debit)),
            Scope::Block(debit.payment_information_id.clone()),
            Scope::Message(debit.message_id.clone()),
        ]
        .iter()
        .find_map(|scope| self.rejections.get(scope))
    }

    pub fn record_payment(&mut self, end_to_end_id: &str, payment: Payment) {
        if provided(end_to_end_id).is_some() {
            self.payments
                .entry(end_to_end_id.to_string())
                .or_default()
                .push(payment);
        }
    }

    /// Takes back up to `up_to` of the money booked under an end-to-end id, newest first.
    pub fn take_payments(&mut self, end_to_end_id: &str, up_to: Decimal) -> Vec<Payment> {
        let mut taken = Vec::new();
        let Some(payments) = self.payments.get_mut(end_to_end_id) else {
            return taken;
        };
        let mut left = up_to;
        while left > Decimal::ZERO {
            let Some(last) = payments.last_mut() else {
                break;
            };
            let amount = last.amount.amount.min(left);
            left -= amount;
            taken.push(Payment {
                amount: Money {
                    amount,
                    currency: last.amount.currency,
                },
                ..last.clone()
            });
            last.amount.amount -= amount;
            if last.amount.is_zero() {
                payments.pop();
            }
        }
        taken
    }

    pub fn has_payments(&self, end_to_end_id: &str) -> bool {
        self.payments
            .get(end_to_end_id)
            .is_some_and(|p| !p.is_empty())
    }

    pub fn await_debit(&mut self, end_to_end_id: &str, rejection: Rejection) {
        self.awaiting_debit
            .insert(end_to_end_id.to_string(), rejection);
    }

    /// The rejection whose money the bank's debit now takes back, once.
    pub fn take_awaited_debit(&mut self, end_to_end_id: &str) -> Option<Rejection> {
        self.awaiting_debit.remove(end_to_end_id)
    }
}
