//! Finding the site's source files under `content/`, in a stable order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, SourceFile};

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
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// What the file is.
    pub kind: EntryKind,
}

/// Walks `content_dir` and classifies every file; unreadable entries become diagnostics.
///
/// Hidden files and folders (names starting with `.`) are skipped. Symlinks are followed;
/// a loop or a broken link is reported, never followed forever.
pub fn walk(site_root: &Path, content_dir: &Path) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(error) => {
                let file = error
                    .path()
                    .map(|p| SourceFile::display_name(site_root, p))
                    .unwrap_or_else(|| "content".to_string());
                let (message, help) = if error.loop_ancestor().is_some() {
                    (
                        "symbolic link loop under content/".to_string(),
                        "remove the link that points back to one of its own parent folders",
                    )
                } else if error.io_error().map(|e| e.kind()) == Some(std::io::ErrorKind::NotFound) {
                    (
                        "broken symbolic link under content/".to_string(),
                        "point the link at an existing file or remove it",
                    )
                } else {
                    (
                        format!("cannot read this path: {error}"),
                        "check the file's permissions",
                    )
                };
                problems.push(Diagnostic::error(message).in_file(file).help(help));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let rel = path
            .strip_prefix(content_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let name = entry.file_name().to_string_lossy();
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
        entries.push(Entry { path, rel, kind });
    }
    (entries, problems)
}

/// Reads a file as UTF-8; invalid bytes are an error pointing at the first of them.
pub fn read_source(site_root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let name = SourceFile::display_name(site_root, path);
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::error(format!("cannot read file: {error}"))
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
