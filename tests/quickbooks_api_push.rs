//! A QuickBooks Online target with `[targets.api]` stages its customers, invoices, credit
//! memos and the run's payments as batch requests for Intuit's Accounting API, each of the
//! documented shape, the batch the golden one byte for byte. A push sends customers first,
//! then documents, then payments; fills QuickBooks' ids into the documents and payments
//! that name a customer or an invoice; keeps a refused record refused in QuickBooks' words
//! without holding up the others; adopts a number QuickBooks has already; gets through its
//! throttle, server errors and lost answers creating each record once — reading back by
//! number after a lost answer, as QuickBooks' `requestid` is known to be weak; writes the
//! ids to the ledger and the credentials nowhere; and a second push sends nothing.
//! `sluice check` reports every problem of the section with its key and line.
//!
//! Golden batch: tests/golden/quickbooks/api/; regenerate with `SLUICE_BLESS=1`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::quickbooks_mock::{Fault, QuickBooksMock, REALM, TOKEN};
use common::quickbooks_shape::batch_errors;
use common::{BANK_HEADER, CUSTOMER_SOURCE, Company, LINE_SOURCES, LINES_HEADER};
use serde_json::{Value, json};
use sluice::delivery::log;
use sluice::delivery::{self, PushOptions};
use sluice::outbox::{self, StagedRequest};
use sluice::pipeline::Pipeline;

const RUN: &str = "2026-10-31T18:00:00Z";
const BATCH: &str = "outbox/acme/qbo/20261031T180000Z-000001";

const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,19,3.80,20.00,service,,,29.15
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,7,0.35,5.00,hardware,,,29.15
INV-2,C2,,2026-10-02,2026-10-16,EUR,open,0,Fibre 50,1,8.90,19,1.69,8.90,service,,,10.59
CN-1,C2,,2026-10-04,,EUR,open,0,Outage credit,-1,4.99,19,-0.95,-4.99,service,,,-5.94
INV-4,C3,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,50.00,0,0.00,50.00,one-time,,,50.00
";

/// The pipeline; `one_time` is the product id the setup fee's category maps to.
fn pipeline_text(base_url: &str, one_time: &str) -> String {
    format!(
        r#"{LINE_SOURCES}{CUSTOMER_SOURCE}
[[targets]]
name = "qbo"
platform = "quickbooks"
edition = "online"

[targets.mapping]
contact_name = "{{name}} ({{id}})"
payment_account = "35"

[targets.mapping.categories]
service = "1"
hardware = "2"
one-time = "{one_time}"

[targets.mapping.tax_rates]
"19" = "3"
"7" = "4"
"0" = "5"

[targets.api]
base_url = "{base_url}"
realm_id = "{REALM}"
token_env = "TEST_QBO_TOKEN"
per_request = 2
"#
    )
}

fn company(base_url: &str, one_time: &str) -> (Company, Pipeline) {
    let company = Company::new();
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace O'Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}\
2026-10-20,2026-10-20,Ada Lovelace,,Rechnung INV-1,DB01,29.15,EUR,\n\
2026-10-21,2026-10-21,Grace O'Hopper,,Rechnung INV-2,DB02,10.59,EUR,\n\
2026-10-22,2026-10-22,Carla Nobody,,Rechnung INV-4 Einrichtung,SEPA-2026-10-22-000417,50.00,EUR,\n"
        ),
    );
    let pipeline = company.pipeline("keep", &pipeline_text(base_url, one_time));
    common::run_at(&pipeline, RUN);
    (company, pipeline)
}

fn env(name: &str) -> Option<String> {
    (name == "TEST_QBO_TOKEN").then(|| TOKEN.to_string())
}

fn quick() -> PushOptions {
    common::quick_push(4)
}

fn requests(batch: &Path) -> Vec<(String, StagedRequest)> {
    let mut found: Vec<(String, StagedRequest)> = fs::read_dir(batch)
        .expect("batch folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("quickbooks-") && name.ends_with(".json"))
        .map(|name| {
            let bytes = fs::read(batch.join(&name)).expect("request file");
            (
                name,
                StagedRequest::from_bytes(&bytes).expect("a staged request"),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn customers_documents_and_payments_are_staged_as_batches_of_the_documented_shape() {
    let (company, pipeline) = company("http://127.0.0.1:9", "3");
    let batch = company.path(BATCH);
    let staged = requests(&batch);
    let names: Vec<(&str, usize)> = staged
        .iter()
        .map(|(n, r)| (n.as_str(), r.records.len()))
        .collect();
    assert_eq!(
        names,
        [
            ("quickbooks-credit-memos-0001.json", 1),
            ("quickbooks-customers-0001.json", 2),
            ("quickbooks-customers-0002.json", 1),
            ("quickbooks-invoices-0001.json", 2),
            ("quickbooks-invoices-0002.json", 1),
            ("quickbooks-payments-0001.json", 2),
            ("quickbooks-payments-0002.json", 1),
        ],
        "the requests take the place of the CSV files"
    );
    for (name, request) in &staged {
        let (path, request_id) = request.path.split_once("&requestid=").expect("a requestid");
        assert_eq!(path, format!("/v3/company/{REALM}/batch?minorversion=75"));
        assert_eq!(request.method, "POST");
        assert_eq!(request.idempotency_key, request_id, "{name}");
        assert!(request_id.len() <= 36, "{name}");
        let body: Value = serde_json::from_str(request.body.get()).expect("JSON");
        assert_eq!(batch_errors(&body), Vec::<String>::new(), "{name}");
    }
    let keys: std::collections::BTreeSet<&str> = staged
        .iter()
        .map(|(_, r)| r.idempotency_key.as_str())
        .collect();
    assert_eq!(
        keys.len(),
        staged.len(),
        "a requestid of its own for each batch"
    );

    // QuickBooks' ids of the customer and the invoice are filled in at push.
    let invoices = staged[3].1.body.get();
    assert!(
        invoices.contains(r#""CustomerRef":{"value":"${remote:contact:C1}"}"#),
        "{invoices}"
    );
    assert!(
        invoices.contains(
            r#""ItemRef":{"value":"1"},"Qty":2,"UnitPrice":10.00,"TaxCodeRef":{"value":"3"}"#
        ),
        "{invoices}"
    );
    assert!(
        invoices.contains(r#""Amount":20.00"#),
        "amounts as written: {invoices}"
    );
    let payments = staged[5].1.body.get();
    assert!(
        payments
            .contains(r#""LinkedTxn":[{"TxnId":"${remote:invoice:INV-1}","TxnType":"Invoice"}]"#),
        "{payments}"
    );
    assert!(
        payments.contains(r#""DepositToAccountRef":{"value":"35"}"#),
        "{payments}"
    );
    // A bank reference longer than PaymentRefNum takes is kept whole in the note.
    let last = staged[6].1.body.get();
    assert!(
        last.contains(r#""PrivateNote":"Bank reference SEPA-2026-10-22-000417""#)
            && !last.contains("PaymentRefNum"),
        "{last}"
    );

    assert!(outbox::verify(&batch).expect("verify").is_intact());
    common::compare_with_golden(&batch, &common::repo().join("tests/golden/quickbooks/api"));
    // The ledger alone gives the same requests again, byte for byte.
    let replayed = outbox::replay(&pipeline, &batch, None).expect("replay");
    let comparison = outbox::compare(&replayed).expect("compare");
    assert!(comparison.is_identical(), "{comparison:?}");
}

#[test]
fn the_shape_check_refuses_what_quickbooks_would() {
    let good = json!({"BatchItemRequest": [{"bId": "1", "operation": "create", "Invoice": {
        "CustomerRef": {"value": "58"},
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": 20.00,
                  "SalesItemLineDetail": {"ItemRef": {"value": "1"}}}]
    }}]});
    assert_eq!(batch_errors(&good), Vec::<String>::new());
    let mut unknown = good.clone();
    unknown["BatchItemRequest"][0]["Invoice"]["InvoiceNumber"] = json!("INV-1");
    let mut missing = good.clone();
    missing["BatchItemRequest"][0]["Invoice"]
        .as_object_mut()
        .expect("an object")
        .remove("CustomerRef");
    let mut wrong_enum = good.clone();
    wrong_enum["BatchItemRequest"][0]["Invoice"]["Line"][0]["DetailType"] = json!("SalesLine");
    let mut long_bid = good.clone();
    long_bid["BatchItemRequest"][0]["bId"] = json!("invoice-0001");
    let mut text_amount = good.clone();
    text_amount["BatchItemRequest"][0]["Invoice"]["Line"][0]["Amount"] = json!("20.00");
    for (wrong, what) in [
        (unknown, "InvoiceNumber: not a field"),
        (missing, "CustomerRef: required"),
        (wrong_enum, "DetailType: one of"),
        (long_bid, "bId: 1 to 10 characters"),
        (text_amount, "Amount: a number expected"),
    ] {
        let errors = batch_errors(&wrong);
        assert!(
            errors.iter().any(|e| e.contains(what)),
            "{what}: {errors:?}"
        );
    }
}

#[test]
fn a_push_goes_in_order_fills_in_ids_adopts_keeps_refusals_and_creates_each_record_once() {
    let mock = QuickBooksMock::start(
        &[("INV-2", "45")],
        vec![Fault::RateLimit("1"), Fault::ServerError],
    );
    // The payments' answer is lost: resent under the same requestid, which this
    // QuickBooks honours.
    mock.fail_next("Payment", Fault::SlowAnswer(Duration::from_millis(1500)));
    // Product 9 does not exist: the setup fee's invoice is refused.
    let (company, pipeline) = company(&mock.base_url, "9");
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.stopped, None, "{report:?}");
    assert!(
        mock.refused_bodies().is_empty(),
        "{:?}",
        mock.refused_bodies()
    );
    let [batch] = report.batches.as_slice() else {
        panic!("one batch: {report:?}");
    };

    assert_eq!(
        mock.log(),
        [
            "POST batch Customer", // throttled
            "POST batch Customer", // server error
            "POST batch Customer",
            "POST batch Customer",
            "POST batch CreditMemo",
            "POST batch Invoice",
            "GET query Invoice", // INV-2: QuickBooks has it
            "POST batch Invoice",
            "POST batch Payment", // answer lost
            "POST batch Payment", // resent, same requestid
        ]
    );
    // Refused in QuickBooks' words, the rest delivered.
    assert_eq!(batch.refused.len(), 1, "{batch:?}");
    assert_eq!(batch.refused[0].0.id, "INV-4");
    assert!(
        batch.refused[0]
            .1
            .starts_with("Invalid Reference Id (2500): Invalid Reference Id : Item assigned"),
        "{}",
        batch.refused[0].1
    );
    let adopted: Vec<&str> = batch.adopted.iter().map(|(r, _)| r.id.as_str()).collect();
    assert_eq!(adopted, ["INV-2"]);
    assert!(
        batch.adopted[0]
            .1
            .contains("Duplicate Document Number Error (6140)")
    );
    // The payment on the refused invoice waits for it; the others went.
    assert_eq!(batch.waiting, 1);
    assert!(
        batch.held_back[0]
            .1
            .contains("invoice INV-4, which QuickBooks Online does not have yet"),
        "{:?}",
        batch.held_back
    );
    assert_eq!(
        (batch.delivered, batch.requests_answered),
        (3 + 1 + 2 + 2, 6)
    );

    // Each record created once, though requests went again.
    let names =
        |kind: &str| -> Vec<String> { mock.entities(kind).into_iter().map(|e| e.name).collect() };
    assert_eq!(
        names("Customer"),
        [
            "Ada Lovelace (C1)",
            "Grace O'Hopper (C2)",
            "Carla Nobody (C3)"
        ]
    );
    assert_eq!(
        names("Invoice"),
        ["INV-2", "INV-1"],
        "INV-2 was there already"
    );
    assert_eq!(names("CreditMemo"), ["CN-1"]);
    let customers = mock.entities("Customer");
    let invoices = mock.entities("Invoice");
    let payments = mock.entities("Payment");
    assert_eq!(payments.len(), 2);
    // The ids QuickBooks gave are what the documents and payments name.
    let links: Vec<(String, String)> = payments
        .iter()
        .map(|p| {
            (
                p.body["CustomerRef"]["value"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                p.body["Line"][0]["LinkedTxn"][0]["TxnId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (customers[0].id.clone(), invoices[1].id.clone()),
            (customers[1].id.clone(), "45".to_string()),
        ]
    );
    assert_eq!(
        invoices[1].body["CustomerRef"]["value"],
        json!(customers[0].id)
    );

    // The log says what was filled in; the ledger holds QuickBooks' ids.
    let dir = company.path(BATCH);
    let attempts = log::read(&dir).expect("delivery log");
    let filled = attempts
        .iter()
        .find(|a| {
            a.request == "quickbooks-payments-0001.json" && a.outcome == log::Outcome::Answered
        })
        .expect("the payments answered");
    assert_eq!(filled.resolved["invoice:INV-2"], "45");
    assert_eq!(filled.resolved["contact:C1"], customers[0].id);
    let payment_keys: std::collections::BTreeSet<&str> = attempts
        .iter()
        .filter(|a| a.request == "quickbooks-payments-0001.json")
        .map(|a| a.idempotency_key.as_str())
        .collect();
    assert_eq!(payment_keys.len(), 1, "one requestid for every attempt");
    let facts = company.ledger();
    let mut in_ledger: Vec<(&str, &str, &str)> = facts
        .remote_ids
        .iter()
        .map(|r| (r.kind.as_str(), r.record_id.as_str(), r.remote_id.as_str()))
        .filter(|(kind, _, _)| *kind != "payment")
        .collect();
    in_ledger.sort();
    assert_eq!(
        in_ledger,
        [
            ("contact", "C1", customers[0].id.as_str()),
            ("contact", "C2", customers[1].id.as_str()),
            ("contact", "C3", customers[2].id.as_str()),
            (
                "credit-note",
                "CN-1",
                mock.entities("CreditMemo")[0].id.as_str()
            ),
            ("invoice", "INV-1", invoices[1].id.as_str()),
            ("invoice", "INV-2", "45"),
        ]
    );
    assert_eq!(facts.remote_ids.len(), 6 + 2);
    assert_eq!(report.remote_ids_recorded, 8);

    // A second push sends nothing: every request has its answer, and the payment on the
    // refused invoice still waits for it.
    let before = mock.requests();
    let again = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(mock.requests(), before);
    assert_eq!(again.batches[0].delivered, 0);
    assert_eq!(again.batches[0].waiting, 1);
    assert!(outbox::verify(&dir).expect("verify").is_intact());

    // No credential is written anywhere: outbox, ledger, log.
    for file in walk(company.dir.path()) {
        let bytes = fs::read(&file).expect("read");
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "{}",
            file.display()
        );
    }
}

#[test]
fn after_a_lost_answer_what_quickbooks_created_is_read_back_not_created_again() {
    let mock = QuickBooksMock::start(&[], Vec::new());
    // This QuickBooks carries a resent requestid out again and takes a number twice: a
    // resend would duplicate.
    mock.weak_request_ids();
    mock.allow_duplicate_numbers();
    mock.fail_next("Customer", Fault::SlowAnswer(Duration::from_millis(1500)));
    mock.fail_next("Invoice", Fault::SlowAnswer(Duration::from_millis(1500)));
    let (company, pipeline) = company(&mock.base_url, "3");
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(report.complete(), "{report:?}");
    let count = |kind: &str| mock.entities(kind).len();
    assert_eq!(
        (
            count("Customer"),
            count("Invoice"),
            count("CreditMemo"),
            count("Payment")
        ),
        (3, 3, 1, 3),
        "exactly one of each"
    );
    let log = mock.log();
    let sent = |what: &str| log.iter().filter(|l| l.as_str() == what).count();
    assert_eq!(sent("POST batch Customer"), 2, "{log:?}");
    assert_eq!(sent("POST batch Invoice"), 2, "{log:?}");
    assert_eq!(sent("GET query Customer"), 2, "{log:?}");
    assert_eq!(sent("GET query Invoice"), 2, "{log:?}");

    let attempts = log::read(&company.path(BATCH)).expect("delivery log");
    let first_invoices: Vec<(u32, log::Outcome)> = attempts
        .iter()
        .filter(|a| a.request == "quickbooks-invoices-0001.json")
        .map(|a| (a.attempt, a.outcome))
        .collect();
    assert_eq!(
        first_invoices,
        [(1, log::Outcome::Retry), (2, log::Outcome::Answered)]
    );
    let read_back: Vec<&str> = attempts
        .iter()
        .flat_map(|a| &a.records)
        .filter(|r| r.adopted.starts_with("read back from QuickBooks Online"))
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(read_back, ["C1", "C2", "INV-1", "INV-2"]);
    let ids = company.ledger().remote_ids;
    assert_eq!(ids.len(), 3 + 3 + 1 + 3);
    let invoice_ids: Vec<String> = mock.entities("Invoice").into_iter().map(|e| e.id).collect();
    let mut in_ledger: Vec<String> = ids
        .iter()
        .filter(|r| r.kind == "invoice")
        .map(|r| r.remote_id.clone())
        .collect();
    in_ledger.sort();
    let mut created = invoice_ids.clone();
    created.sort();
    assert_eq!(in_ledger, created);
}

#[test]
fn check_reports_each_problem_of_the_api_section_with_its_key_and_line() {
    let company = Company::new();
    let path = company.path("pipeline.toml");
    let text = format!(
        "name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{}",
        pipeline_text("quickbooks.api.intuit.com", "Setup fee")
            .replace(
                &format!("realm_id = \"{REALM}\""),
                "realm_id = \"acme-company\"\ntenant_env = \"T\""
            )
            .replace("per_request = 2", "per_request = 50")
            .replace("\"19\" = \"3\"", "\"19\" = \"19.0% S\"")
            .replace("payment_account = \"35\"", "payment_account = \"Checking\"")
    );
    fs::write(&path, &text).expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("the section is refused")
        .to_string();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{needle} not in the pipeline"))
    };
    for (needle, key, what) in [
        ("base_url", "targets[0].api.base_url", "is no web address"),
        (
            "realm_id",
            "targets[0].api.realm_id",
            "is not a QuickBooks company id",
        ),
        ("tenant_env", "targets[0].api.tenant_env", "is Xero's"),
        (
            "per_request",
            "targets[0].api.per_request",
            "not from 1 to 30",
        ),
        (
            "one-time",
            "targets[0].mapping.categories.\"one-time\"",
            "select Id, Name from Item",
        ),
        ("\"19\"", "targets[0].mapping.tax_rates.\"19\"", "TAX / NON"),
        (
            "payment_account",
            "targets[0].mapping.payment_account",
            "from Account",
        ),
    ] {
        let expected = format!(":{}: {key}: ", line_of(needle));
        assert!(
            message
                .lines()
                .any(|l| l.contains(&expected) && l.contains(what)),
            "{expected}… {what}:\n{message}"
        );
    }

    // A desktop target has no API; a missing realm and token are named.
    let desktop = format!(
        "name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{LINE_SOURCES}
[[targets]]
name = \"qbd\"
platform = \"quickbooks\"
edition = \"desktop\"

[targets.mapping]
payment_account = \"Undeposited Funds\"

[targets.api]
per_request = 5

[[targets]]
name = \"qbo\"
platform = \"quickbooks\"

[targets.mapping]
payment_account = \"35\"

[targets.api]
per_request = 5
"
    );
    fs::write(&path, &desktop).expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("refused")
        .to_string();
    assert!(
        message.contains("targets[0].api: QuickBooks Desktop has no web API"),
        "{message}"
    );
    assert!(
        message.contains("targets[1].api.realm_id: is missing"),
        "{message}"
    );
    assert!(
        message.contains("targets[1].api.token_env: is missing"),
        "{message}"
    );
}

#[test]
fn a_payment_on_a_held_invoice_is_staged_apart_and_names_it() {
    let company = Company::new();
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace O'Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}\
2026-10-20,2026-10-20,Ada Lovelace,,Rechnung INV-1,DB01,29.15,EUR,\n\
2026-10-22,2026-10-22,Carla Nobody,,Rechnung INV-4,DB03,50.00,EUR,\n"
        ),
    );
    // The mapping lacks the setup fee's category: INV-4 is held, and its payment waits.
    let text = pipeline_text("http://127.0.0.1:9", "3").replace("one-time = \"3\"\n", "");
    let pipeline = company.pipeline("keep", &text);
    let summary = common::run_at(&pipeline, RUN);
    assert_eq!(summary.held_documents.len(), 1);
    let staged = requests(&company.path(BATCH));
    let payments: Vec<(&str, &[String], usize)> = staged
        .iter()
        .filter(|(n, _)| n.starts_with("quickbooks-payments"))
        .map(|(n, r)| (n.as_str(), r.needs.as_slice(), r.records.len()))
        .collect();
    assert_eq!(
        payments,
        [
            ("quickbooks-payments-0001.json", &[][..], 1),
            (
                "quickbooks-payments-0002.json",
                &["INV-4".to_string()][..],
                1
            ),
        ]
    );
    // The held invoice itself is in no request.
    assert!(
        staged
            .iter()
            .flat_map(|(_, r)| &r.records)
            .all(|record| record.kind == "payment" || record.id != "INV-4")
    );
}
