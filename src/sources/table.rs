//! The one shape every mapped source reads: rows of cells, from delimited text
//! (`delimited.rs`) or from a spreadsheet (`sheet/`), told apart by the file's content and
//! never by its name. The layout rules are the same for both: `skip_lines` before the
//! header, the header, blank rows dropped, `skip_trailing` summary rows cut off. Mapped
//! columns resolve by header name or position, and every value is read through
//! `RowValues` (`row_values.rs`), so every refusal names file, row and column the same way.

use super::cell::{Cell, DateSystem};
use super::row_values::RowValues;
use super::{InputFile, SourceError, delimited, sheet};
use crate::pipeline::{ColumnRef, ColumnSpec, CsvLayout, Source};

/// Where a table's rows came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Delimited,
    Sheet { name: String, dates: DateSystem },
}

pub struct Table {
    pub origin: Origin,
    /// Header labels by column, when the layout has a header row.
    header: Option<Vec<String>>,
    header_line: u64,
    pub rows: Vec<Row>,
}

/// One row: its 1-based line in a text file, or its row number as a spreadsheet app
/// shows it; and its cells by column.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<Cell>,
}

/// A mapped column, resolved against the file's header.
#[derive(Debug, Clone)]
pub struct Column {
    /// 0-based position.
    pub index: usize,
    /// How messages name it: the header text, else the column letter (sheet) or
    /// "column 3" (text).
    pub label: String,
}

/// Reads a CSV export or a spreadsheet into rows, by what the bytes are.
pub fn read(source: &Source, file: &InputFile<'_>) -> Result<Table, SourceError> {
    match sheet::Kind::of(file.bytes) {
        Some(kind) => sheet::read(kind, &source.layout, file),
        None => delimited::read(&source.layout, file),
    }
}

/// `A`, `B` … `Z`, `AA` …: a 0-based column as a spreadsheet app names it.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

/// A refusal located in a table: for a sheet, the sheet and the cell (`sheet "Invoices",
/// cell F5`) go in `path`, the row in `line`, the header name in `column`.
pub fn located(
    file: &InputFile<'_>,
    origin: &Origin,
    line: Option<u64>,
    column: Option<&Column>,
    message: String,
    hint: &str,
) -> SourceError {
    let path = match origin {
        Origin::Delimited => None,
        Origin::Sheet { name, .. } => Some(match (line, column) {
            (Some(row), Some(c)) => {
                format!("sheet \"{name}\", cell {}{row}", column_letters(c.index))
            }
            _ => format!("sheet \"{name}\""),
        }),
    };
    SourceError {
        file: file.name.to_string(),
        line,
        column: column.map(|c| c.label.clone()),
        path,
        message,
        hint: hint.to_string(),
    }
}

impl Table {
    /// Takes the header (the first row given) and the data rows after it: blank rows
    /// dropped, the last `skip_trailing` rows cut off. `rows` start after the preamble.
    pub(super) fn assemble(
        origin: Origin,
        layout: &CsvLayout,
        file: &InputFile<'_>,
        rows: Vec<Row>,
    ) -> Result<Table, SourceError> {
        let mut rows = rows.into_iter();
        let (header, header_line) = if layout.header {
            match rows.next() {
                Some(row) => (Some(row.cells.iter().map(header_label).collect()), row.line),
                None => {
                    return Err(located(
                        file,
                        &origin,
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
        let mut rows: Vec<Row> = rows
            .filter(|r| r.cells.iter().any(|c| !c.is_blank()))
            .collect();
        let keep = rows.len().saturating_sub(layout.skip_trailing);
        rows.truncate(keep);
        Ok(Table {
            origin,
            header,
            header_line,
            rows,
        })
    }

    /// The header labels, when the layout has a header row.
    pub fn header(&self) -> Option<&[String]> {
        self.header.as_deref()
    }

    /// The line (or sheet row) of the header.
    pub fn header_line(&self) -> u64 {
        self.header_line
    }

    pub fn error(
        &self,
        file: &InputFile<'_>,
        line: Option<u64>,
        column: Option<&Column>,
        message: String,
        hint: &str,
    ) -> SourceError {
        located(file, &self.origin, line, column, message, hint)
    }

    /// How a column without a header name is called in messages.
    fn unnamed(&self, index: usize) -> String {
        match self.origin {
            Origin::Sheet { .. } => column_letters(index),
            Origin::Delimited => format!("column {}", index + 1),
        }
    }

    /// Resolves one mapped column. A name missing from the header refuses the file, and so
    /// does a name that heads several columns: sluice does not guess which one is meant.
    pub fn column(
        &self,
        source: &Source,
        file: &InputFile<'_>,
        role: &str,
        spec: &ColumnRef,
    ) -> Result<Column, SourceError> {
        match spec {
            ColumnRef::Position(n) => {
                let index = usize::try_from(*n).unwrap_or(0).saturating_sub(1);
                let label = self
                    .header
                    .as_ref()
                    .and_then(|h| h.get(index))
                    .filter(|h| !h.is_empty())
                    .cloned()
                    .unwrap_or_else(|| self.unnamed(index));
                Ok(Column { index, label })
            }
            ColumnRef::Name(name) => {
                let Some(header) = &self.header else {
                    return Err(self.error(
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
                let found: Vec<usize> = header
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| h.eq_ignore_ascii_case(wanted))
                    .map(|(i, _)| i)
                    .collect();
                match found.as_slice() {
                    [index] => Ok(Column {
                        index: *index,
                        label: header[*index].clone(),
                    }),
                    [] => Err(self.error(
                        file,
                        Some(self.header_line),
                        None,
                        format!(
                            "matched source \"{}\" by its name, but its header has no column \"{name}\" (for `{role}`; found: {})",
                            source.name,
                            labelled(header)
                        ),
                        &format!("if this is another layout, give it its own source; otherwise fix columns.{role} in the pipeline file"),
                    )),
                    several => Err(self.ambiguous(file, role, name, several)),
                }
            }
        }
    }

    fn ambiguous(
        &self,
        file: &InputFile<'_>,
        role: &str,
        name: &str,
        indexes: &[usize],
    ) -> SourceError {
        let positions: Vec<String> = indexes
            .iter()
            .map(|&i| match self.origin {
                Origin::Sheet { .. } => format!("{} ({})", column_letters(i), i + 1),
                Origin::Delimited => (i + 1).to_string(),
            })
            .collect();
        let merged = match self.origin {
            Origin::Sheet { .. } => " (a merged header cell heads every column it spans)",
            Origin::Delimited => "",
        };
        self.error(
            file,
            Some(self.header_line),
            None,
            format!(
                "\"{name}\" heads {} columns: {}{merged}; sluice does not guess which one `{role}` means",
                indexes.len(),
                positions.join(" and "),
            ),
            &format!(
                "map it by position instead, e.g. columns.{role} = {} in the pipeline file",
                indexes[0] + 1
            ),
        )
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

    /// The values of one data row, each read with its location.
    pub fn values<'a>(
        &'a self,
        source: &'a Source,
        file: &'a InputFile<'a>,
        row: &'a Row,
    ) -> RowValues<'a> {
        RowValues::new(self, source, file, row)
    }
}

fn header_label(cell: &Cell) -> String {
    cell.written()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_string()
}

/// The header's labels as a message lists them: the empty ones left out, since a sheet
/// with one stray value far to the right has thousands of them.
fn labelled(header: &[String]) -> String {
    header
        .iter()
        .map(|h| h.trim())
        .filter(|h| !h.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(51), "AZ");
        assert_eq!(column_letters(52), "BA");
        assert_eq!(column_letters(16383), "XFD");
    }
}
