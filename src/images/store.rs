//! The image cache: resized variants and share cards, kept between builds so a second build
//! encodes nothing, and the index that lets a build know its images without reading them.
//!
//! Files are content-addressed: a file's name is a hash of everything that made it (the
//! source's bytes, the size, the format, the quality, the encoder's version), so a name
//! found in the store is always the right file, and two sites or two output folders can
//! share one store. The store lives in the site's cache folder (`.cairn/images/`); when
//! that cannot be made (a read-only checkout), in the user's cache folder.
//!
//! The index (`index` in the store) records, for every source image, its stamp (size and
//! modification time) with its hash, format and size in pixels, and for every stored file
//! its hash and length. A warm build then only asks the file system for stamps: it reads
//! no image, and the writer recognises unchanged output by the recorded hash.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};

use rayon::prelude::*;

use crate::sync::{lock, read, write};

/// The folder in the site's cache folder that holds the store.
const STORE_DIR: &str = "images";

/// The index file's name in the store, and its first line.
const INDEX_FILE: &str = "index";
const INDEX_VERSION: &str = "cairn-images 1";

/// What the index remembers of a source image, and the stamp it holds for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceEntry {
    /// The file's length in bytes.
    pub size: u64,
    /// Its modification time, seconds and nanoseconds since the Unix epoch.
    pub modified: (i64, u32),
    /// What was found in it.
    pub facts: SourceFacts,
}

/// What reading an image's header found: enough to write its `<img>` and name its variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceFacts {
    /// xxh3-128 of the file's bytes.
    pub hash: u128,
    /// Its format.
    pub format: super::Format,
    /// Width and height as shown, after the EXIF orientation is applied.
    pub width: u32,
    /// See `width`.
    pub height: u32,
}

/// What the index remembers of a stored file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoredEntry {
    /// xxh3-128 of its bytes (the output manifest's hash).
    pub hash: u128,
    /// Its length in bytes.
    pub size: u64,
}

/// The store of one build: its folder and its index, shared by the threads that fill it.
pub struct Store {
    dir: PathBuf,
    /// Read by every thread of the catalog at once, written only for a new or changed image.
    /// Keyed by the path as text (hashing a `Path` parses it into components each time).
    sources: RwLock<HashMap<String, SourceEntry>>,
    /// Read by every thread of a build at once, written only for a file new to the index.
    stored: RwLock<HashMap<String, StoredEntry>>,
    /// The names of the files in the folder, as the listing begun at opening found them.
    listing: OnceLock<HashSet<String>>,
    /// The listing under way since the store was opened: tens of thousands of names are
    /// read while Markdown renders, not when the first variant is looked up.
    listing_ahead: Mutex<Option<std::thread::JoinHandle<HashSet<String>>>>,
    changed: AtomicBool,
    /// Files this build encoded (a second build of the same site encodes none).
    encoded: AtomicU64,
}

impl Store {
    /// Opens the store for the site at `root`: `.cairn/images/` there, or, when that folder
    /// cannot be made, `cairn/images/` in the user's cache folder. `None` when neither can.
    pub fn open(root: &Path) -> Option<Store> {
        let in_site = root.join(crate::paths::CACHE_DIR).join(STORE_DIR);
        let dir = if std::fs::create_dir_all(&in_site).is_ok() {
            in_site
        } else {
            let in_user = user_cache_dir()?.join(STORE_DIR);
            std::fs::create_dir_all(&in_user).ok()?;
            in_user
        };
        Some(Store::at(dir))
    }

    /// The store in `dir` (made already), with the index found there.
    pub(crate) fn at(dir: PathBuf) -> Store {
        let (sources, stored) = read_index(&dir.join(INDEX_FILE));
        let listing_ahead = {
            let dir = dir.clone();
            // Without a thread to spare, the listing is made when first needed.
            std::thread::Builder::new()
                .name("cairn-store-listing".into())
                .spawn(move || list_folder(&dir))
                .ok()
        };
        Store {
            dir,
            sources: RwLock::new(sources),
            stored: RwLock::new(stored),
            listing: OnceLock::new(),
            listing_ahead: Mutex::new(listing_ahead),
            changed: AtomicBool::new(false),
            encoded: AtomicU64::new(0),
        }
    }

    /// The folder it keeps its files in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many files this build encoded into the store.
    pub fn encoded(&self) -> u64 {
        self.encoded.load(Ordering::Relaxed)
    }

    /// What the index says of the source at `path` when its stamp is still `size` and
    /// `modified`.
    pub(crate) fn source(
        &self,
        path: &Path,
        size: u64,
        modified: (i64, u32),
    ) -> Option<SourceFacts> {
        let sources = read(&self.sources);
        let entry = sources.get(path.to_str()?)?;
        (entry.size == size && entry.modified == modified).then_some(entry.facts)
    }

    /// Records what was found in the source at `path`. A path that is not UTF-8 or holds a
    /// line break is not recorded: the index is text, one line a file, so such an image is
    /// read again by the next build.
    pub(crate) fn remember_source(&self, path: &Path, entry: SourceEntry) {
        let Some(path) = path.to_str().filter(|p| !p.contains(['\n', '\r'])) else {
            return;
        };
        let previous = write(&self.sources).insert(path.to_string(), entry.clone());
        if previous.as_ref() != Some(&entry) {
            self.changed.store(true, Ordering::Relaxed);
        }
    }

    /// Where the stored file `name` is (whether or not it exists).
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The hash and length of the stored file `name`, when it is there: from the index when
    /// the folder holds the file, else by reading it (a file another build stored, whose
    /// index entry was lost).
    ///
    /// Whether the folder holds it comes from one listing of the folder, not a `stat` per
    /// file: a warm build of 10,000 photos asks for 60,000 variants. A listed file is whole
    /// and never changes (each is written beside its name and renamed in), so its indexed
    /// length holds. A file stored after the listing is checked on its own.
    pub(crate) fn stored(&self, name: &str) -> Option<StoredEntry> {
        if let Some(entry) = read(&self.stored).get(name).copied()
            && self.listing().contains(name)
        {
            return Some(entry);
        }
        let path = self.path_of(name);
        let size = std::fs::metadata(&path)
            .ok()
            .filter(std::fs::Metadata::is_file)?
            .len();
        if let Some(entry) = read(&self.stored).get(name).copied()
            && entry.size == size
        {
            return Some(entry);
        }
        let bytes = std::fs::read(&path).ok()?;
        let entry = StoredEntry {
            hash: xxhash_rust::xxh3::xxh3_128(&bytes),
            size: bytes.len() as u64,
        };
        self.record(name, entry);
        Some(entry)
    }

    /// The names of the files in the folder when it was first listed.
    fn listing(&self) -> &HashSet<String> {
        self.listing.get_or_init(|| {
            let ahead = lock(&self.listing_ahead).take();
            ahead
                .and_then(|listing| listing.join().ok())
                .unwrap_or_else(|| list_folder(&self.dir))
        })
    }

    /// Stores `bytes` as `name` (written beside it, then renamed, so no reader ever sees
    /// half a file) and returns its entry.
    pub(crate) fn put(&self, name: &str, bytes: &[u8]) -> std::io::Result<StoredEntry> {
        let path = self.path_of(name);
        let temporary = self.dir.join(format!(
            ".{name}.{}-{}",
            std::process::id(),
            self.encoded.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&temporary, bytes)?;
        if let Err(error) = std::fs::rename(&temporary, &path) {
            let _ = std::fs::remove_file(&temporary);
            return Err(error);
        }
        let entry = StoredEntry {
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
            size: bytes.len() as u64,
        };
        self.record(name, entry);
        Ok(entry)
    }

    fn record(&self, name: &str, entry: StoredEntry) {
        write(&self.stored).insert(name.to_string(), entry);
        self.changed.store(true, Ordering::Relaxed);
    }

    /// Writes the index back when this build learned something. A failure only costs the
    /// next build some reading, so it is not an error.
    pub fn save(&self) {
        if !self.changed.swap(false, Ordering::Relaxed) {
            return;
        }
        let text = render_index(&read(&self.sources), &read(&self.stored));
        let path = self.dir.join(INDEX_FILE);
        let temporary = self
            .dir
            .join(format!(".{INDEX_FILE}.{}", std::process::id()));
        if std::fs::write(&temporary, text).is_ok() && std::fs::rename(&temporary, &path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

/// The names of the files in `dir` (none when it cannot be read).
fn list_folder(dir: &Path) -> HashSet<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect()
}

/// A file's stamp in the index's terms: its length and modification time.
pub(crate) fn stamp(meta: &std::fs::Metadata) -> (u64, (i64, u32)) {
    let modified = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or((0, 0), |since| {
            (
                i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
                since.subsec_nanos(),
            )
        });
    (meta.len(), modified)
}

/// `$XDG_CACHE_HOME/cairn` (or `~/.cache/cairn`), for a site whose own folder is read-only.
fn user_cache_dir() -> Option<PathBuf> {
    let from_env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    from_env("XDG_CACHE_HOME")
        .or_else(|| from_env("HOME").map(|home| home.join(".cache")))
        .map(|dir| dir.join("cairn"))
}

type Index = (HashMap<String, SourceEntry>, HashMap<String, StoredEntry>);

/// Reads the index; empty when it is missing or damaged (everything is then found again).
fn read_index(path: &Path) -> Index {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Index::default();
    };
    parse_index(&text).unwrap_or_default()
}

/// The index's lines:
///
/// ```text
/// cairn-images 1
/// S <size> <seconds> <nanos> <hash> <format> <width> <height> <source path>
/// V <hash> <size> <stored name>
/// ```
fn parse_index(text: &str) -> Option<Index> {
    let mut lines = text.lines();
    if lines.next() != Some(INDEX_VERSION) {
        return None;
    }
    // Parsed in parallel: a store of 10,000 photos has 60,000 lines, read by every build.
    let lines: Vec<&str> = lines.collect();
    let parsed: Option<Vec<IndexLine>> = lines.par_iter().map(|line| parse_line(line)).collect();
    let parsed = parsed?;
    let sources = parsed
        .iter()
        .filter(|line| matches!(line, IndexLine::Source(..)))
        .count();
    let mut index: Index = (
        HashMap::with_capacity_and_hasher(sources, Default::default()),
        HashMap::with_capacity_and_hasher(parsed.len() - sources, Default::default()),
    );
    for line in parsed {
        match line {
            IndexLine::Source(path, entry) => {
                index.0.insert(path, entry);
            }
            IndexLine::Stored(name, entry) => {
                index.1.insert(name, entry);
            }
        }
    }
    Some(index)
}

/// One line of the index, parsed.
enum IndexLine {
    Source(String, SourceEntry),
    Stored(String, StoredEntry),
}

fn parse_line(line: &str) -> Option<IndexLine> {
    let (kind, rest) = line.split_once(' ')?;
    match kind {
        "S" => {
            let mut fields = rest.splitn(8, ' ');
            let mut next = || fields.next();
            let size = next()?.parse().ok()?;
            let modified = (next()?.parse().ok()?, next()?.parse().ok()?);
            let hash = u128::from_str_radix(next()?, 16).ok()?;
            let format = super::Format::from_name(next()?)?;
            let width = next()?.parse().ok()?;
            let height = next()?.parse().ok()?;
            let path = next()?.to_string();
            let facts = SourceFacts {
                hash,
                format,
                width,
                height,
            };
            let entry = SourceEntry {
                size,
                modified,
                facts,
            };
            Some(IndexLine::Source(path, entry))
        }
        "V" => {
            let mut fields = rest.splitn(3, ' ');
            let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
            let size = fields.next()?.parse().ok()?;
            let name = fields.next()?.to_string();
            Some(IndexLine::Stored(name, StoredEntry { hash, size }))
        }
        _ => None,
    }
}

fn render_index(
    sources: &HashMap<String, SourceEntry>,
    stored: &HashMap<String, StoredEntry>,
) -> String {
    let mut lines: Vec<String> = sources
        .iter()
        .map(|(path, entry)| {
            let facts = &entry.facts;
            format!(
                "S {} {} {} {:032x} {} {} {} {path}",
                entry.size,
                entry.modified.0,
                entry.modified.1,
                facts.hash,
                facts.format.name(),
                facts.width,
                facts.height
            )
        })
        .chain(
            stored
                .iter()
                .map(|(name, entry)| format!("V {:032x} {} {name}", entry.hash, entry.size)),
        )
        .collect();
    lines.sort();
    let mut text = String::from(INDEX_VERSION);
    text.push('\n');
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::Format;

    #[test]
    fn a_source_whose_path_breaks_a_line_is_not_recorded_and_found_again_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().to_path_buf());
        let facts = SourceFacts {
            hash: 1,
            format: Format::Png,
            width: 2,
            height: 3,
        };
        let entry = SourceEntry {
            size: 4,
            modified: (5, 6),
            facts,
        };
        let odd = Path::new("content/a\nS 1 2 3/photo.png");
        let plain = Path::new("content/photo.png");
        store.remember_source(odd, entry.clone());
        store.remember_source(plain, entry);
        assert_eq!(store.source(odd, 4, (5, 6)), None);
        store.save();
        let again = Store::at(dir.path().to_path_buf());
        assert_eq!(again.source(plain, 4, (5, 6)), Some(facts));
        assert_eq!(again.source(odd, 4, (5, 6)), None);
        assert_eq!(read(&again.sources).len(), 1);
    }

    #[test]
    fn the_index_reads_back_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().to_path_buf());
        let facts = SourceFacts {
            hash: 7,
            format: Format::Jpeg,
            width: 40,
            height: 30,
        };
        let path = Path::new("/site/content/a b/photo.jpg");
        store.remember_source(
            path,
            SourceEntry {
                size: 10,
                modified: (5, 6),
                facts,
            },
        );
        let entry = store.put("x.webp", b"bytes").unwrap();
        store.save();
        let again = Store::at(dir.path().to_path_buf());
        assert_eq!(again.source(path, 10, (5, 6)), Some(facts));
        assert_eq!(again.source(path, 11, (5, 6)), None, "another stamp");
        assert_eq!(again.stored("x.webp"), Some(entry));
        assert_eq!(again.stored("y.webp"), None);
    }

    #[test]
    fn a_damaged_index_is_as_good_as_none() {
        assert!(parse_index("cairn-images 1\nS 1 2\n").is_none());
        assert!(parse_index("another format\n").is_none());
        assert!(parse_index("cairn-images 1\n").is_some());
    }

    #[test]
    fn a_stored_file_without_an_entry_is_hashed_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("z.png"), b"png").unwrap();
        let store = Store::at(dir.path().to_path_buf());
        let entry = store.stored("z.png").unwrap();
        assert_eq!(entry.size, 3);
        assert_eq!(entry.hash, xxhash_rust::xxh3::xxh3_128(b"png"));
    }

    #[test]
    fn a_file_gone_from_the_store_is_not_found_though_the_index_knows_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().to_path_buf());
        store.put("kept.webp", b"kept").unwrap();
        store.put("gone.webp", b"gone").unwrap();
        store.save();
        std::fs::remove_file(dir.path().join("gone.webp")).unwrap();
        let again = Store::at(dir.path().to_path_buf());
        assert_eq!(again.stored("kept.webp").map(|e| e.size), Some(4));
        assert_eq!(again.stored("gone.webp"), None);
        // Stored after the folder was listed: found by itself.
        let entry = again.put("later.webp", b"later").unwrap();
        assert_eq!(again.stored("later.webp"), Some(entry));
    }
}
