//! The default theme, built into the binary so `cairn init` and `cairn serve` work from an
//! installed `cairn` far from this repository.
//!
//! A site without `themes/default/` of its own uses this copy. It is written once to the
//! user's cache folder (`$XDG_CACHE_HOME/cairn/` or `~/.cache/cairn/`), in a folder named
//! after a hash of its files, and the pipeline then reads it like any theme folder: no stage
//! needs to know where a theme came from.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;

/// The name of the theme that is built in.
pub const NAME: &str = "default";

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The folder holding the built-in theme, written on first use.
pub fn default_theme_dir() -> Result<PathBuf, Diagnostic> {
    let folder = cache_root().join(format!(
        "theme-{}-{:016x}",
        env!("CARGO_PKG_VERSION"),
        content_hash()
    ));
    let theme = folder.join(NAME);
    if theme.join("theme.yaml").is_file() {
        return Ok(theme);
    }
    let failed = |error: std::io::Error| {
        Diagnostic::error(format!(
            "cannot write the built-in theme to {}: {}",
            folder.display(),
            crate::diagnostics::io_reason(&error)
        ))
        .help("set XDG_CACHE_HOME to a writable folder, or copy a theme into themes/default/")
    };
    // Written beside, then renamed into place, so a half-written theme is never used.
    let staging = folder.with_extension(format!("tmp{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    write_to(&staging.join(NAME)).map_err(failed)?;
    match std::fs::rename(&staging, &folder) {
        Ok(()) => {}
        // Another cairn got there first: its copy is the same.
        Err(_) if theme.join("theme.yaml").is_file() => {
            let _ = std::fs::remove_dir_all(&staging);
        }
        Err(error) => return Err(failed(error)),
    }
    Ok(theme)
}

/// Writes the built-in theme's files into `target` (created if needed).
pub fn write_to(target: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(target)?;
    for file in files(&DEFAULT_THEME) {
        let path = target.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, file.contents())?;
    }
    Ok(())
}

fn files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut found: Vec<&include_dir::File<'_>> = dir.files().collect();
    for sub in dir.dirs() {
        found.extend(files(sub));
    }
    found.sort_by_key(|f| f.path());
    found
}

fn content_hash() -> u64 {
    let mut hasher = DefaultHasher::new();
    for file in files(&DEFAULT_THEME) {
        file.path().hash(&mut hasher);
        file.contents().hash(&mut hasher);
    }
    hasher.finish()
}

fn cache_root() -> PathBuf {
    let from_env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = from_env("XDG_CACHE_HOME") {
        return dir.join("cairn");
    }
    if cfg!(windows)
        && let Some(dir) = from_env("LOCALAPPDATA")
    {
        return dir.join("cairn");
    }
    if let Some(home) = from_env("HOME") {
        return home.join(".cache").join("cairn");
    }
    std::env::temp_dir().join("cairn")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_has_every_required_template() {
        let dir = tempfile::tempdir().unwrap();
        write_to(dir.path()).unwrap();
        assert!(dir.path().join("theme.yaml").is_file());
        for name in crate::templates::REQUIRED {
            assert!(dir.path().join("templates").join(name).is_file(), "{name}");
        }
    }
}
