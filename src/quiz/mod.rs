//! Quizzes: decision flows written in YAML, checked like code, published as static pages.
//!
//! A flow (`content/quiz/<name>.yaml`) has questions whose answers lead to further
//! questions or to outcomes. [`compile()`] checks it and reports every mistake with its
//! line and column; [`pages`] turns a compiled flow into one static page per question and
//! outcome plus the JSON `quiz.js` runs the flow from; [`export`] draws it.

pub mod compile;
pub mod export;
pub mod graph;
pub mod pages;
pub mod schema;
mod walkthrough;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use compile::{Compilation, CompiledFlow, SiteLinks, compile};

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::markdown::MarkdownOptions;
use crate::memo::Memo;
use crate::render::{self, SiteMarkdown};

/// Compiles every flow of the site in parallel; also refuses a question or outcome whose
/// page would land on the URL of a page or section.
pub fn compile_site(
    site: &Site,
    rendered: &SiteMarkdown,
    problems: &mut Diagnostics,
) -> Vec<CompiledFlow> {
    let links = SiteLinks::new(site, rendered);
    let options = MarkdownOptions {
        unsafe_html: site.config.unsafe_html,
        ..MarkdownOptions::default()
    };
    let aliases = quiz_aliases(site);
    let results: Vec<(Option<CompiledFlow>, Diagnostics)> = site
        .flows
        .par_iter()
        .map(|file| {
            let source = match content::walk::read_source(&site.root, &file.path) {
                Ok(source) => source,
                Err(problem) => return (None, problem.into()),
            };
            let mut compilation = compile(&source, &file.key, Some(&links), &options);
            if let Some(written) = &compilation.written {
                check_aliases(
                    &aliases,
                    &file.site_path,
                    written,
                    &source,
                    &mut compilation.problems,
                );
            }
            let flow = compilation
                .flow
                .filter(|_| !compilation.problems.has_errors());
            (flow, compilation.problems)
        })
        .collect();
    let mut flows = Vec::new();
    for (flow, found) in results {
        flows.extend(flow);
        problems.extend(found);
    }
    flows
}

/// Every alias below `quiz/` → the page that has it, lowercased like the content model's
/// URL claims. Questions and outcomes publish `/quiz/<name>/<id>/`; a page or section
/// cannot land there (its folder would collide with the quiz's own URL, which the content
/// model reports), but an alias can, and would silently replace a quiz page.
fn quiz_aliases(site: &Site) -> HashMap<String, &str> {
    site.pages
        .iter()
        .flat_map(|page| {
            page.front
                .aliases
                .iter()
                .filter_map(|alias| crate::paths::alias_path(&alias.value).ok())
                .filter(|path| path.starts_with(content::QUIZ_DIR))
                .map(|path| (path.to_lowercase(), page.source.name.as_str()))
        })
        .collect()
}

/// Refuses ids whose page an alias (from [`quiz_aliases`]) would overwrite.
fn check_aliases(
    aliases: &HashMap<String, &str>,
    quiz_path: &str,
    written: &schema::FlowSource,
    source: &SourceFile,
    problems: &mut Diagnostics,
) {
    if aliases.is_empty() {
        return;
    }
    let ids = written
        .questions
        .iter()
        .map(|q| &q.id)
        .chain(written.outcomes.iter().map(|o| &o.id));
    for id in ids {
        let path = format!("{quiz_path}{}/", id.value).to_lowercase();
        if let Some(page) = aliases.get(&path) {
            problems.push(
                Diagnostic::error(format!("this id's page /{path} is also an alias of {page}"))
                    .at(source, id.range.clone())
                    .help("rename the id, or remove the alias from the page"),
            );
        }
    }
}

/// The result of `cairn quiz check` on one file.
pub struct FileCheck {
    /// What compiling the flow produced.
    pub compilation: Compilation,
    /// The flow's file as diagnostics name it.
    pub source: Option<SourceFile>,
    /// The site the flow was checked in, if one was found above the file.
    pub site_root: Option<PathBuf>,
}

/// Compiles one flow file on its own, for `cairn quiz check` and `cairn quiz graph`.
///
/// When a `site.yaml` is found in the file's folder or above, the site around it is loaded
/// (without templates) so `read` links and links in Markdown are checked as in a build;
/// otherwise links are left unchecked and a warning says so.
pub fn check_file(file: &Path) -> FileCheck {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let site_root = absolute
        .ancestors()
        .skip(1)
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf);
    let (name, key) = match &site_root {
        Some(root) => {
            let content_dir = root.join("content");
            let key = absolute
                .strip_prefix(&content_dir)
                .map(|rel| rel.to_string_lossy().replace('\\', "/"))
                .ok();
            (SourceFile::display_name(root, &absolute), key)
        }
        None => (file.to_string_lossy().replace('\\', "/"), None),
    };
    let is_yaml = absolute
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if !is_yaml {
        return failed(
            Diagnostic::error("this is not a quiz flow: flows are `.yaml` files")
                .in_file(name)
                .help("pass a flow such as content/quiz/my-quiz.yaml; `cairn build` and `cairn check` check Markdown pages"),
            site_root,
        );
    }
    let source = match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => SourceFile::new(name, text),
            Err(_) => {
                return failed(
                    Diagnostic::error("the file is not valid UTF-8 text")
                        .in_file(name)
                        .help("save the file as UTF-8"),
                    site_root,
                );
            }
        },
        Err(error) => {
            return failed(
                Diagnostic::error(format!(
                    "cannot read the flow: {}",
                    crate::diagnostics::io_reason(&error)
                ))
                .in_file(name)
                .help("check the path; flows live in content/quiz/<name>.yaml"),
                site_root,
            );
        }
    };
    let site = match (&site_root, &key) {
        (Some(root), Some(_)) => load_site(root),
        (Some(_), None) => Err("it is not in the site's content/ folder"),
        (None, _) => Err("it is not in the content/ folder of a site"),
    };
    let key = key.unwrap_or_else(|| {
        absolute
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    });
    let mut compilation = match &site {
        Ok((site, rendered)) => {
            let links = SiteLinks::new(site, rendered);
            let options = MarkdownOptions {
                unsafe_html: site.config.unsafe_html,
                ..MarkdownOptions::default()
            };
            compile(&source, &key, Some(&links), &options)
        }
        Err(_) => compile(&source, &key, None, &MarkdownOptions::default()),
    };
    if let Err(why) = &site {
        compilation.problems.push(
            Diagnostic::warning(format!("links in this flow were not checked: {why}"))
                .in_file(source.name.clone())
                .help("check a flow in content/quiz/ of a site (a folder with site.yaml); `cairn build` shows the site's own errors"),
        );
    }
    FileCheck {
        compilation,
        source: Some(source),
        site_root,
    }
}

fn failed(problem: Diagnostic, site_root: Option<PathBuf>) -> FileCheck {
    FileCheck {
        compilation: Compilation {
            problems: problem.into(),
            ..Compilation::default()
        },
        source: None,
        site_root,
    }
}

/// The site's content and rendered Markdown, whatever problems the other files have.
fn load_site(root: &Path) -> Result<(Site, SiteMarkdown), &'static str> {
    let config = Config::load(root).map_err(|_| "the site's site.yaml has errors")?;
    // Only the site's pages and headings matter here; their own problems are the build's.
    let mut ignored = Diagnostics::default();
    let site = content::load(
        root,
        config,
        LoadOptions::default(),
        &Memo::off(),
        &mut ignored,
    )
    .map_err(|_| "the site's content/ folder cannot be read")?;
    let images = crate::images::Catalog::empty(&site.config.base_url);
    let rendered = render::markdown(&site, &images, &Memo::off(), &mut ignored);
    Ok((site, rendered))
}

#[cfg(test)]
mod tests;
