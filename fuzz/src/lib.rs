//! What the fuzz targets share: the layouts of the CSV and spreadsheet sources (the
//! pipeline file beside this crate, `pipeline.toml`, loaded once) and one way to hand the
//! fuzzer's bytes to a parser as a run would, as a dropped file.
//!
//! A parser may refuse any input — that is its job, with a located `SourceError` — but it
//! must never panic, hang or take memory without bound: libFuzzer reports those, and each
//! one found becomes a case in `tests/fuzz_regressions.rs`.

use std::path::Path;
use std::sync::OnceLock;

use sluice::pipeline::{self, Pipeline, Source, SourceFormat};
use sluice::sources::{self, InputFile, Records, SourceError};

/// The name every fuzz input is read under; a refusal must name it.
pub const FILE_NAME: &str = "fuzz-input";

/// A SHA-256 in the shape lineage expects; the parsers only carry it along.
const SHA256: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline.toml");
        pipeline::load(&path).unwrap_or_else(|e| panic!("the fuzz pipeline is invalid: {e}"))
    })
}

fn source(name: &str) -> &'static Source {
    pipeline()
        .sources
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("pipeline.toml has no source {name}"))
}

fn file(bytes: &[u8]) -> InputFile<'_> {
    InputFile {
        name: FILE_NAME,
        sha256: SHA256,
        bytes,
    }
}

/// Reads `bytes` with the pipeline's source `name` (a CSV or spreadsheet layout).
pub fn parse_with_source(name: &str, bytes: &[u8]) {
    examine(sources::parse(source(name), &file(bytes)));
}

/// Reads `bytes` as a format that describes itself, and lets `detect` look at them too.
pub fn parse_standard(format: SourceFormat, bytes: &[u8]) {
    let _ = sources::detect(bytes);
    examine(sources::parse_standard(format, &file(bytes)));
}

/// Uses what was read the way a run and `sluice inspect` do, so that a panic in a record's
/// or a refusal's formatting is found as well.
fn examine(result: Result<Records, SourceError>) {
    match result {
        Ok(records) => {
            let _ = records.len();
            let _ = format!("{records:?}");
        }
        Err(refusal) => {
            assert_eq!(refusal.file, FILE_NAME, "a refusal names its file");
            assert!(!refusal.message.is_empty(), "a refusal says what is wrong");
            let _ = refusal.to_string();
        }
    }
}
