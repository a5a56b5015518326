//! Which folders cairn may build into: never the site itself, a source folder, another
//! site, or a folder of someone else's files.

use std::path::{Component, Path, PathBuf};

use super::MARKER;
use crate::diagnostics::Diagnostic;

/// Refuses output folders cairn must never write into or clear.
///
/// Both paths are compared with symbolic links resolved (through the nearest part of the
/// path that exists), so `--output link-to-content/x` is refused like `content/x`.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = resolve(root);
    let output = resolve(output);
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
    if output.join(crate::paths::CONFIG_FILE).exists() || output.join("content").exists() {
        return refuse(
            "it holds a site (site.yaml or content/), and building would delete its files",
        );
    }
    if output.exists() && !output.is_dir() {
        return refuse("it is a file, not a folder");
    }
    if output.is_dir() && !output.join(MARKER).is_file() {
        let empty = std::fs::read_dir(&output).is_ok_and(|mut d| d.next().is_none());
        if !empty {
            return refuse("the folder exists, is not empty and was not created by cairn");
        }
    }
    Ok(())
}

/// The absolute path as the file system will follow it: links resolved in the part that
/// exists, `..` taken physically there (the parent of a link's target), and lexically in
/// the part still to be created, which holds no links.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut current = PathBuf::from("/");
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(prefix) => current = PathBuf::from(prefix.as_os_str()),
            Component::RootDir => current.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                current.pop();
            }
            Component::Normal(name) => {
                current.push(name);
                if exists {
                    match std::fs::canonicalize(&current) {
                        Ok(real) => current = real,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(check_output_dir(root, &root.join("public/../content/x")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_resolved_before_comparing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), dir.path().join("link")).unwrap();
        let error = check_output_dir(&root, &dir.path().join("link/out")).unwrap_err();
        assert!(
            error.message.contains("content/ folder"),
            "{}",
            error.message
        );
    }

    #[test]
    fn another_site_is_refused_even_with_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let other = dir.path().join("other");
        std::fs::create_dir_all(other.join("content")).unwrap();
        std::fs::write(other.join("site.yaml"), "title: x\n").unwrap();
        std::fs::write(other.join(MARKER), "").unwrap();
        let error = check_output_dir(&root, &other).unwrap_err();
        assert!(error.message.contains("holds a site"), "{}", error.message);
    }
}
