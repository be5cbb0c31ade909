//! A push through a Xero that fails at random — rate limits, server errors, answers that
//! come too late, connections cut in the middle of the answer — delivers every payment
//! exactly once: whatever the seed, after pushes until nothing waits, Xero holds each
//! payment once, every request's delivery log ends with one answer, and each resend carried
//! the request's own idempotency key.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::xero_mock::{Fault, TENANT, TOKEN, XeroMock};
use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER};
use sluice::delivery::log::{self, Outcome};
use sluice::delivery::{self, PushOptions};

const PAYMENTS: usize = 24;

fn env(name: &str) -> Option<String> {
    match name {
        "TEST_XERO_TOKEN" => Some(TOKEN.to_string()),
        "TEST_XERO_TENANT" => Some(TENANT.to_string()),
        _ => None,
    }
}

/// A small deterministic generator (xorshift): the same seed, the same faults.
fn faults(seed: u64, count: usize) -> Vec<Fault> {
    let mut x = seed.max(1);
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 6 {
                0 => Fault::RateLimit("0"),
                1 => Fault::ServerError,
                2 => Fault::SlowAnswer(Duration::from_millis(700)),
                3 => Fault::CutOff,
                _ => Fault::None,
            }
        })
        .collect()
}

#[test]
fn every_payment_reaches_xero_once_whatever_fails() {
    for seed in [7, 42, 2026] {
        let numbers: Vec<String> = (1..=PAYMENTS).map(|i| format!("INV-2026-{i:04}")).collect();
        let known: Vec<&str> = numbers.iter().map(String::as_str).collect();
        let mock = XeroMock::start(&known, faults(seed, 40));
        let company = Company::new();
        let mut invoices = INVOICE_HEADER.to_string();
        let mut bank = BANK_HEADER.to_string();
        for (i, number) in numbers.iter().enumerate() {
            invoices.push_str(&format!(
                "{number},C{i},Customer {i},2026-10-01,2026-10-15,{}.90,EUR,open\n",
                10 + i
            ));
            bank.push_str(&format!(
                "2026-10-{:02},2026-10-{:02},Customer {i},,Rechnung {number},DB{i:03},{}.90,EUR,\n",
                2 + i % 20,
                2 + i % 20,
                10 + i
            ));
        }
        company.drop_file("invoices-2026-10.csv", invoices);
        company.drop_file("bank-2026-10.csv", bank);
        let pipeline = company.pipeline(
            "keep",
            &format!(
                "{DEMO_SOURCES}\n[targets.mapping]\npayment_account = \"090\"\n\n[targets.api]\nbase_url = \"{}\"\ntoken_env = \"TEST_XERO_TOKEN\"\ntenant_env = \"TEST_XERO_TENANT\"\nper_request = 3\n",
                mock.base_url
            ),
        );
        let summary = common::run_at(&pipeline, "2026-10-31T18:00:00Z");
        let batch = company
            .path("outbox/acme/xero")
            .join(summary.run_id.as_deref().expect("committed"));
        let options = PushOptions {
            timeout: Duration::from_millis(400),
            backoff: Duration::from_millis(5),
            max_attempts: 3,
            ..PushOptions::default()
        };
        let mut pushes = 0;
        loop {
            pushes += 1;
            let report = delivery::push(&pipeline, &options, &env).expect("push");
            if report.complete() {
                break;
            }
            assert!(pushes < 20, "seed {seed}: still not delivered: {report:?}");
        }

        // Xero holds each payment once.
        let mut created: Vec<String> = mock
            .created()
            .iter()
            .map(|p| {
                p["Invoice"]["InvoiceNumber"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        created.sort();
        assert_eq!(created, numbers, "seed {seed}");

        // Each request: one answer, and every attempt under its own key.
        let attempts = log::read(&batch).expect("delivery log");
        let mut answers: BTreeMap<&str, usize> = BTreeMap::new();
        let mut keys: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for a in &attempts {
            if a.outcome == Outcome::Answered {
                *answers.entry(a.request.as_str()).or_default() += 1;
            }
            keys.entry(a.request.as_str())
                .or_default()
                .insert(a.idempotency_key.as_str());
        }
        assert_eq!(answers.len(), PAYMENTS.div_ceil(3), "seed {seed}");
        assert!(
            answers.values().all(|n| *n == 1),
            "seed {seed}: {answers:?}"
        );
        assert!(keys.values().all(|k| k.len() == 1), "seed {seed}: {keys:?}");
        assert!(
            attempts.iter().any(|a| a.outcome != Outcome::Answered),
            "seed {seed}: the faults were met"
        );
    }
}
