//! Site search: the index built from a fixture site holds what it should (published pages,
//! split at headings, and every question and outcome of its quizzes) and nothing else
//! (drafts, `search: false`); its files are written, and read back with the library's
//! decoder.

use std::io::Write;

use crate::common::TestSite;
use cairn::config::Config;
use cairn::content::{self, LoadOptions};
use cairn::search::index::{FieldWeights, SearchIndex};
use cairn::search::shards::format::{Chunk, FileKind, Manifest, TermShard, Vocabulary};
use cairn::search::tokenize::WordStemmer;

/// The fixture site plus a page kept out of search and a page with sections.
fn site() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(
        "content/private.md",
        "---\ntitle: Private thanks\nsearch: false\n---\nThe word quetzalcoatl is only here.\n",
    );
    site.write(
        "content/owls.md",
        "---\ntitle: Field guide\n---\nIntro about owls.\n\n## Nesting habits {#nesting}\n\nOwls nest in hollow trees.\n\n## Feeding\n\nVoles mostly.\n",
    );
    site
}

fn index_of(site: &TestSite, drafts: bool) -> SearchIndex {
    let root = site.root();
    let config = Config::load(root).expect("config");
    let off = cairn::memo::Memo::off();
    let mut problems = cairn::diagnostics::Diagnostics::default();
    let loaded =
        content::load(root, config, LoadOptions { drafts }, &off, &mut problems).expect("content");
    let rendered = cairn::render::markdown(
        &loaded,
        &cairn::images::Catalog::empty(&loaded.config.base_url),
        &cairn::memo::Memo::off(),
        &mut problems,
    );
    let flows = cairn::quiz::compile_site(&loaded, &rendered, &mut problems);
    assert!(!problems.has_errors(), "{}", problems.render(false));
    let (pages, docs) = cairn::search::documents(&loaded, &rendered, &flows);
    SearchIndex::build(
        pages,
        docs,
        &WordStemmer::for_language("en"),
        FieldWeights::default(),
    )
}

#[test]
fn the_index_holds_published_pages_split_at_headings() {
    let site = site();
    let index = index_of(&site, false);
    let urls: Vec<&str> = index.pages.iter().map(|p| p.url.as_str()).collect();
    // The fixture lives under a sub-path: /guide/.
    assert!(urls.contains(&"/guide/owls/"), "{urls:?}");
    assert!(urls.contains(&"/guide/blog/first/"), "{urls:?}");
    assert!(
        urls.contains(&"/guide/"),
        "sections with an _index.md are searchable"
    );

    let guide = urls.iter().position(|u| *u == "/guide/owls/").unwrap();
    let sections: Vec<(&str, &str, &str)> = index
        .docs
        .iter()
        .filter(|d| d.page == guide)
        .map(|d| (d.anchor.as_str(), d.heading.as_str(), &*d.text))
        .collect();
    assert_eq!(
        sections,
        [
            ("", "", "Intro about owls."),
            ("nesting", "Nesting habits", "Owls nest in hollow trees."),
            ("feeding", "Feeding", "Voles mostly."),
        ]
    );
    // "nest" finds the nesting section, through its heading and its text.
    let nest = index.stem_of("nest").expect("indexed");
    let best = nest.postings.iter().max_by_key(|p| p.impact).unwrap();
    assert_eq!(index.docs[best.doc as usize].anchor, "nesting");
    assert!(index.stem_of("habits").is_some());
}

#[test]
fn drafts_and_pages_kept_out_of_search_are_not_indexed() {
    let site = site();
    let index = index_of(&site, false);
    let urls: Vec<&str> = index.pages.iter().map(|p| p.url.as_str()).collect();
    assert!(!urls.iter().any(|u| u.contains("draft")), "{urls:?}");
    assert!(!urls.contains(&"/guide/private/"), "{urls:?}");
    assert!(index.stem_of("quetzalcoatl").is_none());
    assert!(index.stem_of("published").is_none(), "the draft's text");
    assert!(
        !index.docs.iter().any(|d| d.text.contains("Not published")),
        "no draft text"
    );
    // Built with --drafts, the draft is searchable like any page.
    let with_drafts = index_of(&site, true);
    assert!(with_drafts.stem_of("published").is_some());
}

#[test]
fn the_build_writes_the_index_and_the_page_listing_every_page() {
    let site = site();
    site.build();
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("search/index.json")).expect("manifest is JSON");
    let hash = manifest["hash"].as_str().unwrap();
    let shards = manifest["from"].as_str().unwrap().split(' ').count();
    for number in 0..shards {
        let shard = site.public().join(format!("search/t{number}-{hash}.bin"));
        let bytes = std::fs::read(&shard).expect("shard written");
        assert_eq!(&bytes[..2], &[0x1f, 0x8b], "shards are gzipped");
    }
    assert!(
        site.public()
            .join(format!("search/d0-{hash}.bin"))
            .is_file()
    );

    let listing = site.html("search/index.html");
    let hrefs: Vec<String> = listing
        .all(".all-pages-list a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(hrefs.contains(&"/guide/owls/".to_string()), "{hrefs:?}");
    assert!(
        hrefs.contains(&"/guide/owls/#nesting".to_string()),
        "{hrefs:?}"
    );
    assert!(
        !hrefs
            .iter()
            .any(|h| h.contains("private") || h.contains("draft"))
    );

    // Every page has the search box, hidden until JavaScript shows it, and the link.
    let home = site.html("index.html");
    assert!(
        home.one("[data-search] form")
            .value()
            .attr("hidden")
            .is_some()
    );
    assert_eq!(
        home.attr("[data-search] a.search-all", "href"),
        "/guide/search/"
    );
    assert_eq!(home.attr("#cairn-search-input", "role"), "combobox");
    for script in home.all("[data-search] ~ script, script[src]") {
        assert!(script.value().attr("src").is_some(), "no inline script");
    }
}

#[test]
fn the_written_index_reads_back_with_the_librarys_decoder() {
    let site = site();
    site.build();
    let search = site.public().join("search");
    let manifest = Manifest::decode(site.read("search/index.json").as_bytes()).expect("manifest");
    let file = |kind, number| {
        let path = site.public().join(manifest.path(kind, number));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };

    // Every index file is one the manifest names, and reads to its last byte.
    let shards = manifest.shard_keys().len();
    let chunks = manifest.docs.div_ceil(manifest.chunk_docs);
    let mut vocabularies = 0;
    while search
        .join(format!("v{vocabularies}-{}.bin", manifest.hash))
        .is_file()
    {
        vocabularies += 1;
    }
    let named = std::fs::read_dir(&search).unwrap().count();
    assert_eq!(
        named,
        shards + vocabularies + chunks + 2,
        "and index.json, index.html"
    );
    for number in 0..shards {
        TermShard::read(&file(FileKind::Shard, number), manifest.docs).expect("term shard");
    }
    for number in 0..vocabularies {
        Vocabulary::read(&file(FileKind::Vocabulary, number)).expect("vocabulary");
    }
    for number in 0..chunks {
        Chunk::read(&file(FileKind::Chunk, number)).expect("chunk");
    }

    // "nest" leads to the shard that holds it, whose best hit is the nesting section…
    let number = manifest.shard_for("nest");
    let shard = TermShard::read(&file(FileKind::Shard, number), manifest.docs).unwrap();
    let nest = shard.stem_of("nest").expect("nest in its shard");
    let best = &shard.docs[nest.hits[0].doc];
    assert_eq!(best.anchor, "nesting");
    assert_eq!(shard.pages[best.page].url, "/guide/owls/");
    assert!(nest.hits[0].window.contains("nest"), "{:?}", nest.hits[0]);
    // …and the chunk the browser would name from its id holds the section's text.
    let chunk = Chunk::read(&file(FileKind::Chunk, manifest.chunk_of(best.id))).unwrap();
    let start = manifest.chunk_of(best.id) * manifest.chunk_docs;
    let doc = &chunk.docs[best.id as usize - start];
    assert_eq!(
        (&*doc.heading, &*doc.text),
        ("Nesting habits", "Owls nest in hollow trees.")
    );
}

#[test]
fn quiz_questions_answers_and_outcomes_are_indexed_with_their_pages() {
    let site = TestSite::fixture("quiz");
    let index = index_of(&site, false);
    let url_of = |word: &str| -> Vec<&str> {
        let stem = index
            .stem_of(word)
            .unwrap_or_else(|| panic!("{word} indexed"));
        stem.postings
            .iter()
            .map(|p| index.pages[index.docs[p.doc as usize].page].url.as_str())
            .collect()
    };
    // (The fixture lives under /sub/.) The first question is the quiz's own page, titled by the quiz, its question the
    // heading; its help (Markdown, read back as text) and its answers are its text.
    let first = index
        .pages
        .iter()
        .position(|p| p.url == "/sub/quiz/pet/")
        .expect("the quiz's first question");
    assert_eq!(index.pages[first].title, "Which pet <suits> you?");
    let docs: Vec<_> = index.docs.iter().filter(|d| d.page == first).collect();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].heading, "Do you have time for \"walks\"?");
    assert!(
        docs[0].text.contains("Dogs need two walks a day."),
        "{:?}",
        docs[0].text
    );
    assert!(url_of("walks").contains(&"/sub/quiz/pet/"));
    // Other questions are pages titled by their question, with their answers.
    assert!(url_of("garden").contains(&"/sub/quiz/pet/garden/"));
    assert!(url_of("flat").contains(&"/sub/quiz/pet/space/"));
    // Outcomes: their title and body, sanitized markup gone.
    assert!(url_of("independent").contains(&"/sub/quiz/pet/cat/"));
    let dog = index
        .pages
        .iter()
        .position(|p| p.url == "/sub/quiz/pet/dog/")
        .unwrap();
    assert_eq!(index.pages[dog].title, "Get a dog");
    let text = &index.docs.iter().find(|d| d.page == dog).unwrap().text;
    assert_eq!(&**text, "Dogs love you.");
    assert!(index.stem_of("alert").is_none(), "no script");

    // The built site's index holds them too, and says how its words are stemmed.
    site.build();
    let manifest = Manifest::decode(site.read("search/index.json").as_bytes()).expect("manifest");
    assert_eq!(manifest.stemmer, "english");
    let counts = manifest.section_counts().unwrap();
    assert_eq!(counts.iter().sum::<usize>(), manifest.docs);
    let number = manifest.shard_for("independent");
    let bytes = std::fs::read(site.public().join(manifest.path(FileKind::Shard, number))).unwrap();
    let shard = TermShard::read(&bytes, manifest.docs).unwrap();
    let hit = &shard.stem_of("independent").unwrap().hits[0];
    let doc = &shard.docs[hit.doc];
    assert_eq!(shard.pages[doc.page].url, "/sub/quiz/pet/cat/");
    assert_eq!(shard.pages[doc.page].title, "Get a cat");
}

#[test]
fn a_page_published_at_the_listing_path_is_an_error() {
    let site = TestSite::minimal();
    site.write("content/search.md", "---\ntitle: My search\n---\nHi.\n");
    let problems = site.build_err();
    let text = problems.render(false);
    assert!(
        text.contains("error: content/search.md is published at /search/, where cairn writes the page listing every page for search"),
        "{text}"
    );
    assert!(
        text.contains("give it another `slug`, or rename the file"),
        "{text}"
    );
}

#[test]
fn search_js_stays_within_its_size_budget() {
    let source = std::fs::read(crate::common::repo_path(
        "themes/default/static/js/search.js",
    ))
    .unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&source).unwrap();
    let gzipped = encoder.finish().unwrap().len();
    // Every first query loads it: the engine, the English stemmer, the box, the results
    // page and the landing highlights, within 13 KB.
    assert!(gzipped <= 13 * 1024, "search.js is {gzipped} bytes gzipped");
    let text = String::from_utf8(source).unwrap();
    for banned in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "eval(",
        "WebAssembly",
    ] {
        assert!(!text.contains(banned), "search.js uses {banned}");
    }
}

#[test]
fn words_joined_by_wide_spaces_are_cut_into_excerpts_on_character_boundaries() {
    // No-break and ideographic spaces are two and three bytes long: an excerpt that starts
    // after one must start after all of it. Such a page once stopped the build.
    let site = TestSite::fixture("basic");
    let words: Vec<String> = (0..80).map(|i| format!("word{i}")).collect();
    site.write(
        "content/spaced.md",
        &format!(
            "---\ntitle: Spaced out\n---\n{}\n\n## Wide {{#wide}}\n\n{}\n",
            words.join("\u{a0}"),
            words.join("\u{3000}")
        ),
    );
    site.build();
    let manifest = Manifest::decode(site.read("search/index.json").as_bytes()).expect("manifest");
    let number = manifest.shard_for("word70");
    let path = site.public().join(manifest.path(FileKind::Shard, number));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let shard = TermShard::read(&bytes, manifest.docs).expect("term shard");
    let stem = shard.stem_of("word70").expect("word70 in its shard");
    assert_eq!(stem.hits.len(), 2, "both sections hold it");
    // The page's best section carries the excerpt.
    let windows: Vec<&str> = stem.hits.iter().map(|hit| &*hit.window).collect();
    let excerpt = windows.iter().find(|w| !w.is_empty()).expect("an excerpt");
    assert!(excerpt.contains("word70"), "{windows:?}");
    assert!(excerpt.starts_with("word"), "{windows:?}");
}
