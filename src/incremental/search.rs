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

impl SearchCache {
    /// The index files for these documents: from the cache when they are the same as last
    /// time, else made by `build` (and kept).
    pub fn index_files(
        &self,
        pages: Vec<SearchPage>,
        docs: Vec<SearchDoc>,
        language: &str,
        build: impl FnOnce(Vec<SearchPage>, Vec<SearchDoc>) -> Vec<OutputFile>,
    ) -> Vec<OutputFile> {
        let key = inputs_hash(&pages, &docs, language);
        if let Some((hash, files)) = &*self.last.lock().unwrap_or_else(PoisonError::into_inner)
            && *hash == key
        {
            return files.clone();
        }
        let files = build(pages, docs);
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some((key, files.clone()));
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
    fn rebuilds_only_when_the_indexed_text_changes() {
        let cache = SearchCache::default();
        let builds = std::cell::Cell::new(0);
        let build = |_: Vec<SearchPage>, _: Vec<SearchDoc>| {
            builds.set(builds.get() + 1);
            vec![OutputFile {
                path: "search/manifest.json".into(),
                bytes: builds.get().to_string().into_bytes(),
            }]
        };
        let first = cache.index_files(vec![page()], vec![doc("one")], "en", build);
        let same = cache.index_files(vec![page()], vec![doc("one")], "en", build);
        assert_eq!((builds.get(), &first), (1, &same));
        cache.index_files(vec![page()], vec![doc("two")], "en", build);
        assert_eq!(builds.get(), 2);
    }
}
