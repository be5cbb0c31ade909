//! A QuickBooks target stages customers, invoices and credit notes as QuickBooks' own
//! import files — QuickBooks Online's CSV imports, or QuickBooks Desktop's IIF files — from
//! the same ledger facts and the same kind of `[targets.mapping]` as the Xero target:
//! invoices with two VAT rates, a credit note, a negative invoice (a credit note too),
//! documents the export does not itemise, a customer no export named. A document QuickBooks
//! Desktop cannot take (its number is longer than 11 characters) is held for that target
//! only, and every IIF transaction balances to the cent.
//!
//! Golden batches: tests/golden/quickbooks/; regenerate with `SLUICE_BLESS=1`.

mod common;

use std::str::FromStr;

use common::{
    BANK_HEADER, CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, INVOICE_SOURCE, LINE_SOURCES,
    LINES_HEADER, customer_row,
};
use rust_decimal::Decimal;

const PIPELINE: &str = r#"
[[targets]]
name = "qbo"
platform = "quickbooks"
date_format = "%d/%m/%Y"

[targets.mapping]
amounts = "inclusive"
default_account = "Sales"
lineless_tax_rate = "20.0% S"

[targets.mapping.categories]
service = "Internet service"
hardware = "Router"
one-time = "Setup"

[targets.mapping.tax_rates]
"19" = "19.0% S"
"7" = "7.0% R"
"0" = "0.0% Z"

[[targets]]
name = "qbd"
platform = "quickbooks"
edition = "desktop"

[targets.mapping]
contact_name = "{name} ({id})"
default_account = "Sales"
payment_account = "Undeposited Funds"

[targets.mapping.categories]
service = "Sales:Internet"
hardware = "Sales:Hardware"
one-time = "Sales:Setup"

[targets.mapping.items]
hardware = "Router"

[targets.mapping.tax_rates]
"19" = "VAT Payable:19%"
"7" = "VAT Payable:7%"
"0" = "VAT Payable:0%"
"#;

const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,19,3.80,20.00,service,,,29.15
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,7,0.35,5.00,hardware,,,29.15
INV-3,C1,,2026-10-03,2026-10-17,EUR,open,0,Overcharge September,1,-10.00,19,-1.90,-10.00,service,,,-11.90
CN-1,C2,,2026-10-04,,EUR,open,0,Outage credit,-1,4.99,19,-0.95,-4.99,service,,,-5.94
INV-4,C3,Carla: Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,50.00,0,0.00,50.00,one-time,,,50.00
";

/// Money for INV-1 and for INV-4 of a customer no export named.
const BANK: &str = "\
2026-10-10,2026-10-10,Ada Lovelace,,Rechnung INV-1,DB01,29.15,EUR,
2026-10-11,2026-10-11,Carla Nobody,,INV-4,DB02,50.00,EUR,
";

const INVOICES: &str = "\
RE-10001,C2,Grace Hopper,2026-10-06,2026-10-20,59.90,EUR,open
RE-2026-10007,C1,Ada Lovelace,2026-10-07,2026-10-21,29.90,EUR,open
";

#[test]
fn customers_invoices_and_credit_notes_become_quickbooks_files() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!("{LINE_SOURCES}{INVOICE_SOURCE}{CUSTOMER_SOURCE}{PIPELINE}"),
    );
    company.drop_file(
        "customers-2026-10.csv",
        format!(
            "{CUSTOMER_HEADER}{}{}",
            customer_row("C1", "Ada Lovelace", "", ""),
            customer_row(
                "C2",
                "Grace \"Amazing\" Hopper of the United States Navy",
                "",
                ""
            )
        ),
    );
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{}{INVOICES}", common::INVOICE_HEADER),
    );

    company.drop_file("bank-2026-10.csv", format!("{BANK_HEADER}{BANK}"));

    let summary = common::run_at(&pipeline, "2026-11-01T02:00:00Z");

    let batch = "20261101T020000Z-000001";
    for (target, golden) in [("qbo", "online"), ("qbd", "desktop")] {
        common::compare_with_golden(
            &company.path("outbox/acme").join(target).join(batch),
            &common::repo().join("tests/golden/quickbooks").join(golden),
        );
    }
    // Only QuickBooks Desktop refuses the long number, and says what to do.
    let held: Vec<(&str, &str)> = summary
        .held_documents
        .iter()
        .map(|h| (h.target.as_str(), h.document.as_str()))
        .collect();
    assert_eq!(
        held,
        [("qbd", "RE-2026-10007")],
        "{:?}",
        summary.held_documents
    );
    assert!(
        summary.held_documents[0].reason.contains("at most 11"),
        "{:?}",
        summary.held_documents
    );
    let desktop = company.path("outbox/acme/qbd").join(batch);
    for file in [
        "quickbooks-invoices.iif",
        "quickbooks-credit-memos.iif",
        "quickbooks-payments.iif",
    ] {
        let bytes = std::fs::read(desktop.join(file)).expect("iif file");
        assert_every_transaction_balances(&bytes);
    }
    // Each payment from Undeposited Funds (the bank account has no payment_accounts entry)
    // to the receivable, naming the invoice it pays; QuickBooks Online's import takes none.
    let payments =
        std::fs::read_to_string(desktop.join("quickbooks-payments.iif")).expect("payments");
    assert!(
        payments.contains(
            "TRNS\tPAYMENT\t10/10/2026\tUndeposited Funds\tAda Lovelace (C1)\t29.15\t\tDB01\r\n"
        ),
        "{payments}"
    );
    assert!(
        payments.contains("SPL\tPAYMENT\t10/11/2026\tAccounts Receivable\tCarla- Nobody (C3)\t-50.00\tINV-4\tInvoice INV-4\r\n"),
        "{payments}"
    );
    let online = company.path("outbox/acme/qbo").join(batch);
    assert!(
        std::fs::read_dir(&online)
            .expect("online batch")
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().contains("payment")),
        "QuickBooks Online's CSV imports take no payments"
    );
    // Nothing new: nothing is committed, and the held document is still listed.
    let again = common::run_at(&pipeline, "2026-11-01T03:00:00Z");
    assert_eq!(again.run_id, None);
    assert_eq!(again.held_documents, summary.held_documents);
}

/// Every TRNS … ENDTRNS block's AMOUNT column sums to zero, read by the file's own header.
fn assert_every_transaction_balances(bytes: &[u8]) {
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let mut amount_column: std::collections::HashMap<String, usize> = Default::default();
    let mut sum: Option<Decimal> = None;
    let mut transactions = 0;
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let keyword = fields[0];
        if let Some(kind) = keyword.strip_prefix('!') {
            if let Some(i) = fields.iter().position(|f| *f == "AMOUNT") {
                amount_column.insert(kind.to_string(), i);
            }
            continue;
        }
        match keyword {
            "TRNS" | "SPL" => {
                let i = amount_column[keyword];
                let amount = Decimal::from_str(fields[i]).expect("amount");
                assert!(
                    keyword == "SPL" || sum.is_none(),
                    "TRNS inside a transaction"
                );
                *sum.get_or_insert(Decimal::ZERO) += amount;
            }
            "ENDTRNS" => {
                assert_eq!(
                    sum.take(),
                    Some(Decimal::ZERO),
                    "a transaction must balance"
                );
                transactions += 1;
            }
            other => panic!("unexpected line {other}"),
        }
    }
    assert!(sum.is_none(), "a transaction without ENDTRNS");
    assert!(transactions > 0);
}
