//! Phase two of `cairn check`: decide what is wrong in the rendered site. Every reference
//! of every page is followed: to a file of the site and an anchor in it, or, when asked, to
//! the web, each external URL once. Accessibility and front matter problems are judged by
//! their own modules.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::collect::Collected;
use super::external::{self, ExternalOptions, Failure, FailureKind};
use super::targets::{self, Target};
use super::{Finding, Found, accessibility, metadata};
use crate::config::BaseUrl;
use crate::diagnostics::Severity;

/// The problems found, in the order found, and what was looked at.
pub(super) struct Classified<'a> {
    /// Front matter problems first, then each page's, then broken external links.
    pub findings: Vec<Finding<'a>>,
    /// What was checked.
    pub counts: Counts,
}

/// How much was checked, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    /// Rendered pages read.
    pub pages: usize,
    /// References followed.
    pub references: usize,
    /// Distinct external URLs asked (none unless external links are checked).
    pub external: usize,
}

/// Judges everything `collected` holds; asks external URLs only with `external` options.
pub(super) fn classify<'a>(
    collected: &'a Collected,
    external: Option<&ExternalOptions>,
) -> Classified<'a> {
    let base = &collected.site.config.base_url;
    let reachable = Reachable::new(collected);
    let mut links = ExternalLinks::default();
    let mut findings = metadata::findings(&collected.site);
    let written = accessibility::written(&collected.site, &collected.markdown);
    findings.extend(written.findings);
    let mut counts = Counts {
        pages: collected.pages.len(),
        ..Counts::default()
    };
    for page in &collected.pages {
        let path = page.path.as_str();
        counts.references += page.facts.references.len();
        for reference in &page.facts.references {
            let url = reference.url.as_str();
            match targets::classify(url, path, base) {
                Target::Skip => {}
                Target::External(absolute) => links.add(absolute, path, url),
                Target::OutsideBase(target) => {
                    findings.push(outside_base(path, url, &target, base));
                }
                Target::Internal {
                    path: target,
                    fragment,
                } => findings.extend(reachable.check(
                    path,
                    &reference.element,
                    url,
                    &target,
                    fragment.as_deref(),
                )),
            }
        }
        findings.extend(accessibility::findings(
            path,
            &page.facts,
            written.links.get(path),
        ));
    }
    if let Some(options) = external {
        counts.external = links.by_url.len();
        findings.extend(links.check(options));
    }
    Classified { findings, counts }
}

/// A root-relative link that leaves the base path the site is served under.
fn outside_base<'a>(page: &'a str, url: &str, target: &str, base: &BaseUrl) -> Finding<'a> {
    Finding::on_page(
        Severity::Error,
        format!(
            "the link `{url}` leads outside the site, which lives under `{}`",
            base.path()
        ),
        page,
        Some(url.to_string()),
    )
    .help(format!(
        "links inside the site start with the base path: `{}`",
        base.link(target)
    ))
}

/// What an internal reference can reach: output files, and the ids of each page.
struct Reachable<'a> {
    outputs: &'a HashSet<String>,
    ids: HashMap<&'a str, &'a HashSet<String>>,
    /// The URL of every page, for "did you mean" suggestions.
    page_urls: Vec<String>,
}

impl<'a> Reachable<'a> {
    fn new(collected: &'a Collected) -> Self {
        let base = &collected.site.config.base_url;
        Reachable {
            outputs: &collected.outputs,
            ids: collected
                .pages
                .iter()
                .map(|p| (p.path.as_str(), &p.facts.ids))
                .collect(),
            page_urls: collected
                .pages
                .iter()
                .map(|p| base.link(p.path.trim_end_matches("index.html")))
                .collect(),
        }
    }

    /// The problem with reference `url` of an `element` in `page`, which leads to output
    /// path `target` and `fragment` in it, if there is one.
    fn check(
        &self,
        page: &'a str,
        element: &str,
        url: &str,
        target: &str,
        fragment: Option<&str>,
    ) -> Option<Finding<'a>> {
        let folder_index = format!("{target}/index.html");
        let resolved = if self.outputs.contains(target) {
            target
        } else if !target.ends_with("index.html") && self.outputs.contains(&folder_index) {
            folder_index.as_str()
        } else {
            return Some(self.missing_target(page, element, url));
        };
        let fragment = fragment?;
        let known = self.ids.get(resolved)?;
        if known.contains(fragment) {
            return None;
        }
        let help = crate::suggest::closest(fragment, known.iter().map(String::as_str)).map_or_else(
            || "link to a heading id of that page".into(),
            |best| format!("did you mean `#{best}`?"),
        );
        Some(
            Finding::on_page(
                Severity::Error,
                format!("the anchor `#{fragment}` of `{url}` does not exist on that page"),
                page,
                Some(url.to_string()),
            )
            .help(help),
        )
    }

    fn missing_target(&self, page: &'a str, element: &str, url: &str) -> Finding<'a> {
        let kind = match element {
            "img" | "source" | "video" | "audio" | "track" => "the image or media file",
            "link" | "script" => "the asset",
            _ => "the link",
        };
        let path_only = url.split(['#', '?']).next().unwrap_or(url);
        let help = crate::suggest::closest(path_only, self.page_urls.iter().map(String::as_str))
            .map_or_else(
                || "check the path, or link to the Markdown file instead (e.g. `../faq.md`) so the build checks it".into(),
                |best| format!("did you mean `{best}`?"),
            );
        Finding::on_page(
            Severity::Error,
            format!("{kind} `{url}` points at nothing in the site"),
            page,
            Some(url.to_string()),
        )
        .help(help)
    }
}

/// Every external URL linked (without its fragment), each with its first link.
#[derive(Default)]
struct ExternalLinks<'a> {
    by_url: BTreeMap<String, FirstLink<'a>>,
}

/// Where a URL is first linked, and how many links lead to it.
struct FirstLink<'a> {
    page: &'a str,
    /// The URL as the page writes it.
    written: &'a str,
    count: usize,
}

impl<'a> ExternalLinks<'a> {
    fn add(&mut self, url: String, page: &'a str, written: &'a str) {
        self.by_url
            .entry(url)
            .or_insert(FirstLink {
                page,
                written,
                count: 0,
            })
            .count += 1;
    }

    /// Asks every URL once; a finding for each that fails, in URL order.
    fn check(&self, options: &ExternalOptions) -> Vec<Finding<'a>> {
        let urls: Vec<String> = self.by_url.keys().cloned().collect();
        external::check_all(&urls, options)
            .into_iter()
            .filter_map(|failure| {
                let link = self.by_url.get(&failure.url)?;
                Some(failed_link(&failure, link))
            })
            .collect()
    }
}

fn failed_link<'a>(failure: &Failure, link: &FirstLink<'a>) -> Finding<'a> {
    let mut message = format!("the external link `{}` {}", failure.url, failure.reason);
    if link.count > 1 {
        message.push_str(&format!(" (linked {} times)", link.count));
    }
    // A private address was not asked: that is not a broken link, only an unchecked one.
    let (severity, help) = match failure.kind {
        FailureKind::Broken => (
            Severity::Error,
            "fix or remove the link; if the site is only down for now, check again later",
        ),
        FailureKind::Private => (Severity::Warning, "use --allow-private to check it anyway"),
    };
    Finding {
        severity,
        message,
        help: Some(help.into()),
        at: Found::Link {
            page: link.page,
            needle: link.written.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> HashSet<String> {
        list.iter().map(std::string::ToString::to_string).collect()
    }

    /// `(severity, message, help, needle)` of a finding on a page.
    fn seen(finding: &Finding<'_>) -> (Severity, String, String, String) {
        let Found::Page { needle, .. } = &finding.at else {
            panic!("not on a page: {finding:?}");
        };
        (
            finding.severity,
            finding.message.clone(),
            finding.help.clone().unwrap_or_default(),
            needle.clone().unwrap_or_default(),
        )
    }

    #[test]
    fn internal_references_reach_files_folders_and_heading_ids() {
        let outputs = ids(&["faq/index.html", "img/a.png", "index.html"]);
        let faq_ids = ids(&["install", "usage"]);
        let reachable = Reachable {
            outputs: &outputs,
            ids: HashMap::from([("faq/index.html", &faq_ids)]),
            page_urls: vec!["/faq/".into(), "/".into()],
        };
        let check = |element, url, target, fragment| {
            reachable
                .check("index.html", element, url, target, fragment)
                .map(|f| seen(&f))
        };
        assert_eq!(
            check("a", "/faq/#usage", "faq/index.html", Some("usage")),
            None
        );
        // A folder without its trailing slash is still its index page.
        assert_eq!(check("a", "/faq#usage", "faq", Some("usage")), None);
        // No ids are known for files that are not pages: nothing to check.
        assert_eq!(check("img", "/img/a.png#x", "img/a.png", Some("x")), None);
        assert_eq!(
            check("a", "/faq/#instal", "faq/index.html", Some("instal")),
            Some((
                Severity::Error,
                "the anchor `#instal` of `/faq/#instal` does not exist on that page".into(),
                "did you mean `#install`?".into(),
                "/faq/#instal".into()
            ))
        );
        let far = check("a", "/faq/#zzzzzz", "faq/index.html", Some("zzzzzz")).unwrap();
        assert_eq!(far.2, "link to a heading id of that page");
    }

    #[test]
    fn a_missing_target_is_named_by_its_element_with_the_closest_page() {
        let outputs = ids(&["faq/index.html"]);
        let reachable = Reachable {
            outputs: &outputs,
            ids: HashMap::new(),
            page_urls: vec!["/faq/".into()],
        };
        let missing = |element, url: &str| {
            let target = url.trim_start_matches('/');
            seen(
                &reachable
                    .check("index.html", element, url, target, None)
                    .unwrap(),
            )
        };
        let (severity, message, help, needle) = missing("a", "/fqa/#top");
        assert_eq!(severity, Severity::Error);
        assert_eq!(
            message,
            "the link `/fqa/#top` points at nothing in the site"
        );
        assert_eq!(help, "did you mean `/faq/`?");
        assert_eq!(needle, "/fqa/#top");
        assert_eq!(
            missing("source", "/v.webm").1,
            "the image or media file `/v.webm` points at nothing in the site"
        );
        assert_eq!(
            missing("script", "/app.js").1,
            "the asset `/app.js` points at nothing in the site"
        );
        assert!(
            missing("link", "/style.css")
                .2
                .starts_with("check the path")
        );
    }

    #[test]
    fn an_external_url_is_one_finding_at_its_first_link_counting_every_link() {
        let mut links = ExternalLinks::default();
        links.add(
            "https://a.org/x".into(),
            "one/index.html",
            "https://a.org/x#top",
        );
        links.add(
            "https://a.org/x".into(),
            "two/index.html",
            "https://a.org/x",
        );
        links.add(
            "https://a.org/x".into(),
            "one/index.html",
            "https://a.org/x",
        );
        links.add("https://b.org/".into(), "two/index.html", "https://b.org/");
        assert_eq!(links.by_url.len(), 2);
        let failure = |url: &str, kind| Failure {
            url: url.into(),
            reason: "answered 404 Not Found".into(),
            kind,
        };
        let first = &links.by_url["https://a.org/x"];
        let finding = failed_link(&failure("https://a.org/x", FailureKind::Broken), first);
        assert_eq!(finding.severity, Severity::Error);
        assert_eq!(
            finding.message,
            "the external link `https://a.org/x` answered 404 Not Found (linked 3 times)"
        );
        assert!(matches!(
            finding.at,
            Found::Link { page: "one/index.html", ref needle } if needle == "https://a.org/x#top"
        ));
        // Once linked: no count. A private address is a warning: it was not asked at all.
        let once = &links.by_url["https://b.org/"];
        let finding = failed_link(&failure("https://b.org/", FailureKind::Private), once);
        assert_eq!(finding.severity, Severity::Warning);
        assert!(!finding.message.contains("linked"));
        assert_eq!(
            finding.help.as_deref(),
            Some("use --allow-private to check it anyway")
        );
    }

    #[test]
    fn a_root_relative_link_outside_the_base_path_shows_the_link_inside_it() {
        let base = BaseUrl::parse("https://example.org/guide/").unwrap();
        let finding = outside_base("index.html", "/faq/", "/faq/", &base);
        assert_eq!(
            seen(&finding),
            (
                Severity::Error,
                "the link `/faq/` leads outside the site, which lives under `/guide/`".into(),
                "links inside the site start with the base path: `/guide/faq/`".into(),
                "/faq/".into()
            )
        );
    }
}
