//! A spreadsheet sluice cannot read exactly is refused, and the refusal says where as a
//! person finds it in the spreadsheet app: file, sheet, row, column name and cell
//! (`invoices.xlsx:3: at sheet "Invoices", cell F3: column "Total": …`), and what to do.
//! Office lock files beside a workbook are ignored, never quarantined.
//!
//! Fixtures: `tests/fixtures/sheets/`, written once by `scripts/make_sheet_fixtures.py`;
//! `refusals.xlsx` holds one sheet per refusal, each an invoice export whose row 3 is wrong.

mod common;

use std::fs;

use common::{Company, fixture, run_at};
use proptest::prelude::*;
use sluice::durable::sha256_hex;
use sluice::pipeline::Pipeline;
use sluice::sources::{self, InputFile, SourceError};

fn invoices(sheet: &str) -> String {
    format!(
        r#"
[[sources]]
name = "billing-invoices"
format = "invoice_csv"
files = ["invoices*", "refusals*", "error-cell*", "zipped-csv*"]
{sheet}
currency = "EUR"
thousands = ","

[sources.columns]
number = "Invoice No"
customer_id = "Customer No"
customer_name = "Customer Name"
issue_date = "Invoice Date"
due_date = "Due Date"
total = "Total"
currency = "Currency"
status = "Status"
"#
    )
}

fn pipeline_for(company: &Company, sheet: &str) -> Pipeline {
    company.pipeline("archive", &invoices(sheet))
}

fn refusal_of(pipeline: &Pipeline, name: &str, bytes: &[u8]) -> SourceError {
    let source = pipeline
        .sources
        .iter()
        .find(|s| s.matches_file_name(name))
        .unwrap_or_else(|| panic!("no source matches {name}"));
    let sha256 = sha256_hex(bytes);
    let file = InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    match sources::parse(source, &file) {
        Ok(records) => panic!("{name} was read: {records:?}"),
        Err(e) => e,
    }
}

/// The refusal of sheet `sheet` of refusals.xlsx.
fn refusal(sheet: &str) -> SourceError {
    let company = Company::new();
    let pipeline = pipeline_for(&company, &format!("sheet = \"{sheet}\""));
    refusal_of(&pipeline, "refusals.xlsx", &fixture("sheets/refusals.xlsx"))
}

/// Where: file, sheet row, column name and the cell; then what and what to do.
fn assert_located(e: &SourceError, sheet: &str, cell: &str, column: &str) {
    assert_eq!(e.file, "refusals.xlsx", "{e}");
    let row: u64 = cell
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .expect("a cell like F3");
    assert_eq!(e.line, Some(row), "{e}");
    assert_eq!(e.column.as_deref(), Some(column), "{e}");
    assert_eq!(
        e.path.as_deref(),
        Some(format!("sheet \"{sheet}\", cell {cell}").as_str()),
        "{e}"
    );
}

#[test]
fn an_error_cell_is_refused_with_its_cell() {
    let e = refusal("Error cell");

    assert_located(&e, "Error cell", "F3", "Total");
    assert_eq!(e.message, "\"#N/A\" is an error cell, not an amount");
    assert!(e.hint.contains("fix the formula"), "{e}");
    assert_eq!(
        e.to_string(),
        "refusals.xlsx:3: at sheet \"Error cell\", cell F3: column \"Total\": \"#N/A\" is an error cell, not an amount — fix the formula in the sheet, or paste the values instead"
    );
}

#[test]
fn an_error_cell_in_a_date_column_is_refused_with_its_cell() {
    let e = refusal("Error in date");

    assert_located(&e, "Error in date", "E3", "Due Date");
    assert_eq!(e.message, "\"#VALUE!\" is an error cell, not a date");
}

#[test]
fn an_error_cell_in_a_text_column_is_refused_with_its_cell() {
    let e = refusal("Error in name");

    assert_located(&e, "Error in name", "C3", "Customer Name");
    assert_eq!(e.message, "\"#REF!\" is an error cell");
}

#[test]
fn a_true_false_cell_in_an_amount_column_is_refused() {
    let e = refusal("Flag as amount");

    assert_located(&e, "Flag as amount", "F3", "Total");
    assert_eq!(e.message, "\"TRUE\" is not an amount");
}

#[test]
fn an_ods_error_cell_is_refused_like_an_excel_one() {
    let company = Company::new();
    let pipeline = pipeline_for(&company, "");

    let e = refusal_of(
        &pipeline,
        "error-cell.ods",
        &fixture("sheets/error-cell.ods"),
    );

    assert_eq!(e.file, "error-cell.ods");
    assert_eq!(e.line, Some(2));
    assert_eq!(e.column.as_deref(), Some("Total"));
    assert_eq!(e.path.as_deref(), Some("sheet \"Invoices\", cell F2"));
    assert_eq!(e.message, "\"#N/A\" is an error cell, not an amount");
}

#[test]
fn a_formula_result_with_binary_noise_is_refused_not_rounded() {
    let e = refusal("Formula noise");

    assert_located(&e, "Formula noise", "F3", "Total");
    assert_eq!(
        e.message,
        "\"0.30000000000000004\" has fractions of a cent (EUR amounts have 2 decimals)"
    );
    assert!(e.hint.contains("=ROUND("), "{e}");
}

#[test]
fn a_serial_number_that_is_no_plausible_date_is_refused() {
    let e = refusal("Serial out of range");

    assert_located(&e, "Serial out of range", "D3", "Invoice Date");
    assert_eq!(
        e.message,
        "\"12\" is not a date: as a serial date it would be 1900-01-12, outside 1990–2100"
    );
}

#[test]
fn a_time_cell_in_a_date_column_is_refused() {
    let e = refusal("Time as date");

    assert_located(&e, "Time as date", "D3", "Invoice Date");
    assert_eq!(
        e.message,
        "\"14:30:00\" is a time of day or a duration, not a date"
    );
}

#[test]
fn a_date_cell_in_an_amount_column_is_refused() {
    let e = refusal("Date as amount");

    assert_located(&e, "Date as amount", "F3", "Total");
    assert_eq!(
        e.message,
        "\"2026-10-01\" is a date or time cell, not an amount"
    );
}

#[test]
fn a_currency_symbol_that_contradicts_the_currency_column_is_refused() {
    let e = refusal("Symbol contradicts");

    assert_located(&e, "Symbol contradicts", "F3", "Total");
    assert_eq!(
        e.message,
        "\"$ 20.00\" is written in $ but the row's currency is EUR"
    );
}

#[test]
fn in_csv_too_a_currency_symbol_must_fit_the_rows_currency() {
    let company = Company::new();
    let pipeline = pipeline_for(&company, "");
    let csv = "Invoice No,Customer No,Customer Name,Invoice Date,Due Date,Total,Currency,Status\n\
               INV-1,C1,Ada,2026-10-01,2026-10-15,€10.00,EUR,open\n\
               INV-2,C2,Alan,2026-10-01,2026-10-15,12.00 GBP,EUR,open\n";

    let e = refusal_of(&pipeline, "invoices-2026-10.csv", csv.as_bytes());

    assert_eq!(e.file, "invoices-2026-10.csv");
    assert_eq!(e.line, Some(3));
    assert_eq!(e.column.as_deref(), Some("Total"));
    assert_eq!(e.path, None);
    assert_eq!(
        e.message,
        "\"12.00 GBP\" is written in GBP but the row's currency is EUR"
    );
}

#[test]
fn a_currency_symbol_must_fit_the_sources_currency_when_there_is_no_currency_column() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        &invoices("").replace("currency = \"Currency\"\n", ""),
    );
    let csv = "Invoice No,Customer No,Customer Name,Invoice Date,Due Date,Total,Currency,Status\n\
               INV-1,C1,Ada,2026-10-01,2026-10-15,\"$1,000.00\",,open\n";

    let e = refusal_of(&pipeline, "invoices-2026-10.csv", csv.as_bytes());

    assert_eq!(e.line, Some(2));
    assert_eq!(e.column.as_deref(), Some("Total"));
    assert_eq!(
        e.message,
        "\"$1,000.00\" is written in $ but the row's currency is EUR"
    );
}

#[test]
fn a_sheet_name_the_workbook_lacks_is_refused_naming_the_sheets_it_has() {
    let company = Company::new();
    let pipeline = pipeline_for(&company, "sheet = \"Rechnungen\"");

    for workbook in ["invoices.xlsx", "invoices.xls", "invoices.ods"] {
        let e = refusal_of(&pipeline, workbook, &fixture(&format!("sheets/{workbook}")));
        assert_eq!(e.file, workbook);
        assert_eq!(e.line, None);
        assert_eq!(
            e.message,
            "has no sheet \"Rechnungen\" (its sheets: 1 \"Summary\", 2 \"Invoices\")"
        );
        assert!(e.hint.contains("fix `sheet` in the pipeline file"), "{e}");
    }
}

#[test]
fn a_sheet_number_beyond_the_last_sheet_is_refused() {
    let company = Company::new();
    let pipeline = pipeline_for(&company, "sheet = 3");

    let e = refusal_of(&pipeline, "invoices.xlsx", &fixture("sheets/invoices.xlsx"));

    assert_eq!(
        e.message,
        "has no sheet number 3 (its sheets: 1 \"Summary\", 2 \"Invoices\")"
    );
}

#[test]
fn a_workbook_cut_short_is_refused_as_damaged() {
    let company = Company::new();
    let pipeline = pipeline_for(&company, "sheet = \"Invoices\"");

    for (workbook, says) in [
        (
            "invoices.xlsx",
            "is a ZIP archive but no XLSX or ODS workbook",
        ),
        ("invoices.xls", "cannot be read as an XLS workbook"),
        ("invoices.ods", "cannot be read as an ODS workbook"),
    ] {
        let bytes = fixture(&format!("sheets/{workbook}"));
        let e = refusal_of(&pipeline, workbook, &bytes[..bytes.len() / 2]);
        assert_eq!(e.file, workbook);
        assert!(e.message.starts_with(says), "{workbook}: {e}");
        assert!(e.hint.contains("being copied"), "{workbook}: {e}");
    }
}

#[test]
fn a_zip_archive_that_holds_no_workbook_is_refused() {
    let company = Company::new();
    let pipeline = pipeline_for(&company, "");

    let e = refusal_of(
        &pipeline,
        "zipped-csv.xlsx",
        &fixture("sheets/zipped-csv.xlsx"),
    );

    assert_eq!(
        e.message,
        "is a ZIP archive but no XLSX or ODS workbook (or a workbook cut short)"
    );
    assert!(e.hint.contains("unzip"), "{e}");
}

#[test]
fn a_refused_workbook_goes_to_quarantine_with_its_cell_in_the_reason() {
    let company = Company::new();
    let pipeline = pipeline_for(&company, "sheet = \"Error cell\"");
    company.drop_file("invoices-2026-10.xlsx", fixture("sheets/refusals.xlsx"));

    let summary = run_at(&pipeline, "2026-11-02T08:00:00Z");

    assert_eq!(summary.exit_code(), 3);
    let reason = fs::read_to_string(
        company
            .path("quarantine")
            .join("invoices-2026-10.xlsx.reason.txt"),
    )
    .expect("a reason beside the quarantined file");
    assert!(
        reason.starts_with(
            "invoices-2026-10.xlsx:3: at sheet \"Error cell\", cell F3: column \"Total\": \"#N/A\" is an error cell"
        ),
        "{reason}"
    );
}

#[test]
fn office_lock_files_beside_a_workbook_are_ignored_not_quarantined_nor_archived() {
    let company = Company::new();
    let pipeline = pipeline_for(
        &company,
        "sheet = \"Invoices\"\nskip_lines = 2\nskip_trailing = 1",
    );
    company.drop_file("invoices-2026-10.xlsx", fixture("sheets/invoices.xlsx"));
    // What Excel and LibreOffice write beside a workbook that is open.
    let mut excel_lock = vec![8u8];
    excel_lock.extend(b"Finance ");
    excel_lock.resize(162, b' ');
    let libreoffice_lock = b"Finance,finance,FIN-PC,01.11.2026 09:12,file:///C:/Users/finance/AppData/Roaming/LibreOffice/4;".to_vec();
    let noise: [(&str, &[u8]); 2] = [
        ("~$invoices-2026-10.xlsx", &excel_lock),
        (".~lock.invoices-2026-10.xlsx#", &libreoffice_lock),
    ];
    for (name, bytes) in noise {
        company.drop_file(name, bytes);
    }

    let summary = run_at(&pipeline, "2026-11-02T08:00:00Z");

    assert_eq!(summary.exit_code(), 0, "{:#?}", summary.quarantined);
    assert_eq!(summary.files.ignored, 2);
    assert_eq!(summary.files.processed, 1);
    assert!(summary.quarantined.is_empty());
    assert!(!company.path("quarantine").exists());
    assert!(
        company
            .path("archive/2026/11/invoices-2026-10.xlsx")
            .is_file()
    );
    for (name, bytes) in noise {
        assert_eq!(
            fs::read(company.path("inbox").join(name)).expect("left in the inbox"),
            bytes,
            "{name} is left alone"
        );
        assert!(!company.path("archive/2026/11").join(name).exists());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Whatever a damaged workbook holds — bytes overwritten anywhere, cut off anywhere —
    /// reading it gives records or a refusal; it never stops the run.
    #[test]
    fn no_damaged_workbook_stops_a_run(
        workbook in prop::sample::select(vec!["invoices.xlsx", "invoices.xls", "invoices.ods"]),
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let company = Company::new();
        let pipeline = pipeline_for(&company, "sheet = \"Invoices\"");
        let source = &pipeline.sources[0];
        let mut bytes = fixture(&format!("sheets/{workbook}"));
        for (at, byte) in damage {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let keep = bytes.len() / 2 + cut.index(bytes.len() / 2 + 1);
        bytes.truncate(keep);
        let sha256 = sha256_hex(&bytes);
        let file = InputFile { name: workbook, sha256: &sha256, bytes: &bytes };
        let read = std::panic::catch_unwind(|| sources::parse(source, &file).map(|r| r.len()));
        prop_assert!(read.is_ok(), "reading {} panicked", workbook);
    }
}
