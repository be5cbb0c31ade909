//! `sluice pair`: a person places money that waits on the invoices they name, or with a
//! customer as credit.

use std::path::PathBuf;

use sluice::decide::{self, PairRequest, Who};
use sluice::run::RunOptions;

#[derive(clap::Args)]
pub struct PairArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// The bank line (its id, as `sluice unmatched` shows it)
    bank_line: String,
    /// The invoices it pays, in the order the money goes to them
    invoices: Vec<String>,
    /// The customer whose credit the rest becomes (all of it, without invoices)
    #[arg(long)]
    customer: Option<String>,
    /// Who decides (default: the operating system's user)
    #[arg(long)]
    by: Option<String>,
    /// Why, in a few words; kept with the decision
    #[arg(long, default_value = "")]
    note: String,
    /// Do not remember the payer's account for the customer
    #[arg(long)]
    no_learn: bool,
    /// Print what was done as JSON
    #[arg(long)]
    json: bool,
}

pub fn main(args: PairArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let who = who(args.by, RunOptions::now().now);
    let request = PairRequest {
        bank_line: args.bank_line,
        invoices: args.invoices,
        customer: args.customer,
        learn: !args.no_learn,
        note: args.note,
    };
    match decide::pair(&pipeline, &request, &who) {
        Ok(paired) if args.json => {
            super::print_json(&paired);
            0
        }
        Ok(paired) => {
            println!(
                "paired bank line {} (pairing {}, by {})",
                paired.bank_line, paired.pairing, who.by
            );
            for p in &paired.placed {
                let target = match (&p.document, &p.customer_id) {
                    (Some(doc), _) => format!("invoice {doc}"),
                    (None, Some(c)) => format!("credit of customer {c}"),
                    _ => "unplaced".to_string(),
                };
                println!("  {:<10} {} {:>12}  {target}", p.kind, p.currency, p.amount);
            }
            if let Some(learned) = &paired.learned {
                println!(
                    "  learned: {learned} (`sluice rules` lists it; --no-learn would not have)"
                );
            }
            0
        }
        Err(e) => super::decide_failed("pair", &e),
    }
}

pub fn who(by: Option<String>, now: chrono::DateTime<chrono::Utc>) -> Who {
    match by.filter(|b| !b.trim().is_empty()) {
        Some(by) => Who {
            by: by.trim().to_string(),
            now,
        },
        None => Who::os_user(now),
    }
}
