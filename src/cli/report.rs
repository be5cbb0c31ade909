use std::path::PathBuf;

use chrono::Utc;
use sluice::durable;
use sluice::report::{self, Period, Scope};

use super::{load_pipeline, shown};

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Only the facts of this run (its id, as `sluice status` shows it)
    #[arg(long, conflicts_with = "period")]
    run: Option<String>,
    /// Only bank lines booked and documents issued in this month, e.g. 2026-11
    #[arg(long)]
    period: Option<Period>,
    /// Where to write the page, e.g. report-2026-11.html
    #[arg(long)]
    html: PathBuf,
}

pub fn main(args: ReportArgs) -> u8 {
    let Some(pipeline) = load_pipeline(&args.pipeline) else {
        return 2;
    };
    let scope = match (args.run, args.period) {
        (Some(run), _) => Scope::Run(run),
        (None, Some(period)) => Scope::Period(period),
        (None, None) => Scope::Everything,
    };
    let built = match report::build(&pipeline, &scope, Utc::now()) {
        Ok(built) => built,
        Err(e @ report::ReportError::NoSuchRun(_)) => {
            eprintln!("sluice report: {e}");
            return 2;
        }
        Err(e) => {
            eprintln!("sluice report: {e}");
            return 1;
        }
    };
    let page = report::html(&built);
    if let Err(e) = durable::write_atomic(&args.html, page.as_bytes()) {
        eprintln!(
            "sluice report: cannot write {}: {e} — check the folder exists and there is free disk space",
            args.html.display()
        );
        return 1;
    }
    println!(
        "sluice report {} — {}: {} bank line(s), {} input file(s), {} batch(es); written to {}",
        built.pipeline,
        scope.describe(),
        built.lines.len(),
        built.files.len(),
        built.batches.len(),
        shown(&args.html)
    );
    0
}
