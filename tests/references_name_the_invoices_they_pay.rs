//! A payment names the invoices it pays: by invoice number (found by the pipeline's
//! `invoice_patterns`, with or without separators and leading zeros) or by an ISO 11649 RF
//! creditor reference, in a structured field or the text. A run books the money to those
//! invoices and says in each explanation which field named which invoice and in which
//! order several were paid; money it cannot place waits with what each rule found.

mod common;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, assert_lines_add_up, run_at};
use sluice::ledger::Facts;
use sluice::model::{Match, MatchKind};

/// The demo sources, a camt statement source, and two forms of invoice number: the
/// billing system's `INV-2026-0042` and the old system's `RE-10001`.
fn pipeline_body() -> String {
    format!(
        r#"{DEMO_SOURCES}
[[sources]]
name = "bank-camt"
format = "camt"
files = ["camt-*.xml"]

[reconcile]
invoice_patterns = [
  '(?i)\bINV[\s\-/_.]*\d{{4}}[\s\-/_.]*\d{{1,6}}\b',
  '(?i)\bRE[\s\-]*\d{{5}}\b',
]
"#
    )
}

const INVOICES: &[(&str, &str, &str, &str, &str)] = &[
    ("INV-2026-0042", "C1", "Ada Lovelace", "2026-09-01", "30.00"),
    ("INV-2026-0101", "C2", "Alan Turing", "2026-09-01", "40.00"),
    ("INV-2026-0102", "C2", "Alan Turing", "2026-10-01", "25.00"),
    ("RE-10001", "C3", "Grace Hopper", "2025-12-01", "15.00"),
    (
        "INV-2026-0007",
        "C4",
        "Edsger Dijkstra",
        "2026-10-01",
        "10.00",
    ),
    ("INV-2026-007", "C5", "Edith Clarke", "2026-10-01", "10.00"),
    (
        "INV-2026-0401",
        "C6",
        "Barbara Liskov",
        "2026-10-01",
        "20.00",
    ),
    (
        "INV-2026-0402",
        "C6",
        "Barbara Liskov",
        "2026-10-02",
        "30.00",
    ),
    (
        "INV-2026-0500",
        "C7",
        "Frances Allen",
        "2026-10-01",
        "12.00",
    ),
    ("INV-2026-0300", "C8", "Hedy Lamarr", "2026-10-01", "60.00"),
];

fn invoices() -> String {
    let mut text = INVOICE_HEADER.to_string();
    for (number, customer, name, date, total) in INVOICES {
        text.push_str(&format!(
            "{number},{customer},{name},{date},2026-10-31,{total},EUR,open\n"
        ));
    }
    text
}

/// (counterparty, remittance text, bank reference, amount)
const BANK_ROWS: &[(&str, &str, &str, &str)] = &[
    ("Ada Lovelace", "Rechnung INV-2026-42", "DB01", "30.00"),
    (
        "Alan Turing",
        "INV-2026-0102 INV-2026-0101",
        "DB02",
        "40.00",
    ),
    ("Grace Hopper", "Rechnung re 10001", "DB03", "15.00"),
    ("Edsger Dijkstra", "INV-2026-7", "DB04", "10.00"),
    (
        "Barbara Liskov",
        "INV-2026-0401, INV-2026-0402",
        "DB05",
        "55.00",
    ),
    ("Frances Allen", "Danke", "INV-2026-0500", "12.00"),
];

fn bank_csv() -> String {
    let mut text = BANK_HEADER.to_string();
    for (who, remittance, reference, amount) in BANK_ROWS {
        text.push_str(&format!(
            "2026-10-20,2026-10-20,{who},DE02120300000000202051,\"{remittance}\",{reference},{amount},EUR,\n"
        ));
    }
    text
}

/// A camt.053 with two credits carrying a structured creditor reference: `RF91INV20260300`
/// (valid, for INV-2026-0300) and `RF91INV20260310` (a typo: its check digits fail).
fn camt() -> String {
    let entry = |reference: &str, creditor_reference: &str, text: &str| {
        format!(
            r#"
      <Ntry>
        <Amt Ccy="EUR">60.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-10-21</Dt></BookgDt><ValDt><Dt>2026-10-21</Dt></ValDt>
        <AcctSvcrRef>{reference}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><Dbtr><Nm>Hedy Lamarr</Nm></Dbtr><DbtrAcct><Id><IBAN>DE12500105170648489890</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf>{text}<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>{creditor_reference}</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>"#
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-2026-10-21</MsgId><CreDtTm>2026-10-21T20:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-2026-10-21</Id><CreDtTm>2026-10-21T20:00:00</CreDtTm>
      <Acct><Id><IBAN>DE77100100100123456789</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-21</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">220.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-21</Dt></Dt></Bal>{}{}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#,
        entry("CAMT-1", "RF91INV20260300", ""),
        entry("CAMT-2", "RF91INV20260310", "<Ustrd>thanks</Ustrd>"),
    )
}

/// October's invoices, bank CSV and camt statement, applied in one run.
fn october() -> Facts {
    let company = Company::new();
    let pipeline = company.pipeline("archive", &pipeline_body());
    company.drop_file("invoices-2026-10.csv", invoices());
    company.drop_file("bank-2026-10.csv", bank_csv());
    company.drop_file("camt-2026-10-21.xml", camt());
    let summary = run_at(&pipeline, "2026-10-22T02:00:00Z");
    assert!(summary.quarantined.is_empty(), "{:?}", summary.quarantined);
    let facts = company.ledger();
    assert_lines_add_up(&facts);
    facts
}

/// The matches of the bank line whose text or bank reference is `said`.
fn matches_of<'a>(facts: &'a Facts, said: &str) -> Vec<&'a Match> {
    let ids: Vec<&str> = facts
        .bank_lines
        .iter()
        .filter(|r| r.line.text == said || r.line.bank_reference == said)
        .map(|r| r.line.id.as_str())
        .collect();
    assert_eq!(ids.len(), 1, "one bank line says {said:?}");
    facts
        .matches
        .iter()
        .map(|m| &m.matched)
        .filter(|m| m.bank_line_id == ids[0])
        .collect()
}

/// (kind, document, amount) of each match.
fn placed(matches: &[&Match]) -> Vec<(MatchKind, Option<String>, String)> {
    matches
        .iter()
        .map(|m| (m.kind, m.document.clone(), m.amount.amount.to_string()))
        .collect()
}

fn allocation(document: &str, amount: &str) -> (MatchKind, Option<String>, String) {
    (
        MatchKind::Allocation,
        Some(document.to_string()),
        amount.to_string(),
    )
}

#[test]
fn a_number_written_without_its_leading_zeros_pays_the_one_invoice_it_fits() {
    let facts = october();
    let matches = matches_of(&facts, "Rechnung INV-2026-42");
    assert_eq!(placed(&matches), [allocation("INV-2026-0042", "30.00")]);
    assert_eq!(matches[0].rule, "invoice-reference");
    assert_eq!(matches[0].confidence, 90);
    assert_eq!(
        matches[0].explanation,
        "the payment's remittance text names invoice INV-2026-0042 (customer C1 Ada Lovelace), written INV-2026-42: the same number but for leading zeros; EUR 30.00 pays it in full"
    );
}

#[test]
fn a_number_without_leading_zeros_that_fits_two_invoices_pays_neither_and_says_which() {
    let facts = october();
    let matches = matches_of(&facts, "INV-2026-7");
    assert_eq!(
        placed(&matches),
        [(MatchKind::Unmatched, None, "10.00".to_string())]
    );
    // The rules after the references say their part too (the payer, the amount).
    assert!(
        matches[0].explanation.starts_with(
            "invoice-reference: INV-2026-7 could be invoice INV-2026-0007 or INV-2026-007 (leading zeros aside), so it names none of them — pair it by hand; "
        ),
        "{}",
        matches[0].explanation
    );
}

#[test]
fn the_amount_of_exactly_the_oldest_named_invoice_pays_it_first() {
    let facts = october();
    let matches = matches_of(&facts, "INV-2026-0102 INV-2026-0101");
    assert_eq!(placed(&matches), [allocation("INV-2026-0101", "40.00")]);
    assert!(
        matches[0].explanation.contains(
            "invoices paid oldest first (INV-2026-0101, INV-2026-0102), not in the order written (INV-2026-0102, INV-2026-0101): EUR 40.00 is exactly what INV-2026-0101 had open, so the amounts say so"
        ),
        "{}",
        matches[0].explanation
    );
}

#[test]
fn several_invoices_are_paid_in_the_order_written_and_the_rest_is_credit() {
    let facts = october();
    let matches = matches_of(&facts, "INV-2026-0401, INV-2026-0402");
    assert_eq!(
        placed(&matches),
        [
            allocation("INV-2026-0401", "20.00"),
            allocation("INV-2026-0402", "30.00"),
            (MatchKind::Credit, None, "5.00".to_string()),
        ]
    );
    for m in &matches[..2] {
        assert!(
            m.explanation
                .contains("invoices paid in the order written (INV-2026-0401, INV-2026-0402)"),
            "{}",
            m.explanation
        );
    }
    assert_eq!(matches[2].customer_id.as_deref(), Some("C6"));
}

#[test]
fn every_listed_pattern_finds_its_form_of_number() {
    let facts = october();
    let matches = matches_of(&facts, "Rechnung re 10001");
    assert_eq!(placed(&matches), [allocation("RE-10001", "15.00")]);
}

#[test]
fn the_explanation_names_the_field_that_named_the_invoice() {
    let facts = october();
    let matches = matches_of(&facts, "INV-2026-0500");
    assert_eq!(placed(&matches), [allocation("INV-2026-0500", "12.00")]);
    assert!(
        matches[0]
            .explanation
            .starts_with("the payment's bank reference names invoice INV-2026-0500"),
        "{}",
        matches[0].explanation
    );
}

#[test]
fn a_valid_rf_creditor_reference_pays_the_invoice_it_names() {
    let facts = october();
    let matches = matches_of(&facts, "CAMT-1");
    assert_eq!(placed(&matches), [allocation("INV-2026-0300", "60.00")]);
    assert_eq!(matches[0].rule, "creditor-reference");
    assert_eq!(matches[0].confidence, 100);
    assert_eq!(
        matches[0].explanation,
        "creditor reference RF91INV20260300 (check digits valid) names invoice INV-2026-0300 (customer C8 Hedy Lamarr), found in the payment's creditor reference field; EUR 60.00 pays it in full"
    );
}

#[test]
fn an_rf_with_wrong_check_digits_is_never_used_and_the_line_waits_saying_so() {
    let facts = october();
    let matches = matches_of(&facts, "CAMT-2");
    assert_eq!(
        placed(&matches),
        [(MatchKind::Unmatched, None, "60.00".to_string())]
    );
    assert!(
        matches[0].explanation.starts_with(
            "invoice-reference: no invoice number found in the reference fields or the remittance text; \
             creditor-reference: RF91INV20260310 has wrong check digits (18233120260310271591 mod 97 is 77, must be 1), so it is not used — a typing error, most likely; "
        ),
        "{}",
        matches[0].explanation
    );
}
