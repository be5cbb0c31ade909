//! `sluice inspect FILE`: the format is recognised by content, the statements, balances and
//! records are printed (JSON lines with `--json`), exit 0; a refusal goes to stderr with
//! file, line and XML path, exit 1 — and no bytes make it panic or hang.

mod common;

use std::process::{Command, Output};

use common::{Company, DEMO_SOURCES};
use proptest::prelude::*;

fn inspect(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sluice"))
        .arg("inspect")
        .args(args)
        .env_remove("SLUICE_LOG")
        .output()
        .expect("sluice runs")
}

fn fixture_path(relative: &str) -> String {
    format!("{}/tests/fixtures/{relative}", env!("CARGO_MANIFEST_DIR"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn a_camt_statement_is_recognised_by_its_namespace_whatever_its_name() {
    let company = Company::new();
    let renamed = company.path("statement.txt");
    std::fs::copy(
        fixture_path("camt/kedder-ofxstatement-iso20022/camt053.xml"),
        &renamed,
    )
    .unwrap();
    let out = inspect(&[renamed.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("statement.txt: 1 statement(s)\ncamt.053.001.08 "),
        "{text}"
    );
    assert!(text.contains("opening "), "{text}");
}

#[test]
fn json_lines_give_the_statement_then_each_record() {
    let path = fixture_path("camt/kedder-ofxstatement-iso20022/camt053.xml");
    let out = inspect(&[&path, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines[0]["record"], "statement");
    assert_eq!(lines[0]["message"], "camt.053.001.08");
    let entries = lines.iter().filter(|l| l["record"] == "entry").count();
    assert_eq!(lines[0]["booked"], entries);
    for entry in &lines[1..] {
        for key in [
            "amount",
            "currency",
            "booking_date",
            "end_to_end_id",
            "reversal",
        ] {
            assert!(entry.get(key).is_some(), "{key} missing in {entry}");
        }
    }
}

#[test]
fn an_mt940_file_is_recognised_by_its_tags() {
    let company = Company::new();
    let path = company.path("export.dat");
    std::fs::write(
        &path,
        ":20:STMT-1\r\n:25:DE89370400440532013000\r\n:28C:7/1\r\n:60F:C261001EUR100,00\r\n\
         :61:2610021002C49,90NTRFNONREF//B1\r\n:86:INV-2026-0001 Ada Lovelace\r\n\
         :62F:C261002EUR149,90\r\n-\r\n",
    )
    .unwrap();
    let out = inspect(&[path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.contains("MT940 STMT-1 account DE89370400440532013000 (sequence 7/1)"),
        "{text}"
    );
    assert!(text.contains("EUR 49.90"), "{text}");
}

#[test]
fn a_statement_that_does_not_add_up_is_refused_with_line_and_path_on_stderr() {
    let path = fixture_path("camt/genkgo/camt053.v2.minimal.xml");
    let out = inspect(&[&path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("camt053.v2.minimal.xml:26: at /Document/BkToCstmrStmt/Stmt: statement 253EURNL26VAYB8060476890 opens in EUR but closes in SEK"),
        "{err}"
    );
}

#[test]
fn a_csv_export_needs_the_pipeline_that_describes_it() {
    let company = Company::new();
    let csv = company.path("bank-2026-10.csv");
    std::fs::write(
        &csv,
        format!(
            "{}2026-10-03,2026-10-03,Ada Lovelace,DE1,INV-2026-0001,B1,49.90,EUR,0\n",
            common::BANK_HEADER
        ),
    )
    .unwrap();
    let out = inspect(&[csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --pipeline"));

    company.pipeline("keep", DEMO_SOURCES);
    let pipeline = company.path("pipeline.toml");
    let out = inspect(&[
        csv.to_str().unwrap(),
        "--pipeline",
        pipeline.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).starts_with("bank-2026-10.csv: bank CSV, 1 entries\n"));
}

#[test]
fn a_gateway_export_is_recognised_by_its_header_whatever_its_name() {
    let company = Company::new();
    let renamed = company.path("export.csv");
    std::fs::copy(
        format!(
            "{}/samples/gateways/gocardless-payouts-2026-10.csv",
            env!("CARGO_MANIFEST_DIR")
        ),
        &renamed,
    )
    .unwrap();
    let out = inspect(&[renamed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("export.csv: GoCardless payouts export, 0 transaction(s), 2 payout(s)\n"),
        "{text}"
    );
    assert!(
        text.contains("EUR 226.20  PO0000KW3F9Q2R paid | bank reference ACMEISP-3F9Q2R"),
        "{text}"
    );

    let out = inspect(&[renamed.to_str().unwrap(), "--json"]);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines[0]["record"], "gateway_export");
    assert_eq!(lines[0]["gateway"], "gocardless");
    assert_eq!(lines[1]["record"], "gateway_payout");
    assert_eq!(lines[1]["amount"], "226.20");
    assert_eq!(lines[1]["fee"], "3.30");
    assert_eq!(lines[1]["settled"], true);
}

#[test]
fn a_gateway_row_that_does_not_add_up_is_refused_with_line_and_column_on_stderr() {
    let company = Company::new();
    let path = company.path("stripe.csv");
    std::fs::write(
        &path,
        "balance_transaction_id,created,currency,gross,fee,net,reporting_category\ntxn_1,2026-10-02 10:15:31,eur,29.90,0.70,29.30,charge\n",
    )
    .unwrap();
    let out = inspect(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("stripe.csv:2: column \"net\": gross 29.90 − fee 0.70 = 29.20, but the row says net 29.30"),
        "{stderr}"
    );
}

#[test]
fn a_workbook_is_inspected_through_its_source_and_a_refusal_names_sheet_and_cell() {
    let company = Company::new();
    company.pipeline(
        "keep",
        r#"
[[sources]]
name = "billing-invoices"
format = "invoice_csv"
files = ["invoices*", "refusals*"]
sheet = "Invoices"
skip_lines = 2
skip_trailing = 1
thousands = ","
currency = "EUR"

[sources.columns]
number = "Invoice No"
customer_id = "Customer No"
issue_date = "Invoice Date"
total = "Total"
currency = "Currency"
"#,
    );
    let pipeline = company.path("pipeline.toml");
    let pipeline = pipeline.to_str().unwrap();

    let out = inspect(&[
        &fixture_path("sheets/invoices.xlsx"),
        "--pipeline",
        pipeline,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).starts_with("invoices.xlsx: invoice export, 8 documents\n"),
        "{}",
        stdout(&out)
    );

    let out = inspect(&[
        &fixture_path("sheets/refusals.xlsx"),
        "--pipeline",
        pipeline,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "refusals.xlsx: has no sheet \"Invoices\" (its sheets: 1 \"Error cell\", 2 \"Formula noise\", 3 \"Serial out of range\", 4 \"Time as date\", 5 \"Date as amount\", 6 \"Symbol contradicts\", 7 \"Error in date\", 8 \"Error in name\", 9 \"Flag as amount\") — fix `sheet` in the pipeline file: a sheet's name as its tab shows it, or its number counted from 1\n"
    );

    let out = inspect(&[&fixture_path("sheets/invoices.ods")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("for a CSV export or a spreadsheet give --pipeline"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_forced_format_that_does_not_fit_is_a_refusal_not_a_crash() {
    let path = fixture_path("camt/kedder-ofxstatement-iso20022/camt053.xml");
    let out = inspect(&[&path, "--format", "mt940"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!out.stderr.is_empty());
}

#[test]
fn a_missing_file_is_named() {
    let out = inspect(&["/nonexistent/statement.xml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/statement.xml"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Whatever the bytes — cut-off statements, garbage after a camt or SWIFT header — the
    /// answer is exit 0 or 1, never a panic (101) or a hang.
    #[test]
    fn no_bytes_make_it_panic(
        head in prop::sample::select(vec![
            &b"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt><Stmt>"[..],
            &b"{1:F01BANKDEFFXXXX0000000000}{4:\r\n:20:X\r\n:25:DE89370400440532013000\r\n"[..],
            &b":20:X\n:25:1\n:60F:C261001EUR1,00\n:61:"[..],
            &b""[..],
        ]),
        tail in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let company = Company::new();
        let path = company.path("f");
        let mut bytes = head.to_vec();
        bytes.extend(tail);
        std::fs::write(&path, bytes).unwrap();
        let out = inspect(&[path.to_str().unwrap()]);
        prop_assert!(matches!(out.status.code(), Some(0) | Some(1)), "{:?}", out);
    }
}

#[test]
fn the_demo_customer_export_is_shown_through_the_demo_pipeline() {
    let root = env!("CARGO_MANIFEST_DIR");
    let pipeline = format!("{root}/pipelines/demo.toml");
    let sample = format!("{root}/samples/customers-2026-10.csv");
    let out = inspect(&["--pipeline", &pipeline, &sample]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("customers-2026-10.csv: customer export, 283 customers\n"),
        "{text}"
    );
    assert!(text.contains("partner Reseller North"), "{text}");

    let out = inspect(&["--json", "--pipeline", &pipeline, &sample]);
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["record"], "customer");
    assert_eq!(first["id"], "C10001");
}

#[test]
fn an_itemised_invoice_export_shows_each_documents_lines_and_what_is_not_applied() {
    let company = Company::new();
    company.pipeline("keep", common::LINE_SOURCES);
    let sample = company.path("invoice-lines-2026-10.csv");
    std::fs::write(&sample, common::invoice_lines_sample()).unwrap();
    let pipeline = company.path("pipeline.toml");
    let out = inspect(&[
        "--pipeline",
        pipeline.to_str().unwrap(),
        sample.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("invoice-lines-2026-10.csv: invoice export, 8 documents\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "    line     7  0.5 × EUR 34.90  VAT 19% EUR 3.32  = EUR 17.45  Fibre 100 (16-31 Oct, prorated)  [service]  2026-10-16..2026-10-31\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("INV-2026-2005  2026-10-01  EUR 41.53  cancelled  Edsger Dijkstra  DELETED (not applied)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "INV-2026-2006  2026-10-01  EUR 0.00  open  Barbara Liskov  NO LINES (not applied)\n"
        ),
        "{text}"
    );
}
