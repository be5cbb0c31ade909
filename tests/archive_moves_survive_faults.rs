//! What happens to the inputs after the commit point: the archive out of reach, an input
//! taken away or exported again while its run was stopped. The committed facts stand,
//! nothing is applied twice, and what is in the inbox is still read.

mod common;

use std::fs;

use common::crash::{self, State};
use sluice::ledger::FileStatus;

const CUSTOMERS: usize = 60;

fn expected() -> State {
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = crash::month_in(dir.path(), CUSTOMERS);
    crash::run_ok(&pipeline, "the clean run");
    crash::state(dir.path())
}

#[test]
fn an_archive_out_of_reach_after_the_commit_is_reported_as_committed_and_finished_later() {
    let expected = expected();
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = crash::month_in(dir.path(), CUSTOMERS);
    // A file where the archive's year folder belongs: no input can be moved there.
    let obstacle = dir.path().join("archive/2026");
    fs::create_dir_all(dir.path().join("archive")).expect("archive");
    fs::write(&obstacle, "in the way").expect("obstacle");

    let (status, stderr) = crash::run(&pipeline, &[]);
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is committed") && !stderr.contains("nothing was committed"),
        "the message says the run is committed: {stderr}"
    );
    assert!(stderr.contains("archive/2026"), "and where: {stderr}");
    assert_eq!(
        crash::state(dir.path()).facts,
        expected.facts,
        "the facts are committed"
    );

    fs::remove_file(&obstacle).expect("obstacle removed");
    crash::run_ok(&pipeline, "after the archive is back");
    crash::assert_same(&crash::state(dir.path()), &expected, "archive back");
}

#[test]
fn an_input_taken_away_before_its_move_is_not_missed_and_nothing_is_applied_again() {
    let expected = expected();
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = crash::month_in(dir.path(), CUSTOMERS);
    let (status, _) = crash::run(&pipeline, &[("SLUICE_CRASH_AT", "journal")]);
    assert!(crash::killed(status));
    let bank = dir.path().join("inbox/bank-2026-10.csv");
    let kept = fs::read(&bank).expect("bank file");
    fs::remove_file(&bank).expect("a person takes the file away");

    crash::run_ok(&pipeline, "after the file was taken away");
    let state = crash::state(dir.path());
    assert_eq!(state.facts, expected.facts, "the committed facts stand");
    assert!(state.inbox.is_empty());
    assert!(
        !state
            .archive
            .iter()
            .any(|(name, _)| name.ends_with("bank-2026-10.csv")),
        "nothing is archived in its place"
    );

    // Dropped again: recognised, archived as a duplicate, nothing applied twice.
    fs::write(&bank, &kept).expect("dropped again");
    crash::run_ok(&pipeline, "the file dropped again");
    let again = crash::state(dir.path());
    assert_eq!(again.facts.bank_lines, expected.facts.bank_lines);
    assert_eq!(again.facts.matches, expected.facts.matches);
    assert_eq!(
        again.facts.files.last().map(|f| f.status),
        Some(FileStatus::Duplicate)
    );
    assert!(again.inbox.is_empty());
}

#[test]
fn an_input_exported_again_before_its_move_is_read_as_a_new_file() {
    let expected = expected();
    let dir = tempfile::tempdir().expect("temp dir");
    let pipeline = crash::month_in(dir.path(), CUSTOMERS);
    let (status, _) = crash::run(&pipeline, &[("SLUICE_CRASH_AT", "journal")]);
    assert!(crash::killed(status));
    // The bank's export again, with one more line at the end of the file.
    let bank = dir.path().join("inbox/bank-2026-10.csv");
    let mut newer = fs::read(&bank).expect("bank file");
    newer.extend_from_slice(b"\n");
    fs::write(&bank, &newer).expect("exported again");

    crash::run_ok(&pipeline, "after the file changed");
    let state = crash::state(dir.path());
    assert!(state.inbox.is_empty(), "the new export was taken in");
    assert!(
        state.archive.iter().any(|(_, bytes)| *bytes == newer),
        "and archived"
    );
    let sha = sluice::durable::sha256_hex(&newer);
    let rows: Vec<_> = state
        .facts
        .files
        .iter()
        .filter(|f| f.sha256 == sha)
        .collect();
    assert_eq!(rows.len(), 1, "read once");
    assert_eq!(rows[0].status, FileStatus::Processed);
    // Each file row's archived_as leads to the bytes it names, or to nothing (the first
    // export is gone: the person replaced it before it was moved), never to other bytes.
    for row in &state.facts.files {
        let archived = dir.path().join("archive").join(&row.archived_as);
        if let Ok(bytes) = fs::read(&archived) {
            assert_eq!(
                sluice::durable::sha256_hex(&bytes),
                row.sha256,
                "{} (run {}) is archived as {}, which holds other bytes",
                row.name,
                row.run_id,
                row.archived_as
            );
        }
    }
    // Its entries were all booked by the committed run: none applied a second time.
    let applied = |s: &State| s.facts.bank_lines.iter().filter(|l| l.applied).count();
    assert_eq!(applied(&state), applied(&expected));
    assert_eq!(state.facts.matches, expected.facts.matches);
}
