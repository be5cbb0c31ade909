//! Test hooks of `sluice run`, read from the environment once at start (see the README's
//! Tests section): `SLUICE_CRASH_AT=<point>[:<n>]` kills the run with SIGKILL at a named
//! point, and `SLUICE_TEST_NOW=<RFC 3339 time>` runs it at a fixed time, so that a run
//! killed and run again can be compared byte for byte with one that never was.

use chrono::{DateTime, Utc};
use sluice::run::{CrashAt, RunOptions};

pub const CRASH_AT: &str = "SLUICE_CRASH_AT";
pub const TEST_NOW: &str = "SLUICE_TEST_NOW";

/// `options` with the hooks that are set; a hook set to something unreadable is refused
/// (a test that mistypes one must not silently run without it).
pub fn apply(options: RunOptions) -> Result<RunOptions, String> {
    let read = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let crash_at = match read(CRASH_AT) {
        Some(text) => Some(
            text.parse::<CrashAt>()
                .map_err(|e| format!("{CRASH_AT}={e}"))?,
        ),
        None => None,
    };
    let now = match read(TEST_NOW) {
        Some(text) => DateTime::parse_from_rfc3339(text.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                format!("{TEST_NOW}=\"{text}\": {e}; expected a time as 2026-11-02T03:00:00Z")
            })?,
        None => options.now,
    };
    Ok(RunOptions {
        crash_at,
        now,
        ..options
    })
}
