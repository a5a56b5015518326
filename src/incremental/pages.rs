//! HTML pages rendered by an earlier build, reused while nothing they read changed.
//!
//! A page's HTML is a function of its template (identified by the template set's
//! generation), its context and the site data its template looked up through functions.
//! The first two are fingerprinted before rendering; the lookups are recorded while
//! rendering (see `templates::deps`) and checked against the new site data next time.
//! Pages made by one template mostly look up the same things (the stylesheet's URL, the
//! menu's sections), so equal lookup lists are shared and each is checked once per build.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::fingerprint::{FingerprintHasher, Fingerprinter};
use super::lock;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::templates::Templates;
use crate::templates::context::SiteLookup;
use crate::templates::deps::{self, Dependency};
use crate::templates::pages::Job;

/// Rendered pages by output path.
#[derive(Default)]
pub struct PageCache {
    entries: Mutex<HashMap<String, Arc<Cached>>>,
    /// Every distinct lookup list of the cached pages, shared by the pages that have it.
    lookup_lists: Mutex<HashSet<Arc<Lookups>>>,
    /// Kept from build to build: contents that did not change are not hashed again.
    fingerprints: Fingerprinter,
    generation: std::sync::atomic::AtomicU64,
    stats: Mutex<Stats>,
}

/// How many pages the last build rendered and reused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Pages rendered through tera.
    pub rendered: usize,
    /// Pages reused.
    pub reused: usize,
}

/// One job's outcome: the file or error, what to cache, and whether it was reused.
type Outcome = (Result<OutputFile, Diagnostic>, Option<Arc<Cached>>, bool);

/// What a page's template looked up, and the hash of what each lookup returned.
type Lookups = Vec<(Dependency, u64)>;

struct Cached {
    fingerprint: u64,
    lookups: Arc<Lookups>,
    html: bytes::Bytes,
}

impl PageCache {
    /// Tells the cache which template set renders from now on; a new one invalidates all.
    pub fn set_template_generation(&self, generation: u64) {
        self.generation
            .store(generation, std::sync::atomic::Ordering::Relaxed);
    }

    /// Renders every job, reusing earlier HTML where nothing it depends on changed.
    ///
    /// Every job and the site data stay alive while this runs, and the fingerprint memo
    /// holds what it hashed, so the addresses it is keyed by stay unique.
    pub fn render(
        &self,
        jobs: &[Job],
        templates: &Templates,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let generation = self.generation.load(std::sync::atomic::Ordering::Relaxed);
        let lookup = templates.lookup();
        let fingerprints = &self.fingerprints;
        let previous = std::mem::take(&mut *lock(&self.entries));
        // Whether each lookup list (by address: `previous` holds them all) still holds.
        let verdicts: Mutex<HashMap<usize, bool>> = Mutex::default();
        let still_holds = |lookups: &Arc<Lookups>| {
            let key = Arc::as_ptr(lookups) as usize;
            if let Some(verdict) = lock(&verdicts).get(&key) {
                return *verdict;
            }
            let verdict = lookups.iter().all(|(dependency, hash)| {
                lookup_hash(lookup.as_deref(), dependency, fingerprints) == Some(*hash)
            });
            lock(&verdicts).insert(key, verdict);
            verdict
        };
        let results: Vec<Outcome> = jobs
            .par_iter()
            .map(|job| {
                let fingerprint = job_fingerprint(job, generation, fingerprints);
                if let Some(cached) = previous.get(job.output.as_str())
                    && cached.fingerprint == fingerprint
                    && still_holds(&cached.lookups)
                {
                    let file = OutputFile {
                        path: job.output.clone(),
                        bytes: cached.html.clone(),
                        origin: job.origin.clone(),
                    };
                    return (Ok(file), Some(cached.clone()), true);
                }
                let (result, found) =
                    deps::record(|| templates.render(&job.template, &job.context()));
                match result {
                    Ok(html) => {
                        let lookups: Option<Vec<(Dependency, u64)>> = found
                            .into_iter()
                            .map(|dependency| {
                                lookup_hash(lookup.as_deref(), &dependency, fingerprints)
                                    .map(|hash| (dependency, hash))
                            })
                            .collect();
                        let html = bytes::Bytes::from(html.into_bytes());
                        let cached = lookups.map(|lookups| {
                            Arc::new(Cached {
                                fingerprint,
                                lookups: self.shared_list(lookups),
                                html: html.clone(),
                            })
                        });
                        let file = OutputFile {
                            path: job.output.clone(),
                            bytes: html,
                            origin: job.origin.clone(),
                        };
                        (Ok(file), cached, false)
                    }
                    Err(diagnostic) => (Err(diagnostic), None, false),
                }
            })
            .collect();
        let mut entries = HashMap::with_capacity(results.len());
        let mut stats = Stats::default();
        let files = results
            .into_iter()
            .map(|(result, cached, reused)| {
                if reused {
                    stats.reused += 1;
                } else if result.is_ok() {
                    stats.rendered += 1;
                }
                if let (Ok(file), Some(cached)) = (&result, cached) {
                    entries.insert(file.path.to_string(), cached);
                }
                result
            })
            .collect();
        *lock(&self.entries) = entries;
        drop(previous);
        // Lists no cached page has any more.
        lock(&self.lookup_lists).retain(|list| Arc::strong_count(list) > 1);
        self.fingerprints.prune();
        *lock(&self.stats) = stats;
        files
    }

    /// The shared copy of a lookup list.
    fn shared_list(&self, lookups: Lookups) -> Arc<Lookups> {
        let mut lists = lock(&self.lookup_lists);
        if let Some(list) = lists.get(&lookups) {
            return list.clone();
        }
        let list = Arc::new(lookups);
        lists.insert(list.clone());
        list
    }

    /// What the last build rendered and reused.
    pub fn stats(&self) -> Stats {
        *lock(&self.stats)
    }
}

fn job_fingerprint(job: &Job, generation: u64, fingerprints: &Fingerprinter) -> u64 {
    let mut hasher = FingerprintHasher::new();
    generation.hash(&mut hasher);
    job.template.hash(&mut hasher);
    job.output.hash(&mut hasher);
    for (name, value) in &job.values {
        name.hash(&mut hasher);
        fingerprints.shared(value).hash(&mut hasher);
    }
    hasher.finish()
}

/// The hash of what a lookup returns now; `None` when it finds nothing.
fn lookup_hash(
    lookup: Option<&SiteLookup>,
    dependency: &Dependency,
    fingerprints: &Fingerprinter,
) -> Option<u64> {
    let lookup = lookup?;
    let value = match dependency {
        Dependency::Page(key) => lookup.pages.get(key)?,
        Dependency::Section(key) => lookup.sections.get(key)?,
        Dependency::Taxonomy(name) => lookup.taxonomies.get(name)?,
        Dependency::Url(path) => return Some(hash_text(&lookup.url_for(path))),
        Dependency::Integrity(path) => {
            return Some(hash_text(lookup.integrity_for(path).unwrap_or("\u{0}none")));
        }
    };
    Some(fingerprints.shared(value))
}

fn hash_text(text: &str) -> u64 {
    let mut hasher = FingerprintHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}
