//! An MT940 end-of-day statement dropped into the inbox goes the whole way: its entries land
//! in the ledger with what the `:61:` and `:86:` fields say beyond a CSV (end-to-end id,
//! mandate, creditor reference, return reason, reversal, transaction code), the invoice the
//! customer paid is matched, and a Xero batch is written for the new entries.

mod common;

use std::fs;

use common::{Company, INVOICE_HEADER, fixture, run_at};
use sluice::outbox::Manifest;

const PIPELINE: &str = r#"
[[sources]]
name = "bank"
format = "mt940"
files = ["*.sta"]

[[sources]]
name = "billing-invoices"
format = "invoice_csv"
files = ["invoices-*.csv"]
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

[[targets]]
name = "xero"
platform = "xero"
"#;

#[test]
fn an_mt940_statement_is_booked_into_the_ledger_and_batched_for_xero() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", PIPELINE);
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}INV-2026-0042,1001,Hans Mueller,2026-10-01,2026-10-31,249.90,EUR,open\n"
        ),
    );
    company.drop_file(
        "statement-2026-10-31.sta",
        fixture("mt940/sluice/statement-2026-10-31.sta"),
    );

    let summary = run_at(&pipeline, "2026-11-01T06:00:00Z");

    assert!(summary.quarantined.is_empty(), "{:?}", summary.quarantined);
    assert_eq!(summary.bank_lines.new, 3);

    let facts = company.ledger();
    let mut lines: Vec<_> = facts.bank_lines.iter().map(|r| &r.line).collect();
    lines.sort_by_key(|l| l.lineage.line);
    let [paid, returned, fees] = &lines[..] else {
        panic!("three entries: {lines:#?}")
    };
    assert_eq!(paid.account, "DE89370400440532013000");
    assert_eq!(paid.amount.to_string(), "EUR 249.90");
    assert_eq!(paid.counterparty, "Hans Mueller");
    assert_eq!(paid.counterparty_account, "DE02120300000000202051");
    assert_eq!(paid.bank_reference, "BANKREF-0001");
    assert_eq!(paid.text, "Invoice INV-2026-0042 customer 1001");
    assert_eq!(paid.info.bank_transaction_code, "NTRF/166");
    assert_eq!(paid.info.end_to_end_id, "E2E-INV-2026-0042");
    assert_eq!(paid.lineage.file_name, "statement-2026-10-31.sta");
    assert_eq!(paid.lineage.line, 5);

    assert_eq!(returned.amount.to_string(), "EUR -99.80");
    assert!(returned.info.reversal);
    assert_eq!(returned.counterparty, "Erika Mustermann");
    assert_eq!(returned.info.mandate_id, "MANDATE-1002");
    assert_eq!(returned.info.creditor_reference, "RF18539007547034");
    assert_eq!(returned.info.return_reason, "AC04");
    assert_eq!(returned.info.end_to_end_id, "E2E-RETURN-7");
    assert_eq!(returned.booking_date.to_string(), "2026-11-01");

    assert_eq!(fees.amount.to_string(), "EUR -12.50");
    assert_eq!(fees.info.bank_transaction_code, "NCHG");

    let allocated: Vec<_> = facts
        .matches
        .iter()
        .filter_map(|m| m.matched.document.as_deref())
        .collect();
    assert_eq!(allocated, ["INV-2026-0042"]);

    assert_eq!(summary.batches.len(), 1, "{:#?}", summary.batches);
    let batch = &summary.batches[0];
    assert_eq!(batch.target, "xero");
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(batch.path.join("manifest.json")).expect("manifest"))
            .expect("a manifest");
    let rendered: String = manifest
        .files
        .iter()
        .map(|f| fs::read_to_string(batch.path.join(&f.name)).expect("batch file"))
        .collect();
    for amount in ["249.90", "-99.80", "-12.50"] {
        assert!(rendered.contains(amount), "{amount} missing: {rendered}");
    }
}
