//! The ledger is plain Parquet that another engine reads: here polars itself, going by file
//! and column names only (no sluice code), as DuckDB or Spark would.

mod common;

use std::fs::{self, File};
use std::str::FromStr;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, run_at};
use polars::prelude::*;
use rust_decimal::Decimal;

fn read_table(company: &Company, table: &str) -> DataFrame {
    let mut frames = fs::read_dir(company.path("ledger").join(table))
        .expect("table folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .map(|p| {
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

#[test]
fn bank_lines_read_back_with_exact_amounts_and_real_dates() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", DEMO_SOURCES);
    let bank = format!(
        "{BANK_HEADER}2026-10-01,2026-10-02,Ada,DE1,INV-2026-0001,R1,\"1,234.56\",EUR,0\n\
         2026-10-02,2026-10-02,Bank,,fee,R2,-0.01,EUR,0\n\
         2026-10-31,,Bob,DE2,hello,R3,0.10,EUR,0\n"
    );
    company.drop_file("bank-2026-10.csv", &bank);
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}INV-2026-0001,C1,Ada,2026-10-01,,1234.56,EUR,open\n"),
    );
    run_at(&pipeline, "2026-11-01T00:00:00Z");

    let lines = read_table(&company, "bank_lines");
    assert_eq!(lines.height(), 3);
    let schema = lines.schema();
    assert_eq!(
        schema.get("amount_minor"),
        Some(&DataType::Int64),
        "money is integer minor units, never float"
    );
    assert_eq!(schema.get("currency"), Some(&DataType::String));
    assert_eq!(schema.get("booking_date"), Some(&DataType::Date));
    assert_eq!(schema.get("value_date"), Some(&DataType::Date));

    let cents: Vec<i64> = lines
        .column("amount_minor")
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(cents, vec![123456, -1, 10]);
    let expected: Decimal = ["1234.56", "-0.01", "0.10"]
        .iter()
        .map(|s| Decimal::from_str(s).unwrap())
        .sum();
    assert_eq!(Decimal::new(cents.iter().sum(), 2), expected);

    let days: Vec<Option<i32>> = lines
        .column("value_date")
        .unwrap()
        .cast(&DataType::Int32)
        .unwrap()
        .i32()
        .unwrap()
        .into_iter()
        .collect();
    // 2026-10-02 is day 20728 since 1970-01-01; the last line has no value date.
    assert_eq!(days, vec![Some(20728), Some(20728), None]);

    let matches = read_table(&company, "matches");
    let kinds: Vec<&str> = matches
        .column("kind")
        .unwrap()
        .str()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(kinds, vec!["allocation", "outgoing", "unmatched"]);
    let documents = read_table(&company, "documents");
    assert_eq!(
        documents
            .column("total_minor")
            .unwrap()
            .i64()
            .unwrap()
            .get(0),
        Some(123456)
    );
    let files = read_table(&company, "files");
    assert_eq!(files.height(), 2);
}
