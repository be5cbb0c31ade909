//! Every committed run leaves `ledger/journal/<run-id>.log` beside its journal record: what
//! was read (each file with its source, format, SHA-256 and records), what was decided
//! (money per rule, outcomes, quarantined files with the reason) and what was written
//! (segments, batches with their manifest's SHA-256). A run with nothing new writes none.

mod common;

use std::fs;

use common::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, run_at};
use sluice::durable::sha256_hex;

#[test]
fn the_log_says_what_was_read_decided_and_written() {
    let company = Company::new();
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    let invoices = format!(
        "{INVOICE_HEADER}INV-2026-0001,C1,Ada Lovelace,2026-10-01,2026-10-15,49.90,EUR,open\n"
    );
    let bank = format!(
        "{BANK_HEADER}2026-10-03,2026-10-03,Ada Lovelace,DE02100100100006820101,INV-2026-0001,B1,49.90,EUR,\n\
         2026-10-05,2026-10-05,Stranger,DE27100777770209299700,hello,B2,12.00,EUR,\n"
    );
    company.drop_file("invoices-2026-10.csv", &invoices);
    company.drop_file("bank-2026-10.csv", &bank);
    company.drop_file("bank-copy.csv", &bank);
    company.drop_file("notes.txt", "not an export");

    let summary = run_at(&pipeline, "2026-11-02T03:00:00Z");
    let id = summary.run_id.expect("committed");
    let log = fs::read_to_string(company.path(&format!("ledger/journal/{id}.log")))
        .expect("the run's log");

    for expected in [
        format!("sluice run acme — run {id}, started 2026-11-02 03:00:00 UTC"),
        "READ  4 file(s): 2 processed, 1 duplicate(s), 1 quarantined".to_string(),
        format!(
            "  bank-2026-10.csv\n    sha256 {}\n    source demo-bank (format bank_csv), 2 record(s); archived as 2026/11/bank-2026-10.csv",
            sha256_hex(bank.as_bytes())
        ),
        format!(
            "  invoices-2026-10.csv\n    sha256 {}\n    source billing-invoices (format invoice_csv), 1 record(s)",
            sha256_hex(invoices.as_bytes())
        ),
        format!(
            "  bank-copy.csv\n    sha256 {}\n    same bytes as bank-2026-10.csv (this run); nothing applied again; archived as 2026/11/bank-copy.duplicate.csv",
            sha256_hex(bank.as_bytes())
        ),
        "  notes.txt — QUARANTINED as notes.txt\n    notes.txt: the name matches no source"
            .to_string(),
        "  rule invoice-reference      allocation       1 match(es)  EUR 49.90".to_string(),
        "  rule none                   unmatched        1 match(es)  EUR 12.00".to_string(),
        "  lines: 1 matched, 0 partly matched, 1 unmatched".to_string(),
        format!("  matches/{id}.parquet (2 row(s))"),
    ] {
        assert!(log.contains(&expected), "missing {expected:?} in:\n{log}");
    }
    let batch = &summary.batches[0];
    let manifest = sha256_hex(&fs::read(batch.path.join("manifest.json")).unwrap());
    assert!(
        log.contains(&format!(
            "  batch acme/xero/{id} for xero: {} file(s), {} record(s); manifest.json sha256 {manifest}",
            batch.files, batch.records
        )),
        "{log}"
    );

    let again = run_at(&pipeline, "2026-11-02T04:00:00Z");
    assert_eq!(again.run_id, None);
    let logs = fs::read_dir(company.path("ledger/journal"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "log")
        })
        .count();
    assert_eq!(logs, 1, "a run with nothing new writes no log");
}
