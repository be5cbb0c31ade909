//! One file per subcommand: argument handling and output; the work is in the library.

pub mod balances;
pub mod check;
pub mod inspect;
pub mod run;
pub mod status;
pub mod verify;

use std::path::Path;

/// A path as a person wants to read it: relative to where they are, when it is below it.
pub fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            path.strip_prefix(&cwd)
                .ok()
                .map(|p| p.display().to_string())
        })
        .unwrap_or_else(|| path.display().to_string())
}
