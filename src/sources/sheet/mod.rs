//! A workbook (XLSX, XLS, ODS — read with calamine) as a table: one sheet, chosen by the
//! source's `sheet` (name or 1-based number; the first sheet by default), its rows numbered
//! as the spreadsheet app shows them, its columns by position from column A. The layout
//! rules are those of CSV, counted in rows: `skip_lines` rows before the header, blank
//! rows dropped, `skip_trailing` summary rows cut off.
//!
//! Merged header cells: a header cell merged across several columns (or down from the row
//! above) names *every* column it covers, as it visually heads all of them. Mapping that
//! name is then ambiguous and refused with the columns it covers, so a person maps the
//! one they mean by position; sluice never guesses which of them holds the amount. Merged
//! cells below the header are read as the file stores them: the value in the first cell,
//! the covered ones empty (filling them down could count an amount twice).
//!
//! A sheet's size is what its cells say, not what the file claims: an XLSX sheet is read
//! cell by cell and refused once its table would pass `MAX_CELLS` (one stray value in cell
//! XFD1048576 would otherwise make a table of 17 billion cells), and the table is built
//! from the cells present, never by walking the area between them.

mod kind;
mod ods_bounds;
mod ods_merges;
mod xls_bounds;
mod xlsx_bounds;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use calamine::{Data, Dimensions, ExcelDateTime, Ods, Range, Reader, Xls, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};

pub use kind::Kind;

use super::cell::{Cell, DateSystem};
use super::table::{Origin, Row, Table, located};
use super::{InputFile, SourceError};
use crate::pipeline::{CsvLayout, SheetRef};

/// The most cells a sheet's table may hold (its rows with a value, each as wide as the
/// widest): a billing export of 200,000 rows by 25 columns. Beyond it a sheet is refused
/// before its memory is taken.
const MAX_CELLS: u64 = 5_000_000;

/// A sheet's cells with a value, by row and then column (0-based).
type Cells = BTreeMap<u32, BTreeMap<u32, Data>>;

/// The chosen sheet, read.
struct Sheet {
    name: String,
    cells: Cells,
    dates: DateSystem,
}

/// Why a workbook could not be opened; located by `read`.
enum Unreadable {
    Damaged(String),
    NotAWorkbook,
    NoSheets,
    NoSuchSheet(String),
    /// The rows and columns a sheet spans (or an XLS sheet claims): more than
    /// [`MAX_CELLS`].
    TooLarge {
        rows: u64,
        columns: u64,
    },
}

enum Workbook<'b> {
    Xlsx(Xlsx<Cursor<&'b [u8]>>),
    Xls(Xls<Cursor<&'b [u8]>>),
    Ods(Ods<Cursor<&'b [u8]>>),
}

pub fn read(kind: Kind, layout: &CsvLayout, file: &InputFile<'_>) -> Result<Table, SourceError> {
    let refuse = |message: String, hint: &str| SourceError {
        file: file.name.to_string(),
        line: None,
        column: None,
        path: None,
        message,
        hint: hint.to_string(),
    };
    let damaged_hint = "the file may be damaged, still being copied, or password-protected: open it in the spreadsheet app and save it again";
    // calamine reads arbitrary bytes; should it ever panic on a broken file, that file is
    // refused like any other instead of stopping the whole run.
    let opened = panic::catch_unwind(AssertUnwindSafe(|| open(kind, layout, file.bytes)));
    let (mut workbook, sheet) = match opened {
        Ok(Ok(opened)) => opened,
        Ok(Err(Unreadable::Damaged(why))) => {
            return Err(refuse(
                format!("cannot be read as an {} workbook: {why}", kind.name()),
                damaged_hint,
            ));
        }
        Ok(Err(Unreadable::NotAWorkbook)) => {
            return Err(refuse(
                "is a ZIP archive but no XLSX or ODS workbook (or a workbook cut short)"
                    .to_string(),
                "unzip a zipped export and drop what is inside; a workbook may still be being copied: drop it again once it is complete",
            ));
        }
        Ok(Err(Unreadable::NoSheets)) => {
            return Err(refuse(
                "is a workbook without sheets".to_string(),
                "export the data again",
            ));
        }
        Ok(Err(Unreadable::TooLarge { rows, columns })) => {
            return Err(refuse(
                format!(
                    "its sheet spans {rows} rows (or more) by {columns} columns, more than sluice reads from one sheet ({MAX_CELLS} cells)"
                ),
                "a stray value or formatting far below or to the right of the data makes a sheet this large: delete the rows and columns after the data and save it again, or split the export",
            ));
        }
        Ok(Err(Unreadable::NoSuchSheet(message))) => {
            return Err(refuse(
                message,
                "fix `sheet` in the pipeline file: a sheet's name as its tab shows it, or its number counted from 1",
            ));
        }
        Err(_) => {
            return Err(refuse(
                format!("cannot be read as an {} workbook", kind.name()),
                damaged_hint,
            ));
        }
    };
    let origin = Origin::Sheet {
        name: sheet.name.clone(),
        dates: sheet.dates,
    };
    let mut rows = rows(&sheet.cells, layout.skip_lines);
    if layout.header
        && let Some(header) = rows.first_mut()
    {
        let header_row = u32::try_from(header.line - 1).unwrap_or(u32::MAX);
        let merged = panic::catch_unwind(AssertUnwindSafe(|| {
            workbook.merges(file.bytes, &sheet.name, header_row)
        }));
        let merges = match merged {
            Ok(Ok(merges)) => merges,
            Ok(Err(why)) => {
                return Err(located(
                    file,
                    &origin,
                    Some(header.line),
                    None,
                    format!("its merged cells cannot be read: {why}"),
                    damaged_hint,
                ));
            }
            Err(_) => {
                return Err(located(
                    file,
                    &origin,
                    Some(header.line),
                    None,
                    "its merged cells cannot be read".to_string(),
                    damaged_hint,
                ));
            }
        };
        spread_merged_header(header, header_row, &merges, &sheet.cells);
    }
    Table::assemble(origin, layout, file, rows)
}

fn open<'b>(
    kind: Kind,
    layout: &CsvLayout,
    bytes: &'b [u8],
) -> Result<(Workbook<'b>, Sheet), Unreadable> {
    let damaged = |e: &dyn std::fmt::Display| Unreadable::Damaged(e.to_string());
    let reader = Cursor::new(bytes);
    let mut workbook = match kind {
        Kind::Xlsx => {
            xlsx_bounds::check(bytes, MAX_CELLS).map_err(|claimed| {
                Unreadable::Damaged(format!(
                    "it claims {claimed} distinct texts, more than sluice reads from a workbook ({MAX_CELLS})"
                ))
            })?;
            Workbook::Xlsx(Xlsx::new(reader).map_err(|e| damaged(&e))?)
        }
        Kind::Xls => {
            xls_bounds::check(bytes, MAX_CELLS).map_err(|refusal| match refusal {
                xls_bounds::Refusal::Damaged(why) => Unreadable::Damaged(why.to_string()),
                xls_bounds::Refusal::TooLarge { rows, columns } => {
                    Unreadable::TooLarge { rows, columns }
                }
            })?;
            Workbook::Xls(Xls::new(reader).map_err(|e| damaged(&e))?)
        }
        Kind::Ods => {
            ods_bounds::check(bytes, MAX_CELLS).map_err(|refusal| match refusal {
                ods_bounds::Refusal::TooLarge { rows, columns } => {
                    Unreadable::TooLarge { rows, columns }
                }
                ods_bounds::Refusal::TooMuchText(characters) => Unreadable::Damaged(format!(
                    "its cells would hold {characters} characters of text, far more than a sheet of invoices or payments does"
                )),
            })?;
            Workbook::Ods(Ods::new(reader).map_err(|e| damaged(&e))?)
        }
        Kind::OtherZip => return Err(Unreadable::NotAWorkbook),
    };
    let name = choose(&workbook.sheet_names(), layout.sheet.as_ref())?;
    let (cells, dates) = match &mut workbook {
        Workbook::Xlsx(w) => {
            let dates = epoch(w.has_1904_epoch());
            (xlsx_cells(w, &name)?, dates)
        }
        // calamine reads an XLS or ODS sheet whole; what the file claims was checked
        // before calamine opened it (xls_bounds, ods_bounds).
        Workbook::Xls(w) => (
            range_cells(w.worksheet_range(&name).map_err(|e| damaged(&e))?)?,
            epoch(w.has_1904_epoch()),
        ),
        // ODS writes dates as dates; its serial numbers count from 1899-12-30, like
        // Excel's 1900 system from March 1900 on.
        Workbook::Ods(w) => (
            range_cells(w.worksheet_range(&name).map_err(|e| damaged(&e))?)?,
            DateSystem::From1900,
        ),
    };
    Ok((workbook, Sheet { name, cells, dates }))
}

/// Cells with a value, gathered while the table they make stays within [`MAX_CELLS`].
#[derive(Default)]
struct Gathered {
    cells: Cells,
    widest: u32,
    seen: u64,
}

impl Gathered {
    fn add(&mut self, (row, col): (u32, u32), value: Data) -> Result<(), Unreadable> {
        if matches!(value, Data::Empty) {
            return Ok(());
        }
        self.seen += 1;
        self.widest = self.widest.max(col);
        self.cells.entry(row).or_default().insert(col, value);
        let rows = self.cells.len() as u64;
        let columns = u64::from(self.widest) + 1;
        // `seen` counts cells written twice at one place too, which take memory as well.
        if rows.saturating_mul(columns) > MAX_CELLS || self.seen > MAX_CELLS {
            return Err(Unreadable::TooLarge { rows, columns });
        }
        Ok(())
    }
}

/// An XLSX sheet cell by cell, so that a far-away cell is refused before calamine would
/// allocate the whole area up to it.
fn xlsx_cells(workbook: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Cells, Unreadable> {
    let damaged = |e: calamine::XlsxError| Unreadable::Damaged(e.to_string());
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or dialog sheet: no cells, like calamine's own reading of it.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(BTreeMap::new()),
        Err(e) => return Err(damaged(e)),
    };
    let mut gathered = Gathered::default();
    while let Some(cell) = reader.next_cell().map_err(damaged)? {
        let position = cell.get_position();
        gathered.add(position, cell.get_value().clone().into())?;
    }
    Ok(gathered.cells)
}

fn range_cells(range: Range<Data>) -> Result<Cells, Unreadable> {
    let mut gathered = Gathered::default();
    let (row0, col0) = range.start().unwrap_or((0, 0));
    for (r, c, value) in range.used_cells() {
        let row = row0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
        let col = col0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
        gathered.add((row, col), value.clone())?;
    }
    Ok(gathered.cells)
}

fn epoch(is_1904: bool) -> DateSystem {
    if is_1904 {
        DateSystem::From1904
    } else {
        DateSystem::From1900
    }
}

/// The sheet the source asks for, or the first one.
fn choose(names: &[String], wanted: Option<&SheetRef>) -> Result<String, Unreadable> {
    let found = match wanted {
        None => names.first(),
        Some(SheetRef::Name(name)) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(name.trim())),
        Some(SheetRef::Position(n)) => usize::try_from(*n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| names.get(i)),
    };
    if names.is_empty() {
        return Err(Unreadable::NoSheets);
    }
    found.cloned().ok_or_else(|| {
        let listed: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{} \"{n}\"", i + 1))
            .collect();
        let wanted = match wanted {
            Some(SheetRef::Name(name)) => format!("no sheet \"{name}\""),
            Some(SheetRef::Position(n)) => format!("no sheet number {n}"),
            None => "no sheet".to_string(),
        };
        Unreadable::NoSuchSheet(format!("has {wanted} (its sheets: {})", listed.join(", ")))
    })
}

impl Workbook<'_> {
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Workbook::Xlsx(w) => w.sheet_names(),
            Workbook::Xls(w) => w.sheet_names(),
            Workbook::Ods(w) => w.sheet_names(),
        }
    }

    /// The merged areas of a sheet that start at or above `last_row` (0-based).
    fn merges(
        &mut self,
        bytes: &[u8],
        sheet: &str,
        last_row: u32,
    ) -> Result<Vec<Dimensions>, String> {
        let all = match self {
            Workbook::Xlsx(w) => w
                .merge_cells_by_sheet_name(sheet)
                .map_err(|e| e.to_string())?,
            Workbook::Xls(w) => w
                .merge_cells_by_sheet_name(sheet)
                .map_err(|e| e.to_string())?,
            Workbook::Ods(_) => ods_merges::read(bytes, sheet, last_row)?,
        };
        Ok(all.into_iter().filter(|d| d.start.0 <= last_row).collect())
    }
}

/// The sheet's rows from `skip` on (0-based), blank ones left out, each as wide as the
/// sheet and starting at column A, numbered as the spreadsheet app shows them.
fn rows(sheet: &Cells, skip: usize) -> Vec<Row> {
    let Some(last_col) = sheet.values().filter_map(|row| row.keys().last()).max() else {
        return Vec::new();
    };
    let from = u32::try_from(skip).unwrap_or(u32::MAX);
    let mut rows = Vec::new();
    for (&r, values) in sheet.range(from..) {
        let cells: Vec<Cell> = (0..=*last_col)
            .map(|c| values.get(&c).map(cell).unwrap_or(Cell::Empty))
            .collect();
        if cells.iter().any(|c| !c.is_blank()) {
            rows.push(Row {
                line: u64::from(r) + 1,
                cells,
            });
        }
    }
    rows
}

/// Gives a merged area's value to each header cell it covers (see the module comment).
fn spread_merged_header(header: &mut Row, row: u32, merges: &[Dimensions], sheet: &Cells) {
    for area in merges.iter().filter(|a| a.start.0 <= row && row <= a.end.0) {
        let Some(value) = sheet
            .get(&area.start.0)
            .and_then(|r| r.get(&area.start.1))
            .map(cell)
        else {
            continue;
        };
        // The area may claim columns far past the sheet's last; only the header's count.
        let first = area.start.1 as usize;
        let width = (area.end.1 as usize)
            .saturating_sub(first)
            .saturating_add(1);
        for covered in header.cells.iter_mut().skip(first).take(width) {
            if covered.is_blank() {
                *covered = value.clone();
            }
        }
    }
}

/// What a spreadsheet app shows in a cell whose formula failed.
const ERROR_VALUES: &[&str] = &[
    "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!",
    "Err:502", "Err:504", "Err:508", "Err:511", "Err:522",
];

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        // ODS gives an error cell as its text; a cell reading exactly `#N/A` is one anyway.
        Data::String(s) if ERROR_VALUES.contains(&s.trim()) => Cell::Error(s.trim().to_string()),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        // The readers give whole numbers as floats; an integer here fits an f64 exactly
        // up to 2^53, far beyond any amount.
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) => iso_date_cell(s),
        Data::DurationIso(s) => Cell::Time(s.clone()),
    }
}

/// An Excel date cell: a serial number the cell's format shows as a date or time.
fn date_cell(dt: &ExcelDateTime) -> Cell {
    let (year, month, day, hour, minute, second, milli) = dt.to_ymd_hms_milli();
    if dt.is_duration() || dt.as_f64() < 1.0 {
        return Cell::Time(format!("{hour:02}:{minute:02}:{second:02}"));
    }
    NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))
        .and_then(|d| {
            d.and_hms_milli_opt(
                u32::from(hour),
                u32::from(minute),
                u32::from(second),
                u32::from(milli),
            )
        })
        .map(Cell::Date)
        // Excel's fictitious 1900-02-29: left as the serial, which a date column refuses.
        .unwrap_or(Cell::Number(dt.as_f64()))
}

/// An ODS date cell: `2026-10-01`, or `2026-10-01T14:30:00` with a time.
fn iso_date_cell(text: &str) -> Cell {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
        .map(Cell::Date)
        .unwrap_or_else(|| Cell::Text(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["Summary".to_string(), "Invoices".to_string()]
    }

    fn refused(wanted: Option<&SheetRef>) -> String {
        match choose(&names(), wanted) {
            Err(Unreadable::NoSuchSheet(message)) => message,
            Ok(name) => panic!("chose {name}"),
            Err(_) => panic!("another refusal"),
        }
    }

    #[test]
    fn a_sheet_is_chosen_by_name_or_number() {
        let ok = |w: Option<&SheetRef>| choose(&names(), w).ok().unwrap();
        assert_eq!(ok(None), "Summary");
        assert_eq!(
            ok(Some(&SheetRef::Name("invoices ".to_string()))),
            "Invoices"
        );
        assert_eq!(ok(Some(&SheetRef::Position(2))), "Invoices");
        assert_eq!(
            refused(Some(&SheetRef::Name("Rechnungen".to_string()))),
            "has no sheet \"Rechnungen\" (its sheets: 1 \"Summary\", 2 \"Invoices\")"
        );
        assert_eq!(
            refused(Some(&SheetRef::Position(3))),
            "has no sheet number 3 (its sheets: 1 \"Summary\", 2 \"Invoices\")"
        );
        assert!(matches!(choose(&[], None), Err(Unreadable::NoSheets)));
    }

    #[test]
    fn ods_dates_keep_their_day() {
        let at = |s: &str| match iso_date_cell(s) {
            Cell::Date(d) => d.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(at("2026-10-01"), "2026-10-01 00:00:00");
        assert_eq!(at("2026-10-01T14:30:00"), "2026-10-01 14:30:00");
        assert_eq!(at("2026-10-01T14:30:00.5"), "2026-10-01 14:30:00.500");
        assert_eq!(at("01.10.2026"), "Text(\"01.10.2026\")");
    }
}
