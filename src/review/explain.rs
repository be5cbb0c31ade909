//! `sluice explain`: the whole story of one bank line or one invoice, from the ledger's
//! facts — where it came from (file and line), every match ever written for it with the
//! rule and its explanation, which of them stand and which a later decision withdrew (and
//! who decided), the allocations, and later reversals.

use std::collections::HashMap;

use serde::Serialize;
use thiserror::Error;

use crate::ledger::{DecisionRow, Facts, MatchRow, withdrawn};
use crate::model::{MatchKind, Money};
use crate::pipeline::Pipeline;
use crate::run::Known;

#[derive(Debug, Error)]
pub enum ExplainError {
    #[error(
        "\"{0}\" is neither a bank line id nor an invoice number in the ledger; `sluice unmatched` shows line ids, `sluice explain` takes one or an invoice number"
    )]
    NotFound(String),
}

/// One match as written, and whether it stands.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MatchFact {
    /// The commit (run or person's decision) that wrote it.
    pub commit: String,
    pub bank_line: String,
    pub kind: String,
    pub document: Option<String>,
    pub customer_id: Option<String>,
    pub amount: String,
    pub currency: String,
    pub rule: String,
    pub confidence: u8,
    pub explanation: String,
    /// The decision that withdrew it, when one did.
    pub withdrawn_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DecisionFact {
    pub commit: String,
    pub action: String,
    pub by: String,
    pub at: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineStory {
    pub bank_line: String,
    pub file: String,
    pub line: u64,
    pub account: String,
    pub booking_date: chrono::NaiveDate,
    pub amount: String,
    pub currency: String,
    pub counterparty: String,
    pub counterparty_account: String,
    pub reference: String,
    pub text: String,
    /// The run that took it in.
    pub taken_in_by: String,
    pub matches: Vec<MatchFact>,
    pub decisions: Vec<DecisionFact>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VersionFact {
    pub version: i64,
    pub commit: String,
    pub file: String,
    pub line: u64,
    pub status: String,
    pub total: String,
    pub currency: String,
    pub applied: bool,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InvoiceStory {
    pub invoice: String,
    pub customer_id: String,
    pub customer_name: String,
    pub versions: Vec<VersionFact>,
    /// Money placed on it and taken back, as written.
    pub matches: Vec<MatchFact>,
    /// What is open on it now; `None` when it is not in the book (deleted, without lines,
    /// a credit note, or kept out for its partner).
    pub open: Option<String>,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Explained {
    BankLine(LineStory),
    Invoice(InvoiceStory),
}

pub fn explain(pipeline: &Pipeline, facts: &Facts, id: &str) -> Result<Explained, ExplainError> {
    let id = id.trim();
    let withdrawn_by = withdrawals(&facts.decisions);
    let fact = |row: &MatchRow| {
        let m = &row.matched;
        MatchFact {
            commit: row.run_id.clone(),
            bank_line: m.bank_line_id.clone(),
            kind: m.kind.as_str().to_string(),
            document: m.document.clone(),
            customer_id: m.customer_id.clone(),
            amount: m.amount.amount.to_string(),
            currency: m.amount.currency.code().to_string(),
            rule: m.rule.clone(),
            confidence: m.confidence,
            explanation: m.explanation.clone(),
            withdrawn_by: withdrawn_by
                .get(&(m.bank_line_id.clone(), row.run_id.clone()))
                .cloned(),
        }
    };
    if let Some(row) = facts
        .bank_lines
        .iter()
        .find(|r| r.applied && r.line.id == id)
    {
        let l = &row.line;
        return Ok(Explained::BankLine(LineStory {
            bank_line: l.id.clone(),
            file: l.lineage.file_name.clone(),
            line: l.lineage.line,
            account: l.account.clone(),
            booking_date: l.booking_date,
            amount: l.amount.amount.to_string(),
            currency: l.amount.currency.code().to_string(),
            counterparty: l.counterparty.clone(),
            counterparty_account: l.counterparty_account.clone(),
            reference: l.bank_reference.clone(),
            text: l.text.clone(),
            taken_in_by: row.run_id.clone(),
            matches: facts
                .matches
                .iter()
                .filter(|m| m.matched.bank_line_id == id)
                .map(fact)
                .collect(),
            decisions: facts
                .decisions
                .iter()
                .filter(|d| d.bank_line_id == id)
                .map(|d| DecisionFact {
                    commit: d.run_id.clone(),
                    action: d.action.as_str().to_string(),
                    by: d.by.clone(),
                    at: d.at.to_rfc3339(),
                    note: d.note.clone(),
                })
                .collect(),
        }));
    }
    let versions: Vec<_> = facts
        .documents
        .iter()
        .filter(|d| d.document.number == id)
        .collect();
    let Some(latest) = versions.last() else {
        return Err(ExplainError::NotFound(id.to_string()));
    };
    let known = Known::from_facts(facts, &pipeline.reconcile);
    let open: Option<Money> = known.book.open_amount(id);
    Ok(Explained::Invoice(InvoiceStory {
        invoice: id.to_string(),
        customer_id: latest.document.customer_id.clone(),
        customer_name: latest.document.customer_name.clone(),
        versions: versions
            .iter()
            .map(|d| VersionFact {
                version: d.version,
                commit: d.run_id.clone(),
                file: d.document.lineage.file_name.clone(),
                line: d.document.lineage.line,
                status: d.document.status.as_str().to_string(),
                total: d.document.total.amount.to_string(),
                currency: d.document.total.currency.code().to_string(),
                applied: d.applied && d.ignored.is_none(),
                note: d.ignored.clone().unwrap_or_else(|| d.note.clone()),
            })
            .collect(),
        matches: facts
            .matches
            .iter()
            .filter(|m| {
                m.matched.document.as_deref() == Some(id)
                    && matches!(
                        m.matched.kind,
                        MatchKind::Allocation | MatchKind::Reversal | MatchKind::Returned
                    )
            })
            .map(fact)
            .collect(),
        open: open.map(|m| m.amount.to_string()),
        currency: latest.document.total.currency.code().to_string(),
    }))
}

/// Which decision withdrew the matches of (line, commit).
fn withdrawals(decisions: &[DecisionRow]) -> HashMap<(String, String), String> {
    let standing = withdrawn(decisions);
    let mut by = HashMap::new();
    for d in decisions {
        for run in &d.replaces {
            let key = (d.bank_line_id.clone(), run.clone());
            if standing.contains(&key) {
                by.insert(
                    key,
                    format!("{} {} by {}", d.action.as_str(), d.run_id, d.by),
                );
            }
        }
    }
    by
}
