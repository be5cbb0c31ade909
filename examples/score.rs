//! Scores the ledger of a generated month against its truth: precision and recall of
//! sluice's automatic matching per bank line, per money and per invoice, the wrong matches
//! with examples, and what waits for a person. The definitions are those of
//! `sluice::synthetic::score`.
//!
//! ```sh
//! cargo run --release --example score -- --pipeline /tmp/month/pipeline.toml --truth /tmp/month/truth.csv
//! ```
//! Run sluice on the month first (`sluice run --pipeline /tmp/month/pipeline.toml`); this
//! only reads the ledger. Exit 0 when nothing was matched wrongly, 1 otherwise.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use sluice::ledger::Ledger;
use sluice::pipeline;
use sluice::synthetic::{score, truth};

#[derive(Parser)]
struct Args {
    /// The generated month's pipeline file
    #[arg(long)]
    pipeline: PathBuf,
    /// Its truth.csv
    #[arg(long)]
    truth: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let pipeline = match pipeline::load(&args.pipeline) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let facts = match Ledger::new(&pipeline.ledger).load() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let truth = match truth::read(&args.truth) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if facts.bank_lines.is_empty() {
        eprintln!(
            "{}: the ledger holds no bank lines; run sluice on the month first",
            pipeline.ledger.display()
        );
        return ExitCode::FAILURE;
    }
    let result = score(&facts, &truth);
    print!("{result}");
    if result.wrong_lines == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
