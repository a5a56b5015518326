//! Finding the site's source files under `content/`, in a stable order.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::paths::RelPath;
use crate::walk::{Found, Rules};

/// What a file under `content/` is, judged by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// `_index.md`: a section's own page.
    SectionIndex,
    /// `index.md`: a page bundle, whose folder holds the page's files.
    BundleIndex,
    /// Any other `.md` file.
    Page,
    /// A quiz flow (`.yaml`/`.yml`), compiled by the quiz stage.
    Flow,
    /// Any other file: copied to the output beside the pages.
    Asset,
}

/// One file found under `content/`.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Absolute (or root-joined) path on disk.
    pub path: PathBuf,
    /// Path relative to `content/`, every name checked.
    pub rel: RelPath,
    /// What the file is.
    pub kind: EntryKind,
}

/// Walks `content_dir` and classifies every file; names and links that cannot be
/// published become diagnostics (see [`crate::walk`]).
///
/// Hidden files and folders (names starting with `.`, except `.well-known`) are skipped.
pub fn walk(content_dir: &Path, rules: &Rules, problems: &mut Diagnostics) -> Vec<Entry> {
    crate::walk::files(content_dir, rules, problems)
        .into_iter()
        .map(|Found { path, rel }| {
            let name = rel.file_name();
            let kind = if name == "_index.md" {
                EntryKind::SectionIndex
            } else if name == "index.md" {
                EntryKind::BundleIndex
            } else if name.ends_with(".md") {
                EntryKind::Page
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                EntryKind::Flow
            } else {
                EntryKind::Asset
            };
            Entry { path, rel, kind }
        })
        .collect()
}

/// Reads a file as UTF-8; invalid bytes are an error pointing at the first of them.
pub fn read_source(site_root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let name = SourceFile::display_name(site_root, path);
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::error(format!(
            "cannot read file: {}",
            crate::diagnostics::io_reason(&error)
        ))
        .in_file(name.clone())
        .help("check that the file exists and that cairn may read it")
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let file = SourceFile::new(name, prefix.clone() + " ");
            Err(Diagnostic::error("the file is not valid UTF-8 text")
                .at(&file, prefix.len()..prefix.len() + 1)
                .label("the first invalid byte is here")
                .help(
                    "save the file as UTF-8 (most editors offer this under \"Save with encoding\")",
                ))
        }
    }
}
