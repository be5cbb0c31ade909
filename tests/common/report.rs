//! What the report tests share: the demo run at a fixed time, and a company whose bank file
//! names a counterparty `<script>` — input that must be shown on the page, never run.

use std::path::Path;

use sluice::pipeline::{self, Pipeline};
use sluice::report::{self, Report, Scope};
use sluice::run::Summary;
use tempfile::TempDir;

use super::{BANK_HEADER, Company, DEMO_SOURCES, INVOICE_HEADER, at, demo_copy, run_at};

pub const RUN_AT: &str = "2026-11-01T02:00:00Z";
pub const RUN_ID: &str = "20261101T020000Z-000001";
/// The report's own time, fixed so the page is the same bytes on every machine.
pub const MADE_AT: &str = "2026-11-01T06:30:00Z";

pub const HOSTILE_NAME: &str = "<script>alert(\"pwned\")</script>";
pub const HOSTILE_TEXT: &str = "<img src=x onerror=alert(1)> INV-1";

/// The demo, run once at `RUN_AT`.
pub fn demo() -> (TempDir, Pipeline, Summary) {
    let demo = demo_copy();
    let pipeline =
        pipeline::load(&demo.path().join("pipelines/demo.toml")).expect("demo pipeline is valid");
    let summary = run_at(&pipeline, RUN_AT);
    assert_eq!(summary.run_id.as_deref(), Some(RUN_ID));
    (demo, pipeline, summary)
}

pub fn build(pipeline: &Pipeline, scope: &Scope) -> Report {
    report::build(pipeline, scope, at(MADE_AT)).expect("the report builds")
}

/// One invoice, paid by a payer whose name and text are markup; one more line unmatched.
pub fn hostile_company() -> (Company, Pipeline) {
    let company = Company::new();
    company.drop_file(
        "invoices-2026-10.csv",
        format!("{INVOICE_HEADER}INV-1,C1,{HOSTILE_NAME},2026-10-01,2026-10-15,59.90,EUR,open\n"),
    );
    company.drop_file(
        "bank-2026-10.csv",
        format!(
            "{BANK_HEADER}2026-10-03,2026-10-03,{HOSTILE_NAME},,{HOSTILE_TEXT},B1,59.90,EUR,\n2026-10-04,2026-10-04,</td></tr></table><h1>forged</h1>,,&amp; nothing,B2,12.00,EUR,\n"
        ),
    );
    let pipeline = company.pipeline("archive", DEMO_SOURCES);
    run_at(&pipeline, RUN_AT);
    (company, pipeline)
}

/// Writes the page for `pipeline` with the `sluice report` command itself.
pub fn write_with_cli(pipeline_file: &Path, html: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
        .arg("report")
        .arg("--pipeline")
        .arg(pipeline_file)
        .args(extra)
        .arg("--html")
        .arg(html)
        .env_remove("SLUICE_LOG")
        .output()
        .expect("sluice runs")
}
