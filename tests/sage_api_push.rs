//! A Sage target with `[targets.api]` stages its customers, invoices, credit notes and
//! customer receipts as requests to Sage Business Cloud Accounting's API v3.1, one record
//! per request, each body of the shape Sage's reference documents, and the batch is the
//! golden one byte for byte (and `sluice replay` gives it again). A push sends the
//! customers first, then the documents, then the receipts, filling in Sage's ids of the
//! customer and the invoices; Sage's totals are the ledger's to the cent (the rounding
//! line); a refusal keeps Sage's words and holds up nothing else; rate limits, server errors
//! and a lost answer create each record once (Sage has no idempotency key: a lost answer is
//! read back); an invoice number Sage has is adopted; the credentials are nowhere on disk; a
//! second push sends nothing. `sluice check` names the key and line of every problem.
//!
//! Golden batch: tests/golden/sage/api/; regenerate with `SLUICE_BLESS=1`.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use common::sage_mock::{BUSINESS, Fault, SageMock, TOKEN};
use common::sage_spec::{SageSpec, errors};
use common::{BANK_HEADER, CUSTOMER_SOURCE, Company, LINE_SOURCES, LINES_HEADER};
use rust_decimal::Decimal;
use sluice::delivery::log;
use sluice::delivery::{self, PushOptions};
use sluice::outbox::StagedRequest;
use sluice::pipeline::Pipeline;

const RUN: &str = "2026-10-31T18:00:00Z";
const BATCH: &str = "outbox/acme/sage/20261031T180000Z-000001";

/// INV-3's 7 × 0.99 net at 19% is 8.25 in the billing system, 7 × 1.18 = 8.26 in Sage: a
/// rounding line of -0.01 makes Sage's total the ledger's.
const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,19,3.80,20.00,service,,,29.15
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,7,0.35,5.00,hardware,,,29.15
INV-2,C2,,2026-10-02,2026-10-16,EUR,open,0,Fibre 50,1,8.90,19,1.69,8.90,service,,,10.59
INV-3,C1,,2026-10-03,2026-10-17,EUR,open,0,Top-up,7,0.99,19,1.32,6.93,service,,,8.25
CN-1,C2,,2026-10-04,,EUR,open,0,Outage credit,-1,4.99,19,-0.95,-4.99,service,,,-5.94
INV-4,C3,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,50.00,0,0.00,50.00,one-time,,,50.00
";

/// Ada pays INV-1 and INV-3 in one transfer (one receipt, two allocations); Grace pays INV-2.
const BANK: &str = "\
2026-10-20,2026-10-20,Ada Lovelace,,Rechnung INV-1 INV-3,DB01,37.40,EUR,\n\
2026-10-21,2026-10-21,Grace Hopper,,Rechnung INV-2,DB02,10.59,EUR,\n";

/// The test's invoice numbers have no year.
const RECONCILE: &str = r#"
[reconcile]
invoice_patterns = ['\bINV-\d+\b']
"#;

fn target(base_url: &str) -> String {
    format!(
        r#"
[[targets]]
name = "sage"
platform = "sage"

[targets.mapping]
contact_name = "{{name}} ({{id}})"
amounts = "inclusive"
rounding_account = "la9rounding"
payment_account = "ba1bank"

[targets.mapping.categories]
service = "la1service"
hardware = "la2hardware"
one-time = "la3onetime"

[targets.mapping.tax_rates]
"19" = "tr19"
"7" = "tr7"
"0" = "tr0"

[targets.api]
base_url = "{base_url}"
token_env = "TEST_SAGE_TOKEN"
business_id = "{BUSINESS}"
"#
    )
}

fn company(base_url: &str) -> (Company, Pipeline) {
    company_with(BANK, &target(base_url))
}

fn company_with(bank: &str, target: &str) -> (Company, Pipeline) {
    let company = Company::new();
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    company.drop_file("bank-2026-10.csv", format!("{BANK_HEADER}{bank}"));
    let pipeline = company.pipeline(
        "keep",
        &format!("{LINE_SOURCES}{CUSTOMER_SOURCE}{RECONCILE}{target}"),
    );
    common::run_at(&pipeline, RUN);
    (company, pipeline)
}

fn env(name: &str) -> Option<String> {
    (name == "TEST_SAGE_TOKEN").then(|| TOKEN.to_string())
}

fn quick() -> PushOptions {
    common::quick_push(3)
}

fn files(batch: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(batch)
        .expect("batch folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "delivery.log")
        .collect();
    names.sort();
    names
}

fn request(batch: &Path, name: &str) -> StagedRequest {
    StagedRequest::from_bytes(&fs::read(batch.join(name)).expect("request"))
        .expect("a staged request")
}

#[test]
fn customers_documents_and_receipts_are_staged_one_per_request_in_sages_documented_shape() {
    let (company, pipeline) = company("http://127.0.0.1:9");
    let batch = company.path(BATCH);
    assert_eq!(
        files(&batch),
        [
            "manifest.json",
            "sage-contacts-0001.json",
            "sage-contacts-0002.json",
            "sage-contacts-0003.json",
            "sage-credit-notes-0001.json",
            "sage-invoices-0001.json",
            "sage-invoices-0002.json",
            "sage-invoices-0003.json",
            "sage-invoices-0004.json",
            "sage-receipts-0001.json",
            "sage-receipts-0002.json",
        ]
    );
    let spec = SageSpec::load();
    for name in files(&batch).iter().filter(|n| n.starts_with("sage-")) {
        let request = request(&batch, name);
        assert_eq!(request.method, "POST");
        let body: serde_json::Value = serde_json::from_str(request.body.get()).expect("JSON");
        assert_eq!(
            errors(&spec.validator(&request.path), &body),
            Vec::<String>::new(),
            "{name}"
        );
    }
    // The shapes refuse what Sage's reference refuses.
    let receipts = spec.validator("/contact_payments");
    let wrong = serde_json::json!({"contact_payment": {"transaction_type_id": "SALE",
        "contact_id": "c", "bank_account_id": "b", "date": "2026-10-20", "total_amount": "1"}});
    assert_eq!(errors(&receipts, &wrong).len(), 2, "an enum and a type");
    let invoices = spec.validator("/sales_invoices");
    let unknown = serde_json::json!({"sales_invoice": {"contact_id": "c", "date": "2026-10-01",
        "invoice_lines": [{"description": "x", "ledger_account_id": "l", "unit_price": 1,
        "tax_code": "t"}]}});
    assert!(!errors(&invoices, &unknown).is_empty(), "an unknown field");

    let inv3 = request(&batch, "sage-invoices-0003.json");
    let body = inv3.body.get();
    assert!(
        body.contains(r#""contact_id":"${remote:contact:C1}""#),
        "{body}"
    );
    assert!(
        body.contains(r#""quantity":7,"unit_price":1.18,"unit_price_includes_tax":true,"tax_rate_id":"tr19","tax_amount":1.32"#),
        "{body}"
    );
    assert!(
        body.contains(r#"{"description":"Rounding","ledger_account_id":"la9rounding","quantity":1,"unit_price":-0.01,"unit_price_includes_tax":true,"tax_rate_id":"tr0","tax_amount":0.00}"#),
        "{body}"
    );
    let credit = request(&batch, "sage-credit-notes-0001.json");
    assert!(
        credit.body.get().contains(r#""unit_price":5.94"#),
        "a credit note's amounts are positive: {}",
        credit.body.get()
    );
    let ada = request(&batch, "sage-receipts-0001.json");
    assert_eq!(ada.records.len(), 2, "one receipt, two allocations");
    assert!(
        ada.body.get().contains(r#""allocated_artefacts":[{"artefact_id":"${remote:invoice:INV-1}","amount":29.15},{"artefact_id":"${remote:invoice:INV-3}","amount":8.25}]"#),
        "{}",
        ada.body.get()
    );
    common::compare_with_golden(&batch, &common::repo().join("tests/golden/sage/api"));
    // The ledger alone gives the same requests again, byte for byte.
    let replayed = sluice::outbox::replay(&pipeline, &batch, None).expect("replay");
    let comparison = sluice::outbox::compare(&replayed).expect("compare");
    assert!(comparison.is_identical(), "{comparison:?}");
}

#[test]
fn a_push_sends_customers_then_documents_then_receipts_with_sages_ids_filled_in() {
    let mock = SageMock::start(&[("INV-2", "sage-had-inv-2")], Vec::new());
    let (company, pipeline) = company(&mock.base_url);
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.stopped, None, "{report:?}");
    assert!(report.complete(), "{report:?}");
    assert!(
        mock.refused_bodies().is_empty(),
        "{:?}",
        mock.refused_bodies()
    );
    assert_eq!(
        mock.log(),
        [
            "POST /contacts",
            "POST /contacts",
            "POST /contacts",
            "POST /sales_credit_notes",
            "POST /sales_invoices",
            "POST /sales_invoices",
            "GET /sales_invoices",
            "POST /sales_invoices",
            "POST /sales_invoices",
            "POST /contact_payments",
            "POST /contact_payments",
        ]
    );
    let created = mock.created();
    let id_of = |path: &str, field: &str, value: &str| {
        created
            .iter()
            .find(|h| h.path == path && h.record[field] == value)
            .map(|h| h.id.clone())
            .unwrap_or_else(|| panic!("{path} {value} created"))
    };
    let ada = id_of("/contacts", "reference", "C1");
    let inv1 = id_of("/sales_invoices", "invoice_number", "INV-1");
    let inv3 = id_of("/sales_invoices", "invoice_number", "INV-3");
    // Sage's totals are the ledger's, the rounding line included.
    for (number, total) in [("INV-1", "29.15"), ("INV-3", "8.25"), ("INV-4", "50.00")] {
        let held = created
            .iter()
            .find(|h| h.record["invoice_number"] == number)
            .expect("created");
        assert_eq!(
            held.total,
            total.parse::<Decimal>().expect("decimal"),
            "{number}"
        );
        assert_eq!(
            held.record["contact_id"]
                .as_str()
                .map(|c| c.starts_with("sage-")),
            Some(true)
        );
    }
    let receipts: Vec<&common::sage_mock::Held> = created
        .iter()
        .filter(|h| h.path == "/contact_payments")
        .collect();
    assert_eq!(receipts.len(), 2);
    let first = &receipts[0].record;
    assert_eq!(first["contact_id"], ada.as_str());
    assert_eq!(first["transaction_type_id"], "CUSTOMER_RECEIPT");
    assert_eq!(first["bank_account_id"], "ba1bank");
    assert_eq!(
        first["allocated_artefacts"][0]["artefact_id"],
        inv1.as_str()
    );
    assert_eq!(
        first["allocated_artefacts"][1]["artefact_id"],
        inv3.as_str()
    );
    // INV-2 was adopted: Grace's receipt is allocated to the invoice Sage had.
    assert_eq!(
        receipts[1].record["allocated_artefacts"][0]["artefact_id"],
        "sage-had-inv-2"
    );
    let adopted: Vec<&str> = report.batches[0]
        .adopted
        .iter()
        .map(|(r, _)| r.id.as_str())
        .collect();
    assert_eq!(adopted, ["INV-2"]);

    // The log says what was filled in; the ledger holds Sage's ids.
    let attempts = log::read(&company.path(BATCH)).expect("delivery log");
    let resolved: Vec<&String> = attempts.iter().flat_map(|a| a.resolved.keys()).collect();
    assert!(
        resolved.iter().any(|k| *k == "invoice:INV-2"),
        "{resolved:?}"
    );
    let ids = company.ledger().remote_ids;
    assert_eq!(ids.len(), 3 + 5 + 3, "customers, documents and allocations");
    assert!(
        ids.iter().any(|r| r.kind == "invoice"
            && r.document == "INV-2"
            && r.remote_id == "sage-had-inv-2")
    );

    // The token is nowhere on disk.
    for entry in walkdir::WalkDir::new(company.dir.path())
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            let bytes = fs::read(entry.path()).expect("read");
            assert!(
                !String::from_utf8_lossy(&bytes).contains(TOKEN),
                "{}",
                entry.path().display()
            );
        }
    }

    // Everything is answered: a second push sends nothing.
    let before = mock.log().len();
    let again = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(again.complete());
    assert_eq!(mock.log().len(), before);
}

#[test]
fn rate_limits_server_errors_and_a_lost_answer_create_each_record_once() {
    let mock = SageMock::start(
        &[],
        vec![
            Fault::RateLimit("0"),
            Fault::ServerError,
            // Then Sage creates C1, and the answer never arrives in time.
            Fault::SlowAnswer(Duration::from_millis(1500)),
        ],
    );
    let (company, pipeline) = company(&mock.base_url);
    let options = PushOptions {
        max_attempts: 4,
        ..quick()
    };
    let report = delivery::push(&pipeline, &options, &env).expect("push");
    assert!(report.complete(), "{report:?}");
    let log = mock.log();
    assert_eq!(
        log[..6],
        [
            "POST /contacts",
            "POST /contacts",
            "POST /contacts",
            "GET /contacts",
            "POST /contacts",
            "POST /contacts",
        ],
        "C1: 429, 500, created with its answer lost, read back; then C2 and C3"
    );
    let created = mock.created();
    let contacts: Vec<&str> = created
        .iter()
        .filter(|h| h.path == "/contacts")
        .map(|h| h.record["reference"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(contacts, ["C1", "C2", "C3"], "each customer once");
    assert_eq!(created.len(), 3 + 5 + 2);
    let attempts = log::read(&company.path(BATCH)).expect("delivery log");
    let read_back: Vec<&str> = attempts
        .iter()
        .flat_map(|a| &a.records)
        .filter(|r| r.adopted.contains("read back"))
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(read_back, ["C1"]);
    let waits: Vec<Option<u64>> = attempts
        .iter()
        .filter(|a| a.request == "sage-contacts-0001.json")
        .map(|a| a.wait_ms)
        .collect();
    assert_eq!(waits[0], Some(0), "Retry-After: 0 is honoured");
}

#[test]
fn a_refused_document_keeps_sages_words_and_holds_up_only_what_needs_it() {
    let mock = SageMock::start(&[], Vec::new());
    let (_company, pipeline) = company(&mock.base_url);
    mock.refuse("INV-2", "The ledger account is not valid");
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.stopped, None, "a refusal stops nothing");
    let [b] = report.batches.as_slice() else {
        panic!("one batch: {report:?}");
    };
    assert_eq!(b.refused.len(), 1, "{b:?}");
    assert_eq!(b.refused[0].0.id, "INV-2");
    assert_eq!(
        b.refused[0].1,
        "The ledger account is not valid (ledger_account)"
    );
    // Grace's receipt waits for INV-2; Ada's goes, and so does every other document.
    assert_eq!(b.held_back.len(), 1, "{b:?}");
    assert!(
        b.held_back[0]
            .1
            .contains("invoice INV-2, which Sage does not have yet"),
        "{b:?}"
    );
    let created = mock.created();
    assert_eq!(
        created
            .iter()
            .filter(|h| h.path == "/contact_payments")
            .count(),
        1
    );
    assert_eq!(created.len(), 3 + 4 + 1);
    // A refused record is not sent again.
    let before = mock.log().len();
    delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(mock.log().len(), before);
}

#[test]
fn a_receipt_whose_answer_is_lost_is_read_back_not_sent_twice() {
    let mock = SageMock::start(&[], Vec::new());
    let (company, pipeline) = company(&mock.base_url);
    // Ada's receipt is created, and its answer arrives after the client gave up.
    mock.slow("/contact_payments", Duration::from_millis(1500));
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(report.complete(), "{report:?}");
    let log = mock.log();
    // One look-up per allocation the receipt carries (the sender reads back each record).
    assert_eq!(
        log[log.len() - 4..],
        [
            "POST /contact_payments",
            "GET /contact_payments",
            "GET /contact_payments",
            "POST /contact_payments"
        ],
        "{log:?}"
    );
    let receipts: Vec<String> = mock
        .created()
        .iter()
        .filter(|h| h.path == "/contact_payments")
        .map(|h| {
            h.record["reference"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(receipts, ["DB01", "DB02"], "each receipt once");
    let attempts = log::read(&company.path(BATCH)).expect("delivery log");
    let read_back: Vec<&str> = attempts
        .iter()
        .filter(|a| a.request == "sage-receipts-0001.json")
        .flat_map(|a| &a.records)
        .filter(|r| r.adopted.contains("read back from Sage"))
        .map(|r| r.remote_id.as_str())
        .collect();
    assert_eq!(read_back.len(), 2, "both allocations of the one receipt");
    assert!(read_back.iter().all(|id| id.starts_with("sage-")));
}

#[test]
fn a_receipt_on_a_held_invoice_waits_until_sage_has_the_invoice() {
    let mock = SageMock::start(&[], Vec::new());
    let full = target(&mock.base_url);
    // The mapping lacks the setup fee's category: INV-4 is held, and so is Carla's receipt.
    let lacking = full.replace("one-time = \"la3onetime\"\n", "");
    let carla = "2026-10-22,2026-10-22,Carla Nobody,,Rechnung INV-4,DB03,50.00,EUR,\n";
    let (company, pipeline) = company_with(&format!("{BANK}{carla}"), &lacking);
    let batch = company.path(BATCH);
    let kept = request(&batch, "sage-receipts-0003.json");
    assert_eq!(kept.needs, ["INV-4"]);
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.stopped, None, "a kept-back request stops nothing");
    let [b] = report.batches.as_slice() else {
        panic!("one batch: {report:?}");
    };
    assert_eq!(b.held_back.len(), 1, "{b:?}");
    assert!(
        b.held_back[0].1.contains("INV-4 is held for target sage"),
        "{b:?}"
    );

    // The pipeline names the category: the next run stages INV-4, and one push delivers
    // the invoice and then the receipt that waited for it.
    let pipeline = company.pipeline(
        "keep",
        &format!("{LINE_SOURCES}{CUSTOMER_SOURCE}{RECONCILE}{full}"),
    );
    common::run_at(&pipeline, "2026-11-01T02:00:00Z");
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(report.complete(), "{report:?}");
    let created = mock.created();
    let inv4 = created
        .iter()
        .find(|h| h.record["invoice_number"] == "INV-4")
        .expect("INV-4 created");
    let receipt = created
        .iter()
        .find(|h| h.record["reference"] == "DB03")
        .expect("Carla's receipt created");
    assert_eq!(
        receipt.record["allocated_artefacts"][0]["artefact_id"],
        inv4.id.as_str()
    );
    let at = |id: &str| created.iter().position(|h| h.id == id);
    assert!(at(&inv4.id) < at(&receipt.id));
}

#[test]
fn refused_credentials_stop_the_push() {
    let mock = SageMock::start(&[], Vec::new());
    let (_company, pipeline) = company(&mock.base_url);
    let wrong = |name: &str| (name == "TEST_SAGE_TOKEN").then(|| "expired".to_string());
    let report = delivery::push(&pipeline, &quick(), &wrong).expect("push");
    let stopped = report.stopped.expect("stopped");
    assert!(
        stopped.contains("Sage refused the credentials (401)"),
        "{stopped}"
    );
    assert_eq!(mock.log(), ["POST /contacts"], "nothing after the refusal");
    let missing = delivery::push(&pipeline, &quick(), &|_| None).expect_err("no token");
    assert!(missing.to_string().contains("TEST_SAGE_TOKEN"), "{missing}");
}

#[test]
fn check_names_the_key_and_line_of_every_problem_in_a_sage_api_section() {
    let company = Company::new();
    let path = company.path("pipeline.toml");
    let text = format!(
        "name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{LINE_SOURCES}{}",
        target("http://127.0.0.1:9")
            .replace("\"tr19\"", "\"Standard Rate\"")
            .replace(
                &format!("business_id = \"{BUSINESS}\"\n"),
                "per_request = 50\ntenant_env = \"T\"\n"
            )
            .replace("payment_account = \"ba1bank\"\n", "")
    );
    fs::write(&path, &text).expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("refused")
        .to_string();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{needle} in the pipeline"))
    };
    for (key, line, words) in [
        (
            "targets[0].mapping.tax_rates.\"19\"",
            line_of("Standard Rate"),
            "Sage's API takes the tax rate's id",
        ),
        (
            "targets[0].api.per_request",
            line_of("per_request"),
            "one record per request",
        ),
        (
            "targets[0].api.tenant_env",
            line_of("tenant_env"),
            "business_id",
        ),
    ] {
        assert!(
            message.contains(&format!(":{line}: {key}:")),
            "{key} at line {line}: {message}"
        );
        assert!(message.contains(words), "{words}: {message}");
    }
    assert!(message.contains("targets[0].api.business_id"), "{message}");
    assert!(
        message.contains("targets[0].mapping.payment_account"),
        "{message}"
    );
    // business_id is Sage's: a Xero target is told so.
    let xero = format!(
        "name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{LINE_SOURCES}
[[targets]]
name = \"xero\"
platform = \"xero\"

[targets.mapping]
payment_account = \"090\"

[targets.api]
token_env = \"T\"
tenant_env = \"U\"
business_id = \"{BUSINESS}\"
"
    );
    fs::write(&path, &xero).expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("refused")
        .to_string();
    assert!(
        message.contains("targets[0].api.business_id: is Sage's:"),
        "{message}"
    );
}
