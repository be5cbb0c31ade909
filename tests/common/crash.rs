//! For the tests that stop a real `sluice run` process (SIGKILL, a full disk): a generated
//! month in a company folder that archives its inputs and stages three batches, the
//! binary run at a fixed time (the `SLUICE_TEST_NOW` hook), and everything a person or an
//! auditor could look at afterwards, to compare with a run that was never interrupted.

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};

use chrono::NaiveDate;
use sluice::ledger::{Facts, JournalRecord, Ledger};
use sluice::synthetic::{self, Spec};

use super::tree;

pub const TIME: &str = "2026-11-02T03:00:00Z";

/// The targets of the demo's auditors beside the generated pipeline's Xero: three batches,
/// so a run can be stopped between them.
const AUDIT_TARGETS: &str = "
[[targets]]
name = \"audit-hledger\"
platform = \"hledger\"

[[targets]]
name = \"audit-beancount\"
platform = \"beancount\"
";

/// A month of `customers` customers, written into `dir`: the three exports, the invoice
/// export dropped a second time under another name (archived as a duplicate) and a bank
/// file that is not one (quarantined). Returns the pipeline file.
pub fn month_in(dir: &Path, customers: usize) -> PathBuf {
    let spec = Spec {
        customers,
        month: NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date"),
        seed: 7,
        mistyped_numbers: true,
    };
    let month = synthetic::generate(&spec).expect("a valid spec");
    let pipeline = month.write(dir).expect("month written");
    let text = fs::read_to_string(&pipeline).expect("pipeline");
    let text = text.replacen("after = \"keep\"", "after = \"archive\"", 1);
    assert!(
        text.contains("after = \"archive\""),
        "the inputs are archived"
    );
    fs::write(&pipeline, format!("{text}{AUDIT_TARGETS}")).expect("pipeline");
    let inbox = dir.join("inbox");
    fs::write(
        inbox.join("invoices-2026-10-again.csv"),
        &month.invoices_csv,
    )
    .expect("duplicate");
    fs::write(
        inbox.join("bank-2026-10-broken.csv"),
        "this is not,a bank export\n1,2\n",
    )
    .expect("broken file");
    pipeline
}

/// `sluice run` on `pipeline` at [`TIME`], with the test hooks in `env`.
pub fn command(pipeline: &Path, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sluice"));
    command
        .args(["run", "--json", "--pipeline"])
        .arg(pipeline)
        .env("SLUICE_TEST_NOW", TIME)
        .env_remove("SLUICE_CRASH_AT")
        .env("SLUICE_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

pub fn spawn(pipeline: &Path, env: &[(&str, &str)]) -> Child {
    command(pipeline, env).spawn().expect("sluice starts")
}

/// Runs to the end; the exit status and what it printed on stderr.
pub fn run(pipeline: &Path, env: &[(&str, &str)]) -> (ExitStatus, String) {
    let out = command(pipeline, env).output().expect("sluice runs");
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A run that must commit: exit 0, or 3 for the quarantined file.
pub fn run_ok(pipeline: &Path, label: &str) {
    let (status, stderr) = run(pipeline, &[]);
    assert!(
        matches!(status.code(), Some(0 | 3)),
        "{label}: the run after it ended with {status}: {stderr}"
    );
}

pub fn killed(status: ExitStatus) -> bool {
    status.signal() == Some(libc::SIGKILL)
}

/// A journal record without its summary, whose counts of what recovery did legitimately
/// differ after an interruption.
#[derive(Debug, PartialEq)]
pub struct Commit {
    pub run_id: String,
    pub seq: u64,
    pub segments: Vec<String>,
    pub batches: Vec<String>,
    pub moves: Vec<(PathBuf, PathBuf, String)>,
}

type Files = Vec<(String, Vec<u8>)>;

/// Everything of a company folder a person or an auditor could look at.
#[derive(Debug, PartialEq)]
pub struct State {
    pub facts: Facts,
    pub commits: Vec<Commit>,
    /// Every file under `ledger/` but the lock (its holder's name stays after a kill until
    /// the next run takes it).
    pub ledger_files: Vec<String>,
    pub outbox: Files,
    pub archive: Files,
    pub inbox: Files,
    pub quarantine: Files,
}

/// The files under `dir/sub`, with the company folder's own path (quarantine notes name
/// the pipeline file) written as `COMPANY`: two company folders compare equal.
fn folder(dir: &Path, sub: &str) -> Files {
    let own = dir.display().to_string();
    tree(&dir.join(sub))
        .into_iter()
        .map(|(name, bytes)| {
            let bytes = match String::from_utf8(bytes) {
                Ok(text) => text.replace(&own, "COMPANY").into_bytes(),
                Err(e) => e.into_bytes(),
            };
            (name, bytes)
        })
        .collect()
}

pub fn state(dir: &Path) -> State {
    let ledger = Ledger::new(&dir.join("ledger"));
    let relative = |p: &Path| p.strip_prefix(dir).unwrap_or(p).to_path_buf();
    State {
        facts: ledger.load().expect("the ledger loads"),
        commits: ledger
            .journal()
            .expect("the journal reads")
            .into_iter()
            .map(|r: JournalRecord| Commit {
                run_id: r.run_id,
                seq: r.seq,
                segments: r.segments.into_values().map(|s| s.file).collect(),
                batches: r.batches,
                moves: r
                    .moves
                    .into_iter()
                    .map(|m| (relative(&m.from), relative(&m.to), m.sha256))
                    .collect(),
            })
            .collect(),
        ledger_files: tree(&dir.join("ledger"))
            .into_iter()
            .map(|(name, _)| name)
            .filter(|n| n != ".lock")
            .collect(),
        outbox: folder(dir, "outbox"),
        archive: folder(dir, "archive"),
        inbox: folder(dir, "inbox"),
        quarantine: folder(dir, "quarantine"),
    }
}

/// Fails naming the first part of `actual` that differs from `expected`, with the file
/// names where it is a folder (the bytes of a whole month would drown the message).
pub fn assert_same(actual: &State, expected: &State, label: &str) {
    let names = |files: &Files| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let folders = [
        ("outbox", &actual.outbox, &expected.outbox),
        ("archive", &actual.archive, &expected.archive),
        ("inbox", &actual.inbox, &expected.inbox),
        ("quarantine", &actual.quarantine, &expected.quarantine),
    ];
    for (name, a, e) in folders {
        assert_eq!(names(a), names(e), "{label}: other files in {name}/");
        for ((file, a), (_, e)) in a.iter().zip(e.iter()) {
            assert!(a == e, "{label}: {name}/{file} has other bytes");
        }
    }
    assert_eq!(
        actual.ledger_files, expected.ledger_files,
        "{label}: other files in ledger/"
    );
    assert_eq!(actual.commits, expected.commits, "{label}: other commits");
    assert!(
        actual.facts == expected.facts,
        "{label}: the ledger holds other facts"
    );
}
