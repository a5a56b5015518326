//! cairn: a static site generator. Markdown with YAML front matter in, a themed static site out.
//!
//! The build is a one-way pipeline of plain data, readable in [`build`] and [`generate`]:
//! load (config, theme, templates, content) → render Markdown → template values →
//! templates (one list of page jobs: pages, sections, tags, the search listing, quizzes) →
//! site files → write, with the search index made from the pages' text alongside the
//! templates (after them on the largest sites). Every stage takes its memo from a
//! [`incremental::BuildCache`]: a one-off build passes memos that remember nothing, and
//! `cairn serve` keeps one cache for its whole run, so it redoes only what an edit changed.

// Errors are `Diagnostic`s, which carry the source line for display. They are only built on
// the failure path, so their size costs nothing worth boxing them for.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod cards;
pub mod check;
pub mod code_cache;
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
pub mod unchanged;
pub mod walk;
pub mod yaml;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use config::{BaseUrl, Config};
use content::{LoadOptions, Site};
use diagnostics::{Diagnostic, Diagnostics};
use output::{CopiedFile, Emitted, Emitter, OutputFile, WriteReport};
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
    /// The drafts left out (built without `--drafts`), as `content/…` paths in order.
    pub drafts: Vec<String>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Wall and CPU time of each stage.
    pub timings: timings::StageTimings,
    /// True when nothing the build reads had changed since the last build, so nothing was
    /// built ([`unchanged`]).
    pub nothing_changed: bool,
}

/// What a build made, besides its files: the site, its rendered Markdown, the warnings and
/// what it took.
pub struct Generated {
    /// The loaded site.
    pub site: Site,
    /// Every page's rendered Markdown (the search index is made from it).
    pub markdown: SiteMarkdown,
    /// The site's compiled quizzes (the search index holds their pages too).
    pub flows: Vec<quiz::CompiledFlow>,
    /// Generated files (pages, feeds, sitemap…), when the build was kept in memory
    /// ([`build_in_memory`]); empty when it went to disk.
    pub files: Vec<OutputFile>,
    /// Files copied as they are, likewise.
    pub copies: Vec<CopiedFile>,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// What the build made again and what it reused.
    pub stats: incremental::RebuildStats,
    /// Wall and CPU time of each stage so far.
    pub timings: timings::StageTimings,
}

/// Builds the site into its output folder: every stage in order, each file staged as soon
/// as it is made, and all of them put in place only when the whole build has succeeded.
///
/// A failed build changes nothing, so the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir)?;
    let manifest = output::manifest_path(&options.root, &output_dir);
    let inputs = unchanged::inputs(options);
    if let Some(inputs) = inputs
        && let Some(last) = unchanged::check(options, &manifest, inputs)
    {
        let mut timings = timings::StageTimings::start();
        timings.lap("nothing changed");
        return Ok(BuildReport {
            pages: last.pages,
            sections: last.sections,
            write: WriteReport {
                unchanged: last.files,
                ..WriteReport::default()
            },
            warnings: last.warnings.into_iter().collect(),
            drafts: last.drafts,
            elapsed: started.elapsed(),
            timings,
            nothing_changed: true,
        });
    }
    let writer = output::open(&output_dir, Some(manifest.clone()))?;
    let emitter = Emitter::to_disk(writer, output_dir);
    let mut generated = build_into(options, &incremental::BuildCache::lean(), &emitter)?;
    let write = emitter.finish()?.commit()?;
    generated.timings.lap("write");
    let mut drafts: Vec<String> = (generated.site.drafts.iter())
        .map(|key| format!("content/{key}"))
        .collect();
    drafts.sort();
    let report = BuildReport {
        drafts,
        pages: generated.site.pages.len(),
        sections: generated.site.published_sections().count(),
        write,
        warnings: generated.warnings,
        elapsed: started.elapsed(),
        timings: generated.timings,
        nothing_changed: false,
    };
    if let Some(inputs) = inputs {
        let files = write.written + write.unchanged;
        unchanged::record(&manifest, &unchanged::Record::new(inputs, &report, files));
    }
    Ok(report)
}

/// The whole build kept in memory: every file in [`Generated::files`] and
/// [`Generated::copies`]. What `cairn check` inspects.
pub fn build_in_memory(
    options: &BuildOptions,
    cache: &incremental::BuildCache,
) -> Result<Generated, Diagnostics> {
    let emitter = Emitter::in_memory();
    let mut generated = build_into(options, cache, &emitter)?;
    if let Emitted::Memory { files, copies } = emitter.finish()? {
        generated.files = files;
        generated.copies = copies;
    }
    Ok(generated)
}

/// How much more memory making the search index alongside the templates may take: above
/// it the index is made after them, once the pages' HTML is freed, as memory must stay
/// bounded as sites grow. With [`INDEX_BYTES_PER_TEXT_BYTE`], about 75 MiB of indexed
/// text: some 15,000 pages of 600 words.
const ALONGSIDE_BUDGET: usize = 512 << 20;

/// The index's working memory at its peak for each byte of indexed text, rounded up from
/// measured builds (6.5 at 10,000 pages, 4.1 at 100,000).
const INDEX_BYTES_PER_TEXT_BYTE: usize = 7;

/// Whether an index of `text_bytes` of text is made alongside the templates: when its
/// working memory fits [`ALONGSIDE_BUDGET`].
fn index_alongside(text_bytes: usize) -> bool {
    text_bytes.saturating_mul(INDEX_BYTES_PER_TEXT_BYTE) <= ALONGSIDE_BUDGET
}

/// Every stage, every file handed to `emitter`: the site is prepared, then published
/// through the templates, and indexed for search.
///
/// No page depends on the index (pages name only the fixed `search/index.json`), so on all
/// but the largest sites the index is made while the templates run: the two largest stages
/// share the cores, each filling the stretches where the other would leave one idle (the
/// index's planning, the templates' site values). The index takes only the pages' text
/// before it starts, so their HTML is freed as soon as the templates are done with it.
/// Past [`ALONGSIDE_BUDGET`] it is made after the templates instead, so that the two
/// stages never hold their data at the same time.
pub fn build_into(
    options: &BuildOptions,
    cache: &incremental::BuildCache,
    emitter: &Emitter,
) -> Result<Generated, Diagnostics> {
    let mut prepared = prepare(options, cache, emitter)?;
    if cache.releases_sources() {
        prepared.site.release_sources();
    }
    let index = search::site_index(
        &prepared.site,
        &prepared.markdown,
        &prepared.flows,
        &cache.search,
    );
    let make_index = |index: search::IndexJob| {
        let started = Instant::now();
        emitter.files(index.run());
        started.elapsed()
    };
    let (mut generated, index_wall) = if index_alongside(index.text_bytes()) {
        let (published, index_wall) =
            rayon::join(|| publish(prepared, cache, emitter), || make_index(index));
        (published?, index_wall)
    } else {
        let generated = publish(prepared, cache, emitter)?;
        (generated, make_index(index))
    };
    generated.markdown.release(render::Release::SearchText);
    generated.timings.lap("search index (rest)");
    generated
        .timings
        .alongside("search index in all", index_wall);
    Ok(generated)
}

/// Every stage but the search index (which `cairn serve` makes once the pages are served).
pub fn generate(
    options: &BuildOptions,
    cache: &incremental::BuildCache,
    emitter: &Emitter,
) -> Result<Generated, Diagnostics> {
    let prepared = prepare(options, cache, emitter)?;
    publish(prepared, cache, emitter)
}

/// A site loaded and rendered to Markdown, its quizzes compiled, its assets and share cards
/// emitted: what the search index and the templates are made from.
pub struct Prepared {
    site: Site,
    markdown: SiteMarkdown,
    flows: Vec<quiz::CompiledFlow>,
    templates: std::sync::Arc<templates::Templates>,
    assets: assets::AssetMap,
    /// The site's images, and the variants the pages asked for so far.
    images: std::sync::Arc<images::Catalog>,
    /// Every page's and section's share image.
    share_images: templates::ShareImages,
    /// Generated files the site's `static/` replaces.
    replaced: Vec<paths::RelPath>,
    problems: Diagnostics,
    timings: timings::StageTimings,
}

/// The stages up to the templates: config, theme and templates, content, static files and
/// the image catalog, Markdown, quizzes, published originals without their metadata, share
/// cards. Stops after the stage where the first error was found, with every
/// problem found so far.
pub fn prepare(
    options: &BuildOptions,
    cache: &incremental::BuildCache,
    emitter: &Emitter,
) -> Result<Prepared, Diagnostics> {
    let root = options.root.as_path();
    let mut problems = Diagnostics::default();
    let mut timings = timings::StageTimings::start();
    let config = load_config(options)?;
    // The image store's index (a line per image and per stored file) is read while the
    // content loads; the catalog needs it only after.
    let store_ahead = {
        let root = root.to_path_buf();
        std::thread::Builder::new()
            .name("cairn-store-open".into())
            .spawn(move || images::store::Store::open(&root))
            .ok()
    };
    problems.extend(config.warnings.iter().cloned());
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
    emitter.seed(site.claims.clone());
    templates::jobs::check_template_names(&site, &templates, &mut problems);
    timings.lap("load content");
    // Static files first: the image catalog needs them, and Markdown needs the catalog.
    let assets = assets::collect(root, &chain, &site, options.fingerprint, &mut problems);
    let Some(assets) = assets else {
        return Err(problems);
    };
    timings.lap("static assets");
    let store = match store_ahead.map(std::thread::JoinHandle::join) {
        Some(Ok(store)) => store,
        _ => images::store::Store::open(root),
    };
    let images = std::sync::Arc::new(images::catalog(
        root,
        store,
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
    // The site's own robots.txt, _headers or _redirects in static/ replace cairn's.
    let replaced = assets
        .copies
        .iter()
        .filter(|copy| site_files::REPLACEABLE.contains(&copy.path.as_str()))
        .map(|copy| copy.path.clone())
        .collect();
    let mut copies = assets.copies;
    images.strip_originals(&mut copies, &mut problems);
    emitter.files(assets.files);
    emitter.copies(copies);
    timings.lap("image metadata");
    let cards = cards::cards(&site, &chain, &templates, images.store(), &mut problems);
    emitter.copies(cards.copies);
    timings.lap("share cards");
    Ok(Prepared {
        site,
        markdown,
        flows,
        templates,
        assets: assets.map,
        images,
        share_images: cards.images,
        replaced,
        problems,
        timings,
    })
}

/// The stages from the template values on: site files (sitemap, feed, deploy files), then
/// every HTML page through the templates, then the resized images they asked for.
pub fn publish(
    prepared: Prepared,
    cache: &incremental::BuildCache,
    emitter: &Emitter,
) -> Result<Generated, Diagnostics> {
    let Prepared {
        site,
        mut markdown,
        flows,
        templates,
        assets,
        images,
        share_images,
        replaced,
        mut problems,
        mut timings,
    } = prepared;
    let quiz_titles = flows
        .iter()
        .map(|flow| (flow.key.clone(), flow.title.clone()))
        .collect();
    let values = SiteValues::build(&site, &markdown, &quiz_titles, &share_images, &cache.values);
    let site_files = site_files::site_files(&site, &markdown, &flows)
        .into_iter()
        .chain(deploy::deploy_files(&site, &site.config.csp))
        .filter(|file| !replaced.contains(&file.path));
    emitter.files(site_files);
    timings.lap("values, feeds and sitemap");
    templates.set_site(values.lookup(&site, assets, images.clone()));
    let mut jobs = templates::jobs::site_jobs(&site, &values, &mut problems);
    let listing = search::listing::job(&site, &markdown, &values, &templates, &cache.values);
    jobs.extend(listing?);
    let (quiz_jobs, quiz_files) =
        quiz::pages::jobs(&site, &flows, &values, &templates, &mut problems);
    jobs.extend(quiz_jobs);
    emitter.files(quiz_files);
    let page_stats =
        templates::render::render(jobs, &templates, &cache.pages, emitter, &mut problems);
    cache.release((templates.take_site(), values));
    // The pages' values, made from the HTML as each page was rendered, are gone.
    markdown.release(render::Release::Html);
    problems.stop_on_errors()?;
    timings.lap("templates");
    // The variants the pages and templates asked for, made now that every page is known.
    emitter.copies(images::publish(&images, &mut problems));
    problems.stop_on_errors()?;
    timings.lap("images");
    problems.sort();
    Ok(Generated {
        stats: incremental::RebuildStats {
            markdown: markdown.stats,
            pages: page_stats,
        },
        site,
        markdown,
        flows,
        files: Vec::new(),
        copies: Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::index_alongside;

    #[test]
    fn the_index_runs_alongside_the_templates_only_within_its_memory_budget() {
        // The shipped site and a 10,000-page site (43 MB of text) alongside; a
        // 100,000-page site (430 MB) after, so its memory stays bounded.
        assert!(index_alongside(0));
        assert!(index_alongside(200_000));
        assert!(index_alongside(43_000_000));
        assert!(!index_alongside(430_000_000));
        assert!(!index_alongside(usize::MAX));
    }
}
