//! Template values kept from build to build.
//!
//! A rebuild makes the template values of every page again (they are cheap), but a value
//! whose inputs did not change is taken from the last build instead: that saves making it,
//! and above all keeps its address, by which the fingerprint memo knows it, so the page
//! cache can tell an unchanged page without hashing its values again.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tera::Value;

use super::fingerprint::FingerprintHasher;
use super::lock;
use crate::markdown::RenderedMarkdown;
use crate::templates::context::markdown_fields;

/// The values of the last builds: those made from a page's rendered Markdown alone (its
/// content split at headings, its table of contents), by the identity of that Markdown
/// (which [`super::MarkdownCache`] keeps while the page is unchanged); and page values, by
/// a hash of what they are made from.
#[derive(Default)]
pub struct ValueCache {
    markdown: Mutex<HashMap<usize, Fields>>,
    built: Mutex<HashMap<u64, Built>>,
}

struct Fields {
    /// Held so the address the entry is keyed by cannot be reused by another page.
    _markdown: Arc<RenderedMarkdown>,
    fields: Vec<(&'static str, Value)>,
    used: AtomicBool,
}

struct Built {
    /// The rendered Markdown whose addresses the key was made from, held for the same reason.
    _markdown: Vec<Arc<RenderedMarkdown>>,
    value: Value,
    used: AtomicBool,
}

/// The key of a value made from `inputs` (and from the rendered Markdown of `markdown`, by
/// identity): a 64-bit hash, as page fingerprints are.
pub fn value_key(kind: &str, inputs: &impl Hash, markdown: &[&Arc<RenderedMarkdown>]) -> u64 {
    let mut hasher = FingerprintHasher::new();
    kind.hash(&mut hasher);
    inputs.hash(&mut hasher);
    for md in markdown {
        (Arc::as_ptr(md) as usize).hash(&mut hasher);
    }
    hasher.finish()
}

impl ValueCache {
    /// The Markdown fields of a page, made once per rendered Markdown.
    pub fn fields(&self, markdown: &Arc<RenderedMarkdown>) -> Vec<(&'static str, Value)> {
        let key = Arc::as_ptr(markdown) as usize;
        if let Some(cached) = lock(&self.markdown).get(&key) {
            cached.used.store(true, Ordering::Relaxed);
            return cached.fields.clone();
        }
        let fields = markdown_fields(markdown);
        lock(&self.markdown).insert(
            key,
            Fields {
                _markdown: markdown.clone(),
                fields: fields.clone(),
                used: AtomicBool::new(true),
            },
        );
        fields
    }

    /// The value under `key` (see [`value_key`]): the one an earlier build made, or one
    /// `make` makes now. `markdown` is what the key took by address.
    pub fn value(
        &self,
        key: u64,
        markdown: &[&Arc<RenderedMarkdown>],
        make: impl FnOnce() -> Value,
    ) -> Value {
        if let Some(built) = lock(&self.built).get(&key) {
            built.used.store(true, Ordering::Relaxed);
            return built.value.clone();
        }
        let value = make();
        lock(&self.built).insert(
            key,
            Built {
                _markdown: markdown.iter().map(|md| Arc::clone(md)).collect(),
                value: value.clone(),
                used: AtomicBool::new(true),
            },
        );
        value
    }

    /// Forgets the values no build used since the last call (dropped on another thread:
    /// a rebuild waiting to reload the browser need not wait for that).
    pub fn prune(&self) {
        let unused_fields = drain_unused(&mut lock(&self.markdown), |f| &f.used);
        let unused = drain_unused(&mut lock(&self.built), |b| &b.used);
        super::drop_later((unused_fields, unused));
    }
}

/// Takes out the entries not used since the last call, and marks the rest unused.
fn drain_unused<K: std::hash::Hash + Eq, V>(
    table: &mut HashMap<K, V>,
    used: impl Fn(&V) -> &AtomicBool,
) -> Vec<V> {
    let (keep, unused): (HashMap<K, V>, HashMap<K, V>) = table
        .drain()
        .partition(|(_, entry)| used(entry).swap(false, Ordering::Relaxed));
    *table = keep;
    unused.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_reused_while_its_inputs_are_the_same() {
        let cache = ValueCache::default();
        let md = Arc::new(RenderedMarkdown::default());
        let key = value_key("page", &("A", 1), &[&md]);
        let first = cache.value(key, &[&md], || Value::from(vec![Value::from("A")]));
        let again = cache.value(key, &[&md], || unreachable!("made once"));
        assert_eq!(first, again);
        assert_eq!(
            value_key("page", &("A", 1), &[&md]),
            key,
            "the same inputs make the same key"
        );
        assert_ne!(value_key("page", &("B", 1), &[&md]), key);
        let other = Arc::new(RenderedMarkdown::default());
        assert_ne!(
            value_key("page", &("A", 1), &[&other]),
            key,
            "other rendered Markdown, even with equal text, is another key"
        );
        assert_ne!(value_key("summary", &("A", 1), &[&md]), key);
    }

    #[test]
    fn values_no_build_used_are_forgotten() {
        let cache = ValueCache::default();
        cache.value(1, &[], || Value::from(1));
        cache.prune(); // used by the build that made it
        cache.prune(); // not used since
        let made = std::cell::Cell::new(false);
        cache.value(1, &[], || {
            made.set(true);
            Value::from(1)
        });
        assert!(made.get());
    }
}
