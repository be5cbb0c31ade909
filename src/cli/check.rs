use std::path::PathBuf;

use sluice::pipeline::{self, PipelineError, data_check};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
}

pub fn main(args: CheckArgs) -> u8 {
    match pipeline::load(&args.pipeline) {
        Ok(p) => {
            // The data the ledger holds: what the mappings leave unnamed. A ledger that
            // does not read (none yet) has nothing to check.
            let unmapped = sluice::ledger::Ledger::new(&p.ledger)
                .load()
                .map(|facts| data_check::unmapped(&p, &facts))
                .unwrap_or_default();
            if !unmapped.is_empty() {
                eprintln!(
                    "{} leaves {} name(s) of the ledger's documents unmapped:",
                    args.pipeline.display(),
                    unmapped.len()
                );
                for u in &unmapped {
                    eprintln!(
                        "  {}: targets[{}].mapping.{} ({}): {}",
                        args.pipeline.display(),
                        u.target,
                        u.key,
                        u.target_name,
                        u.message()
                    );
                }
                return 2;
            }
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
