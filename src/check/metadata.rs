//! Front matter problems `cairn check` reports for content pages: no description, and a
//! title another page has too (once for all the pages that share it); and a site without a
//! description, which its home page then lacks. All show in lists, search results and link
//! previews.

use std::collections::HashMap;

use super::{Finding, Found};
use crate::content::{Page, Site};
use crate::diagnostics::Severity;

/// Pages without a description, then pages sharing a title (ignoring case).
pub(super) fn findings(site: &Site) -> Vec<Finding<'_>> {
    let mut found: Vec<Finding<'_>> = site
        .pages
        .iter()
        .filter(|page| {
            page.front
                .description
                .as_deref()
                .is_none_or(|d| d.trim().is_empty())
        })
        .map(|page| at_title(page, "this page has no description".into()).help(
            "add `description:` to the front matter: one sentence for lists, search engines and link previews",
        ))
        .collect();
    found.extend(site_description(site));
    let mut by_title: HashMap<String, Vec<&Page>> = HashMap::new();
    for page in &site.pages {
        by_title
            .entry(page.front.title.value.trim().to_lowercase())
            .or_default()
            .push(page);
    }
    // One finding for each shared title, at its first page in file order, naming the rest.
    let mut shared: Vec<Vec<&Page>> = by_title.into_values().filter(|v| v.len() > 1).collect();
    for twins in &mut shared {
        twins.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    }
    shared.sort_by(|a, b| a[0].source.name.cmp(&b[0].source.name));
    found.extend(shared.iter().map(|twins| shared_title(twins)));
    found
}

fn shared_title<'a>(twins: &[&'a Page]) -> Finding<'a> {
    let page = twins[0];
    let others: Vec<&str> = twins[1..]
        .iter()
        .map(|other| other.source.name.as_str())
        .collect();
    at_title(
        page,
        format!(
            "the title `{}` is also the title of {}",
            page.front.title.value,
            others.join(", ")
        ),
    )
    .help("give each page its own title: search results and tabs show only the title")
}

/// The home page's description is the site's unless `content/_index.md` has its own: with
/// neither, the home page (the page most shared) has none.
fn site_description(site: &Site) -> Option<Finding<'_>> {
    let home = site.sections.iter().find(|s| s.key == "_index.md");
    let home_has_one = home
        .and_then(|h| h.front.description.as_deref())
        .is_some_and(|d| !d.trim().is_empty());
    if !site.config.description.trim().is_empty() || home_has_one {
        return None;
    }
    let source = &site.config.source;
    let at = match &site.config.description_range {
        Some(range) => Found::Written(source, range.clone()),
        // No `description:` at all: its first line, as a missing `title` is shown.
        None => Found::Written(
            source,
            0..source.text.chars().next().map_or(0, char::len_utf8),
        ),
    };
    Some(Finding {
        severity: Severity::Warning,
        message: "the site has no description, so its home page has none".to_string(),
        help: Some("write one sentence about the site after `description:` in site.yaml (or give the home page its own in content/_index.md): search engines, link previews and the feed show it".to_string()),
        at,
    })
}

fn at_title(page: &Page, message: String) -> Finding<'_> {
    Finding {
        severity: Severity::Warning,
        message,
        help: None,
        at: Found::Title(page),
    }
}
