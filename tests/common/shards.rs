//! Reads back the search index's gzipped binary files (term shards, vocabularies, document
//! chunks), taking the same steps as `search.js`. The layout is described in
//! `src/search/shards.rs`; every string is checked to be UTF-8 and every file to be read to
//! its last byte.

/// A decoded term shard (`t<n>-<hash>.bin`).
#[derive(Debug, Default)]
pub struct TermShard {
    /// (url, title)
    pub pages: Vec<(String, String)>,
    /// (global doc id, local page, anchor, heading)
    pub docs: Vec<(u32, usize, String, String)>,
    pub stems: Vec<Stem>,
    /// (word, local stem)
    pub words: Vec<(String, usize)>,
    /// Words of the shard's group that other shards hold: (word, shard, df).
    pub others: Vec<(String, usize, usize)>,
    /// The number of the group's vocabulary (`v<n>-<hash>.bin`), if the group is split.
    pub vocabulary: Option<usize>,
}

/// A stem of a term shard.
#[derive(Debug, Default)]
pub struct Stem {
    pub df: usize,
    /// (doc, impact); a bitmap's docs get its default impact.
    pub postings: Vec<(u32, u8)>,
    /// (local doc, impact, flags, window)
    pub hits: Vec<(usize, u8, u8, String)>,
}

/// A decoded document chunk (`d<n>-<hash>.bin`).
#[derive(Debug, Default)]
pub struct Chunk {
    /// (url, title)
    pub pages: Vec<(String, String)>,
    pub docs: Vec<ChunkDoc>,
}

/// A section of a document chunk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ChunkDoc {
    /// Index into the chunk's pages.
    pub page: usize,
    pub anchor: String,
    pub heading: String,
    /// 2 when the text stops before the section's end.
    pub flags: u8,
    pub text: String,
}

/// Inflates a gzipped file.
pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        self.at += 1;
        self.bytes[self.at - 1]
    }

    fn varint(&mut self) -> usize {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let b = self.byte();
            value |= usize::from(b & 0x7f) << shift;
            if b < 0x80 {
                return value;
            }
            shift += 7;
        }
    }

    fn string(&mut self) -> String {
        let len = self.varint();
        self.at += len;
        String::from_utf8(self.bytes[self.at - len..self.at].to_vec()).expect("UTF-8 string")
    }

    fn front_coded(&mut self, previous: &str) -> String {
        let shared = self.varint();
        let units: Vec<u16> = previous.encode_utf16().take(shared).collect();
        String::from_utf16(&units).expect("shared prefix") + &self.string()
    }

    fn pages(&mut self) -> Vec<(String, String)> {
        (0..self.varint())
            .map(|_| (self.string(), self.string()))
            .collect()
    }

    /// A reader of a decoded file, past its version byte.
    fn open(bytes: &'a [u8]) -> Self {
        let mut reader = Reader { bytes, at: 0 };
        assert_eq!(reader.byte(), 1, "version");
        reader
    }

    fn end(&self) {
        assert_eq!(self.at, self.bytes.len(), "trailing bytes");
    }
}

/// Decodes a gzipped term shard of an index of `doc_count` documents (the manifest's
/// `docs`).
pub fn term_shard(gzipped: &[u8], doc_count: usize) -> TermShard {
    let bytes = gunzip(gzipped);
    let mut r = Reader::open(&bytes);
    let mut shard = TermShard {
        pages: r.pages(),
        ..TermShard::default()
    };
    let mut doc = 0;
    for _ in 0..r.varint() {
        doc += r.varint() as u32;
        shard.docs.push((doc, r.varint(), r.string(), r.string()));
    }
    for _ in 0..r.varint() {
        let mut stem = Stem {
            df: r.varint(),
            ..Stem::default()
        };
        if r.byte() == 0 {
            let mut doc = 0;
            for _ in 0..stem.df {
                doc += r.varint() as u32;
                stem.postings.push((doc, r.byte()));
            }
        } else {
            let default = r.byte();
            for byte in 0..doc_count.div_ceil(8) {
                let bits = r.byte();
                for bit in 0..8 {
                    if bits & (1 << bit) != 0 {
                        stem.postings.push(((byte * 8 + bit) as u32, default));
                    }
                }
            }
        }
        for _ in 0..r.varint() {
            stem.hits.push((r.varint(), r.byte(), r.byte(), r.string()));
        }
        shard.stems.push(stem);
    }
    let mut previous = String::new();
    for _ in 0..r.varint() {
        let word = r.front_coded(&previous);
        match r.varint() {
            0 => shard.others.push((word.clone(), r.varint(), r.varint())),
            stem => shard.words.push((word.clone(), stem - 1)),
        }
        previous = word;
    }
    shard.vocabulary = r.varint().checked_sub(1);
    r.end();
    shard
}

/// Decodes a gzipped vocabulary (`v<n>-<hash>.bin`): (word, shard, df).
pub fn vocabulary(gzipped: &[u8]) -> Vec<(String, usize, usize)> {
    let bytes = gunzip(gzipped);
    let mut r = Reader::open(&bytes);
    let mut previous = String::new();
    let mut words = Vec::new();
    for _ in 0..r.varint() {
        let word = r.front_coded(&previous);
        words.push((word.clone(), r.varint(), r.varint()));
        previous = word;
    }
    r.end();
    words
}

/// Decodes a gzipped document chunk.
pub fn chunk(gzipped: &[u8]) -> Chunk {
    let bytes = gunzip(gzipped);
    let mut r = Reader::open(&bytes);
    let mut chunk = Chunk {
        pages: r.pages(),
        ..Chunk::default()
    };
    for _ in 0..r.varint() {
        chunk.docs.push(ChunkDoc {
            page: r.varint(),
            anchor: r.string(),
            heading: r.string(),
            flags: r.byte(),
            text: r.string(),
        });
    }
    r.end();
    chunk
}
