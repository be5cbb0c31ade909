//! A camt.053 end-of-day statement dropped into the inbox goes the whole way: its booked
//! entries land in the ledger with what ISO 20022 says beyond a CSV (end-to-end id, mandate,
//! creditor reference, return reason, transaction code), the pending entry is counted in the
//! summary but never applied, the invoice the customer paid is matched, and a Xero batch is
//! written for the new entries.

mod common;

use std::fs;

use common::{Company, INVOICE_HEADER, fixture, run_at};
use sluice::outbox::Manifest;

const PIPELINE: &str = r#"
[[sources]]
name = "bank"
format = "camt"
files = ["*.xml"]

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
fn a_camt053_statement_is_booked_into_the_ledger_and_batched_for_xero() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", PIPELINE);
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}INV-2026-0042,1001,Hans Müller,2026-10-01,2026-10-31,249.90,EUR,open\n"
        ),
    );
    company.drop_file(
        "statement-2026-10-31.xml",
        fixture("camt/sluice/statement-2026-10-31.camt053.xml"),
    );

    let summary = run_at(&pipeline, "2026-11-01T06:00:00Z");

    assert!(summary.quarantined.is_empty(), "{:?}", summary.quarantined);
    assert_eq!(summary.bank_lines.new, 2);
    assert_eq!(summary.bank_lines.not_booked, 1);

    let facts = company.ledger();
    let mut lines: Vec<_> = facts.bank_lines.iter().map(|r| &r.line).collect();
    lines.sort_by_key(|l| l.lineage.line);
    assert_eq!(lines.len(), 2, "the pending entry is not applied");
    let (paid, returned) = (lines[0], lines[1]);
    assert_eq!(paid.account, "DE89370400440532013000");
    assert_eq!(paid.amount.to_string(), "EUR 249.90");
    assert_eq!(paid.counterparty, "Hans Müller");
    assert_eq!(paid.counterparty_account, "GB33BUKB20201555555555");
    assert_eq!(paid.bank_reference, "BANKREF-0001");
    assert_eq!(paid.text, "Invoice INV-2026-0042 customer 1001");
    assert_eq!(paid.info.bank_transaction_code, "PMNT/RCDT/ESCT");
    assert_eq!(paid.info.end_to_end_id, "E2E-INV-2026-0042");
    assert_eq!(paid.lineage.file_name, "statement-2026-10-31.xml");
    assert_eq!(paid.lineage.line, 30);

    assert_eq!(returned.amount.to_string(), "EUR -99.80");
    assert_eq!(returned.counterparty, "Erika Mustermann");
    assert_eq!(returned.info.mandate_id, "MANDATE-1002");
    assert_eq!(returned.info.creditor_reference, "RF18539007547034");
    assert_eq!(returned.info.return_reason, "AC04");
    assert_eq!(returned.info.bank_transaction_code, "PMNT/RDDT/UPDD");

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
    assert!(rendered.contains("249.90"), "{rendered}");
    assert!(rendered.contains("-99.80"), "{rendered}");
    assert!(
        !rendered.contains("not yet booked"),
        "the pending entry reaches Xero: {rendered}"
    );
}
