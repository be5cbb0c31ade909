use std::io::IsTerminal;
use std::path::PathBuf;

use sluice::ledger::FileStatus;
use sluice::pipeline;
use sluice::run::{self, RunOptions, Summary};

use super::shown;

#[derive(clap::Args)]
pub struct RunArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Print the summary as one JSON object (for scripts and cron)
    #[arg(long, conflicts_with_all = ["quiet", "verbose"])]
    json: bool,
    #[command(flatten)]
    detail: DetailArgs,
}

impl RunArgs {
    pub fn quiet(&self) -> bool {
        self.detail.quiet
    }
}

/// How much `sluice run` and `sluice watch` print.
#[derive(clap::Args, Clone, Copy)]
pub struct DetailArgs {
    /// Print only problems: quarantined files, held documents, statements that do not follow on
    #[arg(long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print each file read (source, format, records, SHA-256, where it went) and the run's log
    #[arg(long)]
    pub verbose: bool,
}

impl DetailArgs {
    pub fn detail(self) -> Detail {
        if self.quiet {
            Detail::Quiet
        } else if self.verbose {
            Detail::Verbose
        } else {
            Detail::Normal
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Quiet,
    Normal,
    Verbose,
}

pub fn main(args: RunArgs) -> u8 {
    let pipeline = match pipeline::load(&args.pipeline) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            eprintln!(
                "nothing was read: fix the pipeline file first (`sluice check --pipeline {}`)",
                args.pipeline.display()
            );
            return 2;
        }
    };
    let options = match super::test_hooks::apply(RunOptions {
        progress: std::io::stderr().is_terminal() && !args.json && !args.detail.quiet,
        ..RunOptions::now()
    }) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("nothing was read: unset the variable or fix its value");
            return 2;
        }
    };
    match run::run(&pipeline, &options) {
        Ok(summary) => {
            print_summary(&summary, &pipeline, args.json, args.detail.detail());
            summary.exit_code() as u8
        }
        Err(e) => {
            print_failure(&e);
            1
        }
    }
}

/// A run's summary as `sluice run` prints it: text for people, or one line of JSON.
pub fn print_summary(summary: &Summary, pipeline: &pipeline::Pipeline, json: bool, detail: Detail) {
    if json {
        println!("{}", serde_json::to_string(summary).unwrap_or_default());
    } else {
        match detail {
            Detail::Quiet => print!("{}", problems(summary)),
            Detail::Normal => print!("{}", text(summary, None)),
            Detail::Verbose => print!("{}", text(summary, Some(pipeline))),
        }
    }
}

/// Only what needs a person: statements that do not follow on, held documents,
/// quarantined files. Nothing at all when all went well.
fn problems(s: &Summary) -> String {
    let mut out = String::new();
    for f in s
        .statements
        .continuity
        .iter()
        .filter(|f| f.kind.is_problem())
    {
        out.push_str(&format!(
            "sluice run {}: CONTINUITY {}\n",
            s.pipeline, f.message
        ));
    }
    for h in &s.held_documents {
        out.push_str(&format!(
            "sluice run {}: HELD {} (version {}) for {}: {}:{}: {} — {}\n",
            s.pipeline, h.document, h.version, h.target, h.file, h.line, h.reason, h.fix
        ));
    }
    for b in &s.batches {
        for (records, needs) in &b.waiting {
            out.push_str(&format!(
                "sluice run {}: WAITING {records} record(s) for {} need {}, which the target holds: staged apart, `sluice push` sends them once a run has staged it\n",
                s.pipeline,
                b.target,
                needs.join(", ")
            ));
        }
    }
    for q in &s.quarantined {
        out.push_str(&format!(
            "sluice run {}: QUARANTINED {} → {}\n",
            s.pipeline,
            q.file,
            shown(&q.moved_to)
        ));
        for line in q.reason.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// Each file the run took in, one line each (for `--verbose`).
fn files_read(s: &Summary, pipeline: &pipeline::Pipeline) -> String {
    let mut out = String::new();
    for f in &s.read {
        let what = match f.status {
            FileStatus::Processed => {
                let format = pipeline
                    .sources
                    .iter()
                    .find(|source| source.name == f.source)
                    .map(|source| source.format.as_str())
                    .unwrap_or("-");
                format!("source {} ({format}), {} record(s)", f.source, f.records)
            }
            FileStatus::Duplicate => f.note.clone(),
        };
        let kept = if f.archived_as.is_empty() {
            "kept in the inbox".to_string()
        } else {
            format!("archived as {}", f.archived_as)
        };
        out.push_str(&format!(
            "  read         {}: {what}; sha256 {}; {kept}\n",
            f.name, f.sha256
        ));
    }
    out
}

pub fn print_failure(e: &run::RunError) {
    match e {
        run::RunError::NotArchived { .. } => eprintln!("sluice run: {e}"),
        _ => eprintln!("sluice run failed, nothing was committed: {e}"),
    }
}

fn money(totals: &std::collections::BTreeMap<String, String>) -> String {
    if totals.is_empty() {
        return "none".to_string();
    }
    totals
        .iter()
        .map(|(c, a)| format!("{c} {a}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The summary for people; with the pipeline, every file read and the run's log too.
fn text(s: &Summary, verbose: Option<&pipeline::Pipeline>) -> String {
    let mut out = String::new();
    let f = &s.files;
    match &s.run_id {
        Some(id) => out.push_str(&format!("sluice run {} — committed run {id}\n", s.pipeline)),
        None => out.push_str(&format!(
            "sluice run {} — nothing new to commit\n",
            s.pipeline
        )),
    }
    out.push_str(&format!(
        "  files        {} read: {} processed, {} already processed, {} duplicate(s), {} quarantined\n",
        f.read, f.processed, f.already_processed, f.duplicates, f.quarantined
    ));
    if let Some(pipeline) = verbose {
        out.push_str(&files_read(s, pipeline));
    }
    if s.run_id.is_some() {
        let before = match s.bank_lines.before_import_from {
            0 => String::new(),
            n => format!(", {n} booked before reconcile.import_from (recorded, not reconciled)"),
        };
        out.push_str(&format!(
            "  bank lines   {} new, {} skipped as seen before{before}\n",
            s.bank_lines.new, s.bank_lines.skipped_as_seen_before
        ));
        out.push_str(&statements(s));
        let c = &s.customers;
        if c.new + c.updated + c.unchanged > 0 {
            out.push_str(&format!(
                "  customers    {} new, {} updated, {} unchanged\n",
                c.new, c.updated, c.unchanged
            ));
        }
        let t = &s.transactions;
        if t.new + t.updated + t.unchanged > 0 {
            out.push_str(&format!(
                "  transactions {} new, {} updated, {} unchanged\n",
                t.new, t.updated, t.unchanged
            ));
        }
        let d = &s.documents;
        out.push_str(&format!(
            "  documents    {} new ({} credit notes), {} updated, {} unchanged\n",
            d.new, d.credit_notes, d.updated, d.unchanged
        ));
        if d.deleted + d.without_lines > 0 {
            out.push_str(&format!(
                "               not applied: {} deleted, {} without lines (recorded in the ledger)\n",
                d.deleted, d.without_lines
            ));
        }
        if d.withdrawn_with_money > 0 {
            out.push_str(&format!(
                "               {} withdrawn with money allocated to them: the allocations stand until moved (see the note in ledger documents)\n",
                d.withdrawn_with_money
            ));
        }
        let d = &s.direct_debits;
        if d.collections_new + d.collections_seen_before + d.statuses > 0 {
            let other = match d.statuses_on_other_payments {
                0 => String::new(),
                n => format!(" ({n} on payments sent, not collections: recorded only)"),
            };
            out.push_str(&format!(
                "  collections  {} new, {} seen before; {} status(es){other}: {} rejected, {} booked ones reversed\n",
                d.collections_new,
                d.collections_seen_before,
                d.statuses,
                d.rejected,
                d.reversed_by_status
            ));
        }
        let g = &s.gateways;
        if g.transactions + g.payouts + g.not_settled > 0 {
            let fees = if g.fees.is_empty() {
                String::new()
            } else {
                format!(", fees {}", money(&g.fees))
            };
            let difference = match g.payouts_with_difference {
                0 => String::new(),
                n => format!(", {n} not adding up (the difference is in the unmatched list)"),
            };
            let implied = match g.payouts_implied {
                0 => String::new(),
                n => format!(" ({n} known only from their transactions)"),
            };
            out.push_str(&format!(
                "  gateways     {} transactions, {} payouts, {} not settled{fees}; {} payouts credited by the bank{implied}{difference}\n",
                g.transactions, g.payouts, g.not_settled, g.payouts_credited
            ));
        }
        let r = &s.reconciled;
        out.push_str(&format!(
            "  reconciled   {} matched, {} partly matched, {} unmatched, {} outgoing, {} returned\n",
            r.matched, r.partly_matched, r.unmatched, r.outgoing, r.returned
        ));
        if r.placed_on_retry > 0 {
            out.push_str(&format!(
                "  retried      {} line(s) of earlier runs that waited for a person are placed now\n",
                r.placed_on_retry
            ));
        }
        let k = &s.ignored;
        if k.customers + k.documents + k.entries > 0 {
            out.push_str(&format!(
                "  kept out     {} customer(s), {} document(s), {} entry(ies) of partners in reconcile.partners_ignore: recorded, not reconciled, not in any batch\n",
                k.customers, k.documents, k.entries
            ));
        }
        out.push_str(&format!("  matched      {}\n", money(&s.money_matched)));
        if !s.money_reversed.is_empty() {
            out.push_str(&format!(
                "  reversed     {} (taken back from invoices, which are open again)\n",
                money(&s.money_reversed)
            ));
        }
        let i = &s.invoices;
        out.push_str(&format!(
            "  invoices     {} paid, {} partly paid, {} open (whole ledger)\n",
            i.paid, i.partly_paid, i.open
        ));
    }
    for b in &s.batches {
        out.push_str(&format!(
            "  batch        {} ({} file(s), {} record(s)) — check it with `sluice verify {}`\n",
            shown(&b.path),
            b.files,
            b.records,
            shown(&b.path)
        ));
    }
    for h in &s.held_documents {
        out.push_str(&format!(
            "  HELD         {} (version {}) for {}: {}:{}: {}\n               not staged; the first run after the fix stages it: {}\n",
            h.document, h.version, h.target, h.file, h.line, h.reason, h.fix
        ));
    }
    for q in &s.quarantined {
        out.push_str(&format!(
            "  QUARANTINED  {} → {}\n",
            q.file,
            shown(&q.moved_to)
        ));
        for line in q.reason.lines() {
            out.push_str(&format!("               {line}\n"));
        }
    }
    if let (Some(_), Some(log)) = (verbose, &s.log) {
        out.push_str(&format!("  log          {}\n", shown(log)));
    }
    let r = &s.recovered;
    if r.discarded_segments + r.discarded_batches + r.completed_moves > 0 {
        out.push_str(&format!(
            "  recovered    an interrupted earlier run: {} segment(s) and {} batch(es) discarded, {} archive move(s) finished\n",
            r.discarded_segments, r.discarded_batches, r.completed_moves
        ));
    }
    out
}

/// Statements read and how they continue the earlier ones; nothing when none was read.
fn statements(s: &Summary) -> String {
    let st = &s.statements;
    if st.read == 0 {
        return String::new();
    }
    let problems = st.continuity.iter().filter(|f| f.kind.is_problem()).count();
    let mut out = if problems == 0 {
        format!(
            "  statements   {} read, each follows on from the one before\n",
            st.read
        )
    } else {
        format!(
            "  statements   {} read, {problems} continuity problem(s) — the entries were applied; `sluice status` lists every open one\n",
            st.read
        )
    };
    for f in &st.continuity {
        let label = if f.kind.is_problem() {
            "CONTINUITY"
        } else {
            "GAP FILLED"
        };
        out.push_str(&format!("  {label:<12} {}\n", f.message));
    }
    out
}
