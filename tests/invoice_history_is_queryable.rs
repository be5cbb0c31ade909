//! The change history of an invoice is plain Parquet: read here with polars by file and
//! column names only, as the README's DuckDB query does. An invoice re-exported with a
//! changed line, status and total has two versions, each with its own lines, and is never
//! a second invoice.

mod common;

use std::fs::{self, File};

use common::{Company, LINE_SOURCES, LINES_HEADER, run_at};
use polars::prelude::*;

fn read_table(company: &Company, table: &str) -> DataFrame {
    let mut paths: Vec<_> = fs::read_dir(company.path("ledger").join(table))
        .expect("table folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    paths.sort();
    let mut frames = paths.into_iter().map(|p| {
        ParquetReader::new(File::open(p).expect("open"))
            .finish()
            .expect("valid Parquet")
    });
    let mut all = frames.next().expect("one segment");
    for frame in frames {
        all.vstack_mut(&frame).expect("same schema");
    }
    all
}

fn texts(frame: &DataFrame, column: &str) -> Vec<String> {
    frame
        .column(column)
        .unwrap()
        .str()
        .unwrap()
        .into_no_null_iter()
        .map(str::to_string)
        .collect()
}

fn ints(frame: &DataFrame, column: &str) -> Vec<i64> {
    frame
        .column(column)
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect()
}

#[test]
fn an_invoice_reexported_with_a_changed_line_status_and_total_has_two_versions_with_their_lines() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", LINE_SOURCES);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!(
            "{LINES_HEADER}INV-2026-0001,C1,Ada,2026-10-01,,EUR,open,0,Fibre 100,1,34.90,19,6.63,34.90,service,,,47.47\n\
             INV-2026-0001,C1,Ada,2026-10-01,,EUR,open,0,Router rental,1,4.99,19,0.95,4.99,service,,,47.47\n\
             INV-2026-0002,C2,Bob,2026-10-01,,EUR,open,0,Fibre 50,1,24.90,19,4.73,24.90,service,,,29.63\n"
        ),
    );
    run_at(&pipeline, "2026-11-01T00:00:00Z");
    // The router is now rented twice, and the customer paid in the billing system.
    company.drop_file(
        "invoice-lines-2026-10-v2.csv",
        format!(
            "{LINES_HEADER}INV-2026-0001,C1,Ada,2026-10-01,,EUR,paid,0,Fibre 100,1,34.90,19,6.63,34.90,service,,,53.41\n\
             INV-2026-0001,C1,Ada,2026-10-01,,EUR,paid,0,Router rental,2,4.99,19,1.90,9.98,service,,,53.41\n\
             INV-2026-0002,C2,Bob,2026-10-01,,EUR,open,0,Fibre 50,1,24.90,19,4.73,24.90,service,,,29.63\n"
        ),
    );
    let summary = run_at(&pipeline, "2026-11-02T00:00:00Z");
    assert_eq!(
        (
            summary.documents.new,
            summary.documents.updated,
            summary.documents.unchanged
        ),
        (0, 1, 1)
    );

    let documents = read_table(&company, "documents");
    let numbers = texts(&documents, "number");
    assert_eq!(numbers, ["INV-2026-0001", "INV-2026-0002", "INV-2026-0001"]);
    assert_eq!(ints(&documents, "version"), [1, 1, 2]);
    assert_eq!(texts(&documents, "kind"), ["invoice", "invoice", "invoice"]);
    assert_eq!(texts(&documents, "status"), ["open", "open", "paid"]);
    assert_eq!(ints(&documents, "total_minor"), [4747, 2963, 5341]);
    let applied: Vec<bool> = documents
        .column("applied")
        .unwrap()
        .bool()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(applied, [true, true, true]);

    let lines = read_table(&company, "document_lines");
    let of_first: Vec<usize> = texts(&lines, "number")
        .iter()
        .enumerate()
        .filter(|(_, n)| *n == "INV-2026-0001")
        .map(|(i, _)| i)
        .collect();
    let versions = ints(&lines, "version");
    let line_numbers = ints(&lines, "line_number");
    let quantities = texts(&lines, "quantity");
    let totals = ints(&lines, "line_total_minor");
    let rows: Vec<(i64, i64, &str, i64)> = of_first
        .iter()
        .map(|&i| {
            (
                versions[i],
                line_numbers[i],
                quantities[i].as_str(),
                totals[i],
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, 1, "1", 3490),
            (1, 2, "1", 499),
            (2, 1, "1", 3490),
            (2, 2, "2", 998)
        ]
    );
    assert_eq!(
        lines.height(),
        5,
        "the unchanged invoice's lines are written once"
    );
}
