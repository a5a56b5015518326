//! Which site data a template looked up while rendering one page.
//!
//! `get_page`, `get_section`, `get_taxonomy` and `get_url` can reach any part of the site, so
//! a page's HTML depends on more than its own context. While a cache renders a page it turns
//! recording on for the current thread (tera renders a page on one thread), and the functions
//! note each lookup; the cache then knows when that page must be rendered again.

use std::cell::RefCell;

/// One piece of site data a template function returned.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dependency {
    /// `get_page(path=…)`, by content key.
    Page(String),
    /// `get_section(path=…)`, by section key.
    Section(String),
    /// `get_taxonomy(name=…)`.
    Taxonomy(String),
    /// `get_url(path=…)`: the base path and the asset's fingerprinted name.
    Url(String),
    /// `get_integrity(path=…)`.
    Integrity(String),
    /// `resize_image(…)`: the image, how it is resized and the format asked for.
    Image(String, crate::images::Op, crate::images::Encoding),
}

thread_local! {
    static RECORDING: RefCell<Option<Vec<Dependency>>> = const { RefCell::new(None) };
}

/// Runs `render` while recording its lookups; returns its result and what it looked up.
pub fn record<T>(render: impl FnOnce() -> T) -> (T, Vec<Dependency>) {
    let previous = RECORDING.with(|r| r.borrow_mut().replace(Vec::new()));
    let result = render();
    let found = RECORDING.with(|r| std::mem::replace(&mut *r.borrow_mut(), previous));
    let mut found = found.unwrap_or_default();
    found.sort();
    found.dedup();
    (result, found)
}

/// Notes a lookup, when recording is on for this thread.
pub(crate) fn note(dependency: Dependency) {
    RECORDING.with(|r| {
        if let Some(found) = r.borrow_mut().as_mut()
            && found.last() != Some(&dependency)
        {
            found.push(dependency);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_inside_record_and_dedups() {
        note(Dependency::Url("x".into()));
        let ((), found) = record(|| {
            note(Dependency::Page("a.md".into()));
            note(Dependency::Page("a.md".into()));
            note(Dependency::Url("x".into()));
            note(Dependency::Page("a.md".into()));
        });
        assert_eq!(
            found,
            vec![Dependency::Page("a.md".into()), Dependency::Url("x".into())]
        );
        let ((), none) = record(|| ());
        assert!(none.is_empty());
    }
}
