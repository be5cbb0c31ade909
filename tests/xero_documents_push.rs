//! A Xero target with `[targets.api] documents = "api"` stages its contacts, invoices and
//! credit notes as requests to Xero's Accounting API, beside the payments, in place of the
//! CSV imports: every body is what Xero's own specification accepts, and the batch is the
//! golden one byte for byte. A push sends the contacts first, then the documents, then the
//! payments; a document whose number Xero has already is looked up and its id adopted; a
//! request that gets no answer holds back everything after it, so a payment never reaches
//! Xero before its invoice. `sluice check` refuses tax rates written as names, which only
//! the CSV import reads.
//!
//! Golden batch: tests/golden/xero/api-documents/; regenerate with `SLUICE_BLESS=1`.

mod common;

use std::fs;
use std::path::Path;

use common::xero_mock::{TENANT, TOKEN, XeroMock};
use common::xero_spec::{XeroSpec, errors};
use common::{BANK_HEADER, CUSTOMER_SOURCE, Company, LINE_SOURCES, LINES_HEADER};
use sluice::delivery::log;
use sluice::delivery::{self, PushOptions};
use sluice::outbox::StagedRequest;
use sluice::pipeline::Pipeline;

const RUN: &str = "2026-10-31T18:00:00Z";
const BATCH: &str = "outbox/acme/xero/20261031T180000Z-000001";

const LINES: &str = "\
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Fibre 100,2,10.00,19,3.80,20.00,service,,,29.15
INV-1,C1,,2026-10-01,2026-10-15,EUR,open,0,Router,1,5.00,7,0.35,5.00,hardware,,,29.15
INV-2,C2,,2026-10-02,2026-10-16,EUR,open,0,Fibre 50,1,8.90,19,1.69,8.90,service,,,10.59
CN-1,C2,,2026-10-04,,EUR,open,0,Outage credit,-1,4.99,19,-0.95,-4.99,service,,,-5.94
INV-4,C3,Carla Nobody,2026-10-05,2026-10-19,EUR,open,0,Setup fee,1,50.00,0,0.00,50.00,one-time,,,50.00
";

fn pipeline_text(base_url: &str, tax_rates: &str) -> String {
    format!(
        r#"{LINE_SOURCES}{CUSTOMER_SOURCE}
[[targets]]
name = "xero"
platform = "xero"

[targets.mapping]
contact_name = "{{name}} ({{id}})"
payment_account = "090"

[targets.mapping.categories]
service = "200"
hardware = "210"
one-time = "220"

[targets.mapping.items]
hardware = "ROUTER"

[targets.mapping.tax_rates]
{tax_rates}

[targets.api]
base_url = "{base_url}"
token_env = "TEST_XERO_TOKEN"
tenant_env = "TEST_XERO_TENANT"
per_request = 2
documents = "api"
"#
    )
}

const TAX_TYPES: &str = r#""19" = "OUTPUT2"
"7" = "OUTPUT"
"0" = "ZERORATEDOUTPUT""#;

fn company(base_url: &str) -> (Company, Pipeline) {
    let company = Company::new();
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}\
2026-10-20,2026-10-20,Ada Lovelace,,Rechnung INV-1,DB01,29.15,EUR,\n\
2026-10-21,2026-10-21,Grace Hopper,,Rechnung INV-2,DB02,10.59,EUR,\n"
        ),
    );
    let pipeline = company.pipeline("keep", &pipeline_text(base_url, TAX_TYPES));
    common::run_at(&pipeline, RUN);
    (company, pipeline)
}

fn env(name: &str) -> Option<String> {
    match name {
        "TEST_XERO_TOKEN" => Some(TOKEN.to_string()),
        "TEST_XERO_TENANT" => Some(TENANT.to_string()),
        _ => None,
    }
}

fn quick() -> PushOptions {
    common::quick_push(3)
}

fn files(batch: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(batch)
        .expect("batch folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn contacts_invoices_and_credit_notes_are_staged_as_requests_the_specification_accepts() {
    let (company, pipeline) = company("http://127.0.0.1:9");
    let batch = company.path(BATCH);
    assert_eq!(
        files(&batch),
        [
            "manifest.json",
            "xero-bank-statement-DE89370400440532013000-EUR.csv",
            "xero-contacts-0001.json",
            "xero-contacts-0002.json",
            "xero-credit-notes-0001.json",
            "xero-invoices-0001.json",
            "xero-invoices-0002.json",
            "xero-payments-0001.json",
        ]
    );
    let spec = XeroSpec::load();
    for name in files(&batch).iter().filter(|n| n.ends_with(".json")) {
        if name == "manifest.json" {
            continue;
        }
        let request = StagedRequest::from_bytes(&fs::read(batch.join(name)).expect("request"))
            .expect("a staged request");
        let operation = request
            .path
            .trim_start_matches("/api.xro/2.0")
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        let validator = spec.validator(&request.method.to_lowercase(), &operation);
        let body: serde_json::Value = serde_json::from_str(request.body.get()).expect("JSON");
        assert_eq!(errors(&validator, &body), Vec::<String>::new(), "{name}");
    }
    let invoices = fs::read_to_string(batch.join("xero-invoices-0001.json")).expect("invoices");
    // Tax by its code, the billing system's VAT to the cent, amounts never through a float.
    assert!(invoices.contains(r#""TaxType":"OUTPUT2""#), "{invoices}");
    assert!(invoices.contains(r#""TaxAmount":3.80"#), "{invoices}");
    assert!(invoices.contains(r#""Status":"AUTHORISED""#), "{invoices}");
    common::compare_with_golden(
        &batch,
        &common::repo().join("tests/golden/xero/api-documents"),
    );
    // The ledger alone gives the same requests again, byte for byte.
    let replayed = sluice::outbox::replay(&pipeline, &batch, None).expect("replay");
    let comparison = sluice::outbox::compare(&replayed).expect("compare");
    assert!(comparison.is_identical(), "{comparison:?}");
}

#[test]
fn a_push_sends_contacts_then_documents_then_payments_and_adopts_a_number_xero_has() {
    let mock = XeroMock::start_with(&[], &[("INV-2", "xero-has-inv-2")], Vec::new());
    let (company, pipeline) = company(&mock.base_url);
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert_eq!(report.stopped, None, "{report:?}");
    assert!(report.complete(), "{report:?}");
    assert!(
        mock.refused_bodies().is_empty(),
        "{:?}",
        mock.refused_bodies()
    );
    let adopted: Vec<&str> = report.batches[0]
        .adopted
        .iter()
        .map(|(r, _)| r.id.as_str())
        .collect();
    assert_eq!(adopted, ["INV-2"]);
    let order = mock.log();
    assert_eq!(
        order,
        [
            "POST Contacts",
            "POST Contacts",
            "PUT CreditNotes",
            "PUT Invoices",
            "GET Invoices",
            "PUT Invoices",
            "PUT Payments",
        ]
    );
    let created: Vec<String> = mock
        .documents()
        .iter()
        .map(|(collection, record)| {
            let number = record
                .get("InvoiceNumber")
                .or(record.get("CreditNoteNumber"))
                .or(record.get("Name"))
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            format!("{collection} {number}")
        })
        .collect();
    assert_eq!(
        created,
        [
            "Contacts Ada Lovelace (C1)",
            "Contacts Grace Hopper (C2)",
            "Contacts Carla Nobody (C3)",
            "CreditNotes CN-1",
            "Invoices INV-1",
            "Invoices INV-4",
        ],
        "INV-2 is not created again"
    );
    assert_eq!(mock.created().len(), 2, "both payments");

    // The log says INV-2 was adopted, with Xero's words; the ledger holds Xero's id.
    let attempts = log::read(&company.path(BATCH)).expect("delivery log");
    let adopted: Vec<(&str, &str, &str)> = attempts
        .iter()
        .flat_map(|a| &a.records)
        .filter(|r| !r.adopted.is_empty())
        .map(|r| (r.id.as_str(), r.remote_id.as_str(), r.adopted.as_str()))
        .collect();
    assert_eq!(
        adopted,
        [("INV-2", "xero-has-inv-2", "Invoice # must be unique.")]
    );
    let ids = company.ledger().remote_ids;
    let inv2: Vec<(&str, &str)> = ids
        .iter()
        .filter(|r| r.document == "INV-2")
        .map(|r| (r.kind.as_str(), r.remote_id.as_str()))
        .collect();
    assert!(inv2.contains(&("invoice", "xero-has-inv-2")), "{inv2:?}");
    assert_eq!(ids.len(), 3 + 4 + 2, "contacts, documents and payments");

    // Everything is answered: a second push sends nothing.
    let before = mock.log().len();
    let again = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(again.complete());
    assert_eq!(mock.log().len(), before);
}

#[test]
fn a_document_request_without_an_answer_holds_back_the_payments() {
    let mock = XeroMock::start_with(&[], &[], Vec::new());
    let (company, pipeline) = company(&mock.base_url);
    // The credit notes, the first documents sent, meet server errors until the push gives up.
    mock.fail("CreditNotes", 3);
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    let stopped = report
        .stopped
        .clone()
        .expect("the push stops for the target");
    assert!(stopped.contains("xero-credit-notes-0001.json"), "{stopped}");
    assert!(stopped.contains("what follows it wait"), "{stopped}");
    assert_eq!(
        mock.log(),
        [
            "POST Contacts",
            "POST Contacts",
            "PUT CreditNotes",
            "PUT CreditNotes",
            "PUT CreditNotes",
        ]
    );
    let waiting: usize = report.batches.iter().map(|b| b.waiting).sum();
    assert_eq!(
        waiting,
        1 + 3 + 2,
        "the credit note, the invoices and the payments"
    );
    let attempts = log::read(&company.path(BATCH)).expect("delivery log");
    assert_eq!(
        attempts.last().map(|a| (a.request.as_str(), a.outcome)),
        Some(("xero-credit-notes-0001.json", log::Outcome::GaveUp))
    );

    // The next push, with Xero well again, goes on where it stopped, in order.
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(report.complete(), "{report:?}");
    assert_eq!(
        mock.log()[5..],
        [
            "PUT CreditNotes",
            "PUT Invoices",
            "PUT Invoices",
            "PUT Payments"
        ]
    );
    assert_eq!(mock.created().len(), 2);
}

#[test]
fn check_refuses_tax_rate_names_and_documents_by_api_without_a_mapping() {
    let company = Company::new();
    let names = r#""19" = "19% (VAT on Income)"
"7" = "OUTPUT""#;
    let path = company.path("pipeline.toml");
    fs::write(
        &path,
        format!(
            "name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{}",
            pipeline_text("http://127.0.0.1:9", names)
        ),
    )
    .expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("a tax rate's name is refused")
        .to_string();
    assert!(
        message.contains("targets[0].mapping.tax_rates.\"19\""),
        "{message}"
    );
    assert!(message.contains("Xero's API takes its code"), "{message}");
    assert!(!message.contains("tax_rates.\"7\""), "{message}");

    let without_mapping = format!(
        "name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{LINE_SOURCES}
[[targets]]
name = \"xero\"
platform = \"xero\"

[targets.api]
token_env = \"T\"
tenant_env = \"U\"
documents = \"by post\"
"
    );
    fs::write(&path, &without_mapping).expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("an unknown way is refused")
        .to_string();
    assert!(message.contains("targets[0].api.documents"), "{message}");
    assert!(message.contains("\"by post\""), "{message}");
    fs::write(&path, without_mapping.replace("by post", "api")).expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("documents by API need a mapping")
        .to_string();
    assert!(message.contains("has none: add one"), "{message}");
}

#[test]
fn a_payment_on_a_held_invoice_waits_until_xero_has_the_invoice() {
    let mock = XeroMock::start_with(&[], &[], Vec::new());
    let company = Company::new();
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
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
    // The mapping lacks the setup fee's category: INV-4 is held, and so is its payment.
    let full = pipeline_text(&mock.base_url, TAX_TYPES);
    let lacking = full.replace("one-time = \"220\"\n", "");
    let pipeline = company.pipeline("keep", &lacking);
    let first = common::run_at(&pipeline, RUN);
    assert_eq!(first.held_documents.len(), 1, "{:?}", first.held_documents);
    assert_eq!(
        first.batches[0].waiting,
        [(1, vec!["INV-4".to_string()])],
        "the summary says what waits for the held invoice"
    );
    let batch = company.path(BATCH);
    let kept: StagedRequest = StagedRequest::from_bytes(
        &fs::read(batch.join("xero-payments-0002.json")).expect("request"),
    )
    .expect("a staged request");
    assert_eq!(kept.needs, ["INV-4"]);
    assert_eq!(kept.records.len(), 1);

    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(!report.complete());
    assert_eq!(report.stopped, None, "a kept-back request stops nothing");
    let [b] = report.batches.as_slice() else {
        panic!("one batch: {report:?}");
    };
    assert_eq!((b.delivered, b.waiting), (2 + 3 + 1, 1), "{b:?}");
    assert_eq!(b.held_back.len(), 1);
    assert!(
        b.held_back[0].1.contains("INV-4 is held for target xero"),
        "{b:?}"
    );
    assert_eq!(mock.created().len(), 1, "only the payment on INV-1");

    // The pipeline names the category: the next run stages INV-4, and one push delivers
    // the invoice and then the payment that waited for it.
    let pipeline = company.pipeline("keep", &full);
    common::run_at(&pipeline, "2026-11-01T02:00:00Z");
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(report.complete(), "{report:?}");
    let created: Vec<String> = mock
        .created()
        .iter()
        .map(|p| {
            p["Invoice"]["InvoiceNumber"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(created, ["INV-1", "INV-4"]);
    let order = mock.log();
    let invoice_at = order
        .iter()
        .rposition(|l| l == "PUT Invoices")
        .expect("INV-4 sent");
    let payment_at = order
        .iter()
        .rposition(|l| l == "PUT Payments")
        .expect("paid");
    assert!(invoice_at < payment_at, "{order:?}");
}

#[test]
fn with_numbers_by_xero_payments_name_the_invoice_by_xeros_id() {
    let mock = XeroMock::start_with(&[], &[], Vec::new());
    let company = Company::new();
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}2026-10-20,2026-10-20,Ada Lovelace,,Rechnung INV-1,DB01,29.15,EUR,\n"
        ),
    );
    let text = pipeline_text(&mock.base_url, TAX_TYPES).replace(
        "contact_name = \"{name} ({id})\"",
        "contact_name = \"{name} ({id})\"\nnumbers = \"xero\"",
    );
    let pipeline = company.pipeline("keep", &text);
    common::run_at(&pipeline, RUN);
    let batch = company.path(BATCH);
    let invoices = fs::read_to_string(batch.join("xero-invoices-0001.json")).expect("invoices");
    assert!(!invoices.contains("InvoiceNumber"), "{invoices}");
    assert!(invoices.contains(r#""Reference":"INV-1""#), "{invoices}");
    let payment: StagedRequest = StagedRequest::from_bytes(
        &fs::read(batch.join("xero-payments-0001.json")).expect("payment"),
    )
    .expect("a request");
    assert!(
        payment
            .body
            .get()
            .contains(r#""Invoice":{"InvoiceID":"${remote:invoice:INV-1}"}"#),
        "{}",
        payment.body.get()
    );
    let spec = XeroSpec::load();
    for (name, operation) in [
        ("xero-invoices-0001.json", "/Invoices"),
        ("xero-payments-0001.json", "/Payments"),
    ] {
        let request = StagedRequest::from_bytes(&fs::read(batch.join(name)).expect("request"))
            .expect("request");
        let body: serde_json::Value = serde_json::from_str(request.body.get()).expect("JSON");
        assert_eq!(
            errors(&spec.validator("put", operation), &body),
            Vec::<String>::new(),
            "{name}"
        );
    }

    // The push fills Xero's id of INV-1 into the payment, and logs it.
    let report = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(report.complete(), "{report:?}");
    let sent = mock.created();
    assert_eq!(sent.len(), 1);
    let id = sent[0]["Invoice"]["InvoiceID"]
        .as_str()
        .expect("an id")
        .to_string();
    assert!(id.starts_with("00000000-"), "{id}");
    let attempts = log::read(&batch).expect("log");
    let resolved = attempts
        .iter()
        .find(|a| a.request == "xero-payments-0001.json")
        .map(|a| a.resolved.clone())
        .expect("the payment's attempt");
    assert_eq!(resolved.get("invoice:INV-1"), Some(&id));

    // Letting Xero number is for documents through the API only.
    let files = pipeline_text(&mock.base_url, TAX_TYPES)
        .replace(
            "contact_name = \"{name} ({id})\"",
            "contact_name = \"{name} ({id})\"\nnumbers = \"xero\"",
        )
        .replace("documents = \"api\"\n", "");
    let path = company.path("pipeline.toml");
    fs::write(
        &path,
        format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{files}"),
    )
    .expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("refused")
        .to_string();
    assert!(message.contains("targets[0].mapping.numbers"), "{message}");
}

#[test]
fn what_xero_says_it_takes_holds_documents_it_would_refuse() {
    let mock = XeroMock::start_with(&[], &[], Vec::new());
    mock.answer_get(
        "Organisation",
        r#"{"Organisations":[{"Name":"Acme","PeriodLockDate":"/Date(1790812800000+0000)/","EndOfYearLockDate":"/Date(1774915200000+0000)/"}]}"#,
    );
    mock.answer_get(
        "TaxRates",
        r#"{"TaxRates":[
            {"Name":"19% (VAT on Income)","TaxType":"OUTPUT2","Status":"ACTIVE","CanApplyToRevenue":true,"EffectiveRate":19.0},
            {"Name":"7% (VAT on Income)","TaxType":"OUTPUT","Status":"ACTIVE","CanApplyToRevenue":true},
            {"Name":"Zero Rated Income","TaxType":"ZERORATEDOUTPUT","Status":"ARCHIVED","CanApplyToRevenue":true}]}"#,
    );
    mock.answer_get(
        "Accounts",
        r#"{"Accounts":[
            {"Code":"200","Name":"Sales","Status":"ACTIVE","Class":"REVENUE","Type":"REVENUE"},
            {"Code":"210","Name":"Hardware purchases","Status":"ACTIVE","Class":"EXPENSE","Type":"DIRECTCOSTS"},
            {"Code":"220","Name":"Setup fees","Status":"ACTIVE","Class":"REVENUE","Type":"SALES"},
            {"Name":"Bank without code","Status":"ACTIVE","Class":"ASSET","Type":"BANK"}]}"#,
    );
    let company = Company::new();
    company.drop_customers(&[("C1", "Ada Lovelace"), ("C2", "Grace Hopper")]);
    company.drop_file(
        "invoice-lines-2026-10.csv",
        format!("{LINES_HEADER}{LINES}"),
    );
    let pipeline = company.pipeline("keep", &pipeline_text(&mock.base_url, TAX_TYPES));
    let written = sluice::delivery::pull::fetch_settings(
        &pipeline,
        None,
        &quick(),
        &env,
        common::at("2026-10-31T17:00:00Z"),
    )
    .expect("settings fetched");
    assert_eq!(written, [company.path("ledger/platform/xero.json")]);

    let summary = common::run_at(&pipeline, RUN);
    let held: Vec<(&str, &str)> = summary
        .held_documents
        .iter()
        .map(|h| (h.document.as_str(), h.reason.as_str()))
        .collect();
    assert_eq!(held.len(), 2, "{held:?}");
    let (_, inv1) = held
        .iter()
        .find(|(d, _)| *d == "INV-1")
        .expect("INV-1 held");
    assert!(
        inv1.contains("inside the period Xero has locked (up to 2026-10-01"),
        "{inv1}"
    );
    assert!(
        inv1.contains(
            "Xero's account 210 (Hardware purchases) is not a revenue account but expense"
        ),
        "{inv1}"
    );
    let (_, inv4) = held
        .iter()
        .find(|(d, _)| *d == "INV-4")
        .expect("INV-4 held");
    assert!(
        inv4.contains("Xero's tax type ZERORATEDOUTPUT (Zero Rated Income) is archived"),
        "{inv4}"
    );
    assert!(summary.held_documents[0].fix.contains("sluice pull"));
    let batch = company.path(BATCH);
    let invoices = fs::read_to_string(batch.join("xero-invoices-0001.json")).expect("invoices");
    assert!(
        invoices.contains("INV-2") && !invoices.contains("INV-1\""),
        "{invoices}"
    );
}
