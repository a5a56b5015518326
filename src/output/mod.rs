//! Emit: the files a build makes, the registry that keeps them from replacing each other,
//! and writing them into the output folder safely.
//!
//! Every path is a [`RelPath`], so no file name can reach outside the output folder.
//! Every file claims its path in one [`Registry`], so two sources can never write the same
//! URL. [`Writer`] stages changed files and puts them in place only once the whole build
//! has succeeded, so a failed build leaves the previous output exactly as it was; files
//! whose bytes did not change are not touched, and files no longer produced are removed.

pub mod claims;
mod emit;
mod guard;
mod manifest;
mod write;

use std::path::{Path, PathBuf};

pub use claims::{Kind, Origin, Registry};
pub use emit::{Emitted, Emitter};
pub use guard::{check_output_dir, resolve};
pub use manifest::Manifest;
pub use write::{CommitError, STAGING, Writer};

use crate::diagnostics::Diagnostic;
use crate::paths::RelPath;

/// The marker cairn leaves in folders it builds, so it never wipes a folder it did not
/// make.
pub const MARKER: &str = ".cairn-build";

/// A generated file: a path below the output root, its bytes and who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path below the output root.
    pub path: RelPath,
    /// The file's content. Shared, not copied, when a rebuild reuses a file (`cairn serve`
    /// keeps every page of the last build and serves the same bytes).
    pub bytes: bytes::Bytes,
    /// Who made it, for collision messages.
    pub origin: Origin,
}

/// A file copied as it is from the theme, `static/` or `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFile {
    /// Where it is read from.
    pub source: PathBuf,
    /// Path below the output root.
    pub path: RelPath,
    /// Which file it is, for collision messages.
    pub origin: Origin,
    /// The xxh3-128 of the source's bytes when the stage that made it knows it (a stored
    /// image variant): an unchanged output file is then recognised without reading it.
    pub hash: Option<u128>,
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

/// Where the manifest of `output` is kept: in the site's cache folder, one file per
/// output folder.
pub fn manifest_path(site_root: &Path, output: &Path) -> PathBuf {
    let key = xxhash_rust::xxh3::xxh3_64(resolve(output).to_string_lossy().as_bytes());
    site_root
        .join(crate::paths::CACHE_DIR)
        .join(format!("output-{key:016x}.manifest"))
}

/// Opens the output folder for a build's files (see [`Writer::open`]), with the failure in
/// the site's words.
pub fn open(output: &Path, manifest: Option<PathBuf>) -> Result<Writer, Diagnostic> {
    Writer::open(output, manifest).map_err(|error| staging_failed(output, &error))
}

/// A failure before the commit: nothing in the output folder changed.
pub(crate) fn staging_failed(output: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot write the output folder {}: {}",
        output.display(),
        crate::diagnostics::io_reason(error)
    ))
    .help("nothing in it was changed; check that the folder is writable and the disk is not full")
}

/// What a failed commit's message starts with.
const COMMIT_STOPPED: &str = "writing the output folder ";

/// True when `problems` hold a commit that stopped after replacing files, so the output
/// folder is not as it was.
pub fn changed_the_output(problems: &crate::diagnostics::Diagnostics) -> bool {
    problems
        .iter()
        .any(|problem| problem.message.starts_with(COMMIT_STOPPED))
}

/// A failure during the commit: say honestly how far it got.
pub(crate) fn commit_failed(output: &Path, failure: &CommitError) -> Diagnostic {
    let at = failure
        .path
        .as_ref()
        .map(|p| format!(" at {}", p.display()))
        .unwrap_or_default();
    let reason = crate::diagnostics::io_reason(&failure.error);
    if failure.replaced == 0 {
        return Diagnostic::error(format!(
            "cannot write the output folder {}{at}: {reason}",
            output.display()
        ))
        .help(
            "nothing in it was changed; check that the folder is writable and the disk is not full",
        );
    }
    Diagnostic::error(format!(
        "{COMMIT_STOPPED}{} stopped{at}: {reason}",
        output.display()
    ))
    .help(format!(
        "{} of the {} changed files were already replaced (each one whole); the next successful build completes the rest",
        failure.replaced, failure.changed
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_commit_says_honestly_how_far_it_got() {
        let failure = |replaced| CommitError {
            error: std::io::Error::from(std::io::ErrorKind::StorageFull),
            path: Some(PathBuf::from("/site/public/blog/index.html")),
            replaced,
            changed: 40,
        };
        let none = commit_failed(Path::new("/site/public"), &failure(0)).render(false);
        assert!(none.contains("the disk is full"), "{none}");
        assert!(none.contains("nothing in it was changed"), "{none}");
        let some = commit_failed(Path::new("/site/public"), &failure(12)).render(false);
        assert!(
            some.contains("stopped at /site/public/blog/index.html: the disk is full"),
            "{some}"
        );
        assert!(
            some.contains("12 of the 40 changed files were already replaced"),
            "{some}"
        );
        assert!(
            some.contains("the next successful build completes the rest"),
            "{some}"
        );
        assert!(!some.to_lowercase().contains("nothing"), "{some}");
    }
}
