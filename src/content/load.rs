//! Loading `content/` into the model, as named phases: find the files, parse their front
//! matter (in parallel, through the parse memo), make the sections, the pages, the assets
//! and the quiz flows (each claiming its URL in the output registry), order them, and
//! collect the tags.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::dates::{self, PageDate};
use super::front_matter::{self, PageFrontMatter, SectionFrontMatter, SortBy};
use super::model::{
    Asset, FlowFile, Page, QUIZ_DIR, Section, Site, TAGS_PATH, TagTerm, Target, section_name,
    sort_by_date,
};
use super::series;
use super::walk::{self, Entry, EntryKind};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::memo::Memo;
use crate::output::{Kind, Origin, Registry};
use crate::paths::{ALIAS_HELP, RelPath, alias_file, alias_path};
use crate::slug;
use crate::stamp::FileStamp;
use crate::yaml;

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// Content files parsed by earlier builds, by path, with the stamp each had: an unchanged
/// file is neither read nor parsed again.
pub type ParseMemo = Memo<PathBuf, Arc<ParsedFile>>;

/// A file as a build parsed it, and its stamp then.
pub struct ParsedFile {
    stamp: FileStamp,
    parsed: Result<Linted, Diagnostic>,
}

/// A parsed file and the warnings about its YAML.
type Linted = (Parsed, Vec<Diagnostic>);

/// Loads `content/` under `root` into a [`Site`], with every problem found.
///
/// Files with errors are left out of the site but named in [`Site::failed`], so the build can
/// go on to find problems in the other files (broken links, say) and report them all at once.
pub fn load(
    root: &Path,
    config: Config,
    options: LoadOptions,
    memo: &ParseMemo,
    problems: &mut Diagnostics,
) -> Result<Site, Diagnostic> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Diagnostic::error("there is no content/ folder")
            .in_file("content")
            .help("create content/ with an _index.md for the home page, or start a site with `cairn init DIR`"));
    }
    let rules = crate::walk::Rules::for_site(root, config.follow_outside_symlinks);
    let entries = walk::walk(&content_dir, &rules, problems);
    let parsed = parse_files(root, &entries, memo, problems);
    let bundles = Bundles::of(&entries);
    let mut builder = Builder {
        config: &config,
        sections: Vec::new(),
        section_by_dir: HashMap::new(),
        registry: Registry::new(),
        problems,
    };
    builder.sections(parsed.sections, &bundles);
    let (mut pages, drafts) = builder.pages(parsed.pages, &bundles, options);
    let (assets, asset_outputs) = builder.assets(root, &entries, &bundles, &mut pages);
    let flows = builder.flows(root, &entries);
    let Builder {
        mut sections,
        registry,
        ..
    } = builder;
    order(&mut sections, &mut pages);
    publish(&mut sections);
    let tags = collect_tags(&pages);
    let mut site = assemble(Site {
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
        failed: parsed.failed,
        claims: registry,
        series: Vec::new(),
        parts: HashMap::new(),
    });
    (site.series, site.parts) = series::resolve(&site, problems);
    check_path_claims(&site, problems);
    Ok(site)
}

/// The Markdown files, parsed: pages, section pages by folder, and the files that failed.
struct ParsedFiles {
    pages: Vec<(Entry, SourceFile, PageFrontMatter, front_matter::Split)>,
    sections: SectionFiles,
    failed: HashSet<String>,
}

/// Phase: reads and parses every Markdown file in parallel, through the memo.
fn parse_files(
    root: &Path,
    entries: &[Entry],
    memo: &ParseMemo,
    problems: &mut Diagnostics,
) -> ParsedFiles {
    let parsed: Vec<Result<Linted, (String, Diagnostic)>> = entries
        .par_iter()
        .filter(|e| {
            matches!(
                e.kind,
                EntryKind::Page | EntryKind::BundleIndex | EntryKind::SectionIndex
            )
        })
        .map(|entry| parse_remembered(root, entry, memo).map_err(|d| (entry.rel.to_string(), d)))
        .collect();
    let mut files = ParsedFiles {
        pages: Vec::new(),
        sections: BTreeMap::new(),
        failed: HashSet::new(),
    };
    for result in parsed {
        if let Ok((_, warnings)) = &result {
            problems.extend(warnings.iter().cloned());
        }
        match result {
            Ok((Parsed::Page(entry, source, front, split), _)) => {
                files.pages.push((entry, source, front, split));
            }
            Ok((Parsed::Section(entry, source, front, split), _)) => {
                files
                    .sections
                    .insert(parent_dir(&entry.rel).to_string(), (source, front, split));
            }
            Err((rel, diagnostic)) => {
                files.failed.insert(rel);
                problems.push(diagnostic);
            }
        }
    }
    files
}

/// Parses `entry`, or takes what an earlier build parsed when the file's stamp is the same.
/// The stamp is taken before reading, so a write during the read shows up next time.
fn parse_remembered(root: &Path, entry: &Entry, memo: &ParseMemo) -> Result<Linted, Diagnostic> {
    let stamp = FileStamp::of(&entry.path);
    if let Some(stamp) = stamp
        && let Some(file) = memo.get_if(&entry.path, |file| file.stamp == stamp)
    {
        // The walk classifies a file anew on every build (a folder may have become a
        // bundle), so the remembered result takes the current entry.
        return match &file.parsed {
            Ok((parsed, warnings)) => Ok((parsed.clone().with_entry(entry), warnings.clone())),
            Err(diagnostic) => Err(diagnostic.clone()),
        };
    }
    let parsed = parse_entry(root, entry);
    if let Some(stamp) = stamp {
        let file = ParsedFile {
            stamp,
            parsed: parsed.clone(),
        };
        memo.insert(entry.path.clone(), Arc::new(file));
    }
    parsed
}

/// The page bundles: folders holding an `index.md`.
struct Bundles<'a>(HashSet<&'a str>);

impl<'a> Bundles<'a> {
    fn of(entries: &'a [Entry]) -> Bundles<'a> {
        Bundles(
            entries
                .iter()
                .filter(|e| e.kind == EntryKind::BundleIndex)
                .map(|e| parent_dir(&e.rel))
                .collect(),
        )
    }

    /// The bundle folder holding `rel`, found by walking up its folders.
    fn holding(&self, rel: &str) -> Option<String> {
        let mut dir = parent_dir(rel);
        while !dir.is_empty() {
            if self.0.contains(dir) {
                return Some(dir.to_string());
            }
            dir = parent_dir(dir);
        }
        None
    }
}

/// Phase: every section's pages in display order, and subsections by weight, then title.
fn order(sections: &mut [Section], pages: &mut [Page]) {
    for (index, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(index);
    }
    for section in sections.iter_mut() {
        sort_pages(&mut section.pages, pages, section.front.sort_by);
        for (position, index) in section.pages.iter().enumerate() {
            pages[*index].position = position;
        }
    }
    let order: Vec<(Option<i64>, String)> = sections
        .iter()
        .map(|s| (s.front.weight, s.title.to_lowercase()))
        .collect();
    for section in sections.iter_mut() {
        section
            .subsections
            .sort_by(|a, b| order[*a].cmp(&order[*b]).then(a.cmp(b)));
    }
}

/// Phase: which sections get a page of their own. Home always does; another section when
/// it has pages, text of its own, or a published subsection (children come after their
/// parents in `sections`, so one pass from the end settles every chain).
fn publish(sections: &mut [Section]) {
    for index in (0..sections.len()).rev() {
        let section = &sections[index];
        let has_text = section
            .source
            .as_ref()
            .is_some_and(|source| !source.text[section.body_start..].trim().is_empty());
        let published = index == 0
            || !section.pages.is_empty()
            || has_text
            || section.subsections.iter().any(|i| sections[*i].published);
        sections[index].published = published;
    }
}

/// Phase: the table from content keys to pages and sections, for links.
fn assemble(mut site: Site) -> Site {
    for (index, page) in site.pages.iter().enumerate() {
        site.targets.insert(page.key.clone(), Target::Page(index));
    }
    for (index, section) in site.sections.iter().enumerate() {
        site.targets
            .insert(section.key.clone(), Target::Section(index));
    }
    site
}

/// A content file read and its front matter parsed.
#[derive(Clone)]
pub(super) enum Parsed {
    /// A page: `x.md` or a bundle's `index.md`.
    Page(Entry, SourceFile, PageFrontMatter, front_matter::Split),
    /// A section's `_index.md`.
    Section(Entry, SourceFile, SectionFrontMatter, front_matter::Split),
}

impl Parsed {
    /// The same file under `entry` (as this build's walk classified it).
    fn with_entry(self, entry: &Entry) -> Parsed {
        match self {
            Parsed::Page(_, source, front, split) => {
                Parsed::Page(entry.clone(), source, front, split)
            }
            Parsed::Section(_, source, front, split) => {
                Parsed::Section(entry.clone(), source, front, split)
            }
        }
    }
}

fn parse_entry(root: &Path, entry: &Entry) -> Result<Linted, Diagnostic> {
    let source = walk::read_source(root, &entry.path)?;
    if entry.kind == EntryKind::SectionIndex {
        let (front, split) = front_matter::parse_section(&source)?;
        let warnings = front_matter::lint(&source, &split, front_matter::SECTION_BOOLEANS);
        Ok((
            Parsed::Section(entry.clone(), source, front, split),
            warnings,
        ))
    } else {
        let (front, split) = front_matter::parse_page(&source)?;
        let warnings = front_matter::lint(&source, &split, front_matter::PAGE_BOOLEANS);
        Ok((Parsed::Page(entry.clone(), source, front, split), warnings))
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

/// The site path of a content folder: each component slugified, ending with `/`. The one
/// hidden folder the walk keeps, `.well-known`, keeps its name: hosts and clients look for it
/// there.
fn dir_site_path(dir: &str) -> String {
    let mut path = String::new();
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        if part == ".well-known" {
            path.push_str(".well-known/");
            continue;
        }
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
    /// Phase: the home section, then every folder with an `_index.md` (outside bundles),
    /// even when it holds no page.
    fn sections(&mut self, mut files: SectionFiles, bundles: &Bundles) {
        self.section_for("", &mut files);
        let dirs: Vec<String> = files.keys().cloned().collect();
        for dir in dirs {
            match bundles.holding(&format!("{dir}/_index.md")) {
                None => {
                    self.section_for(&dir, &mut files);
                }
                Some(bundle) => {
                    if let Some((source, _, _)) = files.remove(&dir) {
                        self.problems
                            .push(section_in_bundle(&source, &dir, &bundle));
                    }
                }
            }
        }
    }

    /// Phase: every page that is neither a draft (unless drafts are built) nor a stray
    /// Markdown file inside a bundle; the drafts left out, by key.
    fn pages(
        &mut self,
        files: Vec<(Entry, SourceFile, PageFrontMatter, front_matter::Split)>,
        bundles: &Bundles,
        options: LoadOptions,
    ) -> (Vec<Page>, HashSet<String>) {
        let mut pages = Vec::new();
        let mut drafts = HashSet::new();
        for (entry, source, front, split) in files {
            if entry.kind == EntryKind::Page
                && let Some(bundle) = bundles.holding(&entry.rel)
            {
                self.problems.push(
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
            if let Some(page) = self.page(&entry, source, front, &split) {
                pages.push(page);
            }
        }
        (pages, drafts)
    }

    /// Phase: files beside a bundle's page go with it; others keep their folder's URL.
    /// Returns the assets not in bundles, and every asset's output path by content key.
    fn assets(
        &mut self,
        root: &Path,
        entries: &[Entry],
        bundles: &Bundles,
        pages: &mut [Page],
    ) -> (Vec<Asset>, HashMap<String, String>) {
        let page_by_key: HashMap<String, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), i))
            .collect();
        let mut assets = Vec::new();
        let mut outputs = HashMap::new();
        for entry in entries.iter().filter(|e| e.kind == EntryKind::Asset) {
            let name = SourceFile::display_name(root, &entry.path);
            if !self.config.unsafe_html
                && let Some(problem) = runs_in_browser(&entry.rel, &name)
            {
                self.problems.push(problem);
                continue;
            }
            let bundle = bundles.holding(&entry.rel);
            let owner = match &bundle {
                Some(dir) => match page_by_key.get(&format!("{dir}/index.md")) {
                    Some(index) => Some(*index),
                    // A draft's files stay out with it.
                    None => continue,
                },
                None => None,
            };
            let output = match (&bundle, owner) {
                (Some(dir), Some(index)) => {
                    asset_output(&entry.rel, Some((dir, &pages[index].site_path)))
                }
                _ => asset_output(&entry.rel, None),
            };
            let Some(output) = self.claim(&output, Origin::file(Kind::Asset, &*name)) else {
                continue;
            };
            outputs.insert(entry.rel.to_string(), output.to_string());
            let asset = Asset {
                source: entry.path.clone(),
                output,
                name,
            };
            match owner {
                Some(index) => pages[index].assets.push(asset),
                None => assets.push(asset),
            }
        }
        (assets, outputs)
    }

    /// Phase: the quiz flows.
    fn flows(&mut self, root: &Path, entries: &[Entry]) -> Vec<FlowFile> {
        entries
            .iter()
            .filter(|e| e.kind == EntryKind::Flow)
            .filter_map(|entry| flow_file(entry, root, self))
            .collect()
    }

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
                Diagnostic::error("`paginate_by` must be at least 1")
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
            published: false,
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
                Diagnostic::error("`title` is empty")
                    .at(&source, yaml::range_of(&front.title, base))
                    .help("write the page's title after `title:`"),
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

/// The error for an `_index.md` in a page bundle's folder (or below it): a folder is a
/// section or a page, and the page would silently replace the section.
fn section_in_bundle(source: &SourceFile, dir: &str, bundle: &str) -> Diagnostic {
    let first_line = source.text.find('\n').unwrap_or(source.text.len());
    let diagnostic = if dir == bundle {
        Diagnostic::error(format!(
            "content/{dir}/ holds both `_index.md` (a section) and `index.md` (a page): a folder is one or the other"
        ))
        .help(format!(
            "for a section with pages, keep `_index.md` and rename `index.md` to a page name (e.g. `content/{dir}/overview.md`); for one page with its images beside it, remove `_index.md`"
        ))
    } else {
        Diagnostic::error(format!(
            "this section is inside the page bundle content/{bundle}/ (the folder of content/{bundle}/index.md)"
        ))
        .help(format!(
            "a page bundle holds one page and its files: move content/{dir}/ out of it, or rename content/{bundle}/index.md to content/{bundle}/_index.md to make a section"
        ))
    };
    diagnostic
        .at(source, 0..first_line)
        .label("this makes a section")
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

/// Phase: every tag and its pages, newest first.
fn collect_tags(pages: &[Page]) -> Vec<TagTerm> {
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
