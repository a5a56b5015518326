//! Heading ids (slugs, author-given ids, de-duplication) and the table of contents.

use std::collections::{HashMap, HashSet};

use super::{Heading, TocEntry};

/// The shallowest heading level listed in the table of contents.
const TOC_MIN_LEVEL: u8 = 2;
/// The deepest heading level listed in the table of contents.
const TOC_MAX_LEVEL: u8 = 4;

/// The id a heading's text gets: the site's one slug function ([`crate::slug::slugify`]),
/// with `section` for text that has no letters or digits (an id may not be empty).
pub(super) fn heading_id(text: &str) -> String {
    let slug = crate::slug::slugify(text);
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

/// Restricts an author-written id or class to `[A-Za-z0-9_-]`: each run of
/// other characters becomes one `-`, leading and trailing `-` are trimmed.
/// Returns `None` when nothing usable is left.
pub(super) fn sanitize_author_token(token: &str) -> Option<String> {
    let mut clean = String::with_capacity(token.len());
    let mut separator_pending = false;
    for character in token.chars() {
        if character.is_ascii_alphanumeric() || character == '_' || character == '-' {
            if separator_pending && !clean.is_empty() && !clean.ends_with('-') {
                clean.push('-');
            }
            separator_pending = false;
            clean.push(character);
        } else {
            separator_pending = true;
        }
    }
    let trimmed = clean.trim_matches('-');
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// The ids already used on one page, so that every element id is unique.
///
/// Author-written heading ids are registered before rendering starts, so an
/// automatic id never takes an id the author wrote further down the page.
#[derive(Debug, Default)]
pub(super) struct IdRegistry {
    /// Every id used or reserved so far.
    taken: HashSet<String>,
    /// Explicit ids registered up front whose heading has not been rendered yet.
    explicit_unclaimed: HashSet<String>,
    /// The next numeric suffix to try for a base id, so repeats stay linear.
    next_suffix: HashMap<String, usize>,
}

/// The id a heading finally gets, and whether it had to be changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ClaimedId {
    /// The unique id to write.
    pub id: String,
    /// True when the author's explicit id was already in use and was renamed.
    pub renamed: bool,
}

impl IdRegistry {
    /// Marks an id written by the renderer itself (such as a footnote id) as used.
    pub(super) fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_owned());
    }

    /// Registers an author-written heading id before rendering; the first
    /// heading that claims it with [`IdRegistry::claim_explicit`] keeps it.
    pub(super) fn reserve_explicit(&mut self, id: &str) {
        if self.taken.insert(id.to_owned()) {
            self.explicit_unclaimed.insert(id.to_owned());
        }
    }

    /// Returns the id for a heading whose author wrote `id`: the id itself the
    /// first time, otherwise a suffixed variant marked as renamed.
    pub(super) fn claim_explicit(&mut self, id: &str) -> ClaimedId {
        if self.explicit_unclaimed.remove(id) {
            ClaimedId {
                id: id.to_owned(),
                renamed: false,
            }
        } else {
            ClaimedId {
                id: self.claim_unique(id),
                renamed: true,
            }
        }
    }

    /// Returns `base` if it is free, else the first free `base-1`, `base-2`, …,
    /// and marks the result as used.
    pub(super) fn claim_unique(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        let suffix = self.next_suffix.entry(base.to_owned()).or_insert(1);
        loop {
            let candidate = format!("{base}-{suffix}");
            *suffix += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Builds the nested table of contents from the page's headings, keeping
/// levels 2 to 4; a heading nests under the closest earlier, shallower one.
pub(super) fn build_toc(headings: &[Heading]) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    for heading in headings
        .iter()
        .filter(|heading| (TOC_MIN_LEVEL..=TOC_MAX_LEVEL).contains(&heading.level))
    {
        let entry = TocEntry {
            level: heading.level,
            id: heading.id.clone(),
            title: heading.title.clone(),
            children: Vec::new(),
        };
        insert_toc_entry(&mut toc, entry);
    }
    toc
}

/// Appends `entry` under the last entry of `siblings` while that one is
/// shallower. Recursion depth is bounded by the number of toc levels (3).
fn insert_toc_entry(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert_toc_entry(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.to_owned(),
            title: id.to_uppercase(),
        }
    }

    #[test]
    fn slugs_transliterate_and_collapse() {
        assert_eq!(heading_id("Über café"), "uber-cafe");
        assert_eq!(heading_id("  Hello,   World!  "), "hello-world");
        assert_eq!(heading_id("C++ & Rust 2024"), "c-rust-2024");
        assert_eq!(heading_id("???"), "section");
        assert_eq!(heading_id(""), "section");
    }

    #[test]
    fn author_tokens_keep_only_safe_characters() {
        assert_eq!(sanitize_author_token("my-id_2").as_deref(), Some("my-id_2"));
        assert_eq!(
            sanitize_author_token("a\"><script>").as_deref(),
            Some("a-script")
        );
        assert_eq!(sanitize_author_token("my.id").as_deref(), Some("my-id"));
        assert_eq!(sanitize_author_token("\"<>"), None);
        assert_eq!(sanitize_author_token(""), None);
    }

    #[test]
    fn automatic_ids_are_deduplicated() {
        let mut ids = IdRegistry::default();
        assert_eq!(ids.claim_unique("x"), "x");
        assert_eq!(ids.claim_unique("x"), "x-1");
        assert_eq!(ids.claim_unique("x-1"), "x-1-1");
        assert_eq!(ids.claim_unique("x"), "x-2");
    }

    #[test]
    fn explicit_ids_win_over_automatic_ones() {
        let mut ids = IdRegistry::default();
        ids.reserve_explicit("intro");
        assert_eq!(ids.claim_unique("intro"), "intro-1");
        let first = ids.claim_explicit("intro");
        assert_eq!(first.id, "intro");
        assert!(!first.renamed);
        let second = ids.claim_explicit("intro");
        assert_eq!(second.id, "intro-2");
        assert!(second.renamed);
    }

    #[test]
    fn reserved_ids_rename_explicit_duplicates() {
        let mut ids = IdRegistry::default();
        ids.reserve("fn-1");
        ids.reserve_explicit("fn-1");
        let claimed = ids.claim_explicit("fn-1");
        assert_eq!(claimed.id, "fn-1-1");
        assert!(claimed.renamed);
    }

    #[test]
    fn toc_nests_levels_two_to_four() {
        let headings = [
            heading(1, "title"),
            heading(2, "a"),
            heading(3, "a1"),
            heading(4, "a1x"),
            heading(5, "deep"),
            heading(3, "a2"),
            heading(2, "b"),
            heading(4, "b-skip"),
            heading(3, "orphan-after-b"),
        ];
        let toc = build_toc(&headings);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].id, "a");
        assert_eq!(toc[0].title, "A");
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[0].children[0].children[0].id, "a1x");
        assert!(toc[0].children[0].children[0].children.is_empty());
        assert_eq!(toc[1].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "b-skip");
        assert_eq!(toc[1].children[1].id, "orphan-after-b");
    }

    #[test]
    fn toc_starts_at_whatever_level_comes_first() {
        let toc = build_toc(&[heading(3, "c"), heading(2, "b"), heading(3, "c2")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[1].children[0].id, "c2");
    }
}
