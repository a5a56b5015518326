//! cairn: a static site generator. Markdown with YAML front matter in, a themed static site out.
//!
//! The build is a one-way pipeline of plain data, readable in [`build`] and [`generate`]:
//! load (config, theme, templates, content) → render Markdown → template values →
//! templates (one list of page jobs: pages, sections, tags, the search listing, quizzes) →
//! site files → search index → write. Every stage takes its memo from a
//! [`incremental::BuildCache`]: a one-off build passes memos that remember nothing, and
//! `cairn serve` keeps one cache for its whole run, so it redoes only what an edit changed.

// Errors are `Diagnostic`s, which carry the source line for display. They are only built on
// the failure path, so their size costs nothing worth boxing them for.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod cards;
pub mod check;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod embedded_theme;
pub mod escape;
pub mod fuzzing;
pub mod images;
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
use render::SiteMarkdown;
use templates::SiteValues;

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

/// Everything a build makes before the search index and writing: the site, its rendered
/// Markdown and every file but the index.
pub struct Generated {
    /// The loaded site.
    pub site: Site,
    /// Every page's rendered Markdown (the search index is made from it).
    pub markdown: SiteMarkdown,
    /// Generated files (pages, feeds, sitemap…).
    pub files: Vec<OutputFile>,
    /// Files copied as they are (theme and site static files, content assets).
    pub copies: Vec<CopiedFile>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// What the build made again and what it reused.
    pub stats: incremental::RebuildStats,
    /// Wall and CPU time of each stage so far.
    pub timings: timings::StageTimings,
}

/// Builds the site: every stage in order, then the output folder written.
///
/// A failed build writes nothing, so the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir)?;
    let mut generated = build_in_memory(options, &incremental::BuildCache::off())?;
    let manifest = output::manifest_path(&options.root, &output_dir);
    let write = output::write(
        &output_dir,
        Some(manifest),
        generated.files,
        generated.copies,
    )?;
    generated.timings.lap("write");
    Ok(BuildReport {
        pages: generated.site.pages.len(),
        sections: generated.site.sections.len(),
        write,
        warnings: generated.warnings,
        elapsed: started.elapsed(),
        timings: generated.timings,
    })
}

/// Every stage but writing: [`generate`], then the search index, then every output path
/// claimed in the site's registry. What `cairn check` inspects.
pub fn build_in_memory(
    options: &BuildOptions,
    cache: &incremental::BuildCache,
) -> Result<Generated, Diagnostics> {
    let mut generated = generate(options, cache)?;
    let index = search::site_index(&generated.site, &generated.markdown, &cache.search);
    generated.files.extend(index);
    generated.timings.lap("search index");
    let mut problems = Diagnostics::default();
    let files = (&generated.files, &generated.copies);
    output::claim_all(
        &mut generated.site.claims.clone(),
        files.0,
        files.1,
        &mut problems,
    );
    problems.stop_on_errors()?;
    Ok(generated)
}

/// Runs every stage up to, not including, the search index and writing files, taking
/// what it can from `cache`. Stops after the stage where the first error was found, with
/// every problem found so far.
pub fn generate(
    options: &BuildOptions,
    cache: &incremental::BuildCache,
) -> Result<Generated, Diagnostics> {
    let root = options.root.as_path();
    let mut problems = Diagnostics::default();
    let mut timings = timings::StageTimings::start();
    let config = load_config(options)?;
    let chain = theme::resolve(root, &config)?;
    let templates = templates::load(root, &chain, &cache.templates, &mut problems);
    let Some(templates) = templates else {
        return Err(problems);
    };
    timings.lap("config and templates");
    let load_options = LoadOptions {
        drafts: options.drafts,
    };
    let site = content::load(root, config, load_options, &cache.sources, &mut problems)?;
    templates::jobs::check_template_names(&site, &templates, &mut problems);
    timings.lap("load content");
    // Static files first: the image catalog needs them, and Markdown needs the catalog.
    let assets = assets::collect(root, &chain, &site, options.fingerprint, &mut problems);
    let Some(assets) = assets else {
        return Err(problems);
    };
    let mut files = assets.files;
    timings.lap("static assets");
    let images = std::sync::Arc::new(images::catalog(
        root,
        &assets.copies,
        &site.asset_outputs,
        &site.config.images,
        chain.image_sizes(),
        &site.config.base_url,
    ));
    timings.lap("image catalog");
    let markdown = render::markdown(&site, &images, &cache.markdown, &mut problems);
    timings.lap("render Markdown");
    timings.part("of which highlighting", markdown.stats.highlighting);
    // Quizzes: compiled after Markdown, since their links point at the pages' headings.
    let flows = quiz::compile_site(&site, &markdown, &mut problems);
    problems.stop_on_errors()?;
    timings.lap("compile quizzes");
    let cards = cards::cards(&site, &chain, &templates, images.store(), &mut problems);
    timings.lap("share cards");
    let values = SiteValues::build(&site, &markdown, &cards.images, &cache.values);
    templates.set_site(values.lookup(&site, assets.map, images.clone()));
    let mut jobs = templates::jobs::site_jobs(&site, &values, &mut problems);
    let listing = search::listing::job(&site, &markdown, &values, &templates, &cache.values);
    jobs.extend(listing?);
    let (quiz_jobs, quiz_files) =
        quiz::pages::jobs(&site, &flows, &values, &templates, &mut problems);
    jobs.extend(quiz_jobs);
    files.extend(quiz_files);
    let (pages, page_stats) =
        templates::render::render(jobs, &templates, &cache.pages, &mut problems);
    files.extend(pages);
    // The site data goes before the index, the build's biggest step.
    cache.release((templates.take_site(), values));
    problems.stop_on_errors()?;
    timings.lap("templates");
    let mut copies = assets.copies;
    images.strip_originals(&mut copies, &mut problems);
    copies.extend(cards.copies);
    copies.extend(images::publish(&images, &mut problems));
    problems.stop_on_errors()?;
    timings.lap("images");
    files.extend(site_files::site_files(&site, &markdown, &flows));
    files.extend(deploy::deploy_files(&site, &site.config.csp));
    // The site's own robots.txt, _headers or _redirects in static/ replace cairn's.
    files.retain(|file| {
        !(site_files::REPLACEABLE.contains(&file.path.as_str())
            && copies.iter().any(|copy| copy.path == file.path))
    });
    timings.lap("feeds and sitemap");
    problems.sort();
    Ok(Generated {
        stats: incremental::RebuildStats {
            markdown: markdown.stats,
            pages: page_stats,
        },
        site,
        markdown,
        files,
        copies,
        warnings: problems,
        timings,
    })
}

/// Reads `site.yaml`, with the options' overrides applied.
fn load_config(options: &BuildOptions) -> Result<Config, Diagnostic> {
    let mut config = Config::load(&options.root)?;
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
    Ok(config)
}
