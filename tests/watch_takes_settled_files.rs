//! `sluice watch` takes a file only once it has settled, leaves temporary and lock files
//! alone, puts files dropped together into one run, and takes a file dropped during a run
//! with the next one.

mod common;

use std::fs;
use std::io::Write;
use std::time::Duration;

use common::watcher::Watcher;
use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, journal_count};

/// Long enough that the pauses of a person copying by hand in these tests (100 ms) never
/// reach it, even on a busy machine.
const SETTLE: &str = "0.8";
const WITHIN: Duration = Duration::from_secs(20);

fn invoices() -> String {
    format!(
        "{INVOICE_HEADER}INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,49.90,EUR,open\n\
         INV-2026-0002,C2,Alan Turing,2026-10-01,2026-10-15,29.90,EUR,open\n"
    )
}

fn bank_rows() -> [String; 2] {
    [
        "2026-10-03,2026-10-03,Ada Lovelace,DE02100100100006820101,INV-2026-0001,B1,49.90,EUR,1049.90\n"
            .to_string(),
        "2026-10-04,2026-10-04,Alan Turing,DE02100100100006820102,INV-2026-0002,B2,29.90,EUR,1079.80\n"
            .to_string(),
    ]
}

fn pause() {
    std::thread::sleep(Duration::from_millis(100));
}

#[test]
fn a_file_dropped_in_pieces_is_read_once_and_whole() {
    let company = Company::new();
    company.pipeline("archive", DEMO_SOURCES);
    let watcher = Watcher::start(&company.path("pipeline.toml"), &["--settle", SETTLE]);
    watcher.wait_for("watching", 1, WITHIN);

    // Copied in place: the header and a first row, then the rest appended.
    let [first, second] = bank_rows();
    let bank = company.drop_file("bank-2026-10.csv", format!("{BANK_HEADER}{first}"));
    pause();
    fs::OpenOptions::new()
        .append(true)
        .open(&bank)
        .expect("open to append")
        .write_all(second.as_bytes())
        .expect("append");
    // Downloaded under a temporary name, in two pieces, then renamed.
    let part = company.drop_file("invoices-2026-10.csv.part", &invoices()[..60]);
    pause();
    fs::write(&part, invoices()).expect("the download goes on");
    pause();
    fs::rename(&part, company.path("inbox/invoices-2026-10.csv")).expect("rename");

    watcher.wait_for("committed run", 1, WITHIN);
    let ended = watcher.stop();
    assert_eq!(ended.code, Some(0), "{}", ended.stderr);
    assert_eq!(journal_count(&company), 1, "one run: {}", ended.stderr);
    let facts = company.ledger();
    assert_eq!(facts.bank_lines.len(), 2, "both rows of the bank file");
    assert_eq!(facts.documents.len(), 2, "both invoices");
    assert_eq!(facts.matches.len(), 2);
    assert_eq!(facts.files.len(), 2, "no file read twice or half");
    assert_eq!(ended.stdout.matches("committed run").count(), 1);
    assert!(
        ended.stdout.contains("sluice verify"),
        "the summary as sluice run prints it:\n{}",
        ended.stdout
    );
}

#[test]
fn temporary_and_lock_files_are_left_alone() {
    let company = Company::new();
    company.pipeline("archive", DEMO_SOURCES);
    let noise = [
        ("bank-2026-11.csv.part", "Booking Date,Value Da"),
        ("bank-2026-11.csv.crdownload", "Booking Date"),
        ("~$invoices-2026-10.xlsx", "Excel lock file"),
        (".~lock.invoices-2026-10.ods#", "LibreOffice lock file"),
        (".DS_Store", "hidden"),
    ];
    for (name, bytes) in noise {
        company.drop_file(name, bytes);
    }
    let watcher = Watcher::start(&company.path("pipeline.toml"), &["--settle", SETTLE]);
    watcher.wait_for("watching", 1, WITHIN);
    company.drop_file("invoices-2026-10.csv", invoices());
    watcher.wait_for("committed run", 1, WITHIN);
    // Long enough for another run, had the noise counted as a change.
    std::thread::sleep(Duration::from_millis(1500));

    let ended = watcher.stop();
    assert_eq!(ended.code, Some(0), "{}", ended.stderr);
    assert_eq!(
        ended.stderr.matches("run started").count(),
        1,
        "{}",
        ended.stderr
    );
    assert_eq!(journal_count(&company), 1);
    for (name, bytes) in noise {
        assert_eq!(
            fs::read(company.path("inbox").join(name)).expect("left in the inbox"),
            bytes.as_bytes(),
            "{name} is left alone"
        );
    }
    assert!(!company.path("quarantine").exists(), "nothing quarantined");
    assert_eq!(company.ledger().files.len(), 1);
}

#[test]
fn files_dropped_together_make_one_run() {
    let company = Company::new();
    company.pipeline("archive", DEMO_SOURCES);
    let watcher = Watcher::start(&company.path("pipeline.toml"), &["--settle", SETTLE]);
    watcher.wait_for("watching", 1, WITHIN);
    company.drop_file("invoices-2026-10.csv", invoices());
    pause();
    pause();
    company.drop_file(
        "bank-2026-10.csv",
        format!("{BANK_HEADER}{}", bank_rows().concat()),
    );

    watcher.wait_for("committed run", 1, WITHIN);
    let ended = watcher.stop();
    assert_eq!(ended.code, Some(0), "{}", ended.stderr);
    assert_eq!(journal_count(&company), 1, "{}", ended.stderr);
    assert!(
        ended.stderr.contains("2 file(s) read: 2 processed"),
        "{}",
        ended.stderr
    );
    assert_eq!(
        company.ledger().matches.len(),
        2,
        "the bank lines met their invoices"
    );
    assert!(
        fs::read_dir(company.path("inbox"))
            .expect("inbox")
            .next()
            .is_none(),
        "both archived"
    );
}

#[test]
fn a_run_for_the_watcher_takes_only_the_files_that_settled() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    let settled = company.drop_file("invoices-2026-10.csv", invoices());
    // Still being copied when the watcher decided to run.
    let copying = company.drop_file("bank-2026-10.csv", BANK_HEADER);
    let summary = sluice::run::run(
        &pipeline,
        &sluice::run::RunOptions {
            only_files: Some([settled].into_iter().collect()),
            before_archive: None,
            after_listing: None,
            ..sluice::run::RunOptions::now()
        },
    )
    .expect("run");
    assert_eq!(summary.files.read, 1);
    assert_eq!(summary.files.processed, 1);
    assert!(copying.is_file(), "left for the next run");
    assert!(summary.quarantined.is_empty());
}
