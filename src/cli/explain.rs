//! `sluice explain`: the whole story of one bank line or invoice.

use std::path::PathBuf;

use sluice::review::{self, Explained, MatchFact};

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// A bank line id (as `sluice unmatched` shows it) or an invoice number
    id: String,
    /// Print the story as JSON
    #[arg(long)]
    json: bool,
}

pub fn main(args: ExplainArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let Some(facts) = super::load_facts("explain", &pipeline) else {
        return 1;
    };
    match review::explain(&pipeline, &facts, &args.id) {
        Ok(story) if args.json => {
            super::print_json(&story);
            0
        }
        Ok(story) => {
            print!("{}", text(&story));
            0
        }
        Err(e) => {
            eprintln!("sluice explain: {e}");
            1
        }
    }
}

fn text(story: &Explained) -> String {
    let mut out = String::new();
    match story {
        Explained::BankLine(l) => {
            out.push_str(&format!(
                "bank line {}: {} {} {} on {}\n",
                l.bank_line, l.currency, l.amount, l.account, l.booking_date
            ));
            out.push_str(&format!(
                "  from {} line {}, taken in by run {}\n",
                l.file, l.line, l.taken_in_by
            ));
            out.push_str(&format!(
                "  counterparty {} {}; reference {}; text {}\n",
                l.counterparty, l.counterparty_account, l.reference, l.text
            ));
            out.push_str("matches, in the order written:\n");
            for m in &l.matches {
                out.push_str(&fact(m));
            }
            if !l.decisions.is_empty() {
                out.push_str("decisions:\n");
                for d in &l.decisions {
                    let note = if d.note.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", d.note)
                    };
                    out.push_str(&format!(
                        "  {} {} by {} at {}{note}\n",
                        d.commit, d.action, d.by, d.at
                    ));
                }
            }
        }
        Explained::Invoice(i) => {
            out.push_str(&format!(
                "invoice {} of customer {} {}\n",
                i.invoice, i.customer_id, i.customer_name
            ));
            for v in &i.versions {
                let note = if v.note.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", v.note)
                };
                out.push_str(&format!(
                    "  version {} ({}, {} line {}): {} {} {}{}{note}\n",
                    v.version,
                    v.commit,
                    v.file,
                    v.line,
                    v.currency,
                    v.total,
                    v.status,
                    if v.applied { "" } else { ", not applied" }
                ));
            }
            out.push_str("money placed on it and taken back, in the order written:\n");
            for m in &i.matches {
                out.push_str(&fact(m));
            }
            match &i.open {
                Some(open) => out.push_str(&format!("open now: {} {open}\n", i.currency)),
                None => out.push_str("not in the reconciliation book now\n"),
            }
        }
    }
    out
}

fn fact(m: &MatchFact) -> String {
    let status = match &m.withdrawn_by {
        Some(by) => format!("  [withdrawn by {by}]"),
        None => String::new(),
    };
    let target = match (&m.document, &m.customer_id) {
        (Some(d), _) => format!(" {d}"),
        (None, Some(c)) => format!(" customer {c}"),
        _ => String::new(),
    };
    format!(
        "  {} {} {} {}{target} (rule {}, line {}){status}\n    {}\n",
        m.commit, m.kind, m.currency, m.amount, m.rule, m.bank_line, m.explanation
    )
}
