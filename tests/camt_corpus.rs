//! ISO 20022 camt.052 / camt.053 / camt.054 as banks and other parsers' test suites write
//! them. Every camt document of the third-party corpus (`tests/fixtures/camt/`, origin and
//! licence in `SOURCES.md`) either reads with its balances adding up or is refused for the
//! reason the table below names; six real files across versions are compared with golden
//! snapshots a reviewer can read; and broken statements — cut short, wrong namespace, no
//! amount, bad IBAN, bad date, not UTF-8, an entity bomb — are refused with the line, the
//! XML path and the reason.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_golden, fixture, snapshot};
use proptest::prelude::*;
use sluice::durable::sha256_hex;
use sluice::pipeline::SourceFormat;
use sluice::sources::{SourceError, Statement};

fn read(name: &str, bytes: &[u8]) -> Result<Vec<Statement>, SourceError> {
    common::read_statements(SourceFormat::Camt, name, bytes)
}

fn read_fixture(relative: &str) -> Result<Vec<Statement>, SourceError> {
    read(relative, &fixture(&format!("camt/{relative}")))
}

enum Outcome {
    Reads {
        statements: usize,
        booked: usize,
        not_booked: usize,
    },
    Refused {
        line: Option<u64>,
        path: &'static str,
        reason: &'static str,
    },
}

const fn reads(statements: usize, booked: usize, not_booked: usize) -> Outcome {
    Outcome::Reads {
        statements,
        booked,
        not_booked,
    }
}

const fn refused(line: u64, path: &'static str, reason: &'static str) -> Outcome {
    Outcome::Refused {
        line: Some(line),
        path,
        reason,
    }
}

const NOT_CAMT: &str = "sluice reads camt.052, camt.053 and camt.054, versions 001.01 to 001.13";
const EUR_SEK: &str = "opens in EUR but closes in SEK";
const BAD_CHECK_DIGITS: &str = "is not valid: its check digits do not match";
const NO_DATE: &str = "the entry has neither a booking date (BookgDt) nor a value date (ValDt)";

/// Every camt document of the corpus and what sluice makes of it. The third-party test
/// suites use made-up IBANs (check digits wrong), made-up balances (EUR opening, SEK
/// closing) and entries without any date; sluice refuses each of those, at the first one.
/// `derived/` holds three hbci4java files with their made-up IBANs replaced by valid ones,
/// so the defect they were written to show (13 decimals, a balance without a date) is the
/// one that refuses them.
const CORPUS: &[(&str, Outcome)] = &[
    (
        "derived/test-camt-parse-05200108.valid-ibans.xml",
        reads(1, 1, 0),
    ),
    (
        "derived/test-camt-parse-5200108-invalid-saldo.valid-ibans.xml",
        refused(
            39,
            "/Document/BkToCstmrAcctRpt/Rpt/Bal/Amt",
            "the opening balance's amount 100.0000000000005 has more decimals than EUR allows (2)",
        ),
    ),
    (
        "derived/test-camt-parse-5200108-missing-date.valid-ibans.xml",
        refused(
            33,
            "/Document/BkToCstmrAcctRpt/Rpt/Bal/Dt",
            "the opening balance has no date",
        ),
    ),
    ("genkgo/camt052.v1.xml", reads(1, 1, 0)),
    ("genkgo/camt052.v2.other-account.xml", reads(1, 1, 0)),
    (
        "genkgo/camt052.v2.with-account-name.xml",
        refused(17, "/Document/BkToCstmrAcctRpt/Rpt/Ntry/BookgDt", NO_DATE),
    ),
    ("genkgo/camt052.v2.xml", reads(1, 1, 0)),
    ("genkgo/camt052.v4.xml", reads(1, 0, 1)),
    ("genkgo/camt052.v6.Amt-zero.xml", reads(1, 0, 1)),
    ("genkgo/camt052.v6.xml", reads(1, 0, 1)),
    ("genkgo/camt052.v8.xml", reads(1, 1, 0)),
    (
        "genkgo/camt053.v2.all-balance-types.xml",
        refused(
            10,
            "/Document/BkToCstmrStmt/Stmt",
            "does not add up: opening balance EUR 1.01 plus 1 booked entries gives EUR 9.86, but the closing balance is EUR 4.04",
        ),
    ),
    (
        "genkgo/camt053.v2.five.decimals.xml",
        refused(
            25,
            "/Document/BkToCstmrStmt/Stmt",
            "does not add up: opening balance EUR 18.15 plus 1 booked entries gives EUR 27.00, but the closing balance is EUR 27.05",
        ),
    ),
    (
        "genkgo/camt053.v2.minimal.ultimate.xml",
        refused(26, "/Document/BkToCstmrStmt/Stmt", EUR_SEK),
    ),
    (
        "genkgo/camt053.v2.minimal.xml",
        refused(26, "/Document/BkToCstmrStmt/Stmt", EUR_SEK),
    ),
    ("genkgo/camt053.v2.multi.statement.xml", reads(2, 2, 0)),
    ("genkgo/camt053.v2.with-account-name.xml", reads(1, 1, 0)),
    (
        "genkgo/camt053.v2.with-party-ids.xml",
        refused(26, "/Document/BkToCstmrStmt/Stmt", EUR_SEK),
    ),
    (
        "genkgo/camt053.v2.wrong.xml",
        Outcome::Refused {
            line: None,
            path: "/Document/BkToCstmrStmt",
            reason: "this camt.053.001.02 holds no Stmt (only a group header)",
        },
    ),
    (
        "genkgo/camt053.v3.xml",
        refused(26, "/Document/BkToCstmrStmt/Stmt", EUR_SEK),
    ),
    (
        "genkgo/camt053.v4.xml",
        refused(30, "/Document/BkToCstmrStmt/Stmt", EUR_SEK),
    ),
    (
        "genkgo/camt053.v8.xml",
        refused(30, "/Document/BkToCstmrStmt/Stmt", EUR_SEK),
    ),
    (
        "genkgo/camt054.v2.with-account-name.xml",
        refused(
            17,
            "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry/BookgDt",
            NO_DATE,
        ),
    ),
    ("genkgo/camt054.v2.xml", reads(1, 1, 0)),
    ("genkgo/camt054.v4.xml", reads(1, 1, 0)),
    (
        "genkgo/camt054.v8-with-UETR.xml",
        refused(
            16,
            "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry/BookgDt",
            NO_DATE,
        ),
    ),
    (
        "genkgo/camt054.v8-with-financial-institution.xml",
        refused(
            16,
            "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry/BookgDt",
            NO_DATE,
        ),
    ),
    ("genkgo/camt054.v8.xml", reads(1, 1, 0)),
    ("genkgo/camt53.only-Dt-with-DtTm.xml", reads(1, 0, 0)),
    (
        "hbci4java/test-camt-parse-05200102.xml",
        refused(
            21,
            "/Document/BkToCstmrAcctRpt/Rpt/Acct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    (
        "hbci4java/test-camt-parse-05200108.xml",
        refused(
            19,
            "/Document/BkToCstmrAcctRpt/Rpt/Acct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    (
        "hbci4java/test-camt-parse-5200108-invalid-saldo.xml",
        refused(
            19,
            "/Document/BkToCstmrAcctRpt/Rpt/Acct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    (
        "hbci4java/test-camt-parse-5200108-missing-date.xml",
        refused(
            19,
            "/Document/BkToCstmrAcctRpt/Rpt/Acct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    (
        "hbci4java/test-camt-parse-invalid.xml",
        refused(
            2,
            "/Document",
            "the namespace is \"urn:iso:std:iso:20022:tech:xsd:camt\"",
        ),
    ),
    (
        "hbci4java/test-camt-parse-none.xml",
        refused(2, "/Document", "<Document> has no ISO 20022 namespace"),
    ),
    (
        "hbci4java/test-camt-ruecklastschrift.xml",
        refused(
            21,
            "/Document/BkToCstmrAcctRpt/Rpt/Acct/Id/IBAN",
            "IBAN \"DE1234567890\" is not valid",
        ),
    ),
    (
        "kedder-ofxstatement-iso20022/camt052.xml",
        refused(
            18,
            "/Document/BkToCstmrAcctRpt/Rpt/Acct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    ("kedder-ofxstatement-iso20022/camt053.xml", reads(1, 1, 0)),
    (
        "kedder-ofxstatement-iso20022/davider80.xml",
        refused(
            19,
            "/Document/BkToCstmrStmt/Stmt/Acct/Id/IBAN",
            "IBAN \"CHxxxxxxxxxxxxxxxxxxx\" is not valid: it is not written as an IBAN",
        ),
    ),
    (
        "kedder-ofxstatement-iso20022/gcamp6.xml",
        refused(
            31,
            "/Document/BkToCstmrStmt/Stmt/Bal/Amt/@Ccy",
            "\"XXX\" is not an ISO 4217 currency code",
        ),
    ),
    (
        "kedder-ofxstatement-iso20022/simple.xml",
        refused(
            18,
            "/Document/BkToCstmrStmt/Stmt/Acct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    (
        "kedder-ofxstatement-iso20022/unsupported.xml",
        refused(2, "/Document", NOT_CAMT),
    ),
    (
        "oca-account-payment/test-sepa-camt-unpaid-invalid.xml",
        refused(
            2,
            "/Document",
            "the namespace is \"urn:iso:std:iso:20022:tech:xsd:other.054.001.02\"",
        ),
    ),
    (
        "oca-account-payment/test-sepa-camt-unpaid.xml",
        refused(
            72,
            "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry/NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/IBAN",
            "IBAN \"IE16AIBK93110187654321\" is not valid: its check digits do not match",
        ),
    ),
    (
        "oca-bank-statement-import/test-camt053",
        refused(
            95,
            "/Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    (
        "oca-bank-statement-import/test-camt053-bookgdt-dttm",
        refused(
            95,
            "/Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    (
        "oca-bank-statement-import/test-camt053-no-ntry",
        reads(1, 0, 0),
    ),
    (
        "oca-bank-statement-import/test-camt053-txdtls",
        refused(
            23,
            "/Document/BkToCstmrStmt/Stmt/Acct/Id/IBAN",
            "IBAN \"CH1111000000123456789\" is not valid",
        ),
    ),
    (
        "oca-bank-statement-import/test-camt054",
        refused(
            88,
            "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry/NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/IBAN",
            BAD_CHECK_DIGITS,
        ),
    ),
    ("sluice/statement-2026-10-31.camt053.xml", reads(1, 2, 1)),
];

#[test]
fn every_camt_document_of_the_corpus_reads_or_is_refused_for_its_known_reason() {
    let mut wrong = Vec::new();
    for (name, expected) in CORPUS {
        let result = read(name, &fixture(&format!("camt/{name}")));
        match (expected, &result) {
            (
                Outcome::Reads {
                    statements,
                    booked,
                    not_booked,
                },
                Ok(read),
            ) => {
                let counts = (
                    read.len(),
                    read.iter().map(|s| s.lines.len()).sum::<usize>(),
                    read.iter().map(|s| s.not_booked.len()).sum::<usize>(),
                );
                if counts != (*statements, *booked, *not_booked) {
                    wrong.push(format!(
                        "{name}: expected {statements} statements, {booked} booked and {not_booked} not booked entries, read {counts:?}"
                    ));
                }
            }
            (Outcome::Refused { line, path, reason }, Err(e)) => {
                let located = e.file == *name && e.line == *line && e.path.as_deref() == Some(path);
                if !located || !e.message.contains(reason) || e.hint.is_empty() {
                    wrong.push(format!(
                        "{name}: expected refusal at line {line:?}, {path}: \"{reason}\", got {e:?}"
                    ));
                }
            }
            (Outcome::Reads { .. }, Err(e)) => wrong.push(format!("{name}: refused: {e}")),
            (Outcome::Refused { reason, .. }, Ok(_)) => {
                wrong.push(format!("{name}: read, but should be refused: {reason}"))
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_corpus_table_names_every_camt_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/camt");
    let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != "SOURCES.md")
        .map(|e| {
            let relative = e.path().strip_prefix(&root).expect("below root");
            relative.to_string_lossy().replace('\\', "/")
        })
        .collect();
    on_disk.sort();
    let mut in_table: Vec<String> = CORPUS.iter().map(|(n, _)| n.to_string()).collect();
    in_table.sort();
    assert_eq!(on_disk, in_table);
}

/// Real files across versions; read the golden files against the XML when they change.
#[test]
fn real_statements_across_versions_match_their_golden_snapshots() {
    for (fixture_name, golden) in [
        ("genkgo/camt052.v4.xml", "camt/genkgo-camt052.v4.txt"),
        (
            "derived/test-camt-parse-05200108.valid-ibans.xml",
            "camt/hbci4java-camt052.v8.txt",
        ),
        (
            "genkgo/camt053.v2.multi.statement.xml",
            "camt/genkgo-camt053.v2.multi-statement.txt",
        ),
        (
            "oca-bank-statement-import/test-camt053-no-ntry",
            "camt/oca-camt053.v4.no-entries.txt",
        ),
        (
            "kedder-ofxstatement-iso20022/camt053.xml",
            "camt/kedder-camt053.v8.txt",
        ),
        ("genkgo/camt054.v2.xml", "camt/genkgo-camt054.v2.batch.txt"),
    ] {
        let statements =
            read_fixture(fixture_name).unwrap_or_else(|e| panic!("{fixture_name}: {e}"));
        assert_golden(golden, &snapshot(&statements));
    }
}

// Refusals, each of a copy of one statement written for sluice with one thing broken.

const STATEMENT: &str = "sluice/statement-2026-10-31.camt053.xml";

fn statement_text() -> String {
    String::from_utf8(fixture(&format!("camt/{STATEMENT}"))).expect("the fixture is UTF-8")
}

/// The 1-based line of the `nth` (1-based) occurrence of `needle`.
fn line_of(text: &str, needle: &str, nth: usize) -> u64 {
    let (at, _) = text
        .match_indices(needle)
        .nth(nth - 1)
        .unwrap_or_else(|| panic!("\"{needle}\" occurs fewer than {nth} times"));
    text[..at].matches('\n').count() as u64 + 1
}

/// `text` with the `nth` occurrence of `from` replaced by `to`.
fn replace_nth(text: &str, from: &str, to: &str, nth: usize) -> String {
    let (at, _) = text
        .match_indices(from)
        .nth(nth - 1)
        .unwrap_or_else(|| panic!("\"{from}\" occurs fewer than {nth} times"));
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

fn refusal(name: &str, bytes: &[u8]) -> SourceError {
    match read(name, bytes) {
        Ok(statements) => panic!("{name} was read: {}", snapshot(&statements)),
        Err(e) => e,
    }
}

#[test]
fn the_intact_statement_reads_with_every_value() {
    let statements = read_fixture(STATEMENT).expect("reads");
    assert_golden(
        "camt/sluice-statement-2026-10-31.txt",
        &snapshot(&statements),
    );
    let s = &statements[0];
    assert_eq!(s.path, "/Document/BkToCstmrStmt/Stmt");
    assert_eq!(s.line, 8);
    let ids: Vec<&str> = s
        .lines
        .iter()
        .chain(&s.not_booked)
        .map(|l| l.id.as_str())
        .collect();
    let sha = sha256_hex(&fixture(&format!("camt/{STATEMENT}")));
    let prefix = &sha[..12];
    assert_eq!(
        ids,
        [
            format!("{prefix}:entry1"),
            format!("{prefix}:entry2"),
            format!("{prefix}:entry3"),
        ]
    );
}

#[test]
fn a_statement_on_one_line_still_gives_each_entry_its_own_id() {
    let one_line = statement_text().replace('\n', " ");
    let statements = read("one-line.xml", one_line.as_bytes()).expect("reads");
    let entries: Vec<_> = statements[0]
        .lines
        .iter()
        .chain(&statements[0].not_booked)
        .collect();
    assert!(entries.iter().all(|l| l.lineage.line == 1));
    let mut ids: Vec<&str> = entries.iter().map(|l| l.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{ids:?}");
}

#[test]
fn a_file_cut_short_is_refused_at_the_element_left_open() {
    let text = statement_text();
    let cut = &text[..text.find("<AcctSvcrRef>BANKREF-0002").expect("in fixture")];
    let e = refusal("cut.xml", cut.as_bytes());
    assert_eq!(e.file, "cut.xml");
    assert_eq!(
        e.path.as_deref(),
        Some("/Document/BkToCstmrStmt/Stmt/Ntry[2]")
    );
    assert_eq!(e.line, Some(cut.matches('\n').count() as u64 + 1));
    let opened = line_of(&text, "<Ntry>", 2);
    assert!(
        e.message
            .contains(&format!("ends inside <Ntry> (opened on line {opened})")),
        "{e}"
    );
}

#[test]
fn every_cut_of_a_statement_is_refused_never_read_as_a_shorter_one() {
    let text = statement_text();
    let end = text.find("</Document>").expect("in fixture") + "</Document>".len();
    for cut in (0..end).filter(|&i| text.is_char_boundary(i)) {
        if let Ok(statements) = read("cut.xml", &text.as_bytes()[..cut]) {
            panic!("cut at byte {cut} was read: {}", snapshot(&statements));
        }
    }
}

#[test]
fn a_namespace_other_than_camt_05x_versions_01_to_13_is_refused() {
    for namespace in [
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.14",
        "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
    ] {
        let text =
            statement_text().replace("urn:iso:std:iso:20022:tech:xsd:camt.053.001.02", namespace);
        let e = refusal("other.xml", text.as_bytes());
        assert_eq!((e.line, e.path.as_deref()), (Some(2), Some("/Document")));
        assert!(e.message.contains(namespace), "{e}");
        assert!(e.message.contains(NOT_CAMT), "{e}");
    }
}

#[test]
fn an_entry_without_an_amount_is_refused_at_its_path() {
    let text = statement_text();
    let broken = text.replace("<Amt Ccy=\"EUR\">99.80</Amt>", "");
    let e = refusal("no-amount.xml", broken.as_bytes());
    assert_eq!(e.line, Some(line_of(&text, "<Ntry>", 2)));
    assert_eq!(
        e.path.as_deref(),
        Some("/Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt")
    );
    assert!(e.message.contains("the entry has no amount (Amt)"), "{e}");
}

#[test]
fn a_fraction_of_a_cent_is_refused_at_the_amount() {
    let text = statement_text().replace(">249.90<", ">249.905<");
    let e = refusal("fraction.xml", text.as_bytes());
    assert_eq!(e.line, Some(line_of(&text, "249.905", 1)));
    assert_eq!(
        e.path.as_deref(),
        Some("/Document/BkToCstmrStmt/Stmt/Ntry/Amt")
    );
    assert!(
        e.message
            .contains("249.905 has more decimals than EUR allows (2)"),
        "{e}"
    );
}

#[test]
fn an_iban_with_wrong_check_digits_is_refused_naming_its_path_and_value() {
    let text = statement_text().replace("GB33BUKB20201555555555", "GB34BUKB20201555555555");
    let e = refusal("bad-iban.xml", text.as_bytes());
    assert_eq!(e.line, Some(line_of(&text, "GB34BUKB20201555555555", 1)));
    assert_eq!(
        e.path.as_deref(),
        Some("/Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/IBAN")
    );
    assert!(
        e.message.contains(
            "IBAN \"GB34BUKB20201555555555\" is not valid: its check digits do not match"
        ),
        "{e}"
    );

    let text = statement_text().replace(
        "<IBAN>DE89370400440532013000</IBAN>\n        </Id>",
        "<IBAN>DE89370400440532013001</IBAN>\n        </Id>",
    );
    let e = refusal("bad-account.xml", text.as_bytes());
    assert_eq!(
        e.path.as_deref(),
        Some("/Document/BkToCstmrStmt/Stmt/Acct/Id/IBAN")
    );
    assert!(e.message.contains("DE89370400440532013001"), "{e}");
}

#[test]
fn a_date_that_is_not_one_is_refused_at_its_path() {
    let text = replace_nth(
        &statement_text(),
        "<BookgDt><Dt>2026-10-31</Dt></BookgDt>",
        "<BookgDt><Dt>2026-02-30</Dt></BookgDt>",
        2,
    );
    let e = refusal("bad-date.xml", text.as_bytes());
    assert_eq!(e.line, Some(line_of(&text, "2026-02-30", 1)));
    assert_eq!(
        e.path.as_deref(),
        Some("/Document/BkToCstmrStmt/Stmt/Ntry[2]/BookgDt/Dt")
    );
    assert!(e.message.contains("\"2026-02-30\" is not a date"), "{e}");
}

#[test]
fn a_statement_that_does_not_add_up_is_refused_naming_both_balances() {
    let text = statement_text().replace(">1150.10<", ">1150.11<");
    let e = refusal("short.xml", text.as_bytes());
    assert_eq!(e.path.as_deref(), Some("/Document/BkToCstmrStmt/Stmt"));
    assert!(e.message.contains("EUR 1000.00"), "{e}");
    assert!(e.message.contains("EUR 1150.11"), "{e}");
}

#[test]
fn bytes_that_are_not_utf8_are_refused_with_their_line() {
    let text = statement_text();
    let latin1 = text.replace("Müller", "M\u{FFFD}ller").into_bytes();
    let latin1 = replace_bytes(&latin1, "\u{FFFD}".as_bytes(), &[0xFC]);
    let e = refusal("latin1-undeclared.xml", &latin1);
    assert_eq!(e.line, Some(line_of(&text, "Müller", 1)));
    assert!(e.message.contains("is not valid UTF-8 (byte 0xFC)"), "{e}");
}

#[test]
fn a_latin1_file_that_says_so_in_its_declaration_is_read() {
    let text = statement_text().replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    let statements = read("latin1.xml", &latin1).expect("reads");
    assert_eq!(statements[0].lines[0].counterparty, "Hans Müller");
}

#[test]
fn a_doctype_with_entities_is_refused_before_anything_expands() {
    let bomb = concat!(
        "<!DOCTYPE Document [\n",
        "  <!ENTITY lol \"lol\">\n",
        "  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n",
        "  <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n",
        "  <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n",
        "  <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n",
        "]>\n",
    );
    let text = statement_text()
        .replacen("?>\n", &format!("?>\n{bomb}"), 1)
        .replace("customer 1001", "&lol9;");
    let e = refusal("bomb.xml", text.as_bytes());
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("declares a DOCTYPE"), "{e}");
    assert!(e.message.contains("billion laughs"), "{e}");

    let undeclared = statement_text().replace("customer 1001", "&lol9;");
    let e = refusal("entity.xml", undeclared.as_bytes());
    assert_eq!(e.line, Some(line_of(&undeclared, "&lol9;", 1)));
    assert!(
        e.message.contains("\"&lol9;\", which is not defined"),
        "{e}"
    );
}

fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = haystack
        .windows(from.len())
        .position(|w| w == from)
        .expect("present");
    [&haystack[..at], to, &haystack[at + from.len()..]].concat()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever bytes arrive — here a real statement with bytes overwritten anywhere — the
    /// reader returns statements or a refusal: it never panics and never hangs.
    #[test]
    fn any_bytes_are_read_or_refused_never_a_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = fixture(&format!("camt/{STATEMENT}"));
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Err(e) = read("mangled.xml", &bytes) {
            prop_assert!(!e.message.is_empty() && !e.hint.is_empty());
        }
    }
}

#[test]
fn the_fixtures_are_the_bytes_sources_md_lists() {
    let listed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/camt/SOURCES.md"),
    )
    .expect("SOURCES.md");
    for (name, _) in CORPUS {
        let sha = sha256_hex(&fixture(&format!("camt/{name}")));
        assert!(
            listed.contains(&format!("{sha}  {name}")),
            "SOURCES.md lacks \"{sha}  {name}\""
        );
    }
}

#[test]
fn charges_stated_one_by_one_are_added_up_and_mixed_currencies_refused() {
    let charges =
        "<Chrgs><Amt Ccy=\"EUR\">1.50</Amt></Chrgs><Chrgs><Amt Ccy=\"EUR\">0.25</Amt></Chrgs>";
    let text = replace_nth(
        &statement_text(),
        "<AcctSvcrRef>",
        &format!("{charges}<AcctSvcrRef>"),
        1,
    );
    // Element order does not matter to the walker; the values do.
    let statements = read("charges.xml", text.as_bytes()).expect("reads");
    let charged = statements[0].lines[0].info.charges.expect("charges");
    assert_eq!(charged.to_string(), "EUR 1.75");
    assert!(statements[0].lines[1].info.charges.is_none());

    let text = text.replace("<Amt Ccy=\"EUR\">0.25</Amt>", "<Amt Ccy=\"CHF\">0.25</Amt>");
    let e = refusal("mixed.xml", text.as_bytes());
    assert!(
        e.message
            .contains("charges in EUR and CHF on one entry cannot be added up"),
        "{e}"
    );
    assert_eq!(e.line, Some(line_of(&text, "0.25", 1)));
}

/// The account block (`<Acct>` … `</Acct>`) of the fixture, and the text without it.
fn without_account(text: &str) -> (String, String) {
    let start = text.find("      <Acct>").expect("in fixture");
    let end = text.find("</Acct>\n").expect("in fixture") + "</Acct>\n".len();
    (
        text[start..end].to_string(),
        format!("{}{}", &text[..start], &text[end..]),
    )
}

#[test]
fn a_statement_naming_its_account_after_its_entries_reads_the_same_entries() {
    let text = statement_text();
    let intact = read("intact.xml", text.as_bytes()).expect("reads");
    let (account, rest) = without_account(&text);
    // Against the schema's order, but the entries are the same: they wait for the account.
    for before in ["    </Stmt>", "      <Ntry>"] {
        let nth = if before.contains("Ntry") { 2 } else { 1 };
        let moved = replace_nth(&rest, before, &format!("{account}{before}"), nth);
        let read_back = read("intact.xml", moved.as_bytes()).expect("reads");
        // Lines of the file moved with the account block; nothing else may differ.
        let strip_lines = |s: &[Statement]| {
            snapshot(s)
                .split(' ')
                .filter(|word| !word.starts_with("line="))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(strip_lines(&read_back), strip_lines(&intact), "{before}");
        assert_eq!(read_back[0].account, "DE89370400440532013000");
    }
}

#[test]
fn a_statement_without_an_account_is_refused_at_its_path() {
    let (_, rest) = without_account(&statement_text());
    let e = refusal("no-account.xml", rest.as_bytes());
    assert_eq!(
        e.path.as_deref(),
        Some("/Document/BkToCstmrStmt/Stmt/Acct/Id")
    );
    assert_eq!(e.line, Some(8));
    assert!(
        e.message.contains("the Stmt names no account (Acct/Id)"),
        "{e}"
    );
}
