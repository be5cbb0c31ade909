//! `sluice pair`: the money of a bank line that waits for a person, placed by that person
//! on the invoices they name (or with a customer, as credit). What was already placed on the
//! line stays; the waiting part is replaced. The counterparty's account (or, without one,
//! its name) is remembered for the customer, so the next payment from there is theirs
//! without a person (rule "customer"), unless they asked not to.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{DecideError, LineNow, Who, commit, open};
use crate::ledger::{DecisionAction, DecisionRow, Facts, MatchRow};
use crate::model::{Match, MatchKind, Money};
use crate::pipeline::Pipeline;
use crate::reconcile::{normalize_account, pair_by_hand};
use crate::run::{Known, commit_id};

#[derive(Debug, Clone, Default)]
pub struct PairRequest {
    pub bank_line: String,
    /// Invoices it pays, in the order the money goes to them.
    pub invoices: Vec<String>,
    /// The customer whose credit the rest becomes (or all of it, without invoices).
    pub customer: Option<String>,
    /// Remember the counterparty for the customer.
    pub learn: bool,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Paired {
    /// The commit that holds the pairing: how `sluice rules` and `explain` name it.
    pub pairing: String,
    pub bank_line: String,
    pub placed: Vec<PlacedMoney>,
    /// What was learned: "DE02… is customer C1's", when something was.
    pub learned: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlacedMoney {
    pub kind: String,
    pub document: Option<String>,
    pub customer_id: Option<String>,
    pub amount: String,
    pub currency: String,
}

pub fn pair(pipeline: &Pipeline, request: &PairRequest, who: &Who) -> Result<Paired, DecideError> {
    let (_lock, ledger, facts) = open(pipeline)?;
    let mut known = Known::from_facts(&facts, &pipeline.reconcile);
    let now = LineNow::find(&facts, &request.bank_line)?;
    let id = &now.line.id;
    let waiting: Vec<&Match> = now
        .matches()
        .filter(|m| m.kind == MatchKind::Unmatched)
        .collect();
    let total: Decimal = waiting.iter().map(|m| m.amount.amount).sum();
    if waiting.is_empty() || total.is_zero() {
        return Err(DecideError::Refused(format!(
            "nothing of bank line {id} waits for a person: its money is placed already ({}); to place it differently, run `sluice unpair {id}` first",
            kinds(&now)
        )));
    }
    let amount = Money {
        amount: total,
        currency: now.line.amount.currency,
    };
    if total.is_sign_negative() {
        return Err(DecideError::Refused(format!(
            "the {amount} of bank line {id} that waits is money out; pairing places money in on invoices or credit"
        )));
    }
    let customer = customer(&known, &facts, request)?;
    check_invoices(&known, request, amount)?;

    let pairing = commit_id(who.now, ledger.next_seq()?);
    let by = format!(
        "paired by {} on {} (pairing {pairing})",
        who.by,
        who.now.date_naive()
    );
    let end_to_end_id = match waiting.as_slice() {
        [only] => only.end_to_end_id.as_str(),
        _ => "",
    };
    let placed = pair_by_hand(
        &now.line,
        amount,
        end_to_end_id,
        &request.invoices,
        customer
            .as_ref()
            .map(|(id, name)| (id.as_str(), name.as_str())),
        &by,
        &mut known.book,
    );
    let customer_id = customer
        .map(|(id, _)| id)
        .or_else(|| placed.iter().find_map(|m| m.customer_id.clone()))
        .unwrap_or_default();
    let counterparty_account = normalize_account(&now.line.counterparty_account);
    let counterparty_name = now.line.counterparty.trim().to_string();
    let learnable = !customer_id.is_empty()
        && (!counterparty_account.is_empty() || !counterparty_name.is_empty());
    let learned = (request.learn && learnable).then(|| {
        let what = if counterparty_account.is_empty() {
            format!("counterparty \"{counterparty_name}\"")
        } else {
            format!("account {counterparty_account}")
        };
        format!("{what} is customer {customer_id}'s")
    });

    let mut new = Facts::default();
    let kept = now
        .matches()
        .filter(|m| m.kind != MatchKind::Unmatched)
        .cloned();
    new.matches = kept
        .chain(placed.iter().cloned())
        .map(|matched| MatchRow {
            run_id: String::new(),
            matched,
        })
        .collect();
    new.decisions.push(DecisionRow {
        run_id: String::new(),
        action: DecisionAction::Pair,
        bank_line_id: id.clone(),
        replaces: now.commits(),
        by: who.by.clone(),
        at: who.now,
        documents: request.invoices.clone(),
        customer_id: customer_id.clone(),
        counterparty_account,
        counterparty_name,
        learned: learned.is_some(),
        note: request.note.clone(),
    });
    let summary = serde_json::json!({
        "decision": "pair",
        "bank_line": id,
        "by": who.by,
        "invoices": request.invoices,
        "customer": customer_id,
        // What the person asked for, so `sluice rebuild` can ask the same again: a named
        // customer takes the rest of the money as credit, an implied one does not.
        "customer_named": request.customer,
        "learned": learned,
    });
    let commit_id = commit(&ledger, pipeline, who, new, summary)?;
    Ok(Paired {
        pairing: commit_id,
        bank_line: id.clone(),
        placed: placed
            .iter()
            .map(|m| PlacedMoney {
                kind: m.kind.as_str().to_string(),
                document: m.document.clone(),
                customer_id: m.customer_id.clone(),
                amount: m.amount.amount.to_string(),
                currency: m.amount.currency.code().to_string(),
            })
            .collect(),
        learned,
    })
}

/// "allocation, credit" — what a line's standing matches are.
fn kinds(now: &LineNow) -> String {
    let mut kinds: Vec<&str> = now.matches().map(|m| m.kind.as_str()).collect();
    kinds.dedup();
    kinds.join(", ")
}

/// The customer named with `--customer`, by id and name; refused when sluice knows no
/// such customer (from a customer export or an invoice).
fn customer(
    known: &Known,
    facts: &Facts,
    request: &PairRequest,
) -> Result<Option<(String, String)>, DecideError> {
    let Some(id) = request.customer.as_deref().map(str::trim) else {
        if request.invoices.is_empty() {
            return Err(DecideError::Refused(
                "name the invoice(s) the money pays, or --customer for a customer's credit"
                    .to_string(),
            ));
        }
        return Ok(None);
    };
    if let Some((_, c)) = known.customers.get(id) {
        return Ok(Some((c.id.clone(), c.name.clone())));
    }
    facts
        .documents
        .iter()
        .rev()
        .find(|d| d.document.customer_id == id)
        .map(|d| Some((id.to_string(), d.document.customer_name.clone())))
        .ok_or_else(|| {
            DecideError::Refused(format!(
                "no customer {id} in the ledger (no customer export or invoice names it); check the number"
            ))
        })
}

/// Every invoice named must be an open invoice in the line's currency.
fn check_invoices(known: &Known, request: &PairRequest, amount: Money) -> Result<(), DecideError> {
    let mut problems = Vec::new();
    for (i, number) in request.invoices.iter().enumerate() {
        if request.invoices[..i].contains(number) {
            problems.push(format!("{number} is named twice"));
            continue;
        }
        let Some(invoice) = known.book.invoice(number) else {
            problems.push(format!(
                "{number} is not an invoice sluice knows (not exported yet, deleted, a credit note, or kept out for its partner)"
            ));
            continue;
        };
        if invoice.total.currency != amount.currency {
            problems.push(format!(
                "{number} is in {}, the money in {}",
                invoice.total.currency, amount.currency
            ));
            continue;
        }
        if known
            .book
            .open_amount(number)
            .is_none_or(|open| open.is_zero())
        {
            problems.push(format!(
                "{number} is already {}",
                known.book.state_word(number)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DecideError::Refused(format!(
            "cannot pair: {}",
            problems.join("; ")
        )))
    }
}
