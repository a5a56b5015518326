//! Front matter problems `cairn check` reports for content pages: no description, and a
//! title another page has too. Both show in lists, search results and link previews.

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
    let mut by_title: HashMap<String, Vec<&Page>> = HashMap::new();
    for page in &site.pages {
        by_title
            .entry(page.front.title.value.trim().to_lowercase())
            .or_default()
            .push(page);
    }
    for twins in by_title.values().filter(|v| v.len() > 1) {
        found.extend(twins.iter().map(|page| shared_title(page, twins)));
    }
    found
}

fn shared_title<'a>(page: &'a Page, twins: &[&Page]) -> Finding<'a> {
    let others: Vec<&str> = twins
        .iter()
        .filter(|other| !std::ptr::eq(**other, page))
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

fn at_title(page: &Page, message: String) -> Finding<'_> {
    Finding {
        severity: Severity::Warning,
        message,
        help: None,
        at: Found::Title(page),
    }
}
