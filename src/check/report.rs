//! Phase four of `cairn check`: turn placed problems into diagnostics, sorted by file and
//! position and without repeats.
//!
//! A template's problem shows on every page made with it; it is reported once, at the first
//! page, with the number of pages, since one fix in the template mends them all.

use std::collections::BTreeMap;

use super::attribute::{Located, Place};
use super::classify::Counts;
use super::collect::Collected;
use super::{CheckReport, Finding};
use crate::config::BaseUrl;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// The report of a check: the build's warnings, then every problem of `located`, with
/// `counts`; with `strict`, every problem is an error.
pub(super) fn report(
    collected: &Collected,
    located: Vec<Located<'_>>,
    counts: Counts,
    strict: bool,
) -> CheckReport {
    let mut problems = collected.warnings.clone();
    problems.extend(diagnostics(located, &collected.site.config.base_url));
    finish(
        CheckReport {
            problems,
            pages: counts.pages,
            references: counts.references,
            external: counts.external,
        },
        strict,
    )
}

/// The report of a check whose build failed: the build's problems alone.
pub(super) fn build_failed(problems: Diagnostics, strict: bool) -> CheckReport {
    finish(
        CheckReport {
            problems,
            ..CheckReport::default()
        },
        strict,
    )
}

/// One diagnostic per placed problem, and one per template problem for all its pages.
fn diagnostics(located: Vec<Located<'_>>, base: &BaseUrl) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Keyed by group and help; the first page is kept and the pages counted.
    let mut from_templates: BTreeMap<(String, String), (Finding<'_>, &str, usize)> =
        BTreeMap::new();
    for Located { finding, place } in located {
        match place {
            Place::Template { page, group } => {
                let key = (group, finding.help.clone().unwrap_or_default());
                from_templates.entry(key).or_insert((finding, page, 0)).2 += 1;
            }
            place => found.push(diagnostic(finding, place, base)),
        }
    }
    for (_, (mut finding, first, count)) in from_templates {
        if count > 1 {
            finding.message = format!(
                "{} (on {}, from a template)",
                finding.message,
                crate::diagnostics::count(count, "page")
            );
        }
        found.push(diagnostic(finding, Place::Rendered(first), base));
    }
    found
}

fn diagnostic(finding: Finding<'_>, place: Place<'_>, base: &BaseUrl) -> Diagnostic {
    let diagnostic =
        Diagnostic::with_severity(finding.severity, finding.message).maybe_help(finding.help);
    match place {
        Place::Span(source, range) => diagnostic.at(source, range),
        Place::File(source) => diagnostic.in_file(source.name.clone()),
        Place::Rendered(page) | Place::Template { page, .. } => diagnostic.in_file(format!(
            "{} (rendered)",
            base.link(page.trim_end_matches("index.html"))
        )),
    }
}

/// Sorts and removes repeats; with `strict`, makes every problem an error first.
fn finish(mut report: CheckReport, strict: bool) -> CheckReport {
    if strict {
        for problem in report.problems.iter_mut() {
            problem.severity = Severity::Error;
        }
    }
    report.problems.sort();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Found;
    use crate::diagnostics::SourceFile;

    fn finding<'a>(message: &str, help: Option<&str>, page: &'a str) -> Finding<'a> {
        let finding = Finding::on_page(Severity::Warning, message.into(), page, None);
        match help {
            Some(help) => finding.help(help),
            None => finding,
        }
    }

    fn from_template<'a>(finding: Finding<'a>, group: &str) -> Located<'a> {
        let Found::Page { page, .. } = finding.at else {
            panic!("not on a page");
        };
        Located {
            place: Place::Template {
                page,
                group: group.into(),
            },
            finding,
        }
    }

    fn shown(diagnostics: &[Diagnostic]) -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.location(), d.message))
            .collect()
    }

    #[test]
    fn a_template_problem_is_reported_once_at_its_first_page() {
        let base = BaseUrl::parse("https://example.org/guide/").unwrap();
        let located = vec![
            from_template(finding("skips h2 to h4 at A", None, "a/index.html"), "skip"),
            from_template(finding("skips h2 to h4 at B", None, "b/index.html"), "skip"),
            from_template(
                finding("no alt", Some("describe"), "b/index.html"),
                "no alt",
            ),
            // Same group, other help: another problem.
            from_template(finding("no alt", Some("other"), "c/index.html"), "no alt"),
            from_template(
                finding("no alt", Some("describe"), "c/index.html"),
                "no alt",
            ),
        ];
        assert_eq!(
            shown(&diagnostics(located, &base)),
            [
                "/guide/b/ (rendered): no alt (on 2 pages, from a template)",
                "/guide/c/ (rendered): no alt",
                "/guide/a/ (rendered): skips h2 to h4 at A (on 2 pages, from a template)",
            ]
        );
    }

    #[test]
    fn placed_problems_keep_their_order_before_template_ones() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        let source = SourceFile::new("content/a.md", "one\ntwo\n");
        let placed = |message, place| Located {
            finding: finding(message, None, "a/index.html"),
            place,
        };
        let located = vec![
            from_template(finding("from the theme", None, "index.html"), "theme"),
            placed("second line", Place::Span(&source, 4..7)),
            placed("whole file", Place::File(&source)),
            placed("no markdown", Place::Rendered("tags/index.html")),
        ];
        assert_eq!(
            shown(&diagnostics(located, &base)),
            [
                "content/a.md:2:1: second line",
                "content/a.md: whole file",
                "/tags/ (rendered): no markdown",
                "/ (rendered): from the theme",
            ]
        );
    }

    #[test]
    fn finishing_sorts_drops_repeats_and_makes_everything_an_error_when_strict() {
        let source = SourceFile::new("content/a.md", "one\ntwo\n");
        let problems: Diagnostics = [
            Diagnostic::warning("late").at(&source, 4..7),
            Diagnostic::error("early").at(&source, 0..3),
            Diagnostic::warning("late").at(&source, 4..7),
        ]
        .into_iter()
        .collect();
        let report = build_failed(problems.clone(), false);
        assert_eq!(
            shown(&report.problems),
            ["content/a.md:1:1: early", "content/a.md:2:1: late"]
        );
        assert_eq!(report.problems.warning_count(), 1);
        let strict = build_failed(problems, true);
        assert_eq!(strict.problems.len(), 2);
        assert_eq!(strict.problems.warning_count(), 0);
    }
}
