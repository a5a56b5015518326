//! Walking the site's source folders (`content/`, `static/`, `templates/`, themes) the one
//! safe way: every name is checked into a [`RelPath`], and a symbolic link is followed only
//! when it resolves inside the site.
//!
//! Content arrives by pull request: a link `static/env.txt -> /proc/self/environ` would
//! otherwise publish the build machine's environment, and a page linked to `/etc/passwd`
//! would print its first line in an error. Refusing such links here, where files are
//! found, means no later stage can read what it should not.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::paths::RelPath;

/// Where a walk may go and what it skips.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The site root, for naming files in diagnostics.
    pub site_root: PathBuf,
    /// Symbolic links must resolve inside this folder (the site root, or a built-in
    /// theme's own folder).
    pub confine: PathBuf,
    /// Follow links wherever they point (`follow_outside_symlinks: true` in site.yaml).
    pub follow_outside: bool,
    /// Skip names starting with `.` (except `.well-known`, which hosts serve).
    pub skip_hidden: bool,
}

impl Rules {
    /// Rules for a folder of the site at `root`: links confined to the site.
    pub fn for_site(root: &Path, follow_outside: bool) -> Rules {
        let root = canonical(root);
        Rules {
            site_root: root.clone(),
            confine: root,
            follow_outside,
            skip_hidden: true,
        }
    }
}

/// A file found by [`files`].
#[derive(Debug, Clone)]
pub struct Found {
    /// Where it is on disk (through the walked folder, links not resolved).
    pub path: PathBuf,
    /// Its path below the walked folder.
    pub rel: RelPath,
}

/// The absolute path with links resolved; the path itself if it cannot be resolved.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// True for names the walk skips as hidden.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != ".well-known"
}

/// Every file below `dir` in name order; every name or link refused is reported. A missing
/// `dir` is simply empty.
pub fn files(dir: &Path, rules: &Rules, problems: &mut Diagnostics) -> Vec<Found> {
    let refused = RefCell::new(Vec::new());
    let mut found = Vec::new();
    if !dir.exists() {
        return found;
    }
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() > 0
                && rules.skip_hidden
                && is_hidden(&entry.file_name().to_string_lossy())
            {
                return false;
            }
            if entry.path_is_symlink()
                && !rules.follow_outside
                && let Some(problem) = link_outside(entry.path(), rules)
            {
                refused.borrow_mut().push(problem);
                return false;
            }
            true
        });
    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(error) => {
                refused.borrow_mut().push(walk_error(&error, rules));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        match RelPath::below(dir, entry.path()) {
            Ok(rel) => found.push(Found {
                path: entry.path().to_path_buf(),
                rel,
            }),
            Err(error) => refused.borrow_mut().push(
                Diagnostic::error(error.message())
                    .in_file(SourceFile::display_name(&rules.site_root, entry.path()))
                    .help(error.help()),
            ),
        }
    }
    problems.extend(refused.into_inner());
    found
}

/// The error for a link at `path` that resolves outside [`Rules::confine`], if it does.
fn link_outside(path: &Path, rules: &Rules) -> Option<Diagnostic> {
    // A broken link is reported by the walk itself.
    let target = std::fs::canonicalize(path).ok()?;
    if target.starts_with(&rules.confine) {
        return None;
    }
    Some(
        Diagnostic::error(format!(
            "this symbolic link points outside the site, to {}",
            target.display()
        ))
        .in_file(SourceFile::display_name(&rules.site_root, path))
        .help("copy what it points to into the site, or set `follow_outside_symlinks: true` in site.yaml if you trust every link in the site"),
    )
}

/// A walk error in the site's words.
fn walk_error(error: &walkdir::Error, rules: &Rules) -> Diagnostic {
    let file = error.path().map_or_else(
        || "the site".to_string(),
        |p| SourceFile::display_name(&rules.site_root, p),
    );
    let (message, help) = if error.loop_ancestor().is_some() {
        (
            "symbolic link loop".to_string(),
            "remove the link that points back to one of its own parent folders",
        )
    } else if error.io_error().map(std::io::Error::kind) == Some(std::io::ErrorKind::NotFound) {
        (
            "broken symbolic link".to_string(),
            "point the link at an existing file or remove it",
        )
    } else {
        (
            format!(
                "cannot read this path: {}",
                error
                    .io_error()
                    .map_or_else(|| error.to_string(), crate::diagnostics::io_reason)
            ),
            "check the file's permissions",
        )
    };
    Diagnostic::error(message).in_file(file).help(help)
}

/// True when `path` may be read under `rules`: not a link leaving the confined folder.
/// For single files read outside a walk (`site.yaml`, `theme.yaml`).
pub fn check_file(path: &Path, rules: &Rules) -> Result<(), Diagnostic> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link
        && !rules.follow_outside
        && let Some(problem) = link_outside(path, rules)
    {
        return Err(problem);
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(found: &[Found]) -> Vec<&str> {
        found.iter().map(|f| f.rel.as_str()).collect()
    }

    #[test]
    fn links_inside_the_site_are_followed_and_links_outside_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        std::fs::create_dir(outside.path().join("dir")).unwrap();
        std::fs::write(outside.path().join("dir/inner.txt"), "inner").unwrap();
        let site = tempfile::tempdir().unwrap();
        let stat = site.path().join("static");
        std::fs::create_dir_all(&stat).unwrap();
        std::fs::write(site.path().join("shared.txt"), "shared").unwrap();
        std::fs::write(stat.join("plain.txt"), "plain").unwrap();
        symlink(site.path().join("shared.txt"), stat.join("inside.txt")).unwrap();
        symlink(outside.path().join("secret.txt"), stat.join("env.txt")).unwrap();
        symlink(outside.path().join("dir"), stat.join("linked")).unwrap();
        let rules = Rules::for_site(site.path(), false);
        let mut problems = Diagnostics::default();
        let found = files(&stat, &rules, &mut problems);
        assert_eq!(names(&found), ["inside.txt", "plain.txt"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .all(|p| p.message.contains("points outside the site"))
        );
        assert_eq!(problems[0].file.as_deref(), Some("static/env.txt"));

        let trusting = Rules::for_site(site.path(), true);
        let mut problems = Diagnostics::default();
        let found = files(&stat, &trusting, &mut problems);
        assert_eq!(
            names(&found),
            ["env.txt", "inside.txt", "linked/inner.txt", "plain.txt"]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn hostile_names_are_refused_and_hidden_files_skipped() {
        let site = tempfile::tempdir().unwrap();
        let stat = site.path().join("static");
        std::fs::create_dir_all(stat.join(".well-known")).unwrap();
        std::fs::write(stat.join("a\\..\\..\\x.txt"), "x").unwrap();
        std::fs::write(stat.join(".gitkeep"), "").unwrap();
        std::fs::write(stat.join(".well-known/security.txt"), "s").unwrap();
        let mut problems = Diagnostics::default();
        let found = files(&stat, &Rules::for_site(site.path(), false), &mut problems);
        assert_eq!(names(&found), [".well-known/security.txt"]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("may not contain `\\`"));
    }
}
