//! Times cairn's search stage alone on a site, for the search benchmark (`bench/search.mjs`).
//!
//! ```sh
//! cargo run --release --example search_index -- --root /tmp/synth-10k
//! ```
//!
//! Loads and renders the site as `cairn build` does, then builds the index and its files
//! and prints one JSON line: milliseconds, file count and bytes.

use std::path::PathBuf;
use std::time::Instant;

use cairn::config::Config;
use cairn::content::{self, LoadOptions};
use cairn::search::index::{FieldWeights, SearchIndex};
use cairn::search::shards::{self, ShardOptions};
use cairn::search::tokenize::WordStemmer;

// The allocator `cairn` itself runs with, so the figures are the build's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = match (args.next().as_deref(), args.next()) {
        (Some("--root"), Some(root)) => PathBuf::from(root),
        _ => {
            eprintln!("usage: search_index --root SITE");
            std::process::exit(2);
        }
    };
    let fail = |problems: cairn::diagnostics::Diagnostics| -> ! {
        eprintln!("{}", problems.render(false));
        std::process::exit(1);
    };
    let config = Config::load(&root).unwrap_or_else(|d| fail(d.into()));
    let off = cairn::memo::Memo::off();
    let mut problems = cairn::diagnostics::Diagnostics::default();
    let site = content::load(
        &root,
        config,
        LoadOptions { drafts: false },
        &off,
        &mut problems,
    )
    .unwrap_or_else(|problem| fail(problem.into()));
    let rendered = cairn::render::markdown(
        &site,
        &cairn::images::Catalog::empty(&site.config.base_url),
        &cairn::memo::Memo::off(),
        &mut problems,
    );
    let flows = cairn::quiz::compile_site(&site, &rendered, &mut problems);
    if problems.has_errors() {
        fail(problems);
    }
    let started = Instant::now();
    let (pages, docs) = cairn::search::documents(&site, &rendered, &flows);
    let sections = docs.len();
    let stemmer = WordStemmer::for_language(&site.config.language);
    let index = SearchIndex::build(pages, docs, &stemmer, FieldWeights::default());
    let indexed = started.elapsed().as_secs_f64() * 1000.0;
    let files = shards::write(&index, &ShardOptions::default());
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "{{\"ms\":{ms:.0},\"index_ms\":{indexed:.0},\"files\":{},\"bytes\":{bytes},\"sections\":{sections},\"words\":{}}}",
        files.len(),
        index.words.len()
    );
}
