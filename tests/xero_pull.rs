//! `sluice pull`, the import direction: payments received in Xero that sluice did not push
//! (Xero's own bank feed) are taken into the inbox as a `xero_payments` file, the next run
//! places them on the invoices they pay, and nothing echoes — the payments sluice pushed are
//! never pulled back, and the payments pulled are never pushed. A second pull finds nothing
//! new. `sluice check` insists the pulled account is one the target never exports.

mod common;

use std::fs;

use common::xero_mock::{TENANT, TOKEN, XeroMock};
use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER};
use sluice::delivery::{self, PushOptions, pull};
use sluice::model::MatchKind;

const INVOICES: &[(&str, &str, &str, &str)] = &[
    ("INV-2026-0001", "C1", "Ada Lovelace", "29.90"),
    ("INV-2026-0002", "C2", "Alan Turing", "39.90"),
    ("INV-2026-0003", "C3", "Grace Hopper", "49.90"),
];

fn pipeline_text(base_url: &str, never_export: &str) -> String {
    format!(
        r#"{DEMO_SOURCES}
[targets.mapping]
payment_account = "090"
never_export = [{never_export}]
payment_direction = "both"

[targets.api]
base_url = "{base_url}"
token_env = "TEST_XERO_TOKEN"
tenant_env = "TEST_XERO_TENANT"

[[sources]]
name = "xero-received"
format = "xero_payments"
files = ["xero-payments-*.jsonl"]
account = "Xero 090"
target = "xero"
import_from = 2026-10-01
"#
    )
}

fn env(name: &str) -> Option<String> {
    match name {
        "TEST_XERO_TOKEN" => Some(TOKEN.to_string()),
        "TEST_XERO_TENANT" => Some(TENANT.to_string()),
        _ => None,
    }
}

fn quick() -> PushOptions {
    common::quick_push(5)
}

/// A payment as Xero's `GET /Payments` writes it (the shape of the specification's example).
fn received(id: &str, kind: &str, status: &str, invoice: &str, amount: &str) -> String {
    format!(
        r#"{{
      "PaymentID": "{id}",
      "Date": "/Date(1792022400000+0000)/",
      "BankAmount": {amount},
      "Amount": {amount},
      "Reference": "paid at the counter",
      "CurrencyRate": 1.0,
      "PaymentType": "{kind}",
      "Status": "{status}",
      "Account": {{ "AccountID": "5690f1e8-1d02-4893-90c2-ee1a69eff942", "Code": "090" }},
      "Invoice": {{
        "Type": "ACCREC",
        "InvoiceNumber": "{invoice}",
        "Contact": {{ "ContactID": "a3675fc4", "Name": "Alan Turing" }},
        "CurrencyCode": "EUR"
      }}
    }}"#
    )
}

fn at(time: &str) -> chrono::DateTime<chrono::Utc> {
    common::at(time)
}

#[test]
fn payments_received_in_xero_are_pulled_reconciled_and_never_echoed() {
    let mock = XeroMock::start(
        &["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"],
        Vec::new(),
    );
    let company = Company::new();
    let mut invoices = INVOICE_HEADER.to_string();
    for (number, customer, name, total) in INVOICES {
        invoices.push_str(&format!(
            "{number},{customer},{name},2026-10-01,2026-10-15,{total},EUR,open\n"
        ));
    }
    company.drop_file("invoices-2026-10.csv", invoices);
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}2026-10-03,2026-10-03,Ada Lovelace,,Rechnung INV-2026-0001,DB01,29.90,EUR,\n"
        ),
    );
    let pipeline = company.pipeline("keep", &pipeline_text(&mock.base_url, "\"Xero 090\""));
    common::run_at(&pipeline, "2026-10-31T18:00:00Z");
    // sluice pushes the bank's payment on INV-1.
    let pushed = delivery::push(&pipeline, &quick(), &env).expect("push");
    assert!(pushed.complete(), "{pushed:?}");

    // Xero has, besides: Alan's payment through its own feed, a bill paid, and a deleted one.
    mock.receive_in_xero(&[
        received(
            "xero-own-1",
            "ACCRECPAYMENT",
            "AUTHORISED",
            "INV-2026-0002",
            "39.90",
        ),
        received("bill-1", "ACCPAYPAYMENT", "AUTHORISED", "BILL-7", "12.00"),
        received(
            "gone-1",
            "ACCRECPAYMENT",
            "DELETED",
            "INV-2026-0003",
            "49.90",
        ),
    ]);
    let pulled =
        pull::pull(&pipeline, None, &quick(), &env, at("2026-11-01T06:00:00Z")).expect("pull");
    let [p] = pulled.as_slice() else {
        panic!("one source: {pulled:?}")
    };
    assert_eq!(
        (
            p.payments,
            p.left_out_pushed_by_sluice,
            p.left_out_in_ledger
        ),
        (1, 1, 0)
    );
    let file = p.file.clone().expect("a file in the inbox");
    assert_eq!(
        file.file_name().and_then(|n| n.to_str()),
        Some("xero-payments-20261101T060000Z.jsonl")
    );
    let text = fs::read_to_string(&file).expect("the pulled file");
    assert_eq!(
        text.lines().count(),
        2,
        "a header and the one payment taken"
    );
    assert!(
        text.contains(r#""Amount":39.90"#),
        "as Xero wrote it: {text}"
    );
    assert!(
        mock.payment_filters()
            .iter()
            .all(|w| w == "Date>=DateTime(2026,10,01)&&PaymentType==\"ACCRECPAYMENT\""),
        "{:?}",
        mock.payment_filters()
    );

    // The next run places Alan's money on his invoice, and stages no payment for Xero.
    let second = common::run_at(&pipeline, "2026-11-01T07:00:00Z");
    assert!(second.run_id.is_some());
    let ledger = company.ledger();
    let placed: Vec<(&str, Option<&str>)> = ledger
        .matches
        .iter()
        .filter(|m| m.matched.kind == MatchKind::Allocation)
        .map(|m| {
            (
                m.matched.bank_line_id.as_str(),
                m.matched.document.as_deref(),
            )
        })
        .collect();
    assert!(
        placed.iter().any(|(_, d)| *d == Some("INV-2026-0002")),
        "{placed:?}"
    );
    let pulled_line = ledger
        .bank_lines
        .iter()
        .find(|r| r.line.account == "Xero 090")
        .expect("the pulled payment is a line of the Xero account");
    assert_eq!(pulled_line.line.bank_reference, "xero-own-1");
    assert_eq!(pulled_line.line.amount.amount.to_string(), "39.90");
    assert_eq!(pulled_line.line.booking_date.to_string(), "2026-10-15");
    let batch = company
        .path("outbox/acme/xero")
        .join(second.run_id.as_deref().expect("committed"));
    let staged: Vec<String> = fs::read_dir(&batch)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        !staged.iter().any(|n| n.starts_with("xero-payments-")),
        "a payment from Xero is never pushed back: {staged:?}"
    );

    // Pulled again: the payment is in the ledger, nothing new, no file.
    let again =
        pull::pull(&pipeline, None, &quick(), &env, at("2026-11-02T06:00:00Z")).expect("pull");
    assert_eq!(
        (
            again[0].payments,
            again[0].left_out_in_ledger,
            again[0].file.clone()
        ),
        (0, 1, None)
    );
}

#[test]
fn check_insists_pulled_payments_are_never_pushed_back() {
    let company = Company::new();
    let path = company.path("pipeline.toml");
    fs::write(
        &path,
        format!(
            "name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{}",
            pipeline_text("http://127.0.0.1:9", "")
        ),
    )
    .expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("the echo is refused")
        .to_string();
    assert!(message.contains("sources[2].target"), "{message}");
    assert!(
        message.contains("add \"Xero 090\" to never_export"),
        "{message}"
    );
    let text = pipeline_text("http://127.0.0.1:9", "\"Xero 090\"")
        .replace("import_from = 2026-10-01\n", "import_from = \"October\"\n")
        .replace("account = \"Xero 090\"\n", "");
    fs::write(
        &path,
        format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{text}"),
    )
    .expect("write");
    let message = sluice::pipeline::load(&path)
        .expect_err("refused")
        .to_string();
    assert!(message.contains("sources[2].import_from"), "{message}");
    assert!(message.contains("sources[2].account"), "{message}");
}

#[test]
fn a_pulled_file_changed_by_hand_is_quarantined_with_its_line() {
    let company = Company::new();
    let pipeline = company.pipeline("keep", &pipeline_text("http://127.0.0.1:9", "\"Xero 090\""));
    let header = r#"{"pulled_from":"https://api.xero.com","target":"xero","at":"2026-11-01T06:00:00Z","import_from":"2026-10-01","left_out_pushed_by_sluice":0,"left_out_in_ledger":0}"#;
    let good = received(
        "p-1",
        "ACCRECPAYMENT",
        "AUTHORISED",
        "INV-2026-0002",
        "39.90",
    )
    .split_whitespace()
    .collect::<String>();
    let bad = good.replace("\"Amount\":39.90", "\"Amount\":\"lots\"");
    company.drop_file(
        "xero-payments-20261101T060000Z.jsonl",
        format!("{header}\n{good}\n{bad}\n"),
    );
    company.drop_file(
        "xero-payments-20261102T060000Z.jsonl",
        "not a pulled file\n",
    );
    let summary = common::run_at(&pipeline, "2026-11-01T07:00:00Z");
    let mut reasons: Vec<&str> = summary
        .quarantined
        .iter()
        .map(|q| q.reason.as_str())
        .collect();
    reasons.sort();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("xero-payments-20261101T060000Z.jsonl:3: column \"Amount\""),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("xero-payments-20261102T060000Z.jsonl:1: does not start with the line `sluice pull` writes"),
        "{reasons:?}"
    );
}

#[test]
fn the_payment_direction_says_whether_payments_go_come_or_both() {
    let company = Company::new();
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,29.90,EUR,open\n"
        ),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}2026-10-03,2026-10-03,Ada Lovelace,,Rechnung INV-2026-0001,DB01,29.90,EUR,\n"
        ),
    );
    // Import only: the run places the money but stages no payment for Xero.
    let text = pipeline_text("http://127.0.0.1:9", "").replace(
        "payment_direction = \"both\"",
        "payment_direction = \"import\"",
    );
    let pipeline = company.pipeline("keep", &text);
    let summary = common::run_at(&pipeline, "2026-10-31T18:00:00Z");
    let batch = company
        .path("outbox/acme/xero")
        .join(summary.run_id.as_deref().expect("committed"));
    let staged: Vec<String> = fs::read_dir(&batch)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        !staged.iter().any(|n| n.starts_with("xero-payments-")),
        "{staged:?}"
    );
    assert!(
        company
            .ledger()
            .matches
            .iter()
            .any(|m| m.matched.document.as_deref() == Some("INV-2026-0001")),
        "the money is placed all the same"
    );

    // Export only (the default): pulling from the target is refused; a wrong word too.
    let path = company.path("pipeline.toml");
    for (direction, expected) in [
        (
            "",
            "only sends payments to Xero: write payment_direction = \"both\"",
        ),
        (
            "payment_direction = \"sideways\"",
            "\"sideways\" is not a direction",
        ),
    ] {
        let text = pipeline_text("http://127.0.0.1:9", "\"Xero 090\"")
            .replace("payment_direction = \"both\"", direction);
        fs::write(
            &path,
            format!("name = \"acme\"\n\n[inbox]\npath = \"inbox\"\n{text}"),
        )
        .expect("write");
        let message = sluice::pipeline::load(&path)
            .expect_err("refused")
            .to_string();
        assert!(message.contains(expected), "{message}");
    }
}
