//! Reading and checking a pipeline file; every problem is reported with its key and line.
//!
//! Parsing happens in two passes: serde reads the TOML (collecting every unknown key rather
//! than stopping at the first), then `Checker` looks at each value that serde cannot judge
//! (currencies, encodings, patterns, column mappings) and collects all that is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::format::{Item, StrftimeItems};
use regex::Regex;
use thiserror::Error;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::schema::{ColumnRef, ColumnSpec, PipelineFile, SourceFormat, SourceSection};
use super::{CsvLayout, DEFAULT_INVOICE_PATTERN, Pipeline, ReconcileSettings, Source, Target};
use crate::line_index::LineIndex;
use crate::model::Currency;
use crate::sources;

/// One thing wrong in a pipeline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the pipeline file (0 when the problem is the file as a whole).
    pub line: usize,
    /// Dotted path of the key, e.g. `sources[0].columns.amount`.
    pub key: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(f, "line {}: {}: {}", self.line, self.key, self.message)
        }
    }
}

#[derive(Debug, Error)]
pub enum PipelineError {
    #[error("cannot read pipeline file {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} has {} problem(s):\n{}", problems.len(), list(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

fn list(path: &Path, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            let at = match p.line {
                0 => format!("{}", path.display()),
                line => format!("{}:{line}", path.display()),
            };
            if p.key.is_empty() {
                format!("  {at}: {}", p.message)
            } else {
                format!("  {at}: {}: {}", p.key, p.message)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads, checks and resolves a pipeline file. Nothing else is read before this succeeds.
pub fn load(path: &Path) -> Result<Pipeline, PipelineError> {
    let text = std::fs::read_to_string(path).map_err(|source| PipelineError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let invalid = |problems| PipelineError::Invalid {
        path: path.to_path_buf(),
        problems,
    };
    let lines = LineIndex::new(&text);
    let tree = match DeTable::parse(&text) {
        Ok(tree) => tree,
        Err(e) => {
            return Err(invalid(vec![Problem {
                line: e.span().map(|s| lines.line(s.start)).unwrap_or(0),
                key: String::new(),
                message: format!("not valid TOML: {}", e.message()),
            }]));
        }
    };

    let mut problems = Vec::new();
    let file = parts(tree.get_ref(), &lines, &mut problems);

    let base = folder_of(path);
    let mut checker = Checker {
        lines: &lines,
        problems,
    };
    let pipeline = checker.resolve(file, path, &base);
    let mut problems = checker.problems;
    problems.sort_by_key(|p| p.line);
    match pipeline {
        Some(p) if problems.is_empty() => Ok(p),
        _ => Err(invalid(problems)),
    }
}

/// Reads each section on its own, so one wrong value does not hide the problems of the
/// others: every unknown key and every wrong type in the file is reported in one go.
fn parts(tree: &DeTable<'_>, lines: &LineIndex, problems: &mut Vec<Problem>) -> PipelineFile {
    let mut file = PipelineFile {
        complete: true,
        ..PipelineFile::default()
    };
    for (key, value) in tree.iter() {
        let name: &str = key.get_ref().as_ref();
        match name {
            "name" => {
                file.complete &= read_into(&mut file.name, tree, value, name, lines, problems)
            }
            "inbox" => {
                file.complete &= read_into(&mut file.inbox, tree, value, name, lines, problems)
            }
            "ledger" => {
                file.complete &= read_into(&mut file.ledger, tree, value, name, lines, problems)
            }
            "outbox" => {
                file.complete &= read_into(&mut file.outbox, tree, value, name, lines, problems)
            }
            "reconcile" => {
                file.complete &= read_into(&mut file.reconcile, tree, value, name, lines, problems)
            }
            "sources" | "targets" => {
                let DeValue::Array(items) = value.get_ref() else {
                    problems.push(Problem {
                        line: lines.line(key.span().start),
                        key: name.to_string(),
                        message: format!("must be a list of [[{name}]] sections"),
                    });
                    file.complete = false;
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{name}.{i}");
                    let flawless = if name == "sources" {
                        let (read, flawless) = section(tree, item, &path, lines, problems);
                        file.sources.extend(read);
                        flawless
                    } else {
                        let (read, flawless) = section(tree, item, &path, lines, problems);
                        file.targets.extend(read);
                        flawless
                    };
                    file.complete &= flawless;
                }
            }
            _ => {
                problems.push(Problem {
                    line: lines.line(key.span().start),
                    key: name.to_string(),
                    message: UNKNOWN_KEY.to_string(),
                });
                file.complete = false;
            }
        }
    }
    if !tree.contains_key("sources") {
        problems.push(Problem {
            line: 0,
            key: "sources".to_string(),
            message: "missing: without a [[sources]] section sluice would read nothing".to_string(),
        });
        file.complete = false;
    }
    if !tree.contains_key("inbox") {
        problems.push(Problem {
            line: 0,
            key: "inbox".to_string(),
            message:
                "missing: add an [inbox] section with the `path` of the folder people drop files in"
                    .to_string(),
        });
        file.complete = false;
    }
    file
}

/// Reads a section into its slot; returns whether it was flawless.
fn read_into<T: serde::de::DeserializeOwned>(
    slot: &mut Option<T>,
    tree: &DeTable<'_>,
    value: &Spanned<DeValue<'_>>,
    path: &str,
    lines: &LineIndex,
    problems: &mut Vec<Problem>,
) -> bool {
    let (read, flawless) = section(tree, value, path, lines, problems);
    *slot = read;
    flawless
}

const UNKNOWN_KEY: &str = "unknown key (check its spelling and section)";

/// One section read by serde. Its unknown keys and wrong values become problems; a wrong
/// value is then left out and the section read again, so the values after it are still
/// checked. Returns the section (if it could be read at all) and whether it was flawless.
fn section<T: serde::de::DeserializeOwned>(
    tree: &DeTable<'_>,
    value: &Spanned<DeValue<'_>>,
    path: &str,
    lines: &LineIndex,
    problems: &mut Vec<Problem>,
) -> (Option<T>, bool) {
    let mut value = value.clone();
    let mut unknown = BTreeSet::new();
    let mut flawless = true;
    let result = loop {
        let de = toml::de::ValueDeserializer::from(value.clone());
        match serde_ignored::deserialize(de, |p| {
            unknown.insert(format!("{path}.{p}"));
        }) {
            Ok(v) => break Some(v),
            Err(e) => {
                flawless = false;
                let offset = e.span().map(|s| s.start).unwrap_or(value.span().start);
                let key = key_at(tree, offset).unwrap_or_else(|| path.to_string());
                problems.push(Problem {
                    line: lines.line(offset),
                    key: indexed(&key),
                    message: plain_serde_message(e.message()),
                });
                let relative: Vec<&str> = key
                    .strip_prefix(path)
                    .and_then(|k| k.strip_prefix('.'))
                    .map(|k| k.split('.').collect())
                    .unwrap_or_default();
                if !remove_at(&mut value, &relative) {
                    break None;
                }
            }
        }
    };
    for key in unknown {
        problems.push(Problem {
            line: key_line(tree, &key, lines),
            key: indexed(&key),
            message: UNKNOWN_KEY.to_string(),
        });
    }
    (result, flawless)
}

/// Removes the value at a dotted path inside nested tables; false if there is none.
fn remove_at(value: &mut Spanned<DeValue<'_>>, path: &[&str]) -> bool {
    let DeValue::Table(table) = value.get_mut() else {
        return false;
    };
    match path {
        [] => false,
        [last] => table.remove(*last).is_some(),
        [first, rest @ ..] => table.get_mut(*first).is_some_and(|v| remove_at(v, rest)),
    }
}

/// `sources.0.columns` → `sources[0].columns`, the way messages name keys.
fn indexed(dotted: &str) -> String {
    let mut out = String::new();
    for part in dotted.split('.') {
        if part.chars().all(|c| c.is_ascii_digit()) && !out.is_empty() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

/// The dotted path of the key whose value holds the byte at `offset`, if any.
fn key_at(table: &DeTable<'_>, offset: usize) -> Option<String> {
    fn search(value: &Spanned<DeValue<'_>>, offset: usize) -> Option<Vec<String>> {
        match value.get_ref() {
            DeValue::Table(t) => t.iter().find_map(|(k, v)| {
                search(v, offset).map(|mut rest| {
                    rest.insert(0, k.get_ref().to_string());
                    rest
                })
            }),
            DeValue::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
                search(v, offset).map(|mut rest| {
                    rest.insert(0, i.to_string());
                    rest
                })
            }),
            _ => value.span().contains(&offset).then(Vec::new),
        }
    }
    table.iter().find_map(|(k, v)| {
        search(v, offset).map(|rest| {
            std::iter::once(k.get_ref().to_string())
                .chain(rest)
                .collect::<Vec<_>>()
                .join(".")
        })
    })
}

/// serde's messages name Rust types; say it in TOML words.
fn plain_serde_message(message: &str) -> String {
    message
        .replace("invalid type: string", "wrong type: a text value")
        .replace("invalid type: integer", "wrong type: a number")
        .replace("invalid type: boolean", "wrong type: true/false")
        .replace("a sequence", "a list like [\"a\", \"b\"]")
        .replace("expected usize", "expected a whole number")
        .replace("expected a boolean", "expected true or false")
        .replace(
            "data did not match any variant of untagged enum ColumnSpec",
            "expected a column header name, a 1-based column number, or a list of them",
        )
}

/// The pipeline file's folder as an absolute path without `..`, which every relative path
/// in the file starts from.
fn folder_of(path: &Path) -> PathBuf {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let absolute = std::path::absolute(parent).unwrap_or_else(|_| parent.to_path_buf());
    normalize(&absolute)
}

/// Removes `.` and `..` without touching the file system (the folders may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Finds the line of a key given as serde_ignored prints it (`sources.0.colums`).
fn key_line(tree: &DeTable<'_>, path: &str, lines: &LineIndex) -> usize {
    let mut table = tree;
    let mut last_span: Option<Range<usize>> = None;
    let parts: Vec<&str> = path.split('.').collect();
    let mut i = 0;
    while i < parts.len() {
        let Some((key, value)) = table.get_key_value(parts[i]) else {
            break;
        };
        last_span = Some(key.span());
        let mut value: &Spanned<DeValue<'_>> = value;
        i += 1;
        if let (DeValue::Array(items), Some(index)) = (
            value.get_ref(),
            parts.get(i).and_then(|p| p.parse::<usize>().ok()),
        ) {
            match items.get(index) {
                Some(item) => {
                    value = item;
                    i += 1;
                }
                None => break,
            }
        }
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => break,
        }
    }
    last_span.map(|s| lines.line(s.start)).unwrap_or(0)
}

struct Folders {
    inbox: PathBuf,
    after: super::AfterIntake,
    archive: PathBuf,
    quarantine: PathBuf,
    ledger: PathBuf,
    outbox: PathBuf,
}

struct Checker<'a> {
    lines: &'a LineIndex,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, span: Range<usize>, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            line: if span.is_empty() && span.start == 0 {
                0
            } else {
                self.lines.line(span.start)
            },
            key: key.into(),
            message: message.into(),
        });
    }

    fn resolve(&mut self, file: PipelineFile, path: &Path, base: &Path) -> Option<Pipeline> {
        let name = match &file.name {
            Some(n) => {
                self.folder_name(n, "name");
                n.get_ref().clone()
            }
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "pipeline".to_string()),
        };
        let folders = file.inbox.as_ref().map(|section| {
            let inbox = normalize(&base.join(section.path.get_ref()));
            if !inbox.is_dir() {
                self.problem(
                    section.path.span(),
                    "inbox.path",
                    format!(
                        "folder {} does not exist (relative paths start at the pipeline file's folder)",
                        inbox.display()
                    ),
                );
            }
            let path_or = |given: Option<&Spanned<String>>, default: &str| match given {
                Some(p) => normalize(&base.join(p.get_ref())),
                // Beside the inbox: `inbox/` and `archive/` in one company folder.
                None => inbox
                    .parent()
                    .map(|p| p.join(default))
                    .unwrap_or_else(|| base.join(default)),
            };
            Folders {
                archive: path_or(section.archive.as_ref(), "archive"),
                quarantine: path_or(section.quarantine.as_ref(), "quarantine"),
                ledger: path_or(file.ledger.as_ref().map(|s| &s.path), "ledger"),
                outbox: path_or(file.outbox.as_ref().map(|s| &s.path), "outbox"),
                after: section.after,
                inbox,
            }
        });

        let mut seen = BTreeSet::new();
        let mut sources = Vec::new();
        for (i, section) in file.sources.iter().enumerate() {
            if !seen.insert(section.name.get_ref().clone()) {
                self.problem(
                    section.name.span(),
                    format!("sources[{i}].name"),
                    format!("\"{}\" is used by two sources", section.name.get_ref()),
                );
            }
            if let Some(source) = self.source(i, section) {
                sources.push(source);
            }
        }

        let pattern = file
            .reconcile
            .as_ref()
            .and_then(|r| r.invoice_pattern.as_ref())
            .map(|p| (p.span(), p.get_ref().as_str()))
            .unwrap_or((0..0, DEFAULT_INVOICE_PATTERN));
        let invoice_pattern = match Regex::new(pattern.1) {
            Ok(r) => Some(r),
            Err(e) => {
                self.problem(
                    pattern.0,
                    "reconcile.invoice_pattern",
                    format!(
                        "not a valid regular expression: {}",
                        e.to_string()
                            .lines()
                            .last()
                            .unwrap_or_default()
                            .trim_start_matches("error: ")
                    ),
                );
                None
            }
        };

        let mut targets = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, t) in file.targets.iter().enumerate() {
            self.folder_name(&t.name, &format!("targets[{i}].name"));
            if !seen.insert(t.name.get_ref().clone()) {
                self.problem(
                    t.name.span(),
                    format!("targets[{i}].name"),
                    format!("\"{}\" is used by two targets", t.name.get_ref()),
                );
            }
            self.date_format(&t.date_format, &format!("targets[{i}].date_format"));
            targets.push(Target {
                name: t.name.get_ref().clone(),
                platform: *t.platform.get_ref(),
                date_format: t.date_format.get_ref().clone(),
            });
        }

        if !file.complete {
            return None;
        }
        let folders = folders?;
        Some(Pipeline {
            name,
            file: path.to_path_buf(),
            inbox: folders.inbox,
            after: folders.after,
            archive: folders.archive,
            quarantine: folders.quarantine,
            ledger: folders.ledger,
            outbox: folders.outbox,
            sources,
            reconcile: ReconcileSettings {
                invoice_pattern: invoice_pattern?,
            },
            targets,
        })
    }

    /// Names become folder names in the outbox, so they must be plain.
    fn folder_name(&mut self, name: &Spanned<String>, key: &str) {
        let n = name.get_ref();
        let plain = !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plain {
            self.problem(
                name.span(),
                key,
                format!("\"{n}\" must be letters, digits, - or _ (it names a folder)"),
            );
        }
    }

    fn date_format(&mut self, format: &Spanned<String>, key: &str) {
        let bad = StrftimeItems::new(format.get_ref()).any(|item| matches!(item, Item::Error));
        if bad || format.get_ref().is_empty() {
            self.problem(
                format.span(),
                key,
                format!(
                    "\"{}\" is not a date format (examples: \"%Y-%m-%d\", \"%d.%m.%Y\", \"%m/%d/%Y\")",
                    format.get_ref()
                ),
            );
        }
    }

    fn source(&mut self, i: usize, s: &SourceSection) -> Option<Source> {
        let key = |field: &str| format!("sources[{i}].{field}");
        let before = self.problems.len();

        let mut patterns = Vec::new();
        if s.files.get_ref().is_empty() {
            self.problem(
                s.files.span(),
                key("files"),
                "give at least one file-name pattern, e.g. [\"bank-*.csv\"]",
            );
        }
        for p in s.files.get_ref() {
            match glob::Pattern::new(p) {
                Ok(p) => patterns.push(p),
                Err(e) => self.problem(
                    s.files.span(),
                    key("files"),
                    format!("\"{p}\" is not a file-name pattern: {e}"),
                ),
            }
        }

        let encoding = encoding_rs::Encoding::for_label(s.encoding.get_ref().trim().as_bytes());
        if encoding.is_none() {
            self.problem(
                s.encoding.span(),
                key("encoding"),
                format!(
                    "unknown encoding \"{}\" (use utf-8, windows-1252 or iso-8859-1)",
                    s.encoding.get_ref()
                ),
            );
        }
        let delimiter = match s.delimiter.get_ref().as_str() {
            "\t" | "tab" => Some(b'\t'),
            d if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            d => {
                self.problem(
                    s.delimiter.span(),
                    key("delimiter"),
                    format!("\"{d}\" is not one character (use \",\", \";\", \"|\" or \"tab\")"),
                );
                None
            }
        };
        self.date_format(&s.date_format, &key("date_format"));
        let decimal = match s.decimal.get_ref().as_str() {
            "." => Some('.'),
            "," => Some(','),
            d => {
                self.problem(
                    s.decimal.span(),
                    key("decimal"),
                    format!("\"{d}\" is not a decimal separator (use \".\" or \",\")"),
                );
                None
            }
        };
        let thousands = match s.thousands.get_ref().as_str() {
            "" => None,
            "," => Some(','),
            "." => Some('.'),
            " " => Some(' '),
            "'" => Some('\''),
            t => {
                self.problem(s.thousands.span(), key("thousands"), format!("\"{t}\" is not a thousands separator (use \"\", \",\", \".\", \" \" or \"'\")"));
                None
            }
        };
        if thousands.is_some() && thousands == decimal {
            self.problem(
                s.thousands.span(),
                key("thousands"),
                "the thousands separator must differ from the decimal separator",
            );
        }
        let currency = s
            .currency
            .as_ref()
            .and_then(|c| match Currency::from_code(c.get_ref()) {
                Ok(c) => Some(c),
                Err(e) => {
                    self.problem(c.span(), key("currency"), e.to_string());
                    None
                }
            });

        let format = *s.format.get_ref();
        let columns: BTreeMap<String, ColumnSpec> = s
            .columns
            .get_ref()
            .iter()
            .map(|(k, v)| (k.clone(), v.get_ref().clone()))
            .collect();
        for (role, spec) in s.columns.get_ref() {
            let refs: Vec<&ColumnRef> = match spec.get_ref() {
                ColumnSpec::One(r) => vec![r],
                ColumnSpec::Many(rs) => rs.iter().collect(),
            };
            for r in refs {
                if let ColumnRef::Position(n) = r
                    && *n < 1
                {
                    self.problem(
                        spec.span(),
                        key(&format!("columns.{role}")),
                        format!("column number {n}: columns are counted from 1"),
                    );
                }
            }
        }
        for problem in sources::check_columns(format, &columns) {
            let span = problem
                .role
                .as_ref()
                .and_then(|r| s.columns.get_ref().get(r))
                .map(|v| v.span())
                .unwrap_or_else(|| s.columns.span());
            let k = match &problem.role {
                Some(r) => key(&format!("columns.{r}")),
                None => key("columns"),
            };
            self.problem(span, k, problem.message);
        }

        let bank_only = [
            ("account", s.account.as_ref().map(|a| a.span())),
            ("debit_marks", s.debit_marks.as_ref().map(|a| a.span())),
            ("credit_marks", s.credit_marks.as_ref().map(|a| a.span())),
        ];
        if format != SourceFormat::BankCsv {
            for (field, span) in bank_only {
                if let Some(span) = span {
                    self.problem(span, key(field), "only bank_csv sources have this setting");
                }
            }
        }
        let has_direction = columns.contains_key("direction");
        let marks = |m: &Option<Spanned<Vec<String>>>, default: &[&str]| -> Vec<String> {
            m.as_ref()
                .map(|v| {
                    v.get_ref()
                        .iter()
                        .map(|s| s.trim().to_uppercase())
                        .collect()
                })
                .unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect())
        };
        if !has_direction {
            for (field, m) in [
                ("debit_marks", &s.debit_marks),
                ("credit_marks", &s.credit_marks),
            ] {
                if let Some(m) = m {
                    self.problem(
                        m.span(),
                        key(field),
                        "only used with a `direction` column in [columns]",
                    );
                }
            }
        }
        if format == SourceFormat::BankCsv
            && s.currency.is_none()
            && !columns.contains_key("currency")
        {
            self.problem(
                s.name.span(),
                key("currency"),
                "set `currency = \"EUR\"` (or map a `currency` column): a bank line needs one",
            );
        }
        if format == SourceFormat::InvoiceCsv
            && s.currency.is_none()
            && !columns.contains_key("currency")
        {
            self.problem(
                s.name.span(),
                key("currency"),
                "set `currency = \"EUR\"` (or map a `currency` column): an invoice needs one",
            );
        }

        if self.problems.len() > before {
            return None;
        }
        Some(Source {
            name: s.name.get_ref().clone(),
            format,
            patterns,
            layout: CsvLayout {
                encoding: encoding?,
                delimiter: delimiter?,
                skip_lines: s.skip_lines,
                skip_trailing: s.skip_trailing,
                header: s.header,
                date_format: s.date_format.get_ref().clone(),
                decimal: decimal?,
                thousands,
            },
            columns,
            currency,
            account: s.account.as_ref().map(|a| a.get_ref().clone()),
            debit_marks: marks(&s.debit_marks, &["D", "DR", "DEBIT", "S", "SOLL", "-"]),
            credit_marks: marks(&s.credit_marks, &["C", "CR", "CREDIT", "H", "HABEN", "+"]),
        })
    }
}
