//! Writing one build into the output folder without ever leaving it torn.
//!
//! Files arrive while the build runs ([`Writer::put`], from any thread). A file whose
//! bytes are already on disk is left alone; any other is written beside its place under a
//! hidden temporary name (`.name.cairn-staged`), so the files being served are not touched
//! yet. Only [`Writer::commit`], called once every page has rendered, renames the staged
//! files into place (a rename replaces a file whole: no reader ever sees half of one),
//! removes files the build no longer makes and records the manifest. A build that fails
//! before that drops the writer, which removes what it staged and the folders it made: the
//! previous output is exactly as it was. If the commit itself fails half-way (a full disk,
//! a file that cannot be replaced), the error says how many files were already replaced,
//! and the next successful build completes the rest. A build that is killed leaves hidden
//! staged files, which the next build removes as files it does not make.
//!
//! Staging beside each file rather than in one folder keeps every folder the size the
//! site gives it: file systems slow down creating and renaming thousands of files in one
//! folder. A folder that was not there before (every folder, on a first build) is made
//! under a hidden name instead (`.name.1.cairn-new`), its files written straight into it, and
//! the commit renames the folder whole: one rename for the hundred pages of a new section,
//! not a hundred. A file whose folder cannot be made without removing something (a file
//! that becomes a folder), or whose name leaves no room for the suffix, is staged in
//! `.cairn-staging/` instead, and its folder made at the commit.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::manifest::{self, Entry, Manifest};
use super::{MARKER, WriteReport};
use crate::sync::lock;

/// What the marker file says to whoever opens it.
const MARKER_TEXT: &str = "This folder is built by cairn; it is replaced on every build.\n";
use crate::paths::{MAX_NAME_BYTES, RelPath};

/// The folder, inside the output folder, that holds the files that cannot be staged beside
/// their place until they are committed.
pub const STAGING: &str = ".cairn-staging";

/// What a staged file's name ends with.
const STAGED_SUFFIX: &str = ".cairn-staged";

/// What the hidden name of a new folder ends with, until the commit.
const NEW_SUFFIX: &str = ".cairn-new";

/// Why the commit failed, and how far it got.
#[derive(Debug)]
pub struct CommitError {
    /// What went wrong.
    pub error: std::io::Error,
    /// The file it went wrong on, if one.
    pub path: Option<PathBuf>,
    /// Files already replaced in the output folder.
    pub replaced: usize,
    /// Files the build changed in all.
    pub changed: usize,
}

/// One build's files on their way into the output folder.
pub struct Writer {
    output: PathBuf,
    staging: PathBuf,
    /// Where the manifest is kept, if anywhere.
    manifest: Option<PathBuf>,
    previous: Manifest,
    /// What the new manifest records of files left unchanged.
    kept: Mutex<Vec<(RelPath, Entry)>>,
    /// Files staged: where they go, the staged file, its entry.
    staged: Mutex<Vec<(RelPath, PathBuf, Entry)>>,
    /// Files written straight into a new folder, in place once the folder is.
    placed: Mutex<Vec<(RelPath, Entry)>>,
    /// Folders known to be real folders, and the new ones this build makes.
    folders: Mutex<Folders>,
    counter: AtomicUsize,
    committed: bool,
    /// True when this writer made the output folder (a failed first build removes it).
    made_output: bool,
}

impl Writer {
    /// Opens `output` for a build: creates it if needed, marks it as cairn's, reads the
    /// last build's manifest from `manifest` (kept outside the output, so it is never
    /// published) and clears what a killed build may have staged.
    pub fn open(output: &Path, manifest: Option<PathBuf>) -> std::io::Result<Writer> {
        let made_output = !output.exists();
        std::fs::create_dir_all(output)?;
        let marker = output.join(MARKER);
        if !marker.is_file() {
            std::fs::write(&marker, MARKER_TEXT)?;
        }
        let staging = output.join(STAGING);
        remove_any(&staging)?;
        let previous = manifest.as_deref().map(Manifest::read).unwrap_or_default();
        // A build mostly makes the files the last one made.
        let expected = previous.0.len();
        Ok(Writer {
            output: output.to_path_buf(),
            previous,
            manifest,
            staging,
            kept: Mutex::new(Vec::with_capacity(expected)),
            staged: Mutex::new(Vec::new()),
            placed: Mutex::new(Vec::new()),
            folders: Mutex::default(),
            counter: AtomicUsize::new(0),
            committed: false,
            made_output,
        })
    }

    /// Hands over one file. Unchanged bytes are recognised from the manifest without
    /// reading the file back; changed ones are staged.
    pub fn put(&self, path: &RelPath, bytes: &[u8]) -> std::io::Result<()> {
        let hash = manifest::hash(bytes);
        let size = bytes.len() as u64;
        let target = path.under(&self.output);
        if let Some(entry) = self.previous.0.get(path.as_str())
            && entry.hash == hash
            && entry.size == size
            && Manifest::still_on_disk(entry, &target)
        {
            lock(&self.kept).push((path.clone(), *entry));
            return Ok(());
        }
        let folder = self.folder_for(path)?;
        if let Folder::New(dir) = folder {
            // Nothing from before is in a new folder, and no reader sees it yet.
            let entry = write_file(&dir.join(path.file_name()), bytes, hash)?;
            lock(&self.placed).push((path.clone(), entry));
            return Ok(());
        }
        // No manifest entry, or the file was changed by hand: compare what is there.
        if let Some(meta) = self.regular_file(&target)
            && meta.len() == size
            && std::fs::read(&target)? == bytes
        {
            let entry = Entry {
                hash,
                size,
                modified: manifest::modified(&meta),
            };
            lock(&self.kept).push((path.clone(), entry));
            return Ok(());
        }
        let beside = format!(".{}{STAGED_SUFFIX}", path.file_name());
        // A name near the file system's limit has no room for the suffix: such a file is
        // staged in the staging folder, as a blocked one is.
        let staged = if folder == Folder::Blocked || beside.len() > MAX_NAME_BYTES {
            std::fs::create_dir_all(&self.staging)?;
            let number = self.counter.fetch_add(1, Ordering::Relaxed);
            self.staging.join(number.to_string())
        } else {
            target.with_file_name(beside)
        };
        let entry = write_file(&staged, bytes, hash)?;
        lock(&self.staged).push((path.clone(), staged, entry));
        Ok(())
    }

    /// Hands over a file to copy from `source` (read now, so a later change to the source
    /// cannot reach this build's output). When the caller knows the source's `hash` and
    /// the manifest shows that very file still in place, it is not read at all.
    pub fn copy(&self, path: RelPath, source: &Path, hash: Option<u128>) -> std::io::Result<()> {
        if let Some(hash) = hash
            && let Some(entry) = self.previous.0.get(path.as_str())
            && entry.hash == hash
            && Manifest::still_on_disk(entry, &path.under(&self.output))
        {
            lock(&self.kept).push((path, *entry));
            return Ok(());
        }
        let bytes = std::fs::read(source)?;
        self.put(&path, &bytes)
    }

    /// Makes sure the folder of `path` is a real folder: one that was there, or a new one
    /// made under its hidden name (with the missing folders below it), which the commit
    /// renames into place. [`Folder::Blocked`] when something other than a folder is in
    /// the way, which only the commit may remove.
    fn folder_for(&self, path: &RelPath) -> std::io::Result<Folder> {
        let dir = path.parent();
        if dir.is_empty() {
            return Ok(Folder::Existing);
        }
        let mut folders = lock(&self.folders);
        if let Some(known) = folders.real.get(dir) {
            return Ok(known.clone());
        }
        // `current` is where the folder named by `prefix` is on disk now.
        let mut current = self.output.clone();
        let mut prefix = String::new();
        let mut folder = Folder::Existing;
        for name in dir.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(name);
            if let Some(known) = folders.real.get(&prefix) {
                folder = known.clone();
                match &folder {
                    Folder::New(hidden) => current.clone_from(hidden),
                    _ => current.push(name),
                }
                continue;
            }
            current.push(name);
            folder = match folder {
                // Below a new folder: nothing can be in the way.
                Folder::New(_) => {
                    std::fs::create_dir(&current)?;
                    Folder::New(current.clone())
                }
                _ => match std::fs::symlink_metadata(&current) {
                    Ok(meta) if meta.is_dir() => Folder::Existing,
                    Ok(_) => return Ok(Folder::Blocked),
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                        // Numbered, so no two new folders share a hidden name, even where
                        // the file system folds letter case.
                        // A name near the file system's limit keeps only its number.
                        let number = folders.new.len();
                        let mut hidden_name = format!(".{name}.{number}{NEW_SUFFIX}");
                        if hidden_name.len() > MAX_NAME_BYTES {
                            hidden_name = format!(".{number}{NEW_SUFFIX}");
                        }
                        let hidden = current.with_file_name(hidden_name);
                        // Left by a build that was killed: never published, so not kept.
                        remove_any(&hidden)?;
                        std::fs::create_dir(&hidden)?;
                        folders.new.push(NewFolder {
                            path: prefix.clone(),
                            target: current,
                            hidden: hidden.clone(),
                        });
                        current = hidden;
                        Folder::New(current.clone())
                    }
                    Err(error) => return Err(error),
                },
            };
            folders.real.insert(prefix.clone(), folder.clone());
        }
        Ok(folder)
    }

    /// The metadata of `target` if it is a regular file inside the output folder, reached
    /// through real folders only (never a link leading elsewhere).
    fn regular_file(&self, target: &Path) -> Option<std::fs::Metadata> {
        let meta = std::fs::symlink_metadata(target).ok()?;
        if !meta.is_file() {
            return None;
        }
        let parent = std::fs::canonicalize(target.parent()?).ok()?;
        let output = std::fs::canonicalize(&self.output).ok()?;
        parent.starts_with(output).then_some(meta)
    }

    /// Puts every staged file in place, removes stale files and records the manifest.
    pub fn commit(mut self) -> Result<WriteReport, CommitError> {
        let mut staged = std::mem::take(&mut *lock(&self.staged));
        staged.sort_by(|a, b| a.0.cmp(&b.0));
        let placed = std::mem::take(&mut *lock(&self.placed));
        let changed = staged.len() + placed.len();
        let fail = |error: std::io::Error, path: Option<PathBuf>, replaced: usize| CommitError {
            error,
            path,
            replaced,
            changed,
        };
        // Folders first, one at a time (many files share them), for the files staged in the
        // staging folder; then the renames.
        let mut made: HashSet<String> = HashSet::default();
        for (path, from, _) in &staged {
            let dir = path.parent();
            if from.starts_with(&self.staging) && !dir.is_empty() && !made.contains(dir) {
                ensure_dir(&self.output, dir)
                    .map_err(|e| fail(e, Some(self.output.join(dir)), 0))?;
                made.insert(dir.to_string());
            }
        }
        // New folders go into place whole, with every file written into them.
        let new = std::mem::take(&mut lock(&self.folders).new);
        let mut stopped = None;
        for (done, folder) in new.iter().enumerate() {
            if let Err(error) = place_folder(&folder.hidden, &folder.target) {
                stopped = Some((done, error));
                break;
            }
        }
        if let Some((done, error)) = stopped {
            let target = new[done].target.clone();
            let replaced = files_in(&placed, &new[..done]);
            // Given back, for the drop to remove the folders still hidden.
            lock(&self.folders).new = new;
            return Err(fail(error, Some(target), replaced));
        }
        let replaced = AtomicUsize::new(placed.len());
        let renamed: Result<Vec<(RelPath, Entry)>, CommitError> = staged
            .par_iter()
            .map(|(path, from, entry)| {
                let target = path.under(&self.output);
                match replace(from, &target) {
                    Ok(()) => {
                        replaced.fetch_add(1, Ordering::Relaxed);
                        Ok((path.clone(), *entry))
                    }
                    Err(error) => Err(fail(error, Some(target), replaced.load(Ordering::Relaxed))),
                }
            })
            .collect();
        let renamed = renamed.map_err(|mut error| {
            error.replaced = replaced.load(Ordering::Relaxed);
            error
        })?;
        // The next manifest is every file this build made: what is not in it is stale.
        let kept = std::mem::take(&mut *lock(&self.kept));
        let unchanged = kept.len();
        let mut next = Manifest::default();
        next.0.reserve(unchanged + changed);
        for (path, entry) in kept.into_iter().chain(renamed).chain(placed) {
            next.0.insert(path.into(), entry);
        }
        let (removed, _) = rayon::join(
            || {
                let made: HashSet<&Path> = new.iter().map(|f| f.target.as_path()).collect();
                remove_stale(&self.output, &next, &made)
            },
            // Without a manifest the next build compares by reading: slower, still right.
            || self.manifest.as_ref().map(|path| next.write(path)),
        );
        let removed = removed.map_err(|e| fail(e, None, changed))?;
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.staging);
        Ok(WriteReport {
            written: changed,
            unchanged,
            removed,
        })
    }
}

impl Drop for Writer {
    /// A writer dropped without a commit leaves the output as it was: what it staged and
    /// the folders it made are removed.
    fn drop(&mut self) {
        if !self.committed {
            for (_, staged, _) in lock(&self.staged).drain(..) {
                let _ = std::fs::remove_file(staged);
            }
            let _ = std::fs::remove_dir_all(&self.staging);
            for folder in std::mem::take(&mut lock(&self.folders).new) {
                let _ = std::fs::remove_dir_all(folder.hidden);
            }
            if self.made_output {
                let _ = std::fs::remove_file(self.output.join(MARKER));
                let _ = std::fs::remove_dir(&self.output);
            }
        }
    }
}

/// Where a file's folder stands once [`Writer::folder_for`] has seen to it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Folder {
    /// A real folder that was there before this build.
    Existing,
    /// Made by this build, here or above, and where it is until the commit: nothing from
    /// an earlier build is inside, and no reader sees it yet.
    New(PathBuf),
    /// Something other than a folder is in the way: the file is staged elsewhere.
    Blocked,
}

/// A folder this build makes where none was, below a folder that was there.
struct NewFolder {
    /// Its path below the output, `/`-separated.
    path: String,
    /// Where it goes at the commit.
    target: PathBuf,
    /// Where it is made until then: a hidden name beside the target.
    hidden: PathBuf,
}

/// The folders a writer has checked or made.
#[derive(Default)]
struct Folders {
    /// Folders (below the output) known to be real folders, and whether this build makes
    /// them (or a folder above them).
    real: HashMap<String, Folder>,
    /// The new folders to rename into place at the commit (or to remove if the build
    /// fails), none inside another.
    new: Vec<NewFolder>,
}

/// Writes `bytes` (whose hash is `hash`) to a new file at `path` and returns its manifest
/// entry. The time the file was last written is taken from the open file, now: renaming it
/// (or its folder) into place does not change it, and it is what the manifest records.
fn write_file(path: &Path, bytes: &[u8], hash: u128) -> std::io::Result<Entry> {
    let mut file = std::fs::File::create(path)?;
    std::io::Write::write_all(&mut file, bytes)?;
    Ok(Entry {
        hash,
        size: bytes.len() as u64,
        modified: manifest::modified(&file.metadata()?),
    })
}

/// How many of the `placed` files are inside the `folders` (for a commit that stopped).
fn files_in(placed: &[(RelPath, Entry)], folders: &[NewFolder]) -> usize {
    let paths: HashSet<&str> = folders.iter().map(|f| f.path.as_str()).collect();
    placed
        .iter()
        .filter(|(path, _)| {
            let text = path.as_str();
            text.match_indices('/')
                .any(|(at, _)| paths.contains(&text[..at]))
        })
        .count()
}

/// Renames the staged file `from` to `target`, replacing a folder there (a folder that
/// became a file). The folder is looked for only when the rename fails: a rename replaces
/// a file or a link whole, and most targets are files or nothing.
fn replace(from: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::rename(from, target) {
        Err(_) if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) => {
            std::fs::remove_dir_all(target)?;
            std::fs::rename(from, target)
        }
        result => result,
    }
}

/// Renames the new folder `hidden` to `target`. Should something have appeared there since
/// the build looked (a folder, or a file, made by hand or by another program; or the same
/// folder in another letter case, where the file system folds it), the new one is merged
/// into it, entry by entry: what is there and not made by this build is stale, and goes
/// as any stale file does.
fn place_folder(hidden: &Path, target: &Path) -> std::io::Result<()> {
    let Err(error) = std::fs::rename(hidden, target) else {
        return Ok(());
    };
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => {
            for entry in std::fs::read_dir(hidden)? {
                let entry = entry?;
                let to = target.join(entry.file_name());
                if entry.file_type()?.is_dir() {
                    place_folder(&entry.path(), &to)?;
                } else {
                    replace(&entry.path(), &to)?;
                }
            }
            std::fs::remove_dir(hidden)
        }
        Ok(_) => {
            std::fs::remove_file(target)?;
            std::fs::rename(hidden, target)
        }
        Err(_) => Err(error),
    }
}

/// Removes whatever is at `path` (a link or file is removed, not followed).
fn remove_any(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    }
}

/// Makes `dir` (below `output`) a real folder, name by name: a file or a link in the way
/// belongs to an earlier build and is removed, never followed.
fn ensure_dir(output: &Path, dir: &str) -> std::io::Result<()> {
    let mut path = output.to_path_buf();
    for name in dir.split('/') {
        path.push(name);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => std::fs::remove_file(&path)?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
        std::fs::create_dir(&path)?;
    }
    Ok(())
}

/// Removes files no longer produced, then folders left empty. Links are removed as
/// files, never followed. Folders this build made (`made`) hold only its own files and
/// are not looked into: on a first build, that is nearly every folder.
///
/// One walk, each folder after what it holds, so a folder's emptiness is counted on the way
/// rather than listed again: a site of 10,000 pages has as many folders. Each folder is
/// read whole before the walk goes down, so no folder stays open however deep the tree.
fn remove_stale(output: &Path, keep: &Manifest, made: &HashSet<&Path>) -> std::io::Result<usize> {
    /// A folder being walked: what is left to look at, and how many entries it keeps.
    struct Open {
        dir: PathBuf,
        entries: std::vec::IntoIter<std::fs::DirEntry>,
        kept: usize,
    }
    let read = |dir: PathBuf| -> std::io::Result<Open> {
        let entries = std::fs::read_dir(&dir)?.collect::<Result<Vec<_>, _>>()?;
        Ok(Open {
            dir,
            entries: entries.into_iter(),
            kept: 0,
        })
    };
    let mut removed = 0;
    let mut open = vec![read(output.to_path_buf())?];
    while let Some(folder) = open.last_mut() {
        let Some(entry) = folder.entries.next() else {
            // The folder is done: removed if nothing in it is kept (never the output).
            if let Some(done) = open.pop()
                && let Some(parent) = open.last_mut()
            {
                if done.kept == 0 {
                    std::fs::remove_dir(&done.dir)?;
                } else {
                    parent.kept += 1;
                }
            }
            continue;
        };
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if made.contains(path.as_path()) {
                folder.kept += 1;
            } else {
                open.push(read(path)?);
            }
            continue;
        }
        // A name no build could make is simply not among those kept.
        let wanted = relative_text(output, &path)
            .is_some_and(|rel| rel == MARKER || keep.0.contains_key(rel.as_ref()));
        if wanted {
            folder.kept += 1;
        } else {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// `path` below `output` as `/`-separated text, borrowed where the platform already
/// separates names with `/` (one file of tens of thousands in the stale walk).
fn relative_text<'a>(output: &Path, path: &'a Path) -> Option<std::borrow::Cow<'a, str>> {
    let inner = path.strip_prefix(output).ok()?;
    if std::path::MAIN_SEPARATOR == '/' {
        inner.to_str().map(std::borrow::Cow::Borrowed)
    } else {
        RelPath::from_names(inner.iter())
            .ok()
            .map(|rel| std::borrow::Cow::Owned(rel.as_str().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Beside the output folder, as a site's cache folder is.
    fn manifest_of(out: &Path) -> PathBuf {
        out.with_extension("manifest")
    }

    fn path(text: &str) -> RelPath {
        RelPath::new(text).unwrap()
    }

    fn build(out: &Path, files: &[(&str, &str)]) -> WriteReport {
        let writer = Writer::open(out, Some(manifest_of(out))).unwrap();
        for (name, text) in files {
            writer.put(&path(name), text.as_bytes()).unwrap();
        }
        writer.commit().unwrap()
    }

    /// The names in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// The hidden folder a writer made for the new folder `name` (below `out`).
    fn hidden_folder(out: &Path, name: &str) -> PathBuf {
        let found = names_in(out).into_iter().find(|file_name| {
            file_name.starts_with(&format!(".{name}.")) && file_name.ends_with(NEW_SUFFIX)
        });
        out.join(found.unwrap_or_else(|| panic!("no hidden folder for {name}")))
    }

    #[test]
    fn rewrites_only_changed_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = build(&out, &[("a/index.html", "A"), ("b/index.html", "B")]);
        assert_eq!(first.written, 2);
        let second = build(&out, &[("a/index.html", "A"), ("c.html", "C")]);
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert!(!out.join("b").exists());
        assert!(!out.join(STAGING).exists());
    }

    #[test]
    fn folders_left_empty_are_removed_at_every_depth_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(
            &out,
            &[
                ("a/b/c/index.html", "C"),
                ("a/b/keep.html", "K"),
                ("x/y/z/index.html", "Z"),
                ("x/other/index.html", "O"),
            ],
        );
        std::fs::create_dir_all(out.join("empty/by/hand")).unwrap();
        std::fs::write(out.join("x/y/stray.txt"), "by hand").unwrap();
        let report = build(&out, &[("a/b/keep.html", "K"), ("x/other/index.html", "O")]);
        assert_eq!(report.removed, 3);
        assert!(out.join("a/b/keep.html").is_file());
        assert!(!out.join("a/b/c").exists());
        assert!(!out.join("x/y").exists());
        assert!(out.join("x/other/index.html").is_file());
        assert!(!out.join("empty").exists());
        assert!(out.join(crate::output::MARKER).is_file());
    }

    #[test]
    fn nothing_changes_until_the_commit_and_a_dropped_writer_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "old")]);
        let writer = Writer::open(&out, Some(manifest_of(&out))).unwrap();
        writer.put(&path("index.html"), b"new").unwrap();
        writer.put(&path("extra/index.html"), b"x").unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        drop(writer);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert!(!out.join("extra").exists());
        assert!(!out.join(".extra.0.cairn-new").exists());
        assert!(!out.join(STAGING).exists());
    }

    #[test]
    fn unchanged_files_are_not_read_back_when_the_manifest_vouches_for_them() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("a.html", "A")]);
        // Unreadable but unchanged by size and time: the manifest is enough.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = out.join("a.html");
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
            let writer = Writer::open(&out, Some(manifest_of(&out))).unwrap();
            writer.put(&path("a.html"), b"A").unwrap();
            let report = writer.commit().unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert_eq!((report.written, report.unchanged), (0, 1));
        }
    }

    #[test]
    fn a_file_edited_by_hand_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("a.html", "AAAA")]);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(out.join("a.html"), "BBBB").unwrap();
        let report = build(&out, &[("a.html", "AAAA")]);
        assert_eq!(report.written, 1);
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "AAAA");
        // With the manifest gone, unchanged files are recognised by reading them.
        std::fs::remove_file(manifest_of(&out)).unwrap();
        let report = build(&out, &[("a.html", "AAAA")]);
        assert_eq!((report.written, report.unchanged), (0, 1));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_output_are_replaced_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("keep.txt"), "keep").unwrap();
        build(&out, &[("index.html", "home")]);
        std::os::unix::fs::symlink(&elsewhere, out.join("blog")).unwrap();
        build(&out, &[("index.html", "home"), ("blog/index.html", "blog")]);
        assert!(out.join("blog").symlink_metadata().unwrap().is_dir());
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("keep.txt")).unwrap(),
            "keep"
        );
        assert!(!elsewhere.join("index.html").exists());
    }

    #[test]
    fn a_file_may_become_a_folder_and_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("x", "file")]);
        build(&out, &[("x/index.html", "in a folder")]);
        assert!(out.join("x").is_dir());
        build(&out, &[("x", "file again")]);
        assert_eq!(
            std::fs::read_to_string(out.join("x")).unwrap(),
            "file again"
        );
    }

    #[test]
    fn stale_files_go_when_a_file_becomes_a_folder_through_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // Names on both sides of the staging folder's in any listing order.
        let stale: Vec<String> = (0..40).map(|i| format!("{i:02}-old/index.html")).collect();
        let mut first: Vec<(&str, &str)> = stale.iter().map(|p| (p.as_str(), "old")).collect();
        first.push(("x", "file"));
        build(&out, &first);
        let report = build(&out, &[("x/index.html", "in a folder")]);
        assert_eq!(report.removed, 40);
        for path in &stale {
            assert!(!out.join(path).exists(), "{path} is still there");
        }
        assert!(!out.join(STAGING).exists());
        assert_eq!(names_in(&out), [crate::output::MARKER, "x"]);
    }

    #[test]
    fn a_commit_that_fails_half_way_counts_what_it_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("a.html", "A"), ("b.html", "B"), ("c.html", "C")]);
        let writer = Writer::open(&out, Some(manifest_of(&out))).unwrap();
        for name in ["a.html", "b.html", "c.html"] {
            writer.put(&path(name), b"new").unwrap();
        }
        // One staged file vanishes, as when the disk fails under the build.
        std::fs::remove_file(out.join(".b.html.cairn-staged")).unwrap();
        let error = writer.commit().unwrap_err();
        assert_eq!(error.changed, 3);
        assert!(error.replaced <= 2, "{error:?}");
        // Every file is whole: the old bytes or the new ones, never a part.
        for name in ["a.html", "b.html", "c.html"] {
            let text = std::fs::read_to_string(out.join(name)).unwrap();
            assert!(
                ["A", "B", "C", "new"].contains(&text.as_str()),
                "{name}: {text}"
            );
        }
        // The next build completes the rest.
        let report = build(
            &out,
            &[("a.html", "new"), ("b.html", "new"), ("c.html", "new")],
        );
        assert_eq!(report.written + report.unchanged, 3);
        for name in ["a.html", "b.html", "c.html"] {
            assert_eq!(std::fs::read_to_string(out.join(name)).unwrap(), "new");
        }
    }

    #[test]
    fn what_a_killed_build_staged_is_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("a.html", "A"), ("blog/b.html", "B")]);
        std::fs::create_dir_all(out.join(STAGING)).unwrap();
        std::fs::write(out.join(STAGING).join("7"), "half").unwrap();
        std::fs::write(out.join("blog/.b.html.cairn-staged"), "half").unwrap();
        build(&out, &[("a.html", "A"), ("blog/b.html", "B")]);
        assert!(!out.join(STAGING).exists());
        assert!(!out.join("blog/.b.html.cairn-staged").exists());
    }

    #[test]
    fn files_are_staged_beside_their_place_until_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("blog/a.html", "old")]);
        let writer = Writer::open(&out, Some(manifest_of(&out))).unwrap();
        writer.put(&path("blog/a.html"), b"new").unwrap();
        writer.put(&path("news/b.html"), b"B").unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("blog/.a.html.cairn-staged")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("blog/a.html")).unwrap(),
            "old"
        );
        assert!(
            !out.join(STAGING).exists(),
            "no file needed the staging folder"
        );
        writer.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("blog/a.html")).unwrap(),
            "new"
        );
        assert!(!out.join("blog/.a.html.cairn-staged").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("news/b.html")).unwrap(),
            "B"
        );
    }

    #[test]
    fn new_folders_are_made_hidden_and_renamed_whole_at_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("blog/a.html", "A")]);
        let writer = Writer::open(&out, Some(manifest_of(&out))).unwrap();
        writer.put(&path("blog/a.html"), b"A").unwrap();
        writer.put(&path("blog/2026/12/b.html"), b"B").unwrap();
        writer.put(&path("blog/2026/c.html"), b"C").unwrap();
        writer.put(&path("news/d.html"), b"D").unwrap();
        // Written straight into folders no reader can reach yet.
        let hidden = hidden_folder(&out.join("blog"), "2026");
        assert_eq!(
            std::fs::read_to_string(hidden.join("12/b.html")).unwrap(),
            "B"
        );
        assert_eq!(std::fs::read_to_string(hidden.join("c.html")).unwrap(), "C");
        assert!(hidden_folder(&out, "news").join("d.html").is_file());
        assert!(!out.join("blog/2026").exists() && !out.join("news").exists());
        let report = writer.commit().unwrap();
        assert_eq!((report.written, report.unchanged), (3, 1));
        for (name, text) in [("blog/2026/12/b.html", "B"), ("blog/2026/c.html", "C")] {
            assert_eq!(std::fs::read_to_string(out.join(name)).unwrap(), text);
        }
        assert!(!hidden.exists());
        assert!(
            names_in(&out)
                .iter()
                .all(|name| name != ".news.1.cairn-new")
        );
        // The manifest vouches for files that came in a new folder, as for any other.
        let again = build(
            &out,
            &[
                ("blog/a.html", "A"),
                ("blog/2026/12/b.html", "B"),
                ("blog/2026/c.html", "C"),
                ("news/d.html", "D"),
            ],
        );
        assert_eq!((again.written, again.unchanged, again.removed), (0, 4, 0));
    }

    #[test]
    fn a_new_folder_that_cannot_go_in_place_is_reported_and_the_rest_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home")]);
        let writer = Writer::open(&out, Some(manifest_of(&out))).unwrap();
        writer.put(&path("a/one.html"), b"1").unwrap();
        writer.put(&path("a/two.html"), b"2").unwrap();
        writer.put(&path("b/three.html"), b"3").unwrap();
        writer.put(&path("c/four.html"), b"4").unwrap();
        // One vanishes, as when the disk fails under the build.
        std::fs::remove_dir_all(hidden_folder(&out, "b")).unwrap();
        let error = writer.commit().unwrap_err();
        assert_eq!((error.replaced, error.changed), (2, 4));
        assert_eq!(error.path.as_deref(), Some(out.join("b").as_path()));
        assert!(out.join("a/one.html").is_file());
        assert!(!out.join("b").exists() && !out.join("c").exists());
        assert_eq!(names_in(&out), [crate::output::MARKER, "a", "index.html"]);
    }

    #[test]
    fn a_new_folder_whose_place_was_taken_meanwhile_is_merged_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home")]);
        let writer = Writer::open(&out, Some(manifest_of(&out))).unwrap();
        writer.put(&path("b/x/three.html"), b"3").unwrap();
        writer.put(&path("b/y/five.html"), b"5").unwrap();
        writer.put(&path("f/six.html"), b"6").unwrap();
        // Made by something else while the build ran: a folder, and a file.
        std::fs::create_dir_all(out.join("b/x")).unwrap();
        std::fs::write(out.join("b/x/three.html"), "by hand").unwrap();
        std::fs::write(out.join("b/y"), "a file").unwrap();
        std::fs::write(out.join("f"), "a file").unwrap();
        let report = writer.commit().unwrap();
        assert_eq!(report.written, 3);
        for (name, text) in [
            ("b/x/three.html", "3"),
            ("b/y/five.html", "5"),
            ("f/six.html", "6"),
        ] {
            assert_eq!(std::fs::read_to_string(out.join(name)).unwrap(), text);
        }
        assert!(
            names_in(&out)
                .iter()
                .all(|name| !name.ends_with(NEW_SUFFIX))
        );
    }

    #[test]
    fn names_as_long_as_the_file_system_allows_are_staged_too() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let long = "n".repeat(MAX_NAME_BYTES);
        let in_new_folder = format!("{long}/{long}");
        let in_old_folder = format!("old/{long}");
        build(&out, &[("old/a.html", "A")]);
        let report = build(
            &out,
            &[
                ("old/a.html", "A"),
                (&in_new_folder, "1"),
                (&in_old_folder, "2"),
            ],
        );
        assert_eq!((report.written, report.unchanged), (2, 1));
        assert_eq!(
            std::fs::read_to_string(out.join(&in_new_folder)).unwrap(),
            "1"
        );
        assert_eq!(
            std::fs::read_to_string(out.join(&in_old_folder)).unwrap(),
            "2"
        );
        assert!(!out.join(STAGING).exists());
        // And changed again, in place.
        let report = build(&out, &[(&in_new_folder, "3"), (&in_old_folder, "4")]);
        assert_eq!((report.written, report.removed), (2, 1));
        assert_eq!(
            std::fs::read_to_string(out.join(&in_new_folder)).unwrap(),
            "3"
        );
    }

    #[test]
    fn new_folders_a_killed_build_left_are_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "home")]);
        for name in [".news.0.cairn-new", ".gone.1.cairn-new/deep"] {
            std::fs::create_dir_all(out.join(name)).unwrap();
            std::fs::write(out.join(name).join("half.html"), "half").unwrap();
        }
        // One is made again by the next build, the other is not.
        build(&out, &[("index.html", "home"), ("news/a.html", "A")]);
        assert_eq!(
            names_in(&out),
            [crate::output::MARKER, "index.html", "news"]
        );
        assert!(!out.join("news/half.html").exists());
    }
}
