//! `sluice rebuild`: replay every archived input and every person's decision into a fresh
//! ledger under `--to`, and with `--compare` show what differs from the live ledger.
//! Exit 0 rebuilt (and identical); 3 differences found; 1 cannot rebuild; 2 pipeline error.

use std::path::PathBuf;

use sluice::rebuild::{self, Comparison, RebuildError, Rebuilt};

use super::shown;

#[derive(clap::Args)]
pub struct RebuildArgs {
    /// The pipeline file, e.g. pipelines/demo.toml (its rules and settings are the ones used)
    #[arg(long)]
    pipeline: PathBuf,
    /// A new or empty folder for the rebuilt ledger, outbox, archive and quarantine
    #[arg(long)]
    to: PathBuf,
    /// Compare the rebuilt ledger with the live one and list every difference
    #[arg(long)]
    compare: bool,
    /// Print the comparison as one JSON object
    #[arg(long, requires = "compare")]
    json: bool,
}

pub fn main(args: RebuildArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let done = match rebuild::rebuild(&pipeline, &args.to) {
        Ok(done) => done,
        Err(e) => {
            eprintln!("sluice rebuild: {e}");
            return match e {
                RebuildError::NotEmpty(_) => 2,
                _ => 1,
            };
        }
    };
    if !args.json {
        print!("{}", rebuilt_text(&pipeline.name, &done));
    }
    if !args.compare {
        return 0;
    }
    let comparison = match rebuild::compare(&pipeline, &args.to) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sluice rebuild: {e}");
            return 1;
        }
    };
    if args.json {
        super::print_json(&comparison);
    } else {
        print!("{}", comparison_text(&comparison));
    }
    if comparison.identical() { 0 } else { 3 }
}

fn rebuilt_text(name: &str, done: &Rebuilt) -> String {
    let mut out = format!(
        "sluice rebuild {name} — replayed into {}: {} run(s) reading {} file(s) (each one's SHA-256 verified), {} decision(s), {} push record(s)\n",
        shown(&done.folder),
        done.runs,
        done.files,
        done.decisions,
        done.pushes
    );
    for q in &done.quarantined {
        out.push_str(&format!(
            "  QUARANTINED  in run {}: {}\n",
            q.commit,
            q.reason.lines().next().unwrap_or_default()
        ));
    }
    for r in &done.refused {
        out.push_str(&format!(
            "  REFUSED      decision {}: {}\n",
            r.commit, r.reason
        ));
    }
    if let Some(d) = &done.diverged_at {
        out.push_str(&format!(
            "  DIVERGED     at commit {}: {}; the commit ids of everything after it differ too\n",
            d.commit, d.reason
        ));
    }
    out
}

fn comparison_text(c: &Comparison) -> String {
    if c.identical() {
        return "compared with the live ledger: identical — every table row for row, every batch manifest byte for byte\n".to_string();
    }
    let mut out = format!(
        "compared with the live ledger: {} bank line(s) placed differently, {} invoice(s) paid differently\n",
        c.lines.len(),
        c.documents.len()
    );
    for l in &c.lines {
        out.push_str(&format!(
            "  line {} {} {} {} \"{}\"\n    before  {} ({})\n    now     {} ({})\n",
            l.id,
            l.booking_date,
            l.amount,
            l.counterparty,
            l.text,
            l.before.join(", "),
            l.outcome_before,
            l.now.join(", "),
            l.outcome_now
        ));
    }
    for d in &c.documents {
        let side = |placed: &str, state: &str| {
            if placed.is_empty() {
                state.to_string()
            } else {
                format!("{placed} placed, {state}")
            }
        };
        out.push_str(&format!(
            "  invoice {} (customer {}, {}): before {}; now {}\n",
            d.number,
            d.customer_id,
            d.total,
            side(&d.placed_before, &d.state_before),
            side(&d.placed_now, &d.state_now)
        ));
    }
    for o in &c.outcomes {
        out.push_str(&format!(
            "  lines {:<14} {} before, {} now\n",
            o.outcome, o.before, o.now
        ));
    }
    for m in &c.money {
        out.push_str(&format!(
            "  money {:<20} {} {} before, {} {} now\n",
            m.what, m.currency, m.before, m.currency, m.now
        ));
    }
    for t in &c.tables {
        out.push_str(&format!(
            "  table {:<16} {} row(s) live, {} rebuilt, {} differ\n",
            t.table, t.live_rows, t.rebuilt_rows, t.differing
        ));
    }
    for b in &c.batches {
        out.push_str(&format!("  batch {}: {}\n", b.batch, b.what));
    }
    out
}
