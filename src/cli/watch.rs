//! `sluice watch`: the pipeline's inbox watched until Ctrl-C or SIGTERM; every run's
//! summary printed as `sluice run` prints it. The first signal stops the watcher once the
//! run at work has committed (at once when none is); a second one during a run abandons
//! it, which the next run's recovery discards.

use std::path::PathBuf;
use std::time::Duration;

use sluice::pipeline;
use sluice::watch::{self, Stop};

use super::run::{DetailArgs, print_failure, print_summary};

/// The exit code of a run abandoned by a second signal (128 + SIGINT, as shells report it).
const ABANDONED: i32 = 130;

#[derive(clap::Args)]
pub struct WatchArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// Seconds a file must stay unchanged before it is read (default: [watch] settle_seconds,
    /// else 5)
    #[arg(long, value_name = "SECONDS")]
    settle: Option<f64>,
    /// Look at the inbox every SECONDS instead of waiting for file events (network shares;
    /// default: [watch] poll_seconds)
    #[arg(long, value_name = "SECONDS")]
    poll: Option<f64>,
    /// Print each run's summary as one JSON object per line
    #[arg(long, conflicts_with_all = ["quiet", "verbose"])]
    json: bool,
    #[command(flatten)]
    detail: DetailArgs,
}

impl WatchArgs {
    /// Quiet means problems only: not even the watcher's line per run.
    pub fn quiet(&self) -> bool {
        self.detail.quiet
    }
}

pub fn main(args: WatchArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let mut settings = pipeline.watch;
    match (
        duration("--settle", args.settle),
        duration("--poll", args.poll),
    ) {
        (Ok(settle), Ok(poll)) => {
            settings.settle = settle.unwrap_or(settings.settle);
            settings.poll = poll.or(settings.poll);
        }
        _ => return 2,
    }
    let stop = Stop::default();
    let handler_stop = stop.clone();
    let installed = ctrlc::set_handler(move || {
        let asked = handler_stop.request();
        let running = handler_stop.run_in_progress();
        if running && asked >= 2 {
            eprintln!(
                "sluice watch: the run at work is abandoned; nothing of it is committed unless its commit was already done — the next run or watch tidies up what it left"
            );
            std::process::exit(ABANDONED);
        } else if running {
            eprintln!(
                "sluice watch: stopping once the run at work has committed (press Ctrl-C again to abandon it)"
            );
        }
    });
    if let Err(e) = installed {
        eprintln!("sluice watch cannot receive Ctrl-C and SIGTERM: {e}");
        return 1;
    }
    let watched = watch::watch(&pipeline, settings, &stop, |outcome| match outcome {
        Ok(summary) => print_summary(summary, &pipeline, args.json, args.detail.detail()),
        Err(e) => print_failure(e),
    });
    match watched {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("sluice watch: {e}");
            1
        }
    }
}

/// A command-line number of seconds, if given; the message when it is no usable wait.
fn duration(flag: &str, given: Option<f64>) -> Result<Option<Duration>, ()> {
    let Some(seconds) = given else {
        return Ok(None);
    };
    match pipeline::seconds(seconds) {
        Some(d) => Ok(Some(d)),
        None => {
            eprintln!("{flag} {seconds}: give a number of seconds from 0.1 to 86400");
            Err(())
        }
    }
}
