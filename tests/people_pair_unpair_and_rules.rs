//! People in the loop: money that waits is paired by hand (`pair`), a match is undone
//! (`unpair`), a payer learned from a pairing is listed and removed (`rules`). Each is a
//! ledger fact with who and when; nothing written before is edited; the next run respects
//! it; and a pairing followed by its unpairing leaves the book as it was.

mod common;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, assert_lines_add_up, at, run_at};
use sluice::decide::{self, DecideError, PairRequest, Who};
use sluice::ledger::{DecisionAction, Facts, current_matches};
use sluice::model::MatchKind;
use sluice::review;

fn invoices() -> String {
    format!(
        "{INVOICE_HEADER}\
         INV-2026-0001,C1,Ada Byron,2026-10-01,2026-10-15,100.00,EUR,open\n\
         INV-2026-0002,C1,Ada Byron,2026-10-01,2026-10-20,50.00,EUR,open\n\
         INV-2026-0003,C2,Alan Turing,2026-10-01,2026-10-15,39.90,EUR,open\n"
    )
}

/// One credit naming nothing, from Ada's sister's account, and one rent payment out.
fn bank() -> String {
    format!(
        "{BANK_HEADER}\
         2026-10-05,2026-10-05,Eve Byron,DE02120300000000202051,October,REF-1,120.00,EUR,\n\
         2026-10-06,2026-10-06,Landlord,DE44500105175407324931,Rent,REF-2,-900.00,EUR,\n"
    )
}

fn who(name: &str, time: &str) -> Who {
    Who {
        by: name.to_string(),
        now: at(time),
    }
}

fn set_up() -> (Company, sluice::pipeline::Pipeline) {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("bank-2026-10.csv", bank());
    run_at(&pipeline, "2026-10-07T02:00:00Z");
    (company, pipeline)
}

fn line_id(facts: &Facts, text: &str) -> String {
    facts
        .bank_lines
        .iter()
        .find(|r| r.line.text == text)
        .expect("the line")
        .line
        .id
        .clone()
}

/// What stands for a line: (kind, document or customer, amount).
fn standing(facts: &Facts, id: &str) -> Vec<(MatchKind, String, String)> {
    current_matches(&facts.matches, &facts.decisions)
        .into_iter()
        .filter(|m| m.matched.bank_line_id == id)
        .map(|m| {
            let m = &m.matched;
            (
                m.kind,
                m.document
                    .clone()
                    .or(m.customer_id.clone())
                    .unwrap_or_default(),
                m.amount.amount.to_string(),
            )
        })
        .collect()
}

fn open_amounts(company: &Company, pipeline: &sluice::pipeline::Pipeline) -> Vec<String> {
    let facts = company.ledger();
    let explained = |n: &str| match review::explain(pipeline, &facts, n).unwrap() {
        review::Explained::Invoice(i) => i.open.unwrap_or_default(),
        other => panic!("{other:?}"),
    };
    ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]
        .into_iter()
        .map(explained)
        .collect()
}

#[test]
fn a_pairing_places_the_waiting_money_teaches_the_payer_and_the_next_run_respects_it() {
    let (company, pipeline) = set_up();
    let id = line_id(&company.ledger(), "October");
    let waiting = review::unmatched(&pipeline, &company.ledger());
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].bank_line, id);

    let paired = decide::pair(
        &pipeline,
        &PairRequest {
            bank_line: id.clone(),
            invoices: vec!["INV-2026-0001".into()],
            customer: None,
            learn: true,
            note: "sister pays".into(),
        },
        &who("ada", "2026-10-08T09:00:00Z"),
    )
    .unwrap();
    assert_eq!(
        paired.learned.as_deref(),
        Some("account DE02120300000000202051 is customer C1's")
    );

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(
        standing(&facts, &id),
        [
            (
                MatchKind::Allocation,
                "INV-2026-0001".into(),
                "100.00".into()
            ),
            (MatchKind::Credit, "C1".into(), "20.00".into()),
        ]
    );
    let decision = facts.decisions.last().unwrap();
    assert_eq!(decision.action, DecisionAction::Pair);
    assert_eq!(decision.by, "ada");
    assert_eq!(decision.note, "sister pays");
    assert_eq!(decision.at, at("2026-10-08T09:00:00Z"));
    // The unmatched row is still in the ledger, withdrawn, not edited.
    assert!(
        facts
            .matches
            .iter()
            .any(|m| m.matched.bank_line_id == id && m.matched.kind == MatchKind::Unmatched)
    );
    assert!(review::unmatched(&pipeline, &facts).is_empty());
    // A decision is committed like a run, but `status` tells the two apart.
    let status = sluice::status::status(&pipeline).unwrap();
    assert_eq!((status.runs, status.decisions), (1, 1));
    assert_eq!(status.bank_lines.unmatched, 0);

    let rules = decide::rules(&facts);
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].id, paired.pairing);
    assert_eq!(rules[0].customer_id, "C1");

    // A later run with more files leaves the pairing as it is.
    company.drop_file(
        "bank-2026-10-b.csv",
        format!(
            "{BANK_HEADER}2026-10-09,2026-10-09,Alan Turing,DE1,INV-2026-0003,REF-3,39.90,EUR,\n"
        ),
    );
    run_at(&pipeline, "2026-10-10T02:00:00Z");
    let facts = company.ledger();
    assert_eq!(standing(&facts, &id).len(), 2);
    assert_eq!(open_amounts(&company, &pipeline), ["0.00", "50.00", "0.00"]);

    // The rule is removed by a person; the pairing stands.
    let removed = decide::forget_rule(
        &pipeline,
        &paired.pairing,
        &who("bob", "2026-10-11T09:00:00Z"),
    )
    .unwrap();
    assert_eq!(removed.customer_id, "C1");
    let facts = company.ledger();
    assert!(decide::rules(&facts).is_empty());
    assert_eq!(standing(&facts, &id).len(), 2);
    let again = decide::forget_rule(
        &pipeline,
        &paired.pairing,
        &who("bob", "2026-10-11T09:01:00Z"),
    );
    assert!(matches!(again, Err(DecideError::Refused(m)) if m.contains("no learned rule")));
}

#[test]
fn a_pairing_followed_by_its_unpairing_restores_the_previous_state() {
    let (company, pipeline) = set_up();
    let id = line_id(&company.ledger(), "October");
    let before_open = open_amounts(&company, &pipeline);
    let before = standing(&company.ledger(), &id);

    decide::pair(
        &pipeline,
        &PairRequest {
            bank_line: id.clone(),
            invoices: vec!["INV-2026-0002".into(), "INV-2026-0001".into()],
            learn: true,
            ..PairRequest::default()
        },
        &who("ada", "2026-10-08T09:00:00Z"),
    )
    .unwrap();
    assert_eq!(
        open_amounts(&company, &pipeline),
        ["30.00", "0.00", "39.90"]
    );

    let undone = decide::unpair(
        &pipeline,
        &id,
        &who("bob", "2026-10-08T10:00:00Z"),
        "wrong customer",
    )
    .unwrap();
    assert_eq!(undone.undone.len(), 2);
    assert!(
        undone.rule_dropped.is_some(),
        "the rule of an undone pairing goes with it"
    );

    let facts = company.ledger();
    assert_lines_add_up(&facts);
    assert_eq!(open_amounts(&company, &pipeline), before_open);
    let kinds: Vec<MatchKind> = standing(&facts, &id).iter().map(|s| s.0).collect();
    assert_eq!(kinds, vec![MatchKind::Unmatched; 2]);
    let waiting: rust_decimal::Decimal = current_matches(&facts.matches, &facts.decisions)
        .iter()
        .filter(|m| m.matched.bank_line_id == id)
        .map(|m| m.matched.amount.amount)
        .sum();
    assert_eq!(waiting.to_string(), before[0].2);
    assert!(decide::rules(&facts).is_empty());
    let listed = review::unmatched(&pipeline, &facts);
    assert!(listed[0].held_by_person);
    assert!(listed[0].reasons.iter().any(|r| r.starts_with("unpaired by bob on 2026-10-08 (wrong customer): was allocation of EUR 50.00 to INV-2026-0002")), "{:?}", listed[0].reasons);

    // Runs leave an unpaired line to the person, even when a rule would place it now.
    company.drop_file(
        "invoices-2026-10-b.csv",
        format!(
            "{INVOICE_HEADER}INV-2026-0009,C1,Ada Byron,2026-10-05,2026-10-20,120.00,EUR,open\n"
        ),
    );
    let summary = run_at(&pipeline, "2026-10-12T02:00:00Z");
    assert_eq!(summary.reconciled.placed_on_retry, 0);
    // And the person can pair it again.
    decide::pair(
        &pipeline,
        &PairRequest {
            bank_line: id.clone(),
            invoices: vec!["INV-2026-0009".into()],
            ..PairRequest::default()
        },
        &who("bob", "2026-10-12T09:00:00Z"),
    )
    .unwrap();
    assert_eq!(
        standing(&company.ledger(), &id),
        [(
            MatchKind::Allocation,
            "INV-2026-0009".into(),
            "120.00".into()
        )]
    );
}

#[test]
fn a_line_waiting_since_an_earlier_run_is_placed_when_its_invoice_arrives() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}2026-10-05,2026-10-05,Ada Byron,DE1,INV-2026-0001,REF-1,100.00,EUR,\n"
        ),
    );
    let first = run_at(&pipeline, "2026-10-06T02:00:00Z");
    assert_eq!(first.reconciled.unmatched, 1);

    company.drop_file("invoices-2026-10.csv", invoices());
    let second = run_at(&pipeline, "2026-10-07T02:00:00Z");
    assert_eq!(second.reconciled.placed_on_retry, 1);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    let id = line_id(&facts, "INV-2026-0001");
    assert_eq!(
        standing(&facts, &id),
        [(
            MatchKind::Allocation,
            "INV-2026-0001".into(),
            "100.00".into()
        )]
    );
    let decision = facts.decisions.last().unwrap();
    assert_eq!(
        (decision.action, decision.by.as_str()),
        (DecisionAction::Retry, "sluice")
    );
    assert_eq!(decision.replaces, [first.run_id.clone().unwrap()]);

    // Nothing new: nothing changes.
    let third = run_at(&pipeline, "2026-10-08T02:00:00Z");
    assert_eq!(third.run_id, None);
    assert_eq!(company.ledger(), facts);
}

#[test]
fn every_refusal_says_why_and_changes_nothing() {
    let (company, pipeline) = set_up();
    let facts = company.ledger();
    let credit = line_id(&facts, "October");
    let rent = line_id(&facts, "Rent");
    let ada = who("ada", "2026-10-08T09:00:00Z");
    let pair = |line: &str, invoices: &[&str], customer: Option<&str>| {
        decide::pair(
            &pipeline,
            &PairRequest {
                bank_line: line.to_string(),
                invoices: invoices.iter().map(|s| s.to_string()).collect(),
                customer: customer.map(str::to_string),
                learn: true,
                note: String::new(),
            },
            &ada,
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    };
    let refusals = [
        (
            pair("nope:1", &["INV-2026-0001"], None),
            "no bank line \"nope:1\" in the ledger",
        ),
        (
            pair(&credit, &["INV-2026-9999"], None),
            "INV-2026-9999 is not an invoice sluice knows",
        ),
        (
            pair(&credit, &["INV-2026-0001", "INV-2026-0001"], None),
            "INV-2026-0001 is named twice",
        ),
        (
            pair(&credit, &[], None),
            "name the invoice(s) the money pays, or --customer",
        ),
        (
            pair(&credit, &[], Some("C99")),
            "no customer C99 in the ledger",
        ),
        (
            pair(&rent, &["INV-2026-0001"], None),
            "nothing of bank line",
        ),
    ];
    for (result, expected) in refusals {
        let message = result.expect_err(expected);
        assert!(message.contains(expected), "{message}");
    }
    let unpair = decide::unpair(&pipeline, &credit, &ada, "")
        .unwrap_err()
        .to_string();
    assert!(unpair.contains("nothing placed on bank line"), "{unpair}");
    assert_eq!(company.ledger(), facts, "a refusal writes nothing");

    // A paid invoice cannot be paired again.
    pair(&credit, &[], Some("C2")).unwrap();
    company.drop_file(
        "bank-2026-10-b.csv",
        format!("{BANK_HEADER}2026-10-09,2026-10-09,Someone,DE9,Thanks,REF-9,39.90,EUR,\n2026-10-09,2026-10-09,Alan Turing,DE1,INV-2026-0003,REF-3,39.90,EUR,\n"),
    );
    run_at(&pipeline, "2026-10-10T02:00:00Z");
    let someone = line_id(&company.ledger(), "Thanks");
    let paid = pair(&someone, &["INV-2026-0003"], None).unwrap_err();
    assert!(
        paid.contains("INV-2026-0003 is already paid in full"),
        "{paid}"
    );
}

#[test]
fn the_cli_lists_pairs_explains_and_unpairs() {
    let (company, _) = set_up();
    let id = line_id(&company.ledger(), "October");
    let sluice = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(args)
            .arg("--pipeline")
            .arg(company.path("pipeline.toml"))
            .env_remove("SLUICE_LOG")
            .output()
            .expect("sluice runs");
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, listed, _) = sluice(&["unmatched", "--json"]);
    assert_eq!(code, Some(0));
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed[0]["bank_line"], id.as_str());
    assert_eq!(listed[0]["waiting"], "120.00");
    // Nothing speaks for an invoice: another amount, a payer sluice does not know yet.
    assert_eq!(listed[0]["suggestions"], serde_json::json!([]));

    let (code, text, _) = sluice(&["unmatched"]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("why: invoice-reference: no invoice number found"),
        "{text}"
    );
    assert!(
        text.ends_with("1 line(s) wait for a person, EUR 120.00\n"),
        "{text}"
    );

    let (code, text, err) = sluice(&["pair", &id, "INV-2026-0001", "--by", "ada"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        text.contains("allocation EUR       100.00  invoice INV-2026-0001"),
        "{text}"
    );
    assert!(
        text.contains("credit     EUR        20.00  credit of customer C1"),
        "{text}"
    );

    let (code, _, err) = sluice(&["pair", &id, "INV-2026-0001"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("run `sluice unpair"), "{err}");

    let (code, text, _) = sluice(&["rules"]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("account DE02120300000000202051 is customer C1"),
        "{text}"
    );

    let (code, text, _) = sluice(&["explain", &id]);
    assert_eq!(code, Some(0));
    assert!(text.contains("[withdrawn by pair"), "{text}");
    assert!(text.contains("pair by ada"), "{text}");
    let (code, text, _) = sluice(&["explain", "INV-2026-0001"]);
    assert_eq!(code, Some(0));
    assert!(text.contains("open now: EUR 0.00"), "{text}");
    let (code, _, err) = sluice(&["explain", "INV-1999"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("neither a bank line id nor an invoice number"),
        "{err}"
    );

    let (code, text, err) = sluice(&["unpair", &id, "--by", "bob"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        text.contains("undone: allocation of EUR 100.00 to INV-2026-0001"),
        "{text}"
    );
    let (_, text, _) = sluice(&["unmatched"]);
    assert!(text.contains("a person undid its match"), "{text}");
}

#[test]
fn suggestions_rank_the_open_amount_and_the_payer() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    company.drop_file(
        "invoices-2026-10.csv",
        format!(
            "{INVOICE_HEADER}\
             INV-2026-0101,C1,Ada Byron,2026-10-01,2026-10-15,39.90,EUR,open\n\
             INV-2026-0102,C2,Alan Turing,2026-10-01,2026-10-15,39.90,EUR,open\n\
             INV-2026-0103,C2,Alan Turing,2026-09-01,2026-09-15,19.90,EUR,open\n\
             INV-2026-0104,C3,Grace Hopper,2026-10-01,2026-10-15,59.90,EUR,open\n"
        ),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!("{BANK_HEADER}2026-10-12,2026-10-12,TURING ALAN,DE1,Internet,REF-1,39.90,EUR,\n"),
    );
    run_at(&pipeline, "2026-10-13T02:00:00Z");
    let waiting = review::unmatched(&pipeline, &company.ledger());
    let ranked: Vec<(&str, u8)> = waiting[0]
        .suggestions
        .iter()
        .map(|s| (s.invoice.as_str(), s.score))
        .collect();
    // Alan's invoice of the amount first, then Ada's of the amount, then Alan's other one;
    // Grace's has nothing for it.
    assert_eq!(
        ranked.iter().map(|r| r.0).collect::<Vec<_>>(),
        ["INV-2026-0102", "INV-2026-0101", "INV-2026-0103"]
    );
    assert!(
        ranked[0].1 > ranked[1].1 && ranked[1].1 > ranked[2].1,
        "{ranked:?}"
    );
    assert_eq!(
        waiting[0].suggestions[0].why,
        "EUR 39.90 is open on it, the payment's amount; the payer's name is customer C2's; due 2026-10-15"
    );
}
