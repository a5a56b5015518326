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

/// The index files of the last build and a hash of what they were made from.
#[derive(Default)]
pub struct SearchCache {
    last: Mutex<Option<(u64, Vec<OutputFile>)>>,
}

/// A new index to make after the pages are published: the inputs, and the paths of the
/// last build's index files that it replaces.
pub struct DeferredIndex {
    key: u64,
    pages: Vec<SearchPage>,
    docs: Vec<SearchDoc>,
    language: String,
    /// The paths of the index files served until the new ones are made.
    pub stale: Vec<String>,
}

impl SearchCache {
    /// The index files for these documents. The first time, they are made now. Later,
    /// when the documents are the same as last time, they come from the cache; when they
    /// changed, the last build's files come back with a [`DeferredIndex`] that makes the
    /// new ones (the caller publishes the pages first, then runs it).
    pub fn index_files(
        &self,
        pages: Vec<SearchPage>,
        docs: Vec<SearchDoc>,
        language: &str,
    ) -> (Vec<OutputFile>, Option<DeferredIndex>) {
        let key = inputs_hash(&pages, &docs, language);
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        match &*last {
            Some((hash, files)) if *hash == key => (files.clone(), None),
            Some((_, files)) => {
                let deferred = DeferredIndex {
                    key,
                    pages,
                    docs,
                    language: language.to_owned(),
                    stale: files.iter().map(|file| file.path.clone()).collect(),
                };
                (files.clone(), Some(deferred))
            }
            None => {
                let files = crate::search::index_files(pages, docs, language);
                *last = Some((key, files.clone()));
                (files, None)
            }
        }
    }
}

impl DeferredIndex {
    /// Makes the index files, and keeps them in `cache` for the next build.
    pub fn build(self, cache: &SearchCache) -> Vec<OutputFile> {
        let files = crate::search::index_files(self.pages, self.docs, &self.language);
        *cache.last.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((self.key, files.clone()));
        files
    }
}

fn inputs_hash(pages: &[SearchPage], docs: &[SearchDoc], language: &str) -> u64 {
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
    use super::*;

    fn doc(text: &str) -> SearchDoc {
        SearchDoc {
            page: 0,
            first: true,
            anchor: String::new(),
            heading: String::new(),
            text: text.into(),
        }
    }

    fn page() -> SearchPage {
        SearchPage {
            url: "/a/".into(),
            title: "A".into(),
        }
    }

    #[test]
    fn reuses_the_files_while_the_text_is_the_same_and_defers_a_new_index() {
        let cache = SearchCache::default();
        let (first, deferred) = cache.index_files(vec![page()], vec![doc("one")], "en");
        assert!(deferred.is_none(), "the first index is made at once");
        let (same, deferred) = cache.index_files(vec![page()], vec![doc("one")], "en");
        assert!(deferred.is_none());
        assert_eq!(same, first);

        let (served, deferred) = cache.index_files(vec![page()], vec![doc("two")], "en");
        assert_eq!(served, first, "the last index is served meanwhile");
        let deferred = deferred.expect("a new index to make");
        let stale: Vec<&str> = first.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(deferred.stale, stale);
        let fresh = deferred.build(&cache);
        assert_eq!(
            fresh,
            crate::search::index_files(vec![page()], vec![doc("two")], "en")
        );
        let (again, deferred) = cache.index_files(vec![page()], vec![doc("two")], "en");
        assert!(deferred.is_none());
        assert_eq!(again, fresh);
    }
}
