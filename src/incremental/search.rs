//! The search index files of the last build, reused while the indexed text is the same.
//!
//! The index is a whole-site computation (word statistics over every page), so any change
//! to indexed text rebuilds it; but most edits while writing a theme or a page's metadata
//! (templates, stylesheets, dates, tags, descriptions) leave the indexed text as it was.

use std::hash::{Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use super::fingerprint::FingerprintHasher;
use crate::output::OutputFile;
use crate::search::index::{SearchDoc, SearchPage};
use crate::search::{SearchSource, documents_of};

/// The index files of the last build and what they were made from.
#[derive(Default)]
pub struct SearchCache {
    last: Mutex<Option<Last>>,
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

/// A new index to make after the pages are published: the inputs, and the paths of the
/// last build's index files that it replaces.
pub struct DeferredIndex {
    sources: Vec<SearchSource>,
    language: String,
    /// The paths of the index files served until the new ones are made.
    pub stale: Vec<String>,
}

impl SearchCache {
    /// The index files for these pages. The first time, they are made now. Later, when the
    /// pages are the same as last time (same URLs, titles and rendered Markdown), they come
    /// from the cache; when they changed, the last build's files come back with a
    /// [`DeferredIndex`] that makes the new ones (the caller publishes the pages first, then
    /// runs it). Telling the two apart reads no text, so it costs a rebuild nothing.
    pub fn index_files(
        &self,
        sources: Vec<SearchSource>,
        language: &str,
    ) -> (Vec<OutputFile>, Option<DeferredIndex>) {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        match &*last {
            Some(last) if last.language == language && same_sources(&last.sources, &sources) => {
                (last.files.clone(), None)
            }
            Some(last) => {
                let deferred = DeferredIndex {
                    sources,
                    language: language.to_owned(),
                    stale: last
                        .files
                        .iter()
                        .map(|file| file.path.to_string())
                        .collect(),
                };
                (last.files.clone(), Some(deferred))
            }
            None => {
                let (files, made) = make(sources, language);
                *last = Some(made);
                (files, None)
            }
        }
    }
}

impl DeferredIndex {
    /// Makes the index files (or takes the last ones, when the text is the same after all),
    /// and keeps them in `cache` for the next build.
    pub fn build(self, cache: &SearchCache) -> Vec<OutputFile> {
        let (pages, docs) = documents_of(&self.sources);
        let text = text_hash(&pages, &docs, &self.language);
        let reused = cache
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|last| last.text == text)
            .map(|last| last.files.clone());
        let files =
            reused.unwrap_or_else(|| crate::search::index_files(pages, docs, &self.language));
        *cache.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(Last {
            sources: self.sources,
            language: self.language,
            text,
            files: files.clone(),
        });
        files
    }
}

fn make(sources: Vec<SearchSource>, language: &str) -> (Vec<OutputFile>, Last) {
    let (pages, docs) = documents_of(&sources);
    let text = text_hash(&pages, &docs, language);
    let files = crate::search::index_files(pages, docs, language);
    let last = Last {
        sources,
        language: language.to_owned(),
        text,
        files: files.clone(),
    };
    (files, last)
}

fn same_sources(a: &[SearchSource], b: &[SearchSource]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same_as(b))
}

fn text_hash(pages: &[SearchPage], docs: &[SearchDoc], language: &str) -> u64 {
    let mut hasher = FingerprintHasher::new();
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
        }
    }

    fn full_build(source: &SearchSource) -> Vec<OutputFile> {
        let (pages, docs) = documents_of(std::slice::from_ref(source));
        crate::search::index_files(pages, docs, "en")
    }

    #[test]
    fn reuses_the_files_of_the_same_pages_and_defers_a_new_index() {
        let cache = SearchCache::default();
        let one = source("one");
        let (first, deferred) = cache.index_files(vec![one.clone()], "en");
        assert!(deferred.is_none(), "the first index is made at once");
        assert_eq!(first, full_build(&one));
        let (same, deferred) = cache.index_files(vec![one.clone()], "en");
        assert!(
            deferred.is_none(),
            "the same rendered page is not indexed again"
        );
        assert_eq!(same, first);

        let two = source("two");
        let (served, deferred) = cache.index_files(vec![two.clone()], "en");
        assert_eq!(served, first, "the last index is served meanwhile");
        let deferred = deferred.expect("a new index to make");
        let stale: Vec<&str> = first.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(deferred.stale, stale);
        let fresh = deferred.build(&cache);
        assert_eq!(fresh, full_build(&two));
        let (again, deferred) = cache.index_files(vec![two], "en");
        assert!(deferred.is_none());
        assert_eq!(again, fresh);
    }

    #[test]
    fn a_page_rendered_again_to_the_same_text_keeps_the_index() {
        let cache = SearchCache::default();
        let (first, _) = cache.index_files(vec![source("same")], "en");
        let (_, deferred) = cache.index_files(vec![source("same")], "en");
        let deferred = deferred.expect("a new rendering is checked after the reload");
        let files = deferred.build(&cache);
        assert_eq!(files, first);
        assert!(
            files
                .iter()
                .zip(&first)
                .all(|(a, b)| a.bytes.as_ptr() == b.bytes.as_ptr()),
            "the same text is not indexed again"
        );
    }

    #[test]
    fn another_language_makes_a_new_index() {
        let cache = SearchCache::default();
        let one = source("one");
        cache.index_files(vec![one.clone()], "en");
        let (_, deferred) = cache.index_files(vec![one], "de");
        assert!(deferred.is_some());
    }
}
