//! Incremental rebuilds: the memos every stage keeps from one build to the next.
//!
//! `cairn serve` keeps one [`BuildCache`] for its whole run and passes it to
//! [`crate::generate`], the same pipeline `cairn build` runs with memos that remember
//! nothing. Each stage asks its memo first, and decides itself whether what it finds still
//! holds:
//!
//! - templates are parsed again only when a template file changed
//!   ([`crate::templates::TemplateMemo`]);
//! - a content file is read and its front matter parsed again only when its stamp changed
//!   ([`crate::content::ParseMemo`]);
//! - a page's Markdown is rendered again only when its text changed or one of its links now
//!   resolves differently ([`crate::render::MarkdownMemo`]);
//! - the template values made from a page's Markdown (its content split at headings, its
//!   table of contents) are made again only for re-rendered Markdown, and a page's value
//!   only when what it is made from changed ([`crate::templates::ValueMemo`]);
//! - a page's HTML is rendered again only when its template set, its context or the site data
//!   its template looked up changed ([`crate::templates::PageMemo`]): an edit re-renders the
//!   page, its neighbours, its section and tag lists, and pages whose templates read it;
//! - the search index is made again only when the indexed text changed
//!   ([`crate::search::SearchMemo`]); `cairn serve` publishes the pages first.
//!
//! Everything else (the content model, section and tag values, anchors, feeds, the sitemap)
//! is cheap and recomputed on every build, so the result is always that of a full build.
//!
//! The cache also owns the memory policy: after a successful build it sweeps every memo
//! (what no stage asked for belongs to deleted or renamed files), and what a build lets go
//! of is freed on another thread, off the path of the browser's reload.

use std::sync::Arc;

use crate::content::ParseMemo;
use crate::render::{self, MarkdownMemo};
use crate::search::SearchMemo;
use crate::templates::{self, PageMemo, TemplateMemo, ValueMemo};

/// Every memo of the build.
pub struct BuildCache {
    /// Parsed templates.
    pub templates: TemplateMemo,
    /// Parsed content files.
    pub sources: ParseMemo,
    /// Rendered Markdown.
    pub markdown: MarkdownMemo,
    /// Template values made from rendered Markdown.
    pub values: ValueMemo,
    /// Rendered HTML pages.
    pub pages: PageMemo,
    /// The search index files (shared with the thread that makes them).
    pub search: Arc<SearchMemo>,
    /// Kept from build to build (`cairn serve`), or a one-off build's.
    persistent: bool,
    /// A one-off build that lets go of the sources' text after the Markdown stage
    /// (`cairn build`); `cairn check` keeps it, to point at the Markdown behind a finding.
    lean: bool,
}

/// What a build did again and what it reused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RebuildStats {
    /// Markdown rendered and reused.
    pub markdown: render::Stats,
    /// HTML pages rendered and reused.
    pub pages: templates::render::Stats,
}

impl BuildCache {
    /// A cache with nothing in it, kept from build to build: the first build through it is a
    /// full build.
    pub fn new() -> Self {
        BuildCache {
            templates: TemplateMemo::new(),
            sources: ParseMemo::new(),
            markdown: MarkdownMemo::new(),
            values: ValueMemo::new(),
            pages: PageMemo::new(),
            search: Arc::new(SearchMemo::new()),
            persistent: true,
            lean: false,
        }
    }

    /// The memos of a one-off build: they remember nothing.
    pub fn off() -> Self {
        BuildCache {
            templates: TemplateMemo::off(),
            sources: ParseMemo::off(),
            markdown: MarkdownMemo::off(),
            values: ValueMemo::off(),
            pages: PageMemo::off(),
            search: Arc::new(SearchMemo::off()),
            persistent: false,
            lean: false,
        }
    }

    /// The memos of a one-off build into the output folder: they remember nothing, and the
    /// build lets go of the sources' text as soon as no stage needs it.
    pub fn lean() -> Self {
        BuildCache {
            lean: true,
            ..Self::off()
        }
    }

    /// True when the build may let go of the sources' text after the Markdown stage.
    pub fn releases_sources(&self) -> bool {
        self.lean
    }

    /// Lets go of what a build no longer needs: a one-off build frees it now (before its
    /// biggest step), a kept cache on another thread (a rebuild waiting to reload the
    /// browser need not wait for thousands of values to be freed).
    pub fn release<T: Send + 'static>(&self, value: T) {
        if self.persistent {
            drop_later(value);
        }
    }

    /// After a successful build, forgets what it did not use (deleted and renamed files).
    /// A failed build stops half-way, so it sweeps nothing: what it did not reach is still
    /// wanted once the error is fixed.
    pub fn finish_build(&self, succeeded: bool) {
        if succeeded && self.persistent {
            let swept = (
                self.sources.sweep(),
                self.markdown.sweep(),
                self.values.sweep(),
                self.pages.sweep(),
            );
            drop_later(swept);
        }
    }
}

impl Default for BuildCache {
    fn default() -> Self {
        Self::new()
    }
}

/// Drops `value` on another thread; if no thread can be started, here (slower, still
/// right).
fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("cairn drop".into())
        .spawn(move || drop(value));
    drop(spawned);
}
