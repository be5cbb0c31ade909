//! The whole pipeline, stage by stage: generates a month of N customers (see
//! `sluice::synthetic`), runs sluice on it once, then once more over the same inbox (which
//! the file registry answers), and prints per stage the wall time, records/s and MB/s, the
//! peak memory of the process, and the matching's precision and recall against the truth.
//! Measure in release:
//!
//! ```sh
//! cargo run --release --example bench_run -- --customers 20000
//! ```

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use chrono::NaiveDate;
use clap::Parser;
use sluice::ledger::Ledger;
use sluice::pipeline;
use sluice::run::{self, RunOptions, Timings};
use sluice::synthetic::{self, Spec};

#[derive(Parser)]
struct Args {
    /// How many customers (one invoice each)
    #[arg(long, default_value_t = 20_000)]
    customers: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let spec = Spec {
        customers: args.customers,
        month: NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date"),
        seed: args.seed,
        mistyped_numbers: true,
    };
    let month = match synthetic::generate(&spec) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("--customers {e}");
            return ExitCode::from(2);
        }
    };
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("no temporary folder: {e}");
            return ExitCode::FAILURE;
        }
    };
    let written = month.write(dir.path()).map_err(|e| e.to_string());
    let loaded = written.and_then(|p| pipeline::load(&p).map_err(|e| e.to_string()));
    let pipeline = match loaded {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let inbox_bytes = folder_bytes(&pipeline.inbox);
    let options = RunOptions {
        now: "2026-11-02T06:00:00Z".parse().expect("a time"),
        progress: false,
        fail_at: None,
        crash_at: None,
        only_files: None,
        before_archive: None,
        after_listing: None,
    };
    let (summary, first) = match run::run_timed(&pipeline, &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("the run failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let again = RunOptions {
        now: "2026-11-02T07:00:00Z".parse().expect("a time"),
        ..options
    };
    let second = match run::run_timed(&pipeline, &again) {
        Ok((_, t)) => t,
        Err(e) => {
            eprintln!("the second run failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let facts = match Ledger::new(&pipeline.ledger).load() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let score = synthetic::score(&facts, &month.truth);
    let lines = facts.bank_lines.len() as f64;
    let rows = (facts.bank_lines.len() + facts.matches.len() + facts.documents.len()) as f64;
    let records: u64 = summary.batches.iter().map(|b| b.records).sum();
    println!(
        "sluice whole run: {} customers, {} bank lines, {} documents, inbox {:.1} MB",
        args.customers,
        facts.bank_lines.len(),
        facts.documents.len(),
        inbox_bytes as f64 / 1e6
    );
    println!("stage        seconds        per second");
    let stage = |name: &str, time: Duration, rate: Option<(f64, &str)>| {
        let secs = time.as_secs_f64();
        let per = match rate {
            Some((count, what)) if secs > 0.0 => format!("{:>12.0} {what}/s", count / secs),
            _ => String::new(),
        };
        println!("{name:<12} {secs:>8.3}  {per}");
    };
    let Timings {
        load,
        intake,
        apply,
        reconcile,
        ledger,
        render,
        archive,
        total,
    } = first;
    stage("load", load, None);
    stage("intake", intake, Some((lines, "lines")));
    if intake.as_secs_f64() > 0.0 {
        println!(
            "{:<12} {:>8}  {:>12.1} MB/s (all inbox files read, hashed and parsed)",
            "",
            "",
            inbox_bytes as f64 / 1e6 / intake.as_secs_f64()
        );
    }
    stage("apply", apply, None);
    stage("reconcile", reconcile, Some((lines, "lines")));
    stage("ledger", ledger, Some((rows, "rows")));
    stage("render", render, Some((records as f64, "records")));
    stage("archive", archive, None);
    stage("total", total, Some((lines, "lines")));
    println!(
        "second run over the same inbox (nothing new): {:.3} s",
        second.total.as_secs_f64()
    );
    match peak_rss_mb() {
        Some(mb) => println!("peak RSS: {mb} MB"),
        None => println!("peak RSS: not known on this system"),
    }
    println!(
        "matching: per line precision {} %, recall {} %; per money precision {} %, recall {} %",
        score.line_precision(),
        score.line_recall(),
        score.money_precision(),
        score.money_recall()
    );
    ExitCode::SUCCESS
}

fn folder_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// The process's peak resident memory (Linux: `VmHWM` in /proc/self/status).
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
