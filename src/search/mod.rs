//! Site search: the index `search.js` queries, and the page listing every page.
//!
//! Built from the rendered text of every published page and section (drafts are not in
//! the site; `search: false` in front matter leaves a page out), split at headings, and
//! from every question and outcome of the site's quizzes ([`quiz`]). See [`tokenize`] for
//! words, [`index`] for ranking, [`shards`] for the files, and [`listing`] for the page
//! that lists every page, which is what readers without JavaScript get.

mod count;
pub mod hits;
pub mod index;
pub mod listing;
mod memo;
pub mod quiz;
pub mod shards;
pub mod tokenize;

use std::sync::Arc;

use crate::content::Site;
use crate::markdown::RenderedMarkdown;
use crate::output::OutputFile;
use crate::quiz::CompiledFlow;
use crate::render::SiteMarkdown;
use index::{FieldWeights, SearchDoc, SearchIndex, SearchPage};
use tokenize::WordStemmer;

pub use memo::{IndexJob, SearchMemo, index_remembering};

/// A page or section of the site, in reading order: home, its pages, then each
/// subsection the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Index into `site.sections` (and `rendered.sections`).
    Section(usize),
    /// Index into `site.pages` (and `rendered.pages`).
    Page(usize),
}

/// Every searchable page and section in reading order: not drafts (they are not in the
/// site) and not those with `search: false`; sections only when they have an `_index.md`
/// and are published.
pub fn searchable(site: &Site) -> Vec<Entry> {
    let mut out = Vec::new();
    if !site.sections.is_empty() {
        walk(site, 0, &mut out);
    }
    out
}

fn walk(site: &Site, section: usize, out: &mut Vec<Entry>) {
    // An explicit stack: nesting depth comes from the content folders.
    let mut stack = vec![section];
    while let Some(section) = stack.pop() {
        let entry = &site.sections[section];
        if entry.source.is_some() && entry.published && entry.front.search != Some(false) {
            out.push(Entry::Section(section));
        }
        out.extend(
            entry
                .pages
                .iter()
                .filter(|p| site.pages[**p].front.search != Some(false))
                .map(|p| Entry::Page(*p)),
        );
        stack.extend(entry.subsections.iter().rev());
    }
}

/// A searchable page or section as the index is made from it: its URL, its title and its
/// rendered Markdown (shared, so a rebuild can tell an unchanged page by identity).
#[derive(Debug, Clone)]
pub struct SearchSource {
    /// Root-relative URL.
    pub url: String,
    /// Page title.
    pub title: String,
    /// The rendered Markdown, with its text split at headings.
    pub markdown: Arc<RenderedMarkdown>,
    /// Made for the index by this build (a quiz page), not shared with the last build:
    /// compared by its few sections' text instead.
    pub generated: bool,
}

impl SearchSource {
    /// Whether `other` is the same page with the same rendered Markdown (not a copy of it,
    /// unless both were made for the index, which are small and compared by text).
    pub fn same_as(&self, other: &SearchSource) -> bool {
        let same_text = Arc::ptr_eq(&self.markdown, &other.markdown)
            || (self.generated
                && other.generated
                && self.markdown.sections == other.markdown.sections);
        same_text && self.url == other.url && self.title == other.title
    }
}

/// Every searchable page and section in reading order, then every page of `flows`.
pub fn sources(site: &Site, rendered: &SiteMarkdown, flows: &[CompiledFlow]) -> Vec<SearchSource> {
    let mut sources = page_sources(site, rendered);
    sources.extend(quiz::quiz_sources(site, flows));
    sources
}

/// Every searchable page and section, in reading order.
fn page_sources(site: &Site, rendered: &SiteMarkdown) -> Vec<SearchSource> {
    let base = &site.config.base_url;
    searchable(site)
        .into_iter()
        .map(|entry| match entry {
            Entry::Section(i) => SearchSource {
                url: base.link(&site.sections[i].site_path),
                title: site.sections[i].title.clone(),
                markdown: rendered.sections[i].clone(),
                generated: false,
            },
            Entry::Page(i) => SearchSource {
                url: base.link(&site.pages[i].site_path),
                title: site.pages[i].front.title.value.clone(),
                markdown: rendered.pages[i].clone(),
                generated: false,
            },
        })
        .collect()
}

/// The pages and heading sections to index, quizzes included.
pub fn documents(
    site: &Site,
    rendered: &SiteMarkdown,
    flows: &[CompiledFlow],
) -> (Vec<SearchPage>, Vec<SearchDoc>) {
    documents_of(&sources(site, rendered, flows))
}

/// The pages and heading sections to index, from their sources.
pub fn documents_of(sources: &[SearchSource]) -> (Vec<SearchPage>, Vec<SearchDoc>) {
    let mut pages = Vec::with_capacity(sources.len());
    let mut docs = Vec::new();
    for source in sources {
        let page = pages.len();
        pages.push(SearchPage {
            url: source.url.clone(),
            title: source.title.clone(),
        });
        let before = docs.len();
        docs.extend(source.markdown.sections.iter().map(|section| SearchDoc {
            page,
            first: false,
            anchor: section.id.clone(),
            heading: section.title.clone(),
            text: section.text.clone(),
        }));
        if docs.len() == before {
            // A page without text is still found by its title.
            docs.push(SearchDoc {
                page,
                first: true,
                anchor: String::new(),
                heading: String::new(),
                text: Arc::default(),
            });
        }
        docs[before].first = true;
    }
    (pages, docs)
}

/// The index files for these pages and sections, in the site's language.
pub fn index_files(
    pages: Vec<SearchPage>,
    docs: Vec<SearchDoc>,
    language: &str,
) -> Vec<OutputFile> {
    let stemmer = WordStemmer::for_language(language);
    let index = SearchIndex::build(pages, docs, &stemmer, FieldWeights::default());
    shards::write(&index, &shards::ShardOptions::default())
}

/// The index of the site and its quizzes, through the memo: its text taken now, the files
/// made by [`IndexJob::run`].
pub fn site_index<'m>(
    site: &Site,
    rendered: &SiteMarkdown,
    flows: &[CompiledFlow],
    memo: &'m SearchMemo,
) -> IndexJob<'m> {
    memo.job(sources(site, rendered, flows), &site.config.language)
}
