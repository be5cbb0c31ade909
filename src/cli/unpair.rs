//! `sluice unpair`: undo what was placed on a bank line; its money waits for a person again.

use std::path::PathBuf;

use sluice::decide;
use sluice::run::RunOptions;

#[derive(clap::Args)]
pub struct UnpairArgs {
    /// The pipeline file, e.g. pipelines/demo.toml
    #[arg(long)]
    pipeline: PathBuf,
    /// The bank line whose match is undone (its id, as `sluice explain` shows it)
    bank_line: String,
    /// Who decides (default: the operating system's user)
    #[arg(long)]
    by: Option<String>,
    /// Why, in a few words; kept with the decision
    #[arg(long, default_value = "")]
    note: String,
    /// Print what was done as JSON
    #[arg(long)]
    json: bool,
}

pub fn main(args: UnpairArgs) -> u8 {
    let Some(pipeline) = super::load_pipeline(&args.pipeline) else {
        return 2;
    };
    let who = super::pair::who(args.by, RunOptions::now().now);
    match decide::unpair(&pipeline, &args.bank_line, &who, &args.note) {
        Ok(done) if args.json => {
            super::print_json(&done);
            0
        }
        Ok(done) => {
            println!(
                "unpaired bank line {} ({}, by {}); its money waits for a person (`sluice unmatched`)",
                done.bank_line, done.commit, who.by
            );
            for what in &done.undone {
                println!("  undone: {what}");
            }
            if let Some(rule) = &done.rule_dropped {
                println!("  the rule learned from pairing {rule} is no longer used");
            }
            0
        }
        Err(e) => super::decide_failed("unpair", &e),
    }
}
