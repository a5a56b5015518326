//! Rendering the template stage's jobs: every page through tera, in parallel, reusing
//! the HTML an earlier build rendered where nothing it depends on changed.
//!
//! A page's HTML is a function of its template (identified by the template set's
//! generation), its context and the site data its template looked up through functions.
//! The first two are hashed before rendering; the lookups are recorded while rendering
//! (see [`super::deps`]) and checked against the new site data next time. Pages made by one
//! template mostly look up the same things (the stylesheet's URL, the menu's sections), so
//! equal lookup lists are shared and each is checked once per build.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::Templates;
use super::deps::{self, Dependency};
use super::functions::SiteLookup;
use super::jobs::Job;
use super::value_hash::{ValueHasher, ValueHashes};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::memo::Memo;
use crate::output::{Emitter, OutputFile};
use crate::sync::lock;

/// Pages rendered by earlier builds, by output path, with what they were made from.
pub struct PageMemo {
    entries: Memo<String, Arc<Remembered>>,
    /// Every distinct lookup list of the remembered pages, shared by the pages that have it.
    lookup_lists: Mutex<HashSet<Arc<Lookups>>>,
    /// Kept from build to build: values that did not change are not hashed again.
    hashes: ValueHashes,
}

/// How many pages a build rendered and reused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Pages rendered through tera.
    pub rendered: usize,
    /// Pages reused.
    pub reused: usize,
}

/// What a page's template looked up, and the hash of what each lookup returned.
type Lookups = Vec<(Dependency, u64)>;

/// One page's HTML and what it was made from.
struct Remembered {
    fingerprint: u64,
    lookups: Arc<Lookups>,
    html: bytes::Bytes,
}

impl Default for PageMemo {
    /// A memo that remembers.
    fn default() -> Self {
        Self::new()
    }
}

impl PageMemo {
    /// A memo that remembers across builds.
    pub fn new() -> PageMemo {
        PageMemo {
            entries: Memo::new(),
            lookup_lists: Mutex::default(),
            hashes: ValueHashes::new(),
        }
    }

    /// A memo that remembers nothing.
    pub fn off() -> PageMemo {
        PageMemo {
            entries: Memo::off(),
            lookup_lists: Mutex::default(),
            hashes: ValueHashes::off(),
        }
    }

    /// Forgets the pages and hashes no build used since the last sweep; returns them.
    pub fn sweep(&self) -> Box<dyn Send> {
        let pages = self.entries.sweep();
        // Lists no remembered page has any more.
        lock(&self.lookup_lists).retain(|list| Arc::strong_count(list) > 1);
        Box::new((pages, self.hashes.sweep()))
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
}

/// Renders every job, in parallel, through the memo, and hands each page to `emitter` as
/// soon as it is rendered (so a build holds only the pages it is working on); every
/// template error is reported.
pub fn render(
    jobs: Vec<Job>,
    templates: &Templates,
    memo: &PageMemo,
    emitter: &Emitter,
    problems: &mut Diagnostics,
) -> Stats {
    let found = Mutex::new(Diagnostics::default());
    let rendered = AtomicUsize::new(0);
    let reused = AtomicUsize::new(0);
    let take = |result: Result<OutputFile, Diagnostic>, was_reused: bool| match result {
        Ok(file) => {
            let count = if was_reused { &reused } else { &rendered };
            count.fetch_add(1, Ordering::Relaxed);
            emitter.file(file);
        }
        Err(problem) => lock(&found).push(problem),
    };
    if memo.entries.is_on() {
        render_remembering(&jobs, templates, memo, &take);
    } else {
        jobs.into_par_iter()
            .for_each(|job| take(render_one(job, templates), false));
    }
    let mut found = found.into_inner().unwrap_or_default();
    found.sort();
    problems.extend(found);
    Stats {
        rendered: rendered.into_inner(),
        reused: reused.into_inner(),
    }
}

fn render_one(job: Job, templates: &Templates) -> Result<OutputFile, Diagnostic> {
    let html = templates.render(&job.template, &job.context())?;
    Ok(OutputFile {
        path: job.output,
        bytes: html.into_bytes().into(),
        origin: job.origin,
    })
}

/// Renders the jobs whose page the memo cannot vouch for, records what their templates
/// looked up, and remembers them. Every job and the site data stay alive while this runs,
/// and the value hashes hold what they hashed, so the addresses they are keyed by stay
/// unique.
fn render_remembering(
    jobs: &[Job],
    templates: &Templates,
    memo: &PageMemo,
    take: &(dyn Fn(Result<OutputFile, Diagnostic>, bool) + Sync),
) {
    let generation = templates.generation();
    let lookup = templates.lookup();
    let hashes = &memo.hashes;
    // Whether each lookup list (by address: the memo holds them all) still holds.
    let verdicts: Mutex<HashMap<usize, bool>> = Mutex::default();
    let still_holds = |lookups: &Arc<Lookups>| {
        let key = Arc::as_ptr(lookups) as usize;
        if let Some(verdict) = lock(&verdicts).get(&key) {
            return *verdict;
        }
        let verdict = lookups.iter().all(|(dependency, hash)| {
            lookup_hash(lookup.as_deref(), dependency, hashes) == Some(*hash)
        });
        lock(&verdicts).insert(key, verdict);
        verdict
    };
    jobs.par_iter().for_each(|job| {
        let fingerprint = job_fingerprint(job, generation, hashes);
        let file = |bytes| OutputFile {
            path: job.output.clone(),
            bytes,
            origin: job.origin.clone(),
        };
        let key = job.output.to_string();
        // Checked outside the memo's lock: the lookups take a while.
        if let Some(remembered) = memo.entries.get(&key)
            && remembered.fingerprint == fingerprint
            && still_holds(&remembered.lookups)
        {
            return take(Ok(file(remembered.html.clone())), true);
        }
        let (result, found) = deps::record(|| templates.render(&job.template, &job.context()));
        let html = match result {
            Ok(html) => bytes::Bytes::from(html.into_bytes()),
            Err(problem) => return take(Err(problem), false),
        };
        let lookups: Option<Lookups> = found
            .into_iter()
            .map(|dependency| {
                lookup_hash(lookup.as_deref(), &dependency, hashes).map(|hash| (dependency, hash))
            })
            .collect();
        if let Some(lookups) = lookups {
            let remembered = Remembered {
                fingerprint,
                lookups: memo.shared_list(lookups),
                html: html.clone(),
            };
            memo.entries.insert(key, Arc::new(remembered));
        }
        take(Ok(file(html)), false);
    });
}

fn job_fingerprint(job: &Job, generation: u64, hashes: &ValueHashes) -> u64 {
    let mut hasher = ValueHasher::new();
    generation.hash(&mut hasher);
    job.template.hash(&mut hasher);
    job.output.hash(&mut hasher);
    for (name, value) in job.variables() {
        name.hash(&mut hasher);
        hashes.shared(&value).hash(&mut hasher);
    }
    hasher.finish()
}

/// The hash of what a lookup returns now; `None` when it finds nothing.
fn lookup_hash(
    lookup: Option<&SiteLookup>,
    dependency: &Dependency,
    hashes: &ValueHashes,
) -> Option<u64> {
    let lookup = lookup?;
    let value = match dependency {
        Dependency::Page(key) => &lookup.page(key)?,
        Dependency::Section(key) => lookup.sections.get(key)?,
        Dependency::Taxonomy(name) => lookup.taxonomies.get(name)?,
        Dependency::Url(path) => return Some(hash_text(&lookup.url_for(path))),
        Dependency::Integrity(path) => {
            return Some(hash_text(lookup.integrity_for(path).unwrap_or("\u{0}none")));
        }
        // Asking again also asks for the variant to be made and published with this build.
        Dependency::Image(path, op, encoding) => {
            let found = lookup.images.resize(path, *op, *encoding)?.ok()?;
            return Some(hash_text(&format!("{} {} {}", found.0, found.1, found.2)));
        }
    };
    Some(hashes.shared(value))
}

fn hash_text(text: &str) -> u64 {
    let mut hasher = ValueHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}
