//! Targets render committed ledger facts for one platform. A target knows nothing of
//! sources: it reads bank lines and matches as the ledger holds them, so rendering the
//! same facts again gives the same bytes (the basis of `replay` and of the golden tests).
//! Entries whose money belongs wholly to customers of a partner on the partners-ignore list
//! are left out here, once for every platform: that partner accounts for them, not us.
//! (Documents carry their own `ignored` mark, which a target reads: a version kept out may
//! undo an earlier one that was not.)

pub mod api_section;
pub mod journal;
pub mod mapping;
pub mod netsuite;
pub mod payments;
pub mod quickbooks;
pub mod sage;
pub mod xero;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ledger::{CustomerRow, DocumentRow};
use crate::model::{BankLine, Customer, Document, Match, MatchKind};
use crate::pipeline::{Platform, Target};

/// The facts of one run a target may render: what the run committed.
#[derive(Clone, Copy)]
pub struct RunFacts<'a> {
    /// The day of the run: the date of what it changed about earlier runs' facts.
    pub date: NaiveDate,
    /// Applied (not duplicate) bank lines, in statement order.
    pub bank_lines: &'a [BankLine],
    /// The matches of `bank_lines`.
    pub matches: &'a [Match],
    /// Matches the run wrote for lines of earlier runs: money that waited and was placed on
    /// retry, money a status report took back from the invoice it paid.
    pub rematched: &'a [Match],
    /// The earlier runs' lines of `rematched` that the run placed on retry (a status
    /// report's matches are of lines whose money went back, not placed).
    pub retried_lines: &'a [BankLine],
    /// The earlier matches `rematched` replaces (a retry withdraws the line's unmatched
    /// matches; a status report withdraws nothing).
    pub withdrawn: &'a [Match],
    /// Document versions the run wrote (new, or changed since their last version).
    pub documents: &'a [DocumentRow],
    /// The version before each changed document of `documents`, as it was written.
    pub replaced_documents: &'a [DocumentRow],
    /// Customer versions the run wrote (new, or changed).
    pub customers: &'a [CustomerRow],
    /// Document versions the run stages for this target, when it imports documents
    /// (Xero): chosen per target by the run — new in the ledger, or held by an earlier run
    /// for a mapping the pipeline now has — and each passing the target's mapping.
    pub staged_documents: &'a [DocumentRow],
    /// The latest version of every customer in the ledger, by customer number: who the
    /// staged documents name.
    pub all_customers: &'a HashMap<String, (i64, Customer)>,
    /// The documents this target holds (its mapping does not cover them, or the period is
    /// locked): the platform does not have them, so what pays them waits for them.
    pub held_documents: &'a HashSet<String>,
    /// The latest version of every document in the ledger, by number: the invoices the
    /// run's payments pay, some staged by earlier runs.
    pub all_documents: &'a HashMap<String, DocumentRow>,
}

/// One file of a batch, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// Data records in the file (header not counted).
    pub records: u64,
    /// Sum of amounts per currency.
    pub totals: BTreeMap<String, Decimal>,
}

pub fn render(target: &Target, facts: &RunFacts<'_>) -> Vec<RenderedFile> {
    let (bank_lines, matches) = without_ignored(facts);
    let facts = RunFacts {
        bank_lines: &bank_lines,
        matches: &matches,
        ..*facts
    };
    match target.platform {
        Platform::Xero => xero::render(target, &facts),
        Platform::QuickBooks => quickbooks::render(target, &facts),
        Platform::Sage => sage::render(target, &facts),
        Platform::NetSuite => netsuite::render(target, &facts),
        Platform::Hledger | Platform::Beancount => journal::render(target, &facts),
    }
}

/// The facts without the entries every match of which is `ignored`.
fn without_ignored(facts: &RunFacts<'_>) -> (Vec<BankLine>, Vec<Match>) {
    let mut all_ignored: HashMap<&str, bool> = HashMap::new();
    for m in facts.matches {
        *all_ignored.entry(m.bank_line_id.as_str()).or_insert(true) &= m.kind == MatchKind::Ignored;
    }
    let kept_out = |id: &str| all_ignored.get(id).copied().unwrap_or(false);
    (
        facts
            .bank_lines
            .iter()
            .filter(|l| !kept_out(&l.id))
            .cloned()
            .collect(),
        facts
            .matches
            .iter()
            .filter(|m| !kept_out(&m.bank_line_id))
            .cloned()
            .collect(),
    )
}

/// A CSV file as the platforms' imports read it: UTF-8, comma-separated, quoted where
/// needed, CRLF lines.
pub fn csv_bytes<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; the csv crate only reports I/O errors of its writer.
    writer.write_record(header).expect("write to memory");
    for row in rows {
        writer.write_record(row.as_ref()).expect("write to memory");
    }
    writer.into_inner().expect("write to memory")
}

/// What a document's amounts are multiplied by in an import file: -1 for a credit note
/// the billing system wrote negative, as the platforms take credit notes' amounts positive
/// and give them their direction themselves.
pub fn file_sign(doc: &Document, credit: bool) -> Decimal {
    if credit && doc.total.amount.is_sign_negative() {
        Decimal::NEGATIVE_ONE
    } else {
        Decimal::ONE
    }
}

/// The documents' totals per currency as an import file writes them (a credit note's
/// positive), for the batch manifest.
pub fn document_totals(docs: &[&Document]) -> BTreeMap<String, Decimal> {
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for doc in docs {
        *totals
            .entry(doc.total.currency.code().to_string())
            .or_default() += doc.total.amount.abs();
    }
    totals
}

/// A document and its rows, as an import file writes them.
pub type Rendered<D> = (D, Vec<Vec<String>>);

/// Documents in files of at most `max_documents` documents and `max_rows` rows, a
/// document's rows never split (platforms group a document's rows by its number).
pub fn split_documents<D>(
    documents: &[Rendered<D>],
    max_documents: usize,
    max_rows: usize,
) -> Vec<&[Rendered<D>]> {
    let mut parts = Vec::new();
    let (mut start, mut rows) = (0, 0);
    for (i, (_, doc_rows)) in documents.iter().enumerate() {
        let full = i - start == max_documents || rows + doc_rows.len() > max_rows;
        if full && i > start {
            parts.push(&documents[start..i]);
            (start, rows) = (i, 0);
        }
        rows += doc_rows.len();
    }
    if start < documents.len() {
        parts.push(&documents[start..]);
    }
    parts
}

/// The CSV files of rendered documents, in parts of at most `max_documents` documents and
/// `max_rows` rows (`stem.csv`, or `stem-part1.csv` …), each with its documents' totals.
pub fn document_files(
    stem: &str,
    header: &[&str],
    documents: &[Rendered<&Document>],
    max_documents: usize,
    max_rows: usize,
) -> Vec<RenderedFile> {
    let parts = split_documents(documents, max_documents, max_rows);
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let docs: Vec<&Document> = part.iter().map(|(doc, _)| *doc).collect();
            let rows: Vec<&Vec<String>> = part.iter().flat_map(|(_, rows)| rows).collect();
            RenderedFile {
                name: part_name(stem, "csv", i, parts.len()),
                bytes: csv_bytes(header, &rows),
                records: rows.len() as u64,
                totals: document_totals(&docs),
            }
        })
        .collect()
}

/// The name of part `index` (from 0) of a file split in `parts`: `stem.ext` when it is
/// not split, `stem-part1.ext` … when it is.
pub fn part_name(stem: &str, extension: &str, index: usize, parts: usize) -> String {
    if parts > 1 {
        format!("{stem}-part{}.{extension}", index + 1)
    } else {
        format!("{stem}.{extension}")
    }
}
