//! Matching throughput: N bank lines, each naming one of N open invoices, reconciled one by
//! one through `reconcile::reconcile_line` against a `Book` of those N invoices
//! (1,000,000 unless `SLUICE_BENCH_N` says otherwise).
//!
//! Matching must be a hash join, not a nested loop: the time per line may not grow with
//! the number of open invoices. Two things show it. The pass is timed at N/10 and at N —
//! flat lines per second mean a per-line cost independent of the book's size, where a
//! nested loop would be ten times slower per line at N. And it is set against the floor of
//! any hash join, a bare `HashMap` lookup of each line's invoice number (extracted before
//! the clock starts), so the ratio says what finding the number in the text, placing the
//! money and explaining it add on top of the lookup itself.
//!
//! A plain harness, like `parse.rs` and for the same reasons. The lines name their
//! invoices as payers write them (`Rechnung INV-2026-0004711 C104711`), in an order
//! unrelated to the book's, each paying its invoice in full; a line that does not come out
//! allocated fails the run, so a refusal cannot pass for speed. Building the book and the
//! lines is not timed.
//!
//! `cargo bench --bench reconcile` runs it in release. Run without `--bench` (as
//! `cargo test --benches` does) it only checks, on 1,000 lines, that every pass works.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use regex::Regex;
use sluice::model::{
    BankLine, Currency, Document, DocumentKind, DocumentStatus, EntryInfo, Lineage, MatchKind,
    Money,
};
use sluice::pipeline::ReconcileSettings;
use sluice::reconcile::{Book, reconcile_line};

const DEFAULT_N: usize = 1_000_000;
const SMOKE_N: usize = 1_000;
/// Each run reconciles every line once against a fresh book; three keep the whole
/// benchmark at 1,000,000 within a few minutes.
const RUNS: usize = 3;
const PLANS_CENTS: [i64; 4] = [1990, 2990, 3990, 5990];

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let n = match std::env::var("SLUICE_BENCH_N") {
        Ok(n) => n
            .replace('_', "")
            .parse()
            .expect("SLUICE_BENCH_N must be a whole number"),
        Err(_) if benchmarking => DEFAULT_N,
        Err(_) => SMOKE_N,
    };
    let runs = if benchmarking { RUNS } else { 1 };
    // Seven digits: the default pattern's six do not number a million invoices.
    let settings = ReconcileSettings {
        invoice_pattern: Regex::new(r"(?i)\bINV[\s\-/_.]*\d{4}[\s\-/_.]*\d{1,7}\b")
            .expect("a valid pattern"),
        ..ReconcileSettings::default()
    };
    let smoke = if benchmarking {
        ""
    } else {
        " (smoke run: pass --bench for figures)"
    };
    println!("sluice reconcile benchmark: best and median of {runs} runs{smoke}");
    println!(
        "{:>9} {:<28} {:>9} {:>10} {:>12} {:>8}",
        "lines", "pass", "best ms", "median ms", "lines/s", "× ref"
    );
    for size in [n / 10, n].into_iter().filter(|s| *s > 0) {
        let documents = invoices(size);
        let lines = bank_lines(&documents);
        let keys: Vec<String> = lines.iter().map(|l| named_invoice(l).to_string()).collect();
        let by_number: HashMap<String, Money> = documents
            .iter()
            .map(|d| (d.number.clone(), d.total))
            .collect();

        let matching = time(
            runs,
            || book_of(&documents),
            |mut book| reconcile_all(&lines, &mut book, &settings),
        );
        let floor = time(runs, || (), |()| lookups(&keys, &by_number));
        let ratio = matching.best.as_secs_f64() / floor.best.as_secs_f64();
        row(size, "reconcile_line", &matching, Some(ratio));
        row(size, "HashMap lookup (ref)", &floor, None);
    }
}

/// Reconciles every line and checks each was allocated in full to the invoice it names.
fn reconcile_all(lines: &[BankLine], book: &mut Book, settings: &ReconcileSettings) -> usize {
    let mut allocated = 0;
    for line in lines {
        let matches = reconcile_line(line, book, settings);
        let [m] = matches.as_slice() else {
            panic!(
                "{}: {} matches, expected one allocation",
                line.text,
                matches.len()
            );
        };
        assert!(
            m.kind == MatchKind::Allocation && m.document.as_deref() == Some(named_invoice(line)),
            "{}: {:?} {:?}",
            line.text,
            m.kind,
            m.document
        );
        allocated += 1;
        black_box(matches);
    }
    allocated
}

fn lookups(keys: &[String], by_number: &HashMap<String, Money>) -> usize {
    keys.iter()
        .filter(|k| black_box(by_number.get(k.as_str())).is_some())
        .count()
}

struct Timing {
    best: Duration,
    median: Duration,
}

/// Runs `pass` `runs` times on what `setup` makes; only `pass` is on the clock, and its
/// result is dropped off it.
fn time<S, T>(runs: usize, mut setup: impl FnMut() -> S, mut pass: impl FnMut(S) -> T) -> Timing {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let input = setup();
            let start = Instant::now();
            let result = black_box(pass(input));
            let elapsed = start.elapsed();
            drop(result);
            elapsed
        })
        .collect();
    times.sort();
    Timing {
        best: times[0],
        median: times[times.len() / 2],
    }
}

fn row(lines: usize, pass: &str, t: &Timing, ratio: Option<f64>) {
    let seconds = t.best.as_secs_f64();
    println!(
        "{:>9} {:<28} {:>9.1} {:>10.1} {:>12.0} {:>8}",
        lines,
        pass,
        seconds * 1e3,
        t.median.as_secs_f64() * 1e3,
        lines as f64 / seconds,
        ratio.map_or_else(|| "1.0".to_string(), |r| format!("{r:.1}")),
    );
}

fn eur() -> Currency {
    Currency::from_code("EUR").expect("EUR is a currency")
}

fn lineage(file: &str, line: usize) -> Lineage {
    Lineage {
        file_sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".to_string(),
        file_name: file.to_string(),
        line: line as u64 + 2,
    }
}

/// `n` open invoices of October 2026, one per customer, at the usual plan prices.
fn invoices(n: usize) -> Vec<Document> {
    let issued = NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date");
    (0..n)
        .map(|i| Document {
            number: format!("INV-2026-{:07}", i + 1),
            kind: DocumentKind::Invoice,
            customer_id: format!("C{}", 100_001 + i),
            customer_name: "Erika Mustermann".to_string(),
            issue_date: issued,
            due_date: issued.succ_opt(),
            total: Money::from_minor(PLANS_CENTS[i % PLANS_CENTS.len()], eur()),
            status: DocumentStatus::Open,
            deleted: false,
            itemized: false,
            lines: Vec::new(),
            lineage: lineage("invoices-2026-10.csv", i),
        })
        .collect()
}

fn book_of(documents: &[Document]) -> Book {
    let mut book = Book::default();
    for d in documents {
        book.upsert(d.clone());
    }
    book
}

/// One line per invoice, paying it in full, in an order unrelated to the invoices' (a
/// multiplicative permutation: `i × 7,919 mod n` visits every invoice once when `n` is not
/// a multiple of the prime 7,919).
fn bank_lines(documents: &[Document]) -> Vec<BankLine> {
    let n = documents.len();
    let step = if n.is_multiple_of(7_919) { 1 } else { 7_919 };
    let booked = NaiveDate::from_ymd_opt(2026, 10, 12).expect("a date");
    (0..n)
        .map(|i| {
            let d = &documents[(i * step) % n];
            let lineage = lineage("bank-2026-10.csv", i);
            BankLine {
                id: lineage.record_id(),
                lineage,
                account: "DE89370400440532013000".to_string(),
                booking_date: booked,
                value_date: Some(booked),
                amount: d.total,
                counterparty: d.customer_name.clone(),
                counterparty_account: "DE02100100100006820101".to_string(),
                bank_reference: format!("DB20261012{i:07}"),
                text: format!("Rechnung {} {}", d.number, d.customer_id),
                info: EntryInfo::default(),
            }
        })
        .collect()
}

/// The invoice number a benchmark line names (`Rechnung INV-… C…`).
fn named_invoice(line: &BankLine) -> &str {
    line.text
        .split(' ')
        .nth(1)
        .expect("the text names an invoice")
}
