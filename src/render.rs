//! The Markdown stage: every page's and section's Markdown to HTML, in parallel and
//! through the memo, then anchors checked.
//!
//! Links are resolved while rendering (the content model knows every URL); anchors can only
//! be checked once every page has its heading ids, so they are collected and checked after.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rayon::prelude::*;

use crate::code_cache::CodeCache;
use crate::content::links::Resolved;
use crate::content::{Site, Target};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::images::Catalog;
use crate::markdown::{self, BlockCache, LinkTarget, MarkdownOptions, Reference, RenderedMarkdown};
use crate::memo::Memo;
use crate::sync::lock;

/// The rendered Markdown of every page and section, by the same indices as in [`Site`].
///
/// Shared (`Arc`) so that `cairn serve` can keep them between builds without copying.
pub struct SiteMarkdown {
    /// One per `site.pages`.
    pub pages: Vec<Arc<RenderedMarkdown>>,
    /// One per `site.sections` (empty for sections without `_index.md`).
    pub sections: Vec<Arc<RenderedMarkdown>>,
    /// What this build rendered and reused.
    pub stats: Stats,
}

/// What a one-off build lets go of once no later stage needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// The text split at headings, once the search index is made.
    SearchText,
    /// The HTML, once the template values (which hold what pages show of it) and the feed
    /// are made.
    Html,
}

impl SiteMarkdown {
    /// Frees `what` of every page this build alone holds. Pages a memo keeps (`cairn
    /// serve`) are shared and stay whole: later builds reuse them.
    pub fn release(&mut self, what: Release) {
        for markdown in self.pages.iter_mut().chain(self.sections.iter_mut()) {
            let Some(markdown) = Arc::get_mut(markdown) else {
                continue;
            };
            match what {
                Release::SearchText => markdown.sections = Vec::new(),
                Release::Html => {
                    markdown.html = String::new();
                    markdown.summary_html = None;
                }
            }
        }
    }
}

/// How many pages this build rendered and reused, and the time spent highlighting code
/// in the ones it rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Pages and sections rendered.
    pub rendered: usize,
    /// Pages and sections reused from an earlier build.
    pub reused: usize,
    /// Highlighting time of the pages rendered.
    pub highlighting: Duration,
}

/// Markdown rendered by earlier builds, by content key, with what it was made from.
///
/// A page's HTML depends on its own text and on what each of its links resolves to (a URL,
/// an asset, or a broken-link message that names the closest existing file). Rendering
/// records every resolution; a later build resolves the same link texts against the new
/// site and reuses the HTML only when every answer is the same. So renaming a page
/// re-renders exactly the pages that link to it, and nothing else.
pub type MarkdownMemo = Memo<String, Arc<Remembered>>;

/// One page's rendered Markdown and what it was made from.
pub struct Remembered {
    text: Arc<str>,
    body_start: usize,
    options: MarkdownOptions,
    links: Vec<((String, Reference), LinkTarget)>,
    rendered: Arc<RenderedMarkdown>,
}

/// Renders all Markdown, through the memo, and returns it with every problem found (broken
/// links and anchors), also when there are errors: later checks (the quiz stage) still need
/// the headings of the pages that rendered. Images are looked up in `images`, which records
/// the variants they need.
pub fn markdown(
    site: &Site,
    images: &Catalog,
    memo: &MarkdownMemo,
    problems: &mut Diagnostics,
) -> SiteMarkdown {
    let options = MarkdownOptions {
        unsafe_html: site.config.unsafe_html,
        highlighted_blocks: BlockCache(Some(Arc::new(CodeCache::for_site(&site.root)))),
        ..MarkdownOptions::default()
    };
    let rendered = AtomicUsize::new(0);
    let highlighting = Mutex::new(Duration::ZERO);
    let render = |key: &str, source: &SourceFile, body_start: usize| {
        // Checked outside the memo's lock: resolving the links takes a while.
        if let Some(remembered) = memo.get(&key.to_string())
            && still_holds(&remembered, site, images, key, source, body_start, &options)
        {
            return remembered.rendered.clone();
        }
        let markdown = render_remembering(site, images, key, source, body_start, &options, memo);
        rendered.fetch_add(1, Ordering::Relaxed);
        *lock(&highlighting) += markdown.highlight_time;
        markdown
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
            None => Arc::new(markdown::render("", &options, &|_, _| {
                LinkTarget::Unchanged
            })),
        })
        .collect();
    let rendered = rendered.into_inner();
    let with_source =
        site.pages.len() + site.sections.iter().filter(|s| s.source.is_some()).count();
    let stats = Stats {
        rendered,
        reused: with_source.saturating_sub(rendered),
        highlighting: highlighting.into_inner().unwrap_or_default(),
    };
    let markdown = SiteMarkdown {
        pages,
        sections,
        stats,
    };
    check(site, &markdown, problems);
    markdown
}

/// True when what `remembered` was made from is what the page is now.
fn still_holds(
    remembered: &Remembered,
    site: &Site,
    images: &Catalog,
    key: &str,
    source: &SourceFile,
    body_start: usize,
    options: &MarkdownOptions,
) -> bool {
    (Arc::ptr_eq(&remembered.text, &source.text) || remembered.text == source.text)
        && remembered.body_start == body_start
        && remembered.options == *options
        && remembered
            .links
            .iter()
            .all(|((target, reference), resolved)| {
                reference_target(site, images, key, target, *reference) == *resolved
            })
}

/// Renders one page, recording how each link resolved, and remembers the result.
fn render_remembering(
    site: &Site,
    images: &Catalog,
    key: &str,
    source: &SourceFile,
    body_start: usize,
    options: &MarkdownOptions,
    memo: &MarkdownMemo,
) -> Arc<RenderedMarkdown> {
    let links = Mutex::new(Vec::new());
    let body = &source.text[body_start..];
    let rendered = Arc::new(markdown::render(body, options, &|target, reference| {
        let resolved = reference_target(site, images, key, target, reference);
        if memo.is_on() {
            lock(&links).push(((target.to_string(), reference), resolved.clone()));
        }
        resolved
    }));
    if memo.is_on() {
        let mut links = links.into_inner().unwrap_or_default();
        links.sort_by(|a, b| a.0.cmp(&b.0));
        links.dedup_by(|a, b| a.0 == b.0);
        let remembered = Remembered {
            text: source.text.clone(),
            body_start,
            options: options.clone(),
            links,
            rendered: rendered.clone(),
        };
        memo.insert(key.to_string(), Arc::new(remembered));
    }
    rendered
}

/// The problems the renderer found in every page, and links to anchors that do not exist
/// (which can only be checked once every page has its heading ids).
fn check(site: &Site, rendered: &SiteMarkdown, problems: &mut Diagnostics) {
    let ids = heading_ids(site, rendered);
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
        report(site, key, source, body_start, markdown, &ids, problems);
    }
}

/// The heading ids of every page and section, by content key, for anchor checks.
pub fn heading_ids<'a>(
    site: &'a Site,
    rendered: &'a SiteMarkdown,
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

/// How a link or image written in the content file `from` renders: images the site
/// resizes become `<picture>`s (a corrupt one is an error at the image), everything else
/// is a link the site resolves.
pub fn reference_target(
    site: &Site,
    images: &Catalog,
    from: &str,
    target: &str,
    reference: Reference,
) -> LinkTarget {
    if reference == Reference::Image {
        let looked_up = match site.resolve_link(from, target) {
            Resolved::Asset { key, .. } => images.for_content(&key),
            Resolved::Unchanged if target.starts_with('/') => {
                // A file from `static/`, written from the site root with or without the
                // base path (`/photos/a.jpg` or `/guide/photos/a.jpg` on a site under
                // `/guide/`).
                let path = target.split(['?', '#']).next().unwrap_or_default();
                let base = site.config.base_url.path();
                let under_base = (base != "/").then(|| path.strip_prefix(base)).flatten();
                let decoded = |path: &str| {
                    crate::content::links::percent_decode(path.trim_start_matches('/'))
                };
                under_base
                    .and_then(|rest| images.for_static(&decoded(rest)))
                    .or_else(|| images.for_static(&decoded(path)))
            }
            _ => None,
        };
        match looked_up {
            Some(Ok(picture)) => return LinkTarget::Picture(Box::new(picture)),
            Some(Err(error)) => {
                return LinkTarget::Broken {
                    message: format!("the image `{target}` {}", error.message),
                    help: Some(error.help),
                };
            }
            None => {}
        }
    }
    link_target(site, from, target)
}

/// How a link written in the content file `from` renders: the site resolves it.
pub fn link_target(site: &Site, from: &str, target: &str) -> LinkTarget {
    match site.resolve_link(from, target) {
        Resolved::Unchanged => LinkTarget::Unchanged,
        Resolved::Asset { url, .. } => LinkTarget::Internal {
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
        Some(Target::Page(_) | Target::Section(_)) => format!("content/{target}"),
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
