//! `cairn check`: everything a build checks, then the rendered site itself: internal links,
//! anchors and assets, images, accessibility basics, descriptions and duplicate titles, and
//! on request external links.
//!
//! A check runs in four phases, one module each, so that each can be read and tested alone:
//!
//! 1. `collect` renders the site in memory, by the same pipeline as `cairn build`, and
//!    reads each rendered page with an HTML parser;
//! 2. `classify` decides what is wrong: missing targets and anchors, broken external
//!    links, accessibility and front matter problems;
//! 3. `attribute` points each problem at the Markdown that produced it, when its text is
//!    found there; otherwise the problem comes from a template;
//! 4. `report` turns problems into diagnostics, sorted and without repeats (a template's
//!    problem once for all its pages), with the counts of what was checked.

mod accessibility;
mod attribute;
mod classify;
mod collect;
mod external;
mod html;
mod metadata;
mod report;
mod targets;

use std::ops::Range;

use crate::BuildOptions;
use crate::content::Page;
use crate::diagnostics::{Diagnostics, Severity, SourceFile};
pub use external::ExternalOptions;

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

/// Checks the site; never fails itself, everything found is in the report.
pub fn check(options: &CheckOptions) -> CheckReport {
    let collected = match collect::collect(&options.build) {
        Ok(collected) => collected,
        Err(problems) => return report::build_failed(problems, options.strict),
    };
    let classified = classify::classify(&collected, options.external.as_ref());
    let located = attribute::attribute(&collected.site, classified.findings);
    report::report(&collected, located, classified.counts, options.strict)
}

/// A problem found by [`classify`], before [`attribute`] points it at its source.
#[derive(Debug, Clone)]
struct Finding<'a> {
    severity: Severity,
    message: String,
    help: Option<String>,
    /// Where it was found.
    at: Found<'a>,
}

/// Where a problem was found, and how to look for it in the Markdown.
#[derive(Debug, Clone)]
enum Found<'a> {
    /// In the rendered page at output path `page`: the first `needle` in its Markdown body.
    /// When the needle is not there, the problem comes from a template, and the same problem
    /// on other pages (same `group`, by default the message, and same help) is one problem.
    Page {
        page: &'a str,
        needle: Option<String>,
        group: Option<String>,
    },
    /// The first link to an external URL, written `needle`, in the rendered page `page`.
    /// Never merged with other pages: there is already one finding per URL.
    Link { page: &'a str, needle: String },
    /// The title in the front matter of a content page.
    Title(&'a Page),
    /// Written at this byte range of a Markdown file (or of `site.yaml`).
    Written(&'a SourceFile, Range<usize>),
}

impl<'a> Finding<'a> {
    /// A problem of the rendered page `page`, found in its Markdown by `needle`.
    fn on_page(severity: Severity, message: String, page: &'a str, needle: Option<String>) -> Self {
        Finding {
            severity,
            message,
            help: None,
            at: Found::Page {
                page,
                needle,
                group: None,
            },
        }
    }

    /// The same finding with a help line.
    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
