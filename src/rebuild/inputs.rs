//! The inputs a rebuild reads: for every committed run, the files its registry rows name,
//! found where the run left them (the archive, or the inbox with `after = "keep"`) and
//! proven to be the very bytes that run read. Every file is checked before anything is
//! replayed, so a rebuild never stops halfway over an input that was lost or edited.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::durable;
use crate::ledger::Facts;
use crate::pipeline::Pipeline;

/// One input of a committed run, found and verified.
#[derive(Debug, Clone)]
pub struct Input {
    /// The name it had in the inbox: a rebuild drops it under that name again.
    pub name: String,
    pub path: PathBuf,
    pub sha256: String,
}

/// An input that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub run_id: String,
    pub name: String,
    pub path: PathBuf,
    pub sha256: String,
    /// The SHA-256 of what is there now; `None` when nothing is.
    pub found: Option<String>,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.found {
            None => write!(
                f,
                "{}: missing — run {} read {} (SHA-256 {}); put that file back there",
                self.path.display(),
                self.run_id,
                self.name,
                self.sha256
            ),
            Some(found) => write!(
                f,
                "{}: changed since run {} read it — SHA-256 {} now, {} then; put the original file back there",
                self.path.display(),
                self.run_id,
                found,
                self.sha256
            ),
        }
    }
}

/// Every committed run's inputs, by run id, in the order the registry lists them; or every
/// input that is missing or changed.
pub fn verified(
    pipeline: &Pipeline,
    facts: &Facts,
) -> Result<BTreeMap<String, Vec<Input>>, Vec<InputProblem>> {
    let mut inputs: BTreeMap<String, Vec<Input>> = BTreeMap::new();
    let mut problems = Vec::new();
    for row in &facts.files {
        // Without an archive path the run kept the file where it lay (`after = "keep"`).
        let path = if row.archived_as.is_empty() {
            pipeline.inbox.join(&row.name)
        } else {
            pipeline.archive.join(&row.archived_as)
        };
        let found = std::fs::read(&path).ok().map(|b| durable::sha256_hex(&b));
        if found.as_deref() == Some(row.sha256.as_str()) {
            inputs.entry(row.run_id.clone()).or_default().push(Input {
                name: row.name.clone(),
                path,
                sha256: row.sha256.clone(),
            });
        } else {
            problems.push(InputProblem {
                run_id: row.run_id.clone(),
                name: row.name.clone(),
                path,
                sha256: row.sha256.clone(),
                found,
            });
        }
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(problems)
    }
}
