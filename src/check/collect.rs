//! Phase one of `cairn check`: render the site in memory, by the same pipeline as `cairn
//! build`, and read what the other phases look at from the output, so that they never
//! touch HTML or the file system.

use std::collections::HashSet;

use rayon::prelude::*;

use super::html::{self, PageFacts};
use crate::content::Site;
use crate::diagnostics::Diagnostics;
use crate::render::SiteMarkdown;
use crate::{BuildOptions, build_in_memory};

/// The rendered site, as far as checking it goes.
pub(super) struct Collected {
    /// The loaded site: configuration, and pages and sections with their Markdown.
    pub site: Site,
    /// Every page's and section's rendered Markdown.
    pub markdown: SiteMarkdown,
    /// What the build itself warned about.
    pub warnings: Diagnostics,
    /// Every output path, generated or copied, e.g. `blog/first/index.html`.
    pub outputs: HashSet<String>,
    /// Every rendered HTML page, in output order.
    pub pages: Vec<RenderedPage>,
}

/// One rendered HTML page.
pub(super) struct RenderedPage {
    /// Its output path, e.g. `blog/first/index.html`.
    pub path: String,
    /// What it holds: ids, references, headings, accessibility basics.
    pub facts: PageFacts,
}

/// Renders the site at `options` and reads every page; the build's errors if it fails.
pub(super) fn collect(options: &BuildOptions) -> Result<Collected, Diagnostics> {
    let rendered = build_in_memory(options, &crate::incremental::BuildCache::off())?;
    let outputs = rendered
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(rendered.copies.iter().map(|c| c.path.as_str()))
        .map(str::to_string)
        .collect();
    let pages = rendered
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| RenderedPage {
            path: f.path.as_str().to_string(),
            facts: html::read_page(&String::from_utf8_lossy(&f.bytes)),
        })
        .collect();
    Ok(Collected {
        markdown: rendered.markdown,
        site: rendered.site,
        warnings: rendered.warnings,
        outputs,
        pages,
    })
}
