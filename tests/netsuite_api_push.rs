//! A NetSuite target with `[targets.api]` stages its customers, invoices, credit memos and
//! customer payments as upserts by External ID to NetSuite's REST web services, in place of
//! the Import Assistant's CSV files: every body has the records' documented shape, the
//! batch is the golden one byte for byte, and the ledger alone gives it again. A push sends
//! the customers first, then the documents, then the payments, each naming the others by
//! the internal ids NetSuite answered with; it gets through NetSuite's concurrency limit,
//! server errors and a lost answer creating each record once, keeps what NetSuite refused
//! with its words without holding up the rest, adopts a customer number NetSuite has, and
//! writes no credential anywhere. `sluice check` wants internal ids where the CSV import
//! reads names, and says where.
//!
//! Golden batch: tests/golden/netsuite/api/; regenerate with `SLUICE_BLESS=1`.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use common::netsuite_mock::{Fault, NetSuiteMock, TOKEN, shape_problems};
use common::{BANK_HEADER, CUSTOMER_SOURCE, Company, LINE_SOURCES, LINES_HEADER};
use sluice::delivery::log;
use sluice::delivery::{self, PushOptions};
use sluice::outbox::StagedRequest;
use sluice::pipeline::Pipeline;

const RUN: &str = "2026-10-31T18:00:00Z";
const BATCH: &str = "outbox/acme/netsuite/20261031T180000Z-000001";

/// INV-4's setup fee maps to item 99, which the stand-in's NetSuite does not have.
const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,19,3.80,20.00,service,,,29.15
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,7,0.35,5.00,hardware,,,29.15
INV-2,C2,,2026-10-02,2026-10-16,EUR,open,0,Fibre 50,1,8.90,19,1.69,8.90,service,,,10.59
CN-1,C2,,2026-10-04,,EUR,open,0,Outage credit,-1,4.99,19,-0.95,-4.99,service,,,-5.94
INV-4,C3,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,50.00,0,0.00,50.00,one-time,,,50.00
";

const BANK: &str = "\
2026-10-20,2026-10-20,Ada Lovelace,,Rechnung INV-1,DB01,29.15,EUR,
2026-10-21,2026-10-21,Grace Hopper,,Rechnung INV-2,DB02,10.59,EUR,
2026-10-22,2026-10-22,Carla Nobody,,Rechnung INV-4,DB03,50.00,EUR,
";

fn pipeline_text(base_url: &str) -> String {
    format!(
        r#"{LINE_SOURCES}{CUSTOMER_SOURCE}
[[targets]]
name = "netsuite"
platform = "netsuite"

[targets.netsuite]
subsidiary = "1"
class = "3"
department = "4"
location = "5"
terms = "2"

[targets.mapping]
payment_account = "101"

[targets.mapping.categories]
service = "11"
hardware = "12"
one-time = "99"

[targets.mapping.tax_rates]
"19" = "6"
"7" = "7"
"0" = "8"

[targets.api]
account = "1234567_SB1"
base_url = "{base_url}"
token_env = "TEST_NETSUITE_TOKEN"
"#
    )
}

fn company(base_url: &str) -> (Company, Pipeline) {
    let company = Company::new();
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    company.drop_file("bank-2026-10.csv", format!("{BANK_HEADER}{BANK}"));
    let pipeline = company.pipeline("keep", &pipeline_text(base_url));
    common::run_at(&pipeline, RUN);
    (company, pipeline)
}

fn env(name: &str) -> Option<String> {
    (name == "TEST_NETSUITE_TOKEN").then(|| TOKEN.to_string())
}

fn quick() -> PushOptions {
    common::quick_push(5)
}

fn requests(batch: &Path) -> Vec<(String, StagedRequest)> {
    let mut found: Vec<(String, StagedRequest)> = fs::read_dir(batch)
        .expect("batch folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("netsuite-") && n.ends_with(".json"))
        .map(|name| {
            let bytes = fs::read(batch.join(&name)).expect("request");
            (
                name,
                StagedRequest::from_bytes(&bytes).expect("a staged request"),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The record type of an upsert path: `/services/rest/record/v1/invoice/eid:…` → `invoice`.
fn record_of(path: &str) -> &str {
    path.trim_start_matches("/services/rest/record/v1/")
        .split('/')
        .next()
        .unwrap_or_default()
}

#[test]
fn every_record_is_staged_as_an_upsert_of_the_documented_shape() {
    let (company, pipeline) = company("http://127.0.0.1:9");
    let batch = company.path(BATCH);
    let staged = requests(&batch);
    let names: Vec<&str> = staged.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "netsuite-credit-memos-0001.json",
            "netsuite-customer-payments-0001.json",
            "netsuite-customer-payments-0002.json",
            "netsuite-customer-payments-0003.json",
            "netsuite-customers-0001.json",
            "netsuite-customers-0002.json",
            "netsuite-customers-0003.json",
            "netsuite-invoices-0001.json",
            "netsuite-invoices-0002.json",
            "netsuite-invoices-0003.json",
        ],
        "requests in place of the CSV files"
    );
    for (name, request) in &staged {
        assert_eq!(request.method, "PUT", "{name}: an upsert");
        assert!(request.path.contains("/eid:"), "{name}: {}", request.path);
        assert_eq!(request.records.len(), 1, "{name}: one record per request");
        let body: serde_json::Value = serde_json::from_str(request.body.get()).expect("JSON");
        assert_eq!(
            shape_problems(record_of(&request.path), &body),
            Vec::<String>::new(),
            "{name}"
        );
    }
    let (_, invoice) = &staged[7];
    assert_eq!(
        invoice.path,
        "/services/rest/record/v1/invoice/eid:INV-1?replace=item"
    );
    let body = invoice.body.get();
    // The customer by the internal id push fills in; tax by its code's id, the billing
    // system's VAT to the cent, amounts never through a float.
    assert!(
        body.contains(r#""entity":{"id":"${remote:contact:C1}"}"#),
        "{body}"
    );
    assert!(
        body.contains(r#""taxCode":{"id":"6"},"tax1Amt":3.80"#),
        "{body}"
    );
    assert!(body.contains(r#""rate":10.00"#), "{body}");
    let (_, payment) = &staged[1];
    assert!(
        payment
            .path
            .starts_with("/services/rest/record/v1/customerpayment/eid:")
            && payment.path.ends_with("_2FC1"),
        "the CSV's External ID <bank line>/<customer>, in NetSuite's characters: {}",
        payment.path
    );
    assert!(
        payment
            .body
            .get()
            .contains(r#""apply":{"items":[{"doc":{"id":"${remote:invoice:INV-1}"},"apply":true,"amount":29.15}]}"#),
        "{}",
        payment.body.get()
    );
    let credit = staged[0].1.body.get();
    assert!(
        !credit.contains(":-"),
        "a credit memo's amounts are positive: {credit}"
    );

    let report = sluice::outbox::verify(&batch).expect("verify");
    assert!(report.is_intact(), "{:?}", report.problems);
    common::compare_with_golden(&batch, &common::repo().join("tests/golden/netsuite/api"));
    // The ledger alone gives the same requests again, byte for byte.
    let replayed = sluice::outbox::replay(&pipeline, &batch, None).expect("replay");
    let comparison = sluice::outbox::compare(&replayed).expect("compare");
    assert!(comparison.is_identical(), "{comparison:?}");
}

#[test]
fn the_shape_check_refuses_what_netsuite_would() {
    let wrong = serde_json::json!({
        "entity": {"id": "Ada"},
        "tranId": "INV-1",
        "tranDate": "01/10/2026",
        "currency": "EUR",
        "item": {"items": [{"item": {"id": "11"}, "quantity": "2", "rate": 1, "amount": 2}]}
    });
    let problems = shape_problems("invoice", &wrong);
    for expected in [
        "invoice.currency: not a field of the record",
        "invoice.entity: not of the field's type",
        "invoice.tranDate: not of the field's type",
        "invoice.item.items[0].quantity: not of the field's type",
    ] {
        assert!(problems.contains(&expected.to_string()), "{problems:?}");
    }
    assert!(
        shape_problems(
            "customerpayment",
            &serde_json::json!({"customer": {"id": "1"}})
        )
        .contains(&"customerpayment.apply: missing".to_string())
    );
}

#[test]
fn a_push_delivers_in_order_through_limits_errors_and_a_lost_answer_creating_each_record_once() {
    let mock = NetSuiteMock::start(
        &["11", "12"],
        &[("C2", "42")],
        vec![
            ("customer", Fault::RateLimit("1")),
            ("invoice", Fault::SlowAnswer(Duration::from_millis(900))),
            ("customerpayment", Fault::ServerError),
        ],
    );
    let (company, pipeline) = company(&mock.base_url);
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.stopped, None, "{report:?}");
    assert!(
        mock.refused_bodies().is_empty(),
        "{:?}",
        mock.refused_bodies()
    );
    let [b] = report.batches.as_slice() else {
        panic!("one batch: {report:?}");
    };

    // Customers, then credit memos and invoices, then payments.
    let order: Vec<String> = mock.log();
    let stage = |l: &String| match l.split(' ').nth(1) {
        Some("customer") => 0,
        Some("creditmemo" | "invoice") => 1,
        _ => 2,
    };
    let stages: Vec<u8> = order.iter().map(stage).collect();
    assert!(stages.is_sorted(), "{order:?}");
    assert!(
        order.contains(&"GET customer".to_string()),
        "C2 looked up: {order:?}"
    );

    // NetSuite had customer C2 under no External ID: its internal id is adopted.
    let adopted: Vec<(&str, &str)> = b
        .adopted
        .iter()
        .map(|(r, words)| (r.id.as_str(), words.as_str()))
        .collect();
    assert_eq!(
        adopted,
        [("C2", "This entity already exists. (DUP_ENTITY)")]
    );
    // INV-4 names an item NetSuite lacks: refused with NetSuite's words; its payment waits.
    let refused: Vec<(&str, &str)> = b
        .refused
        .iter()
        .map(|(r, words)| (r.id.as_str(), words.as_str()))
        .collect();
    assert_eq!(
        refused,
        [(
            "INV-4",
            "Invalid item reference key 99. (INVALID_KEY_OR_REF)"
        )]
    );
    assert_eq!(b.held_back.len(), 1, "{b:?}");
    assert!(
        b.held_back[0]
            .1
            .contains("invoice INV-4, which NetSuite does not have yet"),
        "{b:?}"
    );
    assert_eq!((b.delivered, b.waiting), (3 + 3 + 2, 1), "{b:?}");

    // Each record created once: the lost answer's resend updated INV-1.
    let created: Vec<String> = mock
        .created()
        .iter()
        .map(|(record, id)| format!("{record} {id}"))
        .collect();
    assert_eq!(created.len(), 7, "{created:?}");
    assert_eq!(
        created[..5],
        [
            "customer C1",
            "customer C3",
            "creditmemo CN-1",
            "invoice INV-1",
            "invoice INV-2"
        ]
    );
    assert!(
        created[5..]
            .iter()
            .all(|c| c.starts_with("customerpayment "))
    );
    assert_eq!(mock.updates(), 1, "the resend after the lost answer");
    let invoice_puts = order.iter().filter(|l| *l == "PUT invoice").count();
    assert_eq!(invoice_puts, 4, "INV-1 twice, INV-2, INV-4: {order:?}");

    // The placeholders were filled with the internal ids NetSuite answered with.
    let (_, inv2) = mock.record("invoice", "INV-2").expect("INV-2");
    assert_eq!(inv2["entity"]["id"], "42", "the adopted customer");
    let (inv1_id, _) = mock.record("invoice", "INV-1").expect("INV-1");
    let attempts = log::read(&company.path(BATCH)).expect("delivery log");
    let paid = attempts
        .iter()
        .find(|a| a.request == "netsuite-customer-payments-0001.json" && !a.records.is_empty())
        .expect("the first payment answered");
    assert_eq!(paid.resolved["invoice:INV-1"], inv1_id);
    let retried: Vec<Option<u16>> = attempts
        .iter()
        .filter(|a| a.outcome == log::Outcome::Retry)
        .map(|a| a.status)
        .collect();
    assert_eq!(retried, [Some(429), None, Some(500)], "{attempts:?}");

    // The ledger holds NetSuite's internal ids.
    let ids = company.ledger().remote_ids;
    let c2: Vec<&str> = ids
        .iter()
        .filter(|r| r.kind == "contact" && r.record_id == "C2")
        .map(|r| r.remote_id.as_str())
        .collect();
    assert_eq!(c2, ["42"]);
    assert_eq!(ids.len(), 8, "3 customers, 3 documents, 2 payments");

    // No credential is written anywhere.
    for (name, bytes) in common::tree(company.dir.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "{name} holds the token"
        );
    }

    // Everything NetSuite could take is answered: a second push sends nothing.
    let before = mock.requests();
    let again = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(again.stopped, None);
    assert_eq!(mock.requests(), before);
    assert_eq!(mock.created().len(), 7);
}

#[test]
fn a_refused_token_stops_the_push_and_nothing_is_written_to_netsuite() {
    let mock = NetSuiteMock::start(&["11", "12"], &[], Vec::new());
    let (_company, pipeline) = company(&mock.base_url);
    let expired = |name: &str| (name == "TEST_NETSUITE_TOKEN").then(|| "expired".to_string());
    let report = delivery::push(&pipeline, &quick(), &expired).expect("push");
    let stopped = report.stopped.expect("stopped");
    assert!(
        stopped.contains("NetSuite refused the access token (401)"),
        "{stopped}"
    );
    assert!(stopped.contains("INVALID_LOGIN"), "{stopped}");
    assert_eq!(mock.requests(), 1);
    assert!(mock.created().is_empty());
}

#[test]
fn check_wants_internal_ids_and_the_account_with_key_and_line() {
    let company = Company::new();
    let text = pipeline_text("http://127.0.0.1:9")
        .replace("service = \"11\"", "service = \"Internet service\"")
        .replace("terms = \"2\"", "terms = \"Net 14\"")
        .replace("account = \"1234567_SB1\"\n", "")
        .replace("TEST_NETSUITE_TOKEN", "eyJhbGciOi.secret");
    let text = format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{text}");
    let path = company.path("pipeline.toml");
    fs::write(&path, &text).expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("names are refused")
        .to_string();
    let line = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .expect("in the file")
    };
    for (key, needle, what) in [
        (
            "targets[0].mapping.categories.\"service\"",
            "service = ",
            "names the item by its internal id",
        ),
        ("targets[0].netsuite.terms", "terms = ", "\"Net 14\""),
        ("targets[0].api.token_env", "token_env", "never the value"),
        ("targets[0].api.account", "base_url", "is missing"),
    ] {
        let expected = format!(":{}: {key}: ", line(needle));
        let found = message
            .lines()
            .find(|l| l.contains(&expected))
            .unwrap_or_else(|| panic!("{expected} not in:\n{message}"));
        assert!(found.contains(what), "{found}");
    }
    assert!(
        !message.contains("eyJ"),
        "a secret is not repeated: {message}"
    );
}
