//! cairn: a static site generator. Markdown with YAML front matter in, a themed static site out.
//!
//! The build is a one-way pipeline of plain data, readable in [`build`]:
//! load (config, theme, templates, content) → render Markdown → template → site files → emit.

// Errors are `Diagnostic`s, which carry the source line for display. They are only built on
// the failure path, so their size costs nothing worth boxing them for.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod fingerprint;
pub mod fuzzing;
pub mod markdown;
pub mod output;
pub mod render;
pub mod search;
pub mod site_files;
pub mod slug;
pub mod suggest;
pub mod templates;
pub mod theme;
pub mod yaml;

use std::path::{Path, PathBuf};
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
}

impl BuildOptions {
    /// Options to build the site at `root` into `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            base_url: None,
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
}

/// Builds the site: renders everything in memory, then writes the output folder.
///
/// On any error nothing is written, so the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir)?;
    let rendered = render_site(options)?;
    let write = output::write(&output_dir, rendered.files, rendered.copies).map_err(|error| {
        Diagnostic::error(format!(
            "cannot write the output folder {}: {error}",
            output_dir.display()
        ))
        .help("check that the folder is writable and the disk is not full")
    })?;
    Ok(BuildReport {
        pages: rendered.site.pages.len(),
        sections: rendered.site.sections.len(),
        write,
        warnings: rendered.warnings,
        elapsed: started.elapsed(),
    })
}

/// Runs every stage up to, not including, writing files.
pub fn render_site(options: &BuildOptions) -> Result<RenderedOutput, Diagnostics> {
    let root = options.root.as_path();
    let mut config = Config::load(root)?;
    if let Some(url) = &options.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|message| {
            Diagnostic::error(message)
                .help("pass an absolute URL, e.g. --base-url https://example.org/guide/")
        })?;
    }
    let chain = theme::resolve(root, &config)?;
    let templates = Templates::load(root, &chain)?;
    let load_options = LoadOptions {
        drafts: options.drafts,
    };
    let (site, mut problems) = content::load(root, config, load_options)?;
    problems.extend(templates::pages::check_template_names(&site, &templates).0);
    let rendered = match render::render_site(&site) {
        Ok(rendered) if !problems.has_errors() => rendered,
        Ok(_) => return Err(problems),
        Err(render_problems) => {
            problems.extend(render_problems.0);
            return Err(problems);
        }
    };
    let generated_assets = vec![OutputFile {
        path: "css/syntax.css".into(),
        bytes: markdown::highlight_stylesheet().into_bytes(),
    }];
    let (copies, mut files, assets) = fingerprint::fingerprint(
        static_copies(root, &chain, &site),
        generated_assets,
        &site.config.base_url,
    )
    .map_err(|error| {
        Diagnostic::error(format!("cannot read a static file: {error}"))
            .help("check that the theme's and the site's static files are readable")
    })?;
    let values = SiteValues::build(&site, &rendered);
    templates.set_site(values.lookup(&site, assets));
    files.extend(templates::pages::render_pages(&site, &values, &templates)?);
    files.extend(site_files::site_files(&site, &rendered));
    // Search: the index shards and the page listing every page.
    files.extend(search::search_files(&site, &rendered, &values, &templates)?);
    files.extend(deploy::deploy_files(&site, &site.config.csp));
    Ok(RenderedOutput {
        site,
        files,
        copies,
        warnings: Diagnostics::default(),
    })
}

/// Static files in override order: the theme chain from the most general theme, then the
/// site's `static/`, then content assets.
fn static_copies(root: &Path, chain: &theme::ThemeChain, site: &Site) -> Vec<CopiedFile> {
    let mut copies = Vec::new();
    let mut dirs: Vec<PathBuf> = chain.0.iter().rev().map(|t| t.static_dir()).collect();
    dirs.push(root.join("static"));
    for dir in dirs {
        let mut found: Vec<CopiedFile> = walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| CopiedFile {
                path: e
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/"),
                source: e.path().to_path_buf(),
            })
            .collect();
        found.sort_by(|a, b| a.path.cmp(&b.path));
        copies.extend(found);
    }
    for asset in site
        .assets
        .iter()
        .chain(site.pages.iter().flat_map(|p| &p.assets))
    {
        copies.push(CopiedFile {
            source: asset.source.clone(),
            path: asset.output.clone(),
        });
    }
    copies
}
