//! A request to stop, shared between whoever receives the signal (the command's Ctrl-C /
//! SIGTERM handler) and the watcher loop, which looks at it between runs, never inside one:
//! a run is finished before the watcher stops.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[derive(Clone, Default)]
pub struct Stop(Arc<Flags>);

#[derive(Default)]
struct Flags {
    requests: AtomicUsize,
    running: AtomicBool,
}

impl Stop {
    /// Asks the watcher to stop; returns how many times it has been asked.
    pub fn request(&self) -> usize {
        self.0.requests.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn requested(&self) -> bool {
        self.0.requests.load(Ordering::SeqCst) > 0
    }

    /// Whether a run is at work now (a second request may then abandon it).
    pub fn run_in_progress(&self) -> bool {
        self.0.running.load(Ordering::SeqCst)
    }

    pub(super) fn set_running(&self, running: bool) {
        self.0.running.store(running, Ordering::SeqCst);
    }
}
