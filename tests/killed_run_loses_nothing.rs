//! A `sluice run` process killed with SIGKILL — after any input is parsed, between ledger
//! segments, between the outbox batches and the journal record, between archive moves, or
//! at a random moment — is undone or finished by the next run: the ledger, the journal,
//! the outbox, the archive, the inbox and the quarantine end exactly as after a run that
//! was never interrupted. No input is lost, none applied twice, no batch left orphaned.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::crash::{self, State};
use sluice::ledger::FileStatus;
use sluice::run::{CrashAt, CrashPoint};
use tempfile::TempDir;

/// Small enough for about forty runs of the binary in a few seconds, big enough for every
/// table, three batches and five archive moves.
const CUSTOMERS: usize = 120;

struct Company {
    dir: TempDir,
    pipeline: PathBuf,
}

fn company() -> Company {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = crash::month_in(dir.path(), CUSTOMERS);
    Company { dir, pipeline }
}

fn state(company: &Company) -> State {
    crash::state(company.dir.path())
}

/// The uninterrupted run every other is compared with.
fn clean_run() -> (State, Duration) {
    let company = company();
    let started = Instant::now();
    crash::run_ok(&company.pipeline, "the clean run");
    let took = started.elapsed();
    let expected = state(&company);
    assert_eq!(expected.commits.len(), 1);
    assert!(expected.inbox.is_empty(), "every input was taken");
    (expected, took)
}

/// How many times the clean run passed each point.
fn passes(expected: &State) -> Vec<(CrashPoint, u32)> {
    let commit = &expected.commits[0];
    let count = |n: usize| u32::try_from(n).expect("a small count");
    // Every file not recognised as a duplicate was parsed; the quarantined one too (its
    // name matches the bank's source, its content does not).
    let parsed = expected
        .facts
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Duplicate)
        .count()
        + expected
            .quarantine
            .iter()
            .filter(|(name, _)| !name.ends_with(".reason.txt"))
            .count();
    vec![
        (CrashPoint::Parsed, count(parsed)),
        (CrashPoint::Segment, count(commit.segments.len())),
        (CrashPoint::Batch, count(commit.batches.len())),
        (CrashPoint::Journal, 1),
        (CrashPoint::Move, count(commit.moves.len())),
    ]
}

/// The next run finishes or undoes what the killed one left, and a run after that finds
/// nothing new.
fn assert_recovered(company: &Company, expected: &State, label: &str) {
    crash::run_ok(&company.pipeline, label);
    crash::assert_same(&state(company), expected, label);
    crash::run_ok(&company.pipeline, label);
    crash::assert_same(
        &state(company),
        expected,
        &format!("{label}, run once more"),
    );
}

#[test]
fn a_run_killed_at_any_point_is_undone_or_finished_by_the_next() {
    let (expected, _) = clean_run();
    let passes = passes(&expected);
    assert!(
        passes.iter().all(|(_, n)| *n > 0),
        "the month passes every point: {passes:?}"
    );
    assert!(passes.iter().map(|(_, n)| n).sum::<u32>() >= 15);
    let cases: Vec<CrashAt> = passes
        .iter()
        .flat_map(|&(point, n)| (1..=n).map(move |nth| CrashAt { point, nth }))
        .collect();

    // Two at a time: the runs mostly wait for fsync.
    let (first, second) = cases.split_at(cases.len() / 2);
    std::thread::scope(|scope| {
        for half in [first, second] {
            let expected = &expected;
            scope.spawn(move || {
                for at in half {
                    let company = company();
                    let hook = at.to_string();
                    let (status, stderr) =
                        crash::run(&company.pipeline, &[("SLUICE_CRASH_AT", &hook)]);
                    assert!(
                        crash::killed(status),
                        "SLUICE_CRASH_AT={hook}: expected SIGKILL, got {status}: {stderr}"
                    );
                    assert_recovered(&company, expected, &format!("killed at {hook}"));
                }
            });
        }
    });
}

/// A count one past the last pass never fires: the cases above are every pass there is.
#[test]
fn a_point_passed_fewer_times_than_asked_lets_the_run_finish() {
    let (expected, _) = clean_run();
    let company = company();
    let (point, n) = passes(&expected)[1];
    let hook = CrashAt { point, nth: n + 1 }.to_string();
    let (status, stderr) = crash::run(&company.pipeline, &[("SLUICE_CRASH_AT", &hook)]);
    assert!(
        matches!(status.code(), Some(0 | 3)),
        "{hook}: {status} {stderr}"
    );
    crash::assert_same(&state(&company), &expected, &hook);
}

/// Without the hook: killed from outside after a seeded list of delays spread over a clean
/// run's duration, wherever the run happens to be then.
#[test]
fn a_run_killed_at_random_moments_is_undone_or_finished_by_the_next() {
    let (expected, took) = clean_run();
    let mut seed: u64 = 0x5eed_c0de;
    let mut delays: Vec<Duration> = (0..10)
        .map(|_| {
            // xorshift64: the same delays on every machine, relative to its speed.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            took.mul_f64((seed % 1000) as f64 / 1000.0 * 1.1)
        })
        .collect();
    delays.sort();
    let mut outcomes = Vec::new();
    for delay in delays {
        let company = company();
        let mut child = crash::spawn(&company.pipeline, &[]);
        std::thread::sleep(delay);
        // Fails only if the run already ended; then it must have ended well.
        let _ = child.kill();
        let status = child.wait().expect("the run ends");
        let label = format!("killed after {delay:?} of a {took:?} run");
        assert!(
            crash::killed(status) || matches!(status.code(), Some(0 | 3)),
            "{label}: {status}"
        );
        outcomes.push(where_it_stopped(&company, crash::killed(status)));
        assert_recovered(&company, &expected, &label);
    }
    eprintln!("where the killed runs stopped: {outcomes:?}");
}

/// What a killed run had got to, from what it left.
fn where_it_stopped(company: &Company, killed: bool) -> &'static str {
    let dir = company.dir.path();
    let count = |sub: &str| common::tree(&dir.join(sub)).len();
    let committed = count("ledger/journal") > 0;
    if !killed {
        "finished"
    } else if committed && count("inbox") > 0 {
        "committed, archiving"
    } else if committed {
        "committed"
    } else if count("outbox") > 0 {
        "staging batches"
    } else if count("ledger") > 1 {
        "writing segments"
    } else if count("quarantine") > 0 {
        "reading inputs"
    } else {
        "starting"
    }
}
