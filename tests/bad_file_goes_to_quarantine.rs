//! A file sluice cannot read never stops a run and is never lost: it goes to `quarantine/`
//! (beside the inbox) with `<name>.reason.txt` next to it, the reason names the file, the
//! line and the column and says what to do, the run still takes in the good files, and it
//! ends with exit code 3.
//!
//! Every refusal is tried twice, each time with one bad and one good file in the inbox:
//! with `after = "archive"` (the bad file is moved to quarantine) and with `after = "keep"`
//! (it stays in the inbox and a copy goes to quarantine).

mod common;

use std::fs;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, fixture, run_at, tree};

const NOW: &str = "2026-10-31T18:00:00Z";

/// Three more bank layouts beside the demo bank and the invoice export: separate debit and
/// credit columns, an amount with a D/C mark, and a German `;` export with Soll/Haben.
const MORE_SOURCES: &str = r#"
[[sources]]
name = "split-bank"
format = "bank_csv"
files = ["split-*.csv"]
currency = "EUR"

[sources.columns]
booking_date = "Date"
debit = "Debit"
credit = "Credit"
text = "Text"

[[sources]]
name = "marked-bank"
format = "bank_csv"
files = ["marked-*.csv"]
currency = "EUR"

[sources.columns]
booking_date = "Date"
amount = "Amount"
direction = "D/C"
text = "Text"

[[sources]]
name = "giro"
format = "bank_csv"
files = ["giro-*.csv"]
delimiter = ";"
skip_lines = 3
skip_trailing = 1
date_format = "%d.%m.%Y"
decimal = ","
thousands = "."

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

/// A statement sluice reads without complaint, dropped beside every bad file.
const GOOD_NAME: &str = "bank-2026-09.csv";
const GOOD_REFERENCE: &str = "GOOD-0001";

fn good_statement() -> String {
    format!(
        "{BANK_HEADER}2026-09-30,2026-09-30,Good Payer,DE12251194332499132996,Ref INV-2026-0001,{GOOD_REFERENCE},10.00,EUR,10.00\n"
    )
}

/// Drops `bad_name` and the good statement into a fresh inbox, runs once with `after`, and
/// checks what every refusal must do. Returns the reason, with the company folder written
/// as `<company>` so the two modes can be compared.
fn refuse_with(after: &str, bad_name: &str, bad_bytes: &[u8]) -> String {
    let company = Company::new();
    let pipeline = company.pipeline(after, &format!("{MORE_SOURCES}{DEMO_SOURCES}"));
    let good = good_statement();
    company.drop_file(GOOD_NAME, &good);
    company.drop_file(bad_name, bad_bytes);

    let summary = run_at(&pipeline, NOW);

    assert_eq!(
        summary.quarantined.len(),
        1,
        "exactly the bad file is quarantined: {:#?}",
        summary.quarantined
    );
    let q = &summary.quarantined[0];
    assert_eq!(q.file, bad_name);
    assert!(
        q.reason.starts_with(bad_name),
        "the reason starts with the file's name: {}",
        q.reason
    );
    assert_eq!(summary.files.quarantined, 1);
    assert_eq!(summary.exit_code(), 3);

    assert_eq!(
        summary.files.processed, 1,
        "the good file is still taken in"
    );
    assert!(
        company
            .ledger()
            .bank_lines
            .iter()
            .any(|row| row.applied && row.line.bank_reference == GOOD_REFERENCE),
        "the good file's line is in the ledger"
    );

    let quarantine = company.path("quarantine");
    let copy = quarantine.join(bad_name);
    assert_eq!(q.moved_to, copy);
    assert_eq!(fs::read(&copy).expect("file in quarantine"), bad_bytes);
    let note = fs::read_to_string(quarantine.join(format!("{bad_name}.reason.txt")))
        .expect("reason beside the quarantined file");
    assert!(
        note.contains(&q.reason),
        "reason.txt holds the reason:\n{note}"
    );

    let in_inbox = company.path("inbox").join(bad_name);
    match after {
        "archive" => assert!(
            !in_inbox.exists(),
            "with after = \"archive\" the bad file is moved out of the inbox"
        ),
        "keep" => assert_eq!(
            fs::read(&in_inbox).expect("bad file still in the inbox"),
            bad_bytes,
            "with after = \"keep\" the bad file stays in the inbox as it was"
        ),
        other => panic!("unknown after = {other:?}"),
    }
    assert_nothing_deleted(
        &company,
        &[(GOOD_NAME, good.as_bytes()), (bad_name, bad_bytes)],
    );

    let folder = company.dir.path().display().to_string();
    q.reason.replace(&folder, "<company>")
}

/// Both modes refuse the file with the same reason; returns it.
fn refused(bad_name: &str, bad_bytes: impl AsRef<[u8]>) -> String {
    let moved = refuse_with("archive", bad_name, bad_bytes.as_ref());
    let copied = refuse_with("keep", bad_name, bad_bytes.as_ref());
    assert_eq!(moved, copied, "the same reason with after = keep");
    moved
}

/// Every dropped file is still somewhere a person looks: inbox, archive or quarantine,
/// byte for byte.
fn assert_nothing_deleted(company: &Company, dropped: &[(&str, &[u8])]) {
    let kept: Vec<(String, Vec<u8>)> = tree(company.dir.path())
        .into_iter()
        .filter(|(path, _)| {
            ["inbox/", "archive/", "quarantine/"]
                .iter()
                .any(|folder| path.starts_with(folder))
        })
        .collect();
    for (name, bytes) in dropped {
        assert!(
            kept.iter()
                .any(|(path, kept)| path.ends_with(name) && kept == bytes),
            "{name} is nowhere to be found any more; kept: {:?}",
            kept.iter().map(|(p, _)| p).collect::<Vec<_>>()
        );
    }
}

/// Checks the first line of a reason: where (`file:line: column "X": `), what, and what
/// to do.
fn assert_reason(reason: &str, location: &str, what: &str, to_do: &str) {
    let first = reason.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(location),
        "the reason should start with {location:?}:\n{reason}"
    );
    assert!(
        first.contains(what),
        "the reason should say {what:?}:\n{reason}"
    );
    assert!(
        first.contains(to_do),
        "the reason should say what to do ({to_do:?}):\n{reason}"
    );
}

fn bank(rows: &str) -> String {
    format!("{BANK_HEADER}{rows}")
}

fn invoices(rows: &str) -> String {
    format!("{INVOICE_HEADER}{rows}")
}

#[test]
fn a_file_whose_name_matches_no_source_lists_the_known_patterns_and_what_to_do() {
    let reason = refused(
        "statement-oct.csv",
        bank("2026-10-01,2026-10-01,Anna,DE1,Abo,R1,29.90,EUR,29.90\n"),
    );

    assert_reason(
        &reason,
        "statement-oct.csv: ",
        "the name matches no source of pipeline acme",
        "Rename the file, or add a source for it in <company>/pipeline.toml",
    );
    assert!(reason.contains("demo-bank (bank-*.csv)"), "{reason}");
    assert!(
        reason.contains("billing-invoices (invoices-*.csv)"),
        "{reason}"
    );
}

#[test]
fn an_amount_that_is_not_a_number_names_file_line_and_column() {
    let reason = refused(
        "bank-2026-10.csv",
        bank(
            "2026-10-01,2026-10-01,Anna,DE1,Abo,R1,29.90,EUR,29.90\n\
             2026-10-02,2026-10-02,Ben,DE2,Abo,R2,\"12,3x\",EUR,42.20\n",
        ),
    );

    assert_reason(
        &reason,
        "bank-2026-10.csv:3: column \"Amount\": ",
        "\"12,3x\" is not an amount",
        "fix the row, or `decimal`/`thousands` in the pipeline file",
    );
    assert!(
        reason.contains("source \"demo-bank\" of <company>/pipeline.toml"),
        "{reason}"
    );
}

#[test]
fn a_date_that_does_not_fit_date_format_names_the_format() {
    let reason = refused(
        "bank-2026-10.csv",
        bank("30.09.2026,2026-09-30,Anna,DE1,Abo,R1,29.90,EUR,29.90\n"),
    );

    assert_reason(
        &reason,
        "bank-2026-10.csv:2: column \"Booking Date\": ",
        "\"30.09.2026\" is not a date in the format \"%Y-%m-%d\"",
        "fix the row, or `date_format` in the pipeline file",
    );
}

#[test]
fn a_windows_1252_file_in_a_source_declared_utf8_says_to_set_encoding() {
    // The German export (Windows-1252) dropped for a source without `encoding`: its first
    // line already holds "Müller" as the single byte 0xFC.
    let reason = refused(
        "giro-2026-10.csv",
        fixture("bank_csv/german_soll_haben_cp1252.csv"),
    );

    assert_reason(
        &reason,
        "giro-2026-10.csv:1: ",
        "is not valid UTF-8",
        "set `encoding` for this source in the pipeline file",
    );
}

#[test]
fn a_header_without_a_mapped_column_lists_the_columns_it_has() {
    let reason = refused(
        "bank-2026-10.csv",
        "Booking Date,Value Date,Counterparty,Counterparty IBAN,Remittance Information,Amount,Currency,Balance\n\
         2026-10-01,2026-10-01,Anna,DE1,Abo,29.90,EUR,29.90\n",
    );

    assert_reason(
        &reason,
        "bank-2026-10.csv:1: ",
        "its header has no column \"Bank Reference\" (for `reference`; found: Booking Date | Value Date | Counterparty | Counterparty IBAN | Remittance Information | Amount | Currency | Balance)",
        "fix columns.reference in the pipeline file",
    );
}

#[test]
fn a_row_with_both_debit_and_credit_filled_is_refused() {
    let reason = refused(
        "split-2026-10.csv",
        "Date,Text,Debit,Credit\n\
         2026-10-01,Abo Oktober,,29.90\n\
         2026-10-02,Storno,10.00,5.00\n",
    );

    assert_reason(
        &reason,
        "split-2026-10.csv:3: column \"Debit\": ",
        "both \"Debit\" and \"Credit\" hold an amount",
        "a row is either money out or money in",
    );
}

#[test]
fn an_unknown_debit_credit_mark_lists_the_marks_sluice_knows() {
    let reason = refused(
        "marked-2026-10.csv",
        "Date,Text,Amount,D/C\n\
         2026-10-01,Abo Oktober,29.90,C\n\
         2026-10-02,Strom,80.00,X\n",
    );

    assert_reason(
        &reason,
        "marked-2026-10.csv:3: column \"D/C\": ",
        "\"X\" is neither a debit mark (D, DR, DEBIT, S, SOLL, -) nor a credit mark (C, CR, CREDIT, H, HABEN, +)",
        "add it to `debit_marks` or `credit_marks` in the pipeline file",
    );
}

#[test]
fn an_amount_with_fractions_of_a_cent_is_refused_not_rounded() {
    let reason = refused(
        "bank-2026-10.csv",
        bank("2026-10-01,2026-10-01,Anna,DE1,Abo,R1,12.345,EUR,12.35\n"),
    );

    assert_reason(
        &reason,
        "bank-2026-10.csv:2: column \"Amount\": ",
        "\"12.345\" has fractions of a cent (EUR amounts have 2 decimals)",
        "sluice never rounds money; fix the row",
    );
}

#[test]
fn fractions_of_a_cent_in_the_credit_column_name_the_credit_column() {
    let reason = refused(
        "split-2026-10.csv",
        "Date,Text,Debit,Credit\n\
         2026-10-01,Abo Oktober,,29.905\n",
    );

    assert_reason(
        &reason,
        "split-2026-10.csv:2: column \"Credit\": ",
        "29.905",
        "sluice never rounds money",
    );
}

#[test]
fn an_amount_with_fractions_of_a_cent_is_quoted_as_written_in_the_file() {
    let reason = refused(
        "giro-2026-10.csv",
        "Kontoinhaber;Müller & Größe Internet GmbH\n\
         Konto;DE89 3704 0044 0532 0130 00\n\
         Zeitraum;01.10.2026 - 31.10.2026\n\
         Buchungstag;Valuta;Auftraggeber/Empfänger;IBAN;Verwendungszweck;Soll;Haben;Währung\n\
         02.10.2026;02.10.2026;RheinEnergie Köln;DE80370501980001234567;Strom;12,345;;EUR\n\
         Summe;;;;;12,345;0,00;EUR\n",
    );

    assert_reason(
        &reason,
        "giro-2026-10.csv:5: column \"Soll\": ",
        "\"12,345\"",
        "sluice never rounds money",
    );
}

#[test]
fn an_unknown_currency_code_in_a_row_is_refused() {
    let reason = refused(
        "bank-2026-10.csv",
        bank(
            "2026-10-01,2026-10-01,Anna,DE1,Abo,R1,29.90,EUR,29.90\n\
             2026-10-02,2026-10-02,Ben,DE2,Abo,R2,39.90,EUX,69.80\n",
        ),
    );

    assert_reason(
        &reason,
        "bank-2026-10.csv:3: column \"Currency\": ",
        "\"EUX\" is not an ISO 4217 currency code",
        "fix the row",
    );
}

#[test]
fn an_invoice_export_with_the_same_invoice_number_twice_names_both_lines() {
    let reason = refused(
        "invoices-2026-10.csv",
        invoices(
            "INV-2026-0001,C1,Anna,2026-10-01,2026-10-15,29.90,EUR,open\n\
             INV-2026-0002,C2,Ben,2026-10-01,2026-10-15,39.90,EUR,open\n\
             INV-2026-0002,C3,Cem,2026-10-01,2026-10-15,49.90,EUR,open\n",
        ),
    );

    assert_reason(
        &reason,
        "invoices-2026-10.csv:4: column \"Invoice No\": ",
        "\"INV-2026-0002\" appears twice (first on line 3)",
        "export each invoice once",
    );
}

#[test]
fn an_unknown_invoice_status_lists_the_statuses_sluice_knows() {
    let reason = refused(
        "invoices-2026-10.csv",
        invoices(
            "INV-2026-0001,C1,Anna,2026-10-01,2026-10-15,29.90,EUR,open\n\
             INV-2026-0002,C2,Ben,2026-10-01,2026-10-15,39.90,EUR,pending\n",
        ),
    );

    assert_reason(
        &reason,
        "invoices-2026-10.csv:3: column \"Status\": ",
        "\"pending\" is not a status sluice knows",
        "use open/unpaid/due/overdue, paid, or cancelled/void/deleted",
    );
}

#[test]
fn a_row_cut_short_names_the_first_column_it_lacks() {
    let reason = refused(
        "bank-2026-10.csv",
        bank(
            "2026-10-01,2026-10-01,Anna,DE1,Abo,R1,29.90,EUR,29.90\n\
             2026-10-02,2026-10-02,Ben\n",
        ),
    );

    assert_reason(
        &reason,
        "bank-2026-10.csv:3: column \"Amount\": ",
        "row has only 3 fields",
        "the row is cut short",
    );
}

#[test]
fn a_refusal_in_a_windows_crlf_file_names_the_line_an_editor_shows() {
    let reason = refused(
        "bank-2026-10.csv",
        bank(
            "2026-10-01,2026-10-01,Anna,DE1,Abo,R1,29.90,EUR,29.90\n\
             2026-10-02,2026-10-02,Ben,DE2,Abo,R2,\"12,3x\",EUR,42.20\n",
        )
        .replace('\n', "\r\n"),
    );

    assert_reason(
        &reason,
        "bank-2026-10.csv:3: column \"Amount\": ",
        "\"12,3x\" is not an amount",
        "fix the row",
    );
}

#[test]
fn lock_files_partial_downloads_and_dotfiles_are_ignored_not_quarantined() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    let good = good_statement();
    company.drop_file(GOOD_NAME, &good);
    let noise = [
        ("~$bank-2026-10.csv", "Excel lock file"),
        ("bank-2026-10.csv.part", "Booking Date,Value Da"),
        ("bank-2026-10.csv.crdownload", "Booking Date,Value Da"),
        (".~lock.bank-2026-10.csv#", "LibreOffice lock file"),
        (".bank-2026-10.csv", "hidden"),
    ];
    for (name, bytes) in noise {
        company.drop_file(name, bytes);
    }

    let summary = run_at(&pipeline, NOW);

    assert_eq!(summary.files.ignored, noise.len());
    assert_eq!(summary.files.read, 1, "only the good file is looked at");
    assert_eq!(summary.files.processed, 1);
    assert!(summary.quarantined.is_empty(), "{:#?}", summary.quarantined);
    assert_eq!(summary.exit_code(), 0);
    assert!(!company.path("quarantine").exists());
    for (name, bytes) in noise {
        assert_eq!(
            fs::read(company.path("inbox").join(name)).expect("left in the inbox"),
            bytes.as_bytes(),
            "{name} is left alone"
        );
    }
}
