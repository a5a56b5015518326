//! Fingerprints of template values: a 64-bit hash of everything a template can read.
//!
//! Values shared between many pages (a section's page list, the tag taxonomy) are hashed
//! once per build: the memo is keyed by the address of the shared, reference-counted data.
//! That is sound only while every value hashed stays alive for the memo's lifetime, which
//! the page cache guarantees by hashing all jobs before rendering any.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use tera::Value;
use xxhash_rust::xxh3::Xxh3Default;

/// The hasher of fingerprints: xxh3 runs at memory speed on the long strings page values hold
/// (std's SipHash took most of a rebuild's time on a 1,000-page site). Not DoS-resistant,
/// which does not matter for hashing the site's own values.
pub type FingerprintHasher = Xxh3Default;

/// A per-build memo of value hashes, by the address of shared maps and arrays.
#[derive(Default)]
pub struct Fingerprinter {
    memo: Mutex<HashMap<(usize, bool), u64>>,
}

impl Fingerprinter {
    /// The hash of `value`, from the memo when this map or array was hashed before.
    pub fn shared(&self, value: &Value) -> u64 {
        let address = if let Some(map) = value.as_map() {
            Some((map as *const tera::Map as usize, true))
        } else {
            value
                .as_array()
                .map(|items| (items.as_ptr() as usize, false))
        };
        let Some(address) = address else {
            return self.hash(value);
        };
        if let Some(hash) = self
            .memo
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&address)
        {
            return *hash;
        }
        let hash = self.hash(value);
        self.memo
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(address, hash);
        hash
    }

    fn hash(&self, value: &Value) -> u64 {
        let mut hasher = FingerprintHasher::new();
        feed(value, &mut hasher, Some(self));
        hasher.finish()
    }
}

/// The hash of a whole value, every nested part included, without a memo.
#[cfg(test)]
pub fn deep(value: &Value) -> u64 {
    Fingerprinter::default().hash(value)
}

/// Feeds a value to the hasher. Maps inside lists (pages in a section's or a tag's list) are
/// the values shared most, so they go through the memo.
fn feed(value: &Value, hasher: &mut FingerprintHasher, memo: Option<&Fingerprinter>) {
    // The kind goes first so that, say, the string "1" and the number 1 differ.
    std::mem::discriminant(&value.kind()).hash(hasher);
    if let Some(text) = value.as_str() {
        value.is_safe().hash(hasher);
        text.hash(hasher);
    } else if let Some(map) = value.as_map() {
        map.len().hash(hasher);
        for (key, item) in map {
            key.hash(hasher);
            feed(item, hasher, memo);
        }
    } else if let Some(items) = value.as_array() {
        items.len().hash(hasher);
        for item in items {
            match memo {
                Some(memo) if item.as_map().is_some() => memo.shared(item).hash(hasher),
                _ => feed(item, hasher, memo),
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
    }

    #[test]
    fn shared_values_are_memoized_by_address() {
        let fingerprints = Fingerprinter::default();
        let list = Value::from(vec![Value::from("x"), Value::from("y")]);
        let copy = list.clone();
        assert_eq!(fingerprints.shared(&list), deep(&list));
        assert_eq!(fingerprints.shared(&copy), deep(&list));
        assert_eq!(fingerprints.memo.lock().unwrap().len(), 1);
        let pages = Value::from(vec![map(&[("t", "a".into())]), map(&[("t", "b".into())])]);
        let fresh = Fingerprinter::default();
        assert_eq!(fresh.shared(&pages), deep(&pages));
        assert_eq!(
            fresh.memo.lock().unwrap().len(),
            3,
            "the list and both pages"
        );
    }
}
