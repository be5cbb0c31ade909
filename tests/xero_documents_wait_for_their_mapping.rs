//! A Xero target with a mapping stages contacts, invoices and credit notes as Xero's import
//! files: several VAT rates, a credit note and a negative invoice (staged as a credit note),
//! a customer no export named. A document whose category the mapping lacks is held — listed
//! with its file, line and the fix, never written as a row — and a later run stages it once
//! the pipeline names the category, even with nothing new in the inbox.
//!
//! Golden batches: tests/golden/xero/mapped/; regenerate with `SLUICE_BLESS=1`.

mod common;

use common::{Company, LINES_HEADER, xero_mapped_pipeline};

const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,19,3.80,20.00,service,,,29.15
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,7,0.35,5.00,hardware,,,29.15
INV-2,C2,,2026-10-02,2026-10-16,EUR,open,0,Tech magazine,1,9.90,7,0.69,9.90,magazine,,,10.59
INV-3,C1,,2026-10-03,2026-10-17,EUR,open,0,Overcharge September,1,-10.00,19,-1.90,-10.00,service,,,-11.90
CN-1,C2,,2026-10-04,,EUR,open,0,Outage credit,-1,4.99,19,-0.95,-4.99,service,,,-5.94
INV-4,C3,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,50.00,0,0.00,50.00,one-time,,,50.00
";

#[test]
fn an_unmapped_category_is_held_and_staged_once_the_mapping_names_it() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", &xero_mapped_pipeline(""));
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );

    let first = common::run_at(&pipeline, "2026-11-01T02:00:00Z");
    let batch = company
        .path("outbox/acme/xero")
        .join("20261101T020000Z-000001");
    common::compare_with_golden(
        &batch,
        &common::repo().join("tests/golden/xero/mapped/first"),
    );
    assert_eq!(first.held_documents.len(), 1, "{:?}", first.held_documents);
    let held = &first.held_documents[0];
    assert_eq!(
        (held.document.as_str(), held.file.as_str(), held.line),
        ("INV-2", "invoice-lines-2026-10.csv", 4)
    );
    assert!(held.reason.contains("\"magazine\" (line 4)"), "{held:?}");
    assert!(
        held.fix.contains("[targets.mapping.categories]"),
        "{held:?}"
    );
    assert!(held.fix.contains("pipeline.toml"), "{held:?}");
    let invoices = std::fs::read_to_string(batch.join("xero-invoices.csv")).expect("invoices");
    assert!(
        !invoices.contains("INV-2"),
        "a held document is never a row"
    );

    // `sluice check` names what the mapping lacks for the ledger's documents, once.
    let check = |expect: i32| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(["check", "--pipeline"])
            .arg(company.path("pipeline.toml"))
            .output()
            .expect("sluice check runs");
        assert_eq!(out.status.code(), Some(expect), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = check(2);
    assert!(
        said.contains(
            "targets[0].mapping.categories (xero): the ledger has documents with category \"magazine\" (INV-2), which the mapping does not name"
        ),
        "{said}"
    );
    assert_eq!(said.matches("targets[0].mapping").count(), 1, "{said}");

    // Nothing changed: nothing is committed, and the summary still says what waits.
    let again = common::run_at(&pipeline, "2026-11-01T03:00:00Z");
    assert_eq!(again.run_id, None);
    assert_eq!(again.held_documents, first.held_documents);

    // The pipeline names the category: the next run stages the held invoice, alone.
    let pipeline = company.pipeline("keep", &xero_mapped_pipeline("magazine = \"230\""));
    check(0);
    let fixed = common::run_at(&pipeline, "2026-11-02T02:00:00Z");
    assert!(
        fixed.held_documents.is_empty(),
        "{:?}",
        fixed.held_documents
    );
    let batch = company
        .path("outbox/acme/xero")
        .join("20261102T020000Z-000002");
    common::compare_with_golden(
        &batch,
        &common::repo().join("tests/golden/xero/mapped/after-fix"),
    );
    // Staged once: a later run stages it no more.
    let last = common::run_at(&pipeline, "2026-11-03T02:00:00Z");
    assert_eq!(last.run_id, None);
    let staged: Vec<(String, bool)> = company
        .ledger()
        .target_documents
        .iter()
        .map(|r| (r.number.clone(), r.staged))
        .collect();
    assert_eq!(staged.iter().filter(|(n, _)| n == "INV-2").count(), 2);
}

/// A document dated inside the period Xero has locked is held like an unmapped one, and the
/// run after `lock_date` moves stages it.
#[test]
fn a_document_in_the_locked_period_is_held_until_the_lock_date_moves() {
    let locked = |date: &str| {
        xero_mapped_pipeline("magazine = \"230\"").replace(
            "contact_name = \"{name} ({id})\"",
            &format!("contact_name = \"{{name}} ({{id}})\"\nlock_date = {date}"),
        )
    };
    let company = Company::new();
    let pipeline = company.pipeline("keep", &locked("2026-10-02"));
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    let first = common::run_at(&pipeline, "2026-11-01T02:00:00Z");
    let held: Vec<&str> = first
        .held_documents
        .iter()
        .map(|h| h.document.as_str())
        .collect();
    assert_eq!(held, ["INV-1", "INV-2"], "{:?}", first.held_documents);
    assert!(
        first.held_documents[0]
            .reason
            .contains("inside the period Xero has locked (lock_date 2026-10-02)"),
        "{:?}",
        first.held_documents[0]
    );
    let batch = company
        .path("outbox/acme/xero")
        .join("20261101T020000Z-000001");
    let invoices = std::fs::read_to_string(batch.join("xero-invoices.csv")).expect("invoices");
    assert!(!invoices.contains("INV-1,") && !invoices.contains("INV-2,"));
    assert!(invoices.contains("INV-4,"));

    let pipeline = company.pipeline("keep", &locked("2026-09-30"));
    let opened = common::run_at(&pipeline, "2026-11-02T02:00:00Z");
    assert!(
        opened.held_documents.is_empty(),
        "{:?}",
        opened.held_documents
    );
    let batch = company
        .path("outbox/acme/xero")
        .join("20261102T020000Z-000002");
    let invoices = std::fs::read_to_string(batch.join("xero-invoices.csv")).expect("invoices");
    assert!(
        invoices.contains("INV-1,") && invoices.contains("INV-2,"),
        "{invoices}"
    );
    assert!(!invoices.contains("INV-4,"), "staged once");
}

/// Documents issued before `export_from` are the platform's already (imported before
/// sluice): neither staged nor held, and no later run stages them.
#[test]
fn documents_before_export_from_are_left_to_the_platform() {
    let company = Company::new();
    let text = xero_mapped_pipeline("magazine = \"230\"").replace(
        "contact_name = \"{name} ({id})\"",
        "contact_name = \"{name} ({id})\"\nexport_from = 2026-10-03",
    );
    let pipeline = company.pipeline("keep", &text);
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    let summary = common::run_at(&pipeline, "2026-11-01T02:00:00Z");
    assert!(
        summary.held_documents.is_empty(),
        "{:?}",
        summary.held_documents
    );
    let staged: Vec<String> = company
        .ledger()
        .target_documents
        .iter()
        .map(|r| r.number.clone())
        .collect();
    assert_eq!(
        staged,
        ["CN-1", "INV-3", "INV-4"],
        "issued on or after 2026-10-03"
    );
    let batch = company
        .path("outbox/acme/xero")
        .join("20261101T020000Z-000001");
    let invoices = std::fs::read_to_string(batch.join("xero-invoices.csv")).expect("invoices");
    assert!(
        !invoices.contains("INV-1,") && !invoices.contains("INV-2,"),
        "{invoices}"
    );
    assert!(invoices.contains("INV-4,"), "{invoices}");
    let credit_notes =
        std::fs::read_to_string(batch.join("xero-credit-notes.csv")).expect("credit notes");
    assert!(
        credit_notes.contains("INV-3,"),
        "negative, so a credit note: {credit_notes}"
    );

    // A wrong date is refused with its key.
    let bad = xero_mapped_pipeline("").replace(
        "contact_name = \"{name} ({id})\"",
        "contact_name = \"{name} ({id})\"\nexport_from = \"soon\"",
    );
    std::fs::write(
        company.path("pipeline.toml"),
        format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{bad}"),
    )
    .expect("write");
    let message = sluice::pipeline::load(&company.path("pipeline.toml"))
        .expect_err("refused")
        .to_string();
    assert!(
        message.contains("targets[0].mapping.export_from"),
        "{message}"
    );
}
