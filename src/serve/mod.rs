//! `cairn serve`: build the site into memory, serve it, rebuild on every change and tell the
//! open pages what to do (reload, swap a stylesheet, show or hide the error overlay).
//!
//! Three parts run side by side: the HTTP server (`http`, on tokio), the file watcher
//! (`watch`, notify with its debouncer) and the rebuild loop, which runs the same pipeline as
//! `cairn build` through an [`crate::incremental::BuildCache`] so an edit redoes only what depends
//! on it. The served output is swapped in whole after each successful build; a failed build
//! keeps the last good output and shows its errors over it.

pub mod guard;
pub mod http;
pub mod overlay;
pub mod paths;
pub mod served;
mod watch;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use crate::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics, count, io_reason};
use crate::incremental::{BuildCache, RebuildStats};
use crate::output::{Emitted, Emitter};
use crate::search::{self, SearchSource};
use served::{Reload, ServedSite};

/// How long files must be quiet before a rebuild starts. Editors finish a save (write, or
/// write and rename) within a few milliseconds; waiting longer only delays the reload.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(20);

/// What to serve and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site and how to build it (the output folder is not used: serve keeps the output
    /// in memory).
    pub build: BuildOptions,
    /// Address to listen on; loopback unless asked otherwise. Port 0 picks a free port.
    pub address: SocketAddr,
    /// Poll the file system instead of using native events (network and container mounts).
    pub poll: bool,
    /// How long the files must be quiet before a rebuild starts.
    pub debounce: Duration,
    /// Print diagnostics with colors.
    pub color: bool,
    /// How long a client may take to send request headers, and how many connections are
    /// served at once ([`guard::Limits::default`] unless testing).
    pub limits: guard::Limits,
}

/// What the open pages must do after a rebuild.
#[derive(Debug, Clone)]
pub enum BrowserEvent {
    /// Reload the page.
    Reload,
    /// Swap these stylesheets (root-relative URLs).
    Stylesheets(Vec<String>),
    /// Show the error overlay (its HTML, escaped).
    Errors(Arc<String>),
    /// Remove the error overlay.
    Clear,
}

/// The state the server answers from, replaced whole after each build.
#[derive(Debug, Default, Clone)]
pub struct ServeState {
    /// The last successful build, if any.
    pub site: Option<Arc<ServedSite>>,
    /// The overlay of the failed last build, if it failed.
    pub errors: Option<Arc<String>>,
    /// Names the served output; a page of another build reloads when it connects.
    pub build: String,
}

/// What the HTTP handlers and the rebuild loop share.
pub struct Shared {
    state: RwLock<Arc<ServeState>>,
    events: broadcast::Sender<BrowserEvent>,
}

impl Shared {
    fn new() -> Shared {
        Shared {
            state: RwLock::new(Arc::new(ServeState::default())),
            events: broadcast::channel(64).0,
        }
    }

    /// The current state.
    pub fn snapshot(&self) -> Arc<ServeState> {
        crate::sync::read(&self.state).clone()
    }

    /// Puts `site` in place of `published` if that is still the site served (the overlay
    /// of a failed build stays); a newer build's site is left alone.
    fn update_site(&self, published: &Arc<ServedSite>, site: ServedSite) {
        let mut state = crate::sync::write(&self.state);
        if state
            .site
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(s, published))
        {
            *state = Arc::new(ServeState {
                site: Some(Arc::new(site)),
                errors: state.errors.clone(),
                build: state.build.clone(),
            });
        }
    }

    fn replace(&self, state: ServeState) {
        *crate::sync::write(&self.state) = Arc::new(state);
    }
}

/// The outcome of one build, for the terminal and for tests.
#[derive(Debug, Clone)]
pub struct BuildOutcome {
    /// Wall time of the build.
    pub elapsed: Duration,
    /// `Ok` with what was done again and reused, or the diagnostics.
    pub result: Result<RebuildStats, Diagnostics>,
    /// What the open pages were told.
    pub reload: Option<Reload>,
    /// Warnings of a successful build.
    pub warnings: Diagnostics,
}

/// A search index to make once the pages are published.
struct PendingIndex {
    sources: Vec<SearchSource>,
    language: String,
    /// The paths of the index files served meanwhile.
    stale: Vec<String>,
}

/// Runs the site's builds and publishes each result to the server.
pub struct Rebuilder {
    options: BuildOptions,
    cache: BuildCache,
    shared: Arc<Shared>,
    builds: u64,
    /// Distinguishes this server's build names from an earlier server's.
    started: u128,
    /// Where search indexes are made after their pages are published: one thread of its
    /// own, so that rebuilds keep both the global pool and a core.
    search_pool: Option<Arc<rayon::ThreadPool>>,
    /// The number of the latest search index asked for; an older one not yet started is
    /// skipped.
    latest_search: Arc<std::sync::atomic::AtomicU64>,
}

impl Rebuilder {
    fn new(options: BuildOptions, shared: Arc<Shared>) -> Rebuilder {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Rebuilder {
            options,
            cache: BuildCache::new(),
            shared,
            builds: 0,
            started,
            search_pool: rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|_| "cairn-search".to_string())
                .build()
                .ok()
                .map(Arc::new),
            latest_search: Arc::default(),
        }
    }

    /// Builds the site through the cache and publishes the result.
    pub fn rebuild(&mut self) -> BuildOutcome {
        let started = Instant::now();
        let emitter = Emitter::in_memory();
        let generated =
            crate::generate(&self.options, &self.cache, &emitter).and_then(|mut generated| {
                let pending = self.search_files(&generated, &emitter);
                if let Emitted::Memory { files, copies } = emitter.finish()? {
                    generated.files = files;
                    generated.copies = copies;
                }
                Ok((generated, pending))
            });
        self.cache.finish_build(generated.is_ok());
        match generated {
            Ok((generated, pending)) => {
                let stats = generated.stats;
                let warnings = generated.warnings.clone();
                let (site, reload) = self.publish(generated);
                if let Some(pending) = pending {
                    self.index_later(site, pending);
                }
                BuildOutcome {
                    elapsed: started.elapsed(),
                    result: Ok(stats),
                    reload: Some(reload),
                    warnings,
                }
            }
            Err(problems) => self.show_errors(problems, started),
        }
    }

    /// Hands the search index files to `emitter`: the last ones while they still hold,
    /// made now on the first build, and otherwise the last ones for the moment, with the
    /// sources of the new index to make once the pages are published.
    fn search_files(
        &self,
        generated: &crate::Generated,
        emitter: &Emitter,
    ) -> Option<PendingIndex> {
        let sources = search::sources(&generated.site, &generated.markdown);
        let language = generated.site.config.language.clone();
        let memo = &self.cache.search;
        if let Some(files) = memo.reusable(&sources, &language) {
            emitter.files(files);
            return None;
        }
        let last = memo.last_files();
        if last.is_empty() {
            emitter.files(search::index_remembering(sources, &language, memo));
            return None;
        }
        let stale = last.iter().map(|file| file.path.to_string()).collect();
        emitter.files(last);
        Some(PendingIndex {
            sources,
            language,
            stale,
        })
    }

    /// Serves the new build and tells the open pages what to do.
    fn publish(&mut self, generated: crate::Generated) -> (Arc<ServedSite>, Reload) {
        let previous = self.shared.snapshot();
        let site = ServedSite::new(generated, previous.site.as_deref());
        let (reload, build) = match &previous.site {
            Some(old) => {
                let changes = site.changes_since(old);
                let reload = Reload::for_changes(&changes, &site.base_path);
                let build = if reload == Reload::Nothing {
                    previous.build.clone()
                } else {
                    self.next_build_name()
                };
                (reload, build)
            }
            None => (Reload::Page, self.next_build_name()),
        };
        let site = Arc::new(site);
        self.shared.replace(ServeState {
            site: Some(site.clone()),
            errors: None,
            build,
        });
        let event = match &reload {
            Reload::Nothing if previous.errors.is_some() => Some(BrowserEvent::Clear),
            Reload::Nothing => None,
            Reload::Stylesheets(paths) if previous.errors.is_none() => {
                Some(BrowserEvent::Stylesheets(paths.clone()))
            }
            _ => Some(BrowserEvent::Reload),
        };
        if let Some(event) = event {
            let _ = self.shared.events.send(event);
        }
        (site, reload)
    }

    /// Makes the new search index after the pages are served: it is most of a build's
    /// work, so it runs on its own thread, and neither this reload nor the next edit's
    /// waits for it; a newer build's site is never replaced by it.
    fn index_later(&self, site: Arc<ServedSite>, pending: PendingIndex) {
        use std::sync::atomic::Ordering;
        let number = self.latest_search.fetch_add(1, Ordering::SeqCst) + 1;
        let latest = self.latest_search.clone();
        let memo = self.cache.search.clone();
        let shared = self.shared.clone();
        let job = move || {
            if latest.load(Ordering::SeqCst) != number {
                return;
            }
            let fresh = search::index_remembering(pending.sources, &pending.language, &memo);
            shared.update_site(&site, site.replacing(&pending.stale, fresh));
        };
        match &self.search_pool {
            Some(pool) => pool.spawn(job),
            None => job(),
        }
    }

    /// Keeps serving the last good build and shows the errors over it.
    fn show_errors(&self, mut problems: Diagnostics, started: Instant) -> BuildOutcome {
        let previous = self.shared.snapshot();
        problems.sort();
        let html = Arc::new(overlay::render(&problems));
        self.shared.replace(ServeState {
            site: previous.site.clone(),
            errors: Some(html.clone()),
            build: previous.build.clone(),
        });
        let _ = self.shared.events.send(BrowserEvent::Errors(html));
        BuildOutcome {
            elapsed: started.elapsed(),
            result: Err(problems),
            reload: None,
            warnings: Diagnostics::default(),
        }
    }

    fn next_build_name(&mut self) -> String {
        self.builds += 1;
        format!("{:x}-{}", self.started, self.builds)
    }
}

/// A running server.
pub struct Server {
    /// The address it listens on (with the real port when port 0 was asked for).
    pub address: SocketAddr,
    /// The site's base path, where the home page is served.
    pub base_path: String,
    /// The first build's outcome.
    pub first_build: BuildOutcome,
    runtime: tokio::runtime::Runtime,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _watcher: watch::Watcher,
}

impl Server {
    /// Builds the site, starts watching and listening; returns once the server accepts
    /// connections. A first build that fails still starts the server, which shows the errors.
    pub fn start(options: ServeOptions) -> Result<Server, Diagnostics> {
        if !options
            .build
            .root
            .join(crate::config::CONFIG_FILE)
            .is_file()
        {
            return Err(Diagnostic::error(format!(
                "there is no site.yaml in {}",
                options.build.root.display()
            ))
            .help("run `cairn serve` in a site folder, pass --root DIR, or start a site with `cairn init DIR`")
            .into());
        }
        let shared = Arc::new(Shared::new());
        // Stylesheets keep their names in serve mode, so a CSS change can be swapped in place.
        let mut build = options.build.clone();
        build.fingerprint = false;
        let mut rebuilder = Rebuilder::new(build, shared.clone());
        let first_build = rebuilder.rebuild();
        report(&first_build, options.color);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| {
                Diagnostic::error(format!("cannot start the server: {}", io_reason(&e)))
            })?;
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(options.address))
            .map_err(|error| {
                let help = if error.kind() == std::io::ErrorKind::AddrInUse {
                    "another program uses this port: pass another with --port (0 picks a free one)"
                } else {
                    "check --bind and --port"
                };
                Diagnostic::error(format!(
                    "cannot listen on {}: {}",
                    options.address,
                    io_reason(&error)
                ))
                .help(help)
            })?;
        let address = listener.local_addr().map_err(|e| {
            Diagnostic::error(format!(
                "cannot read the server's address: {}",
                io_reason(&e)
            ))
        })?;
        let app = http::router(shared.clone());
        let server = runtime.spawn(guard::serve(listener, app, options.limits));
        let watcher = watch::Watcher::start(&options, rebuilder)?;
        let base_path = shared
            .snapshot()
            .site
            .as_ref()
            .map_or_else(|| "/".to_string(), |s| s.base_path.clone());
        Ok(Server {
            address,
            base_path,
            first_build,
            runtime,
            server,
            _watcher: watcher,
        })
    }

    /// The URL of the home page.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.address, self.base_path)
    }

    /// Serves until the server fails or the process is interrupted (Ctrl-C).
    pub fn run_until_interrupted(self) -> std::io::Result<()> {
        let Server {
            runtime, server, ..
        } = self;
        runtime.block_on(async move {
            tokio::select! {
                result = server => result.unwrap_or_else(|e| Err(std::io::Error::other(e))),
                _ = tokio::signal::ctrl_c() => Ok(()),
            }
        })
    }
}

/// Prints one build's outcome: diagnostics, or a one-line summary.
pub fn report(outcome: &BuildOutcome, color: bool) {
    match &outcome.result {
        Ok(stats) => {
            eprint!("{}", outcome.warnings.render(color));
            let what = match &outcome.reload {
                Some(Reload::Nothing) => "no change",
                Some(Reload::Stylesheets(_)) => "stylesheets swapped",
                _ => "pages reloaded",
            };
            eprintln!(
                "Built in {} ms: {} rendered, {} reused; {what}.",
                outcome.elapsed.as_millis(),
                count(stats.pages.rendered, "page"),
                stats.pages.reused,
            );
        }
        Err(problems) => {
            eprint!("{}", problems.render(color));
            eprintln!(
                "Build failed: {}. Serving the last good build; the browser shows the errors.",
                problems.tally()
            );
        }
    }
}
