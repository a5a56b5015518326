//! Phase three of `cairn check`: point each problem at the Markdown that produced it.
//!
//! A rendered page knows its Markdown file (pages, sections and every pager of a section).
//! A problem is looked for there by its text (the URL of a link, the text of a heading),
//! from the end of the front matter on, and the first match is its place. A problem whose
//! text is not in the Markdown was written by a template.

use std::collections::HashMap;
use std::ops::Range;

use super::{Finding, Found};
use crate::content::Site;
use crate::diagnostics::SourceFile;

/// Where a problem is, as far as its source goes.
#[derive(Debug, Clone)]
pub(super) enum Place<'a> {
    /// A byte range of a Markdown file.
    Span(&'a SourceFile, Range<usize>),
    /// A Markdown file, without a place in it.
    File(&'a SourceFile),
    /// The rendered page at this output path, which has no Markdown.
    Rendered(&'a str),
    /// Written by a template, seen first in the rendered page at output path `page`; the
    /// same problem on other pages shares its `group`.
    Template { page: &'a str, group: String },
}

/// A problem and its place.
pub(super) struct Located<'a> {
    /// The problem as classified.
    pub finding: Finding<'a>,
    /// Where it points.
    pub place: Place<'a>,
}

/// The Markdown a rendered page came from.
struct Origin<'a> {
    source: &'a SourceFile,
    /// Where the body starts, after the front matter.
    body_start: usize,
}

impl Origin<'_> {
    /// The first `needle` in the body, if the needle is not empty.
    fn find(&self, needle: Option<&str>) -> Option<Range<usize>> {
        let needle = needle.filter(|n| !n.is_empty())?;
        let body = self.source.text.get(self.body_start..)?;
        let at = self.body_start + body.find(needle)?;
        Some(at..at + needle.len())
    }
}

/// Places every finding of `site`'s check, keeping their order.
pub(super) fn attribute<'a>(site: &'a Site, findings: Vec<Finding<'a>>) -> Vec<Located<'a>> {
    let origins = origins(site);
    findings
        .into_iter()
        .map(|finding| Located {
            place: place(&finding, &origins),
            finding,
        })
        .collect()
}

fn place<'a>(finding: &Finding<'a>, origins: &HashMap<String, Origin<'a>>) -> Place<'a> {
    match &finding.at {
        Found::Title(page) => Place::Span(
            &page.source,
            crate::yaml::range_of(&page.front.title, page.front_start),
        ),
        Found::Written(source, range) => Place::Span(source, range.clone()),
        Found::Page {
            page,
            needle,
            group,
        } => {
            let origin = origins.get(*page);
            match origin.and_then(|o| Some((o.source, o.find(needle.as_deref())?))) {
                Some((source, range)) => Place::Span(source, range),
                None => Place::Template {
                    page,
                    group: group.clone().unwrap_or_else(|| finding.message.clone()),
                },
            }
        }
        Found::Link { page, needle } => match origins.get(*page) {
            Some(origin) => match origin.find(Some(needle)) {
                Some(range) => Place::Span(origin.source, range),
                None => Place::File(origin.source),
            },
            None => Place::Rendered(page),
        },
    }
}

/// Output path of each page and section (every pager of a section) → its Markdown.
fn origins(site: &Site) -> HashMap<String, Origin<'_>> {
    let mut map = HashMap::new();
    for page in &site.pages {
        map.insert(
            format!("{}index.html", page.site_path),
            Origin {
                source: &page.source,
                body_start: page.body_start,
            },
        );
    }
    for section in &site.sections {
        let Some(source) = &section.source else {
            continue;
        };
        let origin = || Origin {
            source,
            body_start: section.body_start,
        };
        map.insert(format!("{}index.html", section.site_path), origin());
        let pagers = match section.front.paginate_by.as_ref().map(|p| p.value) {
            Some(per_page) if per_page > 0 => section.pages.len().div_ceil(per_page),
            _ => 1,
        };
        for n in 2..=pagers {
            map.insert(
                format!("{}page/{n}/index.html", section.site_path),
                origin(),
            );
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    const PAGE: &str = "blog/post/index.html";

    fn origins(source: &SourceFile) -> HashMap<String, Origin<'_>> {
        let body_start = source.text.find("---\n\n").map_or(0, |i| i + 4);
        HashMap::from([(PAGE.to_string(), Origin { source, body_start })])
    }

    fn on_page<'a>(page: &'a str, needle: Option<&str>) -> Finding<'a> {
        Finding::on_page(
            Severity::Error,
            "broken".into(),
            page,
            needle.map(str::to_string),
        )
    }

    /// `line:column` of a place in a source, or how the place is otherwise named.
    fn shown(place: &Place<'_>) -> String {
        match place {
            Place::Span(source, range) => {
                let span = source.span(range.clone());
                format!("{}:{}", span.line, span.column)
            }
            Place::File(source) => format!("file {}", source.name),
            Place::Rendered(page) => format!("rendered {page}"),
            Place::Template { page, group } => format!("template {page} {group}"),
        }
    }

    #[test]
    fn the_same_link_text_twice_points_at_the_link_whose_url_is_wrong() {
        let source = SourceFile::new(
            "content/blog/post.md",
            "---\ntitle: Post\n---\n\n[the guide](/guide/)\n\n[the guide](/gide/)\n",
        );
        let origins = origins(&source);
        let place = place(&on_page(PAGE, Some("/gide/")), &origins);
        assert_eq!(shown(&place), "7:13");
    }

    #[test]
    fn the_same_url_twice_points_at_its_first_link_in_the_body() {
        // The front matter names the URL too, but problems are looked for in the body.
        let source = SourceFile::new(
            "content/blog/post.md",
            "---\ntitle: Post\ndescription: about /gone/\n---\n\nSee [it](/gone/).\n\nAgain [it](/gone/).\n",
        );
        let origins = origins(&source);
        let place = place(&on_page(PAGE, Some("/gone/")), &origins);
        assert_eq!(shown(&place), "6:10");
    }

    #[test]
    fn what_the_markdown_does_not_hold_comes_from_a_template() {
        let source = SourceFile::new("content/blog/post.md", "---\ntitle: Post\n---\n\nText.\n");
        let origins = origins(&source);
        assert_eq!(
            shown(&place(&on_page(PAGE, Some("/theme.css")), &origins)),
            "template blog/post/index.html broken"
        );
        // A page without Markdown (a tag page, say), and an empty needle, alike.
        assert_eq!(
            shown(&place(&on_page("tags/index.html", Some("Text")), &origins)),
            "template tags/index.html broken"
        );
        assert_eq!(
            shown(&place(&on_page(PAGE, Some("")), &origins)),
            "template blog/post/index.html broken"
        );
        // Template problems are grouped by their group when they have one.
        let mut grouped = on_page(PAGE, None);
        grouped.at = Found::Page {
            page: PAGE,
            needle: None,
            group: Some("skip".into()),
        };
        assert_eq!(
            shown(&place(&grouped, &origins)),
            "template blog/post/index.html skip"
        );
    }

    #[test]
    fn an_external_link_falls_back_to_its_file_or_rendered_page() {
        let source = SourceFile::new(
            "content/blog/post.md",
            "---\ntitle: Post\n---\n\n[x](https://a.org/x)\n",
        );
        let origins = origins(&source);
        let link = |page, needle: &str| Finding {
            at: Found::Link {
                page,
                needle: needle.into(),
            },
            ..on_page(page, None)
        };
        assert_eq!(
            shown(&place(&link(PAGE, "https://a.org/x"), &origins)),
            "5:5"
        );
        assert_eq!(
            shown(&place(&link(PAGE, "https://b.org/"), &origins)),
            "file content/blog/post.md"
        );
        assert_eq!(
            shown(&place(
                &link("tags/index.html", "https://a.org/x"),
                &origins
            )),
            "rendered tags/index.html"
        );
    }
}
