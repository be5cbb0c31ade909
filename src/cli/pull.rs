//! `sluice pull`: take the payments received in an accounting platform that sluice did not
//! push, into the inbox, for the next run to reconcile.

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use sluice::delivery::{PushOptions, pull};

use super::shown;

#[derive(clap::Args)]
pub struct PullArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Only this source (of format xero_payments)
    #[arg(long)]
    source: Option<String>,
    /// Seconds one request may take
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Attempts per request
    #[arg(long, default_value_t = 5)]
    attempts: u32,
}

pub fn main(args: PullArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let options = PushOptions {
        timeout: Duration::from_secs(args.timeout.max(1)),
        max_attempts: args.attempts.max(1),
        ..PushOptions::default()
    };
    let now = Utc::now();
    if args.source.is_none() {
        match pull::fetch_settings(
            &pipeline,
            None,
            &options,
            &|name| std::env::var(name).ok(),
            now,
        ) {
            Ok(written) => {
                for path in written {
                    println!(
                        "Xero's lock date, tax rates and accounts kept in {}: the next run holds what Xero would refuse",
                        shown(&path)
                    );
                }
            }
            Err(e) => {
                eprintln!("{e}");
                return 1;
            }
        }
    }
    let pulled = match pull::pull(
        &pipeline,
        args.source.as_deref(),
        &options,
        &|name| std::env::var(name).ok(),
        now,
    ) {
        Ok(pulled) => pulled,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    if pulled.is_empty() {
        println!(
            "sluice pull {}: no source is pulled from a platform (a source of format xero_payments)",
            pipeline.name
        );
    }
    for p in &pulled {
        let left_out = format!(
            "{} pushed by sluice and {} already in the ledger left out",
            p.left_out_pushed_by_sluice, p.left_out_in_ledger
        );
        match &p.file {
            Some(file) => println!(
                "{}: {} payment(s) received in the platform written to {} ({left_out}); `sluice run` reconciles them",
                p.source,
                p.payments,
                shown(file)
            ),
            None => println!("{}: nothing new ({left_out})", p.source),
        }
    }
    0
}
