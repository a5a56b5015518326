//! `cairn check`: everything a build checks, then the rendered site itself: internal links,
//! anchors and assets, images, accessibility basics, descriptions and duplicate titles, and
//! on request external links.
//!
//! The site is rendered in memory by the same pipeline as `cairn build`; each rendered page
//! is read with an HTML parser. A problem is pointed at the Markdown source when its text is
//! found there; otherwise it comes from a template and is reported once for all its pages.

mod external;
mod html;
mod targets;

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceFile};
use crate::{BuildOptions, build_in_memory};
pub use external::ExternalOptions;
use html::PageFacts;
use targets::Target;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site and how to build it.
    pub build: BuildOptions,
    /// Treat warnings (accessibility, descriptions, titles) as errors.
    pub strict: bool,
    /// Check external links too, with these limits.
    pub external: Option<ExternalOptions>,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every problem, sorted by file and position.
    pub problems: Diagnostics,
    /// Rendered pages read.
    pub pages: usize,
    /// References (links, images, stylesheets…) followed.
    pub references: usize,
    /// Distinct external URLs asked.
    pub external: usize,
}

/// The Markdown a rendered page came from.
struct Origin<'a> {
    source: &'a SourceFile,
    body_start: usize,
}

/// A problem found in a rendered page, before it is pointed at its source.
struct Finding {
    severity: Severity,
    message: String,
    help: Option<String>,
    /// Text to look for in the page's Markdown to point at the problem.
    needle: Option<String>,
    /// What makes two template-made findings the same problem (default: the message).
    group: Option<String>,
}

/// Checks the site; never fails itself, everything found is in the report.
pub fn check(options: &CheckOptions) -> CheckReport {
    let cache = crate::incremental::BuildCache::off();
    let rendered = match build_in_memory(&options.build, &cache) {
        Ok(rendered) => rendered,
        Err(problems) => {
            return finish(
                CheckReport {
                    problems,
                    ..CheckReport::default()
                },
                options.strict,
            );
        }
    };
    let site = &rendered.site;
    let mut report = CheckReport {
        problems: rendered.warnings.clone(),
        ..CheckReport::default()
    };
    report.problems.extend(content_findings(site));

    let outputs: HashSet<&str> = rendered
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(rendered.copies.iter().map(|c| c.path.as_str()))
        .collect();
    let pages: Vec<(&str, PageFacts)> = rendered
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            (
                f.path.as_str(),
                html::read_page(&String::from_utf8_lossy(&f.bytes)),
            )
        })
        .collect();
    let ids: HashMap<&str, &HashSet<String>> = pages
        .iter()
        .map(|(path, facts)| (*path, &facts.ids))
        .collect();
    let origins = origins(site);
    let page_urls: Vec<String> = pages
        .iter()
        .map(|(path, _)| {
            site.config
                .base_url
                .link(path.trim_end_matches("index.html"))
        })
        .collect();

    // Template-made problems repeat on many pages: keep the first page and count the rest.
    let mut from_templates: BTreeMap<(String, String), (Finding, String, usize)> = BTreeMap::new();
    let mut external: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
    for (path, facts) in &pages {
        report.pages += 1;
        let origin = origins.get(*path);
        let mut findings = Vec::new();
        for reference in &facts.references {
            report.references += 1;
            match targets::classify(&reference.url, path, &site.config.base_url) {
                Target::Skip => {}
                Target::External(url) => {
                    let entry = external.entry(url).or_insert_with(|| {
                        let finding = Finding {
                            severity: Severity::Error,
                            message: String::new(),
                            help: None,
                            needle: Some(reference.url.clone()),
                            group: None,
                        };
                        (locate(&finding, origin, path, site), 0)
                    });
                    entry.1 += 1;
                }
                Target::OutsideBase(target) => findings.push(Finding {
                    severity: Severity::Error,
                    message: format!(
                        "the link `{}` leads outside the site, which lives under `{}`",
                        reference.url,
                        site.config.base_url.path()
                    ),
                    help: Some(format!(
                        "links inside the site start with the base path: `{}`",
                        site.config.base_url.link(&target)
                    )),
                    needle: Some(reference.url.clone()),
                    group: None,
                }),
                Target::Internal {
                    path: target,
                    fragment,
                } => {
                    if let Some(finding) = check_internal(
                        &reference.element,
                        &reference.url,
                        &target,
                        fragment.as_deref(),
                        &outputs,
                        &ids,
                        &page_urls,
                    ) {
                        findings.push(finding);
                    }
                }
            }
        }
        findings.extend(accessibility(facts));
        for finding in findings {
            let located = origin.is_some_and(|o| find_needle(&finding, o).is_some());
            if located {
                report.problems.push(locate(&finding, origin, path, site));
            } else {
                let key = (
                    finding
                        .group
                        .clone()
                        .unwrap_or_else(|| finding.message.clone()),
                    finding.help.clone().unwrap_or_default(),
                );
                from_templates
                    .entry(key)
                    .or_insert_with(|| (finding, path.to_string(), 0))
                    .2 += 1;
            }
        }
    }
    for ((_, _), (finding, first, count)) in from_templates {
        let url = site
            .config
            .base_url
            .link(first.trim_end_matches("index.html"));
        let message = if count > 1 {
            format!("{} (on {count} pages, from a template)", finding.message)
        } else {
            finding.message.clone()
        };
        report.problems.push(
            Diagnostic::with_severity(finding.severity, message)
                .in_file(format!("{url} (rendered)"))
                .maybe_help(finding.help),
        );
    }

    if let Some(limits) = &options.external {
        let urls: Vec<String> = external.keys().cloned().collect();
        report.external = urls.len();
        for failure in external::check_all(&urls, limits) {
            let Some((at, count)) = external.get(&failure.url) else {
                continue;
            };
            let mut diagnostic = at.clone();
            diagnostic.message = format!("the external link `{}` {}", failure.url, failure.reason);
            if *count > 1 {
                diagnostic
                    .message
                    .push_str(&format!(" (linked {count} times)"));
            }
            // A private address was not asked: that is not a broken link, only an unchecked one.
            let help = match failure.kind {
                external::FailureKind::Broken => {
                    "fix or remove the link; if the site is only down for now, check again later"
                }
                external::FailureKind::Private => {
                    diagnostic.severity = Severity::Warning;
                    "use --allow-private to check it anyway"
                }
            };
            report.problems.push(diagnostic.help(help));
        }
    }
    finish(report, options.strict)
}

fn finish(mut report: CheckReport, strict: bool) -> CheckReport {
    if strict {
        for problem in &mut report.problems.0 {
            problem.severity = Severity::Error;
        }
    }
    report.problems.sort();
    report
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
        if let Some(source) = &section.source {
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
    }
    map
}

fn find_needle(finding: &Finding, origin: &Origin<'_>) -> Option<std::ops::Range<usize>> {
    let needle = finding.needle.as_deref().filter(|n| !n.is_empty())?;
    let body = &origin.source.text[origin.body_start..];
    let at = body.find(needle)?;
    Some(origin.body_start + at..origin.body_start + at + needle.len())
}

/// The diagnostic of a finding on page `path`, pointing into its Markdown when possible.
fn locate(finding: &Finding, origin: Option<&Origin<'_>>, path: &str, site: &Site) -> Diagnostic {
    let diagnostic = Diagnostic::with_severity(finding.severity, finding.message.clone())
        .maybe_help(finding.help.clone());
    match origin {
        Some(origin) => match find_needle(finding, origin) {
            Some(range) => diagnostic.at(origin.source, range),
            None => diagnostic.in_file(origin.source.name.clone()),
        },
        None => diagnostic.in_file(format!(
            "{} (rendered)",
            site.config
                .base_url
                .link(path.trim_end_matches("index.html"))
        )),
    }
}

fn check_internal(
    element: &str,
    url: &str,
    target: &str,
    fragment: Option<&str>,
    outputs: &HashSet<&str>,
    ids: &HashMap<&str, &HashSet<String>>,
    page_urls: &[String],
) -> Option<Finding> {
    let folder_index = format!("{target}/index.html");
    let resolved = if outputs.contains(target) {
        target
    } else if !target.ends_with("index.html") && outputs.contains(folder_index.as_str()) {
        folder_index.as_str()
    } else {
        let kind = match element {
            "img" | "source" | "video" | "audio" | "track" => "the image or media file",
            "link" | "script" => "the asset",
            _ => "the link",
        };
        let path_only = url.split(['#', '?']).next().unwrap_or(url);
        let help = crate::suggest::closest(path_only, page_urls.iter().map(String::as_str))
            .map(|best| format!("did you mean `{best}`?"))
            .or_else(|| Some("check the path, or link to the Markdown file instead (e.g. `../faq.md`) so the build checks it".into()));
        return Some(Finding {
            severity: Severity::Error,
            message: format!("{kind} `{url}` points at nothing in the site"),
            help,
            needle: Some(url.to_string()),
            group: None,
        });
    };
    let fragment = fragment?;
    let known = ids.get(resolved)?;
    if known.contains(fragment) {
        return None;
    }
    let help = crate::suggest::closest(fragment, known.iter().map(String::as_str))
        .map(|best| format!("did you mean `#{best}`?"))
        .or_else(|| Some("link to a heading id of that page".into()));
    Some(Finding {
        severity: Severity::Error,
        message: format!("the anchor `#{fragment}` of `{url}` does not exist on that page"),
        help,
        needle: Some(url.to_string()),
        group: None,
    })
}

fn accessibility(facts: &PageFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for src in &facts.images_without_alt {
        findings.push(Finding {
            severity: Severity::Warning,
            message: format!("the image `{src}` has no alt text"),
            help: Some("describe the image: `![what it shows](photo.jpg)`; use `alt=\"\"` in HTML only for decoration".into()),
            needle: Some(src.clone()),
            group: None,
        });
    }
    let h1: Vec<&html::Heading> = facts.headings.iter().filter(|h| h.level == 1).collect();
    if h1.len() > 1 {
        findings.push(Finding {
            severity: Severity::Warning,
            message: format!(
                "the page has {} `h1` headings; it should have one",
                h1.len()
            ),
            help: Some(
                "the theme shows the title as the `h1`: start headings in Markdown at `##`".into(),
            ),
            needle: Some(format!("# {}", h1[1].text)),
            group: None,
        });
    }
    let mut previous = 0u8;
    for heading in &facts.headings {
        if previous > 0 && heading.level > previous + 1 {
            findings.push(Finding {
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
                needle: Some(heading.text.clone()),
                group: Some(format!("heading skips h{previous} to h{}", heading.level)),
            });
            // One skip per page says enough; the rest usually follow from it.
            break;
        }
        previous = heading.level;
    }
    for href in &facts.links_without_text {
        findings.push(Finding {
            severity: Severity::Warning,
            message: format!("the link to `{href}` has no text"),
            help: Some(
                "give the link words that say where it goes, e.g. `[the FAQ](faq.md)`".into(),
            ),
            needle: Some(format!("]({href}")).filter(|_| !href.is_empty()),
            group: None,
        });
    }
    findings
}

/// Pages without a description, and pages sharing a title.
fn content_findings(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, page) in site.pages.iter().enumerate() {
        let title_range = crate::yaml::range_of(&page.front.title, page.front_start);
        if page
            .front
            .description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
        {
            found.push(
                Diagnostic::warning("this page has no description")
                    .at(&page.source, title_range.clone())
                    .help("add `description:` to the front matter: one sentence for lists, search engines and link previews"),
            );
        }
        by_title
            .entry(page.front.title.value.trim().to_lowercase())
            .or_default()
            .push(index);
    }
    for indices in by_title.values().filter(|v| v.len() > 1) {
        for index in indices {
            let page = &site.pages[*index];
            let others: Vec<&str> = indices
                .iter()
                .filter(|i| *i != index)
                .map(|i| site.pages[*i].source.name.as_str())
                .collect();
            found.push(
                Diagnostic::warning(format!(
                    "the title `{}` is also the title of {}",
                    page.front.title.value,
                    others.join(", ")
                ))
                .at(
                    &page.source,
                    crate::yaml::range_of(&page.front.title, page.front_start),
                )
                .help("give each page its own title: search results and tabs show only the title"),
            );
        }
    }
    found
}
