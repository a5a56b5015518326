//! Writing the index files: each file kind to its bytes, as the layout in the module above
//! gives them.

use super::{
    Chunk, FILE_VERSION, Manifest, Page, Posting, Postings, Stem, TermShard, Vocabulary, WordPlace,
};

impl TermShard<'_> {
    /// The shard's bytes, before compression, in an index of `doc_count` documents (the
    /// length of every bitmap). Docs and postings must be by ascending id, hits must point
    /// into `docs`, and bitmap documents must be below `doc_count` (others are left out).
    pub fn encode(&self, doc_count: usize) -> Vec<u8> {
        let mut out = vec![FILE_VERSION];
        push_pages(&mut out, &self.pages);
        push_len(&mut out, self.docs.len());
        let mut previous = 0;
        for doc in &self.docs {
            push_varint(&mut out, doc.id.wrapping_sub(previous));
            previous = doc.id;
            push_len(&mut out, doc.page);
            push_str(&mut out, &doc.anchor);
            push_str(&mut out, &doc.heading);
        }
        push_len(&mut out, self.stems.len());
        for stem in &self.stems {
            push_stem(&mut out, stem, doc_count);
        }
        push_len(&mut out, self.words.len());
        let mut previous = "";
        for word in &self.words {
            push_front_coded(&mut out, previous, &word.word);
            match word.place {
                WordPlace::Here { stem } => push_len(&mut out, stem.saturating_add(1)),
                WordPlace::Elsewhere { shard, df } => {
                    out.push(0);
                    push_len(&mut out, shard);
                    push_len(&mut out, df);
                }
            }
            previous = &word.word;
        }
        push_len(&mut out, self.vocabulary.map_or(0, |n| n.saturating_add(1)));
        out
    }
}

impl Vocabulary<'_> {
    /// The vocabulary's bytes, before compression.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![FILE_VERSION];
        push_len(&mut out, self.words.len());
        let mut previous = "";
        for word in &self.words {
            push_front_coded(&mut out, previous, &word.word);
            push_len(&mut out, word.shard);
            push_len(&mut out, word.df);
            previous = &word.word;
        }
        out
    }
}

impl Chunk<'_> {
    /// The chunk's bytes, before compression.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![FILE_VERSION];
        push_pages(&mut out, &self.pages);
        push_len(&mut out, self.docs.len());
        for doc in &self.docs {
            push_len(&mut out, doc.page);
            push_str(&mut out, &doc.anchor);
            push_str(&mut out, &doc.heading);
            out.push(doc.flags);
            push_str(&mut out, &doc.text);
        }
        out
    }
}

impl Manifest {
    /// The manifest as JSON, its fields in their declared order.
    pub fn encode(&self) -> Vec<u8> {
        // Plain fields of strings and numbers: serializing cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

impl Postings {
    /// The bytes the postings take in a shard, kind byte included, in an index of
    /// `doc_count` documents.
    pub fn encoded_len(&self, doc_count: usize) -> usize {
        match self {
            Postings::List(list) => 1 + delta_list_len(list),
            Postings::Bitmap { raised, .. } => {
                2 + doc_count.div_ceil(8)
                    + varint_len(u32::try_from(raised.len()).unwrap_or(u32::MAX))
                    + delta_list_len(raised)
            }
        }
    }
}

/// The bytes [`push_delta_list`] writes for `postings`.
fn delta_list_len(postings: &[Posting]) -> usize {
    let mut previous = 0;
    postings
        .iter()
        .map(|posting| {
            let delta = posting.doc.wrapping_sub(previous);
            previous = posting.doc;
            varint_len(delta) + 1
        })
        .sum()
}

/// How hard [`gzip`] compresses: libdeflate's level 1, its fastest. On a 10,000-page index
/// (99 MB before compression) it took 0.66 s of CPU where level 4 took 1.06 s, for files
/// 2.7% larger (53.4 MB against 51.9 MB); compressing was a sixth of the whole build's CPU
/// at level 4, and a reader fetches one or two of these files a query.
const GZIP_LEVEL: i32 = 1;

/// A thread's compressor and the buffer it compresses into.
struct Deflater {
    compressor: libdeflater::Compressor,
    buffer: Vec<u8>,
}

thread_local! {
    /// One a thread: a compressor holds its hash tables (hundreds of KB), and an index is
    /// thousands of files.
    static DEFLATER: std::cell::RefCell<Option<Deflater>> = const { std::cell::RefCell::new(None) };
}

/// Gzips a file's bytes (in memory, so it cannot fail in practice; an error leaves them as
/// they are, which the browser and [`TermShard::read`] also read). The result is allocated
/// at its own size: an index holds thousands of them until they are written.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    DEFLATER.with_borrow_mut(|deflater| {
        let Deflater { compressor, buffer } = deflater.get_or_insert_with(|| {
            let level = libdeflater::CompressionLvl::new(GZIP_LEVEL)
                .unwrap_or_else(|_| libdeflater::CompressionLvl::default());
            Deflater {
                compressor: libdeflater::Compressor::new(level),
                buffer: Vec::new(),
            }
        });
        buffer.resize(compressor.gzip_compress_bound(bytes.len()), 0);
        match compressor.gzip_compress(bytes, buffer) {
            Ok(written) => buffer[..written].to_vec(),
            Err(_) => bytes.to_vec(),
        }
    })
}

/// A stem: its document frequency, postings and hits.
fn push_stem(out: &mut Vec<u8>, stem: &Stem<'_>, doc_count: usize) {
    push_len(out, stem.df());
    match &*stem.postings {
        Postings::List(list) => {
            out.push(0);
            push_delta_list(out, list);
        }
        Postings::Bitmap {
            impact,
            docs,
            raised,
        } => {
            out.push(1);
            out.push(*impact);
            let start = out.len();
            out.resize(start + doc_count.div_ceil(8), 0);
            let bitmap = &mut out[start..];
            for &doc in docs {
                if let Some(byte) = bitmap.get_mut(doc as usize / 8) {
                    *byte |= 1 << (doc % 8);
                }
            }
            push_len(out, raised.len());
            push_delta_list(out, raised);
        }
    }
    push_len(out, stem.hits.len());
    for hit in &stem.hits {
        push_len(out, hit.doc);
        out.push(hit.impact);
        out.push(hit.flags);
        push_str(out, &hit.window);
    }
}

/// Postings as (id delta, impact) pairs, by ascending id; [`delta_list_len`] counts them.
fn push_delta_list(out: &mut Vec<u8>, postings: &[Posting]) {
    let mut previous = 0;
    for &Posting { doc, impact } in postings {
        push_varint(out, doc.wrapping_sub(previous));
        out.push(impact);
        previous = doc;
    }
}

/// A page table: count, then each page's URL and title.
fn push_pages(out: &mut Vec<u8>, pages: &[Page<'_>]) {
    push_len(out, pages.len());
    for page in pages {
        push_str(out, &page.url);
        push_str(out, &page.title);
    }
}

fn push_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn varint_len(value: u32) -> usize {
    (32 - value.leading_zeros() as usize).div_ceil(7).max(1)
}

/// A count or a number: at most `u32::MAX` (see the module above).
fn push_len(out: &mut Vec<u8>, value: usize) {
    push_varint(out, u32::try_from(value).unwrap_or(u32::MAX));
}

fn push_str(out: &mut Vec<u8>, text: &str) {
    push_len(out, text.len());
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
    push_len(out, shared_units);
    push_str(out, &word[shared_bytes..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_lengths_match_the_bytes_written() {
        for value in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            2_097_151,
            2_097_152,
            u32::MAX,
        ] {
            let mut out = Vec::new();
            push_varint(&mut out, value);
            assert_eq!(varint_len(value), out.len(), "{value}");
        }
    }
}
