//! `sluice report`: one self-contained HTML page a controller or auditor opens — money in
//! and out per account and currency, what became of every bank line with the explanation of
//! each match, the daily cash-in and the unmatched backlog as charts, the input files with
//! their SHA-256 and the batches produced with their manifests' SHA-256.
//!
//! Built from the committed ledger alone (like `status`, safe beside a run), in two steps:
//! [`build`] gathers the facts of the scope into a [`Report`], [`html`] writes the page. The
//! page carries no script, font or image from elsewhere: an auditor may open it years later,
//! offline, and see the same. Every amount is the ledger's exact decimal.

mod chart;
mod html;
mod inputs;
mod lines;
mod scope;
mod series;
mod text;
mod totals;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::ledger::{BankLineRow, DocumentRow, FileRow, Ledger, LedgerError};
use crate::pipeline::Pipeline;
use crate::run::Known;

pub use html::html;
pub use inputs::BatchReport;
pub use lines::{LineReport, OUTCOMES, outcome_name};
pub use scope::{BadPeriod, Period, Scope};
pub use series::DailySeries;
pub use totals::{AccountTotals, DocumentTotals};

#[derive(Debug, Error)]
pub enum ReportError {
    #[error(
        "no committed run is called \"{0}\": `sluice status` names the last run, the ledger's journal folder holds them all"
    )]
    NoSuchRun(String),
    #[error("the ledger cannot be read: {0}")]
    Ledger(#[from] LedgerError),
}

/// What the page shows, gathered from the ledger for one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub pipeline: String,
    pub scope: Scope,
    /// When the report was made: the only thing on the page that is not a ledger fact.
    pub generated: DateTime<Utc>,
    /// The last commit the ledger held when the report was made.
    pub ledger_at: Option<String>,
    pub accounts: Vec<AccountTotals>,
    pub documents: Vec<DocumentTotals>,
    /// Every applied bank line in scope, by booking date.
    pub lines: Vec<LineReport>,
    pub cash_in: Vec<DailySeries>,
    pub backlog: Vec<DailySeries>,
    pub files: Vec<FileRow>,
    pub batches: Vec<BatchReport>,
}

pub fn build(
    pipeline: &Pipeline,
    scope: &Scope,
    generated: DateTime<Utc>,
) -> Result<Report, ReportError> {
    let ledger = Ledger::new(&pipeline.ledger);
    let journal = ledger.journal()?;
    if let Scope::Run(id) = scope
        && !journal.iter().any(|r| &r.run_id == id)
    {
        return Err(ReportError::NoSuchRun(id.clone()));
    }
    let facts = ledger.load()?;
    let known = Known::from_facts(&facts, &pipeline.reconcile);

    let mut in_scope: Vec<&BankLineRow> = facts
        .bank_lines
        .iter()
        .filter(|r| r.applied)
        .filter(|r| match scope {
            Scope::Everything => true,
            Scope::Run(id) => &r.run_id == id,
            Scope::Period(p) => p.contains(r.line.booking_date),
        })
        .collect();
    in_scope
        .sort_by(|a, b| (a.line.booking_date, &a.line.id).cmp(&(b.line.booking_date, &b.line.id)));
    let documents = documents_in_scope(&facts.documents, scope);

    // The runs that wrote the scope's facts, and the files they took in: a month's page lists
    // the customer export or the pain.008 read beside its statements, too.
    let (files, runs): (Vec<FileRow>, BTreeSet<&str>) = match scope {
        Scope::Everything => (
            facts.files.clone(),
            journal.iter().map(|r| r.run_id.as_str()).collect(),
        ),
        Scope::Run(id) => (
            facts
                .files
                .iter()
                .filter(|f| &f.run_id == id)
                .cloned()
                .collect(),
            BTreeSet::from([id.as_str()]),
        ),
        Scope::Period(_) => {
            let runs: BTreeSet<&str> = in_scope
                .iter()
                .map(|r| r.run_id.as_str())
                .chain(documents.iter().map(|d| d.run_id.as_str()))
                .collect();
            (
                facts
                    .files
                    .iter()
                    .filter(|f| runs.contains(f.run_id.as_str()))
                    .cloned()
                    .collect(),
                runs,
            )
        }
    };
    let batches = journal
        .iter()
        .filter(|r| runs.contains(r.run_id.as_str()))
        .flat_map(|r| r.batches.iter())
        .map(|b| inputs::batch_report(&pipeline.outbox, b))
        .collect();

    let lines = lines::line_reports(&in_scope, &facts, &known.book);
    let (cash_in, backlog) = series::daily(&in_scope, &facts, scope);
    Ok(Report {
        pipeline: pipeline.name.clone(),
        scope: scope.clone(),
        generated,
        ledger_at: journal.last().map(|r| r.run_id.clone()),
        accounts: totals::account_totals(&in_scope),
        documents: totals::document_totals(&documents),
        lines,
        cash_in,
        backlog,
        files,
        batches,
    })
}

/// The documents of the scope: for a run, the versions it wrote; otherwise each document's
/// latest version, for a month only those issued in it.
fn documents_in_scope<'f>(all: &'f [DocumentRow], scope: &Scope) -> Vec<&'f DocumentRow> {
    if let Scope::Run(id) = scope {
        return all.iter().filter(|d| &d.run_id == id).collect();
    }
    let mut latest: HashMap<&str, &DocumentRow> = HashMap::new();
    for row in all {
        latest.insert(row.document.number.as_str(), row);
    }
    let mut documents: Vec<&DocumentRow> = latest
        .into_values()
        .filter(|d| match scope {
            Scope::Period(p) => p.contains(d.document.issue_date),
            _ => true,
        })
        .collect();
    documents.sort_by(|a, b| a.document.number.cmp(&b.document.number));
    documents
}
