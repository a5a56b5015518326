//! The index as files: small term shards, document chunks and one manifest.
//!
//! A query should download only what its words need, in as few requests as possible. So
//! words are cut into shards by their first two letters, and each shard carries everything
//! needed to show its words' best hits: the postings with their impacts, plus, for each
//! stem's hits, the page title, URL, heading and a text window around the match. A
//! one-word query is one shard; a two-word query two. The hits are each stem's best
//! sections, and for common stems also the best sections of their pairs with other common
//! stems ([`hits`](super::hits)), so two common words find their results there too. When a
//! query's best results are not among the hits its shards carry (a less common word with a
//! common one, say), the browser fetches those sections from the document chunks, which
//! hold the start of every section's text, and cuts each excerpt around the first word the
//! query matched. Chunk `n` holds documents `n × chunk_docs` onwards.
//!
//! `plan` decides the files (which words go in which shard, what each stem carries, where
//! a split group's vocabulary goes, what each chunk holds); [`format`](mod@format) turns
//! each into bytes, names the files, and reads them back; [`write()`] runs the two and
//! names every file with one hash of the whole index.

pub mod format;
mod plan;

use std::hash::Hasher;

use rayon::prelude::*;
use siphasher::sip::SipHasher13;

use crate::output::{Origin, OutputFile};
use crate::paths::RelPath;
use crate::search::index::SearchIndex;
use format::gzip;
pub use format::{FileKind, INDEX_DIR, MANIFEST, path};
pub use plan::{ShardOptions, window};

/// How collision messages name the index files.
const ORIGIN: &str = "the search index";

/// Writes the index as files below [`INDEX_DIR`]: term shards, vocabularies of the groups
/// split over several shards, document chunks and the manifest.
pub fn write(index: &SearchIndex, options: &ShardOptions) -> Vec<OutputFile> {
    let doc_count = index.docs.len();
    let plan = plan::Plan::new(index, options);
    let shards: Vec<Vec<u8>> = (0..plan.shard_count())
        .into_par_iter()
        .map(|number| gzip(&plan.term_shard(number).encode(doc_count)))
        .collect();
    let vocabularies: Vec<Vec<u8>> = (0..plan.vocabulary_count())
        .into_par_iter()
        .map(|number| gzip(&plan.vocabulary(number).encode()))
        .collect();
    let chunks: Vec<Vec<u8>> = (0..plan.chunk_count())
        .into_par_iter()
        .map(|number| gzip(&plan.chunk(number).encode()))
        .collect();

    let kinds = [
        (FileKind::Shard, shards),
        (FileKind::Vocabulary, vocabularies),
        (FileKind::Chunk, chunks),
    ];
    let all: Vec<&[u8]> = kinds
        .iter()
        .flat_map(|(_, files)| files.iter().map(Vec::as_slice))
        .collect();
    let hash = hash_all(&all);
    let manifest = plan.manifest(hash.clone());
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
        bytes: manifest.encode().into(),
        origin: Origin::generated(ORIGIN),
    });
    files
}

/// One hash of a list of files, in order: sixteen hex digits. Each file is hashed on its
/// own, in parallel (an index is tens of megabytes, and this is the last step before the
/// build can finish), then their lengths and hashes in order.
fn hash_all(files: &[&[u8]]) -> String {
    let each: Vec<u64> = files
        .par_iter()
        .map(|bytes| {
            let mut hasher = SipHasher13::new_with_keys(0, 0);
            hasher.write(bytes);
            hasher.finish()
        })
        .collect();
    let mut hasher = SipHasher13::new_with_keys(0, 0);
    for (bytes, hash) in files.iter().zip(each) {
        hasher.write_usize(bytes.len());
        hasher.write_u64(hash);
    }
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests;
