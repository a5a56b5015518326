//! Deciding the index files: which words go in which term shard, what each stem carries,
//! where a split group's vocabulary is listed, and what each document chunk holds. The
//! result is each file's content as the [`format`](super::format) types, which that module
//! encodes.
//!
//! Words are cut into shards by their first two letters (typo tolerance never changes the
//! first two letters, so a word's typo candidates are all in its own shard, or listed there
//! or in a vocabulary file when a big group is split over several shards). Whole groups go
//! together until a shard reaches its target size; a group bigger than that is cut at word
//! boundaries over several shards, and its words are listed in each of them when that list
//! is small, else in one vocabulary file. A shard's size is estimated from what its stems
//! carry, which is why each stem's postings and hits are settled before the cut.

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::format::{
    self, CUT_AFTER, CUT_BEFORE, Chunk, ChunkDoc, Hit, Manifest, NO_EXCERPT, Page, Posting,
    Postings, ShardDoc, ShardWord, Stem, TermShard, VERSION, Vocabulary, VocabularyWord, WordPlace,
    encode_counts,
};
use crate::search::hits::{self, Chosen, HitOptions};
use crate::search::index::{self, SearchDoc, SearchIndex, word_order};

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

/// Every index file of an index, decided: built by [`Plan::new`], each file's content
/// then made on demand (in parallel, by the caller).
pub(super) struct Plan<'a> {
    index: &'a SearchIndex,
    options: ShardOptions,
    /// By stem number: what each stem carries, in whichever shards list its words.
    stems: Vec<PlannedStem>,
    shards: Vec<PlannedShard>,
    /// The range of `index.words` of the group each vocabulary file lists.
    vocabularies: Vec<Range<usize>>,
}

impl<'a> Plan<'a> {
    /// Settles each stem's postings and hits, cuts the words into shards and decides where
    /// each split group's vocabulary goes.
    pub(super) fn new(index: &'a SearchIndex, options: &ShardOptions) -> Plan<'a> {
        let doc_count = index.docs.len();
        let postings: Vec<Postings> = index
            .stems
            .par_iter()
            .map(|stem| postings_of(&stem.postings, doc_count))
            .collect();
        let fallbacks: Vec<Option<u8>> = postings.iter().map(Postings::fallback).collect();
        let chosen = hits::choose(index, &fallbacks, &options.hits);
        let stems: Vec<PlannedStem> = index
            .stems
            .par_iter()
            .zip(postings)
            .zip(chosen)
            .map(|((stem, postings), hits)| {
                PlannedStem::new(index, &stem.postings, postings, &hits, options)
            })
            .collect();
        let shards = plan_shards(index, &stems, options);
        let mut plan = Plan {
            index,
            options: *options,
            stems,
            shards,
            vocabularies: Vec::new(),
        };
        plan.place_vocabularies();
        plan
    }

    /// The words of a split group: listed in each of its shards when that is small, else
    /// in one vocabulary file per group, numbered in the order of their groups.
    fn place_vocabularies(&mut self) {
        let mut placed: HashMap<usize, VocabularyPlace> = HashMap::default();
        for number in 0..self.shards.len() {
            let group = self.shards[number].group_words.clone();
            if group.is_empty() {
                continue;
            }
            let place = match placed.get(&group.start) {
                Some(place) => place.clone(),
                None => {
                    let bytes = self.vocabulary_of(group.clone()).encode().len();
                    let place = if bytes <= self.options.inline_vocabulary_bytes {
                        VocabularyPlace::Inline(group.clone())
                    } else {
                        self.vocabularies.push(group.clone());
                        VocabularyPlace::File(self.vocabularies.len() - 1)
                    };
                    placed.insert(group.start, place.clone());
                    place
                }
            };
            self.shards[number].vocabulary = place;
        }
    }

    /// The number of term shards.
    pub(super) fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The number of vocabulary files.
    pub(super) fn vocabulary_count(&self) -> usize {
        self.vocabularies.len()
    }

    /// Sections per document chunk.
    fn chunk_docs(&self) -> usize {
        self.options.chunk_docs.max(1)
    }

    /// The number of document chunks.
    pub(super) fn chunk_count(&self) -> usize {
        self.index.docs.len().div_ceil(self.chunk_docs())
    }

    /// The manifest of these files, whose names carry `hash`.
    pub(super) fn manifest(&self, hash: String) -> Manifest {
        let mut sections = vec![0; self.index.pages.len()];
        for doc in &self.index.docs {
            sections[doc.page] += 1;
        }
        Manifest {
            version: VERSION,
            docs: self.index.docs.len(),
            sections: encode_counts(sections),
            stemmer: self.index.stemmer.unwrap_or_default().to_owned(),
            hits: self.options.hits.per_stem,
            window: self.options.window_chars,
            from: self
                .shards
                .iter()
                .skip(1)
                .map(|s| s.from.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            chunk_docs: self.chunk_docs(),
            hash,
        }
    }

    /// Term shard `number`: its words' stems with their postings and hits, the sections
    /// and pages the hits point at, and where the rest of a split group's words are.
    pub(super) fn term_shard(&self, number: usize) -> TermShard<'_> {
        let index = self.index;
        let shard = &self.shards[number];
        let words = &index.words[shard.words.clone()];
        // Local stems in order of first use; local docs sorted by id; local pages by first use.
        let mut stem_local: HashMap<u32, usize> = HashMap::default();
        let mut stem_order: Vec<u32> = Vec::new();
        for (_, stem) in words {
            stem_local.entry(*stem).or_insert_with(|| {
                stem_order.push(*stem);
                stem_order.len() - 1
            });
        }
        let mut docs: BTreeMap<u32, usize> = BTreeMap::new();
        for stem in &stem_order {
            for hit in &self.stems[*stem as usize].hits {
                docs.insert(hit.doc, 0);
            }
        }
        for (position, local) in docs.values_mut().enumerate() {
            *local = position;
        }
        let (pages, page_local) =
            pages_of(index, docs.keys().map(|doc| index.docs[*doc as usize].page));
        let shard_docs = docs
            .keys()
            .map(|&id| {
                let doc = &index.docs[id as usize];
                ShardDoc {
                    id,
                    page: page_local[&doc.page],
                    anchor: doc.anchor.as_str().into(),
                    heading: doc.heading.as_str().into(),
                }
            })
            .collect();
        let stems = stem_order
            .iter()
            .map(|stem| {
                let planned = &self.stems[*stem as usize];
                Stem {
                    postings: std::borrow::Cow::Borrowed(&planned.postings),
                    hits: planned
                        .hits
                        .iter()
                        .map(|hit| Hit {
                            doc: docs[&hit.doc],
                            impact: hit.impact,
                            flags: hit.flags,
                            window: hit.window.as_str().into(),
                        })
                        .collect(),
                }
            })
            .collect();
        // The shard's words; with an inline vocabulary, those of the rest of its group too,
        // for typos and completions.
        let listed = match &shard.vocabulary {
            VocabularyPlace::Inline(group) => group.clone(),
            _ => shard.words.clone(),
        };
        let words = listed
            .map(|i| {
                let (word, stem) = &index.words[i];
                let place = if shard.words.contains(&i) {
                    WordPlace::Here {
                        stem: stem_local[stem],
                    }
                } else {
                    WordPlace::Elsewhere {
                        shard: self.home_of(i),
                        df: self.stems[*stem as usize].postings.len(),
                    }
                };
                ShardWord {
                    word: word.as_str().into(),
                    place,
                }
            })
            .collect();
        TermShard {
            pages,
            docs: shard_docs,
            stems,
            words,
            vocabulary: match shard.vocabulary {
                VocabularyPlace::File(number) => Some(number),
                _ => None,
            },
        }
    }

    /// Vocabulary file `number`.
    pub(super) fn vocabulary(&self, number: usize) -> Vocabulary<'_> {
        self.vocabulary_of(self.vocabularies[number].clone())
    }

    /// The vocabulary of a group split over several shards: every word with the shard
    /// holding it and its stem's document frequency.
    fn vocabulary_of(&self, group: Range<usize>) -> Vocabulary<'_> {
        let words = group
            .map(|i| {
                let (word, stem) = &self.index.words[i];
                VocabularyWord {
                    word: word.as_str().into(),
                    shard: self.home_of(i),
                    df: self.stems[*stem as usize].postings.len(),
                }
            })
            .collect();
        Vocabulary { words }
    }

    /// Document chunk `number`: consecutive sections, each with the start of its text
    /// (the first `chunk_text_chars` characters), for the browser to cut the excerpt
    /// around the words it matched when a term shard has no hit for it.
    pub(super) fn chunk(&self, number: usize) -> Chunk<'_> {
        let size = self.chunk_docs();
        let all = &self.index.docs;
        let start = number.saturating_mul(size).min(all.len());
        let docs: &[SearchDoc] = &all[start..start.saturating_add(size).min(all.len())];
        let (pages, page_local) = pages_of(self.index, docs.iter().map(|doc| doc.page));
        let docs = docs
            .iter()
            .map(|doc| {
                let (text, flags) = window(&doc.text, None, self.options.chunk_text_chars);
                ChunkDoc {
                    page: page_local[&doc.page],
                    anchor: doc.anchor.as_str().into(),
                    heading: doc.heading.as_str().into(),
                    flags,
                    text: text.into(),
                }
            })
            .collect();
        Chunk { pages, docs }
    }

    /// The number of the shard holding word `i` (an index into `index.words`).
    fn home_of(&self, i: usize) -> usize {
        self.shards.partition_point(|s| s.words.end <= i)
    }
}

/// A stem's postings as its shards hold them: a list of documents and impacts or, for
/// common stems where the list would take more than twice the bytes, a bitmap whose
/// documents count at one impact (the median of the lowest band present) unless they are
/// among the stem's hits or their own impact is in a higher band (a title or heading match
/// where most are body matches), listed with it.
fn postings_of(postings: &[index::Posting], doc_count: usize) -> Postings {
    let list = Postings::List(
        postings
            .iter()
            .map(|p| Posting {
                doc: p.doc,
                impact: p.impact,
            })
            .collect(),
    );
    // Quick way out: the list against twice a bitmap with nothing raised.
    if list.encoded_len(doc_count) <= 2 * doc_count.div_ceil(8) + 1 {
        return list;
    }
    // The default is the median impact of the lowest band present; the sections of higher
    // bands (title and heading matches) are listed with their own.
    let mut impacts: Vec<u8> = postings.iter().map(|p| p.impact).collect();
    impacts.sort_unstable();
    let lowest = impacts.partition_point(|&i| !format::raised(i, impacts[0]));
    let impact = impacts[lowest / 2];
    let raised: Vec<Posting> = postings
        .iter()
        .filter(|p| format::raised(p.impact, impact))
        .map(|p| Posting {
            doc: p.doc,
            impact: p.impact,
        })
        .collect();
    let bitmap = Postings::Bitmap {
        impact,
        docs: postings.iter().map(|p| p.doc).collect(),
        raised,
    };
    if list.encoded_len(doc_count) <= 2 * bitmap.encoded_len(doc_count) {
        list
    } else {
        bitmap
    }
}

/// What a stem carries, settled once and shared by every shard that lists its words.
struct PlannedStem {
    postings: Postings,
    /// The sections carried as hits, best first, with their text windows.
    hits: Vec<PlannedHit>,
}

/// A hit of a stem, by its section's id in the whole index.
struct PlannedHit {
    doc: u32,
    impact: u8,
    flags: u8,
    window: String,
}

impl PlannedStem {
    /// `hits`: the documents to carry as hits (see [`hits::choose`]), best first.
    fn new(
        index: &SearchIndex,
        postings: &[index::Posting],
        encoded: Postings,
        hits: &[Chosen],
        options: &ShardOptions,
    ) -> PlannedStem {
        let fallback = encoded.fallback();
        let hits = hits
            .iter()
            .filter_map(|hit| {
                let at = postings.binary_search_by_key(&hit.doc, |p| p.doc).ok()?;
                let posting = &postings[at];
                // A section carried for a pair counts at the bitmap's impact, as before
                // (or at its own when the bitmap raises it).
                let impact = match fallback {
                    Some(fallback) if !hit.own && !format::raised(posting.impact, fallback) => {
                        fallback
                    }
                    _ => posting.impact,
                };
                let text = &index.docs[posting.doc as usize].text;
                let (window, flags) = if hit.excerpt {
                    window(text, posting.first_in_text(), options.window_chars)
                } else {
                    (String::new(), NO_EXCERPT)
                };
                Some(PlannedHit {
                    doc: posting.doc,
                    impact,
                    flags,
                    window,
                })
            })
            .collect();
        PlannedStem {
            postings: encoded,
            hits,
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
        self.postings.encoded_len(index.docs.len()) + hits + 4
    }
}

/// The text around `first` (a byte offset in `text`), about `chars` characters, cut at
/// spaces; or the start of the text when the word is not in it. Flags say which ends cut
/// the text short ([`CUT_BEFORE`], [`CUT_AFTER`]).
pub fn window(text: &str, first: Option<u32>, chars: usize) -> (String, u8) {
    let mut first = first.map_or(0, |f| (f as usize).min(text.len()));
    while !text.is_char_boundary(first) {
        first -= 1;
    }
    let before = chars / 4;
    // Start a quarter of the window before the match, at a word start.
    let mut start = nth_char_back(&text[..first], before.max(1)).unwrap_or(0);
    if start > 0 {
        start = text[start..first]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(first, |(space, c)| start + space + c.len_utf8());
    }
    let mut end = nth_char(&text[start..], chars).map_or(text.len(), |i| start + i);
    if end < text.len() {
        end = text[start..end]
            .rfind(char::is_whitespace)
            .map_or(end, |space| start + space);
    }
    let mut flags = 0;
    if start > 0 {
        flags |= CUT_BEFORE;
    }
    if end < text.len() {
        flags |= CUT_AFTER;
    }
    let cut = &text[start..end];
    if cut.is_ascii() {
        return (collapse_ascii_spaces(cut), flags);
    }
    let mut window = String::with_capacity(end - start);
    for word in cut.split_whitespace() {
        if !window.is_empty() {
            window.push(' ');
        }
        window.push_str(word);
    }
    (window, flags)
}

/// The byte offset of character `n` of `text`, if it has that many: at once when the
/// text up to it is ASCII, as most is.
fn nth_char(text: &str, n: usize) -> Option<usize> {
    match text.as_bytes().get(..n) {
        Some(head) if head.is_ascii() => (n < text.len()).then_some(n),
        _ => text.char_indices().nth(n).map(|(i, _)| i),
    }
}

/// The byte offset of the `n`th character from the end of `text` (the last is the first),
/// if it has that many: at once when those characters are ASCII.
fn nth_char_back(text: &str, n: usize) -> Option<usize> {
    match text.len().checked_sub(n) {
        Some(at) if text.as_bytes()[at..].is_ascii() => Some(at),
        _ => text
            .char_indices()
            .rev()
            .nth(n.checked_sub(1)?)
            .map(|(i, _)| i),
    }
}

/// ASCII `text` with its words joined as [`window`] joins them: each run of white space
/// (`\t`…`\r` and space, which is all `char::is_whitespace` matches in ASCII) one space,
/// none at either end. Every section's text goes through here for its chunk, and that text
/// has a line break between blocks: so it is cut at the (few) line breaks and other
/// control spaces, and each line copied whole unless it holds two spaces in a row. Three
/// times faster than joining words one by one, whose branch on every space the processor
/// cannot predict.
fn collapse_ascii_spaces(text: &str) -> String {
    let mut joined: Vec<u8> = Vec::with_capacity(text.len());
    for line in text.as_bytes().split(|byte| (b'\t'..=b'\r').contains(byte)) {
        // Only spaces are left to trim: the line holds no `\t`…`\r`.
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push(b' ');
        }
        if line.windows(2).any(|pair| pair == b"  ") {
            let words = line
                .split(|byte| *byte == b' ')
                .filter(|word| !word.is_empty());
            for (index, word) in words.enumerate() {
                if index > 0 {
                    joined.push(b' ');
                }
                joined.extend_from_slice(word);
            }
        } else {
            joined.extend_from_slice(line);
        }
    }
    // ASCII throughout, so always UTF-8.
    String::from_utf8(joined).unwrap_or_default()
}

/// One planned term shard: a run of words, and the words of split groups kept elsewhere.
struct PlannedShard {
    /// The shard's first word (empty for the first shard): the manifest's key.
    from: String,
    /// Indices into `index.words`.
    words: Range<usize>,
    /// The range of `index.words` of the two-letter groups this shard holds part of, when
    /// it holds only part of them.
    group_words: Range<usize>,
    /// Where the rest of its group's words are listed.
    vocabulary: VocabularyPlace,
}

impl PlannedShard {
    fn new(words: Range<usize>, group_words: Range<usize>) -> PlannedShard {
        PlannedShard {
            from: String::new(),
            words,
            group_words,
            vocabulary: VocabularyPlace::Own,
        }
    }
}

/// Where the browser finds the words of a shard's two-letter group that other shards hold.
#[derive(Debug, Clone)]
enum VocabularyPlace {
    /// Nowhere: the shard holds whole groups.
    Own,
    /// In the shard itself: the range of `index.words` of the whole group.
    Inline(Range<usize>),
    /// In vocabulary file `n`.
    File(usize),
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
    stems: &[PlannedStem],
    options: &ShardOptions,
) -> Vec<PlannedShard> {
    let costs: Vec<usize> = stems.iter().map(|s| s.cost(index)).collect();
    let words = &index.words;
    // Groups as ranges of word indices.
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=words.len() {
        if i == words.len() || group_of(&words[i].0) != group_of(&words[start].0) {
            groups.push(start..i);
            start = i;
        }
    }
    let word_cost = |i: usize| words[i].0.len() + 3;
    let group_cost = |range: &Range<usize>| -> usize {
        let mut seen = HashSet::default();
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
    for group in groups {
        let cost = group_cost(&group);
        if cost > target {
            if let Some((s, e, _)) = current.take() {
                shards.push(PlannedShard::new(s..e, s..s));
            }
            // Split the group at word boundaries.
            let mut piece_start = group.start;
            let mut bytes = 0;
            let mut seen = HashSet::default();
            for i in group.clone() {
                let stem = words[i].1 as usize;
                let add = word_cost(i) + if seen.insert(stem) { costs[stem] } else { 0 };
                if bytes > 0 && bytes + add > target {
                    shards.push(PlannedShard::new(piece_start..i, group.clone()));
                    piece_start = i;
                    bytes = 0;
                    seen.clear();
                    seen.insert(stem);
                }
                bytes += add;
            }
            shards.push(PlannedShard::new(piece_start..group.end, group.clone()));
            continue;
        }
        current = match current {
            Some((s, _, bytes)) if bytes + cost <= target => Some((s, group.end, bytes + cost)),
            Some((s, e, _)) => {
                shards.push(PlannedShard::new(s..e, s..s));
                Some((group.start, group.end, cost))
            }
            None => Some((group.start, group.end, cost)),
        };
    }
    if let Some((s, e, _)) = current {
        shards.push(PlannedShard::new(s..e, s..s));
    }
    if shards.is_empty() {
        shards.push(PlannedShard::new(0..0, 0..0));
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

/// The page table of a file, the pages numbered in order of first use in `pages`, and
/// each page's local number.
fn pages_of(
    index: &SearchIndex,
    pages: impl IntoIterator<Item = usize>,
) -> (Vec<Page<'_>>, HashMap<usize, usize>) {
    let mut local: HashMap<usize, usize> = HashMap::default();
    let mut table: Vec<Page<'_>> = Vec::new();
    for page in pages {
        local.entry(page).or_insert_with(|| {
            let entry = &index.pages[page];
            table.push(Page {
                url: entry.url.as_str().into(),
                title: entry.title.as_str().into(),
            });
            table.len() - 1
        });
    }
    (table, local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_common_stem_s_bitmap_keeps_its_title_and_heading_matches_at_their_own_impact() {
        // A word in every section of 1,000, in 40 titles and 30 headings among them.
        let postings: Vec<index::Posting> = (0..1000u32)
            .map(|doc| index::Posting {
                doc,
                impact: match doc % 25 {
                    0 => 200,
                    1 => 120,
                    3 if doc % 5 == 3 => 120,
                    _ => 40 + (doc % 7) as u8,
                },
                first: index::Posting::NOT_IN_TEXT,
            })
            .collect();
        let encoded = postings_of(&postings, 1000);
        let Postings::Bitmap { impact, raised, .. } = &encoded else {
            panic!("a bitmap: {encoded:?}");
        };
        assert!(index::BANDS[0].contains(impact));
        let expected: Vec<u32> = postings
            .iter()
            .filter(|p| p.impact > 85)
            .map(|p| p.doc)
            .collect();
        assert_eq!(raised.iter().map(|p| p.doc).collect::<Vec<_>>(), expected);
        // As the browser counts them: raised sections at their own impact, the rest at one.
        for (seen, posting) in encoded.iter().zip(&postings) {
            let want = if posting.impact > 85 {
                posting.impact
            } else {
                *impact
            };
            assert_eq!(seen.impact, want, "{posting:?}");
        }
    }

    #[test]
    fn a_stem_mostly_in_titles_still_ranks_its_body_matches_below_them() {
        // In the titles of most of the pages that hold it: the browser still sees each
        // section in its own band, whether the stem is written as a list or a bitmap.
        let band = |impact: u8| index::BANDS.iter().position(|b| b.contains(&impact));
        for (titles, body, doc_count) in
            [(16u32, 9u32, 100usize), (220, 180, 1000), (60, 600, 1000)]
        {
            let postings: Vec<index::Posting> = (0..titles + body)
                .map(|doc| index::Posting {
                    doc,
                    impact: if doc < titles {
                        203
                    } else {
                        30 + (doc % 3) as u8
                    },
                    first: index::Posting::NOT_IN_TEXT,
                })
                .collect();
            let encoded = postings_of(&postings, doc_count);
            for (seen, own) in encoded.iter().zip(&postings) {
                assert_eq!(
                    band(seen.impact),
                    band(own.impact),
                    "{own:?} in {titles} {body}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn nth_char_is_where_the_nth_character_starts(text in "[a é\u{1F600}]{0,12}", n in 0usize..14) {
            let expected = text.char_indices().nth(n).map(|(i, _)| i);
            proptest::prop_assert_eq!(nth_char(&text, n), expected);
        }
    }
}
