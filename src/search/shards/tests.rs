//! Shard tests: the files written for an index read back, with the library's decoder (the
//! same steps `search.js` takes), as the plan meant them.

use super::format::{self, ChunkDoc, Manifest, Page, TermShard, Vocabulary, VocabularyWord};
use super::*;
use crate::search::hits;
use crate::search::index::{index_of, index_of_pages, word_order};

fn decode(bytes: &[u8], doc_count: usize) -> TermShard<'static> {
    TermShard::read(bytes, doc_count).unwrap()
}

fn decode_vocabulary(bytes: &[u8]) -> Vec<VocabularyWord<'static>> {
    Vocabulary::read(bytes).unwrap().words
}

/// A shard's words with their stems.
fn words(shard: &TermShard<'_>) -> Vec<(String, usize)> {
    shard
        .held_words()
        .map(|(word, stem)| (word.to_owned(), stem))
        .collect()
}

/// The words of a shard's group that other shards hold: (word, shard, df).
fn others(shard: &TermShard<'_>) -> Vec<(String, usize, usize)> {
    shard
        .other_words()
        .map(|w| (w.word.into_owned(), w.shard, w.df))
        .collect()
}

/// Index file `number` of its kind, named with the manifest's hash.
fn numbered(files: &[OutputFile], kind: FileKind, number: usize) -> &OutputFile {
    let wanted = manifest(files).path(kind, number);
    files
        .iter()
        .find(|f| f.path == wanted)
        .unwrap_or_else(|| panic!("no file {wanted}"))
}

fn manifest(files: &[OutputFile]) -> Manifest {
    let file = files.iter().find(|f| f.path == MANIFEST).expect("manifest");
    Manifest::decode(&file.bytes).unwrap()
}

fn shard_files(files: &[OutputFile]) -> Vec<&OutputFile> {
    (0..shard_keys(files).len())
        .map(|number| numbered(files, FileKind::Shard, number))
        .collect()
}

/// The manifest's keys: "" for the first shard, then its `from` list.
fn shard_keys(files: &[OutputFile]) -> Vec<String> {
    let manifest = manifest(files);
    manifest
        .shard_keys()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_small_index_is_one_shard_that_reads_back() {
    let index = index_of(&["Cats chase mice.", "Dogs chase cats; ünïcode 😀 words."]);
    let files = write(&index, &ShardOptions::default());
    let shards = shard_files(&files);
    assert_eq!(shards.len(), 1);
    let d = decode(&shards[0].bytes, index.docs.len());
    assert_eq!(
        d.pages,
        [Page {
            url: "/p/".into(),
            title: "Page".into()
        }]
    );
    assert_eq!(d.docs.len(), 2);
    let words: Vec<&str> = d.held_words().map(|(w, _)| w).collect();
    assert_eq!(
        words,
        [
            "0", "1", "cats", "chase", "dogs", "mice", "page", "part", "unicode", "words"
        ]
    );
    let cats = d.stem_of("cats").unwrap();
    assert_eq!(cats.df(), 2, "df");
    assert_eq!(cats.postings.len(), 2);
    // Hits are best first, with windows from the text.
    assert_eq!(cats.hits.len(), 2);
    assert!(cats.hits[0].impact >= cats.hits[1].impact);
    let windows: Vec<&str> = cats.hits.iter().map(|h| &*h.window).collect();
    assert!(windows.contains(&"Cats chase mice."));
    assert_eq!(d.vocabulary, None);
}

#[test]
fn file_names_carry_one_hash_of_the_index_and_the_manifest_is_fixed() {
    let a = write(&index_of(&["alpha beta"]), &ShardOptions::default());
    let b = write(&index_of(&["alpha beta"]), &ShardOptions::default());
    let c = write(&index_of(&["alpha gamma"]), &ShardOptions::default());
    let names = |files: &[OutputFile]| files.iter().map(|f| f.path.to_string()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "deterministic");
    assert_ne!(shard_files(&a)[0].path, shard_files(&c)[0].path);
    assert!(names(&c).contains(&MANIFEST.to_string()));
    let hash = manifest(&a).hash;
    assert_eq!(hash.len(), 16);
    assert_ne!(manifest(&c).hash, hash);
    for file in &a {
        assert!(file.path.starts_with("search/"), "{}", file.path);
        assert!(
            file.path == MANIFEST || file.path.ends_with(&format!("-{hash}.bin")),
            "{}",
            file.path
        );
    }
    assert_eq!(
        names(&a),
        [
            "search/t0-".to_string() + &hash + ".bin",
            "search/d0-".to_string() + &hash + ".bin",
            MANIFEST.to_string()
        ]
    );
}

#[test]
fn big_indexes_are_cut_into_shards_by_two_letter_groups() {
    // Many distinct words across many groups, in many sections.
    let texts: Vec<String> = (0..400)
        .map(|i| {
            (0..30)
                .map(|j| {
                    format!(
                        "{}{}w{}",
                        (b'a' + (i + j) as u8 % 26) as char,
                        (b'a' + j as u8 % 26) as char,
                        (i * 31 + j) % 500
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let index = index_of(&texts);
    let options = ShardOptions {
        target_bytes: 4096,
        pages_per_shard: 0,
        ..ShardOptions::default()
    };
    let files = write(&index, &options);
    let shards = shard_files(&files);
    assert!(shards.len() > 5, "{} shards", shards.len());
    // Every word is in exactly one shard, the one the manifest's keys point to.
    let froms = shard_keys(&files);
    assert_eq!(froms.len(), shards.len());
    let mut seen = 0;
    for (number, shard) in shards.iter().enumerate() {
        let d = decode(&shard.bytes, index.docs.len());
        for (word, stem) in &words(&d) {
            let home = froms.partition_point(|f| word_order(f, word).is_le()) - 1;
            assert_eq!(home, number, "{word}");
            let postings = &d.stems[*stem].postings;
            let expected = index.stem_of(word).unwrap().postings.len();
            assert_eq!(postings.len(), expected, "{word}");
            seen += 1;
        }
        // The words of a split group, in its vocabulary file or listed in the shard, point
        // at the shard holding them.
        let mut others = others(&d);
        if let Some(vocabulary) = d.vocabulary {
            let bytes = &numbered(&files, FileKind::Vocabulary, vocabulary).bytes;
            others.extend(
                decode_vocabulary(bytes)
                    .into_iter()
                    .map(|w| (w.word.into_owned(), w.shard, w.df)),
            );
        }
        for (word, home, df) in others {
            let there = decode(&shards[home].bytes, index.docs.len());
            let stem = there.stem_of(&word).expect("word");
            assert_eq!(stem.df(), df);
        }
    }
    assert_eq!(seen, index.words.len());
}

#[test]
fn groups_too_big_for_one_shard_share_one_vocabulary() {
    let texts: Vec<String> = (0..200)
        .map(|i| format!("co{i}x co{}y and more words", i * 7))
        .collect();
    let index = index_of(&texts);
    let options = ShardOptions {
        target_bytes: 2048,
        pages_per_shard: 0,
        inline_vocabulary_bytes: 0,
        ..ShardOptions::default()
    };
    let files = write(&index, &options);
    let keys = shard_keys(&files);
    let mut vocabularies = std::collections::BTreeSet::new();
    let mut pieces = 0;
    for (shard, key) in shard_files(&files).iter().zip(&keys) {
        let d = decode(&shard.bytes, index.docs.len());
        if d.held_words().any(|(w, _)| w.starts_with("co")) {
            pieces += 1;
            vocabularies.insert(d.vocabulary.expect("a split group's vocabulary"));
            // The first piece is keyed by the group, so any "co…" word leads to the group.
            assert!(key == "co" || key.starts_with("co"), "{key}");
        }
    }
    assert!(pieces >= 2, "the co group is split");
    assert_eq!(vocabularies.len(), 1, "one vocabulary for the group");
    assert!(keys.contains(&"co".to_string()));
    let number = vocabularies.into_iter().next().unwrap();
    let words = decode_vocabulary(&numbered(&files, FileKind::Vocabulary, number).bytes);
    let expected: Vec<&str> = index
        .words
        .iter()
        .map(|(w, _)| w.as_str())
        .filter(|w| w.starts_with("co"))
        .collect();
    assert_eq!(words.iter().map(|w| &*w.word).collect::<Vec<_>>(), expected);
}

#[test]
fn split_groups_with_a_small_vocabulary_list_it_in_each_of_their_shards() {
    let texts: Vec<String> = (0..40)
        .map(|i| format!("co{i}x and more words {}", "filler ".repeat(20)))
        .collect();
    let index = index_of(&texts);
    let options = ShardOptions {
        target_bytes: 1024,
        pages_per_shard: 0,
        ..ShardOptions::default()
    };
    let files = write(&index, &options);
    assert!(
        !files.iter().any(|f| f.path.starts_with("search/v")),
        "no vocabulary file"
    );
    let group: Vec<&str> = index
        .words
        .iter()
        .map(|(w, _)| w.as_str())
        .filter(|w| w.starts_with("co"))
        .collect();
    let shards = shard_files(&files);
    let mut pieces = 0;
    for (number, shard) in shards.iter().enumerate() {
        let d = decode(&shard.bytes, index.docs.len());
        if !d.held_words().any(|(w, _)| w.starts_with("co")) {
            continue;
        }
        pieces += 1;
        assert_eq!(d.vocabulary, None);
        // Its own words and the others of the group: the whole group, each word once.
        let others = others(&d);
        let mut listed: Vec<&str> = d.held_words().map(|(w, _)| w).collect();
        listed.extend(others.iter().map(|(w, _, _)| w.as_str()));
        listed.sort_by(|a, b| word_order(a, b));
        assert_eq!(listed, group);
        for (word, home, df) in &others {
            assert_ne!(*home, number);
            let there = decode(&shards[*home].bytes, index.docs.len());
            let stem = there.stem_of(word).expect("word");
            assert_eq!(stem.df(), *df);
        }
    }
    assert!(pieces >= 2, "the co group is split");
}

#[test]
fn very_common_stems_are_bitmaps() {
    let texts: Vec<String> = (0..300).map(|i| format!("the word{i}")).collect();
    let pages: Vec<[&str; 1]> = texts.iter().map(|t| [t.as_str()]).collect();
    let pages: Vec<&[&str]> = pages.iter().map(<[&str; 1]>::as_slice).collect();
    let index = index_of_pages(&pages);
    let files = write(&index, &ShardOptions::default());
    let mut found = false;
    for shard in shard_files(&files) {
        let d = decode(&shard.bytes, index.docs.len());
        if let Some(stem) = d.stem_of("the") {
            let format::Stem { postings, hits } = stem;
            assert_eq!(stem.df(), 300);
            assert_eq!(postings.len(), 300);
            assert_eq!(hits.len(), ShardOptions::default().hits.per_stem);
            found = true;
        }
    }
    assert!(found);
}

#[test]
fn document_chunks_hold_every_section() {
    let index = index_of(&["one", "two", "three"]);
    let options = ShardOptions {
        chunk_docs: 2,
        ..ShardOptions::default()
    };
    let files = write(&index, &options);
    let manifest = manifest(&files);
    assert_eq!(manifest.chunk_docs, 2);
    let chunks: Vec<&OutputFile> = files.iter().filter(|f| f.path.contains("/d")).collect();
    assert_eq!(chunks.len(), 2);
    let chunk = format::Chunk::read(&numbered(&files, FileKind::Chunk, 1).bytes).unwrap();
    assert_eq!(
        chunk.pages,
        [Page {
            url: "/p/".into(),
            title: "Page".into()
        }]
    );
    assert_eq!(
        chunk.docs,
        [ChunkDoc {
            page: 0,
            anchor: "s2".into(),
            heading: "Part 2".into(),
            flags: 0,
            text: "three".into(),
        }]
    );
}

#[test]
fn document_chunks_keep_the_text_up_to_a_limit_and_say_when_they_cut_it() {
    let long = "word ".repeat(100);
    let index = index_of(&["short  text\n here", &long]);
    let options = ShardOptions {
        chunk_text_chars: 40,
        ..ShardOptions::default()
    };
    let files = write(&index, &options);
    let chunk = format::Chunk::read(&numbered(&files, FileKind::Chunk, 0).bytes).unwrap();
    assert_eq!(chunk.docs[0].text, "short text here");
    assert_eq!(chunk.docs[0].flags, 0);
    // Cut at a space, within the limit; flag 2 says the section goes on.
    assert_eq!(chunk.docs[1].text, "word ".repeat(8).trim_end());
    assert_eq!(chunk.docs[1].flags, 2);
}

#[test]
fn windows_surround_the_match_and_say_where_they_were_cut() {
    let text = "one two three four five six seven eight nine ten eleven twelve";
    let at = text.find("seven").unwrap() as u32;
    let (cut, flags) = window(text, Some(at), 24);
    assert!(cut.contains("seven"), "{cut}");
    assert!(!text.starts_with(&cut) && !text.ends_with(&cut));
    assert_eq!(flags, 3);
    assert_eq!(window(text, None, 200), (text.to_string(), 0));
    assert_eq!(window("a\n\nb", None, 10), ("a b".to_string(), 0));
    // Multi-byte text is cut on character boundaries.
    let (w, _) = window("ééé ééé ééé ééé", Some(8), 5);
    assert!(!w.is_empty());
}

#[test]
fn ascii_windows_join_words_with_one_space() {
    let text = "one\n\ntwo \t three\u{b}four\u{c}five\r\nsix  ";
    assert_eq!(
        window(text, None, 200),
        ("one two three four five six".to_string(), 0)
    );
    assert_eq!(window("  lead", None, 200), ("lead".to_string(), 0));
    assert_eq!(window(" \n ", None, 200), (String::new(), 0));
}

/// [`window`] step by step, as it was before its ASCII shortcuts: the oracle they must agree
/// with.
fn window_by_steps(text: &str, first: Option<u32>, chars: usize) -> (String, u8) {
    let mut first = first.map_or(0, |f| (f as usize).min(text.len()));
    while !text.is_char_boundary(first) {
        first -= 1;
    }
    let mut start = text[..first]
        .char_indices()
        .rev()
        .nth((chars / 4).saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if start > 0 {
        start = text[start..first]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(first, |(space, c)| start + space + c.len_utf8());
    }
    let mut end = text[start..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        end = text[start..end]
            .rfind(char::is_whitespace)
            .map_or(end, |space| start + space);
    }
    let flags = u8::from(start > 0) | (u8::from(end < text.len()) << 1);
    let words: Vec<&str> = text[start..end].split_whitespace().collect();
    (words.join(" "), flags)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    #[test]
    fn windows_are_those_cut_step_by_step(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "bc", "word", " ", " ", "  ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{a0}", "\u{3000}",
                "\u{85}", "é", "東京", "😀", ".", "x y z",
            ]),
            0..60,
        ),
        first in proptest::option::of(0u32..200),
        chars in 0usize..40,
    ) {
        let text = pieces.concat();
        proptest::prop_assert_eq!(
            window(&text, first, chars),
            window_by_steps(&text, first, chars)
        );
    }
}

/// The sections `search.js` shows for two words, ranked from decoded shards as it ranks
/// them (a bitmap's sections at its default impact unless a hit says otherwise; pages by
/// their best section, each with its best sections), and whether each is among the hits
/// the two shards carry (with its excerpt, for a page's best section).
fn shown_for_pair(
    files: &[OutputFile],
    words: [&str; 2],
    options: &ShardOptions,
) -> Vec<(u32, bool)> {
    let manifest = manifest(files);
    let doc_count = manifest.docs;
    let page_of: Vec<usize> = manifest
        .section_counts()
        .unwrap()
        .iter()
        .enumerate()
        .flat_map(|(page, n)| std::iter::repeat_n(page, *n))
        .collect();
    let stems: Vec<(TermShard, usize)> = words
        .iter()
        .map(|word| {
            let number = manifest.shard_for(word);
            let shard = decode(&numbered(files, FileKind::Shard, number).bytes, doc_count);
            let stem = shard.held_words().find(|(w, _)| w == word).unwrap().1;
            (shard, stem)
        })
        .collect();
    let scores: Vec<std::collections::HashMap<u32, u32>> = stems
        .iter()
        .map(|(shard, stem)| {
            let stem = &shard.stems[*stem];
            let mut scores: std::collections::HashMap<u32, u32> = stem
                .postings
                .iter()
                .map(|p| (p.doc, u32::from(p.impact).pow(2)))
                .collect();
            for hit in &stem.hits {
                let score = scores.entry(shard.docs[hit.doc].id).or_default();
                *score = (*score).max(u32::from(hit.impact).pow(2));
            }
            scores
        })
        .collect();
    let mut pages: std::collections::BTreeMap<usize, Vec<(u32, u32)>> = Default::default();
    for (doc, a) in &scores[0] {
        if let Some(b) = scores[1].get(doc) {
            pages
                .entry(page_of[*doc as usize])
                .or_default()
                .push((a + b, *doc));
        }
    }
    let mut pages: Vec<(usize, Vec<(u32, u32)>)> = pages.into_iter().collect();
    for (_, sections) in &mut pages {
        sections.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    }
    pages.sort_by(|x, y| y.1[0].0.cmp(&x.1[0].0).then(x.0.cmp(&y.0)));
    pages
        .into_iter()
        .take(options.hits.per_stem)
        .flat_map(|(_, sections)| {
            sections
                .into_iter()
                .take(options.hits.sections_per_page)
                .enumerate()
                .map(|(i, (_, doc))| {
                    let carried = stems.iter().any(|(shard, stem)| {
                        shard.stems[*stem].hits.iter().any(|hit| {
                            shard.docs[hit.doc].id == doc
                                && (i > 0 || hit.flags & format::NO_EXCERPT == 0)
                        })
                    });
                    (doc, carried)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn two_common_words_find_their_best_pages_among_their_shards_hits() {
    // 200 pages of 3 sections of words drawn at random (a fixed generator) from a skewed
    // vocabulary: pairs of common words have hundreds of sections in common, ranked
    // anywhere in each word's own list.
    let vocabulary: Vec<String> = (0..60).map(|i| format!("w{i:02}x")).collect();
    let mut state = 7u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let texts: Vec<String> = (0..600)
        .map(|_| {
            let length = 5 + next() % 40;
            (0..length)
                .map(|_| {
                    let a = next() % vocabulary.len();
                    let b = next() % vocabulary.len();
                    vocabulary[a.min(b)].as_str()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let pages: Vec<&[&str]> = texts.chunks(3).collect();
    let index = index_of_pages(&pages);
    let options = ShardOptions {
        target_bytes: 4096,
        pages_per_shard: 0,
        ..ShardOptions::default()
    };
    let without = ShardOptions {
        hits: hits::HitOptions {
            most_common: 0,
            ..options.hits
        },
        ..options
    };
    let (files, narrow) = (write(&index, &options), write(&index, &without));
    assert!(
        shard_files(&files).len() > 4,
        "the words are spread over shards"
    );
    let mut pairs = 0;
    let mut missed_without = 0;
    for a in 0..12 {
        for b in (a + 1)..12 {
            let words = [vocabulary[a].as_str(), vocabulary[b].as_str()];
            let shown = shown_for_pair(&files, words, &options);
            assert!(shown.len() >= options.hits.per_stem, "{words:?}: {shown:?}");
            assert!(
                shown.iter().all(|(_, carried)| *carried),
                "{words:?}: {shown:?}"
            );
            let shown_narrow = shown_for_pair(&narrow, words, &options);
            missed_without += shown_narrow.iter().filter(|(_, c)| !c).count();
            pairs += 1;
        }
    }
    // Without the pair pass, more than one section a pair would need a document chunk.
    assert!(
        missed_without > pairs,
        "{missed_without} missed in {pairs} pairs"
    );
}

#[test]
fn small_sites_get_bigger_shards_rather_than_more_shards_than_pages() {
    use crate::search::index::{FieldWeights, SearchDoc, SearchPage};
    use crate::search::tokenize::WordStemmer;
    // Twenty pages of many distinct words: far more than 24 KB of index.
    let pages: Vec<SearchPage> = (0..20)
        .map(|i| SearchPage {
            url: format!("/p{i}/"),
            title: format!("Page {i}"),
        })
        .collect();
    let docs: Vec<SearchDoc> = (0..20)
        .map(|page| SearchDoc {
            page,
            first: true,
            anchor: String::new(),
            heading: String::new(),
            text: (0..400)
                .map(|j| format!("w{}x{}", (b'a' + (j % 26) as u8) as char, page * 400 + j))
                .collect::<Vec<_>>()
                .join(" ")
                .into(),
        })
        .collect();
    let index = SearchIndex::build(
        pages,
        docs,
        &WordStemmer::for_language("en"),
        FieldWeights::default(),
    );
    let shards = |pages_per_shard| {
        let options = ShardOptions {
            pages_per_shard,
            ..ShardOptions::default()
        };
        shard_files(&write(&index, &options)).len()
    };
    let (unlimited, two, twenty) = (shards(0), shards(2), shards(20));
    // Shards close at group boundaries, so they are about, not exactly, the limit.
    assert!(unlimited > 20, "{unlimited} {two} {twenty}");
    assert!(two <= 10 * 3 / 2, "{unlimited} {two} {twenty}");
    assert!(twenty <= 2, "{unlimited} {two} {twenty}");
}

#[test]
fn every_planned_file_reads_back_as_it_was_planned() {
    // Split groups with a vocabulary file, bitmaps, several chunks and non-ASCII words.
    let texts: Vec<String> = (0..300)
        .map(|i| {
            format!(
                "the co{i}x co{}y ça{} 日本{} and more words",
                i * 7,
                i % 5,
                i % 3
            )
        })
        .collect();
    let index = index_of(&texts);
    let options = ShardOptions {
        target_bytes: 2048,
        pages_per_shard: 0,
        inline_vocabulary_bytes: 0,
        ..ShardOptions::default()
    };
    let plan = plan::Plan::new(&index, &options);
    let doc_count = index.docs.len();
    assert!(plan.shard_count() > 2 && plan.vocabulary_count() > 0 && plan.chunk_count() > 2);
    for number in 0..plan.shard_count() {
        let shard = plan.term_shard(number);
        let read = TermShard::decode(&shard.encode(doc_count), doc_count).unwrap();
        assert_eq!(read, shard, "shard {number}");
    }
    let bitmaps = (0..plan.shard_count())
        .flat_map(|n| plan.term_shard(n).stems)
        .filter(|stem| stem.postings.fallback().is_some())
        .count();
    assert!(bitmaps > 0, "a bitmap stem");
    for number in 0..plan.vocabulary_count() {
        let vocabulary = plan.vocabulary(number);
        assert_eq!(
            Vocabulary::decode(&vocabulary.encode()).unwrap(),
            vocabulary
        );
    }
    for number in 0..plan.chunk_count() {
        let chunk = plan.chunk(number);
        assert_eq!(format::Chunk::decode(&chunk.encode()).unwrap(), chunk);
    }
}

#[test]
fn the_index_hash_changes_with_any_file() {
    let hash = |files: &[&[u8]]| super::hash_all(files);
    let base = hash(&[b"abc", b"def"]);
    assert_eq!(base.len(), 16);
    assert_eq!(base, hash(&[b"abc", b"def"]));
    assert_ne!(base, hash(&[b"abc", b"deg"]), "a changed byte");
    assert_ne!(base, hash(&[b"def", b"abc"]), "files in another order");
    assert_ne!(base, hash(&[b"ab", b"cdef"]), "bytes moved between files");
    assert_ne!(
        base,
        hash(&[b"abc", b"def", b""]),
        "another file, even empty"
    );
}
