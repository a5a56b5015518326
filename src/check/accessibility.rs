//! The accessibility basics `cairn check` judges in each rendered page: images without alt
//! text, more than one `h1`, headings that skip a level, and links without text. All are
//! warnings: the page works, but not for everyone.

use super::html::{Heading, PageFacts};
use super::{Finding, Found};
use crate::diagnostics::Severity;

/// The accessibility problems of the rendered page at output path `page`.
pub(super) fn findings<'a>(page: &'a str, facts: &PageFacts) -> Vec<Finding<'a>> {
    let mut found: Vec<Finding<'a>> = facts
        .images_without_alt
        .iter()
        .map(|src| image_without_alt(page, src))
        .collect();
    found.extend(extra_h1(page, &facts.headings));
    found.extend(skipped_level(page, &facts.headings));
    found.extend(
        facts
            .links_without_text
            .iter()
            .map(|href| link_without_text(page, href)),
    );
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
        let found = findings("index.html", &facts);
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
        assert!(findings("index.html", &facts).is_empty());
    }

    #[test]
    fn a_second_h1_is_looked_for_as_a_markdown_heading() {
        let facts = PageFacts {
            headings: headings(&[(1, "Title"), (2, "Part"), (1, "Again"), (1, "More")]),
            ..PageFacts::default()
        };
        assert_eq!(
            seen(&findings("index.html", &facts)),
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
        let found = findings("index.html", &facts);
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
    }
}
