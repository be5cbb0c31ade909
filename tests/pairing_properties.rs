//! A pairing followed by its unpairing restores the previous state, for random invoices,
//! payments and pairings: what is open on every invoice, what waits on every line, and the
//! learned rules are as they were; and a run after it changes nothing.

mod common;

use std::collections::BTreeMap;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, assert_lines_add_up, at, run_at};
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;
use sluice::decide::{self, PairRequest, Who};
use sluice::ledger::{Facts, current_matches};
use sluice::review;

/// Open amount per invoice, and waiting money per line.
fn state(
    company: &Company,
    pipeline: &sluice::pipeline::Pipeline,
) -> (Vec<String>, BTreeMap<String, Decimal>) {
    let facts: Facts = company.ledger();
    let mut open = Vec::new();
    for d in facts.documents.iter().map(|d| d.document.number.clone()) {
        if let review::Explained::Invoice(i) = review::explain(pipeline, &facts, &d).unwrap() {
            open.push(format!("{d}={}", i.open.unwrap_or_default()));
        }
    }
    let mut waiting = BTreeMap::new();
    for m in current_matches(&facts.matches, &facts.decisions) {
        if m.matched.kind == sluice::model::MatchKind::Unmatched {
            *waiting.entry(m.matched.bank_line_id.clone()).or_default() += m.matched.amount.amount;
        }
    }
    (open, waiting)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn pairing_then_unpairing_leaves_everything_as_it_was(
        invoices in prop::collection::vec(1i64..20_000, 1..5),
        payments in prop::collection::vec(1i64..30_000, 1..4),
        line in any::<Index>(),
        chosen in prop::collection::vec(any::<Index>(), 0..3),
        with_customer in any::<bool>(),
    ) {
        let company = Company::new();
        let pipeline = company.pipeline("archive", DEMO_SOURCES);
        let mut text = INVOICE_HEADER.to_string();
        for (i, minor) in invoices.iter().enumerate() {
            text.push_str(&format!(
                "INV-2026-{:04},C{},Customer {},2026-10-01,2026-10-15,{},EUR,open\n",
                i + 1, i % 2, i % 2, Decimal::new(*minor, 2)
            ));
        }
        company.drop_file("invoices-2026-10.csv", text);
        let mut bank = BANK_HEADER.to_string();
        for (i, minor) in payments.iter().enumerate() {
            bank.push_str(&format!(
                "2026-10-0{},2026-10-0{},Payer {i},DE{i:02},Thanks,REF-{i},{},EUR,\n",
                i + 1, i + 1, Decimal::new(*minor, 2)
            ));
        }
        company.drop_file("bank-2026-10.csv", bank);
        run_at(&pipeline, "2026-10-10T02:00:00Z");
        let before = state(&company, &pipeline);

        let facts = company.ledger();
        let lines: Vec<String> = facts.bank_lines.iter().map(|r| r.line.id.clone()).collect();
        let id = line.get(&lines).clone();
        let mut numbers: Vec<String> = chosen
            .iter()
            .map(|c| format!("INV-2026-{:04}", c.index(invoices.len()) + 1))
            .collect();
        numbers.dedup();
        let request = PairRequest {
            bank_line: id.clone(),
            invoices: numbers.clone(),
            customer: (with_customer || numbers.is_empty()).then(|| "C1".to_string()),
            learn: true,
            note: String::new(),
        };
        let who = |t: &str| Who { by: "tester".into(), now: at(t) };
        // A pairing the ledger refuses (an invoice named twice) writes nothing.
        match decide::pair(&pipeline, &request, &who("2026-10-11T09:00:00Z")) {
            Ok(_) => {
                assert_lines_add_up(&company.ledger());
                decide::unpair(&pipeline, &id, &who("2026-10-11T10:00:00Z"), "").unwrap();
            }
            Err(decide::DecideError::Refused(_)) => {}
            Err(e) => panic!("{e}"),
        }
        let after = state(&company, &pipeline);
        prop_assert_eq!(&after, &before);
        prop_assert!(decide::rules(&company.ledger()).is_empty());
        assert_lines_add_up(&company.ledger());

        let ledger = company.ledger();
        let summary = run_at(&pipeline, "2026-10-12T02:00:00Z");
        prop_assert_eq!(summary.run_id, None);
        prop_assert_eq!(company.ledger(), ledger);
    }
}
