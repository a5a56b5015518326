//! Content files parsed by an earlier build, reused while their stamp is the same.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::content::walk::Entry;
use crate::content::{Parsed, parse_entry};
use crate::diagnostics::Diagnostic;
use crate::stamp::FileStamp;

/// Parsed content files (front matter and text) by path.
#[derive(Default)]
pub struct ParseCache {
    files: Mutex<HashMap<PathBuf, Cached>>,
}

struct Cached {
    stamp: FileStamp,
    parsed: Arc<Result<Parsed, Diagnostic>>,
    used: bool,
}

impl ParseCache {
    /// Parses `entry`, or returns the earlier result when the file has not changed since.
    pub(crate) fn parse(&self, root: &Path, entry: &Entry) -> Result<Parsed, Diagnostic> {
        // The stamp is taken before reading, so a write during the read shows up next time.
        let stamp = FileStamp::of(&entry.path);
        if let Some(stamp) = stamp {
            let hit = {
                let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
                files
                    .get_mut(&entry.path)
                    .filter(|cached| cached.stamp == stamp)
                    .map(|cached| {
                        cached.used = true;
                        cached.parsed.clone()
                    })
            };
            // Cloned outside the lock, so the parallel loads do not wait for each other.
            if let Some(parsed) = hit {
                return match &*parsed {
                    Ok(parsed) => Ok(with_entry(parsed.clone(), entry)),
                    Err(diagnostic) => Err(diagnostic.clone()),
                };
            }
        }
        let parsed = parse_entry(root, entry);
        if let Some(stamp) = stamp {
            let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
            files.insert(
                entry.path.clone(),
                Cached {
                    stamp,
                    parsed: Arc::new(parsed.clone()),
                    used: true,
                },
            );
        }
        parsed
    }

    /// Forgets files no build used since the last call (deleted or renamed ones).
    pub fn prune(&self) {
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        files.retain(|_, cached| std::mem::take(&mut cached.used));
    }

    /// How many files are cached.
    pub fn len(&self) -> usize {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The walk classifies a file anew on every build (a folder may have become a bundle), so the
/// cached result takes the current entry.
fn with_entry(parsed: Parsed, entry: &Entry) -> Parsed {
    match parsed {
        Parsed::Page(_, source, front, split) => Parsed::Page(entry.clone(), source, front, split),
        Parsed::Section(_, source, front, split) => {
            Parsed::Section(entry.clone(), source, front, split)
        }
    }
}
