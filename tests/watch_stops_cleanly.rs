//! Ctrl-C / SIGTERM stops `sluice watch` at once when it waits, and only after the run at
//! work has committed when one is; a second signal abandons the run, and the next run
//! tidies up after it: never half a commit.

mod common;

use std::time::Duration;

use common::watcher::{Watcher, generated_month};
use sluice::ledger::Ledger;

const WITHIN: Duration = Duration::from_secs(60);

fn journal_records(ledger: &std::path::Path) -> usize {
    std::fs::read_dir(ledger.join("journal"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count()
        })
        .unwrap_or(0)
}

/// Every file under the ledger folder: no temporary file, no segment of a run that did not
/// commit (each segment's name starts with the id of a run in the journal).
fn ledger_files(ledger: &std::path::Path) -> Vec<String> {
    walkdir::WalkDir::new(ledger)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(ledger)
                .expect("below")
                .display()
                .to_string()
        })
        .collect()
}

/// The rows of the generated bank statement (its lines less the header).
fn bank_rows(dir: &std::path::Path) -> usize {
    std::fs::read_to_string(dir.join("inbox/bank-2026-10.csv"))
        .expect("the statement")
        .lines()
        .count()
        - 1
}

#[test]
fn sigterm_while_waiting_stops_at_once_with_exit_code_0() {
    let company = common::Company::new();
    company.pipeline("archive", common::DEMO_SOURCES);
    let watcher = Watcher::start(&company.path("pipeline.toml"), &[]);
    watcher.wait_for("watching", 1, WITHIN);
    watcher.signal("TERM");
    let ended = watcher.ended(Duration::from_secs(5));
    assert_eq!(ended.code, Some(0), "{}", ended.stderr);
    assert!(
        ended.took < Duration::from_secs(1),
        "stopped after {:?}",
        ended.took
    );
    assert!(
        ended.stderr.contains("stopped watching"),
        "{}",
        ended.stderr
    );
}

#[test]
fn sigterm_during_a_run_lets_it_commit_then_stops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = generated_month(dir.path());
    let watcher = Watcher::start(&pipeline, &["--settle", "0.2"]);
    watcher.wait_for("run started", 1, WITHIN);
    watcher.signal("TERM");
    let ended = watcher.ended(WITHIN);

    assert_eq!(ended.code, Some(0), "{}", ended.stderr);
    assert!(
        ended
            .stderr
            .contains("stopping once the run at work has committed"),
        "the signal came while the run worked:\n{}",
        ended.stderr
    );
    assert!(ended.stdout.contains("committed run"), "{}", ended.stdout);
    let ledger = dir.path().join("ledger");
    assert_eq!(journal_records(&ledger), 1);
    let facts = Ledger::new(&ledger).load().expect("the ledger loads");
    assert_eq!(facts.files.len(), 3, "all three exports, committed");
    assert_eq!(
        facts.bank_lines.len(),
        bank_rows(dir.path()),
        "every row of the statement"
    );
    let files = ledger_files(&ledger);
    assert!(
        !files.iter().any(|f| f.ends_with(".tmp")),
        "nothing half-written: {files:?}"
    );
}

#[test]
fn a_second_signal_abandons_the_run_and_the_next_run_tidies_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = generated_month(dir.path());
    let watcher = Watcher::start(&pipeline, &["--settle", "0.2"]);
    watcher.wait_for("run started", 1, WITHIN);
    watcher.signal("INT");
    watcher.wait_for("stopping once the run at work has committed", 1, WITHIN);
    watcher.signal("INT");
    let ended = watcher.ended(WITHIN);
    assert_eq!(ended.code, Some(130), "{}", ended.stderr);
    assert!(ended.stderr.contains("abandoned"), "{}", ended.stderr);
    assert!(
        !ended.stdout.contains("committed run"),
        "abandoned before its summary:\n{}",
        ended.stdout
    );

    let ledger = dir.path().join("ledger");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--pipeline"])
        .arg(&pipeline)
        .output()
        .expect("sluice run");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(journal_records(&ledger), 1, "one commit, not two");
    let facts = Ledger::new(&ledger).load().expect("the ledger loads");
    assert_eq!(facts.files.len(), 3);
    let lines = facts.bank_lines.len();
    assert_eq!(lines, bank_rows(dir.path()), "every row of the statement");
    let ids: std::collections::BTreeSet<&str> = facts
        .bank_lines
        .iter()
        .map(|r| r.line.id.as_str())
        .collect();
    assert_eq!(ids.len(), lines, "no bank line twice");
    let files = ledger_files(&ledger);
    assert!(!files.iter().any(|f| f.ends_with(".tmp")), "{files:?}");
}

/// CPU seconds a process has used so far (Linux: `/proc/PID/stat`, in clock ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    // The command name (field 2) may hold spaces; the fields after its `)` are plain.
    let after_name = &stat[stat.rfind(')').expect("stat") + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    ticks as f64 / 100.0
}

#[test]
fn a_waiting_watcher_uses_next_to_no_cpu() {
    let company = common::Company::new();
    company.pipeline("archive", common::DEMO_SOURCES);
    let watcher = Watcher::start(&company.path("pipeline.toml"), &[]);
    watcher.wait_for("watching", 1, WITHIN);
    let before = cpu_seconds(watcher.pid());
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_seconds(watcher.pid()) - before;
    assert!(used < 0.2, "{used} s of CPU in 2 s of waiting");
    assert_eq!(watcher.stop().code, Some(0));
}
