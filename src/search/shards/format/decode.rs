//! Reading the index files back, taking the steps `search.js` takes, but checking each one:
//! every number fits, every string is UTF-8, every reference points at something, and every
//! file is read to its last byte. A file the writer got wrong is an error, never a panic.

use std::borrow::Cow;

use super::{
    Chunk, ChunkDoc, FILE_VERSION, Manifest, Page, Posting, Postings, ShardDoc, ShardWord, Stem,
    TermShard, VERSION, Vocabulary, VocabularyWord, WordPlace,
};

/// Why an index file could not be read: what was wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem} (at byte {offset})")]
pub struct DecodeError {
    /// The byte of the (inflated) file where reading stopped.
    pub offset: usize,
    /// What was wrong, in plain words.
    pub problem: String,
}

type Result<T> = std::result::Result<T, DecodeError>;

fn error(offset: usize, problem: impl Into<String>) -> DecodeError {
    DecodeError {
        offset,
        problem: problem.into(),
    }
}

impl TermShard<'static> {
    /// Reads a term shard from the bytes of its file (gzipped, or already inflated as some
    /// hosts serve it), in an index of `doc_count` documents (the manifest's `docs`).
    pub fn read(file: &[u8], doc_count: usize) -> Result<Self> {
        Self::decode(&inflate(file)?, doc_count)
    }

    /// Decodes a term shard's bytes (not compressed), in an index of `doc_count`
    /// documents.
    pub fn decode(bytes: &[u8], doc_count: usize) -> Result<Self> {
        let mut r = Reader::open(bytes)?;
        let pages = r.pages()?;
        let mut docs = Vec::new();
        let mut id = 0u32;
        for _ in 0..r.count()? {
            id = r.next_id(id)?;
            docs.push(ShardDoc {
                id,
                page: r.index(pages.len(), "page")?,
                anchor: r.string()?,
                heading: r.string()?,
            });
        }
        let mut stems = Vec::new();
        for _ in 0..r.count()? {
            stems.push(r.stem(doc_count, docs.len())?);
        }
        let mut words = Vec::new();
        let mut previous = String::new();
        for _ in 0..r.count()? {
            let word = r.front_coded(&previous)?;
            let at = r.at;
            let place = match r.varint()? {
                0 => WordPlace::Elsewhere {
                    shard: r.varint()?,
                    df: r.varint()?,
                },
                stem if stem <= stems.len() => WordPlace::Here { stem: stem - 1 },
                stem => {
                    return Err(error(
                        at,
                        format!("a word refers to stem {stem} of {}", stems.len()),
                    ));
                }
            };
            previous.clone_from(&word);
            words.push(ShardWord {
                word: Cow::Owned(word),
                place,
            });
        }
        let vocabulary = r.varint()?.checked_sub(1);
        r.end()?;
        Ok(TermShard {
            pages,
            docs,
            stems,
            words,
            vocabulary,
        })
    }
}

impl Vocabulary<'static> {
    /// Reads a vocabulary from the bytes of its file (gzipped or not).
    pub fn read(file: &[u8]) -> Result<Self> {
        Self::decode(&inflate(file)?)
    }

    /// Decodes a vocabulary's bytes (not compressed).
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::open(bytes)?;
        let mut words = Vec::new();
        let mut previous = String::new();
        for _ in 0..r.count()? {
            let word = r.front_coded(&previous)?;
            previous.clone_from(&word);
            words.push(VocabularyWord {
                word: Cow::Owned(word),
                shard: r.varint()?,
                df: r.varint()?,
            });
        }
        r.end()?;
        Ok(Vocabulary { words })
    }
}

impl Chunk<'static> {
    /// Reads a document chunk from the bytes of its file (gzipped or not).
    pub fn read(file: &[u8]) -> Result<Self> {
        Self::decode(&inflate(file)?)
    }

    /// Decodes a document chunk's bytes (not compressed).
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::open(bytes)?;
        let pages = r.pages()?;
        let mut docs = Vec::new();
        for _ in 0..r.count()? {
            docs.push(ChunkDoc {
                page: r.index(pages.len(), "page")?,
                anchor: r.string()?,
                heading: r.string()?,
                flags: r.byte()?,
                text: r.string()?,
            });
        }
        r.end()?;
        Ok(Chunk { pages, docs })
    }
}

impl Manifest {
    /// Reads the manifest (`search/index.json`), refusing another version of the format
    /// as the browser does.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let manifest: Manifest = serde_json::from_slice(bytes).map_err(|problem| {
            error(
                0,
                format!("the manifest is not what cairn writes: {problem}"),
            )
        })?;
        if manifest.version != VERSION {
            return Err(error(
                0,
                format!(
                    "the manifest is of version {} of the index format; this reader reads version {VERSION}",
                    manifest.version
                ),
            ));
        }
        let counts = manifest.section_counts()?;
        let sections = counts.iter().try_fold(0usize, |sum, n| sum.checked_add(*n));
        if sections != Some(manifest.docs) || counts.contains(&0) {
            return Err(error(
                0,
                format!(
                    "the manifest's pages have {} sections, not its {} documents, or a page has none",
                    sections.map_or_else(|| "too many".into(), |n| n.to_string()),
                    manifest.docs
                ),
            ));
        }
        Ok(manifest)
    }
}

/// A file's bytes, inflated when they are gzipped.
fn inflate(file: &[u8]) -> Result<Cow<'_, [u8]>> {
    use std::io::Read;
    if !file.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(file));
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .map_err(|problem| error(0, format!("the file is not valid gzip: {problem}")))?;
    Ok(Cow::Owned(out))
}

/// A cursor over a file's bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader past the file's version byte.
    fn open(bytes: &'a [u8]) -> Result<Self> {
        let mut reader = Reader { bytes, at: 0 };
        let version = reader.byte()?;
        if version != FILE_VERSION {
            return Err(error(
                0,
                format!(
                    "the file is of version {version}; this reader reads version {FILE_VERSION}"
                ),
            ));
        }
        Ok(reader)
    }

    fn byte(&mut self) -> Result<u8> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| error(self.at, "the file ends early"))?;
        self.at += 1;
        Ok(byte)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| error(self.at, format!("the file ends before {len} more bytes")))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    /// A varint of at most 32 bits, as the writer writes them.
    fn varint32(&mut self) -> Result<u32> {
        let start = self.at;
        let mut value = 0u64;
        for shift in (0..).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                break;
            }
            if shift >= 28 {
                return Err(error(start, "a number is longer than five bytes"));
            }
        }
        u32::try_from(value).map_err(|_| error(start, "a number is larger than 32 bits"))
    }

    fn varint(&mut self) -> Result<usize> {
        Ok(self.varint32()? as usize)
    }

    /// A count of items that follow, each at least one byte long: no more than the bytes
    /// left, so a broken count cannot ask for a huge allocation.
    fn count(&mut self) -> Result<usize> {
        let at = self.at;
        let count = self.varint()?;
        if count > self.bytes.len() - self.at {
            return Err(error(
                at,
                format!("a count of {count} items is more than the bytes left"),
            ));
        }
        Ok(count)
    }

    /// An index into a table of `len` items.
    fn index(&mut self, len: usize, what: &str) -> Result<usize> {
        let at = self.at;
        let index = self.varint()?;
        if index >= len {
            return Err(error(at, format!("a reference to {what} {index} of {len}")));
        }
        Ok(index)
    }

    /// The next id of a delta-coded list, after `previous`.
    fn next_id(&mut self, previous: u32) -> Result<u32> {
        let at = self.at;
        let delta = self.varint32()?;
        previous
            .checked_add(delta)
            .ok_or_else(|| error(at, "a document id is larger than 32 bits"))
    }

    fn string(&mut self) -> Result<Cow<'static, str>> {
        let at = self.at;
        let len = self.varint()?;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec())
            .map(Cow::Owned)
            .map_err(|_| error(at, "a string is not UTF-8"))
    }

    /// A front-coded word: the first `shared` UTF-16 units of `previous`, then a string.
    fn front_coded(&mut self, previous: &str) -> Result<String> {
        let at = self.at;
        let shared = self.varint()?;
        let mut units = 0;
        let mut bytes = 0;
        for c in previous.chars() {
            if units >= shared {
                break;
            }
            units += c.len_utf16();
            bytes += c.len_utf8();
        }
        if units != shared {
            return Err(error(
                at,
                format!(
                    "a word shares {shared} UTF-16 units with the previous one, {previous:?}, which has no such prefix"
                ),
            ));
        }
        Ok(previous[..bytes].to_owned() + &self.string()?)
    }

    fn pages(&mut self) -> Result<Vec<Page<'static>>> {
        let mut pages = Vec::new();
        for _ in 0..self.count()? {
            pages.push(Page {
                url: self.string()?,
                title: self.string()?,
            });
        }
        Ok(pages)
    }

    /// A stem of a term shard whose docs table has `docs` entries.
    fn stem(&mut self, doc_count: usize, docs: usize) -> Result<Stem<'static>> {
        let df_at = self.at;
        let df = self.varint()?;
        let kind_at = self.at;
        let postings = match self.byte()? {
            0 => {
                if df > self.bytes.len() - self.at {
                    return Err(error(
                        df_at,
                        format!("a stem of {df} postings is longer than the bytes left"),
                    ));
                }
                let mut list = Vec::with_capacity(df);
                let mut doc = 0;
                for _ in 0..df {
                    doc = self.next_id(doc)?;
                    list.push(Posting {
                        doc,
                        impact: self.byte()?,
                    });
                }
                Postings::List(list)
            }
            1 => {
                let impact = self.byte()?;
                let bitmap_at = self.at;
                let bitmap = self.take(doc_count.div_ceil(8))?;
                let mut set = Vec::new();
                for (byte, bits) in bitmap.iter().enumerate() {
                    for bit in 0..8 {
                        if bits & (1 << bit) != 0 {
                            set.push(byte * 8 + bit);
                        }
                    }
                }
                if set.last().is_some_and(|doc| *doc >= doc_count) {
                    return Err(error(
                        bitmap_at,
                        format!("a bitmap sets a document past the index's {doc_count}"),
                    ));
                }
                if set.len() != df {
                    return Err(error(
                        df_at,
                        format!(
                            "a stem's document frequency is {df} but its bitmap holds {}",
                            set.len()
                        ),
                    ));
                }
                let docs = set
                    .into_iter()
                    .map(u32::try_from)
                    .collect::<std::result::Result<Vec<u32>, _>>()
                    .map_err(|_| {
                        error(bitmap_at, "a bitmap is longer than 32 bits of documents")
                    })?;
                let mut raised = Vec::new();
                let mut doc = 0;
                for _ in 0..self.count()? {
                    let at = self.at;
                    doc = self.next_id(doc)?;
                    if docs.binary_search(&doc).is_err() {
                        return Err(error(
                            at,
                            format!("a raised section {doc} is not in its stem's bitmap"),
                        ));
                    }
                    raised.push(Posting {
                        doc,
                        impact: self.byte()?,
                    });
                }
                Postings::Bitmap {
                    impact,
                    docs,
                    raised,
                }
            }
            kind => {
                return Err(error(kind_at, format!("unknown postings kind {kind}")));
            }
        };
        let mut hits = Vec::new();
        for _ in 0..self.count()? {
            hits.push(super::Hit {
                doc: self.index(docs, "document")?,
                impact: self.byte()?,
                flags: self.byte()?,
                window: self.string()?,
            });
        }
        Ok(Stem {
            postings: Cow::Owned(postings),
            hits,
        })
    }

    fn end(&self) -> Result<()> {
        if self.at != self.bytes.len() {
            return Err(error(
                self.at,
                format!(
                    "{} bytes are left after the end",
                    self.bytes.len() - self.at
                ),
            ));
        }
        Ok(())
    }
}
