//! A build with nothing to do.
//!
//! When no file a build reads has changed since the last successful build into the same
//! output folder (by its stamp: size, times and inode), with the same options, the same
//! cairn binary and on the same day, and the output folder still holds exactly the files
//! that build wrote (by size and time), building again would write the same bytes. cairn
//! then says so and stops, in the time it takes to look at the files' stamps, as `make`
//! does. Anything unexpected (a file added to the output by hand, a manifest missing, a
//! record unreadable) means a full build.
//!
//! A build reads `site.yaml`, `content/`, `static/`, `templates/` and `themes/` under the
//! site root (hidden names aside, as the walks skip them) and the theme built into the
//! binary; the day is in the record so that nothing the templates could learn from the
//! clock goes stale for long.
//!
//! File times are coarse (a few milliseconds on some systems), so a file rewritten to the
//! same size just as a build read it can keep its stamp. As git does for its index, a
//! record is not trusted when an input was modified less than a second before the recorded
//! build started: such a file may have changed unseen, and the build runs in full.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::output::MARKER;
use crate::stamp::FileStamp;
use crate::walk::is_hidden;

/// What a successful build leaves for the next one to compare with.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// Version of the record's format.
    format: u32,
    /// A hash of every input's stamp, the options, the binary and the day.
    inputs: u64,
    /// When the recorded build started, in milliseconds since the Unix epoch.
    started: u128,
    /// What the build reported, to report again.
    pub pages: usize,
    /// Sections published.
    pub sections: usize,
    /// Files in the output folder.
    pub files: usize,
    /// Warnings of that build, shown again.
    pub warnings: Vec<Diagnostic>,
    /// The drafts that build left out, named again.
    pub drafts: Vec<String>,
}

const FORMAT: u32 = 2;

/// Where the record of builds into `output` is kept: beside its manifest.
fn record_path(manifest: &Path) -> PathBuf {
    manifest.with_extension("build")
}

/// A build's inputs as the record compares them.
#[derive(Debug, Clone, Copy)]
pub struct Inputs {
    hash: u64,
    /// When the most recently modified input was modified, in milliseconds since the Unix
    /// epoch.
    newest: u128,
    /// When they were looked at: the build's start.
    looked: u128,
}

fn millis(time: std::time::SystemTime) -> u128 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis())
}

/// A build's inputs, or `None` when they cannot all be looked at.
pub fn inputs(options: &crate::BuildOptions) -> Option<Inputs> {
    let looked = millis(std::time::SystemTime::now());
    let mut newest = 0;
    let mut stamp = |path: &Path| -> Option<FileStamp> {
        let stamp = FileStamp::of(path)?;
        newest = newest.max(stamp.modified().map_or(u128::MAX, millis));
        Some(stamp)
    };
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    (
        options.drafts,
        options.fingerprint,
        &options.base_url,
        options.output_dir(),
    )
        .hash(&mut hasher);
    let exe = std::env::current_exe().ok()?;
    (&exe, FileStamp::of(&exe)?).hash(&mut hasher);
    jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
        .hash(&mut hasher);
    let root = &options.root;
    stamp(&root.join(crate::paths::CONFIG_FILE))?.hash(&mut hasher);
    for folder in ["content", "static", "templates", "themes"] {
        let dir = root.join(folder);
        let walker = walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
        for entry in walker {
            let Ok(entry) = entry else {
                // A folder the build does not have is no input; anything else unreadable is
                // for a full build to report.
                if !dir.exists() {
                    break;
                }
                return None;
            };
            entry.path().hash(&mut hasher);
            if entry.file_type().is_file() {
                stamp(entry.path())?.hash(&mut hasher);
            }
        }
    }
    Some(Inputs {
        hash: hasher.finish(),
        newest,
        looked,
    })
}

/// The last build's record, if the build about to start has the same inputs and its output
/// folder is exactly as that build left it.
pub fn check(options: &crate::BuildOptions, manifest: &Path, inputs: Inputs) -> Option<Record> {
    let text = std::fs::read_to_string(record_path(manifest)).ok()?;
    let record: Record = serde_json::from_str(&text).ok()?;
    let racy = inputs.newest.saturating_add(1000) > record.started;
    if record.format != FORMAT || record.inputs != inputs.hash || racy {
        return None;
    }
    let output = options.output_dir();
    let manifest = crate::output::Manifest::read(manifest);
    if manifest.0.len() != record.files || !output.join(MARKER).is_file() {
        return None;
    }
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&output).min_depth(1) {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(&output).ok()?.to_str()?;
        if rel == MARKER {
            continue;
        }
        let kept = manifest.0.get(rel)?;
        if !crate::output::Manifest::still_on_disk(kept, entry.path()) {
            return None;
        }
        seen += 1;
    }
    (seen == record.files).then_some(record)
}

/// Records a successful build; a record that cannot be written only costs the next build
/// its shortcut.
pub fn record(manifest: &Path, record: &Record) {
    let Ok(text) = serde_json::to_string(record) else {
        return;
    };
    let path = record_path(manifest);
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&temporary, text).is_ok() {
        let _ = std::fs::rename(&temporary, &path);
    }
}

impl Record {
    /// The record of a build of these inputs.
    pub fn new(inputs: Inputs, report: &crate::BuildReport, files: usize) -> Record {
        Record {
            format: FORMAT,
            inputs: inputs.hash,
            started: inputs.looked,
            pages: report.pages,
            sections: report.sections,
            files,
            warnings: report.warnings.to_vec(),
            drafts: report.drafts.clone(),
        }
    }
}
