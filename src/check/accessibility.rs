//! The accessibility basics `cairn check` judges in each rendered page: images without alt
//! text, more than one `h1`, headings that skip a level, and links without text. All are
//! warnings: the page works, but not for everyone.
//!
//! Images and links written in Markdown are judged from the Markdown, where they are written:
//! `![](photo.jpg)` has an empty `alt` in the HTML (which would mean "decoration"), but its
//! writer forgot the description; `[](faq.md)` is found at its line, not as "(rendered)".

use std::collections::HashMap;

use super::html::{Heading, PageFacts};
use super::{Finding, Found};
use crate::content::Site;
use crate::diagnostics::{Severity, SourceFile};
use crate::render::SiteMarkdown;

/// What the Markdown holds: its findings, and for each rendered page (by output path) the
/// URLs of its text-less links, which the rendered page's own check must not repeat.
pub(super) struct Written<'a> {
    pub findings: Vec<Finding<'a>>,
    pub links: HashMap<String, Vec<String>>,
}

/// Images without a description and links without text in every page's and section's
/// Markdown.
pub(super) fn written<'a>(site: &'a Site, markdown: &'a SiteMarkdown) -> Written<'a> {
    let mut found = Written {
        findings: Vec::new(),
        links: HashMap::new(),
    };
    let pages = site.pages.iter().zip(&markdown.pages).map(|(page, md)| {
        (
            vec![format!("{}index.html", page.site_path)],
            Some(&page.source),
            page.body_start,
            md,
        )
    });
    // A section's text shows on each of its pagers.
    let sections = site
        .sections
        .iter()
        .zip(&markdown.sections)
        .map(|(section, md)| {
            let pagers = match section.front.paginate_by.as_ref().map(|p| p.value) {
                Some(per_page) if per_page > 0 => section.pages.len().div_ceil(per_page),
                _ => 1,
            };
            let mut outputs = vec![format!("{}index.html", section.site_path)];
            outputs
                .extend((2..=pagers).map(|n| format!("{}page/{n}/index.html", section.site_path)));
            (outputs, section.source.as_ref(), section.body_start, md)
        });
    for (outputs, source, body_start, md) in pages.chain(sections) {
        let Some(source) = source else { continue };
        for unnamed in &md.unnamed {
            let range = body_start + unnamed.range.start..body_start + unnamed.range.end;
            let finding = if unnamed.image {
                image_without_description(source, range)
            } else {
                for output in &outputs {
                    found
                        .links
                        .entry(output.clone())
                        .or_default()
                        .push(unnamed.url.clone());
                }
                link_without_text_at(source, range)
            };
            found.findings.push(finding);
        }
    }
    found
}

fn image_without_description(source: &SourceFile, range: std::ops::Range<usize>) -> Finding<'_> {
    Finding {
        severity: Severity::Warning,
        message: "this image has no description (alt text)".to_string(),
        help: Some("say what it shows between the brackets: `![a phone face down on a table](photo.jpg)`; screen readers read it, and browsers show it when the image cannot load".to_string()),
        at: Found::Written(source, range),
    }
}

fn link_without_text_at(source: &SourceFile, range: std::ops::Range<usize>) -> Finding<'_> {
    Finding {
        severity: Severity::Warning,
        message: "this link has no text".to_string(),
        help: Some(
            "give the link words that say where it goes, between the brackets: `[the FAQ](faq.md)`"
                .to_string(),
        ),
        at: Found::Written(source, range),
    }
}

/// The accessibility problems of the rendered page at output path `page`; `written_links`
/// are the URLs of its text-less links the Markdown reported already.
pub(super) fn findings<'a>(
    page: &'a str,
    facts: &PageFacts,
    written_links: Option<&Vec<String>>,
) -> Vec<Finding<'a>> {
    let mut reported: Vec<&str> = written_links
        .map(|links| links.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let mut found: Vec<Finding<'a>> = facts
        .images_without_alt
        .iter()
        .map(|src| image_without_alt(page, src))
        .collect();
    found.extend(extra_h1(page, &facts.headings));
    found.extend(skipped_level(page, &facts.headings));
    for href in &facts.links_without_text {
        match reported.iter().position(|url| url == href) {
            Some(index) => {
                reported.swap_remove(index);
            }
            None => found.push(link_without_text(page, href)),
        }
    }
    found
}

fn image_without_alt<'a>(page: &'a str, src: &str) -> Finding<'a> {
    Finding::on_page(
        Severity::Warning,
        format!("the image `{src}` has no alt text"),
        page,
        Some(src.to_string()),
    )
    .help("describe the image: `![what it shows](photo.jpg)`; use `alt=\"\"` in HTML only for decoration")
}

/// More than one `h1`, pointed at the second.
fn extra_h1<'a>(page: &'a str, headings: &[Heading]) -> Option<Finding<'a>> {
    let h1: Vec<&Heading> = headings.iter().filter(|h| h.level == 1).collect();
    let second = h1.get(1)?;
    Some(
        Finding::on_page(
            Severity::Warning,
            format!(
                "the page has {} `h1` headings; it should have one",
                h1.len()
            ),
            page,
            Some(format!("# {}", second.text)),
        )
        .help("the theme shows the title as the `h1`: start headings in Markdown at `##`"),
    )
}

/// The first heading that skips a level: one per page says enough, the rest usually
/// follow from it. Grouped by the levels, so a template's skip is one problem.
fn skipped_level<'a>(page: &'a str, headings: &[Heading]) -> Option<Finding<'a>> {
    let (previous, heading) = headings
        .windows(2)
        .map(|pair| (pair[0].level, &pair[1]))
        .find(|(previous, heading)| heading.level > previous + 1)?;
    Some(Finding {
        severity: Severity::Warning,
        message: format!(
            "the heading `{}` skips from h{previous} to h{}",
            heading.text, heading.level
        ),
        help: Some(format!(
            "use h{} here (`{} …`) so screen readers can follow the outline",
            previous + 1,
            "#".repeat(usize::from(previous) + 1)
        )),
        at: Found::Page {
            page,
            needle: Some(heading.text.clone()),
            group: Some(format!("heading skips h{previous} to h{}", heading.level)),
        },
    })
}

fn link_without_text<'a>(page: &'a str, href: &str) -> Finding<'a> {
    Finding::on_page(
        Severity::Warning,
        format!("the link to `{href}` has no text"),
        page,
        Some(format!("]({href}")).filter(|_| !href.is_empty()),
    )
    .help("give the link words that say where it goes, e.g. `[the FAQ](faq.md)`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(levels: &[(u8, &str)]) -> Vec<Heading> {
        levels
            .iter()
            .map(|(level, text)| Heading {
                level: *level,
                text: text.to_string(),
            })
            .collect()
    }

    /// `(message, needle, group)` of each finding.
    fn seen(findings: &[Finding<'_>]) -> Vec<(String, Option<String>, Option<String>)> {
        findings
            .iter()
            .map(|f| match &f.at {
                Found::Page { needle, group, .. } => {
                    (f.message.clone(), needle.clone(), group.clone())
                }
                other => panic!("not on a page: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn only_the_first_skipped_level_is_reported_grouped_by_its_levels() {
        let facts = PageFacts {
            headings: headings(&[(2, "Start"), (4, "Deep"), (2, "Back"), (5, "Deeper")]),
            ..PageFacts::default()
        };
        let found = findings("index.html", &facts, None);
        assert_eq!(
            seen(&found),
            [(
                "the heading `Deep` skips from h2 to h4".into(),
                Some("Deep".into()),
                Some("heading skips h2 to h4".into())
            )]
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("use h3 here (`### …`) so screen readers can follow the outline")
        );
        // Going back up, or starting below h1, skips nothing.
        let facts = PageFacts {
            headings: headings(&[(3, "A"), (4, "B"), (2, "C"), (3, "D")]),
            ..PageFacts::default()
        };
        assert!(findings("index.html", &facts, None).is_empty());
    }

    #[test]
    fn a_second_h1_is_looked_for_as_a_markdown_heading() {
        let facts = PageFacts {
            headings: headings(&[(1, "Title"), (2, "Part"), (1, "Again"), (1, "More")]),
            ..PageFacts::default()
        };
        assert_eq!(
            seen(&findings("index.html", &facts, None)),
            [(
                "the page has 3 `h1` headings; it should have one".into(),
                Some("# Again".into()),
                None
            )]
        );
    }

    #[test]
    fn images_and_links_are_looked_for_by_their_url() {
        let facts = PageFacts {
            images_without_alt: vec!["/a.png".into()],
            links_without_text: vec!["/faq/".into(), String::new()],
            ..PageFacts::default()
        };
        let found = findings("index.html", &facts, None);
        assert_eq!(
            seen(&found),
            [
                (
                    "the image `/a.png` has no alt text".into(),
                    Some("/a.png".into()),
                    None
                ),
                (
                    "the link to `/faq/` has no text".into(),
                    Some("](/faq/".into()),
                    None
                ),
                // An empty href is nowhere to be found in particular.
                ("the link to `` has no text".into(), None, None),
            ]
        );
        assert!(found.iter().all(|f| f.severity == Severity::Warning));
        // A link the Markdown reported already is not reported again, once per link.
        let written = vec!["/faq/".to_string()];
        let facts = PageFacts {
            links_without_text: vec!["/faq/".into(), "/faq/".into()],
            ..PageFacts::default()
        };
        assert_eq!(findings("index.html", &facts, Some(&written)).len(), 1);
    }
}
