//! `sluice balances` as a person and a script see it: one line per customer and currency
//! with the number of transactions, `--customer` for one, `--json` with stable keys; exit 1
//! for a customer without transactions, 2 for a bad pipeline file.

mod common;

use std::process::{Command, Output};

use common::{Company, TRANSACTION_HEADER, TRANSACTION_SOURCE, run_at};

fn balances(company: &Company, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sluice"))
        .arg("balances")
        .arg("--pipeline")
        .arg(company.path("pipeline.toml"))
        .args(extra)
        .current_dir("/")
        .env_remove("SLUICE_LOG")
        .output()
        .expect("sluice runs")
}

fn company_with_transactions() -> Company {
    let company = Company::new();
    let pipeline = company.pipeline("archive", TRANSACTION_SOURCE);
    company.drop_file(
        "transactions-2026-10.csv",
        format!(
            "{TRANSACTION_HEADER}\
             TX-1,C1,2026-10-01,Charge,59.90,,EUR,Internet,INV-1,Internet\n\
             TX-2,C1,2026-10-08,Payment,,59.90,EUR,Transfer,INV-1,Bank\n\
             TX-3,C2,2026-10-01,Charge,39.90,,EUR,Internet,INV-2,Internet\n\
             TX-4,C2,2026-10-03,Charge,10.00,,CHF,Roaming,INV-3,Roaming\n"
        ),
    );
    run_at(&pipeline, "2026-10-31T22:00:00Z");
    company
}

#[test]
fn each_customer_has_a_line_per_currency_with_its_transactions() {
    let company = company_with_transactions();
    let out = balances(&company, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        lines,
        [
            vec!["customer", "balance", "transactions"],
            vec!["C1", "EUR", "0.00", "2"],
            vec!["C2", "CHF", "-10.00", "2"],
            vec!["C2", "EUR", "-39.90", "2"],
        ]
    );
}

#[test]
fn one_customer_as_json() {
    let company = company_with_transactions();
    let out = balances(&company, &["--customer", "C2", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!([{
            "customer_id": "C2",
            "balances": {"CHF": "-10.00", "EUR": "-39.90"},
            "transactions": 2
        }])
    );
}

#[test]
fn a_customer_without_transactions_exits_1_and_a_bad_pipeline_2() {
    let company = company_with_transactions();
    let out = balances(&company, &["--customer", "C9"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("C9"));

    std::fs::write(company.path("pipeline.toml"), "name = \n").unwrap();
    assert_eq!(balances(&company, &[]).status.code(), Some(2));
}
