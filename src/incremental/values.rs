//! Template values made from a page's rendered Markdown alone, kept while the Markdown is.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tera::Value;

use crate::markdown::RenderedMarkdown;
use crate::templates::context::markdown_fields;

/// The `content`, `parts`, `toc`… values of each rendered page, by the identity of its
/// rendered Markdown (which [`super::MarkdownCache`] keeps while the page is unchanged).
#[derive(Default)]
pub struct MarkdownValues {
    entries: Mutex<HashMap<usize, Cached>>,
}

struct Cached {
    /// Held so the address the entry is keyed by cannot be reused by another page.
    _markdown: Arc<RenderedMarkdown>,
    fields: Vec<(&'static str, Value)>,
    used: AtomicBool,
}

impl MarkdownValues {
    /// The Markdown fields of a page, made once per rendered Markdown.
    pub fn fields(&self, markdown: &Arc<RenderedMarkdown>) -> Vec<(&'static str, Value)> {
        let key = Arc::as_ptr(markdown) as usize;
        if let Some(cached) = self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            cached.used.store(true, Ordering::Relaxed);
            return cached.fields.clone();
        }
        let fields = markdown_fields(markdown);
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                key,
                Cached {
                    _markdown: markdown.clone(),
                    fields: fields.clone(),
                    used: AtomicBool::new(true),
                },
            );
        fields
    }

    /// Forgets pages no build used since the last call.
    pub fn prune(&self) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, cached| cached.used.swap(false, Ordering::Relaxed));
    }
}
