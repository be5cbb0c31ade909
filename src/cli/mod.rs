//! One file per subcommand: argument handling and output; the work is in the library.

pub mod balances;
pub mod check;
pub mod explain;
pub mod inspect;
pub mod pair;
pub mod pull;
pub mod push;
pub mod rebuild;
pub mod replay;
pub mod report;
pub mod rules;
pub mod run;
pub mod status;
pub mod test_hooks;
pub mod unmatched;
pub mod unpair;
pub mod verify;
pub mod watch;

use std::path::Path;

/// A path as a person wants to read it: relative to where they are, when it is below it.
pub fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            path.strip_prefix(&cwd)
                .ok()
                .map(|p| p.display().to_string())
        })
        .unwrap_or_else(|| path.display().to_string())
}

/// The pipeline file, or the message a person needs and `None`.
pub fn load_pipeline(path: &Path) -> Option<sluice::pipeline::Pipeline> {
    match sluice::pipeline::load(path) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("{e}");
            eprintln!(
                "fix the pipeline file first (`sluice check --pipeline {}`)",
                path.display()
            );
            None
        }
    }
}

/// Every committed fact of the pipeline's ledger, or the message and `None`.
pub fn load_facts(
    command: &str,
    pipeline: &sluice::pipeline::Pipeline,
) -> Option<sluice::ledger::Facts> {
    match sluice::ledger::Ledger::new(&pipeline.ledger).load() {
        Ok(facts) => Some(facts),
        Err(e) => {
            eprintln!("sluice {command}: the ledger cannot be read: {e}");
            None
        }
    }
}

/// Prints a value as JSON on one line.
pub fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("cannot write JSON: {e}"),
    }
}

/// The message of a person's decision that could not be taken, and exit code 1: refused
/// as asked, or the ledger in use or unreadable (2 is for the pipeline file and usage).
pub fn decide_failed(command: &str, e: &sluice::decide::DecideError) -> u8 {
    eprintln!("sluice {command}: {e}");
    1
}
