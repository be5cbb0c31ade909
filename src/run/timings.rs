//! How long each stage of a run took, for the whole-pipeline benchmark
//! (`examples/bench_run.rs`). Kept out of the run summary on purpose: the summary is a fact
//! in the journal, and the same inputs must give the same facts — time does not.

use std::time::{Duration, Instant};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// Recovery and reading the ledger's committed facts into the book.
    pub load: Duration,
    /// Listing the inbox, reading, fingerprinting, de-duplicating and parsing the files.
    pub intake: Duration,
    /// Applying what was read (documents, customers, statements) and planning what each
    /// target stages, reconciliation aside.
    pub apply: Duration,
    /// Placing the bank lines' money (`reconcile`).
    pub reconcile: Duration,
    /// Writing the ledger's segments and the journal record.
    pub ledger: Duration,
    /// Rendering and staging the outbox batches.
    pub render: Duration,
    /// Moving the inputs to the archive.
    pub archive: Duration,
    pub total: Duration,
}

/// Adds the time `work` takes to `slot`.
pub(crate) fn timed<T>(slot: &mut Duration, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = work();
    *slot += start.elapsed();
    result
}
