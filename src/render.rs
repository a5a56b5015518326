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
    render_site_cached(site, None)
}

/// [`render_site`], reusing the Markdown an earlier build rendered when `cache` is given
/// (`cairn serve`): a page is rendered again only when its text or one of its links changed.
pub fn render_site_cached(
    site: &Site,
    cache: Option<&crate::incremental::MarkdownCache>,
) -> Result<RenderedSite, Diagnostics> {
    let render_one = |key: &str,
                      source: &SourceFile,
                      body_start: usize,
                      options: &MarkdownOptions| {
        match cache {
            Some(cache) => cache.render(site, key, source, body_start, options),
            None => Arc::new(render_one(site, key, source, body_start, options)),
        }
    };
    let options = MarkdownOptions {
        unsafe_html: site.config.unsafe_html,
    };
    let pages: Vec<Arc<RenderedMarkdown>> = site
        .pages
        .par_iter()
        .map(|page| render_one(&page.key, &page.source, page.body_start, &options))
        .collect();
    let sections: Vec<Arc<RenderedMarkdown>> = site
        .sections
        .par_iter()
        .map(|section| match &section.source {
            Some(source) => render_one(&section.key, source, section.body_start, &options),
            None => Arc::new(markdown::render("", &options, &|_| LinkTarget::Unchanged)),
        })
        .collect();

    let mut problems = Diagnostics::default();
    let ids: HashMap<&str, HashSet<&str>> = site
        .pages
        .iter()
        .map(|p| p.key.as_str())
        .zip(&pages)
        .chain(site.sections.iter().map(|s| s.key.as_str()).zip(&sections))
        .map(|(key, rendered)| {
            (
                key,
                rendered.headings.iter().map(|h| h.id.as_str()).collect(),
            )
        })
        .collect();
    let sources = site
        .pages
        .iter()
        .map(|p| (&p.key, Some(&p.source), p.body_start))
        .chain(
            site.sections
                .iter()
                .map(|s| (&s.key, s.source.as_ref(), s.body_start)),
        );
    for ((key, source, body_start), rendered) in sources.zip(pages.iter().chain(&sections)) {
        let Some(source) = source else { continue };
        report(site, key, source, body_start, rendered, &ids, &mut problems);
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(RenderedSite { pages, sections })
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
    markdown::render(body, options, &|target| resolve_target(site, key, target))
}

/// What a link written in the page or section `key` becomes in the HTML.
pub fn resolve_target(site: &Site, key: &str, target: &str) -> LinkTarget {
    match site.resolve_link(key, target) {
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
            Diagnostic::error(problem.message.clone())
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
        let Some(known) = ids.get(target) else {
            continue;
        };
        if known.contains(anchor.anchor.as_str()) {
            continue;
        }
        let target_name = match site.targets.get(target) {
            Some(Target::Page(_)) | Some(Target::Section(_)) => format!("content/{target}"),
            None => target.to_string(),
        };
        let help = match crate::suggest::closest(&anchor.anchor, known.iter().copied()) {
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
        problems.push(
            Diagnostic::error(format!(
                "the anchor `#{}` does not exist in {target_name}",
                anchor.anchor
            ))
            .at(source, shift(&anchor.range))
            .help(help),
        );
    }
}
