//! `sluice replay`: render a committed batch again from the ledger and compare it byte for
//! byte with the batch folder, or write the re-rendered batch elsewhere (`--to`).

use std::path::PathBuf;

use sluice::outbox::{self, Difference};

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// The batch folder (outbox/<pipeline>/<target>/<batch-id>), or its batch id
    batch: PathBuf,
    /// The target, when a batch id is given and its run staged batches for several
    #[arg(long)]
    target: Option<String>,
    /// Write the re-rendered batch (files and manifest.json) into this new or empty folder
    /// instead of comparing
    #[arg(long)]
    to: Option<PathBuf>,
}

pub fn main(args: ReplayArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let replayed = match outbox::replay(&pipeline, &args.batch, args.target.as_deref()) {
        Ok(replayed) => replayed,
        Err(e) => {
            eprintln!("sluice replay: {e}");
            return 1;
        }
    };
    let files = replayed.batch.files.len();
    if let Some(to) = &args.to {
        return match outbox::write_replay(&replayed, to) {
            Ok(()) => {
                println!(
                    "replayed {} into {}: {files} file(s) and manifest.json — check it with `sluice verify {}`",
                    super::shown(&replayed.folder),
                    super::shown(to),
                    to.display()
                );
                0
            }
            Err(e) => {
                eprintln!("sluice replay: {e}");
                1
            }
        };
    }
    let comparison = match outbox::compare(&replayed) {
        Ok(comparison) => comparison,
        Err(e) => {
            eprintln!("sluice replay: {e}");
            return 1;
        }
    };
    let folder = super::shown(&replayed.folder);
    if comparison.is_identical() {
        println!(
            "{folder}: identical: {files} file(s) and manifest.json, byte for byte as the ledger renders them"
        );
        return 0;
    }
    for difference in &comparison.differences {
        match difference {
            Difference::Differs { name, diff } => {
                println!("{name}: differs");
                print!("{diff}");
            }
            Difference::MissingFromBatch { name } => {
                println!("{name}: missing from the batch folder (the replay renders it)")
            }
            Difference::NotReplayed { name } => {
                println!("{name}: in the batch folder, but the replay does not render it")
            }
        }
    }
    eprintln!(
        "{folder}: NOT identical — {} of {} file(s) differ; the bytes differ: the target's settings may have changed since the run (compare the pipeline file with the one the run used), or the batch was changed after it was staged (`sluice verify {}`)",
        comparison.differences.len(),
        comparison.identical + comparison.differences.len(),
        replayed.folder.display()
    );
    1
}
