//! Money that pays no invoice reaches Xero's bank account too: a customer's credit as a Xero
//! overpayment (`RECEIVE-OVERPAYMENT` for their contact), a difference within the tolerance
//! as a bank transaction to `difference_account` — bodies Xero's specification accepts,
//! pushed after the payments they go with.

mod common;

use std::fs;
use std::time::Duration;

use common::xero_mock::{TENANT, TOKEN, XeroMock};
use common::xero_spec::{XeroSpec, errors};
use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER};
use sluice::delivery::{self, PushOptions};
use sluice::outbox::StagedRequest;

const BATCH: &str = "outbox/acme/xero/20261031T180000Z-000001";

fn env(name: &str) -> Option<String> {
    match name {
        "TEST_XERO_TOKEN" => Some(TOKEN.to_string()),
        "TEST_XERO_TENANT" => Some(TENANT.to_string()),
        _ => None,
    }
}

#[test]
fn credit_and_differences_become_xero_bank_transactions() {
    let mock = XeroMock::start(&["INV-2026-0001", "INV-2026-0002"], Vec::new());
    let company = Company::new();
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}\
INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,29.90,EUR,open\n\
INV-2026-0002,C2,Alan Turing,2026-10-01,2026-10-15,39.90,EUR,open\n"
        ),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}\
2026-10-03,2026-10-03,Ada Lovelace,,Rechnung INV-2026-0001,DB01,29.88,EUR,\n\
2026-10-04,2026-10-04,Alan Turing,,Rechnung INV-2026-0002,DB02,50.00,EUR,\n"
        ),
    );
    let pipeline = company.pipeline(
        "keep",
        &format!(
            r#"{DEMO_SOURCES}
[targets.mapping]
payment_account = "090"

[targets.api]
base_url = "{}"
token_env = "TEST_XERO_TOKEN"
tenant_env = "TEST_XERO_TENANT"
difference_account = "460"

[reconcile]
tolerance = "0.05"
tolerance_account = "6855 Rounding"
"#,
            mock.base_url
        ),
    );
    common::run_at(&pipeline, "2026-10-31T18:00:00Z");
    let batch = company.path(BATCH);
    let request = StagedRequest::from_bytes(
        &fs::read(batch.join("xero-bank-transactions-0001.json")).expect("staged"),
    )
    .expect("a request");
    let kinds: Vec<(&str, &str)> = request
        .records
        .iter()
        .map(|r| (r.kind.as_str(), r.document.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [("difference", "INV-2026-0001"), ("overpayment", "")],
        "in the order the money moved"
    );
    let body: serde_json::Value = serde_json::from_str(request.body.get()).expect("JSON");
    assert_eq!(
        errors(
            &XeroSpec::load().validator("put", "/BankTransactions"),
            &body
        ),
        Vec::<String>::new()
    );
    let text = request.body.get();
    assert!(
        text.contains(r#""Type":"SPEND""#)
            && text.contains(r#""LineAmount":0.02,"AccountCode":"460""#),
        "Ada paid 0.02 less: {text}"
    );
    assert!(
        text.contains(r#""Type":"RECEIVE-OVERPAYMENT","Contact":{"Name":"Alan Turing (C2)"}"#)
            && text.contains(r#""LineAmount":10.10}"#),
        "Alan's 10.10 beyond his invoice is his credit: {text}"
    );

    let report = delivery::push(
        &pipeline,
        &PushOptions {
            timeout: Duration::from_millis(500),
            backoff: Duration::from_millis(10),
            ..PushOptions::default()
        },
        &env,
    )
    .expect("push");
    assert!(report.complete(), "{report:?}");
    assert!(mock.refused_bodies().is_empty());
    let log = mock.log();
    let payments = log
        .iter()
        .position(|l| l == "PUT Payments")
        .expect("payments");
    let transactions = log
        .iter()
        .position(|l| l == "PUT BankTransactions")
        .expect("bank transactions");
    assert!(payments < transactions, "{log:?}");
}
