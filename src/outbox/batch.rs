//! A run's batches, one per target, rendered from what the run committed. The run stages
//! them; `replay` renders them again from the ledger alone. Both call [`render`] with a
//! [`RunRecord`] — the rows the run appends to the ledger, and the few facts of earlier runs
//! those rows refer to — so there is one way from a run's facts to its batches, and what a
//! replay proves of a batch is what the run did.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{BatchHeader, InputRef, Manifest, manifest};
use crate::ledger::{CustomerRow, DocumentRow, Facts, StagingRow};
use crate::model::{BankLine, Customer, Match};
use crate::pipeline::Target;
use crate::targets::{self, RenderedFile, RunFacts};

/// What one run's batches are rendered from: in memory while the run commits, read back
/// from the ledger by `replay`.
pub struct RunRecord<'a> {
    pub run_id: &'a str,
    pub pipeline: &'a str,
    /// When the run started: each manifest's `created`, and the day of what the run changed
    /// of earlier runs' facts.
    pub started: DateTime<Utc>,
    /// The rows the run appends to the ledger (its segments).
    pub rows: &'a Facts,
    /// The earlier runs' lines the run placed on retry, in the order of its `retry`
    /// decisions.
    pub retried_lines: &'a [BankLine],
    /// The earlier matches those retries withdrew.
    pub withdrawn: &'a [Match],
    /// The version before each changed document of `rows.documents`.
    pub replaced_documents: &'a [DocumentRow],
    /// The latest version of every customer once the run is applied, by customer number.
    pub customers: &'a HashMap<String, (i64, Customer)>,
    /// The latest version of every document once the run is applied, by number: the
    /// versions `rows.target_documents` stages are among them.
    pub documents: &'a HashMap<String, DocumentRow>,
    /// By target, the documents it holds once the run is applied (the last
    /// `target_documents` decision for them says held): the platform does not have them.
    pub held: &'a HashMap<String, HashSet<String>>,
}

/// One target's batch, rendered, before it is written anywhere.
pub struct Batch {
    pub manifest: Manifest,
    pub files: Vec<RenderedFile>,
}

/// The batch of each target that has something to render (a bank statement target needs
/// new bank lines, a journal anything it books), in the order of `targets`.
pub fn render(targets: &[Target], record: &RunRecord<'_>) -> Vec<Batch> {
    let rows = record.rows;
    // The run's own lines; matches of other lines are what it changed of earlier runs'
    // money (retries, status reports).
    let lines: Vec<BankLine> = rows
        .bank_lines
        .iter()
        .filter(|r| r.applied)
        .map(|r| r.line.clone())
        .collect();
    let ids: HashSet<&str> = lines.iter().map(|l| l.id.as_str()).collect();
    let (matches, rematched): (Vec<Match>, Vec<Match>) = rows
        .matches
        .iter()
        .map(|r| r.matched.clone())
        .partition(|m| ids.contains(m.bank_line_id.as_str()));
    let no_documents = HashSet::new();
    let facts = RunFacts {
        date: record.started.date_naive(),
        bank_lines: &lines,
        matches: &matches,
        rematched: &rematched,
        retried_lines: record.retried_lines,
        withdrawn: record.withdrawn,
        documents: &rows.documents,
        replaced_documents: record.replaced_documents,
        customers: &rows.customers,
        staged_documents: &[],
        all_customers: record.customers,
        held_documents: &no_documents,
        all_documents: record.documents,
    };
    let mut batches = Vec::new();
    for target in targets {
        let staged = staged_documents(target, record);
        let facts = RunFacts {
            staged_documents: &staged,
            held_documents: record.held.get(&target.name).unwrap_or(&no_documents),
            ..facts
        };
        let files = targets::render(target, &facts);
        if files.is_empty() {
            continue;
        }
        let manifest = manifest(
            BatchHeader {
                batch_id: record.run_id,
                run_id: record.run_id,
                pipeline: record.pipeline,
                target: &target.name,
                platform: target.platform.as_str(),
                created: record.started,
                inputs: inputs(target, &lines, &rows.documents, &rows.customers, &staged),
            },
            &files,
        );
        batches.push(Batch { manifest, files });
    }
    batches
}

/// By target, the documents whose last staging decision among `rows` (in order) held them.
pub fn held_documents<'r>(
    rows: impl IntoIterator<Item = &'r StagingRow>,
) -> HashMap<String, HashSet<String>> {
    let mut last: HashMap<(&str, &str), bool> = HashMap::new();
    for row in rows {
        last.insert((row.target.as_str(), row.number.as_str()), row.staged);
    }
    let mut held: HashMap<String, HashSet<String>> = HashMap::new();
    for ((target, number), staged) in last {
        if !staged {
            held.entry(target.to_string())
                .or_default()
                .insert(number.to_string());
        }
    }
    held
}

/// The document versions the run staged for a target that imports documents (its
/// `target_documents` rows marked staged), in the order it decided them.
fn staged_documents(target: &Target, record: &RunRecord<'_>) -> Vec<DocumentRow> {
    record
        .rows
        .target_documents
        .iter()
        .filter(|r| r.staged && r.target == target.name)
        .filter_map(|r| {
            record
                .documents
                .get(&r.number)
                .filter(|d| d.version == r.version)
                .cloned()
        })
        .collect()
}

/// The input files a target's batch came from: those of the run's bank lines; for a
/// journal, which books documents too (their payees named by the customer export), those
/// of the documents and customers the run wrote; for a target that imports documents, those of
/// the documents it stages (some from earlier runs) and of the customers the run wrote.
fn inputs(
    target: &Target,
    lines: &[BankLine],
    documents: &[DocumentRow],
    customers: &[CustomerRow],
    staged: &[DocumentRow],
) -> Vec<InputRef> {
    let (documents, customers): (&[DocumentRow], &[CustomerRow]) = if target.platform.is_journal() {
        (documents, customers)
    } else if target.document_mapping().is_some() {
        (staged, customers)
    } else {
        (&[], &[])
    };
    let lineages = lines
        .iter()
        .map(|l| &l.lineage)
        .chain(documents.iter().map(|r| &r.document.lineage))
        .chain(customers.iter().map(|r| &r.customer.lineage));
    let mut inputs: Vec<InputRef> = Vec::new();
    for lineage in lineages {
        if !inputs.iter().any(|i| i.sha256 == lineage.file_sha256) {
            inputs.push(InputRef {
                name: lineage.file_name.clone(),
                sha256: lineage.file_sha256.clone(),
            });
        }
    }
    inputs
}
