//! What the fuzzers (`fuzz/`, see the README's "Fuzzing") found, kept: each input under
//! `tests/fixtures/fuzz/` once crashed, hung or took memory without bound. Each is read
//! with the layout the fuzzer used (`fuzz/pipeline.toml`) and must now be refused with an
//! error that names the file and says where and what — or be read — and never panic. Where
//! the origin of a file is not the fuzzer, `tests/fixtures/fuzz/SOURCES.md` says so.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::fixture;
use sluice::pipeline::{self, Pipeline};
use sluice::sources::{self, InputFile, Records, SourceError};

fn fuzz_pipeline() -> Pipeline {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/pipeline.toml");
    pipeline::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Reads the fixture `name` with the fuzz pipeline's source `source`, as a run would.
fn read(source: &str, name: &str) -> Result<Records, SourceError> {
    let pipeline = fuzz_pipeline();
    let source = pipeline
        .sources
        .iter()
        .find(|s| s.name == source)
        .unwrap_or_else(|| panic!("fuzz/pipeline.toml has no source {source}"));
    let bytes = fixture(&format!("fuzz/{name}"));
    let file = InputFile {
        name,
        sha256: "0",
        bytes: &bytes,
    };
    sources::parse(source, &file)
}

/// The refusal, which must name the file and say what is wrong and what to do.
fn refusal(result: Result<Records, SourceError>, name: &str) -> SourceError {
    match result {
        Ok(records) => panic!("{name} was read: {} record(s)", records.len()),
        Err(e) => {
            assert_eq!(e.file, name, "{e}");
            assert!(!e.message.is_empty() && !e.hint.is_empty(), "{e}");
            e
        }
    }
}

/// One value in cell XFD1048576 beside the header: calamine would have laid out the whole
/// area up to it (17 billion cells) and the process died asking for the memory. The sheet
/// is read from its cells instead, and refused for the columns its header lacks.
#[test]
fn a_single_cell_far_from_the_data_does_not_take_the_machine_down() {
    let started = Instant::now();
    let e = refusal(read("billing-invoices", "far-cell.xlsx"), "far-cell.xlsx");
    assert!(e.to_string().contains("sheet \"Invoices\""), "{e}");
    // The 16,383 empty header cells up to XFD are not listed.
    assert!(
        e.message
            .ends_with("has no column \"Customer No\" (for `customer_id`; found: Invoice No)"),
        "{e}"
    );
    assert!(started.elapsed() < Duration::from_secs(10), "{e}");
}

/// 400 rows, each with a value in column A and in column XFD: 6.5 million cells as a
/// table, more than one sheet may hold. Refused before the table is built.
#[test]
fn a_sheet_larger_than_sluice_reads_is_refused_with_its_size() {
    let e = refusal(read("billing-invoices", "wide-rows.xlsx"), "wide-rows.xlsx");
    assert_eq!(
        e.message,
        "its sheet spans 306 rows (or more) by 16384 columns, more than sluice reads from one sheet (5000000 cells)",
        "{e}"
    );
    assert!(
        e.hint
            .contains("delete the rows and columns after the data"),
        "{e}"
    );
}

/// Found by the `sheet` fuzzer in its first seconds: an XLS file whose sector table sends
/// the directory's chain back to a sector it already passed. calamine followed it round and
/// round, appending to one buffer, until the process was killed for its memory (3 GB within
/// the fuzzer's first second). Refused as damaged before calamine reads it.
#[test]
fn an_xls_file_whose_sectors_loop_is_refused_as_damaged() {
    let name = "xls-looping-sector-chain.xls";
    let e = refusal(read("billing-invoices", name), name);
    assert_eq!(
        e.message, "cannot be read as an XLS workbook: a chain of its sectors loops back on itself",
        "{e}"
    );
    assert!(
        e.hint
            .contains("open it in the spreadsheet app and save it again"),
        "{e}"
    );
}

/// The invoice fixture (tests/fixtures/sheets/invoices.xls) with its sheet's DIMENSIONS
/// record saying the sheet ends at row 4,294,967,295: calamine reserves room for every
/// cell of that area before reading one, and the allocation kills the process. The claim
/// is checked first and the file refused with it.
#[test]
fn an_xls_sheet_claiming_billions_of_rows_is_refused_before_calamine_reserves_them() {
    let name = "xls-claims-4-billion-rows.xls";
    let e = refusal(read("billing-invoices", name), name);
    assert!(
        e.message
            .starts_with("its sheet spans 4294967295 rows (or more) by 1 columns"),
        "{e}"
    );
}

/// 809 bytes: one row of 95 numbers, repeated 1,048,576 times. calamine expanded it when
/// opening the file — 99.6 million cells, just under its own cap — and the process peaked
/// at 6.6 GB before sluice refused the sheet. The repeats are counted first now.
#[test]
fn an_ods_row_repeated_a_million_times_is_refused_before_it_is_expanded() {
    let name = "ods-repeated-rows.ods";
    let e = refusal(read("billing-invoices", name), name);
    assert_eq!(
        e.message,
        "its sheet spans 1048576 rows (or more) by 95 columns, more than sluice reads from one sheet (5000000 cells)",
        "{e}"
    );
}

/// One cell whose text holds two billion spaces, written as `<text:s text:c="2000000000"/>`.
#[test]
fn an_ods_cell_with_billions_of_spaces_is_refused_before_they_are_written_out() {
    let name = "ods-two-billion-spaces.ods";
    let e = refusal(read("billing-invoices", name), name);
    assert_eq!(
        e.message,
        "cannot be read as an ODS workbook: its cells would hold 2000000015 characters of text, far more than a sheet of invoices or payments does",
        "{e}"
    );
}

/// A shared-strings part claiming a hundred billion distinct texts: calamine reserved room
/// for all of them when opening the workbook, and the failed allocation of 2.4 TB aborted
/// the process ("memory allocation of 2400000000000 bytes failed").
#[test]
fn an_xlsx_claiming_billions_of_shared_strings_is_refused_before_calamine_reserves_them() {
    let name = "xlsx-claims-100-billion-strings.xlsx";
    let e = refusal(read("billing-invoices", name), name);
    assert_eq!(
        e.message,
        "cannot be read as an XLSX workbook: it claims 100000000000 distinct texts, more than sluice reads from a workbook (5000000)",
        "{e}"
    );
}

/// Found by the `sheet` fuzzer after 335,000 runs: an XLS sheet whose cells lie 11,011
/// rows and 62,978 columns apart. calamine lays a sheet out as one block from its first
/// cell to its last, asked for 693 million cells at once, and the process was killed for
/// its memory (2.6 GB, still allocating). The cells' positions are checked first now.
#[test]
fn an_xls_sheet_whose_cells_lie_far_apart_is_refused_before_calamine_lays_it_out() {
    let name = "xls-cells-far-apart.xls";
    let e = refusal(read("billing-invoices", name), name);
    assert_eq!(
        e.message,
        "its sheet spans 11011 rows (or more) by 62978 columns, more than sluice reads from one sheet (5000000 cells)",
        "{e}"
    );
}
