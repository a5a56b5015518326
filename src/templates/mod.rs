//! Templates: tera, with the theme chain's templates and the site's own overrides.
//!
//! Every template of every theme in the chain is registered as `<theme>/<name>`, so a theme
//! can extend its parent's template (`{% extends "default/base.html" %}`). The bare name
//! (`base.html`) is the most specific one: the site's `templates/` first, then the theme,
//! then the themes it extends. Templates are parsed once per build.

pub mod deps;
mod filters;
pub mod functions;
pub mod jobs;
mod loaded;
pub mod render;
pub mod value_hash;
pub mod values;

pub use jobs::Job;
pub use loaded::{TemplateMemo, load};
pub use render::PageMemo;
pub use values::{ShareImages, SiteValues, ValueMemo};

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tera::{ErrorKind, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::theme::ThemeChain;

/// The parsed templates plus the files they came from, for error locations.
pub struct Templates {
    tera: Tera,
    files: HashMap<String, SourceFile>,
    lookup: functions::LookupSlot,
    /// Tells this parse from every other in this process: pages rendered by another
    /// template set are not reused.
    generation: u64,
}

/// The number of the next parse.
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

/// Every template a theme must provide (possibly through the theme it extends).
pub const REQUIRED: &[&str] = &[
    "base.html",
    "index.html",
    "section.html",
    "page.html",
    "taxonomy_list.html",
    "taxonomy_single.html",
    "404.html",
];

impl Templates {
    /// Loads and parses every template of the chain and of the site's `templates/`;
    /// `None` when one cannot be read or parsed (the problems say which).
    pub fn load(root: &Path, chain: &ThemeChain, problems: &mut Diagnostics) -> Option<Templates> {
        let mut found = Diagnostics::default();
        let templates = Self::parse(root, chain, &mut found);
        problems.extend(found);
        templates
    }

    /// [`Templates::load`], reporting into `problems`, which starts empty.
    fn parse(root: &Path, chain: &ThemeChain, problems: &mut Diagnostics) -> Option<Templates> {
        let mut sources: Vec<(String, SourceFile)> = Vec::new();
        let mut bare: HashMap<String, SourceFile> = HashMap::new();
        let site_dir = root.join("templates");
        let mut layers = vec![(None, site_dir, chain.site_rules(root))];
        layers.extend(
            chain
                .0
                .iter()
                .map(|t| (Some(t.name.clone()), t.templates_dir(), t.rules.clone())),
        );
        for (theme, dir, rules) in layers {
            for crate::walk::Found { path, rel } in crate::walk::files(&dir, &rules, problems) {
                let rel = String::from(rel);
                let display = SourceFile::display_name(root, &path);
                let text = match std::fs::read_to_string(&path) {
                    Ok(text) => text,
                    Err(error) => {
                        problems.push(
                            Diagnostic::error(format!(
                                "cannot read template: {}",
                                crate::diagnostics::io_reason(&error)
                            ))
                            .in_file(display)
                            .help("templates must be UTF-8 text files cairn may read"),
                        );
                        continue;
                    }
                };
                let source = SourceFile::new(display, text);
                if let Some(theme) = &theme {
                    sources.push((format!("{theme}/{rel}"), source.clone()));
                }
                bare.entry(rel).or_insert(source);
            }
        }
        if problems.has_errors() {
            return None;
        }
        sources.extend(bare);
        sources.sort_by(|a, b| a.0.cmp(&b.0));

        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        filters::register(&mut tera);
        let lookup = functions::LookupSlot::default();
        functions::register_functions(&mut tera, lookup.clone());
        let files: HashMap<String, SourceFile> = sources.iter().cloned().collect();
        let batch = sources
            .iter()
            .map(|(name, source)| (name.as_str(), &*source.text));
        if let Err(error) = tera.add_raw_templates(batch) {
            // tera stops at the first error; later ones show up once it is fixed.
            problems.extend(load_diagnostics(&error, &files));
            return None;
        }
        for (_, source) in &sources {
            filters::json_in_double_quotes(source, problems);
        }
        for name in REQUIRED {
            if !tera.contains_template(name) {
                let themes: Vec<&str> = chain.0.iter().map(|t| t.name.as_str()).collect();
                problems.push(
                    Diagnostic::error(format!(
                        "no template `{name}` in the theme `{}`",
                        themes.join("` or `")
                    ))
                    .in_file(format!(
                        "themes/{}/templates/{name}",
                        themes.first().copied().unwrap_or("default")
                    ))
                    .help(format!("add templates/{name} to the site or the theme")),
                );
            }
        }
        if problems.has_errors() {
            return None;
        }
        Some(Templates {
            tera,
            files,
            lookup,
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// True when a template of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// All template names, for "did you mean" hints.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The number telling this parse from every other.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Gives templates access to site data through functions (`get_page` and friends).
    pub fn set_site(&self, lookup: functions::SiteLookup) {
        self.lookup.set(lookup);
    }

    /// Withdraws the site data from the template functions once every page is rendered;
    /// the caller decides when it is freed.
    pub fn take_site(&self) -> Option<Arc<functions::SiteLookup>> {
        self.lookup.take()
    }

    /// The site data the template functions see in the current build.
    pub fn lookup(&self) -> Option<Arc<functions::SiteLookup>> {
        self.lookup.current()
    }

    /// Renders a template; an error names the template file, line and column.
    ///
    /// The page is kept until the output is written, with every other page: its buffer
    /// is trimmed to its length, which saves up to half of it on a big site.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map(|mut html| {
                html.shrink_to_fit();
                html
            })
            .map_err(|error| template_diagnostic(&error, &self.files))
    }
}

/// Diagnostics for an error found while loading templates.
///
/// tera checks filters, functions and includes of all templates at once and returns the
/// reports as one pre-rendered message; it is split back into one diagnostic per report so
/// each points into its file like every other cairn error.
fn load_diagnostics(error: &tera::Error, files: &HashMap<String, SourceFile>) -> Vec<Diagnostic> {
    let ErrorKind::Msg(text) = error.kind() else {
        return vec![template_diagnostic(error, files)];
    };
    let mut found = Vec::new();
    for report in text.split("error: ").filter(|r| !r.trim().is_empty()) {
        let message = report.lines().next().unwrap_or("").trim();
        let location = report
            .lines()
            .find_map(|line| line.trim_start().strip_prefix("--> "))
            .and_then(|loc| {
                let mut parts = loc.trim().rsplitn(3, ':');
                let column: usize = parts.next()?.parse().ok()?;
                let line: usize = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_string(), line, column))
            });
        let carets = report
            .lines()
            .find(|line| line.contains('^'))
            .map_or(1, |line| line.matches('^').count());
        let diagnostic = Diagnostic::error(format!("template error: {message}"));
        found.push(
            match location
                .and_then(|(name, line, column)| files.get(&name).map(|f| (f, line, column)))
            {
                Some((source, line, column)) => {
                    let line_start = source.line_offset(line);
                    let start = source.text[line_start..]
                        .char_indices()
                        .nth(column.saturating_sub(1))
                        .map_or(source.text.len(), |(i, _)| line_start + i);
                    diagnostic
                        .at(source, start..start + carets)
                        .help("fix the template; see the template reference in the cairn guide")
                }
                None => diagnostic,
            },
        );
    }
    if found.is_empty() {
        found.push(template_diagnostic(error, files));
    }
    found
}

/// Turns a tera error into a diagnostic pointing into the template file.
fn template_diagnostic(error: &tera::Error, files: &HashMap<String, SourceFile>) -> Diagnostic {
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let message = format!("template error: {}", report.message());
            match files.get(report.filename()) {
                Some(source) => Diagnostic::error(message)
                    .at(source, report.span().range.clone())
                    .help("fix the template; see the template reference in the cairn guide"),
                None => Diagnostic::error(message).in_file(report.filename().to_string()),
            }
        }
        ErrorKind::TemplateNotFound(name) => {
            let best = crate::suggest::closest(name, files.keys().map(String::as_str));
            Diagnostic::error(format!("template error: no template named `{name}`"))
                .maybe_help(best.map(|b| format!("did you mean `{b}`?")))
        }
        ErrorKind::MissingParent { current, parent } => {
            let mut diagnostic = Diagnostic::error(format!(
                "template error: `{current}` extends `{parent}`, which does not exist"
            ));
            if let Some(source) = files.get(current) {
                let offset = source.text.find(parent.as_str()).unwrap_or(0);
                diagnostic = diagnostic.at(source, offset..offset + parent.len());
            }
            diagnostic.help("extend a template of this theme or of the theme it extends, e.g. `default/base.html`")
        }
        _ => Diagnostic::error(format!("template error: {error}")),
    }
}
