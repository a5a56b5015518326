//! Drivers shared by the `cargo fuzz` targets (in `fuzz/`) and the property tests that run
//! the same code on stable in CI (`tests/properties.rs`). Each takes arbitrary bytes and must
//! never panic, whatever they are.

use crate::content::front_matter::{self, PageFrontMatter};
use crate::diagnostics::SourceFile;
use crate::markdown::{self, LinkTarget, MarkdownOptions};

/// A content file: front matter split and parsed, then its body rendered as Markdown, with
/// links resolved to internal pages, broken links and unchanged ones in turn.
pub fn content_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("content/fuzz.md", text);
    let body_start = match front_matter::parse::<PageFrontMatter>(&source) {
        Ok((_, split)) => split.body_start,
        Err(diagnostic) => {
            // Rendering the diagnostic exercises the span arithmetic too.
            let _ = diagnostic.render(false);
            0
        }
    };
    let body = &source.text[body_start..];
    for unsafe_html in [false, true] {
        let options = MarkdownOptions {
            unsafe_html,
            ..MarkdownOptions::default()
        };
        let rendered = markdown::render(body, &options, &|target: &str, reference| match target
            .len()
            % 3
        {
            // Images the site resized, with the destination in their URLs.
            0 if reference == markdown::Reference::Image => {
                LinkTarget::Picture(Box::new(markdown::Picture {
                    src: target.to_string(),
                    width: 10,
                    height: 20,
                    sources: vec![("image/webp".into(), format!("{target} 10w"))],
                    srcset: String::new(),
                    sizes: target.to_string(),
                }))
            }
            0 => LinkTarget::Unchanged,
            1 => LinkTarget::Internal {
                url: "/x/".into(),
                page: "x.md".into(),
                anchor: target.split_once('#').map(|(_, a)| a.to_string()),
            },
            _ => LinkTarget::Broken {
                message: "broken".into(),
                help: None,
            },
        });
        for problem in &rendered.problems {
            assert!(
                problem.range.end <= body.len(),
                "problem range out of the body"
            );
            let _ = source.span(body_start + problem.range.start..body_start + problem.range.end);
        }
        let _ = markdown::split_at_h2(&rendered.html, &rendered.headings);
    }
}

/// A quiz flow file: parsed, checked and compiled outside a site (links left unchecked), then
/// drawn as Mermaid and DOT, and every diagnostic rendered.
pub fn quiz_flow(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("content/quiz/fuzz.yaml", text);
    let compilation =
        crate::quiz::compile(&source, "quiz/fuzz.yaml", None, &MarkdownOptions::default());
    for problem in &compilation.problems {
        let _ = problem.render(false);
    }
    if let Some(written) = &compilation.written {
        let _ = crate::quiz::export::render(written, crate::quiz::export::Format::Mermaid);
        let _ = crate::quiz::export::render(written, crate::quiz::export::Format::Dot);
    }
}

/// File names, as a pull request could bring them, turned into output paths the ways the
/// build does (a static file, a content asset, a bundle asset, an alias): every path that
/// is accepted must name a file below the output folder. `data` is up to a few names
/// separated by `/`; on Unix a name may hold any byte but `/` and NUL.
pub fn file_names(data: &[u8]) {
    use crate::paths::RelPath;
    let root = std::path::Path::new("/site/public");
    let names: Vec<std::ffi::OsString> = data
        .split(|byte| *byte == b'/')
        .filter(|name| !name.contains(&0))
        .map(os_name)
        .collect();
    let checked = RelPath::from_names(names.iter().map(std::ffi::OsString::as_os_str));
    if let Ok(rel) = &checked {
        assert_inside(root, &rel.under(root));
        for output in [
            crate::content::asset_output(rel, None),
            crate::content::asset_output(rel, Some((rel.parent(), "post/"))),
            crate::content::asset_output(rel, Some(("", "post/"))),
        ] {
            if let Ok(path) = RelPath::new(&output) {
                assert_inside(root, &path.under(root));
            }
        }
    }
    let text = String::from_utf8_lossy(data);
    if let Ok(path) = RelPath::new(&text) {
        assert_inside(root, &path.under(root));
    }
    if let Ok(alias) = crate::paths::alias_path(&text) {
        assert!(
            !alias.contains(['*', ':', ' ', '\\', '\n', '\r', '\t']),
            "an alias that hosts would read as a rule: {alias:?}"
        );
        let path = RelPath::new(&crate::paths::alias_file(&alias))
            .unwrap_or_else(|error| panic!("an accepted alias is not a plain path: {error}"));
        assert_inside(root, &path.under(root));
    }
}

#[cfg(unix)]
fn os_name(bytes: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes).to_os_string()
}

#[cfg(not(unix))]
fn os_name(bytes: &[u8]) -> std::ffi::OsString {
    String::from_utf8_lossy(bytes).into_owned().into()
}

/// `path` is `root` followed by plain names only, with nothing a file system would read
/// as a way out (`..`, a root, a drive, a separator inside a name).
fn assert_inside(root: &std::path::Path, path: &std::path::Path) {
    use std::path::Component;
    let rest = path
        .strip_prefix(root)
        .unwrap_or_else(|_| panic!("{} is not below {}", path.display(), root.display()));
    for component in rest.components() {
        let Component::Normal(name) = component else {
            panic!(
                "{} leaves {} at {component:?}",
                path.display(),
                root.display()
            );
        };
        let name = name.to_string_lossy();
        assert!(
            !name.contains('\\') && !name.is_empty() && !name.contains('\0'),
            "{name:?} in {}",
            path.display()
        );
    }
}
