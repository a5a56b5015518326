//! Value hashes: a 64-bit hash of everything a template can read, to tell an unchanged
//! page's context without comparing it.
//!
//! Many values are shared: between pages of one build (a section's page list, the tag
//! taxonomy) and between builds (a page's content, kept by the value memo while its
//! Markdown is unchanged). Their hashes are memoized by the address of their shared,
//! reference-counted data. The memo holds a clone of every value it knows, so that address
//! cannot be reused by another value while the entry exists; entries no build used are
//! swept with the other memos.

use std::hash::{Hash, Hasher};

use tera::Value;
use xxhash_rust::xxh3::{Xxh3Default, xxh3_64};

use crate::memo::Memo;

/// The hasher of values: xxh3 runs at memory speed on the long strings page values hold
/// (std's SipHash took most of a rebuild's time on a 1,000-page site). Not DoS-resistant,
/// which does not matter for hashing the site's own values.
pub type ValueHasher = Xxh3Default;

/// Strings at least this long are hashed on their own and memoized (page contents).
const LONG_STRING: usize = 512;

/// Lists at least this long have their maps memoized (a section's or a tag's pages); short
/// ones (breadcrumbs, tags of a page) cost less to hash than to look up.
const LONG_LIST: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Map,
    Array,
    Text,
}

/// A memo of value hashes, by the address of shared maps, arrays and long strings; each
/// entry keeps the value it hashed alive, so its address names it alone.
pub struct ValueHashes {
    memo: Memo<(usize, Kind), (Value, u64)>,
}

impl Default for ValueHashes {
    /// A memo that remembers.
    fn default() -> Self {
        Self::new()
    }
}

impl ValueHashes {
    /// A memo that remembers across builds (split for parallel use).
    pub fn new() -> ValueHashes {
        ValueHashes {
            memo: Memo::sharded(),
        }
    }

    /// A memo that remembers nothing.
    pub fn off() -> ValueHashes {
        ValueHashes { memo: Memo::off() }
    }

    /// The hash of `value`, from the memo when this map, array or long string was hashed
    /// before.
    pub fn shared(&self, value: &Value) -> u64 {
        let Some(key) = address(value) else {
            return self.hash(value);
        };
        if let Some((_, hash)) = self.memo.get(&key) {
            return hash;
        }
        let hash = self.hash(value);
        self.memo.insert(key, (value.clone(), hash));
        hash
    }

    /// Forgets the hashes no build asked for since the last sweep; returns their values.
    pub fn sweep(&self) -> Vec<(Value, u64)> {
        self.memo.sweep()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.memo.len()
    }

    fn hash(&self, value: &Value) -> u64 {
        if let Some(text) = value.as_str()
            && text.len() >= LONG_STRING
        {
            let mut hasher = ValueHasher::new();
            value.is_safe().hash(&mut hasher);
            xxh3_64(text.as_bytes()).hash(&mut hasher);
            return hasher.finish();
        }
        let mut hasher = ValueHasher::new();
        feed(value, &mut hasher, self);
        hasher.finish()
    }
}

/// The memo key of a value whose data is shared: maps, arrays and long strings.
fn address(value: &Value) -> Option<(usize, Kind)> {
    if let Some(map) = value.as_map() {
        Some((map as *const tera::Map as usize, Kind::Map))
    } else if let Some(items) = value.as_array() {
        Some((items.as_ptr() as usize, Kind::Array))
    } else {
        value
            .as_str()
            .filter(|text| text.len() >= LONG_STRING)
            .map(|text| (text.as_ptr() as usize, Kind::Text))
    }
}

/// The hash of a whole value, every nested part included, without a memo.
#[cfg(test)]
pub fn deep(value: &Value) -> u64 {
    ValueHashes::off().hash(value)
}

/// Feeds a value to the hasher. Maps inside lists (pages in a section's or a tag's list) and
/// long strings (contents) are the values shared most, so they go through the memo; what a
/// value contributes depends only on its content, memo or not.
fn feed(value: &Value, hasher: &mut ValueHasher, memo: &ValueHashes) {
    // The kind goes first so that, say, the string "1" and the number 1 differ.
    std::mem::discriminant(&value.kind()).hash(hasher);
    if let Some(text) = value.as_str() {
        if text.len() >= LONG_STRING {
            memo.shared(value).hash(hasher);
        } else {
            value.is_safe().hash(hasher);
            text.hash(hasher);
        }
    } else if let Some(map) = value.as_map() {
        map.len().hash(hasher);
        for (key, item) in map {
            key.hash(hasher);
            feed(item, hasher, memo);
        }
    } else if let Some(items) = value.as_array() {
        items.len().hash(hasher);
        let long = items.len() >= LONG_LIST;
        for item in items {
            if long && item.as_map().is_some() {
                memo.shared(item).hash(hasher);
            } else {
                feed(item, hasher, memo);
            }
        }
    } else if let Some(bytes) = value.as_bytes() {
        bytes.hash(hasher);
    } else if let Some(flag) = value.as_bool() {
        flag.hash(hasher);
    } else if let Some(number) = value.as_i128() {
        number.hash(hasher);
    } else if let Some(number) = value.as_u128() {
        number.hash(hasher);
    } else if let Some(number) = value.as_f64() {
        number.to_bits().hash(hasher);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Value {
        let mut map = tera::Map::new();
        for (key, value) in pairs {
            map.insert((*key).to_string().into(), value.clone());
        }
        Value::from(map)
    }

    #[test]
    fn equal_values_hash_alike_and_any_change_shows() {
        let a = map(&[("title", "A".into()), ("n", 1.into())]);
        let same = map(&[("title", "A".into()), ("n", 1.into())]);
        let other = map(&[("title", "A".into()), ("n", 2.into())]);
        let text = map(&[("title", "A".into()), ("n", "1".into())]);
        assert_eq!(deep(&a), deep(&same));
        assert_ne!(deep(&a), deep(&other));
        assert_ne!(deep(&a), deep(&text));
        let safe = Value::from("<b>").mark_safe();
        assert_ne!(deep(&safe), deep(&Value::from("<b>")));
        let long = "x".repeat(2000);
        let long_changed = format!("{}y", &long[1..]);
        assert_eq!(
            deep(&map(&[("content", long.as_str().into())])),
            deep(&map(&[("content", long.clone().as_str().into())]))
        );
        assert_ne!(
            deep(&map(&[("content", long.as_str().into())])),
            deep(&map(&[("content", long_changed.as_str().into())]))
        );
    }

    #[test]
    fn shared_values_are_memoized_by_address_and_pruned_when_unused() {
        let fingerprints = ValueHashes::new();
        let list = Value::from(vec![Value::from("x"), Value::from("y")]);
        let copy = list.clone();
        assert_eq!(fingerprints.shared(&list), deep(&list));
        assert_eq!(fingerprints.shared(&copy), deep(&list));
        assert_eq!(fingerprints.len(), 1);
        let pages = Value::from(
            (0..LONG_LIST)
                .map(|i| map(&[("t", i.into())]))
                .collect::<Vec<_>>(),
        );
        assert_eq!(fingerprints.shared(&pages), deep(&pages));
        assert_eq!(fingerprints.len(), 2 + LONG_LIST, "two lists and the pages");
        fingerprints.sweep();
        assert_eq!(fingerprints.len(), 2 + LONG_LIST, "all used once");
        fingerprints.shared(&list);
        fingerprints.sweep();
        assert_eq!(fingerprints.len(), 1, "only the list was used again");
    }
}
