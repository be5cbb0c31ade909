//! A test hook: `SLUICE_CRASH_AT=<point>[:<n>]` makes `sluice run` kill itself with SIGKILL
//! the n-th time (1 when left out) it reaches a named point of a run.
//!
//! `FailPoint` proves that an error return leaves no trace; this proves the same for a
//! process that simply stops — power cut, OOM killer, `kill -9` — where no destructor runs,
//! no buffer is flushed and no lock is released by the program. So the signal is a real
//! SIGKILL sent to ourselves, not `abort()` (which runs a signal handler and dumps core)
//! and not an early return. Nothing is read from the environment here: `sluice run` parses
//! the variable and hands it over in `RunOptions`.

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

/// Where a run can be killed, named as in `SLUICE_CRASH_AT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// After an input file is parsed (before the next one is read).
    Parsed,
    /// After a ledger segment is written (before the next table's).
    Segment,
    /// After an outbox batch is staged; after the last one, just before the journal record.
    Batch,
    /// After the journal record (the commit point), before any input is archived.
    Journal,
    /// After an input is moved to the archive (before the next move).
    Move,
}

impl CrashPoint {
    pub const ALL: [CrashPoint; 5] = [
        CrashPoint::Parsed,
        CrashPoint::Segment,
        CrashPoint::Batch,
        CrashPoint::Journal,
        CrashPoint::Move,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CrashPoint::Parsed => "parsed",
            CrashPoint::Segment => "segment",
            CrashPoint::Batch => "batch",
            CrashPoint::Journal => "journal",
            CrashPoint::Move => "move",
        }
    }
}

/// A point and the how-manieth time it is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrashAt {
    pub point: CrashPoint,
    pub nth: u32,
}

impl fmt::Display for CrashAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.point.name(), self.nth)
    }
}

impl FromStr for CrashAt {
    type Err = String;

    fn from_str(text: &str) -> Result<CrashAt, String> {
        let (name, nth) = match text.split_once(':') {
            Some((name, n)) => (name, Some(n)),
            None => (text, None),
        };
        let names: Vec<&str> = CrashPoint::ALL.iter().map(|p| p.name()).collect();
        let point = CrashPoint::ALL
            .into_iter()
            .find(|p| p.name() == name.trim())
            .ok_or_else(|| {
                format!(
                    "\"{text}\": expected one of {} with an optional :N",
                    names.join(", ")
                )
            })?;
        let nth = match nth {
            None => 1,
            Some(n) => n
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("\"{text}\": N must be a whole number from 1"))?,
        };
        Ok(CrashAt { point, nth })
    }
}

/// Counts the points a run passes and kills the process at the one asked for.
pub(super) struct Trap {
    at: Option<CrashAt>,
    reached: Cell<u32>,
}

impl Trap {
    pub(super) fn new(at: Option<CrashAt>) -> Trap {
        Trap {
            at,
            reached: Cell::new(0),
        }
    }

    pub(super) fn reached(&self, point: CrashPoint) {
        let Some(at) = self.at.filter(|at| at.point == point) else {
            return;
        };
        let n = self.reached.get() + 1;
        self.reached.set(n);
        if n == at.nth {
            tracing::warn!("SLUICE_CRASH_AT={at}: killing this process (test hook)");
            kill_self();
        }
    }
}

fn kill_self() -> ! {
    // SAFETY: kill(2) with our own pid and a constant signal touches no memory of ours.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    // A signal a process sends itself is delivered before kill() returns; this only waits.
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_reads_with_or_without_its_count() {
        assert_eq!(
            "segment:3".parse(),
            Ok(CrashAt {
                point: CrashPoint::Segment,
                nth: 3
            })
        );
        assert_eq!(
            "journal".parse(),
            Ok(CrashAt {
                point: CrashPoint::Journal,
                nth: 1
            })
        );
        for p in CrashPoint::ALL {
            let at = CrashAt { point: p, nth: 2 };
            assert_eq!(at.to_string().parse(), Ok(at));
        }
    }

    #[test]
    fn an_unknown_point_or_count_is_refused_with_the_choices() {
        let e = "parsing".parse::<CrashAt>().unwrap_err();
        assert!(e.contains("parsed, segment, batch, journal, move"), "{e}");
        assert!("move:0".parse::<CrashAt>().is_err());
        assert!("move:x".parse::<CrashAt>().is_err());
    }

    #[test]
    fn a_trap_that_is_not_set_or_set_elsewhere_lets_the_run_go_on() {
        Trap::new(None).reached(CrashPoint::Move);
        let trap = Trap::new(Some(CrashAt {
            point: CrashPoint::Journal,
            nth: 1,
        }));
        trap.reached(CrashPoint::Move);
        trap.reached(CrashPoint::Segment);
        assert_eq!(trap.reached.get(), 0);
    }
}
