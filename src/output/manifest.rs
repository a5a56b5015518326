//! The manifest of an output folder: every file the last build wrote there, with its size,
//! modification time and content hash. It is kept in the site's cache folder, not in the
//! output, so hosts never publish it.
//!
//! It lets a rebuild skip an unchanged file without reading it back: when the new bytes
//! hash to the recorded hash and the file on disk still has the recorded size and time, it
//! is the file cairn wrote. A file edited by hand has another time or size, so it is read
//! and compared (and rewritten) as if there were no manifest.
//!
//! Format: a version line, then one line per file:
//!
//! ```text
//! cairn-manifest 1
//! <hash: 32 hex digits> <size> <seconds> <nanoseconds> <path>
//! ```

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// What the manifest records of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// xxh3-128 of the bytes.
    pub hash: u128,
    /// Length in bytes.
    pub size: u64,
    /// Modification time as (seconds, nanoseconds) since the Unix epoch.
    pub modified: (i64, u32),
}

/// Output path → what was written there.
#[derive(Debug, Clone, Default)]
pub struct Manifest(pub HashMap<String, Entry>);

const VERSION: &str = "cairn-manifest 1";

/// The content hash the manifest records.
pub(super) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A file's modification time in the manifest's terms.
pub(super) fn modified(meta: &std::fs::Metadata) -> (i64, u32) {
    let Ok(time) = meta.modified() else {
        return (0, 0);
    };
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => (
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            since.subsec_nanos(),
        ),
        Err(before) => (
            -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
            0,
        ),
    }
}

impl Manifest {
    /// Reads a manifest; empty when it is missing or unreadable (every file is then
    /// compared by reading it).
    pub fn read(path: &Path) -> Manifest {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Manifest::default();
        };
        Manifest::parse(&text)
    }

    /// Writes the manifest whole: to a temporary file beside it, then renamed into place.
    pub(super) fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temporary, self.render())?;
        std::fs::rename(&temporary, path)
    }

    fn parse(text: &str) -> Manifest {
        let mut lines = text.lines();
        if lines.next() != Some(VERSION) {
            return Manifest::default();
        }
        // About 80 bytes a line: sized once rather than grown through every doubling.
        let mut entries = HashMap::with_capacity_and_hasher(text.len() / 80, Default::default());
        for line in lines {
            let mut fields = line.splitn(5, ' ');
            let parsed = (|| {
                let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
                let size = fields.next()?.parse().ok()?;
                let seconds = fields.next()?.parse().ok()?;
                let nanos = fields.next()?.parse().ok()?;
                let path = fields.next()?.to_string();
                Some((
                    path,
                    Entry {
                        hash,
                        size,
                        modified: (seconds, nanos),
                    },
                ))
            })();
            match parsed {
                Some((path, entry)) => {
                    entries.insert(path, entry);
                }
                // A damaged manifest is as good as none.
                None => return Manifest::default(),
            }
        }
        Manifest(entries)
    }

    /// The manifest's text: the version, then every entry in path order.
    pub(super) fn render(&self) -> String {
        let mut paths: Vec<&String> = self.0.keys().collect();
        paths.par_sort_unstable();
        let mut text = String::with_capacity(VERSION.len() + 1 + paths.len() * 80);
        text.push_str(VERSION);
        text.push('\n');
        for path in paths {
            let entry = &self.0[path];
            // Writing to a String cannot fail.
            let _ = writeln!(
                text,
                "{:032x} {} {} {} {path}",
                entry.hash, entry.size, entry.modified.0, entry.modified.1
            );
        }
        text
    }

    /// True when the file at `target` is, by size and time, the one this entry records.
    pub fn still_on_disk(entry: &Entry, target: &Path) -> bool {
        std::fs::symlink_metadata(target).is_ok_and(|meta| {
            meta.is_file() && meta.len() == entry.size && modified(&meta) == entry.modified
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_what_it_wrote() {
        let mut manifest = Manifest::default();
        manifest.0.insert(
            "a b/index.html".into(),
            Entry {
                hash: 0xabc,
                size: 12,
                modified: (1_700_000_000, 42),
            },
        );
        let text = manifest.render();
        assert!(text.starts_with(VERSION));
        let back = Manifest::parse(&text);
        assert_eq!(back.0, manifest.0);
    }

    #[test]
    fn a_damaged_or_old_manifest_is_an_empty_one() {
        assert!(Manifest::parse("cairn-manifest 0\n").0.is_empty());
        assert!(
            Manifest::parse("cairn-manifest 1\nnot a line\n")
                .0
                .is_empty()
        );
    }
}
