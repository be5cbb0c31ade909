//! What makes the watcher look at the inbox: the operating system's file events (inotify on
//! Linux), or, where those never come (network shares) or cannot be had, a timer.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How often the inbox is looked at when file events cannot be had at all.
pub const FALLBACK_POLL: Duration = Duration::from_secs(5);

/// How the watcher learns about new files, as it tells people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Events,
    Poll(Duration),
}

pub enum Wakeups {
    Events {
        _watcher: RecommendedWatcher,
        events: Receiver<()>,
    },
    Poll,
}

impl Wakeups {
    /// File events on `inbox`, unless `poll` asks for a timer or events cannot be had.
    pub fn start(inbox: &Path, poll: Option<Duration>) -> (Wakeups, Mode) {
        if let Some(every) = poll {
            return (Wakeups::Poll, Mode::Poll(every));
        }
        match events(inbox) {
            Ok(wakeups) => (wakeups, Mode::Events),
            Err(e) => {
                tracing::warn!(
                    inbox = %inbox.display(),
                    "the operating system gives no file events for the inbox ({e}); looking every {} s instead",
                    FALLBACK_POLL.as_secs()
                );
                (Wakeups::Poll, Mode::Poll(FALLBACK_POLL))
            }
        }
    }

    /// Waits at most `at_most`; true if a file event came (the inbox may have changed).
    pub fn wait(&self, at_most: Duration) -> bool {
        match self {
            Wakeups::Poll => {
                std::thread::sleep(at_most);
                false
            }
            Wakeups::Events { events, .. } => match events.recv_timeout(at_most) {
                Ok(()) => {
                    // One look answers a burst of events.
                    while events.try_recv().is_ok() {}
                    true
                }
                Err(RecvTimeoutError::Timeout) => false,
                // The watcher thread is gone: looking is all that is left.
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(at_most);
                    true
                }
            },
        }
    }
}

fn events(inbox: &Path) -> notify::Result<Wakeups> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Files being opened and read (the watcher's own looks, a run reading its inputs)
        // change nothing; waking for them would make the watcher wake itself for ever. An
        // error (e.g. the kernel's queue overflowed) is a reason to look.
        if event.is_ok_and(|e| matches!(e.kind, notify::EventKind::Access(_))) {
            return;
        }
        let _ = tx.send(());
    })?;
    watcher.watch(inbox, RecursiveMode::NonRecursive)?;
    Ok(Wakeups::Events {
        _watcher: watcher,
        events: rx,
    })
}
