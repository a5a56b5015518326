//! Render: every page's and section's Markdown to HTML, in parallel, then check anchors.
//!
//! Links are resolved while rendering (the content model knows every URL); anchors can only
//! be checked once every page has its heading ids, so they are collected and checked after.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::links::Resolved;
use crate::content::{Site, Target};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::markdown::{self, LinkTarget, MarkdownOptions, RenderedMarkdown};

/// The rendered Markdown of every page and section, by the same indices as in [`Site`].
///
/// Shared (`Arc`) so that `cairn serve` can keep them between builds without copying.
pub struct RenderedSite {
    /// One per `site.pages`.
    pub pages: Vec<Arc<RenderedMarkdown>>,
    /// One per `site.sections` (empty for sections without `_index.md`).
    pub sections: Vec<Arc<RenderedMarkdown>>,
}

/// Renders all Markdown; broken links and anchors are reported together.
pub fn render_site(site: &Site) -> Result<RenderedSite, Diagnostics> {
    let (rendered, problems) = render_markdown(site);
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(rendered)
    }
}

/// Renders all Markdown and returns it with every problem found, also when there are
/// errors: later checks (the quiz stage) still need the headings of the pages that rendered.
pub fn render_markdown(site: &Site) -> (RenderedSite, Diagnostics) {
    render_markdown_cached(site, None)
}

/// [`render_markdown`], reusing the Markdown an earlier build rendered when `cache` is given
/// (`cairn serve`): a page is rendered again only when its text or one of its links changed.
pub fn render_markdown_cached(
    site: &Site,
    cache: Option<&crate::incremental::MarkdownCache>,
) -> (RenderedSite, Diagnostics) {
    let options = MarkdownOptions {
        unsafe_html: site.config.unsafe_html,
        ..MarkdownOptions::default()
    };
    let render = |key: &str, source: &SourceFile, body_start: usize| match cache {
        Some(cache) => cache.render(site, key, source, body_start, &options),
        None => Arc::new(render_one(site, key, source, body_start, &options)),
    };
    let pages: Vec<Arc<RenderedMarkdown>> = site
        .pages
        .par_iter()
        .map(|page| render(&page.key, &page.source, page.body_start))
        .collect();
    let sections: Vec<Arc<RenderedMarkdown>> = site
        .sections
        .par_iter()
        .map(|section| match &section.source {
            Some(source) => render(&section.key, source, section.body_start),
            None => Arc::new(markdown::render("", &options, &|_| LinkTarget::Unchanged)),
        })
        .collect();
    let rendered = RenderedSite { pages, sections };

    let mut problems = Diagnostics::default();
    let ids = heading_ids(site, &rendered);
    let sources = site
        .pages
        .iter()
        .map(|p| (&p.key, Some(&p.source), p.body_start))
        .chain(
            site.sections
                .iter()
                .map(|s| (&s.key, s.source.as_ref(), s.body_start)),
        );
    for ((key, source, body_start), markdown) in
        sources.zip(rendered.pages.iter().chain(&rendered.sections))
    {
        let Some(source) = source else { continue };
        report(site, key, source, body_start, markdown, &ids, &mut problems);
    }
    (rendered, problems)
}

/// The heading ids of every page and section, by content key, for anchor checks.
pub fn heading_ids<'a>(
    site: &'a Site,
    rendered: &'a RenderedSite,
) -> HashMap<&'a str, HashSet<&'a str>> {
    site.pages
        .iter()
        .map(|p| p.key.as_str())
        .zip(&rendered.pages)
        .chain(
            site.sections
                .iter()
                .map(|s| s.key.as_str())
                .zip(&rendered.sections),
        )
        .map(|(key, rendered)| {
            (
                key,
                rendered.headings.iter().map(|h| h.id.as_str()).collect(),
            )
        })
        .collect()
}

/// How a link written in the content file `from` renders: the site resolves it.
pub fn link_target(site: &Site, from: &str, target: &str) -> LinkTarget {
    match site.resolve_link(from, target) {
        Resolved::Unchanged => LinkTarget::Unchanged,
        Resolved::Asset { url } => LinkTarget::Internal {
            url,
            page: String::new(),
            anchor: None,
        },
        Resolved::Internal { url, key, anchor } => LinkTarget::Internal {
            url,
            page: key,
            anchor,
        },
        Resolved::Broken { message, help } => LinkTarget::Broken { message, help },
    }
}

fn render_one(
    site: &Site,
    key: &str,
    source: &SourceFile,
    body_start: usize,
    options: &MarkdownOptions,
) -> RenderedMarkdown {
    let body = &source.text[body_start..];
    markdown::render(body, options, &|target| link_target(site, key, target))
}

fn report(
    site: &Site,
    key: &str,
    source: &SourceFile,
    body_start: usize,
    rendered: &RenderedMarkdown,
    ids: &HashMap<&str, HashSet<&str>>,
    problems: &mut Diagnostics,
) {
    let shift = |range: &std::ops::Range<usize>| body_start + range.start..body_start + range.end;
    for problem in &rendered.problems {
        problems.push(
            Diagnostic::with_severity(problem.severity, problem.message.clone())
                .at(source, shift(&problem.range))
                .maybe_help(problem.help.clone()),
        );
    }
    for anchor in &rendered.anchor_refs {
        let target = match &anchor.page {
            Some(page) if page.is_empty() => continue, // an asset: nothing to check
            Some(page) => page.as_str(),
            None => key,
        };
        if let Some(problem) = missing_anchor(site, ids, target, &anchor.anchor) {
            problems.push(problem.at(source, shift(&anchor.range)));
        }
    }
}

/// The error for a link to `#anchor` in the page `target` (a content key) when that page
/// has no such heading; `None` when it has, or when the page is unknown (reported already).
/// The diagnostic still needs its place (`.at(…)`).
pub fn missing_anchor(
    site: &Site,
    ids: &HashMap<&str, HashSet<&str>>,
    target: &str,
    anchor: &str,
) -> Option<Diagnostic> {
    let known = ids.get(target)?;
    if known.contains(anchor) {
        return None;
    }
    let target_name = match site.targets.get(target) {
        Some(Target::Page(_)) | Some(Target::Section(_)) => format!("content/{target}"),
        None => target.to_string(),
    };
    let help = match crate::suggest::closest(anchor, known.iter().copied()) {
        Some(best) => format!("did you mean `#{best}`?"),
        None => {
            let mut all: Vec<&str> = known.iter().copied().collect();
            all.sort();
            if all.is_empty() {
                "that page has no headings to link to".to_string()
            } else {
                format!(
                    "headings there: {}",
                    all.iter()
                        .map(|a| format!("#{a}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        }
    };
    Some(
        Diagnostic::error(format!(
            "the anchor `#{anchor}` does not exist in {target_name}"
        ))
        .help(help),
    )
}
