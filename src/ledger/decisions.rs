//! The `decisions` table: what changed the matches of a bank line after they were first
//! written. Matches are never edited: a decision writes the line's new matches under its own
//! commit and names the commits whose matches of that line it withdraws (`replaces`). What a
//! line's money is now is therefore its matches minus the withdrawn ones (see
//! [`withdrawn`]); everything it ever was stays in the ledger for `sluice explain`.
//!
//! - `retry`: a run placed money that had waited for a person (an invoice arrived since);
//! - `pair`: a person placed it by hand (`sluice pair`), and the counterparty it came from is
//!   remembered for that customer unless they said not to (`learned`);
//! - `unpair`: a person undid what was placed (`sluice unpair`); the money waits again, and
//!   runs leave it to the person;
//! - `forget`: a person removed a rule learned from a pairing (`sluice rules --remove`);
//!   `replaces` names the pairing.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use polars::prelude::DataFrame;

use super::frame::{self, Reader, flag, text};
use super::tables::corrupt;
use super::{LedgerError, MatchRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionAction {
    Retry,
    Pair,
    Unpair,
    Forget,
}

impl DecisionAction {
    pub fn as_str(&self) -> &'static str {
        match self {
            DecisionAction::Retry => "retry",
            DecisionAction::Pair => "pair",
            DecisionAction::Unpair => "unpair",
            DecisionAction::Forget => "forget",
        }
    }

    pub fn parse(text: &str) -> Option<DecisionAction> {
        [
            DecisionAction::Retry,
            DecisionAction::Pair,
            DecisionAction::Unpair,
            DecisionAction::Forget,
        ]
        .into_iter()
        .find(|a| a.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    /// The commit that made the decision (a run, or a person's `pair`/`unpair`/`rules`).
    pub run_id: String,
    pub action: DecisionAction,
    pub bank_line_id: String,
    /// Commits whose matches of this line the decision withdraws; for `forget`, the pairing
    /// whose rule is removed.
    pub replaces: Vec<String>,
    /// The OS user, `--by`, or `sluice` for a run.
    pub by: String,
    pub at: DateTime<Utc>,
    /// Invoices a pairing named, in the order given.
    pub documents: Vec<String>,
    /// The customer a pairing placed the money with.
    pub customer_id: String,
    /// Where the money came from, as the bank wrote it: what a pairing teaches.
    pub counterparty_account: String,
    pub counterparty_name: String,
    /// Whether the pairing taught sluice to know this counterparty as the customer.
    pub learned: bool,
    pub note: String,
}

const LIST_SEPARATOR: char = ' ';

pub fn decisions_frame(rows: &[DecisionRow]) -> Result<DataFrame, LedgerError> {
    let joined = |v: &Vec<String>| v.join(&LIST_SEPARATOR.to_string());
    let replaces: Vec<String> = rows.iter().map(|r| joined(&r.replaces)).collect();
    let documents: Vec<String> = rows.iter().map(|r| joined(&r.documents)).collect();
    let at: Vec<String> = rows.iter().map(|r| r.at.to_rfc3339()).collect();
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("action", rows.iter().map(|r| r.action.as_str())),
        text("bank_line_id", rows.iter().map(|r| r.bank_line_id.as_str())),
        text("replaces", replaces.iter().map(String::as_str)),
        text("by", rows.iter().map(|r| r.by.as_str())),
        text("at", at.iter().map(String::as_str)),
        text("documents", documents.iter().map(String::as_str)),
        text("customer_id", rows.iter().map(|r| r.customer_id.as_str())),
        text(
            "counterparty_account",
            rows.iter().map(|r| r.counterparty_account.as_str()),
        ),
        text(
            "counterparty_name",
            rows.iter().map(|r| r.counterparty_name.as_str()),
        ),
        flag("learned", rows.iter().map(|r| r.learned)),
        text("note", rows.iter().map(|r| r.note.as_str())),
    ])
}

pub fn decisions_rows(r: &Reader<'_>) -> Result<Vec<DecisionRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let action = r.texts("action")?;
    let bank_line_id = r.texts("bank_line_id")?;
    let replaces = r.texts("replaces")?;
    let by = r.texts("by")?;
    let at = r.texts("at")?;
    let documents = r.texts("documents")?;
    let customer_id = r.texts("customer_id")?;
    let counterparty_account = r.texts("counterparty_account")?;
    let counterparty_name = r.texts("counterparty_name")?;
    let learned = r.flags("learned")?;
    let note = r.texts("note")?;
    let list = |s: &str| -> Vec<String> {
        s.split(LIST_SEPARATOR)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    (0..run_id.len())
        .map(|i| {
            Ok(DecisionRow {
                run_id: run_id[i].clone(),
                action: DecisionAction::parse(&action[i])
                    .ok_or_else(|| corrupt(r, "action", &action[i]))?,
                bank_line_id: bank_line_id[i].clone(),
                replaces: list(&replaces[i]),
                by: by[i].clone(),
                at: DateTime::parse_from_rfc3339(&at[i])
                    .map_err(|_| corrupt(r, "at", &at[i]))?
                    .with_timezone(&Utc),
                documents: list(&documents[i]),
                customer_id: customer_id[i].clone(),
                counterparty_account: counterparty_account[i].clone(),
                counterparty_name: counterparty_name[i].clone(),
                learned: learned[i],
                note: note[i].clone(),
            })
        })
        .collect()
}

/// The (bank line, commit) pairs whose matches a later decision withdrew.
pub fn withdrawn(decisions: &[DecisionRow]) -> HashSet<(String, String)> {
    decisions
        .iter()
        .filter(|d| d.action != DecisionAction::Forget)
        .flat_map(|d| {
            d.replaces
                .iter()
                .map(|run| (d.bank_line_id.clone(), run.clone()))
        })
        .collect()
}

/// The matches that stand: every match not withdrawn by a later decision, in commit order.
pub fn current_matches<'a>(
    matches: &'a [MatchRow],
    decisions: &[DecisionRow],
) -> Vec<&'a MatchRow> {
    let withdrawn = withdrawn(decisions);
    matches
        .iter()
        .filter(|m| {
            withdrawn.is_empty()
                || !withdrawn.contains(&(m.matched.bank_line_id.clone(), m.run_id.clone()))
        })
        .collect()
}

/// Pairings that taught a rule and still stand: their matches are not withdrawn, and no
/// `forget` removed the rule. The latest pairing of a counterparty comes last.
pub fn learned_rules(decisions: &[DecisionRow]) -> Vec<&DecisionRow> {
    let withdrawn = withdrawn(decisions);
    let forgotten: HashSet<&str> = decisions
        .iter()
        .filter(|d| d.action == DecisionAction::Forget)
        .flat_map(|d| d.replaces.iter().map(String::as_str))
        .collect();
    decisions
        .iter()
        .filter(|d| d.action == DecisionAction::Pair && d.learned)
        .filter(|d| !forgotten.contains(d.run_id.as_str()))
        .filter(|d| !withdrawn.contains(&(d.bank_line_id.clone(), d.run_id.clone())))
        .collect()
}

/// Lines whose last decision is a person's `unpair`: their money waits for that person, and
/// runs leave it alone.
pub fn held_by_person(decisions: &[DecisionRow]) -> HashSet<&str> {
    let mut last: std::collections::HashMap<&str, DecisionAction> =
        std::collections::HashMap::new();
    for d in decisions {
        if d.action != DecisionAction::Forget {
            last.insert(d.bank_line_id.as_str(), d.action);
        }
    }
    last.into_iter()
        .filter(|(_, action)| *action == DecisionAction::Unpair)
        .map(|(line, _)| line)
        .collect()
}
