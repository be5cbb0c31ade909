//! The billing system's transaction export: the demo's sample reads as its golden snapshot,
//! a signed `amount` column reads as debit or credit by its sign, and every row sluice
//! cannot take is refused with file, line, column and what to do — an empty id, one id
//! twice with different details, both debit and credit filled, neither, a negative debit or
//! credit, a date or amount that is not one. `sluice check` refuses a mapping without the
//! required roles or with half of debit/credit.

mod common;

use std::fmt::Write;
use std::path::Path;

use common::{Company, TRANSACTION_HEADER, TRANSACTION_SOURCE, assert_golden, transactions_sample};
use rust_decimal::Decimal;
use sluice::durable::sha256_hex;
use sluice::model::{BillingTransaction, BillingTransactionKind};
use sluice::pipeline::{self, Pipeline, PipelineError, Source};
use sluice::sources::{self, InputFile, Records, SourceError};

const FILE: &str = "transactions-2026-10.csv";

fn read(source: &Source, name: &str, bytes: &[u8]) -> Result<Vec<BillingTransaction>, SourceError> {
    let sha256 = sha256_hex(bytes);
    let file = InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    match sources::parse(source, &file)? {
        Records::Transactions(transactions) => Ok(transactions),
        other => panic!("{name} was read as {other:?}, not as transactions"),
    }
}

fn transactions_source(pipeline: &Pipeline) -> &Source {
    pipeline
        .sources
        .iter()
        .find(|s| s.name == "billing-transactions")
        .expect("a transactions source")
}

fn read_with(body: &str, text: &str) -> Result<Vec<BillingTransaction>, SourceError> {
    let company = Company::new();
    let pipeline = company.pipeline("archive", body);
    read(transactions_source(&pipeline), FILE, text.as_bytes())
}

fn refusal(rows: &str) -> SourceError {
    match read_with(TRANSACTION_SOURCE, &format!("{TRANSACTION_HEADER}{rows}")) {
        Ok(transactions) => panic!("was read: {transactions:?}"),
        Err(e) => e,
    }
}

fn assert_refused(e: &SourceError, line: u64, column: &str, reason: &str) {
    assert_eq!(e.file, FILE, "{e}");
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(e.column.as_deref(), Some(column), "{e}");
    assert!(e.message.contains(reason), "{e}");
    assert!(!e.hint.is_empty(), "a refusal says what to do: {e}");
}

const CHARGE: &str =
    "TX-1,C1,2026-10-01,Charge,59.90,,EUR,Internet October,INV-2026-1001,Internet\n";

#[test]
fn the_demo_transaction_export_reads_as_its_golden_snapshot() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pipeline = pipeline::load(&repo.join("pipelines/demo.toml")).expect("demo pipeline");
    let transactions = read(transactions_source(&pipeline), FILE, &transactions_sample())
        .expect("the sample reads");
    let mut out = String::new();
    for t in &transactions {
        writeln!(
            out,
            "line={} {} | {} | {} | {} ({}) | debit {} | credit {} | effect {} | {} | doc={} | {}",
            t.lineage.line,
            t.id,
            t.customer_id,
            t.date,
            t.kind,
            t.type_text,
            t.debit,
            t.credit,
            t.balance_effect(),
            t.description,
            t.document,
            t.category
        )
        .unwrap();
    }
    assert_golden("transactions/transactions-2026-10.txt", &out);
}

#[test]
fn every_kind_of_the_sample_is_there() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pipeline = pipeline::load(&repo.join("pipelines/demo.toml")).expect("demo pipeline");
    let transactions = read(transactions_source(&pipeline), FILE, &transactions_sample())
        .expect("the sample reads");
    for kind in [
        BillingTransactionKind::Charge,
        BillingTransactionKind::Payment,
        BillingTransactionKind::Correction,
        BillingTransactionKind::CreditNote,
        BillingTransactionKind::Refund,
    ] {
        assert!(
            transactions.iter().any(|t| t.kind == kind),
            "no {kind} in the sample"
        );
    }
    assert!(
        transactions
            .iter()
            .all(|t| t.debit.is_zero() || t.credit.is_zero())
    );
}

#[test]
fn a_signed_amount_is_a_credit_when_positive_and_a_debit_when_negative() {
    let body = TRANSACTION_SOURCE.replace(
        "debit = \"Debit\"\ncredit = \"Credit\"\n",
        "amount = \"Amount\"\n",
    );
    let text = "ID,Customer ID,Date,Type,Amount,Currency,Description,Invoice,Category\n\
        TX-1,C1,2026-10-01,Invoice,-59.90,EUR,Internet,INV-1,Internet\n\
        TX-2,C1,2026-10-08,Zahlung,59.90,,Transfer,INV-1,Bank\n";
    let transactions = read_with(&body, text).expect("reads");
    assert_eq!(transactions[0].debit.amount, Decimal::new(5990, 2));
    assert!(transactions[0].credit.is_zero());
    assert_eq!(transactions[0].kind, BillingTransactionKind::Charge);
    assert_eq!(transactions[0].balance_effect(), Decimal::new(-5990, 2));
    assert_eq!(transactions[1].credit.amount, Decimal::new(5990, 2));
    assert_eq!(transactions[1].kind, BillingTransactionKind::Payment);
    assert_eq!(
        transactions[1].debit.currency.code(),
        "EUR",
        "the source's currency"
    );
}

#[test]
fn a_transaction_exported_twice_alike_is_read_once() {
    let transactions = read_with(
        TRANSACTION_SOURCE,
        &format!("{TRANSACTION_HEADER}{CHARGE}{CHARGE}"),
    )
    .expect("reads");
    assert_eq!(transactions.len(), 1);
    assert_eq!(transactions[0].lineage.line, 2);
}

#[test]
fn an_empty_id_is_refused() {
    let e = refusal(",C1,2026-10-01,Charge,59.90,,EUR,x,,\n");
    assert_refused(&e, 2, "ID", "is empty");
}

#[test]
fn an_empty_customer_is_refused() {
    let e = refusal("TX-1,,2026-10-01,Charge,59.90,,EUR,x,,\n");
    assert_refused(&e, 2, "Customer ID", "is empty");
}

#[test]
fn one_id_twice_with_different_details_is_refused() {
    let e = refusal(&format!(
        "{CHARGE}TX-1,C1,2026-10-01,Charge,49.90,,EUR,Internet October,INV-2026-1001,Internet\n"
    ));
    assert_refused(
        &e,
        3,
        "ID",
        "transaction \"TX-1\" appears twice with different details (first on line 2)",
    );
}

#[test]
fn both_debit_and_credit_are_refused() {
    let e = refusal("TX-1,C1,2026-10-01,Correction,10.00,5.00,EUR,x,,\n");
    assert_refused(
        &e,
        2,
        "Credit",
        "both \"Debit\" (10.00) and \"Credit\" (5.00)",
    );
}

#[test]
fn neither_debit_nor_credit_is_refused() {
    let e = refusal("TX-1,C1,2026-10-01,Charge,,,EUR,x,,\n");
    assert_refused(
        &e,
        2,
        "Debit",
        "neither \"Debit\" nor \"Credit\" holds an amount",
    );
}

#[test]
fn a_negative_debit_or_credit_is_refused() {
    let e = refusal("TX-1,C1,2026-10-01,Charge,-59.90,,EUR,x,,\n");
    assert_refused(&e, 2, "Debit", "\"-59.90\" is negative");
    let e = refusal(&format!(
        "{CHARGE}TX-2,C1,2026-10-02,Payment,,-5.00,EUR,x,,\n"
    ));
    assert_refused(&e, 3, "Credit", "\"-5.00\" is negative");
}

#[test]
fn a_date_that_is_not_one_is_refused() {
    let e = refusal("TX-1,C1,01.10.2026,Charge,59.90,,EUR,x,,\n");
    assert_refused(&e, 2, "Date", "01.10.2026");
}

#[test]
fn an_amount_that_is_not_one_is_refused() {
    let e = refusal("TX-1,C1,2026-10-01,Charge,59.9x,,EUR,x,,\n");
    assert_refused(&e, 2, "Debit", "59.9x");
    let e = refusal("TX-1,C1,2026-10-01,Charge,59.901,,EUR,x,,\n");
    assert_refused(&e, 2, "Debit", "fractions of a cent");
}

#[test]
fn a_currency_that_is_not_one_is_refused() {
    let e = refusal("TX-1,C1,2026-10-01,Charge,59.90,,EUX,x,,\n");
    assert_refused(&e, 2, "Currency", "EUX");
}

fn check_problems(body: &str) -> Vec<String> {
    let company = Company::new();
    let text = format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{body}");
    let path = company.path("pipeline.toml");
    std::fs::write(&path, &text).expect("write pipeline");
    match pipeline::load(&path) {
        Err(PipelineError::Invalid { problems, .. }) => {
            problems.iter().map(|p| p.to_string()).collect()
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("the pipeline passed check:\n{text}"),
    }
}

#[test]
fn check_refuses_a_mapping_without_id_customer_or_date() {
    let body = TRANSACTION_SOURCE
        .replace("id = \"ID\"\n", "")
        .replace("customer_id = \"Customer ID\"\n", "")
        .replace("date = \"Date\"\n", "")
        .replace("category = \"Category\"", "categry = \"Category\"");
    let problems = check_problems(&body);
    for expected in [
        "sources[0].columns: missing mapping for `id`",
        "sources[0].columns: missing mapping for `customer_id`",
        "sources[0].columns: missing mapping for `date`",
        "sources[0].columns.categry: unknown column role",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:#?}"
        );
    }
}

#[test]
fn check_refuses_half_of_debit_and_credit_and_both_ways_at_once() {
    let problems = check_problems(&TRANSACTION_SOURCE.replace("credit = \"Credit\"\n", ""));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("sources[0].columns.debit: `debit` and `credit` go together")),
        "{problems:#?}"
    );
    let problems = check_problems(&format!("{TRANSACTION_SOURCE}amount = \"Amount\"\n"));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("map either `amount` or `debit` and `credit`, not both")),
        "{problems:#?}"
    );
}
