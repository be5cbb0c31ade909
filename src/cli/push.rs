//! `sluice push`: send the API requests staged in the outbox that the platform has not yet
//! answered, and say what became of each record.

use std::path::PathBuf;
use std::time::Duration;

use sluice::delivery::{self, PushOptions};

#[derive(clap::Args)]
pub struct PushArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Only this target
    #[arg(long)]
    target: Option<String>,
    /// Only this batch (its id, as in outbox/<pipeline>/<target>/<batch-id>)
    batch: Option<String>,
    /// Seconds one request may take before it counts as lost (and is sent again)
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Attempts per request in this push
    #[arg(long, default_value_t = 5)]
    attempts: u32,
}

pub fn main(args: PushArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let options = PushOptions {
        target: args.target,
        batch: args.batch,
        timeout: Duration::from_secs(args.timeout.max(1)),
        max_attempts: args.attempts.max(1),
        ..PushOptions::default()
    };
    let report = match delivery::push(&pipeline, &options, &|name| std::env::var(name).ok()) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("sluice push: {e}");
            return 1;
        }
    };
    if report.batches.is_empty() {
        println!(
            "sluice push {}: no batch with requests to send",
            pipeline.name
        );
    }
    for b in &report.batches {
        println!(
            "{}: {} request(s) answered now — {} record(s) delivered, {} refused, {} waiting; {} answered before",
            b.batch,
            b.requests_answered,
            b.delivered,
            b.refused.len(),
            b.waiting,
            b.answered_before
        );
        for (request, why) in &b.held_back {
            println!("  KEPT BACK {request}: {why}");
        }
        for (record, words) in &b.adopted {
            println!(
                "  ADOPTED {} {}: the platform had it already (\"{words}\"); its id is kept",
                record.kind, record.id
            );
        }
        for (record, why) in &b.refused {
            let document = if record.document.is_empty() {
                String::new()
            } else {
                format!(" ({})", record.document)
            };
            println!("  REFUSED {} {}{document}: {why}", record.kind, record.id);
        }
    }
    if report.remote_ids_recorded > 0 {
        println!(
            "{} record(s)' platform ids written to the ledger (remote_ids)",
            report.remote_ids_recorded
        );
    }
    if let Some(why) = &report.remote_ids_pending {
        eprintln!("sluice push: {why}");
    }
    if let Some(why) = &report.stopped {
        eprintln!("sluice push stopped: {why}");
        return 1;
    }
    if report.complete() { 0 } else { 3 }
}
