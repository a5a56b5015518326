//! Emit: write the rendered site into the output folder.
//!
//! Nothing is written until every page has rendered, so a failed build leaves the previous
//! output exactly as it was. Writing then skips files whose bytes did not change and removes
//! files that are no longer produced: on small machines creating files is what costs, and a
//! rebuild after a one-page edit rewrites one page, not the whole site.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

/// The marker cairn leaves in folders it builds, so it never wipes a folder it did not make.
pub const MARKER: &str = ".cairn-build";

/// A generated file: a path below the output root and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path below the output root, with `/` separators.
    pub path: String,
    /// The file's content. Shared, not copied, when a rebuild reuses a file (`cairn serve`
    /// keeps every page of the last build and serves the same bytes).
    pub bytes: bytes::Bytes,
}

/// A file copied as it is from the theme, `static/` or `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFile {
    /// Where it is read from.
    pub source: PathBuf,
    /// Path below the output root.
    pub path: String,
}

/// What writing changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or rewritten.
    pub written: usize,
    /// Files left alone because their bytes were the same.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// Refuses output folders cairn must never write into or clear.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = normalize(root);
    let output = normalize(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the site into {}: {why}",
            output.display()
        ))
        .help("choose another folder with --output, e.g. public/"))
    };
    if root.starts_with(&output) {
        return refuse("it holds the site itself (content/ and site.yaml)");
    }
    for source_dir in ["content", "themes", "static", "templates"] {
        if output.starts_with(root.join(source_dir)) {
            return refuse(&format!("it is inside the site's {source_dir}/ folder"));
        }
    }
    if output.is_dir() && !output.join(MARKER).is_file() {
        let empty = std::fs::read_dir(&output)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return refuse("the folder exists, is not empty and was not created by cairn");
        }
    }
    if output.exists() && !output.is_dir() {
        return refuse("it is a file, not a folder");
    }
    Ok(())
}

/// An absolute, lexically normalized path (no `.` or `..`), without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let absolute = std::fs::canonicalize(&absolute).unwrap_or(absolute);
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Writes `files` and `copies` into `output`, skipping unchanged files and removing stale ones.
///
/// Later entries win when two have the same path (copies come after generated files, so a
/// site's `static/robots.txt` replaces the generated one).
pub fn write(
    output: &Path,
    files: Vec<OutputFile>,
    copies: Vec<CopiedFile>,
) -> std::io::Result<WriteReport> {
    enum Source {
        Bytes(bytes::Bytes),
        Copy(PathBuf),
    }
    let mut planned: BTreeMap<String, Source> = BTreeMap::new();
    for file in files {
        planned.insert(file.path, Source::Bytes(file.bytes));
    }
    for copy in copies {
        planned.insert(copy.path, Source::Copy(copy.source));
    }
    std::fs::create_dir_all(output)?;
    std::fs::write(
        output.join(MARKER),
        "This folder is built by cairn; it is replaced on every build.\n",
    )?;
    let dirs: BTreeSet<PathBuf> = planned
        .keys()
        .filter_map(|p| Path::new(p).parent().map(|d| output.join(d)))
        .collect();
    for dir in &dirs {
        if dir.is_file() {
            std::fs::remove_file(dir)?;
        }
        std::fs::create_dir_all(dir)?;
    }
    let results: Vec<std::io::Result<bool>> = planned
        .par_iter()
        .map(|(path, source)| {
            let target = output.join(path);
            if target.is_dir() {
                std::fs::remove_dir_all(&target)?;
            }
            match source {
                Source::Bytes(bytes) => write_if_changed(&target, bytes),
                Source::Copy(from) => {
                    let bytes = std::fs::read(from)?;
                    write_if_changed(&target, &bytes)
                }
            }
        })
        .collect();
    let mut report = WriteReport::default();
    for result in results {
        if result? {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
    }
    report.removed = remove_stale(output, &planned.keys().cloned().collect())?;
    Ok(report)
}

/// Writes `bytes` unless the file already holds exactly them; true when written.
fn write_if_changed(target: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if let Ok(meta) = std::fs::metadata(target)
        && meta.len() == bytes.len() as u64
        && std::fs::read(target)? == bytes
    {
        return Ok(false);
    }
    std::fs::write(target, bytes)?;
    Ok(true)
}

/// Removes files no longer produced, then folders left empty.
fn remove_stale(output: &Path, keep: &BTreeSet<String>) -> std::io::Result<usize> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        let rel = entry
            .path()
            .strip_prefix(output)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if rel != MARKER && !keep.contains(&rel) {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for dir in dirs {
        if std::fs::read_dir(&dir)?.next().is_none() {
            std::fs::remove_dir(&dir)?;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes::Bytes::copy_from_slice(text.as_bytes()),
        }
    }

    #[test]
    fn rewrites_only_changed_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(
            &out,
            vec![file("a/index.html", "A"), file("b/index.html", "B")],
            vec![],
        )
        .unwrap();
        assert_eq!(first.written, 2);
        let second = write(
            &out,
            vec![file("a/index.html", "A"), file("c.html", "C")],
            vec![],
        )
        .unwrap();
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert!(!out.join("b").exists());
    }

    #[test]
    fn refuses_foreign_and_source_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content/out")).is_err());
        assert!(check_output_dir(root, root.parent().unwrap()).is_err());
        let foreign = root.join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(check_output_dir(root, &foreign).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
    }
}
