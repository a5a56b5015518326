//! The page at `/search/` that lists every searchable page with its sections.
//!
//! It is where the search box's link leads when JavaScript is off (the box is hidden then),
//! so every passage stays a find-in-page away. The theme's `search_page.html` renders it;
//! a theme without that template gets no listing page.

use serde::Serialize;
use tera::Value;

use super::{Entry, searchable};
use crate::content::Site;
use crate::diagnostics::Diagnostic;
use crate::markdown::TocEntry;
use crate::render::SiteMarkdown;
use crate::templates::values::{ValueMemo, value_key};
use crate::templates::{Job, SiteValues, Templates};

/// Where the listing page is published.
pub const LISTING_PATH: &str = "search/";
/// The template that renders it.
pub const TEMPLATE: &str = "search_page.html";

/// One page or section in the listing, as the template sees it (`listing` is a list of
/// these, in reading order). Hashed as it is serialized: the hash keys the listing's value
/// in the [`ValueMemo`], so that an edit to a page's text alone keeps the listing.
#[derive(Debug, Hash, Serialize)]
struct ListedPage<'a> {
    title: &'a str,
    url: String,
    /// `section` for a section's own page, `page` otherwise.
    kind: &'static str,
    /// Nesting depth of the section it is in (home is 0).
    depth: usize,
    /// The page's table of contents: `{level, id, title, children}`.
    toc: &'a [TocEntry],
}

/// The job that renders the listing page, or `None` when the theme has no template for
/// it. A page or section of the site published at `/search/` is an error: the two would
/// overwrite each other. Through the memo, the listing's value is the last build's while no
/// listed page changed, so the page memo reuses the page.
pub fn job(
    site: &Site,
    rendered: &SiteMarkdown,
    values: &SiteValues,
    templates: &Templates,
    memo: &ValueMemo,
) -> Result<Option<Job>, Diagnostic> {
    if !templates.contains(TEMPLATE) {
        return Ok(None);
    }
    let taken = site
        .pages
        .iter()
        .map(|p| (&p.site_path, &p.key))
        .chain(site.sections.iter().map(|s| (&s.site_path, &s.key)))
        .find(|(path, _)| path.as_str() == LISTING_PATH);
    if let Some((_, key)) = taken {
        return Err(Diagnostic::error(format!(
            "content/{key} is published at /{LISTING_PATH}, where cairn writes the page listing every page for search"
        ))
        .in_file(format!("content/{key}"))
        .help("give it another `slug`, or rename the file"));
    }
    let base = &site.config.base_url;
    let depth = |mut section: usize| {
        let mut depth = 0;
        while let Some(parent) = site.sections[section].parent {
            depth += 1;
            section = parent;
        }
        depth
    };
    let listing: Vec<ListedPage> = searchable(site)
        .into_iter()
        .map(|entry| match entry {
            Entry::Section(i) => ListedPage {
                title: &site.sections[i].title,
                url: base.link(&site.sections[i].site_path),
                kind: "section",
                depth: depth(i),
                toc: &rendered.sections[i].toc,
            },
            Entry::Page(i) => ListedPage {
                title: &site.pages[i].front.title.value,
                url: base.link(&site.pages[i].site_path),
                kind: "page",
                depth: depth(site.pages[i].section),
                toc: &rendered.pages[i].toc,
            },
        })
        .collect();
    let make = || Value::from_serializable(&listing);
    let listing = if memo.is_on() {
        memo.value(value_key("listing", &listing, &[]), &[], make)
    } else {
        make()
    };
    let mut job = crate::templates::jobs::job(
        TEMPLATE.to_string(),
        crate::templates::jobs::index_path(
            LISTING_PATH,
            &crate::output::Origin::generated("the page listing every page for search"),
        )?,
        values,
        site,
        LISTING_PATH,
    );
    job.insert("listing", listing);
    Ok(Some(job))
}
