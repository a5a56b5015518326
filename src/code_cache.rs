//! Highlighted code kept on disk between builds, in the site's cache folder
//! (`.cairn/highlight/`), one file per block named by its key: a block whose language and
//! code an earlier build highlighted is read back instead of highlighted again, which is
//! most of a rebuild's Markdown time on a site of technical articles.
//!
//! The folder is a cache: a missing, unreadable or damaged file is highlighted again, and
//! the renderer uses a file only if it has the shape of highlighted code, so nothing placed
//! there can put markup into a page. Files are written whole (to a temporary name, then
//! renamed), so builds running side by side never read half of one.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::markdown::BlockStore;

/// The store: a folder of highlighted blocks, in 256 subfolders by the key's first byte.
#[derive(Debug)]
pub struct CodeCache {
    dir: PathBuf,
    /// Which subfolders this store has made sure of: each is made once, not once a block.
    ready: [AtomicBool; 256],
    /// This process, in temporary names.
    process: u32,
}

impl CodeCache {
    /// The store of the site at `root`, in its cache folder.
    pub fn for_site(root: &Path) -> CodeCache {
        CodeCache {
            dir: root.join(crate::paths::CACHE_DIR).join("highlight"),
            ready: std::array::from_fn(|_| AtomicBool::new(false)),
            process: std::process::id(),
        }
    }

    fn path(&self, key: u128) -> PathBuf {
        let name = format!("{key:032x}");
        self.dir.join(&name[..2]).join(&name[2..])
    }
}

impl BlockStore for CodeCache {
    fn get(&self, key: u128) -> Option<String> {
        std::fs::read_to_string(self.path(key)).ok()
    }

    fn put(&self, key: u128, html: &str) {
        let path = self.path(key);
        let Some(dir) = path.parent() else {
            return;
        };
        // A cache that cannot be written (a read-only checkout) costs time, never the build.
        let ready = &self.ready[(key >> 120) as usize];
        if !ready.load(Ordering::Relaxed) {
            if std::fs::create_dir_all(dir).is_err() {
                return;
            }
            ready.store(true, Ordering::Relaxed);
        }
        let temporary = path.with_extension(format!(
            "{}-{:?}.tmp",
            self.process,
            std::thread::current().id()
        ));
        if std::fs::write(&temporary, html).is_err() {
            // The subfolder may have gone (a cleared cache): made again next time.
            ready.store(false, Ordering::Relaxed);
        } else if std::fs::rename(&temporary, &path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_come_back_by_key() {
        let site = tempfile::tempdir().unwrap();
        let cache = CodeCache::for_site(site.path());
        assert_eq!(cache.get(7), None);
        cache.put(7, "<span class=\"hl-source\">x</span>");
        assert_eq!(
            cache.get(7).as_deref(),
            Some("<span class=\"hl-source\">x</span>")
        );
        assert!(site.path().join(".cairn/highlight").is_dir());
    }

    #[test]
    fn a_cleared_cache_is_made_again() {
        let site = tempfile::tempdir().unwrap();
        let cache = CodeCache::for_site(site.path());
        cache.put(1, "first");
        std::fs::remove_dir_all(site.path().join(".cairn")).unwrap();
        cache.put(1, "lost, as the folder is gone");
        cache.put(1, "second");
        assert_eq!(cache.get(1).as_deref(), Some("second"));
    }

    #[test]
    fn blocks_sharing_a_subfolder_are_all_kept() {
        let site = tempfile::tempdir().unwrap();
        let cache = CodeCache::for_site(site.path());
        let keys = [0xab << 120, (0xab << 120) | 1, 0xcd << 120];
        for key in keys {
            cache.put(key, &format!("block {key}"));
        }
        for key in keys {
            assert_eq!(cache.get(key), Some(format!("block {key}")));
        }
    }
}
