use std::path::PathBuf;

use sluice::pipeline::{self, PipelineError};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
}

pub fn main(args: CheckArgs) -> u8 {
    match pipeline::load(&args.pipeline) {
        Ok(p) => {
            println!(
                "{}: ok — pipeline \"{}\", {} source(s), {} target(s)",
                args.pipeline.display(),
                p.name,
                p.sources.len(),
                p.targets.len()
            );
            0
        }
        Err(e @ PipelineError::Invalid { .. }) | Err(e @ PipelineError::Unreadable { .. }) => {
            eprintln!("{e}");
            2
        }
    }
}
