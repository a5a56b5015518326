//! Highlighted code kept on disk between builds, in the site's cache folder
//! (`.cairn/highlighted/`): a block whose language and code an earlier build highlighted is
//! read back instead of highlighted again, which is most of a rebuild's Markdown time on a
//! site of technical articles.
//!
//! Blocks are appended to 256 packs, by the key's first byte, not kept one file per block:
//! a cold build of 100,000 pages made 33,334 such files, and on a file system slow to make
//! files (ext4 without a journal, soon after many were deleted) that was about a tenth of
//! its CPU samples, in inode allocation alone.
//!
//! A pack is a run of records, each its body's length, its key, a checksum of key and body,
//! and the body. Each record is appended whole in one write to a file opened for appending, so
//! builds running side by side add to the same pack without mixing their bytes, and a later
//! record for a key wins. A record is used only if its checksum holds: the scan of a pack
//! stops at a record that runs past the end (another build may be writing it), and a pack
//! with a damaged record (the torn end of a killed build, then more records after it) or one
//! grown past [`PACK_LIMIT`] is started afresh, which bounds the folder's size.
//!
//! A pack is scanned the first time a block in it is asked for, so a rebuild that renders a
//! few pages reads a few packs. The folder is a cache: whatever it holds, the renderer uses
//! a block only if it has the shape of highlighted code, so nothing placed there can put
//! markup into a page.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::markdown::BlockStore;
use crate::sync::lock;

/// The largest a pack grows before a build starts it afresh: 256 packs of 8 MiB hold far
/// more than the highlighted form of the most code one build highlights.
pub const PACK_LIMIT: u64 = 8 * 1024 * 1024;

/// The bytes before a record's body: its length (4), its key (16), its checksum (8).
const HEADER: usize = 28;

/// The store: the site's packs of highlighted blocks, each opened when first needed.
pub struct CodeCache {
    dir: PathBuf,
    /// Where the store kept blocks before packs, removed when the packs' folder is made.
    old_dir: PathBuf,
    /// Whether the folder exists (made at the first pack opened, once).
    ready: OnceLock<bool>,
    packs: Box<[Mutex<Pack>]>,
    limit: u64,
}

/// One pack, as this store knows it. No file is held open between uses: 256 open packs
/// would take most of the 256 files a process may have open by default on macOS.
#[derive(Default)]
enum Pack {
    /// Not scanned yet.
    #[default]
    Unscanned,
    /// Cannot be opened (a read-only checkout): no blocks are kept in it this build.
    Unavailable,
    /// Where each key's body is, and the checksum it must have.
    Scanned(HashMap<u128, Place>),
}

#[derive(Clone, Copy)]
struct Place {
    offset: u64,
    len: u32,
    check: u64,
}

impl std::fmt::Debug for CodeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeCache").field("dir", &self.dir).finish()
    }
}

impl CodeCache {
    /// The store of the site at `root`, in its cache folder.
    pub fn for_site(root: &Path) -> CodeCache {
        let cache = root.join(crate::paths::CACHE_DIR);
        CodeCache::in_folder(
            cache.join("highlighted"),
            cache.join("highlight"),
            PACK_LIMIT,
        )
    }

    fn in_folder(dir: PathBuf, old_dir: PathBuf, limit: u64) -> CodeCache {
        CodeCache {
            dir,
            old_dir,
            ready: OnceLock::new(),
            packs: (0..256).map(|_| Mutex::new(Pack::Unscanned)).collect(),
            limit,
        }
    }

    /// The pack holding `key`, with its file's path, scanned if this is its first use.
    fn pack(&self, key: u128) -> (std::sync::MutexGuard<'_, Pack>, PathBuf) {
        let byte = (key >> 120) as usize;
        let path = self.dir.join(format!("{byte:02x}.pack"));
        let mut pack = lock(&self.packs[byte]);
        if matches!(*pack, Pack::Unscanned) {
            *pack = self.scan_pack(&path);
        }
        (pack, path)
    }

    fn scan_pack(&self, path: &Path) -> Pack {
        let ready = *self.ready.get_or_init(|| {
            let fresh = !self.dir.is_dir();
            let made = std::fs::create_dir_all(&self.dir).is_ok();
            if made && fresh {
                // One file per block, as earlier versions kept them: of no use to packs.
                let _ = std::fs::remove_dir_all(&self.old_dir);
            }
            made
        });
        if !ready {
            return Pack::Unavailable;
        }
        // A pack is a plain file of this folder: anything else placed at its name (a link
        // to a file elsewhere) is removed, never written through.
        if std::fs::symlink_metadata(path).is_ok_and(|meta| !meta.is_file()) {
            let _ = std::fs::remove_file(path);
        }
        match open_for_appending(path) {
            Ok(mut file) => match scan(&mut file, self.limit) {
                Some(index) => Pack::Scanned(index),
                None => {
                    // Damaged or too large: started afresh. A build appending to the old
                    // file meanwhile loses its blocks, which costs it time, never a wrong
                    // block.
                    let _ = std::fs::remove_file(path);
                    Pack::Scanned(HashMap::new())
                }
            },
            Err(_) => Pack::Unavailable,
        }
    }
}

fn open_for_appending(path: &Path) -> std::io::Result<File> {
    File::options()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
}

/// The checksum binding a record's body to its key.
fn checksum(key: u128, body: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    hasher.update(&key.to_le_bytes());
    hasher.update(body);
    hasher.digest()
}

/// Every whole record of the pack in `file`, by key. `None` when the pack is to be started
/// afresh: a record's checksum does not hold, or the pack is larger than `limit`.
fn scan(file: &mut File, limit: u64) -> Option<HashMap<u128, Place>> {
    let size = file.metadata().ok()?.len();
    if size > limit {
        return None;
    }
    let mut index = HashMap::new();
    let mut reader = BufReader::new(&*file);
    let mut header = [0; HEADER];
    let mut body = Vec::new();
    let mut offset = 0;
    // Only what was there at the start: records appended since are another build's.
    while offset + HEADER as u64 <= size {
        reader.read_exact(&mut header).ok()?;
        let len = u32::from_le_bytes(header[..4].try_into().ok()?);
        let key = u128::from_le_bytes(header[4..20].try_into().ok()?);
        let check = u64::from_le_bytes(header[20..28].try_into().ok()?);
        let start = offset + HEADER as u64;
        if start + u64::from(len) > size {
            // Runs past the end: another build is writing it, or one was killed writing it.
            break;
        }
        body.resize(len as usize, 0);
        reader.read_exact(&mut body).ok()?;
        if checksum(key, &body) != check {
            return None;
        }
        index.insert(
            key,
            Place {
                offset: start,
                len,
                check,
            },
        );
        offset = start + u64::from(len);
    }
    Some(index)
}

impl BlockStore for CodeCache {
    fn get(&self, key: u128) -> Option<String> {
        let (pack, path) = self.pack(key);
        let Pack::Scanned(index) = &*pack else {
            return None;
        };
        let place = *index.get(&key)?;
        drop(pack);
        // Checked again: the file may have been started afresh since the scan.
        let mut file = File::open(path).ok()?;
        let mut body = vec![0; place.len as usize];
        file.seek(SeekFrom::Start(place.offset)).ok()?;
        file.read_exact(&mut body).ok()?;
        if checksum(key, &body) != place.check {
            return None;
        }
        String::from_utf8(body).ok()
    }

    fn put(&self, key: u128, html: &str) {
        let Ok(len) = u32::try_from(html.len()) else {
            return;
        };
        let check = checksum(key, html.as_bytes());
        let mut record = Vec::with_capacity(HEADER + html.len());
        record.extend_from_slice(&len.to_le_bytes());
        record.extend_from_slice(&key.to_le_bytes());
        record.extend_from_slice(&check.to_le_bytes());
        record.extend_from_slice(html.as_bytes());
        let (mut pack, path) = self.pack(key);
        let Pack::Scanned(index) = &mut *pack else {
            return;
        };
        // One write, so a record is never split by another build's; a cache that cannot be
        // written costs time, never the build.
        let Ok(mut file) = open_for_appending(&path) else {
            return;
        };
        if file.write_all(&record).is_err() {
            return;
        }
        // Appending leaves this file's position at the end of what it wrote.
        if let Some(end) = file.stream_position().ok()
            && let Some(offset) = end.checked_sub(u64::from(len))
        {
            index.insert(key, Place { offset, len, check });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(site: &Path) -> CodeCache {
        CodeCache::for_site(site)
    }

    fn pack_of(site: &Path, key: u128) -> PathBuf {
        site.join(format!(".cairn/highlighted/{:02x}.pack", key >> 120))
    }

    #[test]
    fn blocks_come_back_by_key_in_this_build_and_the_next() {
        let site = tempfile::tempdir().unwrap();
        let cache = store(site.path());
        assert_eq!(cache.get(7), None);
        cache.put(7, "<span class=\"hl-source\">x</span>");
        cache.put(8 << 120, "eight");
        assert_eq!(
            cache.get(7).as_deref(),
            Some("<span class=\"hl-source\">x</span>")
        );
        let next = store(site.path());
        assert_eq!(next.get(8 << 120).as_deref(), Some("eight"));
        assert_eq!(
            next.get(7).as_deref(),
            Some("<span class=\"hl-source\">x</span>")
        );
        assert_eq!(next.get(9), None);
    }

    #[test]
    fn blocks_sharing_a_pack_are_all_kept_and_a_later_one_wins() {
        let site = tempfile::tempdir().unwrap();
        let keys = [0xab << 120, (0xab << 120) | 1, 0xcd << 120];
        let cache = store(site.path());
        for key in keys {
            cache.put(key, &format!("block {key}"));
        }
        cache.put(keys[1], "again");
        let next = store(site.path());
        assert_eq!(next.get(keys[0]), Some(format!("block {}", keys[0])));
        assert_eq!(next.get(keys[1]).as_deref(), Some("again"));
        assert_eq!(next.get(keys[2]), Some(format!("block {}", keys[2])));
        // Two packs, not a file per block.
        let files = std::fs::read_dir(site.path().join(".cairn/highlighted")).unwrap();
        assert_eq!(files.count(), 2);
    }

    #[test]
    fn builds_side_by_side_keep_each_others_blocks() {
        let site = tempfile::tempdir().unwrap();
        let (a, b) = (store(site.path()), store(site.path()));
        // Both open the pack before either writes, as two processes would.
        assert_eq!((a.get(1), b.get(2)), (None, None));
        std::thread::scope(|s| {
            s.spawn(|| (0..200).for_each(|i| a.put(i << 8, &format!("a{i}"))));
            s.spawn(|| (0..200).for_each(|i| b.put((i << 8) | 1, &format!("b{i}"))));
        });
        let next = store(site.path());
        for i in 0..200u128 {
            assert_eq!(next.get(i << 8), Some(format!("a{i}")));
            assert_eq!(next.get((i << 8) | 1), Some(format!("b{i}")));
        }
    }

    #[test]
    fn a_torn_record_is_never_used_and_its_pack_heals() {
        let site = tempfile::tempdir().unwrap();
        let cache = store(site.path());
        cache.put(1, "whole");
        cache.put(2, "torn by a kill");
        let pack = pack_of(site.path(), 1);
        let bytes = std::fs::read(&pack).unwrap();
        std::fs::write(&pack, &bytes[..bytes.len() - 3]).unwrap();

        // The torn end is left out; what came before it is used.
        let next = store(site.path());
        assert_eq!(next.get(1).as_deref(), Some("whole"));
        assert_eq!(next.get(2), None);
        // A record appended after the torn end makes the pack damaged: started afresh, so
        // nothing read from it is ever a mix of two records.
        next.put(3, "after the tear");
        let after = store(site.path());
        assert_eq!(
            (after.get(1), after.get(2), after.get(3)),
            (None, None, None)
        );
        after.put(3, "kept again");
        assert_eq!(store(site.path()).get(3).as_deref(), Some("kept again"));
    }

    #[test]
    fn a_changed_byte_is_caught() {
        let site = tempfile::tempdir().unwrap();
        let cache = store(site.path());
        cache.put(5, "<span class=\"hl-source\">safe</span>");
        let pack = pack_of(site.path(), 5);
        let mut bytes = std::fs::read(&pack).unwrap();
        let at = bytes.len() - 10;
        bytes[at] ^= 0x20;
        std::fs::write(&pack, &bytes).unwrap();
        assert_eq!(store(site.path()).get(5), None);
        // Damaged after the scan, under this build's feet: caught at the read.
        let cache = store(site.path());
        cache.put(6, "first");
        let bytes = std::fs::read(pack_of(site.path(), 6)).unwrap();
        let mut changed = bytes.clone();
        *changed.last_mut().unwrap() = b'X';
        std::fs::write(pack_of(site.path(), 6), &changed).unwrap();
        assert_eq!(cache.get(6), None);
    }

    #[test]
    fn a_pack_past_the_limit_is_started_afresh() {
        let site = tempfile::tempdir().unwrap();
        let (dir, old) = (site.path().join("packs"), site.path().join("old"));
        let small = |limit| CodeCache::in_folder(dir.clone(), old.clone(), limit);
        let cache = small(100);
        cache.put(1, &"x".repeat(60));
        cache.put(2, &"y".repeat(60));
        assert_eq!(small(1000).get(1), Some("x".repeat(60)));
        let over = small(100);
        assert_eq!((over.get(1), over.get(2)), (None, None));
        assert!(!dir.join("00.pack").exists());
        over.put(3, "afresh");
        assert_eq!(small(100).get(3).as_deref(), Some("afresh"));
    }

    #[test]
    fn a_cleared_cache_is_made_again_and_the_old_layout_removed() {
        let site = tempfile::tempdir().unwrap();
        let old = site.path().join(".cairn/highlight/ab");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("cdef"), "a block as earlier versions kept it").unwrap();
        store(site.path()).put(1, "first");
        assert!(!site.path().join(".cairn/highlight").exists());
        std::fs::remove_dir_all(site.path().join(".cairn")).unwrap();
        store(site.path()).put(1, "second");
        assert_eq!(store(site.path()).get(1).as_deref(), Some("second"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_a_pack_is_not_written_through() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = site.path().join("elsewhere.txt");
        std::fs::write(&elsewhere, "not the cache's").unwrap();
        std::fs::create_dir_all(site.path().join(".cairn/highlighted")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, pack_of(site.path(), 1)).unwrap();
        store(site.path()).put(1, "kept");
        assert_eq!(
            std::fs::read_to_string(&elsewhere).unwrap(),
            "not the cache's"
        );
        assert_eq!(store(site.path()).get(1).as_deref(), Some("kept"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn no_pack_is_held_open() {
        let open_files = || std::fs::read_dir("/proc/self/fd").unwrap().count();
        let site = tempfile::tempdir().unwrap();
        let cache = store(site.path());
        let before = open_files();
        for byte in 0..256u128 {
            cache.put(byte << 120, "block");
            assert_eq!(cache.get(byte << 120).as_deref(), Some("block"));
        }
        // Other tests run beside this one and open files of their own; 256 would be packs.
        assert!(
            open_files() < before + 64,
            "{} then {}",
            before,
            open_files()
        );
    }

    #[test]
    fn a_pack_that_cannot_be_made_keeps_nothing() {
        let site = tempfile::tempdir().unwrap();
        // A file where the folder would go.
        std::fs::write(site.path().join(".cairn"), "not a folder").unwrap();
        let cache = store(site.path());
        cache.put(1, "lost");
        assert_eq!(cache.get(1), None);
    }
}
