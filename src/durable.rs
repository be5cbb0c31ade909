//! Durable file operations: the one place sluice writes, renames and moves files.
//!
//! Every write goes to a temporary name in the same folder, is synced, and is renamed into
//! place; the folder is synced after the rename. A crash therefore leaves either the old
//! state or the new one, plus at most a `*.tmp` file that recovery removes.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The temporary name a file is written under before it is renamed into place.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

pub fn is_temp(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tmp")
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = temp_path(path);
    {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(dir)
}

/// Makes a rename or a new entry in `dir` survive a power cut.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Moves a file, also across file systems (copy, sync, then remove the original).
pub fn move_file(from: &Path, to: &Path) -> io::Result<()> {
    let dir = to.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    if fs::rename(from, to).is_err() {
        let tmp = temp_path(to);
        fs::copy(from, &tmp)?;
        File::open(&tmp)?.sync_all()?;
        fs::rename(&tmp, to)?;
        sync_dir(dir)?;
        fs::remove_file(from)?;
    }
    sync_dir(dir)?;
    if let Some(src_dir) = from.parent() {
        sync_dir(src_dir)?;
    }
    Ok(())
}

/// Copies a file into place durably, leaving the original where it is.
pub fn copy_file(from: &Path, to: &Path) -> io::Result<()> {
    let bytes = fs::read(from)?;
    write_atomic(to, &bytes)
}

/// The one hashing helper: lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A free destination in `dir` for a file called `name`: the plain name if it is free,
/// else `stem-<hash>.ext`, else `stem-<hash>-2.ext` and so on. Nothing is ever overwritten.
pub fn free_name(dir: &Path, name: &str, sha256: &str) -> PathBuf {
    free_name_but(dir, name, sha256, |_| false)
}

/// [`free_name`], also passing over the names `promised` to files not written there yet.
pub fn free_name_but(
    dir: &Path,
    name: &str,
    sha256: &str,
    promised: impl Fn(&Path) -> bool,
) -> PathBuf {
    let free = |p: &Path| !p.exists() && !promised(p);
    let plain = dir.join(name);
    if free(&plain) {
        return plain;
    }
    let path = Path::new(name);
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let short = &sha256[..12.min(sha256.len())];
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}-{short}{ext}")),
            n => dir.join(format!("{stem}-{short}-{n}{ext}")),
        })
        .find(|candidate| free(candidate))
        .expect("an unbounded range always finds a free name")
}
