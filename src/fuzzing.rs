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
        let rendered = markdown::render(body, &options, &|target: &str| match target.len() % 3 {
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
    for problem in &compilation.problems.0 {
        let _ = problem.render(false);
    }
    if let Some(written) = &compilation.written {
        let _ = crate::quiz::export::render(written, crate::quiz::export::Format::Mermaid);
        let _ = crate::quiz::export::render(written, crate::quiz::export::Format::Dot);
    }
}
