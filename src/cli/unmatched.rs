//! `sluice unmatched`: the money waiting for a person, with what each rule said and up to
//! three suggestions; `--json` for scripts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rust_decimal::Decimal;
use sluice::review::{self, Waiting};

#[derive(clap::Args)]
pub struct UnmatchedArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Print the list as one JSON array (for scripts)
    #[arg(long)]
    json: bool,
}

pub fn main(args: UnmatchedArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let Some(facts) = super::load_facts("unmatched", &pipeline) else {
        return 1;
    };
    let waiting = review::unmatched(&pipeline, &facts);
    if args.json {
        super::print_json(&waiting);
    } else {
        print!("{}", text(&waiting));
    }
    0
}

fn text(waiting: &[Waiting]) -> String {
    if waiting.is_empty() {
        return "nothing waits for a person\n".to_string();
    }
    let mut totals: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut out = String::new();
    for w in waiting {
        *totals.entry(w.currency.as_str()).or_default() +=
            w.waiting.parse::<Decimal>().unwrap_or_default();
        let part = if w.waiting == w.amount {
            String::new()
        } else {
            format!(" (of {})", w.amount)
        };
        out.push_str(&format!(
            "{}  {}  {} {}{part}  {}  {}\n",
            w.bank_line, w.booking_date, w.currency, w.waiting, w.counterparty, w.text
        ));
        out.push_str(&format!("    from {} line {}\n", w.file, w.line));
        for reason in &w.reasons {
            out.push_str(&format!("    why: {reason}\n"));
        }
        if w.held_by_person {
            out.push_str("    a person undid its match: runs leave it to them\n");
        }
        for s in &w.suggestions {
            out.push_str(&format!(
                "    maybe {} ({} {}, open {} {}): {}\n",
                s.invoice, s.customer_id, s.customer_name, s.currency, s.open, s.why
            ));
        }
        if let Some(best) = w.suggestions.first() {
            out.push_str(&format!(
                "    to pair: sluice pair --pipeline <file> {} {}\n",
                w.bank_line, best.invoice
            ));
        }
    }
    let totals: Vec<String> = totals.iter().map(|(c, a)| format!("{c} {a}")).collect();
    out.push_str(&format!(
        "{} line(s) wait for a person, {}\n",
        waiting.len(),
        totals.join(", ")
    ));
    out
}
