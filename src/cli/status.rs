use std::path::PathBuf;

use sluice::pipeline;
use sluice::status::{self, Status};

use super::shown;

#[derive(clap::Args)]
pub struct StatusArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Print the status as one JSON object (for scripts and monitoring)
    #[arg(long)]
    json: bool,
}

pub fn main(args: StatusArgs) -> u8 {
    let pipeline = match pipeline::load(&args.pipeline) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            eprintln!(
                "fix the pipeline file first (`sluice check --pipeline {}`)",
                args.pipeline.display()
            );
            return 2;
        }
    };
    match status::status(&pipeline) {
        Ok(status) => {
            if args.json {
                println!("{}", serde_json::to_string(&status).unwrap_or_default());
            } else {
                print!("{}", text(&status, &shown(&pipeline.ledger)));
            }
            0
        }
        Err(e) => {
            eprintln!("sluice status: the ledger cannot be read: {e}");
            1
        }
    }
}

fn text(s: &Status, ledger: &str) -> String {
    let mut out = match &s.last_run {
        Some(last) => format!(
            "sluice status {} — {} committed run(s), the last {last}; {} decision(s) by people\n",
            s.pipeline, s.runs, s.decisions
        ),
        None => format!(
            "sluice status {} — no run committed yet (ledger: {ledger})\n",
            s.pipeline
        ),
    };
    out.push_str(&format!(
        "  files        {} processed, {} duplicate(s)\n",
        s.files.processed, s.files.duplicates
    ));
    let l = &s.bank_lines;
    let waiting = if l.unmatched > 0 {
        ", waiting for a person"
    } else {
        ""
    };
    out.push_str(&format!(
        "  bank lines   {} applied, {} skipped as seen before, {} unmatched{waiting}\n",
        l.applied, l.skipped_as_seen_before, l.unmatched
    ));
    let i = &s.invoices;
    out.push_str(&format!(
        "  invoices     {} paid, {} partly paid, {} open\n",
        i.paid, i.partly_paid, i.open
    ));
    if s.accounts.is_empty() {
        out.push_str("  statements   none read yet\n");
    }
    for a in &s.accounts {
        let last = &a.last_statement;
        let which = match &last.sequence {
            Some(sequence) => format!("statement {sequence} ({})", last.id),
            None => format!("statement {}", last.id),
        };
        let closes = match (&last.closing_balance, last.closing_date) {
            (Some(amount), Some(date)) => {
                format!("closes on {date} with {} {amount}", a.currency)
            }
            _ => "gives no closing balance".to_string(),
        };
        out.push_str(&format!(
            "  account      {} {}: last {which} {closes} (file {})\n",
            a.account, a.currency, last.file
        ));
    }
    if !s.accounts.is_empty() && s.continuity.is_empty() {
        out.push_str("  continuity   every statement follows on from the one before\n");
    }
    for f in &s.continuity {
        out.push_str(&format!("  CONTINUITY   {}\n", f.message));
    }
    out
}
