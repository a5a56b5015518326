//! Markdown rendered by an earlier build, reused while the page's text and the targets of
//! its links are the same.
//!
//! A page's HTML depends on its own text and on what each of its links resolves to (a URL,
//! an asset, or a broken-link message that names the closest existing file). Rendering
//! records every resolution; a later build resolves the same link texts against the new site
//! and reuses the HTML only when every answer is the same. So renaming a page re-renders
//! exactly the pages that link to it, and nothing else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::content::Site;
use crate::diagnostics::SourceFile;
use crate::markdown::{self, LinkTarget, MarkdownOptions, RenderedMarkdown};
use crate::render::link_target as resolve_target;

/// Rendered Markdown by content key.
#[derive(Default)]
pub struct MarkdownCache {
    entries: Mutex<HashMap<String, Arc<Cached>>>,
    stats: Mutex<Stats>,
}

/// How many pages the last builds rendered and reused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Pages and sections rendered.
    pub rendered: usize,
    /// Pages and sections reused.
    pub reused: usize,
}

struct Cached {
    text: Arc<str>,
    body_start: usize,
    options: MarkdownOptions,
    links: Vec<(String, LinkTarget)>,
    rendered: Arc<RenderedMarkdown>,
    used: std::sync::atomic::AtomicBool,
}

impl MarkdownCache {
    /// Renders one page's or section's Markdown, or reuses the earlier result.
    pub fn render(
        &self,
        site: &Site,
        key: &str,
        source: &SourceFile,
        body_start: usize,
        options: &MarkdownOptions,
    ) -> Arc<RenderedMarkdown> {
        let previous = self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned();
        if let Some(cached) = previous
            && (Arc::ptr_eq(&cached.text, &source.text) || cached.text == source.text)
            && cached.body_start == body_start
            && cached.options == *options
            && cached
                .links
                .iter()
                .all(|(target, resolved)| resolve_target(site, key, target) == *resolved)
        {
            cached
                .used
                .store(true, std::sync::atomic::Ordering::Relaxed);
            self.count(|s| s.reused += 1);
            return cached.rendered.clone();
        }
        let links = Mutex::new(Vec::new());
        let rendered = markdown::render(&source.text[body_start..], options, &|target| {
            let resolved = resolve_target(site, key, target);
            links
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((target.to_string(), resolved.clone()));
            resolved
        });
        let rendered = Arc::new(rendered);
        let mut links = links.into_inner().unwrap_or_else(PoisonError::into_inner);
        links.sort_by(|a, b| a.0.cmp(&b.0));
        links.dedup_by(|a, b| a.0 == b.0);
        let cached = Cached {
            text: source.text.clone(),
            body_start,
            options: options.clone(),
            links,
            rendered: rendered.clone(),
            used: std::sync::atomic::AtomicBool::new(true),
        };
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.to_string(), Arc::new(cached));
        self.count(|s| s.rendered += 1);
        rendered
    }

    fn count(&self, change: impl FnOnce(&mut Stats)) {
        change(&mut self.stats.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// What was rendered and reused since the last call, and starts counting anew.
    pub fn take_stats(&self) -> Stats {
        std::mem::take(&mut *self.stats.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Forgets pages no build used since the last call (deleted or renamed ones).
    pub fn prune(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|_, cached| {
            cached
                .used
                .swap(false, std::sync::atomic::Ordering::Relaxed)
        });
    }
}
