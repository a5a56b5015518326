//! Where a build's files go, as the stages make them: each claims its path in the registry
//! first, then is staged in the output folder (`cairn build`) or kept in memory (`cairn
//! serve`, `cairn check`).
//!
//! Handing files over as they are made, instead of collecting every page until the end,
//! keeps a build's memory bounded by what it is working on: a page's HTML is on disk (in
//! its staged file) moments after it is rendered. Nothing is committed until the whole build
//! has succeeded, so streaming costs nothing of the promise that a failed build leaves the
//! output as it was.

use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;

use super::{
    CopiedFile, Origin, OutputFile, Registry, WriteReport, Writer, commit_failed, staging_failed,
};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::paths::RelPath;
use crate::sync::lock;

/// Takes the files of one build.
pub struct Emitter {
    registry: Mutex<Registry>,
    problems: Mutex<Diagnostics>,
    target: Target,
}

enum Target {
    /// Staged in the output folder.
    Disk {
        writer: Box<Writer>,
        output: PathBuf,
    },
    /// Kept in memory.
    Memory {
        files: Mutex<Vec<OutputFile>>,
        copies: Mutex<Vec<CopiedFile>>,
    },
}

/// What an emitter took, once the build is over.
pub enum Emitted {
    /// Staged files, to commit.
    Disk {
        /// The writer holding them.
        writer: Box<Writer>,
        /// The output folder, for messages.
        output: PathBuf,
    },
    /// Every file, by path.
    Memory {
        /// Generated files.
        files: Vec<OutputFile>,
        /// Files copied as they are.
        copies: Vec<CopiedFile>,
    },
}

impl Emitter {
    /// An emitter that stages files in an output folder through `writer`.
    pub fn to_disk(writer: Writer, output: PathBuf) -> Emitter {
        Emitter::with(Target::Disk {
            writer: Box::new(writer),
            output,
        })
    }

    /// An emitter that keeps every file in memory.
    pub fn in_memory() -> Emitter {
        Emitter::with(Target::Memory {
            files: Mutex::default(),
            copies: Mutex::default(),
        })
    }

    fn with(target: Target) -> Emitter {
        Emitter {
            registry: Mutex::default(),
            problems: Mutex::default(),
            target,
        }
    }

    /// Starts from the paths the content claimed when it was loaded (pages, aliases,
    /// assets), so that a file claiming one of them names the content that holds it.
    pub fn seed(&self, registry: Registry) {
        *lock(&self.registry) = registry;
    }

    /// True when a file was claimed or written with an error so far.
    pub fn has_errors(&self) -> bool {
        lock(&self.problems).has_errors()
    }

    /// Takes a generated file: claims its path, then stages or keeps it.
    pub fn file(&self, file: OutputFile) {
        if self.claim(&file.path, &file.origin) {
            self.take_file(file);
        }
    }

    /// Takes many generated files: claimed in their order (the first of two files for one
    /// path keeps it), then staged in parallel (a search index is thousands of files).
    pub fn files(&self, files: impl IntoIterator<Item = OutputFile>) {
        let claimed = self.claim_all(files, |file| (&file.path, &file.origin));
        claimed
            .into_par_iter()
            .for_each(|file| self.take_file(file));
    }

    /// Takes files to copy: claimed in order, then each staged as a copy (read now, unless
    /// the manifest shows it in place) or kept, in parallel: a warm build checks tens of
    /// thousands of image variants against the manifest, one `stat` each.
    pub fn copies(&self, copies: impl IntoIterator<Item = CopiedFile>) {
        let claimed = self.claim_all(copies, |copy| (&copy.path, &copy.origin));
        claimed
            .into_par_iter()
            .for_each(|copy| self.take_copy(copy));
    }

    /// Stages or keeps a file whose path is claimed.
    fn take_file(&self, file: OutputFile) {
        match &self.target {
            Target::Disk { writer, output } => {
                if let Err(error) = writer.put(&file.path, &file.bytes) {
                    lock(&self.problems).push(staging_failed(output, &error));
                }
            }
            Target::Memory { files, .. } => lock(files).push(file),
        }
    }

    /// Stages or keeps a copy whose path is claimed.
    fn take_copy(&self, copy: CopiedFile) {
        match &self.target {
            Target::Disk { writer, .. } => {
                if let Err(error) = writer.copy(copy.path, &copy.source, copy.hash) {
                    lock(&self.problems).push(
                        Diagnostic::error(format!(
                            "cannot read this file: {}",
                            crate::diagnostics::io_reason(&error)
                        ))
                        .in_file(copy.origin.name.to_string())
                        .help("check that the file exists and that cairn may read it; nothing in the output folder was changed"),
                    );
                }
            }
            Target::Memory { copies, .. } => lock(copies).push(copy),
        }
    }

    fn claim(&self, path: &RelPath, origin: &Origin) -> bool {
        match lock(&self.registry).claim(path, origin) {
            Ok(()) => true,
            Err(problem) => {
                lock(&self.problems).push(problem);
                false
            }
        }
    }

    /// Claims each item's path in order, under one lock; the items whose claim held.
    fn claim_all<T>(
        &self,
        items: impl IntoIterator<Item = T>,
        key: impl Fn(&T) -> (&RelPath, &Origin),
    ) -> Vec<T> {
        let mut refused = Vec::new();
        let claimed = {
            let mut registry = lock(&self.registry);
            items
                .into_iter()
                .filter(|item| {
                    let (path, origin) = key(item);
                    registry
                        .claim(path, origin)
                        .map_err(|problem| refused.push(problem))
                        .is_ok()
                })
                .collect()
        };
        lock(&self.problems).extend(refused);
        claimed
    }

    /// Ends the build's emitting: the problems found, or what was taken (files in memory
    /// sorted by path, so the result does not depend on the order threads finished in).
    pub fn finish(self) -> Result<Emitted, Diagnostics> {
        let mut problems = self.problems.into_inner().unwrap_or_default();
        problems.stop_on_errors()?;
        Ok(match self.target {
            Target::Disk { writer, output } => Emitted::Disk { writer, output },
            Target::Memory { files, copies } => {
                let mut files = files.into_inner().unwrap_or_default();
                let mut copies = copies.into_inner().unwrap_or_default();
                files.sort_by(|a, b| a.path.cmp(&b.path));
                copies.sort_by(|a, b| a.path.cmp(&b.path));
                Emitted::Memory { files, copies }
            }
        })
    }
}

impl Emitted {
    /// Puts staged files in place (for a disk emitter); what writing changed.
    pub fn commit(self) -> Result<WriteReport, Diagnostic> {
        match self {
            Emitted::Disk { writer, output } => writer
                .commit()
                .map_err(|failure| commit_failed(&output, &failure)),
            Emitted::Memory { .. } => Ok(WriteReport::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, origin: &str) -> OutputFile {
        OutputFile {
            path: RelPath::new(path).unwrap(),
            bytes: bytes::Bytes::from_static(b"x"),
            origin: Origin::generated(Box::leak(origin.to_string().into_boxed_str())),
        }
    }

    #[test]
    fn files_are_claimed_as_they_come() {
        let emitter = Emitter::in_memory();
        emitter.file(file("b.html", "one"));
        emitter.file(file("a.html", "one"));
        emitter.file(file("a.html", "another"));
        assert!(emitter.has_errors());
        let Err(problems) = emitter.finish() else {
            panic!("a collision is an error");
        };
        assert!(
            problems[0].message.contains("another would replace one"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn in_a_batch_the_first_file_for_a_path_keeps_it() {
        let emitter = Emitter::in_memory();
        emitter.files([
            file("a.html", "first"),
            file("b.html", "b"),
            file("a.html", "second"),
        ]);
        let Err(problems) = emitter.finish() else {
            panic!("a collision is an error");
        };
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.contains("second would replace first"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn memory_keeps_files_in_path_order() {
        let emitter = Emitter::in_memory();
        emitter.files([file("b.html", "b"), file("a.html", "a")]);
        let Ok(Emitted::Memory { files, .. }) = emitter.finish() else {
            panic!("no problem expected");
        };
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.html", "b.html"]);
    }

    #[test]
    fn nothing_reaches_the_output_before_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let writer = Writer::open(&out, None).unwrap();
        let emitter = Emitter::to_disk(writer, out.clone());
        emitter.file(file("blog/index.html", "page"));
        assert!(!out.join("blog/index.html").exists());
        let report = emitter.finish().ok().unwrap().commit().unwrap();
        assert_eq!(report.written, 1);
        assert!(out.join("blog/index.html").is_file());
    }
}
