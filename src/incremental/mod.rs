//! Incremental rebuilds: caches that let a rebuild redo only what an edit changed.
//!
//! `cairn serve` keeps one [`BuildCache`] for its whole run and passes it to
//! [`crate::render_site_cached`], the same pipeline `cairn build` runs. Each stage asks its
//! cache first:
//!
//! - templates are parsed again only when a template file changed ([`TemplateCache`]);
//! - a content file is read and its front matter parsed again only when its stamp changed
//!   ([`ParseCache`]);
//! - a page's Markdown is rendered again only when its text changed or one of its links now
//!   resolves differently ([`MarkdownCache`]);
//! - the template values made from a page's Markdown (its content split at headings, its
//!   table of contents) are made again only for re-rendered Markdown, and a page's value
//!   only when what it is made from changed ([`ValueCache`]);
//! - a page's HTML is rendered again only when its template set, its context or the site data
//!   its template looked up changed ([`PageCache`]): an edit re-renders the page, its
//!   neighbours, its section and tag lists, and pages whose templates read it.
//!
//! - the search index is made again only when a searchable page changed ([`SearchCache`]),
//!   after the pages are published ([`DeferredIndex`]).
//!
//! Everything else (the content model, section and tag values, anchors, feeds, the sitemap)
//! is cheap and recomputed on every build, so the result is always that of a full build.

mod fingerprint;
mod markdown;
mod pages;
mod search;
mod sources;
mod templates;
mod values;

pub use crate::stamp::FileStamp;
pub use markdown::{MarkdownCache, Stats as MarkdownStats};
pub use pages::{PageCache, Stats as PageStats};
pub use search::{DeferredIndex, SearchCache};
pub use sources::ParseCache;
pub use templates::TemplateCache;
pub use values::{ValueCache, value_key};

/// Drops `value` on another thread. Freeing the previous build's site data (thousands of
/// values) takes milliseconds that a rebuild waiting to reload the browser need not spend.
pub fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("cairn drop".into())
        .spawn(move || drop(value));
    // If no thread can be started, the value was dropped here instead: slower, still right.
    drop(spawned);
}

/// Locks a cache's table. A panic while it was held (none is expected) leaves data that is
/// still whole, so the poison is ignored.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Every cache of the build, kept from one build to the next.
#[derive(Default)]
pub struct BuildCache {
    /// Parsed templates.
    pub templates: TemplateCache,
    /// Parsed content files.
    pub sources: ParseCache,
    /// Rendered Markdown.
    pub markdown: MarkdownCache,
    /// Template values made from rendered Markdown.
    pub values: ValueCache,
    /// Rendered HTML pages.
    pub pages: PageCache,
    /// The search index files.
    pub search: std::sync::Arc<SearchCache>,
}

/// What the last build did again and what it reused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RebuildStats {
    /// Markdown rendered and reused.
    pub markdown: MarkdownStats,
    /// HTML pages rendered and reused.
    pub pages: PageStats,
}

impl BuildCache {
    /// A cache with nothing in it: the first build through it is a full build.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns what the last build rendered and reused; after a successful build, also drops
    /// what it did not use (deleted and renamed files). A failed build stops half-way, so it
    /// prunes nothing: what it did not reach is still wanted once the error is fixed.
    pub fn finish_build(&self, succeeded: bool) -> RebuildStats {
        if succeeded {
            self.sources.prune();
            self.markdown.prune();
            self.values.prune();
        }
        RebuildStats {
            markdown: self.markdown.take_stats(),
            pages: self.pages.stats(),
        }
    }
}
