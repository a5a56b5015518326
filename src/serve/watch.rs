//! Watching the site's files: notify with its debouncer, then a rebuild per quiet moment.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex, Weak};

use crate::sync::lock;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};

use super::{Rebuilder, ServeOptions, report};
use crate::diagnostics::Diagnostic;

/// The folders of a site that a rebuild reads, besides `site.yaml`.
const WATCHED_DIRS: &[&str] = &["content", "themes", "static", "templates"];

/// One kind of debouncer or the other, as `--poll` asks.
enum Inner {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<notify::PollWatcher, RecommendedCache>),
}

impl Inner {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Polling(d) => d.watch(path, mode),
        }
    }
}

/// Watches the site until dropped; a thread rebuilds after each burst of changes.
pub(super) struct Watcher {
    _inner: Arc<Mutex<Inner>>,
}

impl Watcher {
    /// Starts watching the site of `options` and rebuilding with `rebuilder`.
    pub(super) fn start(
        options: &ServeOptions,
        rebuilder: Rebuilder,
    ) -> Result<Watcher, Diagnostic> {
        let (sender, receiver) = channel::<DebounceEventResult>();
        let tick = Some((options.debounce / 4).max(Duration::from_millis(1)));
        let failed = |e: notify::Error| {
            let reason = match &e.kind {
                notify::ErrorKind::Io(io) => crate::diagnostics::io_reason(io),
                _ => crate::diagnostics::without_error_number(&e.to_string()),
            };
            Diagnostic::error(format!("cannot watch the site's files: {reason}"))
                .help("try --poll, which works on every file system")
        };
        let inner = if options.poll {
            // File systems without events often keep modification times in whole seconds, so
            // polling compares contents too: a second save within the same second still counts.
            let config = notify::Config::default()
                .with_poll_interval(Duration::from_millis(500))
                .with_compare_contents(true);
            Inner::Polling(
                notify_debouncer_full::new_debouncer_opt(
                    options.debounce,
                    tick,
                    sender,
                    RecommendedCache::new(),
                    config,
                )
                .map_err(failed)?,
            )
        } else {
            Inner::Native(
                notify_debouncer_full::new_debouncer(options.debounce, tick, sender)
                    .map_err(failed)?,
            )
        };
        let root = options.build.root.clone();
        let inner = Arc::new(Mutex::new(inner));
        {
            let mut guard = lock(&inner);
            guard
                .watch(&root, RecursiveMode::NonRecursive)
                .map_err(failed)?;
            for dir in WATCHED_DIRS {
                let path = root.join(dir);
                if path.is_dir() {
                    guard
                        .watch(&path, RecursiveMode::Recursive)
                        .map_err(failed)?;
                }
            }
        }
        let weak = Arc::downgrade(&inner);
        let color = options.color;
        std::thread::Builder::new()
            .name("cairn rebuild".into())
            .spawn(move || rebuild_loop(root, receiver, rebuilder, weak, color))
            .map_err(|e| Diagnostic::error(format!("cannot start the rebuild thread: {e}")))?;
        Ok(Watcher { _inner: inner })
    }
}

fn rebuild_loop(
    root: PathBuf,
    receiver: Receiver<DebounceEventResult>,
    mut rebuilder: Rebuilder,
    watcher: Weak<Mutex<Inner>>,
    color: bool,
) {
    let mut watched: Vec<bool> = WATCHED_DIRS.iter().map(|d| root.join(d).is_dir()).collect();
    while let Ok(first) = receiver.recv() {
        let mut relevant = is_relevant(&root, &first);
        // Take whatever else is already waiting: one rebuild covers it all.
        loop {
            match receiver.recv_timeout(Duration::from_millis(0)) {
                Ok(more) => relevant |= is_relevant(&root, &more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if !relevant {
            continue;
        }
        // A folder created since the start (say the first file in static/) is watched now.
        if let Some(inner) = watcher.upgrade() {
            let mut guard = lock(&inner);
            for (dir, seen) in WATCHED_DIRS.iter().zip(watched.iter_mut()) {
                let path = root.join(dir);
                if !*seen && path.is_dir() && guard.watch(&path, RecursiveMode::Recursive).is_ok() {
                    *seen = true;
                }
            }
        } else {
            return;
        }
        let outcome = rebuilder.rebuild();
        report(&outcome, color);
    }
}

/// True when a batch of events touches a file the build reads.
fn is_relevant(root: &Path, result: &DebounceEventResult) -> bool {
    // The watcher lost track (e.g. too many events): rebuild to be sure.
    let Ok(events) = result else {
        return true;
    };
    events.iter().any(|event| {
        !matches!(event.kind, EventKind::Access(_))
            && event.paths.iter().any(|path| path_matters(root, path))
    })
}

/// True for `site.yaml` and anything in the watched folders except editors' temporary files.
fn path_matters(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        // Paths may be reported through another spelling of the root: be safe.
        return true;
    };
    let mut components = rel.components();
    let Some(first) = components.next() else {
        return true;
    };
    let first = first.as_os_str().to_string_lossy();
    if components.clone().next().is_none() {
        return first == crate::config::CONFIG_FILE || WATCHED_DIRS.contains(&first.as_ref());
    }
    if !WATCHED_DIRS.contains(&first.as_ref()) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_matter() {
        let root = Path::new("/site");
        assert!(path_matters(root, Path::new("/site/site.yaml")));
        assert!(path_matters(root, Path::new("/site/content/a.md")));
        assert!(path_matters(root, Path::new("/site/static")));
        assert!(path_matters(
            root,
            Path::new("/site/themes/default/static/css/site.css")
        ));
        assert!(!path_matters(root, Path::new("/site/public/index.html")));
        assert!(!path_matters(root, Path::new("/site/README.md")));
        assert!(!path_matters(root, Path::new("/site/content/.a.md.swp")));
        assert!(!path_matters(root, Path::new("/site/content/a.md~")));
    }
}
