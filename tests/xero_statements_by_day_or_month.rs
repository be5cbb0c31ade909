//! A Xero target writes one bank statement file per account and currency for the run, or —
//! with `statements = "day"` or `"month"` — one per day or month of booking, each named by
//! its period, every line in exactly one of them.

mod common;

use std::fs;

use common::{BANK_HEADER, Company, DEMO_SOURCES, run_at};

fn statement_files(grouping: &str) -> Vec<(String, usize)> {
    let company = Company::new();
    let mut bank = BANK_HEADER.to_string();
    for (date, amount) in [
        ("2026-09-30", "10.00"),
        ("2026-10-01", "20.00"),
        ("2026-10-01", "-5.00"),
        ("2026-10-15", "30.00"),
    ] {
        bank.push_str(&format!("{date},{date},Ada,,Internet,REF,{amount},EUR,\n"));
    }
    company.drop_file("bank-2026-10.csv", bank);
    let pipeline = company.pipeline("keep", &format!("{DEMO_SOURCES}{grouping}"));
    run_at(&pipeline, "2026-10-31T18:00:00Z");
    let batch = company.path("outbox/acme/xero/20261031T180000Z-000001");
    let mut files: Vec<(String, usize)> = fs::read_dir(&batch)
        .expect("batch")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .map(|n| {
            let rows = fs::read_to_string(batch.join(&n))
                .expect("csv")
                .lines()
                .count()
                - 1;
            (n, rows)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn one_statement_per_run_day_or_month() {
    let account = "xero-bank-statement-DE89370400440532013000-EUR";
    assert_eq!(statement_files(""), [(format!("{account}.csv"), 4)]);
    assert_eq!(
        statement_files("statements = \"day\"\n"),
        [
            (format!("{account}-2026-09-30.csv"), 1),
            (format!("{account}-2026-10-01.csv"), 2),
            (format!("{account}-2026-10-15.csv"), 1),
        ]
    );
    assert_eq!(
        statement_files("statements = \"month\"\n"),
        [
            (format!("{account}-2026-09.csv"), 1),
            (format!("{account}-2026-10.csv"), 3),
        ]
    );
}
