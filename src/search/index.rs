//! The inverted index: which heading sections hold which stems, and how well they match.
//!
//! A document is one heading section of a page (the text from one heading to the next), so
//! a hit links straight to the heading nearest the match. Ranking is BM25F: a word's count
//! in each field (the page title, the section heading, the body) is normalized by that
//! field's length and weighted before the usual BM25 saturation.
//!
//! Where a word is matters before how often: a section whose page title holds the word
//! outranks one whose heading does, which outranks one that has it only in its text. So
//! each posting falls into one of three bands of impacts (title, heading, body), and BM25F
//! orders the postings within their band. Each posting's score is computed here, once, and
//! stored as a one-byte impact in its band: the band's lowest impact plus its width times
//! `√(score / highest score of the band)`, so that low scores (common words) keep their
//! differences. The browser squares impacts back into scores and adds them up.
//!
//! Within the title band, where the word stands in the title counts too, as in Algolia's
//! attribute criterion: a page whose title opens with the word is about it, while one that
//! names it fifth ("Why you should not contact…") is about something the word qualifies.
//! Without this, every title match saturates BM25 alike, and the order among a site's many
//! pages titled with a common word falls to how often their text repeats it.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::count::{self, Counted, Counts, Lengths};
use super::tokenize::{self, WordStemmer};

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalization of each field: titles and headings are short, and a long one
/// is seldom less about its words, so their length counts less than the text's.
const B_TITLE: f64 = 0.3;
const B_HEADING: f64 = 0.5;
const B_BODY: f64 = 0.75;
/// How much each word before it in the title lowers a title match's score: the score is
/// divided by `1 + TITLE_POSITION × position` (0 for the title's first word).
const TITLE_POSITION: f64 = 0.1;

/// The impacts of each band, lowest first: a word only in the text (or only in the title,
/// for a section other than the page's first), in the section's heading, in the page's
/// title (first section). A posting's band is the highest it qualifies for.
pub const BANDS: [std::ops::RangeInclusive<u8>; 3] = [1..=85, 86..=170, 171..=255];
/// The band of a match in the page title, in the page's first section.
const TITLE_BAND: usize = 2;

/// How much a word counts in each field of a section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldWeights {
    /// The page title, in the page's first section.
    pub title: f64,
    /// The page title, in the page's other sections (so `word-in-title word-in-body`
    /// still finds the section, ranked below the page's first one; such a match stays in
    /// the body's band).
    pub title_elsewhere: f64,
    /// The section's heading.
    pub heading: f64,
    /// The section's text.
    pub body: f64,
}

impl Default for FieldWeights {
    fn default() -> Self {
        FieldWeights {
            title: 4.0,
            title_elsewhere: 0.5,
            heading: 2.5,
            body: 1.0,
        }
    }
}

/// A published page, as search results show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    /// Root-relative URL, with the site's base path.
    pub url: String,
    /// The page title.
    pub title: String,
}

/// One heading section of a page: the unit the index finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// Index into the page list.
    pub page: usize,
    /// Whether this is the page's first section (which carries the title at full weight).
    pub first: bool,
    /// The heading's id (empty for the text before the first heading).
    pub anchor: String,
    /// The heading's text (empty for the text before the first heading).
    pub heading: String,
    /// The section's plain text, shared with the rendered Markdown it comes from.
    pub text: Arc<str>,
}

/// One section holding a stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// Document index.
    pub doc: u32,
    /// The BM25F score as `255 × √(score / highest score in the index)`, at least 1.
    pub impact: u8,
    /// Byte offset in the document's text of the stem's first occurrence, where the excerpt
    /// is cut; [`Posting::NOT_IN_TEXT`] when the stem is only in the title or heading. Not an
    /// `Option`, which would make a posting 16 bytes rather than 12: a large site's index
    /// holds tens of millions.
    pub first: u32,
}

const _: () = assert!(std::mem::size_of::<Posting>() == 12);

impl Posting {
    /// [`Posting::first`] of a stem that is not in the section's text.
    pub const NOT_IN_TEXT: u32 = u32::MAX;

    /// Where the stem first occurs in the section's text, if it is there.
    pub fn first_in_text(&self) -> Option<u32> {
        (self.first != Posting::NOT_IN_TEXT).then_some(self.first)
    }
}

/// Every stem with its postings, and every surface word pointing at its stem.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    /// The Snowball algorithm the words were stemmed with (`english`…), none when the
    /// language has none: the browser must stem what the reader types the same way.
    pub stemmer: Option<&'static str>,
    /// Pages, in site order.
    pub pages: Vec<SearchPage>,
    /// Documents, grouped by page in page order.
    pub docs: Vec<SearchDoc>,
    /// Stems; postings sorted by document.
    pub stems: Vec<StemPostings>,
    /// Surface words (folded) and the stem each belongs to, sorted by [`word_order`].
    pub words: Vec<(String, u32)>,
}

/// A stem and the sections that hold it.
#[derive(Debug, Clone)]
pub struct StemPostings {
    /// The stem itself (for tests and debugging; not shipped).
    pub stem: String,
    /// One per section holding any word of this stem, by document index.
    pub postings: Vec<Posting>,
}

/// The order of words in the index and its shards: UTF-16 code units, the order in which
/// JavaScript compares strings, so the browser can binary-search the same lists.
pub fn word_order(a: &str, b: &str) -> std::cmp::Ordering {
    // UTF-8's byte order is the order of code points, which differs from UTF-16's only
    // between characters from U+E000 to U+FFFF and those above (surrogate pairs). Their
    // UTF-8 forms are the only ones to hold a byte from 0xEE up.
    if a.bytes().chain(b.bytes()).all(|byte| byte < 0xEE) {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

impl SearchIndex {
    /// Indexes `docs` of `pages`, stemming with `stemmer`.
    ///
    /// Every step that touches each word of the text runs in parallel ([`count`]); the
    /// sequential steps touch each distinct word, or each section's distinct stems, once,
    /// so the work is linear in the size of the text.
    pub fn build(
        pages: Vec<SearchPage>,
        docs: Vec<SearchDoc>,
        stemmer: &WordStemmer,
        weights: FieldWeights,
    ) -> SearchIndex {
        let title_words: Vec<Vec<String>> =
            pages.par_iter().map(|page| words_of(&page.title)).collect();

        let Counted {
            words: surfaces,
            sections: mut doc_words,
            lengths,
        } = count::count(&docs, &title_words);

        // Stem each distinct word once.
        let stemmed: Vec<String> = surfaces.par_iter().map(|w| stemmer.stem(w)).collect();
        let mut stem_ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut stem_names: Vec<String> = Vec::new();
        let word_stem: Vec<u32> = stemmed
            .iter()
            .map(|stem| {
                *stem_ids.entry(stem.as_str()).or_insert_with(|| {
                    stem_names.push(stem.clone());
                    (stem_names.len() - 1) as u32
                })
            })
            .collect();
        drop(stem_ids);

        // Per document, merge the counts of words sharing a stem (in place); then gather
        // the raw postings stem by stem (documents in order, so each list comes out sorted).
        doc_words.par_iter_mut().for_each(|words| {
            for (id, _) in words.iter_mut() {
                *id = word_stem[*id as usize];
            }
            words.sort_unstable_by_key(|(stem, _)| *stem);
            words.dedup_by(|next, kept| {
                if next.0 != kept.0 {
                    return false;
                }
                kept.1.add(&next.1);
                true
            });
            words.shrink_to_fit();
        });
        let mut document_frequency = vec![0u32; stem_names.len()];
        for words in &doc_words {
            for (stem, _) in words {
                document_frequency[*stem as usize] += 1;
            }
        }

        // BM25F scores, each computed once, in place of the counts they come from (a scored
        // posting is as large as a counted one, so the lists are reused, not copied). The
        // sections are scored in order, so what a score needs of its section (lengths,
        // whether it is its page's first) is read in order too, not at random per posting.
        // The highest score of each band, which scales its impacts, is taken on the way.
        let averages = Averages::of(&lengths, &title_words);
        let doc_count = docs.len() as f64;
        let idfs: Vec<f64> = document_frequency
            .iter()
            .map(|df| idf(doc_count, f64::from(*df)))
            .collect();
        // One posting's BM25F score; impacts are rounded to one of 85 steps, so single
        // precision is plenty, and keeps a scored posting as small as a counted one.
        let score = |doc: usize, stem: u32, counts: Counts| -> Scored {
            let first_section = docs[doc].first;
            let weighted =
                weighted_frequency(&counts, first_section, &lengths[doc], &averages, &weights);
            let score = idfs[stem as usize] * weighted * (K1 + 1.0) / (weighted + K1);
            let band = band(&counts, first_section);
            let score = if band == TITLE_BAND {
                score / (1.0 + TITLE_POSITION * f64::from(counts.title_at))
            } else {
                score
            };
            Scored {
                score: score as f32,
                first: counts.first().unwrap_or(Posting::NOT_IN_TEXT),
                band: band as u8,
            }
        };
        let (scored, highests): (Vec<ScoredSection>, Vec<[f64; 3]>) = doc_words
            .into_par_iter()
            .enumerate()
            .map(|(doc, words)| {
                let mut highest = [f64::MIN_POSITIVE; 3];
                let scored = words
                    .into_iter()
                    .map(|(stem, counts)| {
                        let scored = score(doc, stem, counts);
                        let band = usize::from(scored.band);
                        highest[band] = highest[band].max(f64::from(scored.score));
                        (stem, scored)
                    })
                    .collect();
                (scored, highest)
            })
            .unzip();
        let highest = highests.iter().fold([f64::MIN_POSITIVE; 3], |a, b| {
            [a[0].max(b[0]), a[1].max(b[1]), a[2].max(b[2])]
        });
        let postings = by_stem(&scored, &document_frequency, |doc, _, scored| {
            let band = usize::from(scored.band);
            Posting {
                doc: doc as u32,
                impact: impact(f64::from(scored.score), highest[band], band),
                first: scored.first,
            }
        });
        drop(scored);
        let stems: Vec<StemPostings> = postings
            .into_iter()
            .zip(stem_names)
            .map(|(postings, stem)| StemPostings { stem, postings })
            .collect();

        // Already in word order: the counting numbered the words so.
        let words: Vec<(String, u32)> = surfaces.into_iter().zip(word_stem).collect();
        SearchIndex {
            stemmer: stemmer.name(),
            pages,
            docs,
            stems,
            words,
        }
    }

    /// The stem a surface word belongs to, if the word is in the index.
    pub fn stem_of(&self, word: &str) -> Option<&StemPostings> {
        let at = self
            .words
            .binary_search_by(|(w, _)| word_order(w, word))
            .ok()?;
        self.stems.get(self.words[at].1 as usize)
    }
}

/// An index of one page ("Page" at `/p/`) whose sections, `s0`, `s1`, … headed "Part 0",
/// "Part 1", …, hold `texts`: for tests of what is built from an index.
#[cfg(test)]
pub(crate) fn index_of(texts: &[impl AsRef<str>]) -> SearchIndex {
    let pages = vec![SearchPage {
        url: "/p/".into(),
        title: "Page".into(),
    }];
    let docs = texts
        .iter()
        .enumerate()
        .map(|(i, text)| SearchDoc {
            page: 0,
            first: i == 0,
            anchor: format!("s{i}"),
            heading: format!("Part {i}"),
            text: text.as_ref().into(),
        })
        .collect();
    SearchIndex::build(
        pages,
        docs,
        &WordStemmer::for_language("en"),
        FieldWeights::default(),
    )
}

/// An index of pages `Page 0`, `Page 1`… at `/p0/`, `/p1/`…, each with the sections of
/// its texts (`s0`, `s1`… headed "Part 0", "Part 1"…): for tests of what is built from
/// an index.
#[cfg(test)]
pub(crate) fn index_of_pages(pages: &[&[&str]]) -> SearchIndex {
    let docs = pages
        .iter()
        .enumerate()
        .flat_map(|(page, texts)| {
            texts.iter().enumerate().map(move |(i, text)| SearchDoc {
                page,
                first: i == 0,
                anchor: format!("s{i}"),
                heading: format!("Part {i}"),
                text: (*text).into(),
            })
        })
        .collect();
    let pages = (0..pages.len())
        .map(|i| SearchPage {
            url: format!("/p{i}/"),
            title: format!("Page {i}"),
        })
        .collect();
    SearchIndex::build(
        pages,
        docs,
        &WordStemmer::for_language("en"),
        FieldWeights::default(),
    )
}

fn words_of(text: &str) -> Vec<String> {
    tokenize::tokens(text).into_iter().map(|t| t.word).collect()
}

/// A section's posting of a stem, scored: what [`Posting`] is made of once the highest
/// score of its band is known.
#[derive(Debug, Clone, Copy)]
struct Scored {
    /// The BM25F score.
    score: f32,
    /// Where the stem first occurs in the section's text ([`Posting::first`]).
    first: u32,
    /// The posting's band, an index into [`BANDS`].
    band: u8,
}

/// A section's scored postings, by stem.
type ScoredSection = Vec<(u32, Scored)>;

// Scoring turns each section's counted list into its scored one in place, without a copy
// of the largest thing the index holds while it is built.
const _: () = assert!(std::mem::size_of::<(u32, Scored)>() == std::mem::size_of::<(u32, Counts)>());

/// The average length of each field: of titles over pages, of headings over the sections
/// that have one, of text over all sections.
struct Averages {
    title: f64,
    heading: f64,
    body: f64,
}

impl Averages {
    fn of(lengths: &[Lengths], titles: &[Vec<String>]) -> Averages {
        let mean = |values: &mut dyn Iterator<Item = u32>| {
            let (sum, count) = values.fold((0.0, 0.0), |(sum, count), value| {
                (sum + f64::from(value), count + 1.0)
            });
            if count > 0.0 {
                (sum / count).max(1.0)
            } else {
                1.0
            }
        };
        Averages {
            title: mean(
                &mut titles
                    .iter()
                    .map(|t| t.len().try_into().unwrap_or(u32::MAX)),
            ),
            heading: mean(&mut lengths.iter().map(|l| l.heading).filter(|l| *l > 0)),
            body: mean(&mut lengths.iter().map(|l| l.body)),
        }
    }
}

/// BM25F's weighted term frequency: each field's count, normalized by the field's length
/// against its average, times the field's weight.
fn weighted_frequency(
    counts: &Counts,
    first_section: bool,
    length: &Lengths,
    averages: &Averages,
    weights: &FieldWeights,
) -> f64 {
    let normalized = |count: u32, length: u32, average: f64, b: f64| {
        f64::from(count) / (1.0 - b + b * f64::from(length) / average)
    };
    let title_weight = if first_section {
        weights.title
    } else {
        weights.title_elsewhere
    };
    title_weight * normalized(counts.title.into(), length.title, averages.title, B_TITLE)
        + weights.heading
            * normalized(
                counts.heading.into(),
                length.heading,
                averages.heading,
                B_HEADING,
            )
        + weights.body * normalized(counts.body, length.body, averages.body, B_BODY)
}

/// The band of a posting (an index into [`BANDS`]): [`TITLE_BAND`] when the word is in the
/// page title and this is the page's first section, 1 when it is in the heading, else 0.
fn band(counts: &Counts, first_section: bool) -> usize {
    if counts.title > 0 && first_section {
        TITLE_BAND
    } else if counts.heading > 0 {
        1
    } else {
        0
    }
}

/// Turns per-section lists of `(stem, value)`, each sorted by stem, into one list per stem
/// of what `make` makes of each `(section, stem, value)`, sections in order. `frequency`
/// is each stem's number of sections.
///
/// Runs of stems holding about the same number of postings are gathered in parallel, each
/// by one job that goes through every section and takes the part of its list in the run
/// (a binary search): each job fills only its own lists, so none waits for another. One run
/// a thread: on a large site every run's binary search in every section's list is a cache
/// miss, and four runs a thread took a tenth more time than one at 100,000 pages.
fn by_stem<T: Sync, P: Send>(
    sections: &[Vec<(u32, T)>],
    frequency: &[u32],
    make: impl Fn(usize, u32, &T) -> P + Sync,
) -> Vec<Vec<P>> {
    let total: u64 = frequency.iter().map(|df| u64::from(*df)).sum();
    let runs = rayon::current_num_threads() as u64;
    let per_run = total.div_ceil(runs).max(1);
    let mut starts = vec![0u32];
    let mut in_run = 0;
    for (stem, df) in frequency.iter().enumerate() {
        if in_run >= per_run {
            starts.push(stem as u32);
            in_run = 0;
        }
        in_run += u64::from(*df);
    }
    let ends = starts
        .iter()
        .skip(1)
        .copied()
        .chain([frequency.len() as u32]);
    let runs: Vec<std::ops::Range<u32>> = starts.iter().zip(ends).map(|(s, e)| *s..e).collect();
    runs.into_par_iter()
        .flat_map_iter(|run| {
            let mut lists: Vec<Vec<P>> = frequency[run.start as usize..run.end as usize]
                .iter()
                .map(|df| Vec::with_capacity(*df as usize))
                .collect();
            for (section, words) in sections.iter().enumerate() {
                let from = words.partition_point(|(stem, _)| *stem < run.start);
                for (stem, value) in words[from..].iter().take_while(|(stem, _)| *stem < run.end) {
                    lists[(stem - run.start) as usize].push(make(section, *stem, value));
                }
            }
            lists
        })
        .collect()
}

/// BM25's inverse document frequency, in the form that never goes negative.
fn idf(doc_count: f64, doc_frequency: f64) -> f64 {
    (1.0 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5)).ln()
}

/// A score as an impact of its band: the band's lowest impact, plus its width times
/// `√(score / highest)`.
fn impact(score: f64, highest: f64, band: usize) -> u8 {
    let range = &BANDS[band];
    let (low, high) = (f64::from(*range.start()), f64::from(*range.end()));
    let scaled = low + (high - low) * (score / highest).clamp(0.0, 1.0).sqrt();
    scaled.round().clamp(low, high) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str) -> SearchPage {
        SearchPage {
            url: format!("/{}/", title.to_lowercase().replace(' ', "-")),
            title: title.into(),
        }
    }

    fn doc(page: usize, first: bool, heading: &str, text: &str) -> SearchDoc {
        SearchDoc {
            page,
            first,
            anchor: tokenize::fold(heading).replace(' ', "-"),
            heading: heading.into(),
            text: text.into(),
        }
    }

    fn build(pages: Vec<SearchPage>, docs: Vec<SearchDoc>) -> SearchIndex {
        SearchIndex::build(
            pages,
            docs,
            &WordStemmer::for_language("en"),
            FieldWeights::default(),
        )
    }

    fn ranking(index: &SearchIndex, word: &str) -> Vec<u32> {
        let mut postings = index.stem_of(word).expect("word indexed").postings.clone();
        postings.sort_by(|a, b| b.impact.cmp(&a.impact).then(a.doc.cmp(&b.doc)));
        postings.iter().map(|p| p.doc).collect()
    }

    #[test]
    fn word_forms_share_their_stem_postings() {
        let index = build(
            vec![page("One")],
            vec![
                doc(0, true, "", "Contacting them"),
                doc(0, false, "Later", "They contacted us"),
            ],
        );
        let a = index.stem_of("contacting").unwrap();
        let b = index.stem_of("contacted").unwrap();
        assert_eq!(a.stem, "contact");
        assert_eq!(a.postings.len(), 2);
        assert_eq!(b.postings, a.postings);
        assert!(
            index.stem_of("contact").is_none(),
            "only words seen are keys"
        );
    }

    #[test]
    fn title_beats_heading_beats_body() {
        let filler = "words that fill the section to a similar length";
        let index = build(
            vec![page("Apples"), page("Pears"), page("Plums")],
            vec![
                doc(0, true, "", filler),
                doc(1, true, "Apples", filler),
                doc(2, true, "", &format!("{filler} apples")),
            ],
        );
        assert_eq!(ranking(&index, "apples"), [0, 1, 2]);
    }

    #[test]
    fn a_title_or_heading_match_outranks_any_body_match() {
        // The body says "apples" again and again, in a short section: it still ranks
        // below a page titled with the word, and a section headed with it.
        let index = build(
            vec![page("Apples"), page("Fruit"), page("Orchard")],
            vec![
                doc(
                    0,
                    true,
                    "",
                    "a long section about other things entirely, with filler",
                ),
                doc(1, true, "", "apples apples apples apples apples"),
                doc(2, true, "", "intro"),
                doc(
                    2,
                    false,
                    "Apples in autumn",
                    "a long section about other things entirely",
                ),
            ],
        );
        assert_eq!(ranking(&index, "apples"), [0, 3, 1]);
        let impacts: Vec<u8> = index
            .stem_of("apples")
            .unwrap()
            .postings
            .iter()
            .map(|p| p.impact)
            .collect();
        assert!(BANDS[2].contains(&impacts[0]), "{impacts:?}");
        assert!(BANDS[0].contains(&impacts[1]), "{impacts:?}");
        assert!(BANDS[1].contains(&impacts[2]), "{impacts:?}");
    }

    #[test]
    fn a_word_only_in_the_title_of_a_later_section_stays_in_the_body_band() {
        let index = build(
            vec![page("Apples")],
            vec![doc(0, true, "", "intro"), doc(0, false, "More", "text")],
        );
        let impacts: Vec<u8> = index
            .stem_of("apples")
            .unwrap()
            .postings
            .iter()
            .map(|p| p.impact)
            .collect();
        assert!(
            BANDS[2].contains(&impacts[0]) && BANDS[0].contains(&impacts[1]),
            "{impacts:?}"
        );
    }

    #[test]
    fn among_titles_the_section_that_also_says_the_word_ranks_first() {
        let index = build(
            vec![page("Apples and pears"), page("Apples and plums")],
            vec![
                doc(0, true, "", "nothing more to say"),
                doc(1, true, "", "apples, to say it again"),
            ],
        );
        assert_eq!(ranking(&index, "apples"), [1, 0]);
    }

    #[test]
    fn among_titles_the_one_opening_with_the_word_ranks_first() {
        // The later title says the word twice more in its text, and is no longer: the one
        // that opens with the word still ranks first, and both stay above the body match.
        let filler = "words that fill the section to a similar length";
        let index = build(
            vec![
                page("Why you should not contact them"),
                page("Contacting them too soon"),
                page("Other things"),
            ],
            vec![
                doc(0, true, "", &format!("{filler}, contact, contacting")),
                doc(1, true, "", filler),
                doc(2, true, "", &format!("{filler}, contacts")),
            ],
        );
        assert_eq!(ranking(&index, "contacting"), [1, 0, 2]);
    }

    #[test]
    fn more_occurrences_and_shorter_sections_rank_higher() {
        let index = build(
            vec![page("A")],
            vec![
                doc(0, true, "", "cat and a few words"),
                doc(0, false, "x", "cat cat cat and a few words"),
                doc(
                    0,
                    false,
                    "y",
                    "cat and a great many other words in a much longer section",
                ),
                doc(0, false, "z", "dogs"),
                doc(0, false, "w", "mice"),
            ],
        );
        assert_eq!(ranking(&index, "cat"), [1, 0, 2]);
    }

    #[test]
    fn rare_words_weigh_more_than_common_ones() {
        let index = build(
            vec![page("A")],
            vec![
                doc(0, true, "", "common rare"),
                doc(0, false, "b", "common"),
                doc(0, false, "c", "common"),
            ],
        );
        let rare = index.stem_of("rare").unwrap().postings[0].impact;
        let common = index.stem_of("common").unwrap().postings[0].impact;
        assert!(rare > common, "{rare} > {common}");
    }

    #[test]
    fn the_first_occurrence_in_the_text_is_kept_for_excerpts() {
        let index = build(
            vec![page("Cats")],
            vec![doc(0, true, "", "Dogs and cats, cats.")],
        );
        assert_eq!(
            index.stem_of("cats").unwrap().postings[0].first_in_text(),
            Some(9)
        );
        assert_eq!(
            index.stem_of("dogs").unwrap().postings[0].first_in_text(),
            Some(0)
        );
    }

    #[test]
    fn the_title_counts_for_every_section_of_its_page() {
        let index = build(
            vec![page("Selfish")],
            vec![doc(0, true, "", "intro"), doc(0, false, "More", "text")],
        );
        let postings = &index.stem_of("selfish").unwrap().postings;
        assert_eq!(postings.len(), 2);
        assert!(postings[0].impact > postings[1].impact);
        assert_eq!(postings[0].first_in_text(), None);
    }

    #[test]
    fn words_sort_like_javascript_strings() {
        let index = build(
            vec![page("z")],
            vec![doc(0, true, "", "b a \u{FF41} \u{1F600}x aa")],
        );
        let words: Vec<&str> = index.words.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["a", "aa", "b", "x", "z", "\u{FF41}"]);
        assert_eq!(
            word_order("\u{1F600}", "\u{FF41}"),
            std::cmp::Ordering::Less
        );
    }
}
