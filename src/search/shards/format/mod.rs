//! The index files, byte by byte: their names, the manifest, and the binary layout of term
//! shards, vocabularies and document chunks, with an encoder and a decoder for each.
//!
//! `themes/default/static/js/search.js` reads these files in the browser; this module is
//! the Rust side of the same contract. The types below are what each file holds; the build
//! fills them in (see the planning in the parent module) and encodes them, and
//! [`TermShard::decode`], [`Vocabulary::decode`], [`Chunk::decode`] and
//! [`Manifest::decode`] read them back (tests, benchmarks and any other tool), checking
//! every step, so that a file the writer got wrong is an error rather than a wrong answer.
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
//! `DecompressionStream`). The format is hand-written binary rather than JSON: numbers as
//! LEB128 varints, words front-coded, doc ids delta-coded. That makes shards about a third
//! the size of the same data as JSON and lets the browser decode them with a few lines and
//! no library (the whole client must stay small: about 12 KB gzipped, its stemmer
//! included). The layout, all integers varints, strings a varint byte length and UTF-8:
//!
//! ```text
//! term shard  = 1 pages docs stems words vocabulary
//! pages       = count { url title }
//! docs        = count { doc-id-delta page anchor heading }        (sorted by doc id)
//! stems       = count { df kind postings hits }
//!   kind 0      postings = { doc-id-delta impact:u8 } × df
//!   kind 1      postings = default-impact:u8 bitmap:ceil(N/8) bytes
//!                          count { doc-id-delta impact:u8 }
//!               (common stems: a doc gets the default impact unless it is listed after
//!               the bitmap, with its own, or among the hits; listed are the docs whose
//!               impact is in a higher band than the default's: a title or heading match
//!               keeps its rank however common the word)
//!   hits        = count { doc impact:u8 flags:u8 window }         (doc: index into docs;
//!               flags: 1 = the window starts inside the text, 2 = it ends inside it,
//!               4 = no excerpt: a section listed under its page by heading alone, its
//!               window empty)
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
//! Each stem's hits are the best sections of its best pages (see
//! [`hits`](crate::search::hits)): the browser lists pages, each with its best sections.
//!
//! `shared` counts UTF-16 code units, as JavaScript strings do. N is the number of
//! documents in the whole index (the manifest's `docs`). Documents are numbered page by
//! page, in the order of the manifest's `sections`, which gives the number of sections of
//! each page, so the browser knows the page of any document. Numbers are written as at most 32
//! bits: a count above `u32::MAX` (a site never has that many sections) is written as
//! `u32::MAX`.

mod decode;
mod encode;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::search::index::word_order;

pub use decode::DecodeError;
pub use encode::gzip;

/// The folder under the output root that holds the index, and the manifest's name in it.
pub const INDEX_DIR: &str = "search";
/// The manifest: the one file with a fixed name, so pages never need rewriting.
pub const MANIFEST: &str = "search/index.json";
/// The manifest's `version`: `search.js` refuses any other, so that a page cached from an
/// older deploy never misreads a newer index.
pub const VERSION: u32 = 3;
/// The first byte of every binary file.
pub const FILE_VERSION: u8 = 1;

/// A hit's or a chunk text's flag: the text starts inside the section's text.
pub const CUT_BEFORE: u8 = 1;
/// A hit's or a chunk text's flag: the text ends before the section's text does.
pub const CUT_AFTER: u8 = 2;
/// A hit's flag: the hit carries no excerpt (its window is empty). The browser shows such a
/// section by its heading, under the page whose best section carries one.
pub const NO_EXCERPT: u8 = 4;

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

/// The manifest's content, in `search/index.json`. Kept small: every first query loads it.
/// Its fields are written in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`VERSION`].
    pub version: u32,
    /// Number of documents (sections), for bitmaps and BM25.
    pub docs: usize,
    /// The number of sections of each page, in page order, as [`encode_counts`] writes
    /// them: documents are numbered page by page, so this gives the page of each.
    pub sections: String,
    /// The Snowball algorithm the index stemmed its words with (`english`…), or "" for
    /// none: the browser stems the reader's words with it when it has it.
    pub stemmer: String,
    /// The best pages every stem carries sections of as hits: the browser lists at most
    /// this many pages.
    pub hits: usize,
    /// Characters in an excerpt: the browser cuts those of document chunks to this size.
    pub window: usize,
    /// The first word (or two-letter group) of every term shard but the first, joined
    /// with spaces (words never hold one), in word order.
    pub from: String,
    /// Sections per document chunk.
    pub chunk_docs: usize,
    /// The hash in every file name: see [`path`].
    pub hash: String,
}

impl Manifest {
    /// The key of every term shard, in order: "" for the first, then those of `from`.
    pub fn shard_keys(&self) -> Vec<&str> {
        let mut keys = vec![""];
        if !self.from.is_empty() {
            keys.extend(self.from.split(' '));
        }
        keys
    }

    /// The number of the term shard that holds `word` (if any shard does): the last one
    /// whose key sorts at or before it, as the browser picks it.
    pub fn shard_for(&self, word: &str) -> usize {
        let keys = self.shard_keys();
        keys.partition_point(|key| word_order(key, word).is_le())
            .saturating_sub(1)
    }

    /// The path of index file `number` of its kind in this index.
    pub fn path(&self, kind: FileKind, number: usize) -> String {
        path(kind, number, &self.hash)
    }

    /// The document chunk that holds document `doc`.
    pub fn chunk_of(&self, doc: u32) -> usize {
        doc as usize / self.chunk_docs.max(1)
    }

    /// The number of sections of each page, from `sections`.
    pub fn section_counts(&self) -> Result<Vec<usize>, DecodeError> {
        decode_counts(&self.sections)
    }
}

/// The digits of [`encode_counts`]: the first 32 end a number, the others carry on.
const COUNT_DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Numbers as text that JSON carries as it is and gzip shrinks well: each in base 32,
/// lowest digit first, every digit but the last from the second half of the digits. Most
/// pages have fewer than 32 sections: one character each.
pub fn encode_counts(counts: impl IntoIterator<Item = usize>) -> String {
    let mut out = String::new();
    for mut count in counts {
        while count >= 32 {
            out.push(char::from(COUNT_DIGITS[32 + count % 32]));
            count /= 32;
        }
        out.push(char::from(COUNT_DIGITS[count]));
    }
    out
}

/// Reads what [`encode_counts`] wrote.
pub fn decode_counts(text: &str) -> Result<Vec<usize>, DecodeError> {
    let mut counts = Vec::new();
    let (mut value, mut scale) = (0usize, 1usize);
    for (at, c) in text.char_indices() {
        let digit = u8::try_from(c)
            .ok()
            .and_then(|c| COUNT_DIGITS.iter().position(|d| *d == c))
            .ok_or_else(|| DecodeError {
                offset: at,
                problem: format!("{c:?} is not a digit of the section counts"),
            })?;
        let too_big = || DecodeError {
            offset: at,
            problem: "a section count is too large".into(),
        };
        let add = scale.checked_mul(digit % 32).ok_or_else(too_big)?;
        value = value.checked_add(add).ok_or_else(too_big)?;
        if digit < 32 {
            counts.push(value);
            (value, scale) = (0, 1);
        } else {
            scale = scale.checked_mul(32).ok_or_else(too_big)?;
        }
    }
    if scale != 1 {
        return Err(DecodeError {
            offset: text.len(),
            problem: "the section counts end inside a number".into(),
        });
    }
    Ok(counts)
}

/// A page that a term shard's or a chunk's documents belong to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page<'a> {
    /// Root-relative URL.
    pub url: Cow<'a, str>,
    /// The page's title.
    pub title: Cow<'a, str>,
}

/// A term shard (`t<n>-<hash>.bin`): a run of words in word order, their stems' postings,
/// and each stem's best sections with what the browser shows of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermShard<'a> {
    /// The pages of `docs`.
    pub pages: Vec<Page<'a>>,
    /// The sections the hits point at, by ascending id.
    pub docs: Vec<ShardDoc<'a>>,
    /// The stems of the shard's words.
    pub stems: Vec<Stem<'a>>,
    /// The shard's words, and those of its two-letter group held elsewhere when the group
    /// is split and its vocabulary is listed here; in word order.
    pub words: Vec<ShardWord<'a>>,
    /// The number of the group's vocabulary file, when the shard holds part of a split
    /// group whose vocabulary is not listed in it.
    pub vocabulary: Option<usize>,
}

/// A section that a term shard's hits point at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShardDoc<'a> {
    /// The section's id in the whole index.
    pub id: u32,
    /// Index into the shard's pages.
    pub page: usize,
    /// The heading's anchor ("" for the start of a page).
    pub anchor: Cow<'a, str>,
    /// The heading ("" for the start of a page).
    pub heading: Cow<'a, str>,
}

/// A stem of a term shard: the sections that hold it and the best of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stem<'a> {
    /// Every section that holds the stem.
    pub postings: Cow<'a, Postings>,
    /// The sections the shard carries as results, best first.
    pub hits: Vec<Hit<'a>>,
}

impl Stem<'_> {
    /// The stem's document frequency: the number of sections that hold it.
    pub fn df(&self) -> usize {
        self.postings.len()
    }
}

/// A section that holds a stem, with the stem's impact there (its BM25F score, quantized).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Posting {
    /// The section's id in the whole index.
    pub doc: u32,
    /// The stem's impact in that section.
    pub impact: u8,
}

/// A stem's postings, in one of the two encodings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Postings {
    /// Kind 0: every section with its impact, by ascending id.
    List(Vec<Posting>),
    /// Kind 1: a bitmap over every section of the index, for common stems. A section
    /// counts at `impact` unless a hit of the stem gives its own.
    Bitmap {
        /// The impact of sections that are not raised nor among the hits.
        impact: u8,
        /// The sections set in the bitmap, by ascending id (all below the index's number
        /// of documents).
        docs: Vec<u32>,
        /// The sections of `docs` whose own impact is in a higher band than `impact`
        /// ([`raised`]), with that impact, by ascending id.
        raised: Vec<Posting>,
    },
}

impl Default for Postings {
    fn default() -> Self {
        Postings::List(Vec::new())
    }
}

impl Postings {
    /// The number of sections.
    pub fn len(&self) -> usize {
        match self {
            Postings::List(list) => list.len(),
            Postings::Bitmap { docs, .. } => docs.len(),
        }
    }

    /// Whether no section holds the stem.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every section with its impact as the browser counts it before looking at the hits
    /// (a bitmap's sections at its default impact).
    pub fn iter(&self) -> impl Iterator<Item = Posting> + '_ {
        let (list, impact, docs): (&[Posting], u8, &[u32]) = match self {
            Postings::List(list) => (list, 0, &[]),
            Postings::Bitmap { impact, docs, .. } => (&[], *impact, docs),
        };
        let raised: &[Posting] = match self {
            Postings::List(_) => &[],
            Postings::Bitmap { raised, .. } => raised,
        };
        list.iter().copied().chain(docs.iter().map(move |&doc| {
            let own = raised.binary_search_by_key(&doc, |p| p.doc).ok();
            Posting {
                doc,
                impact: own.map_or(impact, |at| raised[at].impact),
            }
        }))
    }

    /// The encoding's fallback impact: that of a bitmap's sections, none for a list.
    pub fn fallback(&self) -> Option<u8> {
        match self {
            Postings::List(_) => None,
            Postings::Bitmap { impact, .. } => Some(*impact),
        }
    }
}

/// Whether a section of a bitmap's stem, of impact `own`, keeps it rather than the bitmap's
/// `default`: when it is in a higher band ([`crate::search::index::BANDS`]), so that a title
/// or heading match outranks a body match however common the word is.
pub fn raised(own: u8, default: u8) -> bool {
    let band = |impact: u8| {
        crate::search::index::BANDS
            .iter()
            .position(|range| range.contains(&impact))
            .unwrap_or(0)
    };
    band(own) > band(default)
}

/// One of a stem's best sections, with the text window the browser shows as its excerpt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hit<'a> {
    /// Index into the shard's docs.
    pub doc: usize,
    /// The stem's impact in the section.
    pub impact: u8,
    /// [`CUT_BEFORE`] and [`CUT_AFTER`].
    pub flags: u8,
    /// The text around the section's first match, whitespace collapsed.
    pub window: Cow<'a, str>,
}

/// A word listed in a term shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardWord<'a> {
    /// The word, folded as the index folds it.
    pub word: Cow<'a, str>,
    /// Where its postings are.
    pub place: WordPlace,
}

/// Where a word listed in a term shard has its postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordPlace {
    /// In this shard: index into its stems.
    Here {
        /// The stem's index in the shard.
        stem: usize,
    },
    /// In another shard of the word's two-letter group.
    Elsewhere {
        /// The number of the shard holding it.
        shard: usize,
        /// Its stem's document frequency.
        df: usize,
    },
}

impl<'a> TermShard<'a> {
    /// The words this shard holds, with the index of their stem.
    pub fn held_words(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        self.words.iter().filter_map(|word| match word.place {
            WordPlace::Here { stem } => Some((&*word.word, stem)),
            WordPlace::Elsewhere { .. } => None,
        })
    }

    /// The words of the shard's group that other shards hold, as its vocabulary would
    /// list them.
    pub fn other_words(&self) -> impl Iterator<Item = VocabularyWord<'_>> + '_ {
        self.words.iter().filter_map(|word| match word.place {
            WordPlace::Here { .. } => None,
            WordPlace::Elsewhere { shard, df } => Some(VocabularyWord {
                word: Cow::Borrowed(&*word.word),
                shard,
                df,
            }),
        })
    }

    /// The stem of `word`, if this shard holds it.
    pub fn stem_of(&self, word: &str) -> Option<&Stem<'a>> {
        self.held_words()
            .find(|(held, _)| *held == word)
            .and_then(|(_, stem)| self.stems.get(stem))
    }
}

/// The vocabulary of a two-letter group split over several shards (`v<n>-<hash>.bin`):
/// every word of the group, in word order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary<'a> {
    /// The group's words.
    pub words: Vec<VocabularyWord<'a>>,
}

/// A word of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabularyWord<'a> {
    /// The word.
    pub word: Cow<'a, str>,
    /// The number of the term shard holding it.
    pub shard: usize,
    /// Its stem's document frequency.
    pub df: usize,
}

/// A document chunk (`d<n>-<hash>.bin`): consecutive sections with the start of their
/// text, for results a term shard carries no excerpt for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// The pages of `docs`.
    pub pages: Vec<Page<'a>>,
    /// The sections, by ascending id: chunk `n` starts at section `n × chunk_docs`.
    pub docs: Vec<ChunkDoc<'a>>,
}

/// A section of a document chunk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChunkDoc<'a> {
    /// Index into the chunk's pages.
    pub page: usize,
    /// The heading's anchor ("" for the start of a page).
    pub anchor: Cow<'a, str>,
    /// The heading ("" for the start of a page).
    pub heading: Cow<'a, str>,
    /// [`CUT_AFTER`] when the text stops before the section's end.
    pub flags: u8,
    /// The start of the section's text, whitespace collapsed.
    pub text: Cow<'a, str>,
}

#[cfg(test)]
mod tests;
