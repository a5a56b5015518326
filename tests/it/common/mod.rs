//! Test harness: build fixture sites (or sites written by the test) in a temp folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

/// A site in a temporary folder; dropped with the test.
pub(crate) struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// Copies `tests/fixtures/<name>` into a temp folder, with the repo's themes unless the
    /// fixture brings its own.
    pub(crate) fn fixture(name: &str) -> TestSite {
        let site = TestSite::empty();
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        copy_dir(&from, site.root());
        if !site.root().join("themes").exists() {
            copy_dir(&repo_path("themes"), &site.root().join("themes"));
        }
        site
    }

    /// A minimal valid site (site.yaml, home page, the repo's themes).
    pub(crate) fn minimal() -> TestSite {
        let site = TestSite::empty();
        copy_dir(&repo_path("themes"), &site.root().join("themes"));
        site.write(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\n",
        );
        site.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
        site
    }

    fn empty() -> TestSite {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file below the site root, creating folders.
    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub(crate) fn options(&self) -> cairn::BuildOptions {
        cairn::BuildOptions::new(self.root())
    }

    /// Builds and panics with the rendered diagnostics on failure.
    pub(crate) fn build(&self) -> cairn::BuildReport {
        match cairn::build(&self.options()) {
            Ok(report) => report,
            Err(problems) => panic!("build failed:\n{}", problems.render(false)),
        }
    }

    /// Builds, expecting failure; returns the diagnostics.
    pub(crate) fn build_err(&self) -> cairn::diagnostics::Diagnostics {
        match cairn::build(&self.options()) {
            Ok(_) => panic!("build succeeded but should have failed"),
            Err(mut problems) => {
                problems.sort();
                problems
            }
        }
    }

    /// Reads an output file as text.
    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Parses an output HTML file.
    pub(crate) fn html(&self, rel: &str) -> Page {
        Page(Html::parse_document(&self.read(rel)))
    }
}

/// A parsed HTML page with small query helpers.
pub(crate) struct Page(pub Html);

impl Page {
    pub(crate) fn all(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"));
        self.0.select(&selector).collect()
    }

    pub(crate) fn one(&self, css: &str) -> scraper::ElementRef<'_> {
        let found = self.all(css);
        assert!(!found.is_empty(), "nothing matches {css}");
        found[0]
    }

    pub(crate) fn text(&self, css: &str) -> String {
        self.one(css).text().collect::<String>().trim().to_string()
    }

    pub(crate) fn attr(&self, css: &str, name: &str) -> String {
        self.one(css)
            .value()
            .attr(name)
            .unwrap_or_else(|| panic!("{css} has no {name}"))
            .to_string()
    }
}

pub(crate) fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir` with its bytes, for comparing builds.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
