//! When files in the inbox are ready to be read: a file has settled when its size and
//! modification time stayed the same between two looks at least the settle time apart, so
//! a file still being copied (growing, or rewritten in place) is never read half. Files
//! dropped together are taken together: nothing is ready until the settle time has passed
//! since the last change to any waiting file, then all of them go into one run.
//!
//! Pure bookkeeping over the looks it is given, with the time passed in: tested with a
//! made-up clock.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

/// What the watcher can see of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub modified: Option<SystemTime>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing waits to be read.
    Idle,
    /// Something is still changing, or changed too recently: look again after this long.
    Wait(Duration),
    /// These files have settled: one run takes them.
    Ready(BTreeSet<PathBuf>),
}

struct Seen {
    stamp: Stamp,
    /// When the watcher first saw the file as it is now.
    since: Instant,
}

pub struct Settling {
    settle: Duration,
    seen: BTreeMap<PathBuf, Seen>,
    /// Files handed to a run, as they were then: not taken again unless they change (with
    /// `after = "keep"` they stay in the inbox).
    taken: BTreeMap<PathBuf, Stamp>,
}

impl Settling {
    pub fn new(settle: Duration) -> Settling {
        Settling {
            settle,
            seen: BTreeMap::new(),
            taken: BTreeMap::new(),
        }
    }

    /// Takes in one look at the inbox (every input file there, with its stamp) at `now`.
    pub fn look(&mut self, now: Instant, files: &[(PathBuf, Stamp)]) -> Verdict {
        let present: BTreeSet<&PathBuf> = files.iter().map(|(p, _)| p).collect();
        self.seen.retain(|p, _| present.contains(p));
        self.taken.retain(|p, _| present.contains(p));
        for (path, stamp) in files {
            let unchanged = self.seen.get(path).is_some_and(|s| s.stamp == *stamp);
            if !unchanged {
                self.seen.insert(
                    path.clone(),
                    Seen {
                        stamp: *stamp,
                        since: now,
                    },
                );
            }
        }
        let waiting: Vec<(&PathBuf, &Seen)> = self
            .seen
            .iter()
            .filter(|(p, s)| self.taken.get(*p) != Some(&s.stamp))
            .collect();
        let Some(last_change) = waiting.iter().map(|(_, s)| s.since).max() else {
            return Verdict::Idle;
        };
        let quiet = now.saturating_duration_since(last_change);
        if quiet >= self.settle {
            Verdict::Ready(waiting.into_iter().map(|(p, _)| p.clone()).collect())
        } else {
            Verdict::Wait(self.settle - quiet)
        }
    }

    /// Records that a run took these files as the last look saw them.
    pub fn taken(&mut self, paths: &BTreeSet<PathBuf>) {
        for path in paths {
            if let Some(seen) = self.seen.get(path) {
                self.taken.insert(path.clone(), seen.stamp);
            }
        }
    }

    /// Makes every file in the inbox wait again (after a run failed, to try once more).
    pub fn forget_taken(&mut self) {
        self.taken.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTLE: Duration = Duration::from_secs(5);

    fn stamp(size: u64, modified_secs: u64) -> Stamp {
        Stamp {
            size,
            modified: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(modified_secs)),
        }
    }

    fn file(name: &str, size: u64, modified_secs: u64) -> (PathBuf, Stamp) {
        (PathBuf::from(name), stamp(size, modified_secs))
    }

    fn ready(names: &[&str]) -> Verdict {
        Verdict::Ready(names.iter().map(PathBuf::from).collect())
    }

    /// A made-up clock: the instant `secs` after the start.
    struct Clock(Instant);
    impl Clock {
        fn at(&self, secs: f64) -> Instant {
            self.0 + Duration::from_secs_f64(secs)
        }
    }

    #[test]
    fn an_empty_inbox_is_idle() {
        let clock = Clock(Instant::now());
        let mut s = Settling::new(SETTLE);
        assert_eq!(s.look(clock.at(0.0), &[]), Verdict::Idle);
    }

    #[test]
    fn a_file_is_ready_only_after_the_settle_time_unchanged() {
        let clock = Clock(Instant::now());
        let mut s = Settling::new(SETTLE);
        let bank = [file("bank.csv", 100, 1)];
        assert_eq!(
            s.look(clock.at(0.0), &bank),
            Verdict::Wait(SETTLE),
            "first sight: it may still be copied"
        );
        assert_eq!(
            s.look(clock.at(4.0), &bank),
            Verdict::Wait(Duration::from_secs(1))
        );
        assert_eq!(s.look(clock.at(5.0), &bank), ready(&["bank.csv"]));
    }

    #[test]
    fn a_file_that_grows_or_is_touched_starts_settling_again() {
        let clock = Clock(Instant::now());
        let mut s = Settling::new(SETTLE);
        s.look(clock.at(0.0), &[file("bank.csv", 100, 1)]);
        assert_eq!(
            s.look(clock.at(4.0), &[file("bank.csv", 200, 4)]),
            Verdict::Wait(SETTLE),
            "appended to"
        );
        assert_eq!(
            s.look(clock.at(8.0), &[file("bank.csv", 200, 8)]),
            Verdict::Wait(SETTLE),
            "same size, rewritten in place"
        );
        assert_eq!(
            s.look(clock.at(12.9), &[file("bank.csv", 200, 8)]),
            Verdict::Wait(Duration::from_secs_f64(0.1))
        );
        assert_eq!(
            s.look(clock.at(13.0), &[file("bank.csv", 200, 8)]),
            ready(&["bank.csv"])
        );
    }

    #[test]
    fn files_dropped_one_after_another_are_taken_together() {
        let clock = Clock(Instant::now());
        let mut s = Settling::new(SETTLE);
        s.look(clock.at(0.0), &[file("invoices.csv", 10, 0)]);
        let both = [file("invoices.csv", 10, 0), file("bank.csv", 20, 3)];
        assert_eq!(
            s.look(clock.at(3.0), &both),
            Verdict::Wait(SETTLE),
            "the invoices have settled, but the bank file has just come"
        );
        assert_eq!(
            s.look(clock.at(8.0), &both),
            ready(&["bank.csv", "invoices.csv"])
        );
    }

    #[test]
    fn taken_files_wait_again_only_when_they_change() {
        let clock = Clock(Instant::now());
        let mut s = Settling::new(SETTLE);
        let kept = [file("bank.csv", 100, 1)];
        s.look(clock.at(0.0), &kept);
        let Verdict::Ready(files) = s.look(clock.at(5.0), &kept) else {
            panic!("settled");
        };
        s.taken(&files);
        assert_eq!(
            s.look(clock.at(60.0), &kept),
            Verdict::Idle,
            "kept in the inbox"
        );
        let with_new = [file("bank.csv", 100, 1), file("invoices.csv", 5, 61)];
        s.look(clock.at(61.0), &with_new);
        assert_eq!(
            s.look(clock.at(66.0), &with_new),
            ready(&["invoices.csv"]),
            "only the new file"
        );
        let changed = [file("bank.csv", 120, 70)];
        s.look(clock.at(70.0), &changed);
        assert_eq!(s.look(clock.at(75.0), &changed), ready(&["bank.csv"]));
    }

    #[test]
    fn a_file_dropped_during_a_run_waits_for_the_next() {
        let clock = Clock(Instant::now());
        let mut s = Settling::new(SETTLE);
        s.look(clock.at(0.0), &[file("a.csv", 1, 0)]);
        let Verdict::Ready(first) = s.look(clock.at(5.0), &[file("a.csv", 1, 0)]) else {
            panic!("settled");
        };
        s.taken(&first);
        // The run archived a.csv; b.csv came while it worked.
        assert_eq!(
            s.look(clock.at(9.0), &[file("b.csv", 1, 7)]),
            Verdict::Wait(SETTLE)
        );
        assert_eq!(
            s.look(clock.at(14.0), &[file("b.csv", 1, 7)]),
            ready(&["b.csv"])
        );
    }

    #[test]
    fn a_file_taken_away_and_dropped_again_is_new() {
        let clock = Clock(Instant::now());
        let mut s = Settling::new(SETTLE);
        let bank = [file("bank.csv", 100, 1)];
        s.look(clock.at(0.0), &bank);
        let Verdict::Ready(files) = s.look(clock.at(5.0), &bank) else {
            panic!("settled");
        };
        s.taken(&files);
        assert_eq!(s.look(clock.at(6.0), &[]), Verdict::Idle);
        assert_eq!(s.look(clock.at(7.0), &bank), Verdict::Wait(SETTLE));
    }

    #[test]
    fn after_a_failed_run_the_same_files_wait_again() {
        let clock = Clock(Instant::now());
        let mut s = Settling::new(SETTLE);
        let bank = [file("bank.csv", 100, 1)];
        s.look(clock.at(0.0), &bank);
        let Verdict::Ready(files) = s.look(clock.at(5.0), &bank) else {
            panic!("settled");
        };
        s.taken(&files);
        assert_eq!(s.look(clock.at(6.0), &bank), Verdict::Idle);
        s.forget_taken();
        assert_eq!(s.look(clock.at(7.0), &bank), ready(&["bank.csv"]));
    }
}
