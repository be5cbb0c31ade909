//! What an ODS file's repeat counts add up to, checked before calamine expands them. ODS
//! writes a run of equal cells or rows once, with `table:number-columns-repeated` and
//! `table:number-rows-repeated`, and a run of spaces as `<text:s text:c="…"/>`. calamine
//! (0.38) expands them all when it opens the file — every sheet, each cell and its text
//! copied as often as the counts say — and its own cap (100 million cells) still lets an
//! 800-byte file take more than 6 GB. So `content.xml` is walked here first, counting what
//! calamine would build (its `read_row` and `get_range`: the same rows, the same trailing
//! empty cells and rows left out, the same caps), and a file that would pass the caller's
//! limit is refused before calamine sees it. A file this walk cannot read is left to
//! calamine, which refuses it.

use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// calamine's caps on one sheet.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;
/// Bytes of text that weigh as much as one cell.
const CELL_BYTES: u64 = 32;

/// Why an ODS file is refused before calamine opens it.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The rows and columns of the sheet whose cells passed the limit.
    TooLarge { rows: u64, columns: u64 },
    /// Characters of text its cells would hold (repeats and `text:s` runs expanded).
    TooMuchText(u64),
}

/// `Err` when opening the workbook would make calamine build more than `max_cells` cells
/// (text counted by its length) across its sheets.
pub fn check(bytes: &[u8], max_cells: u64) -> Result<(), Refusal> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = Reader::from_reader(BufReader::new(content));
    reader.config_mut().expand_empty_elements = true;
    let mut walk = Walk {
        max_cells,
        spent: 0,
        table: Table::default(),
    };
    walk.content(&mut reader).unwrap_or(Ok(()))
}

struct Walk {
    max_cells: u64,
    /// Cells (and text, by weight) of the sheets already walked.
    spent: u64,
    table: Table,
}

/// What calamine builds for the sheet being walked.
#[derive(Default)]
struct Table {
    rows_so_far: u64,
    /// Cells `read_row` pushed: every row element once, before repeats.
    pushed: u64,
    /// Rows from the first with a value to the last, repeats counted (`get_range`).
    span: u64,
    /// Repeated empty rows since the last row with a value: in the span only if one
    /// with a value follows.
    empty_since: u64,
    first_col: Option<u64>,
    last_col: u64,
    /// Text calamine copies, into the rows it reads and into their repeats, in bytes.
    text: u64,
    /// The text of the rows as written (each cell's repeats expanded), in bytes.
    characters: u64,
}

impl Table {
    fn width(&self) -> u64 {
        self.first_col
            .map_or(0, |first| self.last_col.saturating_sub(first) + 1)
    }

    /// Cells calamine builds; it keeps a formula table beside the values, as large.
    fn cells(&self) -> u64 {
        self.pushed
            .saturating_add(self.span.saturating_mul(self.width()))
            .saturating_mul(2)
    }

    /// Cells, with text weighed in cells.
    fn weight(&self) -> u64 {
        self.cells().saturating_add(self.text / CELL_BYTES)
    }
}

/// One cell: its repeat count, whether calamine gives it a value, and its text's length.
struct Cell {
    repeats: u64,
    filled: bool,
    text: u64,
}

impl Walk {
    /// `None` where the XML cannot be read (calamine refuses it too).
    fn content<R: std::io::BufRead>(
        &mut self,
        reader: &mut Reader<R>,
    ) -> Option<Result<(), Refusal>> {
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf).ok()? {
                Event::Start(e) if e.name().as_ref() == "table:table" => {
                    self.spent = self.spent.saturating_add(self.table.weight());
                    self.table = Table::default();
                }
                Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                    let repeats = count(&e, "table:number-rows-repeated")?;
                    if let Err(too_large) = self.row(reader, repeats)? {
                        return Some(Err(too_large));
                    }
                }
                Event::Eof => return Some(Ok(())),
                _ => {}
            }
            buf.clear();
        }
    }

    fn row<R: std::io::BufRead>(
        &mut self,
        reader: &mut Reader<R>,
        repeats: u64,
    ) -> Option<Result<(), Refusal>> {
        let table = &mut self.table;
        let repeats = repeats.min(MAX_ROWS.saturating_sub(table.rows_so_far));
        table.rows_so_far += repeats;
        let mut buf = Vec::new();
        let (mut width, mut pending_empty) = (0u64, 0u64);
        let (mut first, mut last, mut text) = (None, 0u64, 0u64);
        loop {
            match reader.read_event_into(&mut buf).ok()? {
                Event::Start(e)
                    if matches!(
                        e.name().as_ref(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
                {
                    let cell = cell(reader, &e)?;
                    width += pending_empty.min(MAX_COLUMNS - width);
                    pending_empty = 0;
                    let copies = cell.repeats.min(MAX_COLUMNS - width);
                    if cell.filled {
                        first.get_or_insert(width);
                        width += copies;
                        last = width.saturating_sub(1);
                        text = text.saturating_add(copies.saturating_mul(cell.text));
                    } else {
                        pending_empty = copies;
                    }
                }
                Event::End(e) if e.name().as_ref() == "table:table-row" => break,
                Event::Eof => return None,
                _ => {}
            }
            buf.clear();
        }
        table.pushed = table.pushed.saturating_add(width);
        table.text = table.text.saturating_add(text);
        table.characters = table.characters.saturating_add(text);
        match first {
            Some(first) => {
                table.span = table
                    .span
                    .saturating_add(table.empty_since)
                    .saturating_add(repeats);
                table.empty_since = 0;
                table.first_col = Some(table.first_col.map_or(first, |f| f.min(first)));
                table.last_col = table.last_col.max(last);
                table.text = table.text.saturating_add(repeats.saturating_mul(text));
            }
            None if table.first_col.is_some() => {
                table.empty_since = table.empty_since.saturating_add(repeats);
            }
            None => {}
        }
        if self.spent.saturating_add(table.cells()) > self.max_cells {
            return Some(Err(Refusal::TooLarge {
                rows: table.span.max(table.rows_so_far),
                columns: table.width().max(width),
            }));
        }
        if self.spent.saturating_add(table.weight()) > self.max_cells {
            return Some(Err(Refusal::TooMuchText(table.characters)));
        }
        Some(Ok(()))
    }
}

/// A cell's repeats, whether calamine reads a value or formula from it (its
/// `get_datatype`: a value attribute, a string type, or a formula), and the length of its
/// text: attributes, content and the spaces `text:s` stands for.
fn cell<R: std::io::BufRead>(reader: &mut Reader<R>, e: &BytesStart<'_>) -> Option<Cell> {
    let repeats = count(e, "table:number-columns-repeated")?;
    let mut filled = false;
    let mut text = 0u64;
    for attribute in e.attributes() {
        let attribute = attribute.ok()?;
        let key = attribute.key.as_ref();
        let value = attribute.value.as_ref();
        text = text.saturating_add(value.len() as u64);
        filled |= matches!(
            key,
            "office:value"
                | "office:string-value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value"
        ) || key == "office:value-type" && value == "string"
            || key == "table:formula" && !value.is_empty();
    }
    let name = e.name().as_ref().to_string();
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(inner) => {
                depth += 1;
                if inner.name().as_ref() == "text:s" {
                    text = text.saturating_add(count(&inner, "text:c")?);
                }
            }
            Event::Text(t) => text = text.saturating_add(t.len() as u64),
            Event::End(end) if depth == 0 && end.name().as_ref() == name => break,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
    Some(Cell {
        repeats,
        filled,
        text,
    })
}

/// A repeat count as calamine parses it; `None` where calamine refuses the number.
fn count(e: &BytesStart<'_>, name: &str) -> Option<u64> {
    match e.try_get_attribute(name).ok()? {
        Some(a) => a.value.trim().parse().ok(),
        None => Some(1),
    }
}
