//! Reading and checking a pipeline file; every problem is reported with its key and line.
//!
//! Parsing happens in two passes: serde reads each section of the TOML on its own
//! (collecting every unknown key and every wrong value rather than stopping at the first),
//! then `check::Checker` looks at each value that serde cannot judge (currencies, encodings,
//! patterns, column mappings) and collects all that is wrong.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use thiserror::Error;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Pipeline;
use super::check::{Checker, folder_of};
use super::schema::PipelineFile;
use crate::line_index::LineIndex;

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
            "watch" => {
                file.complete &= read_into(&mut file.watch, tree, value, name, lines, problems)
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
            // serde_ignored writes `?` for the inside of an optional section
            // (`accounts.?.suspense`); the file has no such key.
            let p = p.to_string();
            let p: Vec<&str> = p.split('.').filter(|part| *part != "?").collect();
            unknown.insert(format!("{path}.{}", p.join(".")));
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
        .replace("expected f64", "expected a number of seconds")
        .replace("expected a boolean", "expected true or false")
        .replace(
            "data did not match any variant of untagged enum ColumnSpec",
            "expected a column header name, a 1-based column number, or a list of them",
        )
        .replace(
            "data did not match any variant of untagged enum SheetRef",
            "expected a sheet name or a 1-based sheet number",
        )
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
