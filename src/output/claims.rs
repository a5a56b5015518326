//! The one registry of output paths: every file the build writes claims its path here,
//! with where it came from, so two sources can never silently replace each other.
//!
//! Without it the last writer wins: `content/blog/index.html` would replace the `/blog/`
//! section page, and an alias `/index.html` the home page. Claims are compared the way
//! the strictest host or checkout sees them: letter case and Unicode normalization
//! folded (a macOS or Windows checkout cannot hold both `Logo.png` and `logo.png`), and a
//! path that is a file for one source cannot be a folder for another (`sitemap.xml` and an
//! alias `sitemap.xml/`).

// FxHash: paths come from the site itself, not from an adversary, and a build of many
// images claims tens of thousands of them.
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::paths::RelPath;

/// What kind of source produced an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Markdown page.
    Page,
    /// A section's page (its `_index.md`, or the folder itself).
    Section,
    /// A file copied from `content/`.
    Asset,
    /// A file copied from `static/` or a theme's `static/`.
    Static,
    /// A quiz flow's pages.
    Quiz,
    /// An alias redirecting to a page.
    Alias,
    /// A file cairn makes on its own (the sitemap, the feed, the search index…).
    Generated,
}

/// Who produced an output file: a kind and a name, and the place in a source file when
/// there is one to point at.
#[derive(Debug, Clone)]
pub struct Origin {
    /// What kind of source it is.
    pub kind: Kind,
    /// The source file, relative to the site root (`content/blog/_index.md`), or for
    /// generated files what they are (`the sitemap`).
    pub name: Arc<str>,
    /// The text to point at, if any (an alias, a `slug:`).
    pub at: Option<Arc<(SourceFile, Range<usize>)>>,
}

impl Origin {
    /// A file of the site, named relative to the site root.
    pub fn file(kind: Kind, name: impl Into<Arc<str>>) -> Origin {
        Origin {
            kind,
            name: name.into(),
            at: None,
        }
    }

    /// A file cairn makes on its own, described in words ("the sitemap").
    pub fn generated(what: &'static str) -> Origin {
        Origin::file(Kind::Generated, what)
    }

    /// This origin, pointing at `range` of `source` in messages.
    pub fn at(mut self, source: &SourceFile, range: Range<usize>) -> Origin {
        self.at = Some(Arc::new((source.clone(), range)));
        self
    }

    /// True when both name the same source, so a second claim of a path is the same one.
    fn same_source(&self, other: &Origin) -> bool {
        self == other
    }

    /// The origin in a message: a file's name, or what cairn makes.
    fn describe(&self) -> String {
        match (&self.kind, &self.at) {
            (Kind::Alias, Some(at)) => {
                let (source, range) = &**at;
                let text = source.text.get(range.clone()).unwrap_or("");
                let text = text.trim().trim_matches(['"', '\'']);
                format!("the alias `{text}` in {}", self.name)
            }
            _ => self.name.to_string(),
        }
    }
}

/// Two origins are the same source when kind and name agree; where they point does not
/// matter.
impl PartialEq for Origin {
    fn eq(&self, other: &Origin) -> bool {
        self.kind == other.kind && self.name == other.name
    }
}

impl Eq for Origin {}

/// Every path claimed so far, folded for comparison.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Folded file path → the path as written and who claimed it.
    files: HashMap<String, (RelPath, Origin)>,
    /// Folded folder path → the folded file below it that made it a folder.
    dirs: HashMap<String, String>,
}

/// The URL a reader types for an output path: `blog/index.html` is `/blog/`.
pub fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{path}"),
    }
}

/// Lowercased and NFC-normalized, as case-insensitive file systems compare names.
fn fold(path: &str) -> String {
    if path.is_ascii() {
        // ASCII is its own NFC form.
        return path.to_ascii_lowercase();
    }
    path.nfc().collect::<String>().to_lowercase()
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Claims `path` for `origin`. Claiming it again for the same source is allowed; any
    /// other overlap (the same path, the same path in another letter case, a file where
    /// another source needs a folder) is an error naming both sources.
    pub fn claim(&mut self, path: &RelPath, origin: &Origin) -> Result<(), Diagnostic> {
        let key = fold(path);
        if let Some((first_path, first)) = self.files.get(&key) {
            if first.same_source(origin) && first_path == path {
                return Ok(());
            }
            let case_only = first_path != path;
            return Err(collision(first_path, first, path, origin, case_only));
        }
        if let Some(below) = self.dirs.get(&key) {
            let (inner_path, inner) = &self.files[below];
            return Err(file_and_folder(path, origin, inner_path, inner));
        }
        let mut end = 0;
        while let Some(slash) = key[end..].find('/') {
            let dir = &key[..end + slash];
            if let Some((file_path, first)) = self.files.get(dir) {
                return Err(file_and_folder(file_path, first, path, origin));
            }
            end += slash + 1;
        }
        let mut end = 0;
        while let Some(slash) = key[end..].find('/') {
            let dir = &key[..end + slash];
            if !self.dirs.contains_key(dir) {
                self.dirs.insert(dir.to_string(), key.clone());
            }
            end += slash + 1;
        }
        self.files.insert(key, (path.clone(), origin.clone()));
        Ok(())
    }

    /// True when `path` (exactly as written) is claimed.
    pub fn contains(&self, path: &str) -> bool {
        self.files
            .get(&fold(path))
            .is_some_and(|(claimed, _)| claimed.as_str() == path)
    }

    /// Number of paths claimed.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when nothing is claimed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Points the diagnostic at the origin's text when it has one, else names its file.
fn locate(diagnostic: Diagnostic, origin: &Origin) -> Diagnostic {
    match &origin.at {
        Some(at) => diagnostic.at(&at.0, at.1.clone()),
        None if origin.kind == Kind::Generated => diagnostic,
        None => diagnostic.in_file(origin.name.to_string()),
    }
}

/// The later origin is the one pointed at; the help depends on what can be changed.
fn collision(
    first_path: &RelPath,
    first: &Origin,
    path: &RelPath,
    origin: &Origin,
    case_only: bool,
) -> Diagnostic {
    let (a, b) = (first.describe(), origin.describe());
    let message = if case_only {
        format!(
            "{a} and {b} publish URLs that differ only in letter case (`{}` and `{}`)",
            url_of(first_path),
            url_of(path)
        )
    } else if first.kind != Kind::Generated && origin.kind != Kind::Generated {
        format!(
            "two files publish the same URL `{}`: {a} and {b}",
            url_of(path)
        )
    } else {
        format!("{b} would replace {a} at `{}`", url_of(path))
    };
    let help = if case_only {
        "rename one of them: hosts and checkouts that ignore letter case would keep only one"
    } else if matches!(origin.kind, Kind::Alias) || matches!(first.kind, Kind::Alias) {
        "change the alias: it may not name a page or file the site already publishes"
    } else if first.kind == Kind::Generated || origin.kind == Kind::Generated {
        "rename the file or choose another URL: cairn writes that path itself"
    } else {
        "give one of them another file name or a different `slug:`"
    };
    // Point at whichever origin has a place to point at, the later one first.
    let pointed = if origin.at.is_some() || first.at.is_none() {
        origin
    } else {
        first
    };
    locate(Diagnostic::error(message), pointed).help(help)
}

/// A path that is a file for one source and a folder for another.
fn file_and_folder(
    file_path: &RelPath,
    file: &Origin,
    inner_path: &RelPath,
    inner: &Origin,
) -> Diagnostic {
    let message = format!(
        "{} publishes `{}` as a file, but {} needs it as a folder for `{}`",
        file.describe(),
        url_of(file_path),
        inner.describe(),
        url_of(inner_path)
    );
    let pointed = if inner.at.is_some() { inner } else { file };
    locate(Diagnostic::error(message), pointed)
        .help("rename one of them so that a file and a folder do not share a name")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> RelPath {
        RelPath::new(text).unwrap()
    }

    #[test]
    fn the_same_source_may_claim_again_and_others_may_not() {
        let mut registry = Registry::new();
        let page = Origin::file(Kind::Section, "content/blog/_index.md");
        registry.claim(&path("blog/index.html"), &page).unwrap();
        registry.claim(&path("blog/index.html"), &page).unwrap();
        let asset = Origin::file(Kind::Asset, "content/blog/index.html");
        let error = registry
            .claim(&path("blog/index.html"), &asset)
            .unwrap_err();
        assert_eq!(
            error.message,
            "two files publish the same URL `/blog/`: content/blog/_index.md and content/blog/index.html"
        );
        assert_eq!(error.file.as_deref(), Some("content/blog/index.html"));
    }

    #[test]
    fn an_alias_over_a_generated_file_points_at_the_alias() {
        let mut registry = Registry::new();
        registry
            .claim(
                &path("index.html"),
                &Origin::file(Kind::Section, "content/_index.md"),
            )
            .unwrap();
        let source = SourceFile::new(
            "content/a.md",
            "---\ntitle: A\naliases: [/index.html]\n---\n",
        );
        let start = source.text.find("/index.html").unwrap();
        let alias = Origin::file(Kind::Alias, "content/a.md").at(&source, start..start + 11);
        let error = registry.claim(&path("index.html"), &alias).unwrap_err();
        assert!(
            error
                .message
                .contains("the alias `/index.html` in content/a.md"),
            "{}",
            error.message
        );
        let span = error.span.unwrap();
        assert_eq!((span.line, span.column), (3, 11));
    }

    #[test]
    fn case_and_normalization_are_folded() {
        let mut registry = Registry::new();
        let a = Origin::file(Kind::Static, "static/Logo.png");
        let b = Origin::file(Kind::Static, "static/logo.png");
        registry.claim(&path("Logo.png"), &a).unwrap();
        let error = registry.claim(&path("logo.png"), &b).unwrap_err();
        assert!(
            error.message.contains("differ only in letter case"),
            "{}",
            error.message
        );
        registry
            .claim(
                &path("caf\u{e9}.txt"),
                &Origin::file(Kind::Static, "static/1"),
            )
            .unwrap();
        assert!(
            registry
                .claim(
                    &path("cafe\u{301}.txt"),
                    &Origin::file(Kind::Static, "static/2")
                )
                .is_err()
        );
    }

    #[test]
    fn an_ascii_name_and_a_unicode_one_fold_alike() {
        // The Kelvin sign is K once normalized: the ASCII shortcut must agree with that.
        let mut registry = Registry::new();
        registry
            .claim(&path("k.txt"), &Origin::file(Kind::Static, "static/1"))
            .unwrap();
        assert!(
            registry
                .claim(
                    &path("\u{212a}.txt"),
                    &Origin::file(Kind::Static, "static/2")
                )
                .is_err()
        );
    }

    #[test]
    fn a_file_cannot_be_another_sources_folder() {
        let mut registry = Registry::new();
        let sitemap = Origin::generated("the sitemap");
        registry.claim(&path("sitemap.xml"), &sitemap).unwrap();
        let alias = Origin::file(Kind::Alias, "content/a.md");
        let error = registry
            .claim(&path("sitemap.xml/index.html"), &alias)
            .unwrap_err();
        assert!(
            error.message.contains("as a file, but"),
            "{}",
            error.message
        );
        // And the other way round: the folder first, then the file.
        let mut registry = Registry::new();
        registry
            .claim(&path("_redirects/index.html"), &alias)
            .unwrap();
        assert!(
            registry
                .claim(
                    &path("_redirects"),
                    &Origin::generated("the redirects file")
                )
                .is_err()
        );
    }

    #[test]
    fn urls_hide_index_html() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("blog/index.html"), "/blog/");
        assert_eq!(url_of("blog/old.html"), "/blog/old.html");
        assert_eq!(url_of("notindex.html"), "/notindex.html");
    }
}
