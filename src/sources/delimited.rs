//! The one way sluice reads delimited text (CSV, `;`, tab): decode, cut off the preamble
//! lines, split records, and number each by its line in the file. What comes out is rows
//! of text cells, laid out by `table::Table::assemble` like any other table.

use super::cell::Cell;
use super::table::{Origin, Row, Table, located};
use super::{InputFile, SourceError};
use crate::line_index::LineIndex;
use crate::pipeline::CsvLayout;

fn error(file: &InputFile<'_>, line: Option<u64>, message: String, hint: &str) -> SourceError {
    located(file, &Origin::Delimited, line, None, message, hint)
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
                    "is not valid UTF-8".to_string(),
                    "the bank probably sent Windows-1252 or ISO-8859-1: set `encoding` for this source in the pipeline file",
                ))
            }
        };
    }
    let (text, _, _) = layout.encoding.decode(file.bytes);
    Ok(text.into_owned())
}

pub fn read(layout: &CsvLayout, file: &InputFile<'_>) -> Result<Table, SourceError> {
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
    let mut rows = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map(|p| line_at(p.byte()));
            error(
                file,
                line,
                format!("cannot be read as delimited text: {e}"),
                "check `delimiter` and quoting",
            )
        })?;
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        rows.push(Row {
            line,
            cells: record
                .iter()
                .map(|field| Cell::Text(field.to_string()))
                .collect(),
        });
    }
    Table::assemble(Origin::Delimited, layout, file, rows)
}
