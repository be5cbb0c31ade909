//! One writer per ledger, one watcher per pipeline: an OS lock on a file (`flock`), released
//! when its holder drops it or its process dies — never a stale PID file a person has to
//! delete. The holder writes who it is into the file, so whoever is refused can say whom
//! they wait for (`sluice watch (process 4711, user anna, since …)`), and empties it again
//! when done: a run that changes nothing leaves every byte of the ledger folder as it was.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use chrono::Utc;

/// A lock this process holds until it is dropped.
pub struct HeldLock {
    file: File,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        // Still held here; the OS releases it when the file closes right after.
        let _ = self.file.set_len(0);
    }
}

pub(crate) enum Taken {
    Held(HeldLock),
    /// Someone else holds it; who, as they wrote it (empty if they wrote nothing).
    Busy(String),
}

/// Takes the lock at `path` if no one holds it, and writes this process's name into it.
pub(crate) fn try_take(path: &Path) -> io::Result<Taken> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Not truncated on open: the holder's name must stay readable to the one refused.
    let mut file = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            file.write_all(holder_here().as_bytes())?;
            Ok(Taken::Held(HeldLock { file }))
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            // A holder caught between truncating and writing reads as unnamed.
            let _ = file.read_to_string(&mut holder);
            Ok(Taken::Busy(holder.trim().to_string()))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// `holder` as written into a lock file, or a plain description when it wrote none.
pub(crate) fn holder_or_unnamed(holder: &str) -> &str {
    if holder.is_empty() {
        "another sluice process"
    } else {
        holder
    }
}

/// This process as a person recognises it: the command, its id, its user, since when.
fn holder_here() -> String {
    let mut args = std::env::args_os();
    let program = args
        .next()
        .and_then(|p| {
            Path::new(&p)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "sluice".to_string());
    let command = match args.next() {
        Some(sub) => format!("{program} {}", sub.to_string_lossy()),
        None => program,
    };
    format!(
        "{command} (process {}, user {}, since {})",
        std::process::id(),
        os_user(),
        Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
    )
}

/// The person running this process, as the operating system knows them.
pub(crate) fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_and_told_who_holds_the_lock() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ledger/.lock");
        let Taken::Held(held) = try_take(&path).expect("lock") else {
            panic!("a fresh lock is free");
        };
        match try_take(&path).expect("lock file readable") {
            Taken::Busy(holder) => {
                assert!(
                    holder.contains(&format!("(process {}, user ", std::process::id())),
                    "{holder}"
                );
            }
            Taken::Held(_) => panic!("the lock was given out twice"),
        }
        drop(held);
        assert_eq!(
            std::fs::read(&path).expect("lock file"),
            b"",
            "emptied once released"
        );
        assert!(matches!(try_take(&path), Ok(Taken::Held(_))));
    }

    #[test]
    fn a_holder_that_wrote_nothing_is_described_plainly() {
        assert_eq!(holder_or_unnamed(""), "another sluice process");
        assert_eq!(
            holder_or_unnamed("sluice pair (process 1)"),
            "sluice pair (process 1)"
        );
    }
}
