//! The content model: pages, sections, tags, assets and quiz flows, as plain data that the
//! later stages only read, and the queries they ask of it.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::dates::PageDate;
use super::front_matter::{PageFrontMatter, SectionFrontMatter};
use crate::config::Config;
use crate::diagnostics::SourceFile;
use crate::output::Registry;
use crate::paths::RelPath;

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
    /// Whether the section has a page of its own in the output: home always; any other
    /// section only when it has pages, text in its `_index.md`, or a published subsection
    /// (an empty list page would be a dead end in menus, the sitemap and search).
    pub published: bool,
}

/// A guide read part by part, in the order a section's `series:` front matter sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// What its contents list is called: `series.title`, else the section's title.
    pub title: String,
    /// The section whose front matter sets it; its page is the first part.
    pub section: usize,
    /// Every part, in reading order.
    pub parts: Vec<Part>,
}

/// One part of a [`Series`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// What is read.
    pub target: PartTarget,
    /// Its number within a labelled section's pages ("Reason 3 of 8"), if listed that way.
    pub group: Option<PartGroup>,
}

/// What a part of a series is: a section's page, a page, or a quiz flow's first question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartTarget {
    /// A section's own page, by index (the first part of its series).
    Section(usize),
    /// A page, by index.
    Page(usize),
    /// A quiz flow, by index in `flows`.
    Flow(usize),
}

/// A part's place among the pages of the section it was listed through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartGroup {
    /// The word before the number, e.g. `Reason`.
    pub label: String,
    /// 1-based position among the section's pages.
    pub number: usize,
    /// How many pages the section gave the series.
    pub count: usize,
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
    /// Every series, in the order of the sections that set them.
    pub series: Vec<Series>,
    /// Where each part of a series is: the series' index and the part's.
    pub parts: HashMap<PartTarget, (usize, usize)>,
    /// Draft keys left out of this build (so links to them get a precise error).
    pub drafts: HashSet<String>,
    /// Keys of files that failed to load; links to them are not reported a second time.
    pub failed: HashSet<String>,
    /// The output paths claimed by content (pages, sections, quizzes, aliases, assets);
    /// later stages claim theirs in the same registry.
    pub claims: Registry,
}

/// The site path prefix reserved for tag pages.
pub const TAGS_PATH: &str = "tags/";

/// How a section is named in messages: its `_index.md`, or its folder when it has none.
pub fn section_name(source: Option<&SourceFile>, dir: &str) -> String {
    match source {
        Some(source) => source.name.clone(),
        None if dir.is_empty() => "content/".to_string(),
        None => format!("content/{dir}/"),
    }
}

/// Newest first; undated pages last; ties by title.
pub(super) fn sort_by_date(indices: &mut [usize], pages: &[Page]) {
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

impl Site {
    /// Lets go of every page's and section's text once no later stage points into it (a
    /// one-off `cairn build`, after the Markdown stage and the quizzes): at 100,000 pages
    /// that is half a gigabyte the search index and the templates can use. Names stay, for
    /// messages.
    pub fn release_sources(&mut self) {
        for page in &mut self.pages {
            page.source.release_text();
        }
        for section in &mut self.sections {
            if let Some(source) = &mut section.source {
                source.release_text();
            }
        }
    }

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

    /// The series `target` is part of, and its index in it.
    pub fn part_of(&self, target: PartTarget) -> Option<(&Series, usize)> {
        self.parts
            .get(&target)
            .map(|(series, part)| (&self.series[*series], *part))
    }

    /// Sections that are published, by index (home first).
    pub fn published_sections(&self) -> impl Iterator<Item = (usize, &Section)> {
        self.sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.published)
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
