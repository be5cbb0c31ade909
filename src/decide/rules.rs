//! `sluice rules`: what sluice learned from people's pairings — this counterparty is that
//! customer — and removing one. A rule stands while its pairing does: undoing the pairing
//! (`unpair`) or removing the rule (`forget`) ends it.

use serde::Serialize;

use super::{DecideError, Who, commit, open};
use crate::ledger::{DecisionAction, DecisionRow, Facts, learned_rules};
use crate::pipeline::Pipeline;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LearnedRule {
    /// The pairing it was learned from: how `--remove` names it.
    pub id: String,
    /// The account (IBAN) the money came from; empty when the bank gave only a name.
    pub counterparty_account: String,
    pub counterparty_name: String,
    pub customer_id: String,
    pub by: String,
    pub learned_on: chrono::NaiveDate,
    pub bank_line: String,
}

pub fn rules(facts: &Facts) -> Vec<LearnedRule> {
    learned_rules(&facts.decisions)
        .into_iter()
        .map(rule_of)
        .collect()
}

fn rule_of(d: &DecisionRow) -> LearnedRule {
    LearnedRule {
        id: d.run_id.clone(),
        counterparty_account: d.counterparty_account.clone(),
        counterparty_name: d.counterparty_name.clone(),
        customer_id: d.customer_id.clone(),
        by: d.by.clone(),
        learned_on: d.at.date_naive(),
        bank_line: d.bank_line_id.clone(),
    }
}

/// Removes a learned rule; the pairing it came from stands.
pub fn forget_rule(pipeline: &Pipeline, id: &str, who: &Who) -> Result<LearnedRule, DecideError> {
    let (_lock, ledger, facts) = open(pipeline)?;
    let Some(rule) = rules(&facts).into_iter().find(|r| r.id == id) else {
        return Err(DecideError::Refused(format!(
            "no learned rule {id}; `sluice rules` lists them with their ids"
        )));
    };
    let mut new = Facts::default();
    new.decisions.push(DecisionRow {
        run_id: String::new(),
        action: DecisionAction::Forget,
        bank_line_id: rule.bank_line.clone(),
        replaces: vec![rule.id.clone()],
        by: who.by.clone(),
        at: who.now,
        documents: Vec::new(),
        customer_id: rule.customer_id.clone(),
        counterparty_account: rule.counterparty_account.clone(),
        counterparty_name: rule.counterparty_name.clone(),
        learned: false,
        note: String::new(),
    });
    let summary = serde_json::json!({
        "decision": "forget",
        "rule": rule.id,
        "by": who.by,
    });
    commit(&ledger, pipeline, who, new, summary)?;
    Ok(rule)
}
