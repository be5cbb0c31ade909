use std::path::PathBuf;

use sluice::outbox;

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The batch folder, e.g. outbox/demo/xero/<batch-id>
    batch: PathBuf,
}

pub fn main(args: VerifyArgs) -> u8 {
    match outbox::verify(&args.batch) {
        Ok(report) if report.is_intact() => {
            println!(
                "{}: intact — {} file(s), {} record(s), every SHA-256 and count as in manifest.json",
                args.batch.display(),
                report.files_checked,
                report.records
            );
            0
        }
        Ok(report) => {
            for problem in &report.problems {
                eprintln!("{problem}");
            }
            eprintln!(
                "{}: NOT intact — {} problem(s); do not upload this batch, re-render it with the run that made it",
                args.batch.display(),
                report.problems.len()
            );
            1
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}
