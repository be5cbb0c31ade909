//! Generates a month of an ISP with known truth (see `sluice::synthetic`):
//!
//! ```sh
//! cargo run --release --example gen -- --customers 20000 --month 2026-10 --seed 7 --out /tmp/month
//! cargo run --release -- run --pipeline /tmp/month/pipeline.toml
//! cargo run --release --example score -- --pipeline /tmp/month/pipeline.toml --truth /tmp/month/truth.csv
//! ```
//!
//! Writes `OUT/inbox/` (customer, invoice and bank CSV exports), `OUT/pipeline.toml` and
//! `OUT/truth.csv`. The same arguments always give the same bytes.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Parser;
use sluice::synthetic::{self, Spec};

#[derive(Parser)]
struct Args {
    /// How many customers (one invoice each, 1 to 83,333)
    #[arg(long, default_value_t = 20_000)]
    customers: usize,
    /// The month, as 2026-10
    #[arg(long, default_value = "2026-10")]
    month: String,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Leave out the payers who mistype a digit of the invoice number
    #[arg(long)]
    no_mistyped_numbers: bool,
    /// The folder to write into (created if missing)
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let Ok(month) = NaiveDate::parse_from_str(&format!("{}-01", args.month), "%Y-%m-%d") else {
        eprintln!("--month {}: expected a month as 2026-10", args.month);
        return ExitCode::from(2);
    };
    let spec = Spec {
        customers: args.customers,
        month,
        seed: args.seed,
        mistyped_numbers: !args.no_mistyped_numbers,
    };
    let generated = match synthetic::generate(&spec) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("--customers {e}");
            return ExitCode::from(2);
        }
    };
    match generated.write(&args.out) {
        Ok(pipeline) => {
            println!(
                "{} customers, {} bank lines for {} in {}\nrun it:   sluice run --pipeline {}\nscore it: cargo run --release --example score -- --pipeline {} --truth {}",
                args.customers,
                generated.truth.len(),
                generated.label,
                args.out.display(),
                pipeline.display(),
                pipeline.display(),
                args.out.join("truth.csv").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
