use std::collections::BTreeMap;
use std::path::PathBuf;

use sluice::pipeline;
use sluice::status::{self, BatchStatus, Status};

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
            eprintln!("sluice status: {e}");
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
    if let Some(run) = &s.last_run_outcome {
        let how = match run.files_quarantined {
            0 => "committed".to_string(),
            n => format!("committed, {n} file(s) quarantined (exit code 3)"),
        };
        out.push_str(&format!(
            "  last run     {} started {}: {how}; {} file(s) read, {} processed\n",
            run.run_id,
            run.started.format("%Y-%m-%d %H:%M UTC"),
            run.files_read,
            run.files_processed
        ));
    }
    out.push_str(&match s.inbox.len() {
        0 => "  inbox        nothing waiting\n".to_string(),
        n => format!(
            "  inbox        {n} file(s) waiting for the next run: {}\n",
            s.inbox.join(", ")
        ),
    });
    if s.quarantine.is_empty() {
        out.push_str("  quarantine   empty\n");
    }
    for q in &s.quarantine {
        // A reason may run over lines; indented, it stays under its file.
        let reason = q.reason.replace('\n', "\n               ");
        out.push_str(&format!("  QUARANTINED  {}: {reason}\n", q.file));
    }
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
    for (currency, amount) in &l.unmatched_money {
        out.push_str(&format!(
            "  unmatched    {currency} {amount} waits for a person (`sluice unmatched`)\n"
        ));
    }
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
    out.push_str(&batches(&s.batches));
    out
}

/// File batches in one line per target (a person uploads them; sluice cannot tell when),
/// API batches one by one unless every record is delivered, and each refused record.
fn batches(all: &[BatchStatus]) -> String {
    let mut out = String::new();
    let mut staged: BTreeMap<&str, Vec<&BatchStatus>> = BTreeMap::new();
    for b in all.iter().filter(|b| b.state == "staged") {
        staged.entry(b.target.as_str()).or_default().push(b);
    }
    for (target, batches) in &staged {
        let latest = batches.last().map(|b| b.batch.as_str()).unwrap_or_default();
        out.push_str(&format!(
            "  batches      {target}: {} staged as files for a person to upload, the latest {latest}\n",
            batches.len()
        ));
    }
    let delivered = all.iter().filter(|b| b.state == "delivered").count();
    if delivered > 0 {
        out.push_str(&format!(
            "  delivered    {delivered} batch(es) of API requests, every record answered\n"
        ));
    }
    for b in all
        .iter()
        .filter(|b| b.state == "waiting" || b.state == "failed")
    {
        out.push_str(&format!(
            "  delivery     {}: {} delivered, {} refused, {} not answered yet — `sluice push` sends what waits\n",
            b.batch, b.delivered, b.failed, b.waiting
        ));
        for f in &b.failures {
            let document = if f.document.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.document)
            };
            out.push_str(&format!(
                "  FAILED       {} {}{document} in {}: {} — refused, and never sent again: enter or correct it in the platform by hand\n",
                f.kind, f.id, f.request, f.error
            ));
        }
    }
    if all.is_empty() {
        out.push_str("  batches      none staged yet\n");
    }
    out
}
