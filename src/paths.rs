//! Checked relative paths: the one type for every path cairn reads below a site folder or
//! writes below the output folder.
//!
//! A file name is data, not a path: on Linux `a\..\..\x.txt` is a single name, and a
//! folder may be called `C:`. Joining such names onto the output folder, or rewriting
//! `\` into `/`, lets a file name walk out of it. A [`RelPath`] can only be built from
//! components that are plain names, so joining one onto a folder always stays below it.
//!
//! It also holds the URL helpers and the names of the folders and files every stage
//! agrees on. This module is a leaf: it depends on nothing else in cairn.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

/// The name of the config file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The site's cache folder, at its root: what one build keeps for the next (never
/// published, safe to delete, and ignored by git in sites `cairn init` makes).
pub const CACHE_DIR: &str = ".cairn";

/// The output folder fingerprinted files are written to; hosts cache it as immutable.
pub const ASSETS_DIR: &str = "assets/";

/// The longest file name most file systems accept, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// A relative path of `/`-separated plain names: none empty, `.` or `..`; none holding
/// `\`, NUL or another control character; none over [`MAX_NAME_BYTES`]; the first not a
/// drive letter (`C:`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelPath(String);

/// Why a name cannot be part of a [`RelPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// The path has no names at all.
    Empty,
    /// A name is empty (`a//b`), or the path starts or ends with `/`.
    EmptyName,
    /// A name is `.` or `..`.
    Dots(String),
    /// A name holds a backslash.
    Backslash(String),
    /// A name holds NUL or another control character (a newline, a tab…).
    Control(String),
    /// A name is longer than file systems allow.
    TooLong(String),
    /// The first name is a drive letter, as in `C:`.
    Drive(String),
    /// A name is not valid UTF-8.
    NotUtf8(String),
}

impl PathError {
    /// What is wrong, in one sentence an editor understands.
    pub fn message(&self) -> String {
        match self {
            PathError::Empty => "the path is empty".to_string(),
            PathError::EmptyName => "the path has an empty part (`//`, or `/` at an end)".into(),
            PathError::Dots(name) => format!("`{name}` cannot be part of a path here"),
            PathError::Backslash(name) => {
                format!("file names may not contain `\\` (found in `{name}`)")
            }
            PathError::Control(name) => format!(
                "file names may not contain control characters such as a newline or a tab (found in `{}`)",
                name.escape_debug()
            ),
            PathError::TooLong(name) => format!(
                "the file name `{}…` is longer than {MAX_NAME_BYTES} bytes",
                name.chars().take(40).collect::<String>()
            ),
            PathError::Drive(name) => format!("`{name}` looks like a drive letter"),
            PathError::NotUtf8(name) => format!("the file name `{name}` is not valid UTF-8"),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            PathError::Backslash(_) => {
                "rename the file: `\\` separates folders on some systems, so cairn never publishes it"
            }
            PathError::TooLong(_) => "give the file a shorter name",
            PathError::NotUtf8(_) => "rename the file using UTF-8 characters",
            _ => "rename the file or folder to a plain name of letters, digits, `-`, `_` or `.`",
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Checks one name of a path; `first` applies the drive-letter rule.
fn check_name(name: &str, first: bool) -> Result<(), PathError> {
    if name.is_empty() {
        return Err(PathError::EmptyName);
    }
    if name == "." || name == ".." {
        return Err(PathError::Dots(name.to_string()));
    }
    if name.contains('\\') {
        return Err(PathError::Backslash(name.to_string()));
    }
    if name.chars().any(char::is_control) {
        return Err(PathError::Control(name.to_string()));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(PathError::TooLong(name.to_string()));
    }
    let bytes = name.as_bytes();
    if first && bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(PathError::Drive(name.to_string()));
    }
    Ok(())
}

impl RelPath {
    /// Checks a `/`-separated path.
    pub fn new(path: &str) -> Result<RelPath, PathError> {
        if path.is_empty() {
            return Err(PathError::Empty);
        }
        for (index, name) in path.split('/').enumerate() {
            check_name(name, index == 0)?;
        }
        Ok(RelPath(path.to_string()))
    }

    /// A path cairn makes itself from parts no input controls, such as `sitemap.xml` or
    /// `search/t3-<hash>.bin`. It is not input, so it is checked only in debug builds.
    pub fn fixed(path: impl Into<String>) -> RelPath {
        let path = path.into();
        debug_assert!(RelPath::new(&path).is_ok(), "{path} is not a plain path");
        RelPath(path)
    }

    /// The path of `path` below `base`, both on disk, checked name by name (never by
    /// rewriting separators).
    pub fn below(base: &Path, path: &Path) -> Result<RelPath, PathError> {
        let inner = path.strip_prefix(base).map_err(|_| PathError::Empty)?;
        RelPath::from_names(inner.iter())
    }

    /// Builds a path from names as the file system gives them.
    pub fn from_names<'a>(
        names: impl IntoIterator<Item = &'a OsStr>,
    ) -> Result<RelPath, PathError> {
        let mut out = String::new();
        for (index, name) in names.into_iter().enumerate() {
            let Some(name) = name.to_str() else {
                return Err(PathError::NotUtf8(name.to_string_lossy().into_owned()));
            };
            check_name(name, index == 0)?;
            if index > 0 {
                out.push('/');
            }
            out.push_str(name);
        }
        if out.is_empty() {
            return Err(PathError::Empty);
        }
        Ok(RelPath(out))
    }

    /// This path with `rest` (one or more `/`-separated names) appended.
    pub fn join(&self, rest: &str) -> Result<RelPath, PathError> {
        for name in rest.split('/') {
            check_name(name, false)?;
        }
        Ok(RelPath(format!("{}/{rest}", self.0)))
    }

    /// The path as text, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// The last name.
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// The folder part (`""` at the top).
    pub fn parent(&self) -> &str {
        self.0.rfind('/').map_or("", |i| &self.0[..i])
    }

    /// The file below `root` this path names. Always inside `root`: every name is plain.
    pub fn under(&self, root: &Path) -> PathBuf {
        let mut path = root.to_path_buf();
        path.extend(self.names());
        path
    }
}

impl std::ops::Deref for RelPath {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for RelPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RelPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq<str> for RelPath {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RelPath {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for RelPath {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl From<RelPath> for String {
    fn from(path: RelPath) -> String {
        path.0
    }
}

/// Joins a relative link onto the folder of `from` (a content key, `/`-separated),
/// refusing to climb out of the top.
pub fn join(from: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// What aliases may look like, for the help line of a refused one.
pub const ALIAS_HELP: &str = "write an old path of this site, e.g. `/old/page/` or `/old/page.html`: letters, digits and `- . _ ~ ! $ & ' ( ) + , ; = @`, no spaces, `*`, `:` or `..`";

/// The path an alias redirects from: `old/page/` or `old/page.html`, or why it cannot be
/// one. Hosts read `_redirects` lines split at spaces, with `*` and `:name` as wildcards,
/// so an alias holds only characters that mean nothing there.
pub fn alias_path(alias: &str) -> Result<String, String> {
    let trimmed = alias.trim();
    let Some(rest) = trimmed.strip_prefix('/').or(Some(trimmed)) else {
        return Err("it is empty".into());
    };
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err("it names the home page".into());
    }
    for part in &parts {
        if *part == "." || *part == ".." {
            return Err(format!("`{part}` is not allowed"));
        }
        if part.starts_with('.') {
            return Err("a name may not start with `.`".into());
        }
        if part.len() > MAX_NAME_BYTES {
            return Err(format!("a name is longer than {MAX_NAME_BYTES} bytes"));
        }
        let bytes = part.as_bytes();
        for (index, c) in part.char_indices() {
            let allowed = c.is_ascii_alphanumeric()
                || "-._~!$&'()+,;=@".contains(c)
                || (!c.is_ascii() && c.is_alphanumeric())
                || (c == '%'
                    && bytes.get(index + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(index + 2).is_some_and(u8::is_ascii_hexdigit));
            if !allowed {
                let shown = match c {
                    ' ' => "` ` (a space)".to_string(),
                    c if c.is_control() => format!("`{}`", c.escape_debug()),
                    c => format!("`{c}`"),
                };
                return Err(format!("{shown} is not allowed"));
            }
        }
    }
    let joined = parts.join("/");
    if joined.ends_with(".html") {
        Ok(joined)
    } else {
        Ok(format!("{joined}/"))
    }
}

/// The file an alias's redirect page is written to: `old/page/index.html` or
/// `old/page.html`.
pub fn alias_file(path: &str) -> String {
    if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_kept() {
        let path = RelPath::new("reasons/healing/index.html").unwrap();
        assert_eq!(path.as_str(), "reasons/healing/index.html");
        assert_eq!(path.file_name(), "index.html");
        assert_eq!(path.parent(), "reasons/healing");
        assert_eq!(
            path.under(Path::new("/srv/public")),
            Path::new("/srv/public/reasons/healing/index.html")
        );
        assert!(RelPath::new(".well-known/security.txt").is_ok());
        assert!(
            RelPath::new("ab:c.txt").is_ok(),
            "a colon is part of a name"
        );
        assert!(
            RelPath::new("a:b.txt").is_err(),
            "a drive-relative path on Windows"
        );
        assert!(
            RelPath::new("notes/C:").is_ok(),
            "only the first name can be a drive"
        );
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for (path, expected) in [
            ("a\\..\\..\\x.txt", "`\\`"),
            ("\\tmp\\victim", "`\\`"),
            ("../x", "`..`"),
            ("a/./b", "`.`"),
            ("/etc/passwd", "empty part"),
            ("a//b", "empty part"),
            ("a/", "empty part"),
            ("C:", "drive letter"),
            ("c:/windows", "drive letter"),
            ("a\0b", "control"),
            ("a\nb", "control"),
            ("", "empty"),
        ] {
            let error = RelPath::new(path).expect_err(path);
            assert!(
                error.message().contains(expected),
                "{path:?}: {}",
                error.message()
            );
        }
        let long = "x".repeat(256);
        assert!(matches!(RelPath::new(&long), Err(PathError::TooLong(_))));
        assert!(RelPath::new(&"x".repeat(255)).is_ok());
    }

    #[test]
    fn disk_names_are_checked_one_by_one() {
        let base = Path::new("/site/static");
        let found = RelPath::below(base, Path::new("/site/static/css/a.css")).unwrap();
        assert_eq!(found.as_str(), "css/a.css");
        let hostile = Path::new("/site/static").join("a\\..\\..\\x.txt");
        assert!(matches!(
            RelPath::below(base, &hostile),
            Err(PathError::Backslash(_))
        ));
        assert!(RelPath::below(base, base).is_err());
    }

    #[test]
    fn joining_checks_the_new_names() {
        let dir = RelPath::new("blog").unwrap();
        assert_eq!(
            dir.join("a/index.html").unwrap().as_str(),
            "blog/a/index.html"
        );
        assert!(dir.join("../x").is_err());
        assert!(dir.join("x\\y").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_refused() {
        use std::os::unix::ffi::OsStrExt;
        let name = OsStr::from_bytes(b"caf\xe9.md");
        assert!(matches!(
            RelPath::from_names([name]),
            Err(PathError::NotUtf8(_))
        ));
    }

    #[test]
    fn aliases_are_normalized_and_unsafe_ones_refused() {
        assert_eq!(alias_path("/old/page"), Ok("old/page/".into()));
        assert_eq!(alias_path("old.html"), Ok("old.html".into()));
        assert_eq!(alias_path("/caf%C3%A9/"), Ok("caf%C3%A9/".into()));
        assert_eq!(alias_path("/café/"), Ok("café/".into()));
        for (alias, why) in [
            ("/../../etc/", "`..`"),
            ("/", "home page"),
            ("https://x.org/a", "`:`"),
            ("/old page/", "a space"),
            ("/blog/*", "`*`"),
            ("/:splat", "`:`"),
            ("/a%zz", "`%`"),
            ("/a\\b", "`\\`"),
            ("/.cairn-build", "start with `.`"),
            ("/a?b=1", "`?`"),
        ] {
            let error = alias_path(alias).expect_err(alias);
            assert!(error.contains(why), "{alias}: {error}");
        }
    }

    #[test]
    fn relative_links_are_joined_without_climbing_out() {
        assert_eq!(
            join("reasons/healing.md", "../faq.md").as_deref(),
            Some("faq.md")
        );
        assert_eq!(
            join("_index.md", "reasons/x.md").as_deref(),
            Some("reasons/x.md")
        );
        assert_eq!(join("a.md", "../x.md"), None);
    }
}
