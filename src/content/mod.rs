//! The content model: pages, sections, tags and assets, loaded from `content/`.
//!
//! [`load`] reads every file, parses front matter, gives each page and section its URL,
//! refuses collisions, orders sections and collects tags. The result is plain data that the
//! later stages only read.

pub mod dates;
pub mod front_matter;
pub mod links;
pub mod walk;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::output::{Kind, Origin, Registry};
use crate::paths::{ALIAS_HELP, RelPath, alias_file, alias_path};
use crate::slug;
use crate::yaml;
use dates::PageDate;
use front_matter::{PageFrontMatter, SectionFrontMatter, SortBy};
use walk::{Entry, EntryKind};

/// One Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to `content/`, e.g. `reasons/healing.md`; how links name the page.
    pub key: String,
    /// The file's text, for rendering and diagnostics.
    pub source: SourceFile,
    /// The front matter as written.
    pub front: PageFrontMatter,
    /// Where the Markdown body starts in `source`.
    pub body_start: usize,
    /// Where the front matter YAML starts in `source` (spans in `front` are relative to it).
    pub front_start: usize,
    /// The page's path below the site root, e.g. `reasons/healing/`.
    pub site_path: String,
    /// Index of the section the page belongs to.
    pub section: usize,
    /// Parsed `date`.
    pub date: Option<PageDate>,
    /// Parsed `updated`.
    pub updated: Option<PageDate>,
    /// Files beside a bundle's `index.md`, copied next to its HTML.
    pub assets: Vec<Asset>,
    /// Position in its section's display order.
    pub position: usize,
}

/// A folder of pages, with or without an `_index.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// `<dir>/_index.md` (also when the file does not exist), e.g. `reasons/_index.md`.
    pub key: String,
    /// The folder relative to `content/` (`""` for the home section).
    pub dir: String,
    /// The `_index.md` file, if there is one.
    pub source: Option<SourceFile>,
    /// The front matter as written (defaults without `_index.md`).
    pub front: SectionFrontMatter,
    /// Where the Markdown body starts in `source`.
    pub body_start: usize,
    /// Where the front matter YAML starts in `source`.
    pub front_start: usize,
    /// The title: from front matter, else the folder name (or the site title for home).
    pub title: String,
    /// The section's path below the site root (`""` for home).
    pub site_path: String,
    /// Parent section, `None` for home.
    pub parent: Option<usize>,
    /// Pages in display order.
    pub pages: Vec<usize>,
    /// Child sections, ordered by weight then title.
    pub subsections: Vec<usize>,
}

/// A file copied to the output as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it is read from.
    pub source: PathBuf,
    /// Path below the output root.
    pub output: RelPath,
    /// How diagnostics name it (`content/blog/photo.jpg`).
    pub name: String,
}

/// One tag and the pages carrying it.
#[derive(Debug, Clone)]
pub struct TagTerm {
    /// The tag as first written.
    pub name: String,
    /// Its URL segment.
    pub slug: String,
    /// Path below the site root, `tags/<slug>/`.
    pub site_path: String,
    /// Pages with this tag, newest first, then by title.
    pub pages: Vec<usize>,
}

/// What a content key (`x.md`, `x/_index.md`) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A page, by index.
    Page(usize),
    /// A section, by index.
    Section(usize),
}

/// A quiz flow file (`content/quiz/<name>.yaml`), compiled by the quiz stage.
#[derive(Debug, Clone)]
pub struct FlowFile {
    /// Path relative to `content/`, e.g. `quiz/should-i-contact-my-ex.yaml`.
    pub key: String,
    /// Where it is on disk.
    pub path: PathBuf,
    /// The quiz's path below the site root, `quiz/<name>/`: its first question.
    pub site_path: String,
}

/// The folder under `content/` that holds quiz flows.
pub const QUIZ_DIR: &str = "quiz";

/// The loaded site: everything later stages need, immutable from here on.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.yaml`.
    pub config: Config,
    /// The site root folder.
    pub root: PathBuf,
    /// Every published page.
    pub pages: Vec<Page>,
    /// Every section; index 0 is home.
    pub sections: Vec<Section>,
    /// Every tag, sorted by slug.
    pub tags: Vec<TagTerm>,
    /// Files copied from `content/` as they are.
    pub assets: Vec<Asset>,
    /// Quiz flows.
    pub flows: Vec<FlowFile>,
    /// Content key of every flow → its index in `flows`, for links to quizzes.
    pub flow_keys: HashMap<String, usize>,
    /// Content key → page or section.
    pub targets: HashMap<String, Target>,
    /// Content key of every asset → its output path, for links to images and files.
    pub asset_outputs: HashMap<String, String>,
    /// Draft keys left out of this build (so links to them get a precise error).
    pub drafts: HashSet<String>,
    /// Keys of files that failed to load; links to them are not reported a second time.
    pub failed: HashSet<String>,
    /// The output paths claimed by content (pages, sections, quizzes, aliases, assets);
    /// later stages claim theirs in the same registry.
    pub claims: Registry,
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// The site path prefix reserved for tag pages.
pub const TAGS_PATH: &str = "tags/";

/// Loads `content/` under `root` into a [`Site`], with every problem found.
///
/// Files with errors are left out of the site but named in [`Site::failed`], so the build can
/// go on to find problems in the other files (broken links, say) and report them all at once.
pub fn load(
    root: &Path,
    config: Config,
    options: LoadOptions,
) -> Result<(Site, Diagnostics), Diagnostics> {
    load_cached(root, config, options, None)
}

/// [`load`], reusing files parsed by an earlier build when `cache` is given (`cairn serve`):
/// an unchanged file is neither read nor parsed again.
pub fn load_cached(
    root: &Path,
    config: Config,
    options: LoadOptions,
    cache: Option<&crate::incremental::ParseCache>,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let content_dir = root.join("content");
    let mut problems = Diagnostics::default();
    if !content_dir.is_dir() {
        return Err(Diagnostic::error("there is no content/ folder")
            .in_file("content")
            .help("create content/ with an _index.md for the home page, or start a site with `cairn init DIR`")
            .into());
    }
    let rules = crate::walk::Rules::for_site(root, config.follow_outside_symlinks);
    let (entries, walk_problems) = walk::walk(&content_dir, &rules);
    problems.extend(walk_problems);

    let parsed: Vec<Result<Parsed, (String, Diagnostic)>> = entries
        .par_iter()
        .filter(|e| {
            matches!(
                e.kind,
                EntryKind::Page | EntryKind::BundleIndex | EntryKind::SectionIndex
            )
        })
        .map(|entry| {
            match cache {
                Some(cache) => cache.parse(root, entry),
                None => parse_entry(root, entry),
            }
            .map_err(|d| (entry.rel.to_string(), d))
        })
        .collect();
    let mut page_files = Vec::new();
    let mut section_files = BTreeMap::new();
    let mut failed = HashSet::new();
    for result in parsed {
        match result {
            Ok(Parsed::Page(entry, source, front, split)) => {
                page_files.push((entry, source, front, split))
            }
            Ok(Parsed::Section(entry, source, front, split)) => {
                section_files.insert(parent_dir(&entry.rel).to_string(), (source, front, split));
            }
            Err((rel, diagnostic)) => {
                failed.insert(rel);
                problems.push(diagnostic);
            }
        }
    }

    let bundle_dirs: HashSet<&str> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::BundleIndex)
        .map(|e| parent_dir(&e.rel))
        .collect();
    // The bundle folder holding `rel`, found by walking up its folders.
    let in_bundle = |rel: &str| -> Option<String> {
        let mut dir = parent_dir(rel);
        while !dir.is_empty() {
            if bundle_dirs.contains(dir) {
                return Some(dir.to_string());
            }
            dir = parent_dir(dir);
        }
        None
    };

    let mut builder = Builder {
        config: &config,
        sections: Vec::new(),
        section_by_dir: HashMap::new(),
        registry: Registry::new(),
        problems: &mut problems,
    };
    builder.section_for("", &mut section_files);
    // Sections named by an _index.md exist even when empty.
    let dirs: Vec<String> = section_files.keys().cloned().collect();
    for dir in dirs {
        if in_bundle(&format!("{dir}/_index.md")).is_none() {
            builder.section_for(&dir, &mut section_files);
        }
    }

    let mut pages = Vec::new();
    let mut drafts = HashSet::new();
    for (entry, source, front, split) in page_files {
        if entry.kind == EntryKind::Page
            && let Some(bundle) = in_bundle(&entry.rel)
        {
            builder.problems.push(
                Diagnostic::error("a page bundle holds one page; this Markdown file is inside one")
                    .in_file(source.name.clone())
                    .help(format!(
                        "move it out of `content/{bundle}/`, or rename `{bundle}/index.md` to `{bundle}.md` to make a section"
                    )),
            );
            continue;
        }
        if front.draft && !options.drafts {
            drafts.insert(entry.rel.to_string());
            continue;
        }
        if let Some(page) = builder.page(&entry, source, front, &split) {
            pages.push(page);
        }
    }

    // Assets: files beside bundles go with their page; others keep their folder's URL.
    let mut assets = Vec::new();
    let mut flows = Vec::new();
    let mut asset_outputs = HashMap::new();
    let page_by_key: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.clone(), i))
        .collect();
    for entry in &entries {
        match entry.kind {
            EntryKind::Asset => {
                let name = SourceFile::display_name(root, &entry.path);
                if !builder.config.unsafe_html
                    && let Some(problem) = runs_in_browser(&entry.rel, &name)
                {
                    builder.problems.push(problem);
                    continue;
                }
                let output = match in_bundle(&entry.rel) {
                    Some(bundle) => {
                        let Some(index) = page_by_key.get(&format!("{bundle}/index.md")) else {
                            continue;
                        };
                        asset_output(&entry.rel, Some((&bundle, &pages[*index].site_path)))
                    }
                    None => asset_output(&entry.rel, None),
                };
                let Some(output) = builder.claim(&output, Origin::file(Kind::Asset, &*name)) else {
                    continue;
                };
                asset_outputs.insert(entry.rel.to_string(), output.to_string());
                let asset = Asset {
                    source: entry.path.clone(),
                    output,
                    name,
                };
                match in_bundle(&entry.rel)
                    .and_then(|bundle| page_by_key.get(&format!("{bundle}/index.md")))
                {
                    Some(index) => pages[*index].assets.push(asset),
                    None => assets.push(asset),
                }
            }
            EntryKind::Flow => {
                if let Some(flow) = flow_file(entry, root, &mut builder) {
                    flows.push(flow);
                }
            }
            _ => {}
        }
    }

    let Builder {
        mut sections,
        registry,
        ..
    } = builder;
    for (index, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(index);
    }
    for section in &mut sections {
        sort_pages(&mut section.pages, &pages, section.front.sort_by);
        for (position, index) in section.pages.iter().enumerate() {
            pages[*index].position = position;
        }
    }
    let order: Vec<(Option<i64>, String)> = sections
        .iter()
        .map(|s| (s.front.weight, s.title.to_lowercase()))
        .collect();
    for section in &mut sections {
        section
            .subsections
            .sort_by(|a, b| order[*a].cmp(&order[*b]).then(a.cmp(b)));
    }

    let tags = collect_tags(&pages, &mut problems);
    let mut site = Site {
        config,
        root: root.to_path_buf(),
        targets: HashMap::new(),
        pages,
        sections,
        tags,
        assets,
        flow_keys: flows
            .iter()
            .enumerate()
            .map(|(i, f)| (f.key.clone(), i))
            .collect(),
        flows,
        asset_outputs,
        drafts,
        failed,
        claims: registry,
    };
    check_path_claims(&site, &mut problems);
    for (index, page) in site.pages.iter().enumerate() {
        site.targets.insert(page.key.clone(), Target::Page(index));
    }
    for (index, section) in site.sections.iter().enumerate() {
        site.targets
            .insert(section.key.clone(), Target::Section(index));
    }
    Ok((site, problems))
}

/// A content file read and its front matter parsed (kept by `incremental::ParseCache`).
#[derive(Clone)]
pub(crate) enum Parsed {
    Page(Entry, SourceFile, PageFrontMatter, front_matter::Split),
    Section(Entry, SourceFile, SectionFrontMatter, front_matter::Split),
}

pub(crate) fn parse_entry(root: &Path, entry: &Entry) -> Result<Parsed, Diagnostic> {
    let source = walk::read_source(root, &entry.path)?;
    if entry.kind == EntryKind::SectionIndex {
        let (front, split) = front_matter::parse::<SectionFrontMatter>(&source)?;
        Ok(Parsed::Section(entry.clone(), source, front, split))
    } else {
        let (front, split) = front_matter::parse::<PageFrontMatter>(&source)?;
        Ok(Parsed::Page(entry.clone(), source, front, split))
    }
}

/// A `.yaml` file under `content/`: a quiz flow when it is directly in `content/quiz/`,
/// an error anywhere else (cairn gives YAML in content no other meaning, and a misplaced
/// flow must not pass silently). The flow claims its URL like a page does.
fn flow_file(entry: &Entry, root: &Path, builder: &mut Builder) -> Option<FlowFile> {
    let name = SourceFile::display_name(root, &entry.path);
    let Some(file_name) = entry
        .rel
        .strip_prefix(QUIZ_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|rest| !rest.contains('/'))
    else {
        builder.problems.push(
            Diagnostic::error("a YAML file outside content/quiz/: cairn reads YAML in content/ only as quiz flows")
                .in_file(name)
                .help("move it to content/quiz/ to make it a quiz, or to static/ to publish it as it is"),
        );
        return None;
    };
    let stem = file_name
        .strip_suffix(".yaml")
        .or_else(|| file_name.strip_suffix(".yml"))
        .unwrap_or(file_name);
    let slug = slug::slugify(stem);
    if slug.is_empty() {
        builder.problems.push(
            Diagnostic::error("the quiz's file name has no letters or digits to make a URL from")
                .in_file(name)
                .help("rename the file, e.g. content/quiz/my-quiz.yaml"),
        );
        return None;
    }
    let site_path = format!("{QUIZ_DIR}/{slug}/");
    builder.claim(
        &format!("{site_path}index.html"),
        Origin::file(Kind::Quiz, name),
    );
    Some(FlowFile {
        key: entry.rel.to_string(),
        path: entry.path.clone(),
        site_path,
    })
}

/// Where a file from `content/` is published: beside its page when it is in a bundle
/// (`bundle` = the bundle's folder and the page's site path), else in its folder's URL
/// (folders slugified, the file name kept).
pub fn asset_output(rel: &RelPath, bundle: Option<(&str, &str)>) -> String {
    match bundle {
        Some((dir, page_path)) => {
            let inner = rel.get(dir.len() + 1..).unwrap_or(rel.file_name());
            format!("{page_path}{inner}")
        }
        None => format!("{}{}", dir_site_path(rel.parent()), rel.file_name()),
    }
}

/// The folder part of a content-relative path (`""` at the top).
fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// The site path of a content folder: each component slugified, ending with `/`.
fn dir_site_path(dir: &str) -> String {
    let mut path = String::new();
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        let slug = slug::slugify(part);
        path.push_str(if slug.is_empty() { "-" } else { &slug });
        path.push('/');
    }
    path
}

type SectionFiles = BTreeMap<String, (SourceFile, SectionFrontMatter, front_matter::Split)>;

struct Builder<'a> {
    config: &'a Config,
    sections: Vec<Section>,
    section_by_dir: HashMap<String, usize>,
    /// Every output path claimed so far.
    registry: Registry,
    problems: &'a mut Diagnostics,
}

impl Builder<'_> {
    /// The section for `dir`, created (with its ancestors) on first use.
    fn section_for(&mut self, dir: &str, files: &mut SectionFiles) -> usize {
        if let Some(index) = self.section_by_dir.get(dir) {
            return *index;
        }
        let parent = if dir.is_empty() {
            None
        } else {
            Some(self.section_for(parent_dir(dir), files))
        };
        let (source, front, body_start, front_start) = match files.remove(dir) {
            Some((source, front, split)) => {
                (Some(source), front, split.body_start, split.yaml.start)
            }
            None => (None, SectionFrontMatter::default(), 0, 0),
        };
        let folder_name = dir.rsplit('/').next().unwrap_or(dir);
        let title = match &front.title {
            Some(title) => title.value.clone(),
            None if dir.is_empty() => self.config.title.clone(),
            None => folder_name.to_string(),
        };
        let key = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        let site_path = dir_site_path(dir);
        let origin = Origin::file(Kind::Section, section_name(source.as_ref(), dir));
        self.claim(&format!("{site_path}index.html"), origin);
        if let (Some(source), Some(per_page)) = (&source, &front.paginate_by)
            && per_page.value == 0
        {
            self.problems.push(
                Diagnostic::error("paginate_by must be at least 1")
                    .at(source, yaml::range_of(per_page, front_start))
                    .help("remove paginate_by to list every page on one page"),
            );
        }
        let index = self.sections.len();
        self.sections.push(Section {
            key,
            dir: dir.to_string(),
            source,
            front,
            body_start,
            front_start,
            title,
            site_path,
            parent,
            pages: Vec::new(),
            subsections: Vec::new(),
        });
        if let Some(parent) = parent {
            self.sections[parent].subsections.push(index);
        }
        self.section_by_dir.insert(dir.to_string(), index);
        index
    }

    /// Builds a page, or reports why it cannot be built.
    fn page(
        &mut self,
        entry: &Entry,
        source: SourceFile,
        front: PageFrontMatter,
        split: &front_matter::Split,
    ) -> Option<Page> {
        let base = split.yaml.start;
        let (section_dir, default_name) = if entry.kind == EntryKind::BundleIndex {
            let bundle = parent_dir(&entry.rel);
            (
                parent_dir(bundle).to_string(),
                bundle.rsplit('/').next().unwrap_or(bundle).to_string(),
            )
        } else {
            let stem = entry.rel.rsplit('/').next().unwrap_or(&entry.rel);
            (
                parent_dir(&entry.rel).to_string(),
                stem.trim_end_matches(".md").to_string(),
            )
        };
        let mut ok = true;
        if front.title.value.trim().is_empty() {
            self.problems.push(
                Diagnostic::error("the title is empty")
                    .at(&source, yaml::range_of(&front.title, base))
                    .help("give the page a title"),
            );
            ok = false;
        }
        let slug = match &front.slug {
            Some(written) => {
                let slug = slug::slugify(&written.value);
                if slug.is_empty() {
                    self.problems.push(
                        Diagnostic::error(format!(
                            "the slug `{}` has no letters or digits",
                            written.value
                        ))
                        .at(&source, yaml::range_of(written, base))
                        .help("use letters, digits and dashes, e.g. `slug: my-page`"),
                    );
                    ok = false;
                }
                slug
            }
            None => {
                let slug = slug::slugify(&default_name);
                if slug.is_empty() {
                    self.problems.push(
                        Diagnostic::error(
                            "the file name has no letters or digits to make a URL from",
                        )
                        .in_file(source.name.clone())
                        .help("rename the file or set `slug:` in the front matter"),
                    );
                    ok = false;
                }
                slug
            }
        };
        let date = parse_date(&source, base, front.date.as_ref(), self.problems);
        let updated = parse_date(&source, base, front.updated.as_ref(), self.problems);
        if front.date.is_some() && date.is_none() || front.updated.is_some() && updated.is_none() {
            ok = false;
        }
        for tag in &front.tags {
            if slug::slugify(&tag.value).is_empty() {
                self.problems.push(
                    Diagnostic::error(format!("the tag `{}` has no letters or digits", tag.value))
                        .at(&source, yaml::range_of(tag, base))
                        .help("tags become URLs (/tags/<tag>/): use words"),
                );
                ok = false;
            }
        }
        let mut files = SectionFiles::new();
        let section = self.section_for(&section_dir, &mut files);
        let site_path = format!("{}{slug}/", self.sections[section].site_path);
        let mut origin = Origin::file(Kind::Page, &*source.name);
        if let Some(slug) = &front.slug {
            origin = origin.at(&source, yaml::range_of(slug, base));
        }
        self.claim(&format!("{site_path}index.html"), origin);
        for alias in &front.aliases {
            match alias_path(&alias.value) {
                Ok(path) => {
                    let origin = Origin::file(Kind::Alias, &*source.name)
                        .at(&source, yaml::range_of(alias, base));
                    self.claim(&alias_file(&path), origin);
                }
                Err(why) => {
                    self.problems.push(
                        Diagnostic::error(format!(
                            "the alias `{}` cannot be a URL path: {why}",
                            alias.value
                        ))
                        .at(&source, yaml::range_of(alias, base))
                        .help(ALIAS_HELP),
                    );
                    ok = false;
                }
            }
        }
        ok.then(|| Page {
            key: entry.rel.to_string(),
            source,
            front,
            body_start: split.body_start,
            front_start: base,
            site_path,
            section,
            date,
            updated,
            assets: Vec::new(),
            position: 0,
        })
    }

    /// Claims the output file `path` for `origin` in the site's one registry; a second
    /// source for it is an error naming both. The checked path, unless it was refused.
    fn claim(&mut self, path: &str, origin: Origin) -> Option<RelPath> {
        let checked = match RelPath::new(path) {
            Ok(checked) => checked,
            Err(error) => {
                let diagnostic = Diagnostic::error(error.message()).help(error.help());
                self.problems.push(match &origin.at {
                    Some(at) => diagnostic.at(&at.0, at.1.clone()),
                    None => diagnostic.in_file(origin.name.to_string()),
                });
                return None;
            }
        };
        match self.registry.claim(&checked, &origin) {
            Ok(()) => Some(checked),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }
}

/// How a section is named in messages: its `_index.md`, or its folder when it has none.
pub fn section_name(source: Option<&SourceFile>, dir: &str) -> String {
    match source {
        Some(source) => source.name.clone(),
        None if dir.is_empty() => "content/".to_string(),
        None => format!("content/{dir}/"),
    }
}

/// File types a browser runs (or renders with script): from `content/`, where any editor
/// may add files, they would run on the site's own address, which its policy trusts.
const RUNS_IN_BROWSER: &[&str] = &[
    "html", "htm", "shtml", "xhtml", "xht", "xml", "xsl", "xslt", "svg", "svgz", "js", "mjs", "cjs",
];

/// The error for a content file a browser would run, unless `unsafe_html` allows it.
fn runs_in_browser(rel: &RelPath, name: &str) -> Option<Diagnostic> {
    let extension = rel.file_name().rsplit_once('.')?.1.to_ascii_lowercase();
    RUNS_IN_BROWSER.contains(&extension.as_str()).then(|| {
        Diagnostic::error(format!(
            "content/ may not publish `.{extension}` files: a browser runs them, on the site's own address"
        ))
        .in_file(name.to_string())
        .help("move it to static/ if the site's owner vouches for it, or set `unsafe_html: true` in site.yaml if every author is trusted")
    })
}

fn parse_date(
    source: &SourceFile,
    base: usize,
    written: Option<&yaml::Spanned<String>>,
    problems: &mut Diagnostics,
) -> Option<PageDate> {
    let written = written?;
    match dates::parse(&written.value) {
        Ok(date) => Some(date),
        Err(message) => {
            problems.push(
                Diagnostic::error(message)
                    .at(source, yaml::range_of(written, base))
                    .help("write the date as YYYY-MM-DD (e.g. 2024-05-01) or RFC 3339 (e.g. 2024-05-01T09:30:00Z)"),
            );
            None
        }
    }
}

fn sort_pages(indices: &mut [usize], pages: &[Page], sort_by: SortBy) {
    let title = |i: usize| pages[i].front.title.value.to_lowercase();
    match sort_by {
        SortBy::Weight => indices.sort_by(|a, b| {
            let wa = pages[*a].front.weight.unwrap_or(i64::MAX);
            let wb = pages[*b].front.weight.unwrap_or(i64::MAX);
            wa.cmp(&wb)
                .then_with(|| title(*a).cmp(&title(*b)))
                .then(a.cmp(b))
        }),
        SortBy::Date => sort_by_date(indices, pages),
        SortBy::Title => indices.sort_by(|a, b| title(*a).cmp(&title(*b)).then(a.cmp(b))),
    }
}

/// Newest first; undated pages last; ties by title.
fn sort_by_date(indices: &mut [usize], pages: &[Page]) {
    indices.sort_by(|a, b| {
        let da = pages[*a].date.as_ref().map(|d| d.timestamp);
        let db = pages[*b].date.as_ref().map(|d| d.timestamp);
        db.cmp(&da)
            .then_with(|| {
                pages[*a]
                    .front
                    .title
                    .value
                    .to_lowercase()
                    .cmp(&pages[*b].front.title.value.to_lowercase())
            })
            .then(a.cmp(b))
    });
}

fn collect_tags(pages: &[Page], _problems: &mut Diagnostics) -> Vec<TagTerm> {
    let mut by_slug: BTreeMap<String, TagTerm> = BTreeMap::new();
    for (index, page) in pages.iter().enumerate() {
        for tag in &page.front.tags {
            let slug = slug::slugify(&tag.value);
            let term = by_slug.entry(slug.clone()).or_insert_with(|| TagTerm {
                name: tag.value.trim().to_string(),
                site_path: format!("{TAGS_PATH}{slug}/"),
                slug,
                pages: Vec::new(),
            });
            if term.pages.last() != Some(&index) {
                term.pages.push(index);
            }
        }
    }
    let mut tags: Vec<TagTerm> = by_slug.into_values().collect();
    for term in &mut tags {
        sort_by_date(&mut term.pages, pages);
    }
    tags
}

/// Tag pages must not collide with a page or section of the same path.
fn check_path_claims(site: &Site, problems: &mut Diagnostics) {
    if site.tags.is_empty() {
        return;
    }
    for section in &site.sections {
        if section.site_path == TAGS_PATH {
            problems.push(
                Diagnostic::error("the folder content/tags/ collides with the tag pages at /tags/")
                    .in_file(
                        section
                            .source
                            .as_ref()
                            .map_or("content/tags/".to_string(), |s| s.name.clone()),
                    )
                    .help("rename the folder; /tags/ lists the pages' tags"),
            );
        }
    }
    for page in &site.pages {
        if page.site_path.starts_with(TAGS_PATH)
            && site.tags.iter().any(|t| t.site_path == page.site_path)
        {
            problems.push(
                Diagnostic::error(format!(
                    "this page's URL /{} collides with a tag page",
                    page.site_path
                ))
                .in_file(page.source.name.clone())
                .help("give the page another slug"),
            );
        }
    }
}

impl Site {
    /// The section that is the home page.
    pub fn home(&self) -> &Section {
        &self.sections[0]
    }

    /// Previous and next page in the page's section, in display order.
    pub fn neighbours(&self, page: usize) -> (Option<usize>, Option<usize>) {
        let section = &self.sections[self.pages[page].section];
        let position = self.pages[page].position;
        (
            position.checked_sub(1).map(|i| section.pages[i]),
            section.pages.get(position + 1).copied(),
        )
    }

    /// Sections from home down to `section`, inclusive.
    pub fn section_chain(&self, section: usize) -> Vec<usize> {
        let mut chain = vec![section];
        let mut current = section;
        while let Some(parent) = self.sections[current].parent {
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }

    /// Pages with a date, newest first (for feeds and "latest" lists).
    pub fn dated_pages(&self) -> Vec<usize> {
        let mut dated: Vec<usize> = (0..self.pages.len())
            .filter(|i| self.pages[*i].date.is_some())
            .collect();
        sort_by_date(&mut dated, &self.pages);
        dated
    }
}
