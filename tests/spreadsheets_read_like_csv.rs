//! Billing and bank exports as spreadsheets (XLSX, XLS, ODS) are read with the very same
//! `[columns]` mapping as their CSV: the same records come out, each with the sheet row a
//! person sees in the spreadsheet app. Number cells give the exact decimal typed, date
//! cells their day, serial numbers in a date column are spreadsheet dates.
//!
//! Fixtures: `tests/fixtures/sheets/`, written once by `scripts/make_sheet_fixtures.py`.
//! To accept a deliberate change of the golden records: `SLUICE_BLESS=1 cargo test --test
//! spreadsheets_read_like_csv`, then review the diff of tests/golden/sheets/.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{Company, fixture, run_at};
use sluice::durable::sha256_hex;
use sluice::model::{BankLine, Document};
use sluice::pipeline::Pipeline;
use sluice::sources::{self, InputFile, Records, SourceError};

/// The billing system's invoice export: a title row, a blank row, the header, a totals row
/// at the end. `sheet` only matters for the workbooks.
const INVOICES: &str = r#"
[[sources]]
name = "billing-invoices"
format = "invoice_csv"
files = ["invoices*"]
sheet = "Invoices"
skip_lines = 2
skip_trailing = 1
thousands = ","
currency = "EUR"

[sources.columns]
number = "Invoice No"
customer_id = "Customer No"
customer_name = "Customer Name"
issue_date = "Invoice Date"
due_date = "Due Date"
total = "Total"
currency = "Currency"
status = "Status"
"#;

/// A German bank's statement as a workbook: Soll/Haben, `1.234,56 €` as text.
const UMSAETZE: &str = r#"
[[sources]]
name = "sparkasse"
format = "bank_csv"
files = ["bank-statement*"]
account = "DE89370400440532013000"
skip_lines = 1
skip_trailing = 1
decimal = ","
thousands = "."
date_format = "%d.%m.%Y"

[sources.columns]
booking_date = "Buchungstag"
value_date = "Valuta"
debit = "Soll"
credit = "Haben"
currency = "Währung"
counterparty = "Auftraggeber/Empfänger"
counterparty_account = "IBAN"
text = "Verwendungszweck"
"#;

fn read(pipeline: &Pipeline, name: &str, bytes: &[u8]) -> Result<Records, SourceError> {
    let source = pipeline
        .sources
        .iter()
        .find(|s| s.matches_file_name(name))
        .unwrap_or_else(|| panic!("no source of the test pipeline matches {name}"));
    let sha256 = sha256_hex(bytes);
    let file = InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    sources::parse(source, &file)
}

fn documents(pipeline: &Pipeline, fixture_name: &str) -> Vec<Document> {
    match read(
        pipeline,
        fixture_name,
        &fixture(&format!("sheets/{fixture_name}")),
    ) {
        Ok(Records::Documents(docs)) => docs,
        Ok(other) => panic!("{fixture_name} was read as {other:?}"),
        Err(e) => panic!("{fixture_name} was refused: {e}"),
    }
}

fn bank_lines(pipeline: &Pipeline, fixture_name: &str) -> Vec<BankLine> {
    match read(
        pipeline,
        fixture_name,
        &fixture(&format!("sheets/{fixture_name}")),
    ) {
        Ok(Records::BankLines(lines)) => lines,
        Ok(other) => panic!("{fixture_name} was read as {other:?}"),
        Err(e) => panic!("{fixture_name} was refused: {e}"),
    }
}

fn refusal(pipeline: &Pipeline, fixture_name: &str) -> SourceError {
    match read(
        pipeline,
        fixture_name,
        &fixture(&format!("sheets/{fixture_name}")),
    ) {
        Ok(records) => panic!("{fixture_name} was read: {records:?}"),
        Err(e) => e,
    }
}

/// One document on one line, every field a person would check, and the row it came from.
fn document_row(d: &Document) -> String {
    format!(
        "row {} | {} {} | customer {} {} | issued {} | due {} | {} {} | {}",
        d.lineage.line,
        d.kind.as_str(),
        d.number,
        d.customer_id,
        d.customer_name,
        d.issue_date,
        d.due_date.map(|d| d.to_string()).unwrap_or("-".to_string()),
        d.total.currency,
        d.total.amount,
        d.status.as_str(),
    )
}

fn bank_row(l: &BankLine) -> String {
    format!(
        "row {} | {} | {} | {} {} | {} | {} | {}",
        l.lineage.line,
        l.booking_date,
        l.value_date.map(|d| d.to_string()).unwrap_or_default(),
        l.amount.amount,
        l.amount.currency,
        l.counterparty,
        l.counterparty_account,
        l.text
    )
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/sheets")
        .join(name)
}

fn compare_with_golden(produced: &str, name: &str) {
    let path = golden(name);
    if std::env::var_os("SLUICE_BLESS").is_some() {
        fs::create_dir_all(path.parent().expect("golden folder")).expect("mkdir");
        fs::write(&path, produced).expect("write golden");
        return;
    }
    let want = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("golden {}: {e} (bless with SLUICE_BLESS=1)", path.display()));
    assert_eq!(
        produced,
        want,
        "records differ from {}; if the change is deliberate, regenerate with SLUICE_BLESS=1",
        path.display()
    );
}

/// The records with what differs by file (its name and SHA-256) left out.
fn without_file(mut docs: Vec<Document>) -> Vec<Document> {
    for d in &mut docs {
        d.lineage.file_name.clear();
        d.lineage.file_sha256.clear();
    }
    docs
}

#[test]
fn the_same_invoices_as_xlsx_xls_ods_and_csv_give_identical_records() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", INVOICES);

    let csv = documents(&pipeline, "invoices.csv");
    let rendered: String = csv.iter().map(|d| document_row(d) + "\n").collect();
    compare_with_golden(&rendered, "invoices.txt");

    for workbook in ["invoices.xlsx", "invoices.xls", "invoices.ods"] {
        let docs = documents(&pipeline, workbook);
        assert_eq!(
            docs.iter().map(document_row).collect::<Vec<_>>(),
            csv.iter().map(document_row).collect::<Vec<_>>(),
            "{workbook} reads differently from the CSV"
        );
        assert_eq!(without_file(docs), without_file(csv.clone()), "{workbook}");
    }
}

#[test]
fn number_cells_give_exactly_the_decimal_that_was_typed() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", INVOICES);

    for workbook in ["invoices.xlsx", "invoices.xls", "invoices.ods"] {
        let totals: Vec<String> = documents(&pipeline, workbook)
            .iter()
            .map(|d| d.total.amount.to_string())
            .collect();
        assert_eq!(
            totals,
            [
                "49.90",
                "1234.56",
                "0.10",
                "1234.56",
                "-19.90",
                "12.00",
                "99999999999.99",
                "0.30"
            ],
            "{workbook}"
        );
    }
}

#[test]
fn customer_numbers_in_number_cells_read_as_the_digits_shown() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", INVOICES);

    let docs = documents(&pipeline, "invoices.xls");

    assert_eq!(docs[0].customer_id, "10001");
    assert_eq!(docs[5].customer_name, "Müller & Söhne GmbH");
}

#[test]
fn dates_as_date_cells_timestamps_serial_numbers_and_text_all_read_as_the_day() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", INVOICES);

    for workbook in ["invoices.xlsx", "invoices.xls", "invoices.ods"] {
        let docs = documents(&pipeline, workbook);
        let issued: Vec<String> = docs.iter().map(|d| d.issue_date.to_string()).collect();
        // Row 4 a date cell, row 5 a date-and-time cell (14:30), row 6 the serial number
        // 46296 in a General-formatted cell, row 7 the text "2026-10-02".
        assert_eq!(
            issued[..4],
            ["2026-10-01", "2026-10-01", "2026-10-01", "2026-10-02"],
            "{workbook}"
        );
        assert_eq!(docs[2].due_date.unwrap().to_string(), "2026-10-15");
        assert_eq!(docs[4].due_date, None, "an empty due date cell is no date");
    }
}

#[test]
fn a_workbook_in_the_1904_date_system_gives_the_same_days() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        &INVOICES
            .replace("invoices*", "dates-1904*")
            .replace("skip_lines = 2\nskip_trailing = 1\n", ""),
    );

    let docs = documents(&pipeline, "dates-1904.xlsx");

    let days: Vec<(String, String)> = docs
        .iter()
        .map(|d| (d.issue_date.to_string(), d.due_date.unwrap().to_string()))
        .collect();
    // Row 2: a date cell, and the serial 44848 (1904 system) in a General cell; row 3 a
    // timestamp at 23:59 and a date cell.
    assert_eq!(
        days,
        [
            ("2026-10-01".to_string(), "2026-10-15".to_string()),
            ("2026-10-02".to_string(), "2026-10-16".to_string())
        ]
    );
}

#[test]
fn rows_are_numbered_as_the_spreadsheet_app_shows_them() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", INVOICES);

    for workbook in [
        "invoices.xlsx",
        "invoices.xls",
        "invoices.ods",
        "invoices.csv",
    ] {
        let rows: Vec<u64> = documents(&pipeline, workbook)
            .iter()
            .map(|d| d.lineage.line)
            .collect();
        // Title in row 1, blank row 2, header row 3; the totals row 12 and the blank rows
        // 13 and 14 after it are no documents.
        assert_eq!(rows, [4, 5, 6, 7, 8, 9, 10, 11], "{workbook}");
    }
}

#[test]
fn a_sheet_is_chosen_by_name_or_by_number() {
    let company = Company::new();
    let by_number = company.pipeline(
        "archive",
        &INVOICES.replace("sheet = \"Invoices\"", "sheet = 2"),
    );
    let by_name_in_other_case = company.pipeline(
        "archive",
        &INVOICES.replace("sheet = \"Invoices\"", "sheet = \"invoices\""),
    );

    assert_eq!(documents(&by_number, "invoices.ods").len(), 8);
    assert_eq!(documents(&by_name_in_other_case, "invoices.xlsx").len(), 8);
}

#[test]
fn without_a_sheet_key_the_first_sheet_is_read() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        &INVOICES
            .replace("sheet = \"Invoices\"\n", "")
            .replace("skip_lines = 2\n", ""),
    );

    // The first sheet of invoices.xlsx is the "Summary" note, which has no such header.
    let e = refusal(&pipeline, "invoices.xlsx");
    assert_eq!(e.path.as_deref(), Some("sheet \"Summary\""));
    assert_eq!(e.line, Some(1));
    assert!(
        e.message.contains(
            "has no column \"Invoice No\" (for `number`; found: Billing export, October 2026)"
        ),
        "{e}"
    );

    let bank = company.pipeline("archive", UMSAETZE);
    assert_eq!(bank_lines(&bank, "bank-statement.xlsx").len(), 4);
}

#[test]
fn a_bank_statement_sheet_reads_soll_haben_timestamps_serials_and_amounts_with_symbols() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", UMSAETZE);

    let lines = bank_lines(&pipeline, "bank-statement.xlsx");

    assert_eq!(
        lines.iter().map(bank_row).collect::<Vec<_>>(),
        [
            // Booked at 09:15 (a timestamp cell), value date the serial 46296.
            "row 3 | 2026-10-01 | 2026-10-01 | 49.90 EUR | Ada Lovelace | DE02100100100006820101 | INV-2026-1001",
            // Soll as the text "1.234,56 €".
            "row 4 | 2026-10-02 | 2026-10-02 | -1234.56 EUR | Stadtwerke | DE02100100100006820102 | Strom Oktober",
            // Soll as the number -4.5; value date the serial 46298.5 (noon).
            "row 5 | 2026-10-03 | 2026-10-03 | -4.50 EUR | Demo Bank |  | Gebühren",
            // Haben as the text "EUR 12,00", no value date.
            "row 6 | 2026-10-04 |  | 12.00 EUR | Ben |  | Abo",
        ]
    );
}

#[test]
fn a_header_merged_across_columns_names_each_of_them_so_its_name_is_refused() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        r#"
[[sources]]
name = "statement"
format = "bank_csv"
files = ["merged-header*"]
account = "DE89370400440532013000"
currency = "EUR"

[sources.columns]
booking_date = "Booking Date"
amount = "Amount"
text = "Text"
"#,
    );

    for workbook in [
        "merged-header.xlsx",
        "merged-header.xls",
        "merged-header.ods",
    ] {
        let e = refusal(&pipeline, workbook);
        assert_eq!(e.file, workbook);
        assert_eq!(e.line, Some(1), "the header row");
        assert_eq!(e.path.as_deref(), Some("sheet \"Statement\""));
        assert!(
            e.message
                .contains("\"Amount\" heads 2 columns: B (2) and C (3)"),
            "{e}"
        );
        assert!(e.hint.contains("columns.amount = 2"), "{e}");
    }
}

#[test]
fn columns_under_a_merged_header_are_mapped_by_position() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        r#"
[[sources]]
name = "statement"
format = "bank_csv"
files = ["merged-header*"]
account = "DE89370400440532013000"

[sources.columns]
booking_date = "Booking Date"
amount = 2
currency = 3
text = "Text"
"#,
    );

    for workbook in [
        "merged-header.xlsx",
        "merged-header.xls",
        "merged-header.ods",
    ] {
        let lines = bank_lines(&pipeline, workbook);
        assert_eq!(
            lines.iter().map(bank_row).collect::<Vec<_>>(),
            [
                "row 2 | 2026-10-01 |  | 49.90 EUR |  |  | INV-2026-1001",
                "row 3 | 2026-10-02 |  | -4.50 EUR |  |  | fees",
            ],
            "{workbook}"
        );
    }
}

#[test]
fn a_header_cell_merged_down_from_the_row_above_names_its_column() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        r#"
[[sources]]
name = "statement"
format = "bank_csv"
files = ["merged-header*"]
sheet = "Two header rows"
skip_lines = 1
account = "DE89370400440532013000"

[sources.columns]
booking_date = "Date"
amount = "Value"
currency = "Currency"
text = "Text"
"#,
    );

    for workbook in [
        "merged-header.xlsx",
        "merged-header.xls",
        "merged-header.ods",
    ] {
        let lines = bank_lines(&pipeline, workbook);
        assert_eq!(
            lines.iter().map(bank_row).collect::<Vec<_>>(),
            [
                "row 3 | 2026-10-01 |  | 49.90 EUR |  |  | INV-2026-1001",
                "row 4 | 2026-10-02 |  | -4.50 EUR |  |  | fees",
            ],
            "{workbook}"
        );
    }
}

#[test]
fn a_csv_header_naming_two_columns_alike_is_refused_with_both_positions() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", INVOICES);
    let csv = "Invoice No,Customer No,Customer Name,Invoice Date,Due Date,Total,Currency,Status,Total\n\
               INV-1,C1,Ada,2026-10-01,2026-10-15,10.00,EUR,open,10.00\n";

    let e = read(
        &pipeline,
        "invoices-dup.csv",
        format!("\n\n{csv}").as_bytes(),
    )
    .unwrap_err();

    assert_eq!(e.line, Some(3));
    assert_eq!(e.path, None);
    assert!(
        e.message.contains("\"Total\" heads 2 columns: 6 and 9"),
        "{e}"
    );
    assert!(e.hint.contains("columns.total = 6"), "{e}");
}

#[test]
fn an_invoice_workbook_dropped_in_the_inbox_runs_into_the_ledger() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", INVOICES);
    company.drop_file("invoices-2026-10.ods", fixture("sheets/invoices.ods"));

    let summary = run_at(&pipeline, "2026-11-02T08:00:00Z");

    assert_eq!(summary.exit_code(), 0, "{:#?}", summary.quarantined);
    assert_eq!(summary.files.processed, 1);
    let mut stored: Vec<Document> = company
        .ledger()
        .documents
        .into_iter()
        .map(|r| r.document)
        .collect();
    stored.sort_by_key(|d| d.lineage.line);
    assert_eq!(
        stored.iter().map(document_row).collect::<Vec<_>>(),
        documents(&pipeline, "invoices.csv")
            .iter()
            .map(document_row)
            .collect::<Vec<_>>()
    );
    assert!(
        company
            .path("archive/2026/11/invoices-2026-10.ods")
            .is_file()
    );
}
