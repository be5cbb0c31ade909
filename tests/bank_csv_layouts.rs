//! Bank CSV in the layouts banks really send, read through a pipeline file the way a run
//! reads it: the source is loaded from TOML, matched by file name, and the parsed bank lines
//! are compared value by value (amount as an exact decimal, currency, dates, counterparty,
//! text, and the file line each came from). Fixtures and their origin:
//! `tests/fixtures/bank_csv/SOURCES.md`.

mod common;

use common::{Company, fixture, run_at};
use sluice::durable::sha256_hex;
use sluice::model::BankLine;
use sluice::pipeline::Pipeline;
use sluice::sources::{self, InputFile, Records, SourceError};

/// Parses `bytes` as the file `name` with the source whose `files` pattern matches it.
fn parse(pipeline: &Pipeline, name: &str, bytes: &[u8]) -> Result<Vec<BankLine>, SourceError> {
    let source = pipeline
        .sources
        .iter()
        .find(|s| s.matches_file_name(name))
        .unwrap_or_else(|| panic!("no source of the test pipeline matches {name}"));
    let sha256 = sha256_hex(bytes);
    let file = InputFile {
        name,
        sha256: &sha256,
        bytes,
    };
    match sources::parse(source, &file)? {
        Records::BankLines(lines) => Ok(lines),
        other => panic!("{name} was read as {other:?}, not as bank lines"),
    }
}

/// One bank line on one row, every field a person would check:
/// `booking date | value date | amount currency | counterparty | their account | bank reference | text`.
fn row(l: &BankLine) -> String {
    format!(
        "{} | {} | {} {} | {} | {} | {} | {}",
        l.booking_date,
        l.value_date.map(|d| d.to_string()).unwrap_or_default(),
        l.amount.amount,
        l.amount.currency,
        l.counterparty,
        l.counterparty_account,
        l.bank_reference,
        l.text
    )
}

fn rows(lines: &[BankLine]) -> Vec<String> {
    lines.iter().map(row).collect()
}

/// The line in the file each bank line came from, as a text editor numbers them.
fn line_numbers(lines: &[BankLine]) -> Vec<u64> {
    lines.iter().map(|l| l.lineage.line).collect()
}

/// A German savings-bank export: Windows-1252, `;`, three preamble lines, Soll/Haben,
/// `1.234,56`, `dd.mm.yyyy` and a `Summe` row at the end.
const SPARKASSE: &str = r#"
[[sources]]
name = "sparkasse"
format = "bank_csv"
files = ["umsaetze-*.csv"]
encoding = "windows-1252"
delimiter = ";"
skip_lines = 3
skip_trailing = 1
date_format = "%d.%m.%Y"
decimal = ","
thousands = "."
account = "DE89370400440532013000"

[sources.columns]
booking_date = "Buchungstag"
value_date = "Valuta"
counterparty = "Auftraggeber/Empfänger"
counterparty_account = "IBAN"
text = "Verwendungszweck"
debit = "Soll"
credit = "Haben"
currency = "Währung"
"#;

const GERMAN_EXPORT: &str = "bank_csv/german_soll_haben_cp1252.csv";

#[test]
fn german_windows_1252_export_reads_umlauts_soll_as_money_out_and_haben_as_money_in() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", SPARKASSE);

    let lines = parse(&pipeline, "umsaetze-2026-10.csv", &fixture(GERMAN_EXPORT)).unwrap();

    assert_eq!(
        rows(&lines),
        [
            "2026-10-01 | 2026-10-01 | 1234.56 EUR | Jürgen Müller | DE12251194332499132996 |  | Rechnung INV-2026-1001 Kundennr. C10001",
            "2026-10-02 | 2026-10-05 | -89.90 EUR | RheinEnergie Köln | DE80370501980001234567 |  | Strom Oktober, Zählergröße L",
            "2026-10-15 | 2026-10-15 | -1020.00 EUR | Bäckerei Weiß | DE75441324731966550196 |  | Büro-Frühstück Straße 5, 12 € Trinkgeld",
        ]
    );
    assert!(lines.iter().all(|l| l.account == "DE89370400440532013000"));
}

#[test]
fn in_a_windows_crlf_file_each_bank_line_keeps_the_line_number_an_editor_shows() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", SPARKASSE);

    let lines = parse(&pipeline, "umsaetze-2026-10.csv", &fixture(GERMAN_EXPORT)).unwrap();

    // Lines 1-3 preamble, 4 header, 5-7 entries, 8 Summe.
    assert_eq!(line_numbers(&lines), [5, 6, 7]);
}

#[test]
fn german_windows_1252_export_runs_into_the_ledger_with_its_umlauts_intact() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", SPARKASSE);
    company.drop_file("umsaetze-2026-10.csv", fixture(GERMAN_EXPORT));

    let summary = run_at(&pipeline, "2026-11-02T08:00:00Z");

    assert_eq!(summary.exit_code(), 0, "{:#?}", summary.quarantined);
    assert_eq!(summary.files.processed, 1);
    assert_eq!(summary.bank_lines.new, 3);
    let mut stored: Vec<BankLine> = company
        .ledger()
        .bank_lines
        .into_iter()
        .map(|r| r.line)
        .collect();
    stored.sort_by_key(|l| l.lineage.line);
    assert_eq!(
        stored
            .iter()
            .map(|l| format!("{} {} {}", l.counterparty, l.amount.amount, l.text))
            .collect::<Vec<_>>(),
        [
            "Jürgen Müller 1234.56 Rechnung INV-2026-1001 Kundennr. C10001",
            "RheinEnergie Köln -89.90 Strom Oktober, Zählergröße L",
            "Bäckerei Weiß -1020.00 Büro-Frühstück Straße 5, 12 € Trinkgeld",
        ]
    );
}

#[test]
fn a_summe_row_left_in_is_refused_with_a_hint_to_set_skip_trailing() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", &SPARKASSE.replace("skip_trailing = 1\n", ""));

    let error = parse(&pipeline, "umsaetze-2026-10.csv", &fixture(GERMAN_EXPORT)).unwrap_err();

    assert_eq!(error.file, "umsaetze-2026-10.csv");
    assert!(error.line.is_some(), "{error}");
    assert!(
        error.hint.contains("skip_trailing"),
        "a totals row at the end is what `skip_trailing` is for, the message should say so: {error}"
    );
}

#[test]
fn a_blank_line_in_the_preamble_counts_as_one_of_the_skipped_lines() {
    // Many exports separate the account block from the table by an empty line; a person
    // counting the lines above the header in an editor counts it too.
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        &SPARKASSE
            .replace("encoding = \"windows-1252\"\n", "")
            .replace("skip_lines = 3", "skip_lines = 4"),
    );
    let file = "Kontoinhaber;Müller & Größe Internet GmbH\n\
                Zeitraum;01.10.2026 - 31.10.2026\n\
                \n\
                Konto;DE89 3704 0044 0532 0130 00\n\
                Buchungstag;Valuta;Auftraggeber/Empfänger;IBAN;Verwendungszweck;Soll;Haben;Währung\n\
                01.10.2026;01.10.2026;Jürgen Müller;DE12251194332499132996;Abo Oktober;;29,90;EUR\n\
                Summe;;;;;0,00;29,90;EUR\n";

    let lines =
        parse(&pipeline, "umsaetze-2026-10.csv", file.as_bytes()).unwrap_or_else(|e| panic!("{e}"));

    assert_eq!(
        rows(&lines),
        [
            "2026-10-01 | 2026-10-01 | 29.90 EUR | Jürgen Müller | DE12251194332499132996 |  | Abo Oktober"
        ]
    );
    assert_eq!(line_numbers(&lines), [6]);
}

#[test]
fn oca_export_with_preamble_and_separate_debit_credit_columns_in_decimal_comma() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        r#"
[[sources]]
name = "oca-separated"
format = "bank_csv"
files = ["meta_data_*.csv"]
skip_lines = 4
skip_trailing = 1
date_format = "%d/%m/%y"
decimal = ","
currency = "EUR"
account = "08088804068"

[sources.columns]
booking_date = "Date"
reference = "Operation Number"
debit = "Debit"
credit = "Credit"
text = ["Label", "Detail"]
"#,
    );

    let lines = parse(
        &pipeline,
        "meta_data_separated_credit_debit.csv",
        &fixture("bank_csv/meta_data_separated_credit_debit.csv"),
    )
    .unwrap();

    // Debits are written negative ("-50,00") in the Debit column: still money out, once.
    assert_eq!(
        rows(&lines),
        [
            "2020-04-01 |  | -50.00 EUR |  |  | UNIQUE OP 1 | LABEL 1 DETAILS 1",
            "2020-04-01 |  | -100.00 EUR |  |  | UNIQUE OP 2 | LABEL 2 CLIENTS X",
            "2020-04-02 |  | -80.68 EUR |  |  | UNIQUE OP 3 | LABEL 3 DETAILS 2",
            "2020-04-02 |  | 1300.00 EUR |  |  | UNIQUE OP 4 | LABEL 4 DETAILS 3",
        ]
    );
    assert_eq!(line_numbers(&lines), [6, 7, 8, 9]);
    assert!(lines.iter().all(|l| l.account == "08088804068"));
}

#[test]
fn oca_export_with_an_amount_and_a_d_c_column_takes_the_sign_from_the_mark() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        r#"
[[sources]]
name = "oca-dc"
format = "bank_csv"
files = ["debit_credit*.csv"]
date_format = "%m/%d/%Y"
thousands = ","
currency = "USD"

[sources.columns]
booking_date = "Date"
amount = "Amount"
direction = "D/C"
counterparty = "Partner Name"
counterparty_account = "Bank Account"
text = "Label"
"#,
    );

    let lines = parse(
        &pipeline,
        "debit_credit.csv",
        &fixture("bank_csv/debit_credit.csv"),
    )
    .unwrap();

    // "-1,533.50" marked C is money in: the mark decides, not the sign written in Amount.
    assert_eq!(
        rows(&lines),
        [
            "2018-12-15 |  | -33.50 USD | John Doe | 123456789 |  | Your best supplier",
            "2018-12-15 |  | 1533.50 USD | Azure Interior |  |  | Your payment",
        ]
    );
    assert_eq!(line_numbers(&lines), [2, 3]);
}

#[test]
fn utf8_with_bom_finds_the_header_and_reads_parenthesised_amounts_as_negative() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        r#"
[[sources]]
name = "us-bank"
format = "bank_csv"
files = ["activity-*.csv"]
date_format = "%m/%d/%Y"
thousands = ","
currency = "USD"

[sources.columns]
booking_date = "Date"
amount = "Amount"
counterparty = "Payee"
text = ["Type", "Memo"]
"#,
    );
    let file = "\u{feff}Date,Type,Payee,Memo,Amount\n\
                10/01/2026,ACH CREDIT,Globex Corp,INV-2026-1001,\"1,250.00\"\n\
                10/02/2026,CARD,Office Depot,toner,(12.00)\n\
                10/03/2026,FEE,,monthly fee,\"(1,005.10)\"\n";

    let lines = parse(&pipeline, "activity-2026-10.csv", file.as_bytes()).unwrap();

    assert_eq!(
        rows(&lines),
        [
            "2026-10-01 |  | 1250.00 USD | Globex Corp |  |  | ACH CREDIT INV-2026-1001",
            "2026-10-02 |  | -12.00 USD | Office Depot |  |  | CARD toner",
            "2026-10-03 |  | -1005.10 USD |  |  |  | FEE monthly fee",
        ]
    );
    assert_eq!(line_numbers(&lines), [2, 3, 4]);
}

#[test]
fn a_file_without_header_is_mapped_by_column_number_and_joins_two_text_columns() {
    let company = Company::new();
    let pipeline = company.pipeline(
        "archive",
        r#"
[[sources]]
name = "headerless"
format = "bank_csv"
files = ["export-*.txt"]
delimiter = "|"
header = false
date_format = "%Y%m%d"

[sources.columns]
booking_date = 1
value_date = 2
amount = 5
currency = 6
counterparty = 3
text = [4, 7]
"#,
    );
    // A UTF-8 BOM before the first row must not spoil its first date.
    let file = "\u{feff}20261001|20261002|Anna Schmidt|Abo Oktober|39.90|EUR|C10042\n\
                20261005|20261005|Stadtwerke|Strom|(120.00)|eur|\n\
                20261006|20261006|Bank|Kontoführung|-4.50|CHF|Gebühr\n";

    let lines = parse(&pipeline, "export-2026-10.txt", file.as_bytes()).unwrap();

    assert_eq!(
        rows(&lines),
        [
            "2026-10-01 | 2026-10-02 | 39.90 EUR | Anna Schmidt |  |  | Abo Oktober C10042",
            "2026-10-05 | 2026-10-05 | -120.00 EUR | Stadtwerke |  |  | Strom",
            "2026-10-06 | 2026-10-06 | -4.50 CHF | Bank |  |  | Kontoführung Gebühr",
        ]
    );
    assert_eq!(line_numbers(&lines), [1, 2, 3]);
}
