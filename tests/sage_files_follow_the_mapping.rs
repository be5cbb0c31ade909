//! A Sage target stages customers, invoices and credit notes as CSV files for Sage
//! Business Cloud Accounting, from the same ledger facts and the same kind of
//! `[targets.mapping]` as the Xero and QuickBooks targets: an invoice with two VAT rates, an
//! invoice whose inclusive unit price makes Sage's total a cent more than the ledger's (a
//! rounding line takes it back), a credit note, a document the export does not itemise.
//! A document the mapping does not cover, and one whose customer number is longer than
//! Sage's 10-character reference, are held with what to do.
//!
//! Golden batch: tests/golden/sage/files/; regenerate with `SLUICE_BLESS=1`.

mod common;

use std::str::FromStr;

use common::{
    CUSTOMER_HEADER, CUSTOMER_SOURCE, Company, INVOICE_SOURCE, LINE_SOURCES, LINES_HEADER,
    customer_row,
};
use rust_decimal::Decimal;

const PIPELINE: &str = r#"
[[targets]]
name = "sage"
platform = "sage"
date_format = "%d/%m/%Y"

[targets.mapping]
amounts = "inclusive"
default_account = "Sales"
lineless_tax_rate = "Standard Rate"
rounding_account = "Rounding"

[targets.mapping.categories]
service = "Sales - Internet"
hardware = "Sales - Hardware"

[targets.mapping.tax_rates]
"15" = "Standard Rate"
"0" = "Zero Rated"
"#;

const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,15,3.00,20.00,service,,,28.00
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,0,0.00,5.00,hardware,,,28.00
INV-2,C1,,2026-10-02,2026-10-16,EUR,open,0,Mailbox,7,0.99,15,1.04,6.93,service,,,7.97
CN-1,C2,,2026-10-04,,EUR,open,0,Outage credit,-1,4.99,15,-0.75,-4.99,service,,,-5.74
INV-5,C2,,2026-10-05,2026-10-19,EUR,open,0,Magazine,1,10.00,7,0.70,10.00,magazine,,,10.70
INV-6,CUST-2026-00042,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Fibre 100,1,10.00,15,1.50,10.00,service,,,11.50
";

const INVOICES: &str = "\
RE-10001,C2,Grace Hopper,2026-10-06,2026-10-20,59.90,EUR,open
";

#[test]
fn customers_invoices_and_credit_notes_become_sage_files_adding_up_to_the_ledger() {
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
                &"Grace Hopper of the United States Navy ".repeat(3),
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

    let summary = common::run_at(&pipeline, "2026-11-01T02:00:00Z");

    let batch = company.path("outbox/acme/sage/20261101T020000Z-000001");
    common::compare_with_golden(&batch, &common::repo().join("tests/golden/sage/files"));

    // Each document's rows, the rounding line included, add up to its ledger total.
    let totals = totals_by_document(&std::fs::read(batch.join("sage-invoices.csv")).expect("file"));
    let expected = [("INV-1", "28.00"), ("INV-2", "7.97"), ("RE-10001", "59.90")];
    for (number, total) in expected {
        assert_eq!(
            totals[number],
            Decimal::from_str(total).expect("total"),
            "{number}"
        );
    }
    let credits =
        totals_by_document(&std::fs::read(batch.join("sage-credit-notes.csv")).expect("file"));
    assert_eq!(credits["CN-1"], Decimal::from_str("5.74").expect("total"));

    let held: Vec<(&str, &str)> = summary
        .held_documents
        .iter()
        .map(|h| (h.document.as_str(), h.reason.as_str()))
        .collect();
    assert_eq!(held.len(), 2, "{held:?}");
    assert!(
        held[0].0 == "INV-5" && held[0].1.contains("VAT rate 7%"),
        "{held:?}"
    );
    assert!(
        held[1].0 == "INV-6" && held[1].1.contains("customer reference of at most 10"),
        "{held:?}"
    );
    // Nothing new: nothing is committed, and the held documents are still listed.
    let again = common::run_at(&pipeline, "2026-11-01T03:00:00Z");
    assert_eq!(again.run_id, None);
    assert_eq!(again.held_documents, summary.held_documents);
}

/// The sum of the `Total` column per document number, read by the file's own header.
fn totals_by_document(bytes: &[u8]) -> std::collections::HashMap<String, Decimal> {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let number = column(if header.iter().any(|h| h == "Invoice Number") {
        "Invoice Number"
    } else {
        "Credit Note Number"
    });
    let total = column("Total");
    let mut totals = std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.expect("record");
        *totals.entry(record[number].to_string()).or_default() +=
            Decimal::from_str(&record[total]).expect("amount");
    }
    totals
}
