//! The search index files of the last build, reused while the indexed text is the same.
//!
//! The index is a whole-site computation (word statistics over every page), so any change
//! to indexed text rebuilds it; but most edits while writing a theme or a page's metadata
//! (templates, stylesheets, dates, tags, descriptions) leave the indexed text as it was.
//! Telling an unchanged site reads no text: its pages' rendered Markdown is the same
//! (shared) as last time. When it is not, a hash of the indexed text still spares the work
//! when the text came out the same.

use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use super::index::{SearchDoc, SearchPage};
use super::{SearchSource, documents_of, index_files};
use crate::output::OutputFile;
use crate::sync::lock;
use crate::templates::value_hash::ValueHasher;

/// The index files of the last build and what they were made from; off, it remembers
/// nothing.
pub struct SearchMemo {
    last: Option<Mutex<Option<Last>>>,
}

struct Last {
    /// The pages, holding their rendered Markdown, so that an unchanged page is known by
    /// identity without reading its text.
    sources: Vec<SearchSource>,
    language: String,
    /// A hash of the indexed text, for edits that re-render a page's Markdown to the same
    /// text (a link that now resolves elsewhere).
    text: u64,
    files: Vec<OutputFile>,
}

impl Default for SearchMemo {
    /// A memo that remembers.
    fn default() -> Self {
        Self::new()
    }
}

impl SearchMemo {
    /// A memo that remembers the last index.
    pub fn new() -> SearchMemo {
        SearchMemo {
            last: Some(Mutex::new(None)),
        }
    }

    /// A memo that remembers nothing.
    pub fn off() -> SearchMemo {
        SearchMemo { last: None }
    }

    /// The last build's files, when `sources` are the same pages (by identity) in the same
    /// language as then.
    pub fn reusable(&self, sources: &[SearchSource], language: &str) -> Option<Vec<OutputFile>> {
        let last = lock(self.last.as_ref()?);
        let last = last.as_ref()?;
        (last.language == language && same_sources(&last.sources, sources))
            .then(|| last.files.clone())
    }

    /// The last build's files, whatever they were made from (served while a new index is
    /// made); none before the first index.
    pub fn last_files(&self) -> Vec<OutputFile> {
        self.last
            .as_ref()
            .and_then(|last| lock(last).as_ref().map(|last| last.files.clone()))
            .unwrap_or_default()
    }
}

/// The index files of `sources`: the memo's when they are the same pages or the same text,
/// else made now (and remembered).
pub fn index_remembering(
    sources: Vec<SearchSource>,
    language: &str,
    memo: &SearchMemo,
) -> Vec<OutputFile> {
    memo.job(sources, language).run()
}

/// The index of one build, decided and taken from its pages at once, made later by
/// [`IndexJob::run`]. It holds only the indexed text (and, when the memo remembers, the
/// pages it keeps anyway), so the build can free the pages' HTML while the index is made
/// alongside the templates.
pub struct IndexJob<'m> {
    memo: &'m SearchMemo,
    language: String,
    work: Work,
}

enum Work {
    /// The memo's files: the same pages as last time.
    Reuse(Vec<OutputFile>),
    /// An index to make from these pages and sections.
    Make {
        pages: Vec<SearchPage>,
        docs: Vec<SearchDoc>,
        /// The pages, for the memo to know them by next time; none when it remembers
        /// nothing.
        sources: Option<Vec<SearchSource>>,
    },
}

impl SearchMemo {
    /// The index of `sources` in `language`, to make with [`IndexJob::run`].
    pub fn job(&self, sources: Vec<SearchSource>, language: &str) -> IndexJob<'_> {
        let work = match self.reusable(&sources, language) {
            Some(files) => Work::Reuse(files),
            None => {
                let (pages, docs) = documents_of(&sources);
                Work::Make {
                    pages,
                    docs,
                    sources: self.last.is_some().then_some(sources),
                }
            }
        };
        IndexJob {
            memo: self,
            language: language.to_owned(),
            work,
        }
    }
}

impl IndexJob<'_> {
    /// The bytes of text left to index: none when the memo's files serve.
    pub fn text_bytes(&self) -> usize {
        match &self.work {
            Work::Reuse(_) => 0,
            Work::Make { docs, .. } => docs.iter().map(|doc| doc.text.len()).sum(),
        }
    }

    /// The index files: the memo's when the text came out the same, else made now (and
    /// remembered).
    pub fn run(self) -> Vec<OutputFile> {
        let IndexJob {
            memo,
            language,
            work,
        } = self;
        let (pages, docs, sources) = match work {
            Work::Reuse(files) => return files,
            Work::Make {
                pages,
                docs,
                sources,
            } => (pages, docs, sources),
        };
        let (Some(slot), Some(sources)) = (&memo.last, sources) else {
            return index_files(pages, docs, &language);
        };
        let text = text_hash(&pages, &docs, &language);
        let reused = lock(slot)
            .as_ref()
            .filter(|last| last.text == text)
            .map(|last| last.files.clone());
        let files = reused.unwrap_or_else(|| index_files(pages, docs, &language));
        *lock(slot) = Some(Last {
            sources,
            language,
            text,
            files: files.clone(),
        });
        files
    }
}

fn same_sources(a: &[SearchSource], b: &[SearchSource]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same_as(b))
}

fn text_hash(pages: &[SearchPage], docs: &[SearchDoc], language: &str) -> u64 {
    let mut hasher = ValueHasher::new();
    language.hash(&mut hasher);
    pages.len().hash(&mut hasher);
    for page in pages {
        page.url.hash(&mut hasher);
        page.title.hash(&mut hasher);
    }
    docs.len().hash(&mut hasher);
    for doc in docs {
        doc.page.hash(&mut hasher);
        doc.first.hash(&mut hasher);
        doc.anchor.hash(&mut hasher);
        doc.heading.hash(&mut hasher);
        doc.text.hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::markdown::{RenderedMarkdown, TextSection};

    fn source(text: &str) -> SearchSource {
        SearchSource {
            url: "/a/".into(),
            title: "A".into(),
            markdown: Arc::new(RenderedMarkdown {
                sections: vec![TextSection {
                    text: text.into(),
                    ..TextSection::default()
                }],
                ..RenderedMarkdown::default()
            }),
            generated: false,
        }
    }

    fn full_build(source: &SearchSource) -> Vec<OutputFile> {
        let (pages, docs) = documents_of(std::slice::from_ref(source));
        index_files(pages, docs, "en")
    }

    #[test]
    fn reuses_the_files_of_the_same_pages_and_makes_a_new_index_for_new_text() {
        let memo = SearchMemo::new();
        let one = source("one");
        assert!(memo.reusable(std::slice::from_ref(&one), "en").is_none());
        let first = index_remembering(vec![one.clone()], "en", &memo);
        assert_eq!(first, full_build(&one));
        assert_eq!(
            memo.reusable(std::slice::from_ref(&one), "en"),
            Some(first.clone()),
            "the same rendered page is not indexed again"
        );
        let two = source("two");
        assert!(memo.reusable(std::slice::from_ref(&two), "en").is_none());
        assert_eq!(memo.last_files(), first, "served while the new one is made");
        let fresh = index_remembering(vec![two.clone()], "en", &memo);
        assert_eq!(fresh, full_build(&two));
        assert_eq!(memo.reusable(&[two], "en"), Some(fresh));
    }

    #[test]
    fn a_page_rendered_again_to_the_same_text_keeps_the_index() {
        let memo = SearchMemo::new();
        let first = index_remembering(vec![source("same")], "en", &memo);
        let again = index_remembering(vec![source("same")], "en", &memo);
        assert_eq!(again, first);
        assert!(
            again
                .iter()
                .zip(&first)
                .all(|(a, b)| a.bytes.as_ptr() == b.bytes.as_ptr()),
            "the same text is not indexed again"
        );
    }

    #[test]
    fn another_language_makes_a_new_index() {
        let memo = SearchMemo::new();
        let one = source("one");
        index_remembering(vec![one.clone()], "en", &memo);
        assert!(memo.reusable(std::slice::from_ref(&one), "fr").is_none());
    }

    #[test]
    fn an_off_memo_always_makes_the_index() {
        let memo = SearchMemo::off();
        let one = source("one");
        assert_eq!(
            index_remembering(vec![one.clone()], "en", &memo),
            full_build(&one)
        );
        assert!(memo.reusable(&[one], "en").is_none());
        assert!(memo.last_files().is_empty());
    }
}
