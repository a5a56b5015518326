//! The index as files: small shards, document chunks and one manifest.
//!
//! A query should download only what its words need, in as few requests as possible. So
//! words are cut into shards by their first two letters (typo tolerance never changes the
//! first two letters, so a word's typo candidates are all in its own shard, or listed there
//! or in a vocabulary file when a big group is split over several shards), and each shard
//! carries everything needed to show its words' best hits: the postings with their impacts,
//! plus, for each stem's hits, the page title, URL, heading and a text window around the
//! match. A one-word query is one shard; a two-word query two. The hits are each stem's
//! best sections, and for common stems also the best sections of their pairs with other
//! common stems ([`hits`]), so two common words find their results there too. When a
//! query's best results are not among the hits its shards carry (a less common word with a
//! common one, say), the browser fetches those sections from the document chunks, which
//! hold the start of every section's text, and cuts each excerpt around the first word the
//! query matched. Chunk `n` holds documents `n × chunk_docs` onwards.
//!
//! Every file but the manifest (`search/index.json`, the one fixed name) is named by its
//! kind, its number and one hash of the whole index: `t<n>-<hash>.bin` for term shard `n`,
//! `v<n>-<hash>.bin` for vocabularies, `d<n>-<hash>.bin` for chunks. So the manifest
//! needs no list of names and the browser names a document's chunk from its id alone, and
//! since any change to the index changes the hash, every file can be cached forever. (A
//! hash per file would save little: a change to the text changes the impacts, or shifts
//! the document ids, in almost every shard.)
//!
//! Binary files are gzipped (hosts seldom compress them; the browser inflates them with
//! `DecompressionStream`). The format is hand-written binary rather than JSON: numbers as LEB128 varints, words
//! front-coded, doc ids delta-coded. That makes shards about a third the size of the same
//! data as JSON and lets the browser decode them with a few lines and no library (the whole
//! client must stay under 8 KB gzipped). The layout, all integers varints, strings a varint
//! byte length and UTF-8:
//!
//! ```text
//! term shard  = 1 pages docs stems words vocabulary
//! pages       = count { url title }
//! docs        = count { doc-id-delta page anchor heading }        (sorted by doc id)
//! stems       = count { df kind postings hits }
//!   kind 0      postings = { doc-id-delta impact:u8 } × df
//!   kind 1      postings = default-impact:u8 bitmap:ceil(N/8) bytes (common stems; a doc
//!               not among the hits gets the default impact)
//!   hits        = count { doc impact:u8 flags:u8 window }         (doc: index into docs;
//!               flags: 1 = the window starts inside the text, 2 = it ends inside it)
//! words       = count { shared suffix ref }                       (front-coded, sorted)
//!   ref > 0     a word of this shard, of local stem ref - 1
//!   ref = 0     followed by `shard df`: a word of the shard's two-letter group that
//!               another shard holds (listed when the group is split over several shards
//!               and its vocabulary is small: typos and completions need no other file)
//! vocabulary  = 1 + the number of the group's vocabulary file when the shard holds only
//!               part of a two-letter group whose vocabulary is not listed in it, else 0
//! vocab file  = 1 count { shared suffix shard df }    (every word of the group, the shard
//!               holding it, its stem's document frequency)
//! doc chunk   = 1 pages count { page anchor heading flags:u8 text } (consecutive doc ids;
//!               text: the section's first `chunk_text_chars` characters, cut at a space,
//!               flags 2 when that is not the whole text)
//! ```
//!
//! `shared` counts UTF-16 code units, as JavaScript strings do.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;

use rayon::prelude::*;
use serde::Serialize;
use siphasher::sip::SipHasher13;

use super::hits::{self, HitOptions};
use super::index::{Posting, SearchDoc, SearchIndex, word_order};
use crate::output::{Origin, OutputFile};
use crate::paths::RelPath;

/// How collision messages name the index files.
const ORIGIN: &str = "the search index";

/// The folder under the output root that holds the index, and the manifest's name in it.
pub const INDEX_DIR: &str = "search";
/// The manifest: the one file with a fixed name, so pages never need rewriting.
pub const MANIFEST: &str = "search/index.json";

/// Sizes that decide how the index is cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShardOptions {
    /// Aim for term shards of about this many bytes (before compression)…
    pub target_bytes: usize,
    /// …or bigger, so that there is about one term shard per this many pages at most (0:
    /// no limit). A small site's index is large for its size (every distinct word carries
    /// its best sections), and its shards grow rather than outnumber its pages.
    pub pages_per_shard: usize,
    /// Which sections each stem carries as hits (results shown without a chunk).
    pub hits: HitOptions,
    /// Characters of text in a hit's window.
    pub window_chars: usize,
    /// The largest vocabulary of a split group (uncompressed bytes) listed in each of the
    /// group's shards rather than in a file of its own: a typo or a completion then costs
    /// no request for it.
    pub inline_vocabulary_bytes: usize,
    /// Sections per document chunk: fewer make a result's chunk cheaper, more make fewer
    /// files.
    pub chunk_docs: usize,
    /// Characters of text kept per section in document chunks, for the browser to cut an
    /// excerpt from around the words a query matched.
    pub chunk_text_chars: usize,
}

impl Default for ShardOptions {
    fn default() -> Self {
        ShardOptions {
            target_bytes: 24 * 1024,
            pages_per_shard: 2,
            hits: HitOptions::default(),
            window_chars: 72,
            inline_vocabulary_bytes: 2048,
            chunk_docs: 24,
            chunk_text_chars: 600,
        }
    }
}

/// The manifest's content, in `search/index.json`. Kept small: every first query loads it.
#[derive(Debug, Serialize)]
struct Manifest {
    version: u32,
    /// Number of documents (sections), for bitmaps and BM25.
    docs: usize,
    /// The best sections every stem carries as hits: the browser shows at most this many
    /// results.
    hits: usize,
    /// Characters in an excerpt: the browser cuts those of document chunks to this size.
    window: usize,
    /// The first word (or two-letter group) of every term shard but the first, joined
    /// with spaces (words never hold one), in word order.
    from: String,
    /// Sections per document chunk.
    chunk_docs: usize,
    /// The hash in every file name: see [`path`].
    hash: String,
}

/// The kinds of index files, by the letter that starts their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `t`: a term shard.
    Shard,
    /// `v`: the vocabulary of a two-letter group split over several shards.
    Vocabulary,
    /// `d`: a document chunk.
    Chunk,
}

/// The path of index file `number` of its kind: `search/<letter><number>-<hash>.bin`, the
/// hash being one hash of every index file (the manifest's `hash`). The browser names any
/// file from its number, and a changed index changes every name, so files can be cached
/// forever.
pub fn path(kind: FileKind, number: usize, hash: &str) -> String {
    let letter = match kind {
        FileKind::Shard => 't',
        FileKind::Vocabulary => 'v',
        FileKind::Chunk => 'd',
    };
    format!("{INDEX_DIR}/{letter}{number}-{hash}.bin")
}

/// Writes the index as files below [`INDEX_DIR`]: term shards, vocabularies of the groups
/// split over several shards, document chunks and the manifest.
pub fn write(index: &SearchIndex, options: &ShardOptions) -> Vec<OutputFile> {
    let doc_count = index.docs.len();
    let postings: Vec<EncodedPostings> = index
        .stems
        .par_iter()
        .map(|stem| EncodedPostings::new(&stem.postings, doc_count))
        .collect();
    let fallbacks: Vec<Option<u8>> = postings.iter().map(|p| p.fallback).collect();
    let chosen = hits::choose(index, &fallbacks, &options.hits);
    let stems: Vec<EncodedStem> = index
        .stems
        .par_iter()
        .zip(postings)
        .zip(chosen)
        .map(|((stem, postings), hits)| {
            EncodedStem::new(index, &stem.postings, postings, &hits, options)
        })
        .collect();
    let plan = plan_shards(index, &stems, options);

    // The words of a split group: listed in each of its shards when that is small, else in
    // one vocabulary file per group, numbered in each of them.
    let mut group_vocabulary: HashMap<usize, Vocabulary> = HashMap::new();
    let mut vocabularies: Vec<Vec<u8>> = Vec::new();
    for shard in &plan {
        let group = &shard.group_words;
        if group.is_empty() || group_vocabulary.contains_key(&group.start) {
            continue;
        }
        let bytes = encode_vocabulary(index, &stems, &plan, group.clone());
        let vocabulary = if bytes.len() <= options.inline_vocabulary_bytes {
            Vocabulary::Inline(group.clone())
        } else {
            vocabularies.push(gzip(&bytes));
            Vocabulary::File(vocabularies.len() - 1)
        };
        group_vocabulary.insert(group.start, vocabulary);
    }
    let shards: Vec<Vec<u8>> = plan
        .par_iter()
        .map(|shard| {
            let vocabulary = match group_vocabulary.get(&shard.group_words.start) {
                Some(vocabulary) if !shard.group_words.is_empty() => vocabulary.clone(),
                _ => Vocabulary::Own,
            };
            gzip(&encode_shard(index, &stems, &plan, shard, &vocabulary))
        })
        .collect();
    let chunks: Vec<Vec<u8>> = index
        .docs
        .par_chunks(options.chunk_docs.max(1))
        .map(|docs| gzip(&encode_chunk(index, docs, options.chunk_text_chars)))
        .collect();

    let kinds = [
        (FileKind::Shard, shards),
        (FileKind::Vocabulary, vocabularies),
        (FileKind::Chunk, chunks),
    ];
    let hash = hash_all(kinds.iter().flat_map(|(_, files)| files));
    let manifest = Manifest {
        version: 2,
        docs: doc_count,
        hits: options.hits.per_stem,
        window: options.window_chars,
        from: plan
            .iter()
            .skip(1)
            .map(|s| s.from.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        chunk_docs: options.chunk_docs.max(1),
        hash: hash.clone(),
    };
    let mut files: Vec<OutputFile> = kinds
        .into_iter()
        .flat_map(|(kind, files)| {
            let hash = &hash;
            files
                .into_iter()
                .enumerate()
                .map(move |(number, bytes)| OutputFile {
                    path: RelPath::fixed(path(kind, number, hash)),
                    bytes: bytes.into(),
                    origin: Origin::generated(ORIGIN),
                })
        })
        .collect();
    files.push(OutputFile {
        path: RelPath::fixed(MANIFEST),
        bytes: serde_json::to_vec(&manifest).unwrap_or_default().into(),
        origin: Origin::generated(ORIGIN),
    });
    files
}

/// One hash of a list of files, in order: sixteen hex digits.
fn hash_all<'a>(files: impl IntoIterator<Item = &'a Vec<u8>>) -> String {
    let mut hasher = SipHasher13::new_with_keys(0, 0);
    for bytes in files {
        hasher.write_usize(bytes.len());
        hasher.write(bytes);
    }
    format!("{:016x}", hasher.finish())
}

/// Gzips `bytes` (in memory, so it cannot fail in practice; an error leaves them as they
/// are, which the browser also reads).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    match encoder.write_all(bytes).and_then(|()| encoder.finish()) {
        Ok(compressed) => compressed,
        Err(_) => bytes.to_vec(),
    }
}

/// A stem's postings as a shard holds them: a list of documents and impacts, or, for
/// common stems where that is smaller, a bitmap whose documents count at one impact.
struct EncodedPostings {
    /// Kind byte and postings.
    bytes: Vec<u8>,
    /// For a bitmap, the impact of documents that are not hits (the median).
    fallback: Option<u8>,
}

impl EncodedPostings {
    fn new(postings: &[Posting], doc_count: usize) -> EncodedPostings {
        let mut list = Vec::with_capacity(postings.len() * 2);
        let mut previous = 0;
        for posting in postings {
            push_varint(&mut list, posting.doc - previous);
            list.push(posting.impact);
            previous = posting.doc;
        }
        let bitmap_len = doc_count.div_ceil(8);
        if list.len() <= 2 * bitmap_len {
            let mut bytes = vec![0];
            bytes.extend(list);
            return EncodedPostings {
                bytes,
                fallback: None,
            };
        }
        let mut bitmap = vec![0u8; bitmap_len];
        for posting in postings {
            bitmap[posting.doc as usize / 8] |= 1 << (posting.doc % 8);
        }
        let mut impacts: Vec<u8> = postings.iter().map(|p| p.impact).collect();
        impacts.sort_unstable();
        let fallback = impacts[impacts.len() / 2];
        let mut bytes = vec![1, fallback];
        bytes.extend(bitmap);
        EncodedPostings {
            bytes,
            fallback: Some(fallback),
        }
    }
}

/// A stem's postings and hits, encoded once and copied into every shard that needs them.
struct EncodedStem {
    /// Kind byte and postings.
    postings: Vec<u8>,
    /// The sections carried as hits, best first, with their text windows.
    hits: Vec<Hit>,
    df: usize,
}

struct Hit {
    doc: u32,
    impact: u8,
    flags: u8,
    window: String,
}

impl EncodedStem {
    /// `hits`: the documents to carry as hits (see [`hits::choose`]), best first.
    fn new(
        index: &SearchIndex,
        postings: &[Posting],
        encoded: EncodedPostings,
        hits: &[u32],
        options: &ShardOptions,
    ) -> EncodedStem {
        let hits = hits
            .iter()
            .filter_map(|doc| {
                let at = postings.binary_search_by_key(doc, |p| p.doc).ok()?;
                let posting = &postings[at];
                let text = &index.docs[posting.doc as usize].text;
                let (window, flags) = window(text, posting.first, options.window_chars);
                Some(Hit {
                    doc: posting.doc,
                    impact: posting.impact,
                    flags,
                    window,
                })
            })
            .collect();
        EncodedStem {
            postings: encoded.bytes,
            hits,
            df: postings.len(),
        }
    }

    /// Bytes this stem adds to a shard, counting its hits' pages and docs as new.
    fn cost(&self, index: &SearchIndex) -> usize {
        let hits: usize = self
            .hits
            .iter()
            .map(|hit| {
                let doc = &index.docs[hit.doc as usize];
                let page = &index.pages[doc.page];
                hit.window.len()
                    + doc.anchor.len()
                    + doc.heading.len()
                    + page.url.len()
                    + page.title.len()
                    + 12
            })
            .sum();
        self.postings.len() + hits + 4
    }
}

/// The text around `first` (a byte offset in `text`), about `chars` characters, cut at
/// spaces; or the start of the text when the word is not in it. Flags say which ends cut
/// the text short.
pub fn window(text: &str, first: Option<u32>, chars: usize) -> (String, u8) {
    let mut first = first.map_or(0, |f| (f as usize).min(text.len()));
    while !text.is_char_boundary(first) {
        first -= 1;
    }
    let before = chars / 4;
    // Start a quarter of the window before the match, at a word start.
    let mut start = text[..first]
        .char_indices()
        .rev()
        .nth(before.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if start > 0 {
        start = text[start..first]
            .find(char::is_whitespace)
            .map_or(first, |space| start + space + 1);
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
    let mut flags = 0;
    if start > 0 {
        flags |= 1;
    }
    if end < text.len() {
        flags |= 2;
    }
    let window = text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (window, flags)
}

/// One planned term shard: a run of words, and the words of split groups kept elsewhere.
struct PlannedShard {
    /// The shard's first word (empty for the first shard): the manifest's key.
    from: String,
    /// Indices into `index.words`.
    words: std::ops::Range<usize>,
    /// The range of `index.words` of the two-letter groups this shard holds part of, when
    /// it holds only part of them.
    group_words: std::ops::Range<usize>,
}

/// The first two characters of a word: its group.
fn group_of(word: &str) -> &str {
    match word.char_indices().nth(2) {
        Some((end, _)) => &word[..end],
        None => word,
    }
}

/// Cuts the sorted words into shards of about `target_bytes` (or more, see
/// [`ShardOptions::pages_per_shard`]), whole two-letter groups together where they fit, a
/// big group over several shards.
fn plan_shards(
    index: &SearchIndex,
    stems: &[EncodedStem],
    options: &ShardOptions,
) -> Vec<PlannedShard> {
    let costs: Vec<usize> = stems.iter().map(|s| s.cost(index)).collect();
    let words = &index.words;
    // Groups as ranges of word indices.
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=words.len() {
        if i == words.len() || group_of(&words[i].0) != group_of(&words[start].0) {
            groups.push(start..i);
            start = i;
        }
    }
    let word_cost = |i: usize| words[i].0.len() + 3;
    let group_cost = |range: &std::ops::Range<usize>| -> usize {
        let mut seen = std::collections::HashSet::new();
        range
            .clone()
            .map(|i| {
                let stem = words[i].1 as usize;
                word_cost(i) + if seen.insert(stem) { costs[stem] } else { 0 }
            })
            .sum()
    };

    let target = match options.pages_per_shard {
        0 => options.target_bytes,
        pages => {
            let total: usize = groups.iter().map(group_cost).sum();
            let most = (index.pages.len() / pages).max(1);
            options.target_bytes.max(total.div_ceil(most))
        }
    };
    let mut shards: Vec<PlannedShard> = Vec::new();
    let mut current: Option<(usize, usize, usize)> = None; // (start, end, bytes)
    let close = |shards: &mut Vec<PlannedShard>, start: usize, end: usize| {
        shards.push(PlannedShard {
            from: String::new(),
            words: start..end,
            group_words: start..start,
        });
    };
    for group in groups {
        let cost = group_cost(&group);
        if cost > target {
            if let Some((s, e, _)) = current.take() {
                close(&mut shards, s, e);
            }
            // Split the group at word boundaries.
            let mut piece_start = group.start;
            let mut bytes = 0;
            let mut seen = std::collections::HashSet::new();
            for i in group.clone() {
                let stem = words[i].1 as usize;
                let add = word_cost(i) + if seen.insert(stem) { costs[stem] } else { 0 };
                if bytes > 0 && bytes + add > target {
                    shards.push(PlannedShard {
                        from: String::new(),
                        words: piece_start..i,
                        group_words: group.clone(),
                    });
                    piece_start = i;
                    bytes = 0;
                    seen.clear();
                    seen.insert(stem);
                }
                bytes += add;
            }
            shards.push(PlannedShard {
                from: String::new(),
                words: piece_start..group.end,
                group_words: group.clone(),
            });
            continue;
        }
        current = match current {
            Some((s, _, bytes)) if bytes + cost <= target => Some((s, group.end, bytes + cost)),
            Some((s, e, _)) => {
                close(&mut shards, s, e);
                Some((group.start, group.end, cost))
            }
            None => Some((group.start, group.end, cost)),
        };
    }
    if let Some((s, e, _)) = current {
        close(&mut shards, s, e);
    }
    if shards.is_empty() {
        shards.push(PlannedShard {
            from: String::new(),
            words: 0..0,
            group_words: 0..0,
        });
    }
    // A shard that starts a group is keyed by the group itself, so that every word with
    // the group's two letters, in the index or not, leads to the shard holding the group.
    for (number, shard) in shards.iter_mut().enumerate() {
        if number > 0 {
            let first = &words[shard.words.start].0;
            shard.from = if shard.group_words.start < shard.words.start {
                // Mid-group: the shortest start of the first word that sorts after the
                // previous shard's last word.
                let last = &words[shard.words.start - 1].0;
                let mut end = 0;
                for (i, c) in first.char_indices() {
                    end = i + c.len_utf8();
                    if word_order(&first[..end], last).is_gt() {
                        break;
                    }
                }
                first[..end].to_owned()
            } else {
                group_of(first).to_owned()
            };
        }
    }
    shards
}

/// Where the browser finds the words of a shard's two-letter group that other shards hold.
#[derive(Debug, Clone)]
enum Vocabulary {
    /// Nowhere: the shard holds whole groups.
    Own,
    /// In the shard itself: the range of `index.words` of the whole group.
    Inline(std::ops::Range<usize>),
    /// In vocabulary file `n`.
    File(usize),
}

/// The number of the shard holding word `i` (an index into `index.words`).
fn home_of(plan: &[PlannedShard], i: usize) -> usize {
    plan.partition_point(|s| s.words.end <= i)
}

/// Encodes a term shard.
fn encode_shard(
    index: &SearchIndex,
    stems: &[EncodedStem],
    plan: &[PlannedShard],
    shard: &PlannedShard,
    vocabulary: &Vocabulary,
) -> Vec<u8> {
    let words = &index.words[shard.words.clone()];
    // Local stems in order of first use; local docs sorted by id; local pages by first use.
    let mut stem_local: HashMap<u32, usize> = HashMap::new();
    let mut stem_order: Vec<u32> = Vec::new();
    for (_, stem) in words {
        stem_local.entry(*stem).or_insert_with(|| {
            stem_order.push(*stem);
            stem_order.len() - 1
        });
    }
    let mut docs: BTreeMap<u32, usize> = BTreeMap::new();
    for stem in &stem_order {
        for hit in &stems[*stem as usize].hits {
            docs.insert(hit.doc, 0);
        }
    }
    for (position, local) in docs.values_mut().enumerate() {
        *local = position;
    }
    let mut out = vec![1u8];
    let page_local = push_pages(
        &mut out,
        index,
        docs.keys().map(|doc| index.docs[*doc as usize].page),
    );
    push_varint_usize(&mut out, docs.len());
    let mut previous = 0;
    for doc in docs.keys() {
        let entry = &index.docs[*doc as usize];
        push_varint(&mut out, doc - previous);
        previous = *doc;
        push_varint_usize(&mut out, page_local[&entry.page]);
        push_str(&mut out, &entry.anchor);
        push_str(&mut out, &entry.heading);
    }
    push_varint_usize(&mut out, stem_order.len());
    for stem in &stem_order {
        let encoded = &stems[*stem as usize];
        push_varint_usize(&mut out, encoded.df);
        out.extend_from_slice(&encoded.postings);
        push_varint_usize(&mut out, encoded.hits.len());
        for hit in &encoded.hits {
            push_varint_usize(&mut out, docs[&hit.doc]);
            out.push(hit.impact);
            out.push(hit.flags);
            push_str(&mut out, &hit.window);
        }
    }
    // The shard's words; with an inline vocabulary, those of the rest of its group too, for
    // typos and completions.
    let listed = match vocabulary {
        Vocabulary::Inline(group) => group.clone(),
        _ => shard.words.clone(),
    };
    push_varint_usize(&mut out, listed.len());
    let mut previous = "";
    for i in listed {
        let (word, stem) = &index.words[i];
        push_front_coded(&mut out, previous, word);
        if shard.words.contains(&i) {
            push_varint_usize(&mut out, stem_local[stem] + 1);
        } else {
            out.push(0);
            push_varint_usize(&mut out, home_of(plan, i));
            push_varint_usize(&mut out, stems[*stem as usize].df);
        }
        previous = word;
    }
    let file = match vocabulary {
        Vocabulary::File(number) => number + 1,
        _ => 0,
    };
    push_varint_usize(&mut out, file);
    out
}

/// Encodes the vocabulary of a group split over several shards: every word with the shard
/// holding it and its stem's document frequency.
fn encode_vocabulary(
    index: &SearchIndex,
    stems: &[EncodedStem],
    plan: &[PlannedShard],
    group: std::ops::Range<usize>,
) -> Vec<u8> {
    let mut out = vec![1u8];
    push_varint_usize(&mut out, group.len());
    let mut previous = "";
    for i in group {
        let (word, stem) = &index.words[i];
        push_front_coded(&mut out, previous, word);
        push_varint_usize(&mut out, home_of(plan, i));
        push_varint_usize(&mut out, stems[*stem as usize].df);
        previous = word;
    }
    out
}

/// Encodes a chunk of consecutive documents, for results a term shard has no hit for: each
/// one's text (the first `text_chars` characters), for the browser to cut the excerpt
/// around the words it matched.
fn encode_chunk(index: &SearchIndex, docs: &[SearchDoc], text_chars: usize) -> Vec<u8> {
    let mut out = vec![1u8];
    let page_local = push_pages(&mut out, index, docs.iter().map(|doc| doc.page));
    push_varint_usize(&mut out, docs.len());
    for doc in docs {
        push_varint_usize(&mut out, page_local[&doc.page]);
        push_str(&mut out, &doc.anchor);
        push_str(&mut out, &doc.heading);
        let (text, flags) = window(&doc.text, None, text_chars);
        out.push(flags);
        push_str(&mut out, &text);
    }
    out
}

/// Writes the page table of a file, the pages numbered in order of first use in `pages`
/// (count, then each one's URL and title), and returns each page's local number.
fn push_pages(
    out: &mut Vec<u8>,
    index: &SearchIndex,
    pages: impl IntoIterator<Item = usize>,
) -> HashMap<usize, usize> {
    let mut local: HashMap<usize, usize> = HashMap::new();
    let mut order: Vec<usize> = Vec::new();
    for page in pages {
        local.entry(page).or_insert_with(|| {
            order.push(page);
            order.len() - 1
        });
    }
    push_varint_usize(out, order.len());
    for page in order {
        push_str(out, &index.pages[page].url);
        push_str(out, &index.pages[page].title);
    }
    local
}

fn push_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn push_varint_usize(out: &mut Vec<u8>, value: usize) {
    push_varint(out, u32::try_from(value).unwrap_or(u32::MAX));
}

fn push_str(out: &mut Vec<u8>, text: &str) {
    push_varint_usize(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

/// Writes `word` as the number of UTF-16 units it shares with `previous` and the rest.
fn push_front_coded(out: &mut Vec<u8>, previous: &str, word: &str) {
    let mut shared_bytes = 0;
    let mut shared_units = 0;
    for (a, b) in previous.chars().zip(word.chars()) {
        if a != b {
            break;
        }
        shared_bytes += a.len_utf8();
        shared_units += a.len_utf16();
    }
    push_varint_usize(out, shared_units);
    push_str(out, &word[shared_bytes..]);
}

#[cfg(test)]
mod tests;
