//! Series: a guide read part by part, in an order an editor sets in one place.
//!
//! A section's front matter names its parts (`series.parts`); its own page is the first. A
//! part is a page, a quiz flow, or a section standing for its pages in the section's order,
//! so a page added to that section joins the series where its weight puts it. Each part then
//! knows its neighbours and its number, which templates show as previous/next links, "Part 3
//! of 14" and a contents list. A part belongs to one series at most: with two, a page would
//! have two "next" pages.

use std::collections::HashMap;

use super::front_matter::SeriesPart;
use super::links::{Resolved, is_external, percent_decode};
use super::model::{Part, PartGroup, PartTarget, Section, Series, Site, Target, section_name};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::yaml::{self, Spanned};

/// A part as listed: what it is, its number within a labelled section, and the entry of
/// `series.parts` that listed it (none for the section's own page).
type Listed<'a> = (
    PartTarget,
    Option<PartGroup>,
    Option<&'a Spanned<SeriesPart>>,
);

/// Phase: every section's `series:` resolved into parts, and where each part is.
pub(super) fn resolve(
    site: &Site,
    problems: &mut Diagnostics,
) -> (Vec<Series>, HashMap<PartTarget, (usize, usize)>) {
    let mut all = Vec::new();
    let mut placed: HashMap<PartTarget, (usize, usize)> = HashMap::new();
    for (index, section) in site.sections.iter().enumerate() {
        let (Some(front), Some(source)) = (&section.front.series, &section.source) else {
            continue;
        };
        let number = all.len();
        let mut series = Series {
            title: front.title.clone().unwrap_or_else(|| section.title.clone()),
            section: index,
            parts: Vec::new(),
        };
        let mut listed: Vec<Listed> = vec![(PartTarget::Section(index), None, None)];
        for entry in &front.parts {
            match part_targets(site, index, source, section, entry) {
                Ok(targets) => {
                    listed.extend(targets.into_iter().map(|(t, g)| (t, g, Some(entry))));
                }
                Err(problem) => problems.push(problem),
            }
        }
        for (target, group, entry) in listed {
            if let Some((other, _)) = placed.get(&target) {
                if let Some(entry) = entry {
                    let same = *other == number;
                    problems.push(twice(site, source, section, entry, same, target));
                }
                continue;
            }
            placed.insert(target, (number, series.parts.len()));
            series.parts.push(Part { target, group });
        }
        all.push(series);
    }
    (all, placed)
}

/// What one entry of `series.parts` adds, in order: nothing for a draft or a file with
/// errors of its own (reported already), one part for a page or a quiz, a section's pages.
fn part_targets(
    site: &Site,
    section_index: usize,
    source: &SourceFile,
    section: &Section,
    entry: &Spanned<SeriesPart>,
) -> Result<Vec<(PartTarget, Option<PartGroup>)>, Diagnostic> {
    let part = &entry.value;
    let at = |message: String| {
        Diagnostic::error(message).at(source, yaml::range_of(entry, section.front_start))
    };
    let path = part.path.trim();
    if is_external(path) || path.contains('#') {
        return Err(at(format!("the series part `{path}` is not a file in content/"))
            .help("write the path of a page, a section's _index.md or a quiz, relative to this file, e.g. `experts.md`, without `#…`"));
    }
    let joined = crate::paths::join(&section.key, &percent_decode(path));
    let key = match joined {
        // A draft joins its series once it is published.
        Some(key) if site.drafts.contains(&key) => return Ok(Vec::new()),
        Some(key) if site.targets.contains_key(&key) || site.flow_keys.contains_key(&key) => key,
        _ => match site.resolve_link(&section.key, path) {
            Resolved::Internal { key, .. } => key,
            // A file with errors of its own, reported already.
            Resolved::Unchanged => return Ok(Vec::new()),
            Resolved::Asset { .. } => {
                return Err(at(format!("the series part `{path}` is a file, not a page"))
                    .help("a part is a page (`.md`), a section (`_index.md`, for its pages) or a quiz (`.yaml`)"));
            }
            Resolved::Broken { help, .. } => {
                return Err(at(format!(
                    "the series part `{path}` names nothing in content/"
                ))
                .maybe_help(help));
            }
        },
    };
    let no_label = |target| match &part.label {
        Some(_) => Err(
            at("`label` numbers the pages of a section; this part is one page".into())
                .help("remove `label`, or list the section's _index.md to number its pages"),
        ),
        None => Ok(vec![(target, None)]),
    };
    match (site.targets.get(&key), site.flow_keys.get(&key)) {
        (Some(Target::Page(page)), _) => no_label(PartTarget::Page(*page)),
        (Some(Target::Section(listed)), _) if *listed == section_index => Err(at(
            "a series starts at the page of the section that sets it; it is the first part already"
                .into(),
        )
        .help("remove this entry")),
        (Some(Target::Section(listed)), _) => {
            let pages = &site.sections[*listed].pages;
            Ok(pages
                .iter()
                .enumerate()
                .map(|(position, page)| {
                    let group = part.label.as_ref().map(|label| PartGroup {
                        label: label.trim().to_string(),
                        number: position + 1,
                        count: pages.len(),
                    });
                    (PartTarget::Page(*page), group)
                })
                .collect())
        }
        (None, Some(flow)) => no_label(PartTarget::Flow(*flow)),
        (None, None) => Ok(Vec::new()),
    }
}

/// The error for a part listed a second time, in this series or in another one.
fn twice(
    site: &Site,
    source: &SourceFile,
    section: &Section,
    entry: &Spanned<SeriesPart>,
    same_series: bool,
    target: PartTarget,
) -> Diagnostic {
    let name = match target {
        PartTarget::Page(i) => format!("content/{}", site.pages[i].key),
        PartTarget::Section(i) => {
            section_name(site.sections[i].source.as_ref(), &site.sections[i].dir)
        }
        PartTarget::Flow(i) => format!("content/{}", site.flows[i].key),
    };
    let message = if same_series {
        format!("{name} is in this series twice")
    } else {
        format!("{name} is part of another series already")
    };
    Diagnostic::error(message)
        .at(source, yaml::range_of(entry, section.front_start))
        .help("a page is read once, so it is one part of one series: remove one of the two (a section listed here stands for all its pages)")
}
