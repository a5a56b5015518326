//! cairn: a static site generator. Markdown with YAML front matter in, a themed static site out.
//!
//! The build is a one-way pipeline of plain data, readable in [`build`]:
//! load (config, theme, templates, content) → render Markdown → template → site files → emit.

// Errors are `Diagnostic`s, which carry the source line for display. They are only built on
// the failure path, so their size costs nothing worth boxing them for.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod check;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod embedded_theme;
pub mod escape;
pub mod fuzzing;
pub mod incremental;
pub mod markdown;
pub mod memo;
pub mod output;
pub mod paths;
pub mod quiz;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site_files;
pub mod slug;
pub mod stamp;
pub mod suggest;
pub mod sync;
pub mod templates;
pub mod theme;
pub mod timings;
pub mod walk;
pub mod yaml;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use config::{BaseUrl, Config};
use content::{LoadOptions, Site};
use diagnostics::{Diagnostic, Diagnostics};
use output::{CopiedFile, OutputFile, WriteReport};
use templates::Templates;
use templates::context::SiteValues;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root: the folder with `site.yaml`.
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Replaces `base_url` from site.yaml (e.g. for a preview deploy).
    pub base_url: Option<String>,
    /// Fingerprint stylesheets and scripts (and add SRI when configured). `cairn serve`
    /// turns it off so a stylesheet keeps its URL and can be swapped in place.
    pub fingerprint: bool,
}

impl BuildOptions {
    /// Options to build the site at `root` into `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            base_url: None,
            fingerprint: true,
        }
    }

    /// The output folder these options write to.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages published.
    pub pages: usize,
    /// Sections published.
    pub sections: usize,
    /// Files written, unchanged and removed.
    pub write: WriteReport,
    /// Warnings (the build still succeeded).
    pub warnings: Diagnostics,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Wall and CPU time of each stage.
    pub timings: timings::StageTimings,
}

/// A site rendered in memory: every file it would write, nothing written yet.
pub struct RenderedOutput {
    /// The loaded site.
    pub site: Site,
    /// Generated files (pages, feeds, sitemap…).
    pub files: Vec<OutputFile>,
    /// Files copied as they are (theme and site static files, content assets).
    pub copies: Vec<CopiedFile>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// Wall and CPU time of each stage so far.
    pub timings: timings::StageTimings,
    /// With a cache only (`cairn serve`): the new search index, still to make when the
    /// indexed text changed (`files` then holds the last build's index files).
    pub deferred_search: Option<search::DeferredIndex>,
}

impl RenderedOutput {
    /// Makes the deferred search index, if there is one, in place of the last build's
    /// index files: the output is then exactly what a full build gives.
    pub fn complete_search(&mut self, cache: &incremental::BuildCache) {
        if let Some(deferred) = self.deferred_search.take() {
            let stale: std::collections::HashSet<String> = deferred.stale.iter().cloned().collect();
            self.files
                .retain(|file| !stale.contains(file.path.as_str()));
            self.files.extend(deferred.build(&cache.search));
        }
    }
}

/// Builds the site: renders everything in memory, then writes the output folder.
///
/// On any error nothing is written, so the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir)?;
    let rendered = render_site(options)?;
    let mut timings = rendered.timings;
    let manifest = output::manifest_path(&options.root, &output_dir);
    let write = output::write(&output_dir, Some(manifest), rendered.files, rendered.copies)?;
    Ok(BuildReport {
        pages: rendered.site.pages.len(),
        sections: rendered.site.sections.len(),
        write,
        warnings: rendered.warnings,
        elapsed: started.elapsed(),
        timings: {
            timings.lap("write");
            timings
        },
    })
}

/// Runs every stage up to, not including, writing files.
pub fn render_site(options: &BuildOptions) -> Result<RenderedOutput, Diagnostics> {
    render_site_cached(options, None)
}

/// [`render_site`], reusing what an earlier build through the same `cache` made where its
/// inputs did not change (`cairn serve`); the result is the same as a full build's.
pub fn render_site_cached(
    options: &BuildOptions,
    cache: Option<&incremental::BuildCache>,
) -> Result<RenderedOutput, Diagnostics> {
    let root = options.root.as_path();
    let mut timings = timings::StageTimings::start();
    let mut config = Config::load(root)?;
    if let Some(url) = &options.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|message| {
            Diagnostic::error(message)
                .help("pass an absolute URL, e.g. --base-url https://example.org/guide/")
        })?;
    }
    if !options.fingerprint {
        // Integrity values name fingerprinted files; without them there is nothing to pin.
        config.sri = false;
    }
    let chain = theme::resolve(root, &config)?;
    let templates = match cache {
        Some(cache) => {
            let (templates, generation) = cache.templates.load(root, &chain)?;
            cache.pages.set_template_generation(generation);
            templates
        }
        None => std::sync::Arc::new(Templates::load(root, &chain)?),
    };
    timings.lap("config and templates");
    let load_options = LoadOptions {
        drafts: options.drafts,
    };
    let (site, mut problems) =
        content::load_cached(root, config, load_options, cache.map(|c| &c.sources))?;
    problems.extend(templates::pages::check_template_names(&site, &templates).0);
    timings.lap("load content");
    let (rendered, render_problems) =
        render::render_markdown_cached(&site, cache.map(|c| &c.markdown));
    problems.extend(render_problems.0);
    timings.lap("render Markdown");
    if cache.is_none() {
        // With a cache, most pages were rendered by earlier builds: their time is not this
        // build's.
        timings.part(
            "of which highlighting",
            rendered
                .pages
                .iter()
                .chain(&rendered.sections)
                .map(|page| page.highlight_time)
                .sum(),
        );
    }
    // Quizzes: compiled after Markdown, since their links point at the pages' headings.
    let (flows, quiz_problems) = quiz::compile_site(&site, &rendered);
    problems.extend(quiz_problems.0);
    if problems.has_errors() {
        return Err(problems);
    }
    timings.lap("compile quizzes");
    let assets::Assets {
        copies,
        mut files,
        map: assets,
    } = assets::collect(root, &chain, &site, options.fingerprint)?;
    timings.lap("static assets");
    let values = SiteValues::build_cached(&site, &rendered, cache.map(|c| &c.values));
    let previous_lookup = templates.lookup();
    templates.set_site(values.lookup(&site, assets));
    if cache.is_some() {
        incremental::drop_later(previous_lookup);
    }
    // The page listing every page for search is rendered with the others.
    let listing = search::listing::job(
        &site,
        &rendered,
        &values,
        &templates,
        cache.map(|c| &c.values),
    )?;
    files.extend(templates::pages::render_pages_cached(
        &site,
        &values,
        &templates,
        listing,
        cache.map(|c| &c.pages),
    )?);
    files.extend(quiz::pages::render(&site, &flows, &values, &templates)?);
    timings.lap("templates");
    files.extend(site_files::site_files(&site, &rendered, &flows));
    files.extend(deploy::deploy_files(&site, &site.config.csp));
    // The site's own robots.txt, _headers or _redirects in static/ replace cairn's.
    files.retain(|file| {
        !(site_files::REPLACEABLE.contains(&file.path.as_str())
            && copies.iter().any(|copy| copy.path == file.path))
    });
    timings.lap("feeds and sitemap");
    if cache.is_none() {
        // A one-off build frees the template data before the index, the build's biggest
        // step. Serve leaves the lookup in place: the next build drops it off the reload's
        // path (`incremental::drop_later`).
        templates.clear_site();
        drop(values);
    }
    let (search_files, deferred_search) =
        search::site_index_files(&site, &rendered, cache.map(|c| &*c.search));
    files.extend(search_files);
    timings.lap("search index");
    output::claim_all(&mut site.claims.clone(), &files, &copies)?;
    problems.sort();
    Ok(RenderedOutput {
        site,
        files,
        copies,
        warnings: problems,
        timings,
        deferred_search,
    })
}
