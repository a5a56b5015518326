//! Memos: what an earlier build made, kept for the next build while it is still used.
//!
//! `cairn serve` rebuilds on every edit. Each stage asks its memo before redoing a piece of
//! work, and decides itself whether a remembered result still holds (a file's stamp, a
//! page's text and links). After a successful build the cache sweeps every memo: entries no
//! stage asked for since the last sweep belong to deleted or renamed files and go (mark and
//! sweep). A one-off `cairn build` passes memos that are off: they remember nothing and cost
//! nothing, so every stage has one code path for both.
//!
//! This module is a leaf: stages depend on it, and `incremental` composes their memos.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::sync::lock;

/// A table of values by key, marked when used and swept when not.
pub struct Memo<K, V> {
    /// Split by key so parallel stages rarely wait for one another; empty when off.
    shards: Box<[Shard<K, V>]>,
}

type Shard<K, V> = Mutex<HashMap<K, Slot<V>>>;

struct Slot<V> {
    value: V,
    used: AtomicBool,
}

/// How many shards a memo that many threads use at once is split into.
const SHARDS: usize = 16;

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    /// A memo that remembers, in one table.
    pub fn new() -> Self {
        Self::with_shards(1)
    }

    /// A memo that remembers, split into shards for heavy parallel use.
    pub fn sharded() -> Self {
        Self::with_shards(SHARDS)
    }

    /// A memo that remembers nothing, for one-off builds.
    pub fn off() -> Self {
        Self::with_shards(0)
    }

    fn with_shards(count: usize) -> Self {
        Memo {
            shards: (0..count).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// True when it remembers.
    pub fn is_on(&self) -> bool {
        !self.shards.is_empty()
    }

    fn shard(&self, key: &K) -> Option<&Shard<K, V>> {
        match self.shards.len() {
            0 => None,
            1 => self.shards.first(),
            n => {
                let hash = rustc_hash::FxBuildHasher.hash_one(key);
                // The high bits of an Fx hash are the well-mixed ones.
                self.shards.get((hash >> 56) as usize % n)
            }
        }
    }

    /// The remembered value for `key`, marked as used.
    pub fn get(&self, key: &K) -> Option<V> {
        self.get_if(key, |_| true)
    }

    /// The remembered value for `key` if `holds` says it still holds, marked as used.
    /// `holds` runs under the memo's lock, so it must be quick (a stamp compared); a longer
    /// check belongs after [`Memo::get`].
    pub fn get_if(&self, key: &K, holds: impl FnOnce(&V) -> bool) -> Option<V> {
        let shard = lock(self.shard(key)?);
        let slot = shard.get(key)?;
        if !holds(&slot.value) {
            return None;
        }
        slot.used.store(true, Ordering::Relaxed);
        Some(slot.value.clone())
    }

    /// Remembers `value` for `key`, marked as used.
    pub fn insert(&self, key: K, value: V) {
        if let Some(shard) = self.shard(&key) {
            let slot = Slot {
                value,
                used: AtomicBool::new(true),
            };
            lock(shard).insert(key, slot);
        }
    }

    /// The remembered value for `key`, or the one `make` makes now (then remembered).
    pub fn get_or_make(&self, key: K, make: impl FnOnce() -> V) -> V {
        if let Some(value) = self.get(&key) {
            return value;
        }
        let value = make();
        self.insert(key, value.clone());
        value
    }

    /// Removes the entries not used since the last sweep and marks the rest unused. The
    /// removed values are returned, so the caller decides when they are freed.
    pub fn sweep(&self) -> Vec<V> {
        let mut removed = Vec::new();
        for shard in &self.shards {
            let mut shard = lock(shard);
            let (keep, gone): (HashMap<K, Slot<V>>, HashMap<K, Slot<V>>) = shard
                .drain()
                .partition(|(_, slot)| slot.used.swap(false, Ordering::Relaxed));
            *shard = keep;
            removed.extend(gone.into_values().map(|slot| slot.value));
        }
        removed
    }

    /// Number of remembered values.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|shard| lock(shard).len()).sum()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Hash + Eq, V: Clone> Default for Memo<K, V> {
    /// A memo that remembers.
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_reused_while_used_and_swept_when_not() {
        let memo: Memo<&str, u32> = Memo::sharded();
        assert_eq!(memo.get_or_make("a", || 1), 1);
        assert_eq!(memo.get_or_make("a", || unreachable!("made once")), 1);
        memo.insert("b", 2);
        assert!(memo.sweep().is_empty(), "both used since the start");
        assert_eq!(memo.get(&"a"), Some(1));
        let mut gone = memo.sweep();
        gone.sort();
        assert_eq!(gone, [2], "b was not asked for");
        assert_eq!(memo.len(), 1);
    }

    #[test]
    fn a_value_that_no_longer_holds_is_not_returned() {
        let memo: Memo<&str, u32> = Memo::new();
        memo.insert("a", 1);
        assert_eq!(memo.get_if(&"a", |v| *v == 2), None);
        assert_eq!(memo.get_if(&"a", |v| *v == 1), Some(1));
    }

    #[test]
    fn an_off_memo_remembers_nothing() {
        let memo: Memo<&str, u32> = Memo::off();
        memo.insert("a", 1);
        assert_eq!(memo.get(&"a"), None);
        let mut made = 0;
        memo.get_or_make("a", || {
            made += 1;
            1
        });
        memo.get_or_make("a", || {
            made += 1;
            1
        });
        assert_eq!(made, 2);
        assert!(!memo.is_on());
    }
}
