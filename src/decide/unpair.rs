//! `sluice unpair`: what was placed on a bank line — by a rule or by a person — is undone,
//! and its money waits for a person again. Runs leave an unpaired line alone (the person
//! took it in hand); `sluice pair` places it. A rule learned from a pairing that is undone
//! is no longer used.

use serde::Serialize;

use super::{DecideError, LineNow, Who, commit, open};
use crate::ledger::{DecisionAction, DecisionRow, Facts, MatchRow, learned_rules};
use crate::model::{Match, MatchKind};
use crate::pipeline::Pipeline;
use crate::reconcile::RULE_MANUAL;

#[derive(Debug, Clone, Serialize)]
pub struct Unpaired {
    pub commit: String,
    pub bank_line: String,
    /// What was undone, in words: "allocation of EUR 29.90 to INV-2026-0042".
    pub undone: Vec<String>,
    /// The learned rule this undoes, when the line was paired by a person who taught one.
    pub rule_dropped: Option<String>,
}

/// What a person may undo: money placed on invoices, a customer's credit, a bank credit
/// taken for a gateway's payout.
fn undoable(m: &Match) -> bool {
    match m.kind {
        MatchKind::Allocation | MatchKind::Credit => true,
        MatchKind::Payout => m.amount.amount.is_sign_positive(),
        _ => false,
    }
}

pub fn unpair(
    pipeline: &Pipeline,
    bank_line: &str,
    who: &Who,
    note: &str,
) -> Result<Unpaired, DecideError> {
    let (_lock, ledger, facts) = open(pipeline)?;
    let now = LineNow::find(&facts, bank_line)?;
    let id = now.line.id.clone();
    if let Some(back) = now
        .matches()
        .find(|m| matches!(m.kind, MatchKind::Reversal | MatchKind::Returned))
    {
        return Err(DecideError::Refused(format!(
            "bank line {id}'s money was taken back since ({}); undoing it now would count that twice — pair or correct the return's line instead",
            back.explanation
        )));
    }
    if !now.matches().any(undoable) {
        return Err(DecideError::Refused(format!(
            "nothing placed on bank line {id} to undo: its money is {}",
            describe(now.matches())
        )));
    }
    let rule_dropped = learned_rules(&facts.decisions)
        .into_iter()
        .find(|d| d.bank_line_id == id && now.rows.iter().any(|m| m.run_id == d.run_id))
        .map(|d| d.run_id.clone());

    let when = who.now.date_naive();
    let mut undone = Vec::new();
    let mut new = Facts::default();
    for m in now.matches() {
        let matched = if undoable(m) {
            let what = what(m);
            undone.push(what.clone());
            Match {
                kind: MatchKind::Unmatched,
                document: None,
                customer_id: None,
                rule: RULE_MANUAL.to_string(),
                confidence: 0,
                explanation: format!(
                    "unpaired by {} on {when}{}: was {what} ({})",
                    who.by,
                    if note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({note})")
                    },
                    m.explanation
                ),
                ..m.clone()
            }
        } else {
            m.clone()
        };
        new.matches.push(MatchRow {
            run_id: String::new(),
            matched,
        });
    }
    new.decisions.push(DecisionRow {
        run_id: String::new(),
        action: DecisionAction::Unpair,
        bank_line_id: id.clone(),
        replaces: now.commits(),
        by: who.by.clone(),
        at: who.now,
        documents: Vec::new(),
        customer_id: String::new(),
        counterparty_account: String::new(),
        counterparty_name: String::new(),
        learned: false,
        note: note.to_string(),
    });
    let summary = serde_json::json!({
        "decision": "unpair",
        "bank_line": id,
        "by": who.by,
        "undone": undone,
        "rule_dropped": rule_dropped,
    });
    let commit = commit(&ledger, pipeline, who, new, summary)?;
    Ok(Unpaired {
        commit,
        bank_line: id,
        undone,
        rule_dropped,
    })
}

/// "allocation of EUR 29.90 to INV-2026-0042", "credit of EUR 5.00 for customer C1".
pub(crate) fn what(m: &Match) -> String {
    let target = match (&m.document, &m.customer_id) {
        (Some(doc), _) => format!(" to {doc}"),
        (None, Some(c)) => format!(" for customer {c}"),
        _ => String::new(),
    };
    format!("{} of {}{target}", m.kind.as_str(), m.amount)
}

fn describe<'a>(matches: impl Iterator<Item = &'a Match>) -> String {
    let parts: Vec<String> = matches.map(what).collect();
    if parts.is_empty() {
        "not placed at all".to_string()
    } else {
        parts.join(", ")
    }
}
