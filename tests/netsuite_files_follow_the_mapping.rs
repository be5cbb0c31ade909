//! A NetSuite target stages customers, invoices and credit memos as CSV files for NetSuite's
//! Import Assistant, from the same ledger facts and `[targets.mapping]` as the other
//! platforms, every record carrying the classification of `[targets.netsuite]`: invoices
//! with two VAT rates, a credit note, a negative invoice (a credit memo too), documents the
//! export does not itemise (held: NetSuite takes prices before tax, and only its total with
//! tax is known), a customer no export named.
//!
//! Golden batch: tests/golden/netsuite/files/; regenerate with `SLUICE_BLESS=1`.

mod common;

use common::{
    BANK_HEADER, CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, INVOICE_SOURCE, LINE_SOURCES,
    LINES_HEADER, customer_row,
};

const PIPELINE: &str = r#"
[[targets]]
name = "netsuite"
platform = "netsuite"
date_format = "%d/%m/%Y"

[targets.netsuite]
subsidiary = "Acme Internet GmbH"
class = "Residential"
department = "Billing"
location = "Berlin"
terms = "Net 14"

[targets.mapping]
default_account = "Sales"
lineless_tax_rate = "VAT_DE:S-DE"
payment_account = "Operating Account"
never_export = ["Stripe EUR"]

[targets.mapping.payment_accounts]
"DE02 1203 0000 0000 2020 51" = "Savings"

[targets.mapping.categories]
service = "Internet service"
hardware = "Router"
one-time = "Setup fee"

[targets.mapping.tax_rates]
"19" = "VAT_DE:S-DE"
"7" = "VAT_DE:R-DE"
"0" = "VAT_DE:Z-DE"
"#;

/// A clearing account NetSuite has from its own Stripe integration.
const STRIPE_SOURCE: &str = r#"
[[sources]]
name = "stripe"
format = "bank_csv"
files = ["stripe-*.csv"]
account = "Stripe EUR"
currency = "EUR"

[sources.columns]
booking_date = "Booking Date"
value_date = "Value Date"
amount = "Amount"
currency = "Currency"
counterparty = "Counterparty"
counterparty_account = "Counterparty IBAN"
reference = "Bank Reference"
text = "Remittance Information"
"#;

/// Money for INV-1 (C1), for INV-4 of a customer no export named, and for INV-2: three
/// payments on the bank account.
const BANK: &str = "\
2026-10-10,2026-10-10,Ada Lovelace,,Rechnung INV-1,DB01,29.15,EUR,
2026-10-11,2026-10-11,Carla Nobody,,INV-4,DB02,50.00,EUR,
2026-10-12,2026-10-12,Grace Hopper,,INV-2,DB03,10.59,EUR,
";

/// Money on the clearing account: NetSuite has it already.
const STRIPE: &str = "\
2026-10-13,2026-10-13,Grace Hopper,,RE-10001,ST01,59.90,EUR,
";

const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,19,3.80,20.00,service,,,29.15
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,7,0.35,5.00,hardware,,,29.15
INV-2,C2,,2026-10-02,2026-10-16,EUR,open,0,Tech magazine,1,9.90,7,0.69,9.90,magazine,,,10.59
INV-3,C1,,2026-10-03,2026-10-17,EUR,open,0,Overcharge September,1,-10.00,19,-1.90,-10.00,service,,,-11.90
CN-1,C2,,2026-10-04,,EUR,open,0,Outage credit,-1,4.99,19,-0.95,-4.99,service,,,-5.94
INV-4,C3,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,50.00,0,0.00,50.00,one-time,,,50.00
";

#[test]
fn customers_invoices_and_credit_memos_become_netsuite_import_files() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "keep",
        &format!("{LINE_SOURCES}{STRIPE_SOURCE}{INVOICE_SOURCE}{CUSTOMER_SOURCE}{PIPELINE}"),
    );
    company.drop_file(
        "customers-2026-10.csv",
        format!(
            "{CUSTOMER_HEADER}{}{}",
            customer_row("C1", "Ada Lovelace", "", ""),
            customer_row("C2", "Grace Hopper", "", "")
        ),
    );
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{}RE-10001,C2,Grace Hopper,2026-10-06,2026-10-20,59.90,EUR,open\n",
            common::INVOICE_HEADER
        ),
    );

    company.drop_file("bank-2026-10.csv", format!("{BANK_HEADER}{BANK}"));
    company.drop_file("stripe-2026-10.csv", format!("{BANK_HEADER}{STRIPE}"));

    let summary = common::run_at(&pipeline, "2026-11-01T02:00:00Z");

    let batch = company.path("outbox/acme/netsuite/20261101T020000Z-000001");
    common::compare_with_golden(&batch, &common::repo().join("tests/golden/netsuite/files"));
    let held: Vec<&str> = summary
        .held_documents
        .iter()
        .map(|h| h.document.as_str())
        .collect();
    // A document known only by its total with tax cannot be written at prices before tax.
    assert_eq!(held, ["RE-10001"], "{:?}", summary.held_documents);
    assert!(
        summary.held_documents[0]
            .reason
            .contains("NetSuite takes prices before tax"),
        "{:?}",
        summary.held_documents
    );
    let invoices = std::fs::read_to_string(batch.join("netsuite-invoices.csv")).expect("invoices");
    // Every row of a document carries its External ID and the classification.
    let inv1: Vec<&str> = invoices
        .lines()
        .filter(|l| l.starts_with("INV-1,"))
        .collect();
    assert_eq!(inv1.len(), 2);
    assert!(
        inv1.iter()
            .all(|l| l.contains("Net 14,Acme Internet GmbH,Residential,Billing,Berlin,EUR"))
    );
    assert!(
        !invoices.contains("RE-10001,"),
        "a held document is never a row"
    );
    // A category the mapping does not list goes to default_account's item.
    assert!(
        invoices.contains("INV-2,INV-2,Grace Hopper (C2)"),
        "{invoices}"
    );
    let memos =
        std::fs::read_to_string(batch.join("netsuite-credit-memos.csv")).expect("credit memos");
    assert!(
        memos.contains("CN-1,") && memos.contains("INV-3,"),
        "{memos}"
    );
    assert!(
        !memos.contains(",-"),
        "a credit memo's amounts are positive: {memos}"
    );

    let payments = std::fs::read_to_string(batch.join("netsuite-customer-payments.csv"))
        .expect("customer payments");
    let rows: Vec<&str> = payments.lines().skip(1).collect();
    // One payment per bank line and customer, a row per invoice it pays, on the
    // payment_account (the bank account has no payment_accounts entry of its own).
    let invoices_paid: Vec<&str> = rows
        .iter()
        .map(|r| r.rsplit(',').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(invoices_paid, ["INV-1", "INV-4", "INV-2"], "{payments}");
    assert!(
        rows.iter().all(|r| r.contains(",Operating Account,")),
        "{payments}"
    );
    assert!(
        rows[1].contains(",Carla Nobody (C3),"),
        "a customer no export named, as the invoice names them: {payments}"
    );
    assert!(
        rows[2].starts_with(&format!(
            "{}/C2,Grace Hopper (C2),12/10/2026,EUR,10.59,",
            rows[2].split('/').next().unwrap_or_default()
        )),
        "{payments}"
    );
    // The clearing account's money is NetSuite's already.
    assert!(!payments.contains("ST01"), "{payments}");
    assert!(
        rows.iter()
            .all(|r| r.contains("Acme Internet GmbH,Residential,Billing,Berlin")),
        "{payments}"
    );
}
