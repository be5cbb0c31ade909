//! `sluice rebuild`: the ledger built again from the archived inputs and people's decisions
//! is the live ledger, row for row; after a reconcile setting changes, `--compare` names
//! exactly the lines and invoices it moves; an archived input that was edited is refused.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, at, run_at};
use sluice::decide::{self, PairRequest, Who};
use sluice::ledger::Facts;
use sluice::rebuild;

const EVE: &str = "DE02120300000000202051";
const FRANK: &str = "DE89370400440532013000";

fn invoices() -> String {
    format!(
        "{INVOICE_HEADER}\
         INV-2026-0001,C1,Ada Byron,2026-10-01,2026-10-15,100.00,EUR,open\n\
         INV-2026-0002,C1,Ada Byron,2026-10-01,2026-10-20,50.00,EUR,open\n\
         INV-2026-0003,C2,Alan Turing,2026-10-01,2026-10-15,39.90,EUR,open\n\
         INV-2026-0004,C3,Grace Hopper,2026-10-01,2026-10-15,45.00,EUR,open\n"
    )
}

/// Ada's sister pays naming nothing; a stranger pays naming nothing; Grace names her
/// invoice; someone pays exactly Alan's open amount without a word (rule 3 places it).
fn october() -> String {
    format!(
        "{BANK_HEADER}\
         2026-10-05,2026-10-05,Eve Byron,{EVE},October,REF-1,120.00,EUR,\n\
         2026-10-05,2026-10-05,Frank,{FRANK},thanks,REF-2,20.00,EUR,\n\
         2026-10-06,2026-10-06,Grace Hopper,DE75512108001245126199,INV-2026-0004,REF-3,45.00,EUR,\n\
         2026-10-06,2026-10-06,A. T.,DE27100777770209299700,Internet,REF-4,39.90,EUR,\n"
    )
}

/// Eve pays again: the rule learned from her first payment is removed by then.
fn november() -> String {
    format!(
        "{BANK_HEADER}\
         2026-11-03,2026-11-03,Eve Byron,{EVE},November,REF-5,50.00,EUR,\n"
    )
}

fn who(name: &str, time: &str) -> Who {
    Who {
        by: name.to_string(),
        now: at(time),
    }
}

fn line_id(facts: &Facts, reference: &str) -> String {
    facts
        .bank_lines
        .iter()
        .find(|r| r.line.bank_reference == reference)
        .expect("the line")
        .line
        .id
        .clone()
}

/// Two runs (the second with a file dropped twice), two pairings — one teaching a rule, one
/// a customer's credit — an unpairing and a removed rule, in between.
fn a_month(company: &Company, settings: &str) -> sluice::pipeline::Pipeline {
    let pipeline = company.pipeline("archive", &format!("{DEMO_SOURCES}{settings}"));
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("bank-2026-10.csv", october());
    run_at(&pipeline, "2026-10-07T02:00:00Z");
    let facts = company.ledger();
    let (eve, frank) = (line_id(&facts, "REF-1"), line_id(&facts, "REF-2"));
    let paired = decide::pair(
        &pipeline,
        &PairRequest {
            bank_line: eve,
            invoices: vec!["INV-2026-0001".into()],
            customer: None,
            learn: true,
            note: "sister pays".into(),
        },
        &who("ada", "2026-10-08T09:00:00Z"),
    )
    .expect("pair Eve");
    decide::pair(
        &pipeline,
        &PairRequest {
            bank_line: frank.clone(),
            invoices: Vec::new(),
            customer: Some("C2".into()),
            learn: false,
            note: String::new(),
        },
        &who("ada", "2026-10-08T09:05:00Z"),
    )
    .expect("pair Frank");
    decide::unpair(
        &pipeline,
        &frank,
        &who("bob", "2026-10-09T10:00:00Z"),
        "not Alan's",
    )
    .expect("unpair Frank");
    decide::forget_rule(
        &pipeline,
        &paired.pairing,
        &who("bob", "2026-10-09T10:05:00Z"),
    )
    .expect("forget the rule");
    company.drop_file("bank-2026-11.csv", november());
    company.drop_file("bank-2026-10-again.csv", october());
    run_at(&pipeline, "2026-11-04T02:00:00Z");
    pipeline
}

fn sluice(args: &[&str], pipeline: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sluice"))
        .arg("rebuild")
        .arg("--pipeline")
        .arg(pipeline)
        .args(args)
        .output()
        .expect("sluice runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_month_with_pairings_an_unpairing_and_a_removed_rule_rebuilds_row_for_row() {
    let company = Company::new();
    let pipeline = a_month(&company, "");
    let to = company.path("rebuilt");

    let done = rebuild::rebuild(&pipeline, &to).expect("rebuilds");

    assert_eq!(
        (done.runs, done.files, done.decisions, done.pushes),
        (2, 4, 4, 0)
    );
    assert!(done.refused.is_empty(), "{:?}", done.refused);
    assert_eq!(done.diverged_at, None);
    let rebuilt = sluice::ledger::Ledger::new(&to.join("ledger"))
        .load()
        .expect("the rebuilt ledger loads");
    assert_eq!(rebuilt, company.ledger(), "the same facts, row for row");
    let comparison = rebuild::compare(&pipeline, &to).expect("compares");
    assert!(comparison.identical(), "{comparison:?}");
    // The live pipeline's folders are not touched: its inbox stays empty.
    assert_eq!(fs::read_dir(company.path("inbox")).unwrap().count(), 0);

    let again = company.path("rebuilt-again");
    let out = sluice(
        &["--to", again.to_str().unwrap(), "--compare"],
        &pipeline.file,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("2 run(s) reading 4 file(s)") && text(&out).contains("identical"),
        "{}",
        text(&out)
    );

    let out = sluice(&["--to", again.to_str().unwrap()], &pipeline.file);
    assert_eq!(out.status.code(), Some(2), "a used folder is refused");
    assert!(
        text(&out).contains("not a new or empty folder"),
        "{}",
        text(&out)
    );
}

#[test]
fn after_a_reconcile_setting_changes_compare_lists_exactly_the_lines_it_moves() {
    let company = Company::new();
    a_month(&company, "");
    let file = company.path("pipeline.toml");
    let changed =
        fs::read_to_string(&file).unwrap() + "\n[reconcile]\nby_amount_and_date = false\n";
    fs::write(&file, changed).unwrap();
    let to = company.path("rebuilt");

    let changed = sluice::pipeline::load(&file).expect("valid pipeline");
    rebuild::rebuild(&changed, &to).expect("rebuilds");
    let comparison = rebuild::compare(&changed, &to).expect("compares");

    assert!(!comparison.identical());
    let lines: Vec<(&str, &[String], &[String])> = comparison
        .lines
        .iter()
        .map(|l| (l.text.as_str(), &l.before[..], &l.now[..]))
        .collect();
    assert_eq!(
        lines,
        [(
            "Internet",
            &["allocation of EUR 39.90 to INV-2026-0003".to_string()][..],
            &["unmatched of EUR 39.90".to_string()][..]
        )]
    );
    let documents: Vec<_> = comparison
        .documents
        .iter()
        .map(|d| {
            (
                d.number.as_str(),
                d.placed_before.as_str(),
                d.state_before.as_str(),
                d.placed_now.as_str(),
                d.state_now.as_str(),
            )
        })
        .collect();
    assert_eq!(
        documents,
        [("INV-2026-0003", "EUR 39.90", "paid", "EUR 0.00", "open")]
    );
    let outcomes: Vec<_> = comparison
        .outcomes
        .iter()
        .map(|o| (o.outcome.as_str(), o.before, o.now))
        .collect();
    assert_eq!(outcomes, [("matched", 3, 2), ("unmatched", 1, 2)]);
    let money: Vec<_> = comparison
        .money
        .iter()
        .map(|m| (m.what.as_str(), m.before.to_string(), m.now.to_string()))
        .collect();
    assert_eq!(
        money,
        [
            ("placed on invoices", "234.90".into(), "195.00".into()),
            ("waiting for a person", "20.00".into(), "59.90".into())
        ]
    );

    let out = sluice(
        &["--to", company.path("again").to_str().unwrap(), "--compare"],
        &file,
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("before  allocation of EUR 39.90 to INV-2026-0003 (matched)")
            && text(&out).contains("now     unmatched of EUR 39.90 (unmatched)"),
        "{}",
        text(&out)
    );
}

#[test]
fn an_archived_input_that_changed_or_went_missing_is_refused_and_nothing_is_rebuilt() {
    let company = Company::new();
    let pipeline = a_month(&company, "");
    let archived = company.path("archive/2026/11/bank-2026-11.csv");
    let mut bytes = fs::read(&archived).expect("archived");
    bytes.extend_from_slice(b"2026-11-04,2026-11-04,Mallory,DE1,extra,REF-9,1.00,EUR,\n");
    fs::write(&archived, bytes).unwrap();
    let to = company.path("rebuilt");

    let out = sluice(&["--to", to.to_str().unwrap(), "--compare"], &pipeline.file);

    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("bank-2026-11.csv: changed since run 20261104T020000Z-000006"),
        "{}",
        text(&out)
    );
    assert!(
        !to.exists(),
        "nothing is written when an input cannot be used"
    );

    fs::remove_file(company.path("archive/2026/10/invoices-2026-10.csv")).unwrap();
    let out = sluice(&["--to", to.to_str().unwrap()], &pipeline.file);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("2 input file(s)")
            && text(&out).contains("invoices-2026-10.csv: missing"),
        "{}",
        text(&out)
    );
}
