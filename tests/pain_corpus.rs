//! SEPA direct debits as other projects' test suites and banks write them: pain.008
//! collections and pain.002 status reports. Every pain document of the third-party corpus
//! (`tests/fixtures/pain/`, origin and licence in `SOURCES.md`) either reads or is refused
//! for the reason the table below names; real files across versions are compared with
//! golden snapshots a reviewer can read; and broken files — cut short, wrong namespace, no
//! amount, bad IBAN, bad date, not UTF-8, an entity bomb, totals that do not add up — are
//! refused with the line, the XML path and the reason.

mod common;

use std::fmt::Write;
use std::fs;
use std::path::Path;

use common::{assert_golden, fixture};
use proptest::prelude::*;
use sluice::durable::sha256_hex;
use sluice::model::{DirectDebit, PaymentStatus};
use sluice::pipeline::SourceFormat;
use sluice::sources::{self, InputFile, Records, SourceError};

fn read(format: SourceFormat, name: &str, bytes: &[u8]) -> Result<Records, SourceError> {
    let sha256 = sha256_hex(bytes);
    let file = InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    sources::parse_standard(format, &file)
}

fn collections(name: &str, bytes: &[u8]) -> Result<Vec<DirectDebit>, SourceError> {
    match read(SourceFormat::Pain008, name, bytes)? {
        Records::DirectDebits(debits) => Ok(debits),
        other => panic!("{name} was read as {other:?}, not as collections"),
    }
}

fn statuses(name: &str, bytes: &[u8]) -> Result<Vec<PaymentStatus>, SourceError> {
    match read(SourceFormat::Pain002, name, bytes)? {
        Records::PaymentStatuses(statuses) => Ok(statuses),
        other => panic!("{name} was read as {other:?}, not as statuses"),
    }
}

/// Collections as stable text, one line each: what golden files hold.
fn collections_snapshot(debits: &[DirectDebit]) -> String {
    let mut out = String::new();
    for d in debits {
        writeln!(
            out,
            "collection line={} msg={} block={} e2e={} instr={} | {} collect={} seq={} to={} | mandate={} signed={} | {} | {} | {} | cref={} | {}",
            d.lineage.line,
            d.message_id,
            d.payment_information_id,
            d.end_to_end_id,
            d.instruction_id,
            d.amount,
            d.collection_date,
            d.sequence_type,
            d.creditor_account,
            d.mandate_id,
            d.mandate_signed.map(|d| d.to_string()).unwrap_or_else(|| "-".to_string()),
            d.debtor_name,
            d.debtor_iban,
            d.debtor_bic,
            d.creditor_reference,
            d.remittance
        )
        .unwrap();
    }
    out
}

/// Statuses as stable text, one line each.
fn statuses_snapshot(statuses: &[PaymentStatus]) -> String {
    let mut out = String::new();
    for s in statuses {
        writeln!(
            out,
            "status line={} report={} created={} on {} msg={} block={} e2e={} instr={} | {} reason={} | {} | amount={} mandate={}",
            s.lineage.line,
            s.message_id,
            s.created.map(|d| d.to_string()).unwrap_or_else(|| "-".to_string()),
            s.original_message_name,
            s.original_message_id,
            s.original_payment_information_id,
            s.end_to_end_id,
            s.instruction_id,
            s.status,
            s.reason_code,
            s.reason_text,
            s.amount.map(|a| a.to_string()).unwrap_or_else(|| "-".to_string()),
            s.mandate_id
        )
        .unwrap();
    }
    out
}

enum Outcome {
    Collections(usize),
    Statuses(usize),
    Refused {
        line: u64,
        path: &'static str,
        reason: &'static str,
    },
}

const fn refused(line: u64, path: &'static str, reason: &'static str) -> Outcome {
    Outcome::Refused { line, path, reason }
}

const NOT_PAIN_002: &str = "sluice reads pain.002 versions 001.03 to 001.14, the German DK variants pain.002.002.03 and pain.002.003.03, and the Swiss pain.002.001.03.ch.02";
const NOT_PAIN_008: &str = "sluice reads pain.008 versions 001.02 to 001.11 and the German DK variants pain.008.002.02 and pain.008.003.02";
const BG_CREDITOR_IBAN: &str =
    "IBAN \"BG87200500001234567890\" is not valid: its check digits do not match";
const CREDITOR_IBAN_PATH: &str = "/Document/CstmrDrctDbtInitn/PmtInf/CdtrAcct/Id/IBAN";

use Outcome::{Collections, Statuses};
use SourceFormat::{Pain002, Pain008};

/// Every pain document of the corpus and what sluice makes of it. php-sepa-xml writes its
/// fixtures for one made-up creditor IBAN (BG87…, check digits wrong), which sluice refuses
/// in every version; `derived/` holds two of them with that IBAN replaced by a valid one.
const CORPUS: &[(&str, SourceFormat, Outcome)] = &[
    (
        "derived/pain.008.001.02.valid-iban.xml",
        Pain008,
        Collections(1),
    ),
    (
        "derived/pain.008.001.08.valid-iban.xml",
        Pain008,
        Collections(1),
    ),
    (
        "hbci4java/test-pain-parse-0020110-01.xml",
        Pain002,
        refused(2, "/Document", "<Document> has no ISO 20022 namespace"),
    ),
    (
        "hbci4java/test-pain-parse-0020110-02.xml",
        Pain002,
        Statuses(1),
    ),
    (
        "hbci4java/test-pain-parse-0020110-03.xml",
        Pain002,
        Statuses(1),
    ),
    (
        "oca-account-payment/test-sepa-pain-unpaid-invalid.xml",
        Pain002,
        refused(
            6,
            "/Document",
            "the namespace is \"urn:iso:std:iso:20022:tech:xsd:other.002.001.03\"",
        ),
    ),
    (
        "oca-account-payment/test-sepa-pain-unpaid.xml",
        Pain002,
        Statuses(4),
    ),
    (
        "oca-account-payment/test-sepa-unpaid.xml",
        Pain002,
        Statuses(4),
    ),
    (
        "oca-l10n-switzerland/pain002p-rejected.xml",
        Pain002,
        Statuses(1),
    ),
    (
        "php-sepa-xml/pain.008.001.02.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.03.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.04.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.05.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.06.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.07.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.08.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.09.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.10.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.001.11.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.002.02.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    (
        "php-sepa-xml/pain.008.003.02.xml",
        Pain008,
        refused(33, CREDITOR_IBAN_PATH, BG_CREDITOR_IBAN),
    ),
    ("sepa_king/pain.008.002.02.xml", Pain008, Collections(2)),
    ("sepa_king/pain.008.003.02.xml", Pain008, Collections(2)),
    (
        "sluice/collections-2026-11-03.pain008.xml",
        Pain008,
        Collections(3),
    ),
    ("sluice/status-2026-11-01.pain002.xml", Pain002, Statuses(1)),
    ("sluice/status-2026-11-04.pain002.xml", Pain002, Statuses(3)),
];

#[test]
fn every_pain_document_of_the_corpus_reads_or_is_refused_for_its_known_reason() {
    let mut wrong = Vec::new();
    for (name, format, expected) in CORPUS {
        let bytes = fixture(&format!("pain/{name}"));
        let result = read(*format, name, &bytes);
        match (expected, &result) {
            (Collections(n), Ok(Records::DirectDebits(read))) if read.len() == *n => {}
            (Statuses(n), Ok(Records::PaymentStatuses(read))) if read.len() == *n => {}
            (Outcome::Refused { line, path, reason }, Err(e)) => {
                let located =
                    e.file == *name && e.line == Some(*line) && e.path.as_deref() == Some(path);
                if !located || !e.message.contains(reason) || e.hint.is_empty() {
                    wrong.push(format!(
                        "{name}: expected refusal at line {line}, {path}: \"{reason}\", got {e:?}"
                    ));
                }
            }
            (_, Err(e)) => wrong.push(format!("{name}: refused: {e}")),
            (_, Ok(records)) => wrong.push(format!(
                "{name}: read {} records of the wrong number or kind: {records:?}",
                records.len()
            )),
        }
        let detected = sources::detect(&bytes);
        if !matches!(expected, Outcome::Refused { .. }) && detected != Some(*format) {
            wrong.push(format!("{name}: detected as {detected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_corpus_table_names_every_pain_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pain");
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
    let mut in_table: Vec<String> = CORPUS.iter().map(|(n, _, _)| n.to_string()).collect();
    in_table.sort();
    assert_eq!(on_disk, in_table);
}

#[test]
fn the_fixtures_are_the_bytes_sources_md_lists() {
    let listed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pain/SOURCES.md"),
    )
    .expect("SOURCES.md");
    for (name, _, _) in CORPUS {
        let sha = sha256_hex(&fixture(&format!("pain/{name}")));
        assert!(
            listed.contains(&format!("{sha}  {name}")),
            "SOURCES.md lacks \"{sha}  {name}\""
        );
    }
}

/// Real files across versions; read the golden files against the XML when they change.
#[test]
fn real_files_across_versions_match_their_golden_snapshots() {
    for (name, golden) in [
        (
            "derived/pain.008.001.02.valid-iban.xml",
            "pain/php-sepa-xml-pain.008.001.02.txt",
        ),
        (
            "derived/pain.008.001.08.valid-iban.xml",
            "pain/php-sepa-xml-pain.008.001.08.txt",
        ),
        (
            "sepa_king/pain.008.003.02.xml",
            "pain/sepa_king-pain.008.003.02.txt",
        ),
    ] {
        let debits = collections(name, &fixture(&format!("pain/{name}")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_golden(golden, &collections_snapshot(&debits));
    }
    for (name, golden) in [
        (
            "oca-account-payment/test-sepa-pain-unpaid.xml",
            "pain/oca-pain.002.001.03.rejections.txt",
        ),
        (
            "hbci4java/test-pain-parse-0020110-03.xml",
            "pain/hbci4java-pain.002.001.10.block-status.txt",
        ),
        (
            "oca-l10n-switzerland/pain002p-rejected.xml",
            "pain/oca-pain.002.001.03.ch.02.txt",
        ),
    ] {
        let read = statuses(name, &fixture(&format!("pain/{name}")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_golden(golden, &statuses_snapshot(&read));
    }
}

// pain.008: a collection file written for sluice, broken one thing at a time.

const COLLECTIONS: &str = "sluice/collections-2026-11-03.pain008.xml";

fn collections_text() -> String {
    String::from_utf8(fixture(&format!("pain/{COLLECTIONS}"))).expect("the fixture is UTF-8")
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

fn refusal(name: &str, text: impl AsRef<[u8]>) -> SourceError {
    match collections(name, text.as_ref()) {
        Ok(debits) => panic!("{name} was read: {}", collections_snapshot(&debits)),
        Err(e) => e,
    }
}

fn assert_refused(e: &SourceError, line: u64, path: &str, reason: &str) {
    assert_eq!((e.line, e.path.as_deref()), (Some(line), Some(path)), "{e}");
    assert!(e.message.contains(reason), "{e}");
    assert!(!e.hint.is_empty(), "{e}");
}

const SECOND_BLOCK: &str = "/Document/CstmrDrctDbtInitn/PmtInf[2]";

#[test]
fn the_intact_collection_file_reads_with_every_value() {
    let text = collections_text();
    let debits = collections(COLLECTIONS, text.as_bytes()).expect("reads");
    assert_golden(
        "pain/sluice-collections-2026-11-03.txt",
        &collections_snapshot(&debits),
    );
    let lines: Vec<u64> = debits.iter().map(|d| d.lineage.line).collect();
    assert_eq!(
        lines,
        [
            line_of(&text, "<DrctDbtTxInf>", 1),
            line_of(&text, "<DrctDbtTxInf>", 2),
            line_of(&text, "<DrctDbtTxInf>", 3),
        ]
    );
    assert!(debits.iter().all(|d| d.lineage.file_name == COLLECTIONS));
}

#[test]
fn version_08_and_later_spell_the_collection_date_and_bic_their_way() {
    let name = "derived/pain.008.001.08.valid-iban.xml";
    let text = String::from_utf8(fixture(&format!("pain/{name}"))).expect("UTF-8");
    let dated = text.replace(
        "<ReqdColltnDt>2025-08-19</ReqdColltnDt>",
        "<ReqdColltnDt><Dt>2025-08-21</Dt></ReqdColltnDt>",
    );
    let debits = collections("dt.xml", dated.as_bytes()).expect("reads");
    assert_eq!(debits[0].collection_date.to_string(), "2025-08-21");
    assert_eq!(debits[0].debtor_bic, "BANKDEFFXXX");
}

#[test]
fn a_file_cut_short_is_refused_at_the_element_left_open() {
    let text = collections_text();
    let cut = &text[..text
        .find("<EndToEndId>E2E-INV-2026-1003")
        .expect("in fixture")];
    let e = refusal("cut.xml", cut);
    assert_eq!(e.file, "cut.xml");
    let opened = line_of(&text, "<PmtId>", 3);
    assert_refused(
        &e,
        cut.matches('\n').count() as u64 + 1,
        &format!("{SECOND_BLOCK}/DrctDbtTxInf[2]/PmtId"),
        &format!("the file ends inside <PmtId> (opened on line {opened})"),
    );
}

#[test]
fn every_cut_of_a_collection_file_is_refused_never_read_as_a_shorter_one() {
    let text = collections_text();
    let end = text.find("</Document>").expect("in fixture") + "</Document>".len();
    for cut in (0..end).filter(|&i| text.is_char_boundary(i)) {
        if let Ok(debits) = collections("cut.xml", &text.as_bytes()[..cut]) {
            panic!(
                "cut at byte {cut} was read: {}",
                collections_snapshot(&debits)
            );
        }
    }
}

#[test]
fn a_namespace_other_than_pain_008_is_refused_naming_it_and_what_sluice_reads() {
    for namespace in [
        "urn:iso:std:iso:20022:tech:xsd:pain.008.001.12",
        "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
        "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
    ] {
        let text =
            collections_text().replace("urn:iso:std:iso:20022:tech:xsd:pain.008.001.02", namespace);
        let e = refusal("other.xml", &text);
        assert_refused(&e, 2, "/Document", namespace);
        assert!(e.message.contains(NOT_PAIN_008), "{e}");
    }
    let camt = fixture("camt/sluice/statement-2026-10-31.camt053.xml");
    let e = statuses("camt.xml", &camt).expect_err("a statement is no status report");
    assert_refused(
        &e,
        2,
        "/Document",
        "the namespace is \"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"",
    );
    assert!(e.message.contains(NOT_PAIN_002), "{e}");
}

#[test]
fn a_collection_without_an_amount_is_refused_at_its_path() {
    let text = collections_text();
    let broken = text.replace("<InstdAmt Ccy=\"EUR\">49.90</InstdAmt>", "");
    let e = refusal("no-amount.xml", &broken);
    assert_refused(
        &e,
        line_of(&text, "<DrctDbtTxInf>", 2),
        &format!("{SECOND_BLOCK}/DrctDbtTxInf/InstdAmt"),
        "the collection has no amount (InstdAmt)",
    );
}

#[test]
fn a_collection_without_end_to_end_id_mandate_or_date_is_refused_naming_what_is_missing() {
    let text = collections_text();
    let cases = [
        (
            "<EndToEndId>E2E-INV-2026-1003</EndToEndId>",
            "",
            line_of(&text, "<DrctDbtTxInf>", 3),
            format!("{SECOND_BLOCK}/DrctDbtTxInf[2]/PmtId/EndToEndId"),
            "the collection has no end-to-end id (PmtId/EndToEndId)",
        ),
        (
            "<MndtId>MANDATE-C1002</MndtId>",
            "<MndtId></MndtId>",
            line_of(&text, "MANDATE-C1002", 1),
            format!("{SECOND_BLOCK}/DrctDbtTxInf/DrctDbtTx/MndtRltdInf/MndtId"),
            "the collection names no mandate (DrctDbtTx/MndtRltdInf/MndtId) (the element is empty)",
        ),
        (
            "<ReqdColltnDt>2026-11-03</ReqdColltnDt>",
            "",
            line_of(&text, "<PmtInf>", 1),
            "/Document/CstmrDrctDbtInitn/PmtInf/ReqdColltnDt".to_string(),
            "the payment block has no collection date (ReqdColltnDt)",
        ),
    ];
    for (from, to, line, path, reason) in cases {
        let e = refusal("missing.xml", replace_nth(&text, from, to, 1));
        assert_refused(&e, line, &path, reason);
    }
}

#[test]
fn a_fraction_of_a_cent_is_refused_at_the_amount() {
    let text = collections_text().replace(">49.90<", ">49.905<");
    let e = refusal("fraction.xml", &text);
    assert_refused(
        &e,
        line_of(&text, "49.905", 1),
        &format!("{SECOND_BLOCK}/DrctDbtTxInf/InstdAmt"),
        "the collection's amount 49.905 has more decimals than EUR allows (2)",
    );
}

#[test]
fn an_iban_with_wrong_check_digits_is_refused_naming_its_path_and_value() {
    let text =
        collections_text().replace("FR1420041010050500013M02606", "FR1520041010050500013M02606");
    let e = refusal("bad-iban.xml", &text);
    assert_refused(
        &e,
        line_of(&text, "FR1520041010050500013M02606", 1),
        &format!("{SECOND_BLOCK}/DrctDbtTxInf[2]/DbtrAcct/Id/IBAN"),
        "IBAN \"FR1520041010050500013M02606\" is not valid: its check digits do not match",
    );

    let text = replace_nth(
        &collections_text(),
        "DE89370400440532013000",
        "DE89370400440532013001",
        2,
    );
    let e = refusal("bad-account.xml", &text);
    assert_refused(
        &e,
        line_of(&text, "DE89370400440532013001", 1),
        &format!("{SECOND_BLOCK}/CdtrAcct/Id/IBAN"),
        "IBAN \"DE89370400440532013001\" is not valid",
    );
}

#[test]
fn a_date_that_is_not_one_is_refused_at_its_path() {
    let text = replace_nth(
        &collections_text(),
        "2026-11-03</ReqdColltnDt>",
        "2026-02-30</ReqdColltnDt>",
        2,
    );
    let e = refusal("bad-date.xml", &text);
    assert_refused(
        &e,
        line_of(&text, "2026-02-30", 1),
        &format!("{SECOND_BLOCK}/ReqdColltnDt"),
        "\"2026-02-30\" is not a date",
    );

    let text = collections_text().replace("<DtOfSgntr>2024-03-01<", "<DtOfSgntr>01.03.2024<");
    let e = refusal("bad-signature-date.xml", &text);
    assert_refused(
        &e,
        line_of(&text, "01.03.2024", 1),
        &format!("{SECOND_BLOCK}/DrctDbtTxInf/DrctDbtTx/MndtRltdInf/DtOfSgntr"),
        "\"01.03.2024\" is not a date",
    );
}

#[test]
fn counts_and_control_sums_that_do_not_add_up_are_refused() {
    let text = replace_nth(
        &collections_text(),
        "<CtrlSum>79.80</CtrlSum>",
        "<CtrlSum>79.90</CtrlSum>",
        1,
    );
    let e = refusal("ctrlsum.xml", &text);
    assert_refused(
        &e,
        line_of(&text, "79.90", 1),
        &format!("{SECOND_BLOCK}/CtrlSum"),
        "the payment block says its collections total 79.90 (CtrlSum), but they total 79.80",
    );

    let text = replace_nth(
        &collections_text(),
        "<NbOfTxs>3</NbOfTxs>",
        "<NbOfTxs>4</NbOfTxs>",
        1,
    );
    let e = refusal("count.xml", &text);
    assert_refused(
        &e,
        line_of(&text, "<NbOfTxs>4", 1),
        "/Document/CstmrDrctDbtInitn/GrpHdr/NbOfTxs",
        "the message says it holds 4 collections (NbOfTxs), but holds 3",
    );
}

#[test]
fn bytes_that_are_not_utf8_are_refused_with_their_line() {
    let text = collections_text();
    let latin1 = replace_bytes(text.as_bytes(), "ü".as_bytes(), &[0xFC]);
    let e = refusal("latin1-undeclared.xml", &latin1);
    assert_eq!(e.line, Some(line_of(&text, "Müller", 1)));
    assert!(e.message.contains("is not valid UTF-8 (byte 0xFC)"), "{e}");
    assert!(e.hint.contains("the billing system"), "{e}");
}

#[test]
fn a_latin1_file_that_says_so_in_its_declaration_is_read() {
    let text = collections_text().replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    let debits = collections("latin1.xml", &latin1).expect("reads");
    assert_eq!(debits[0].debtor_name, "Hans Müller");
    assert_eq!(debits[2].debtor_name, "Café Lumière SARL");
}

#[test]
fn a_doctype_with_entities_is_refused_before_anything_expands() {
    let bomb = concat!(
        "<!DOCTYPE Document [\n",
        "  <!ENTITY lol \"lol\">\n",
        "  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n",
        "  <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n",
        "  <!ENTITY lol9 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n",
        "]>\n",
    );
    let text = collections_text()
        .replacen("?>\n", &format!("?>\n{bomb}"), 1)
        .replace("Jane Roe", "&lol9;");
    let e = refusal("bomb.xml", &text);
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("declares a DOCTYPE"), "{e}");
    assert!(e.message.contains("billion laughs"), "{e}");

    let undeclared = collections_text().replace("Jane Roe", "&lol9;");
    let e = refusal("entity.xml", &undeclared);
    assert_refused(
        &e,
        line_of(&undeclared, "&lol9;", 1),
        &format!("{SECOND_BLOCK}/DrctDbtTxInf/Dbtr/Nm"),
        "\"&lol9;\", which is not defined",
    );
}

fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = haystack
        .windows(from.len())
        .position(|w| w == from)
        .expect("present");
    [&haystack[..at], to, &haystack[at + from.len()..]].concat()
}

// pain.002: statuses at the three levels a report speaks at.

const STATUSES: &str = "sluice/status-2026-11-04.pain002.xml";

fn status_text() -> String {
    String::from_utf8(fixture(&format!("pain/{STATUSES}"))).expect("the fixture is UTF-8")
}

#[test]
fn transactions_take_their_own_status_or_their_blocks_with_its_reason() {
    let text = status_text();
    let read = statuses(STATUSES, text.as_bytes()).expect("reads");
    assert_golden(
        "pain/sluice-status-2026-11-04.txt",
        &statuses_snapshot(&read),
    );
    let summary: Vec<(&str, &str, &str, &str)> = read
        .iter()
        .map(|s| {
            (
                s.end_to_end_id.as_str(),
                s.status.as_str(),
                s.reason_code.as_str(),
                s.reason_text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "E2E-INV-2026-1001",
                "RJCT",
                "AC04",
                "Konto erloschen (account closed)"
            ),
            ("E2E-INV-2026-1002", "RJCT", "AM04", ""),
            ("E2E-INV-2026-1003", "RJCT", "MD01", "no valid mandate"),
        ]
    );
    assert!(read.iter().all(PaymentStatus::is_rejection));
    assert_eq!(read[2].lineage.line, line_of(&text, "<TxInfAndSts>", 3));
}

#[test]
fn a_block_that_lists_no_transaction_gives_one_status_for_the_block() {
    let name = "hbci4java/test-pain-parse-0020110-03.xml";
    let text = String::from_utf8(fixture(&format!("pain/{name}"))).expect("UTF-8");
    let read = statuses(name, text.as_bytes()).expect("reads");
    assert_eq!(read.len(), 1);
    assert_eq!(
        read[0].original_payment_information_id,
        "2025-11-02T18:33:03:0287"
    );
    assert_eq!(read[0].end_to_end_id, "");
    assert_eq!(read[0].status, "RCVC");
    assert_eq!(read[0].lineage.line, line_of(&text, "<PmtInfSts>", 1));
}

#[test]
fn a_report_on_the_whole_message_gives_one_status_for_it() {
    let name = "sluice/status-2026-11-01.pain002.xml";
    let text = String::from_utf8(fixture(&format!("pain/{name}"))).expect("UTF-8");
    let read = statuses(name, text.as_bytes()).expect("reads");
    assert_golden(
        "pain/sluice-status-2026-11-01.txt",
        &statuses_snapshot(&read),
    );
    assert_eq!(read.len(), 1);
    let s = &read[0];
    assert_eq!(
        (
            s.original_message_id.as_str(),
            s.original_payment_information_id.as_str(),
            s.end_to_end_id.as_str()
        ),
        ("ACME-DD-2026-11-03", "", "")
    );
    assert_eq!(
        (s.status.as_str(), s.reason_code.as_str()),
        ("RJCT", "FF01")
    );
    assert_eq!(s.reason_text, "Datei abgewiesen: Schemafehler in Zeile 12");
    assert_eq!(s.lineage.line, line_of(&text, "<GrpSts>", 1));
}

#[test]
fn a_report_that_cannot_be_placed_is_refused() {
    let text = status_text();
    let no_e2e = text.replace("<OrgnlEndToEndId>E2E-INV-2026-1002</OrgnlEndToEndId>", "");
    let e = statuses("no-e2e.xml", no_e2e.as_bytes()).expect_err("refused");
    assert_refused(
        &e,
        line_of(&text, "<TxInfAndSts>", 2),
        "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[2]/TxInfAndSts/OrgnlEndToEndId",
        "names no original end-to-end id (OrgnlEndToEndId)",
    );

    let no_status = text.replace("<PmtInfSts>RJCT</PmtInfSts>", "");
    let no_status = no_status.replace("<GrpSts>PART</GrpSts>", "");
    let e = statuses("no-status.xml", no_status.as_bytes()).expect_err("refused");
    assert_refused(
        &e,
        line_of(&no_status, "<TxInfAndSts>", 3),
        "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[2]/TxInfAndSts[2]/TxSts",
        "the transaction's report gives no status (TxSts)",
    );

    let no_kind = replace_nth(&text, "<OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>", "", 1);
    let e = statuses("no-kind.xml", no_kind.as_bytes()).expect_err("refused");
    assert_refused(
        &e,
        line_of(&text, "<OrgnlGrpInfAndSts>", 1),
        "/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgNmId",
        "does not say which kind of message it answers",
    );

    let cut = &text[..text.find("<TxSts>").expect("in fixture")];
    let e = statuses("cut.xml", cut.as_bytes()).expect_err("refused");
    assert_eq!(
        e.path.as_deref(),
        Some("/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts")
    );
    assert!(
        e.message.contains("the file ends inside <TxInfAndSts>"),
        "{e}"
    );
    assert!(e.hint.contains("cut short"), "{e}");
}

#[test]
fn status_reports_and_collections_are_told_apart_by_their_namespace() {
    let pain008 = fixture(&format!("pain/{COLLECTIONS}"));
    let pain002 = fixture(&format!("pain/{STATUSES}"));
    assert_eq!(sources::detect(&pain008), Some(Pain008));
    assert_eq!(sources::detect(&pain002), Some(Pain002));
    let camt = fixture("camt/sluice/statement-2026-10-31.camt053.xml");
    assert_eq!(sources::detect(&camt), Some(SourceFormat::Camt));
    let e = collections("status.xml", &pain002).expect_err("a report is no collection file");
    assert!(e.message.contains("pain.002.001.03"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever bytes arrive — here real files with bytes overwritten anywhere — the readers
    /// return records or a refusal with a hint: they never panic and never hang.
    #[test]
    fn any_bytes_are_read_or_refused_never_a_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        for name in [COLLECTIONS, STATUSES] {
            let mut bytes = fixture(&format!("pain/{name}"));
            for (at, byte) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *byte;
            }
            for format in [Pain008, Pain002] {
                if let Err(e) = read(format, "mangled.xml", &bytes) {
                    prop_assert!(!e.message.is_empty() && !e.hint.is_empty());
                }
            }
        }
    }

    /// A file cut anywhere before its end is refused: a shorter file never passes for a
    /// smaller one.
    #[test]
    fn any_truncation_is_refused_never_a_panic(at in any::<prop::sample::Index>()) {
        for (name, format) in [(COLLECTIONS, Pain008), (STATUSES, Pain002)] {
            let bytes = fixture(&format!("pain/{name}"));
            let end = bytes.len() - "</Document>\n".len();
            let cut = &bytes[..at.index(end)];
            let e = read(format, "cut.xml", cut);
            prop_assert!(e.is_err(), "{name} cut at {} was read", cut.len());
        }
    }

    /// Random bytes are never taken for a collection file or status report.
    #[test]
    fn random_bytes_are_never_detected_as_pain(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let detected = sources::detect(&bytes);
        prop_assert!(detected != Some(Pain008) && detected != Some(Pain002));
        for format in [Pain008, Pain002] {
            prop_assert!(read(format, "random.bin", &bytes).is_err());
        }
    }
}
