//! The `target_documents` table: which document version a target that imports documents
//! (Xero, QuickBooks) staged, and which it held because its mapping did not cover the
//! document. One row per decision: a document staged once is never staged again for that
//! target (Xero's and QuickBooks' imports refuse a number they have), and one held stays
//! held until a later run stages it — that run
//! writes the `staged` row. So what is still held for a target is every document whose last
//! row for it says `held`.

use polars::prelude::DataFrame;

use super::LedgerError;
use super::frame::{self, Reader, flag, int, text};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagingRow {
    pub run_id: String,
    /// The target's name in the pipeline file.
    pub target: String,
    pub number: String,
    pub version: i64,
    /// Staged in the run's batch (true) or held (false).
    pub staged: bool,
    /// Why it was held, and what to add to the pipeline; empty when staged.
    pub reason: String,
}

pub fn staging_frame(rows: &[StagingRow]) -> Result<DataFrame, LedgerError> {
    frame::frame(vec![
        text("run_id", rows.iter().map(|r| r.run_id.as_str())),
        text("target", rows.iter().map(|r| r.target.as_str())),
        text("number", rows.iter().map(|r| r.number.as_str())),
        int("version", rows.iter().map(|r| r.version)),
        flag("staged", rows.iter().map(|r| r.staged)),
        text("reason", rows.iter().map(|r| r.reason.as_str())),
    ])
}

pub fn staging_rows(r: &Reader<'_>) -> Result<Vec<StagingRow>, LedgerError> {
    let run_id = r.texts("run_id")?;
    let target = r.texts("target")?;
    let number = r.texts("number")?;
    let version = r.ints("version")?;
    let staged = r.flags("staged")?;
    let reason = r.texts("reason")?;
    Ok((0..run_id.len())
        .map(|i| StagingRow {
            run_id: run_id[i].clone(),
            target: target[i].clone(),
            number: number[i].clone(),
            version: version[i],
            staged: staged[i],
            reason: reason[i].clone(),
        })
        .collect())
}
