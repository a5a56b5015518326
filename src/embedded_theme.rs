//! The shipped themes (`default` and `paper`), built into the binary so `cairn init`,
//! `cairn build` and `cairn serve` work from an installed `cairn` far from this repository.
//!
//! A site without a `themes/<name>/` folder of its own for a built-in theme uses this copy.
//! The themes are written once to the user's cache folder (`$XDG_CACHE_HOME/cairn/` or
//! `~/.cache/cairn/`), in a folder named after a hash of their files, and the pipeline then
//! reads them like any theme folder: no stage needs to know where a theme came from.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;

/// The theme a site gets when `site.yaml` names none, built in.
pub const NAME: &str = "default";

/// Every theme folder of `themes/`, by name.
static THEMES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

/// The names of the built-in themes, sorted.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = THEMES
        .dirs()
        .filter_map(|dir| dir.path().file_name()?.to_str())
        .collect();
    names.sort_unstable();
    names
}

/// Whether `name` is a built-in theme.
pub fn is_built_in(name: &str) -> bool {
    names().contains(&name)
}

/// The folder holding the built-in theme `name` (written on first use), or `None` when no
/// theme of that name is built in.
pub fn theme_dir(name: &str) -> Result<Option<PathBuf>, Diagnostic> {
    if !is_built_in(name) {
        return Ok(None);
    }
    let folder = cache_root().join(format!(
        "themes-{}-{:016x}",
        env!("CARGO_PKG_VERSION"),
        content_hash()
    ));
    let theme = folder.join(name);
    if theme.join("theme.yaml").is_file() {
        return Ok(Some(theme));
    }
    let failed = |error: std::io::Error| {
        Diagnostic::error(format!(
            "cannot write the built-in themes to {}: {}",
            folder.display(),
            crate::diagnostics::io_reason(&error)
        ))
        .help(format!(
            "set XDG_CACHE_HOME to a writable folder, or copy the theme into themes/{name}/"
        ))
    };
    // Written beside, then renamed into place, so a half-written theme is never used.
    let staging = folder.with_extension(format!("tmp{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    write_all(&staging).map_err(failed)?;
    match std::fs::rename(&staging, &folder) {
        Ok(()) => {}
        // Another cairn got there first: its copy is the same.
        Err(_) if theme.join("theme.yaml").is_file() => {
            let _ = std::fs::remove_dir_all(&staging);
        }
        Err(error) => return Err(failed(error)),
    }
    Ok(Some(theme))
}

/// Writes the built-in theme `name` into `target` (created if needed); returns false when
/// no theme of that name is built in.
pub fn write_to(name: &str, target: &Path) -> std::io::Result<bool> {
    let Some(dir) = THEMES.get_dir(name) else {
        return Ok(false);
    };
    std::fs::create_dir_all(target)?;
    for file in files(dir) {
        let relative = file.path().strip_prefix(name).unwrap_or(file.path());
        let path = target.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, file.contents())?;
    }
    Ok(true)
}

/// Writes every built-in theme into `target/<name>/`.
fn write_all(target: &Path) -> std::io::Result<()> {
    for name in names() {
        write_to(name, &target.join(name))?;
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
    for file in files(&THEMES) {
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
    fn every_shipped_theme_is_built_in() {
        let shipped: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/themes"))
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        let mut shipped = shipped;
        shipped.sort();
        assert_eq!(names(), shipped);
        assert!(names().contains(&"paper"));
    }

    #[test]
    fn the_built_in_default_theme_has_every_required_template() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_to(NAME, dir.path()).unwrap());
        assert!(dir.path().join("theme.yaml").is_file());
        for name in crate::templates::REQUIRED {
            assert!(dir.path().join("templates").join(name).is_file(), "{name}");
        }
        assert!(!write_to("nope", &dir.path().join("nope")).unwrap());
    }
}
