//! The one way sluice reads a delimited text file: decode, skip the preamble, take the
//! header, drop trailing summary rows, and resolve mapped columns to positions. Every
//! CSV-based source goes through here, so every one reports problems the same way.

use csv::StringRecord;

use super::{InputFile, SourceError};
use crate::line_index::LineIndex;
use crate::pipeline::{ColumnRef, ColumnSpec, CsvLayout, Source};

pub struct CsvTable {
    pub header: Option<StringRecord>,
    pub header_line: u64,
    /// Data rows with their 1-based line numbers in the file.
    pub rows: Vec<(u64, StringRecord)>,
}

/// A mapped column, resolved against the file's header.
#[derive(Debug, Clone)]
pub struct Column {
    pub index: usize,
    /// How messages name it: the header text, or "column 3".
    pub label: String,
}

pub fn error(
    file: &InputFile<'_>,
    line: Option<u64>,
    column: Option<&str>,
    message: String,
    hint: &str,
) -> SourceError {
    SourceError {
        file: file.name.to_string(),
        line,
        column: column.map(str::to_string),
        path: None,
        message,
        hint: hint.to_string(),
    }
}

/// Decodes the bytes in the source's encoding; a UTF-8 byte-order mark is dropped.
fn decode(layout: &CsvLayout, file: &InputFile<'_>) -> Result<String, SourceError> {
    if layout.encoding == encoding_rs::UTF_8 {
        let bytes = file
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(file.bytes);
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => {
                let before = &bytes[..e.valid_up_to()];
                let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                Err(error(
                    file,
                    Some(line),
                    None,
                    "is not valid UTF-8".to_string(),
                    "the bank probably sent Windows-1252 or ISO-8859-1: set `encoding` for this source in the pipeline file",
                ))
            }
        };
    }
    let (text, _, _) = layout.encoding.decode(file.bytes);
    Ok(text.into_owned())
}

pub fn read(layout: &CsvLayout, file: &InputFile<'_>) -> Result<CsvTable, SourceError> {
    let text = decode(layout, file)?;
    let lines = LineIndex::new(&text);
    // The preamble is cut off as lines, not parsed: bank preambles are free text.
    let body_start = lines.start(layout.skip_lines + 1, text.len());
    let body = &text[body_start..];
    let line_at = |offset: u64| {
        let offset = body_start + offset as usize;
        let past_breaks = text[offset..]
            .find(|c| c != '\r' && c != '\n')
            .map(|skip| offset + skip)
            .unwrap_or(offset);
        lines.line(past_breaks) as u64
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(layout.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut records = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map(|p| line_at(p.byte()));
            error(
                file,
                line,
                None,
                format!("cannot be read as delimited text: {e}"),
                "check `delimiter` and quoting",
            )
        })?;
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        records.push((line, record));
    }
    let mut rows = records.into_iter();
    let (header, header_line) = if layout.header {
        match rows.next() {
            Some((line, record)) => (Some(trimmed(&record)), line),
            None => {
                return Err(error(
                    file,
                    None,
                    None,
                    "has no header row".to_string(),
                    "the file is empty or `skip_lines` is too large",
                ));
            }
        }
    } else {
        (None, 0)
    };
    let mut rows: Vec<(u64, StringRecord)> = rows
        .filter(|(_, r)| r.iter().any(|field| !field.trim().is_empty()))
        .collect();
    let keep = rows.len().saturating_sub(layout.skip_trailing);
    rows.truncate(keep);
    Ok(CsvTable {
        header,
        header_line,
        rows,
    })
}

fn trimmed(record: &StringRecord) -> StringRecord {
    record
        .iter()
        .map(|f| f.trim().trim_start_matches('\u{feff}'))
        .collect()
}

impl CsvTable {
    /// Resolves one mapped column; a named column missing from the header refuses the file.
    pub fn column(
        &self,
        source: &Source,
        file: &InputFile<'_>,
        role: &str,
        spec: &ColumnRef,
    ) -> Result<Column, SourceError> {
        match spec {
            ColumnRef::Position(n) => {
                let index = (*n as usize).saturating_sub(1);
                let label = self
                    .header
                    .as_ref()
                    .and_then(|h| h.get(index))
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("column {n}"));
                Ok(Column { index, label })
            }
            ColumnRef::Name(name) => {
                let Some(header) = &self.header else {
                    return Err(error(
                        file,
                        None,
                        None,
                        format!(
                            "`{role}` is mapped by name (\"{name}\") but the source has `header = false`"
                        ),
                        "map it by column number instead",
                    ));
                };
                let wanted = name.trim();
                header
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case(wanted))
                    .map(|index| Column { index, label: header[index].to_string() })
                    .ok_or_else(|| {
                        let found: Vec<&str> = header.iter().collect();
                        error(
                            file,
                            Some(self.header_line),
                            None,
                            format!(
                                "matched source \"{}\" by its name, but its header has no column \"{name}\" (for `{role}`; found: {})",
                                source.name,
                                found.join(" | ")
                            ),
                            &format!("if this is another layout, give it its own source; otherwise fix columns.{role} in the pipeline file"),
                        )
                    })
            }
        }
    }

    /// Resolves a role that may be mapped to one column or several (joined for text).
    pub fn columns(
        &self,
        source: &Source,
        file: &InputFile<'_>,
        role: &str,
    ) -> Result<Vec<Column>, SourceError> {
        match source.columns.get(role) {
            None => Ok(Vec::new()),
            Some(ColumnSpec::One(r)) => Ok(vec![self.column(source, file, role, r)?]),
            Some(ColumnSpec::Many(rs)) => rs
                .iter()
                .map(|r| self.column(source, file, role, r))
                .collect(),
        }
    }

    /// Resolves a role mapped to a single column, if it is mapped.
    pub fn optional(
        &self,
        source: &Source,
        file: &InputFile<'_>,
        role: &str,
    ) -> Result<Option<Column>, SourceError> {
        Ok(self.columns(source, file, role)?.into_iter().next())
    }
}

/// One field of a row; a row too short for the mapping refuses the file.
pub fn field<'r>(
    file: &InputFile<'_>,
    line: u64,
    record: &'r StringRecord,
    column: &Column,
) -> Result<&'r str, SourceError> {
    record.get(column.index).map(str::trim).ok_or_else(|| {
        error(
            file,
            Some(line),
            Some(&column.label),
            format!("row has only {} fields", record.len()),
            "the row is cut short; check `delimiter`, or `skip_trailing` for summary rows",
        )
    })
}

/// Several text columns joined by a space, empty ones left out.
pub fn joined(record: &StringRecord, columns: &[Column]) -> String {
    columns
        .iter()
        .filter_map(|c| record.get(c.index).map(str::trim))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
