//! Taking in the inbox: read each file, recognise what was applied before, find its
//! source, parse it — or put it in quarantine with the reason. Nothing is committed here.

use std::collections::HashMap;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use super::{Run, RunError, summary::Quarantined};
use crate::intake::{self, Dropped};
use crate::ledger::{FileRow, FileStatus};
use crate::pipeline::{AfterIntake, Source};
use crate::sources::{self, InputFile, Records};

/// A file that parsed, with the source that read it.
pub struct Parsed<'p> {
    pub file: Dropped,
    pub source: &'p Source,
    pub records: Records,
}

impl<'p> Run<'p> {
    pub(super) fn take_in(&mut self, paths: &[PathBuf]) -> Result<Vec<Parsed<'p>>, RunError> {
        let bar = self.progress_bar(paths.len());
        let mut parsed = Vec::new();
        let mut this_run: HashMap<String, String> = HashMap::new();
        for path in paths {
            bar.set_message(
                path.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
            );
            bar.inc(1);
            let file = match intake::read_dropped(path) {
                Ok(file) => file,
                Err(e) => {
                    // Gone between listing and reading (moved by a person): the next run sees it.
                    tracing::warn!("{e}");
                    continue;
                }
            };
            self.summary.files.read += 1;
            let earlier = self
                .known
                .files
                .get(&file.sha256)
                .map(|f| format!("{} (run {})", f.name, f.run_id))
                .or_else(|| {
                    this_run
                        .get(&file.sha256)
                        .map(|name| format!("{name} (this run)"))
                });
            if let Some(earlier) = earlier {
                self.duplicate(file, &earlier);
                continue;
            }
            let Some(source) = self
                .pipeline
                .sources
                .iter()
                .find(|s| s.matches_file_name(&file.name))
            else {
                let reason = self.no_source_reason(&file);
                self.quarantine(&file, reason)?;
                continue;
            };
            let input = InputFile {
                name: &file.name,
                sha256: &file.sha256,
                bytes: &file.bytes,
            };
            let parsed_file = sources::parse(source, &input);
            self.trap.reached(super::CrashPoint::Parsed);
            match parsed_file {
                Ok(records) => {
                    this_run.insert(file.sha256.clone(), file.name.clone());
                    parsed.push(Parsed {
                        file,
                        source,
                        records,
                    });
                }
                Err(e) => {
                    let reason = format!(
                        "{e}\n(source \"{}\" of {})",
                        source.name,
                        self.pipeline.file.display()
                    );
                    self.quarantine(&file, reason)?;
                }
            }
        }
        bar.finish_and_clear();
        Ok(parsed)
    }

    /// The same bytes again. With `keep`, a file already applied simply still lies in the
    /// inbox; otherwise it was dropped again, which is recorded and archived as such.
    fn duplicate(&mut self, mut file: Dropped, earlier: &str) {
        if self.keep() && self.known.files.contains_key(&file.sha256) {
            self.summary.files.already_processed += 1;
            return;
        }
        self.summary.files.duplicates += 1;
        let archived_as = self.plan_archive(&mut file, true);
        self.new.files.push(FileRow {
            run_id: self.run_id.clone(),
            sha256: file.sha256.clone(),
            name: file.name.clone(),
            source: String::new(),
            status: FileStatus::Duplicate,
            records: 0,
            note: format!("same bytes as {earlier}; nothing applied again"),
            archived_as,
        });
    }

    fn no_source_reason(&self, file: &Dropped) -> String {
        let patterns: Vec<String> = self
            .pipeline
            .sources
            .iter()
            .map(|s| {
                let globs: Vec<&str> = s.patterns.iter().map(|p| p.as_str()).collect();
                format!("{} ({})", s.name, globs.join(", "))
            })
            .collect();
        format!(
            "{}: the name matches no source of pipeline {} — known: {}. Rename the file, or add a source for it in {}",
            file.name,
            self.pipeline.name,
            patterns.join("; "),
            self.pipeline.file.display()
        )
    }

    fn quarantine(&mut self, file: &Dropped, reason: String) -> Result<(), RunError> {
        tracing::warn!("quarantined: {reason}");
        let moved_to = intake::quarantine(&self.pipeline.quarantine, file, &reason, self.keep())?;
        self.summary.files.quarantined += 1;
        self.summary.quarantined.push(Quarantined {
            file: file.name.clone(),
            moved_to,
            reason,
        });
        Ok(())
    }

    pub(super) fn keep(&self) -> bool {
        self.pipeline.after == AfterIntake::Keep
    }

    fn progress_bar(&self, len: usize) -> ProgressBar {
        if !self.options.progress {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files  {wide_msg}") {
            bar.set_style(style);
        }
        bar
    }
}
