//! Counting the words of every section: the indexing pass that touches each word of the
//! site's text, millions of them on a large site.
//!
//! Sections are counted in parallel. Each worker numbers the words it meets in a
//! vocabulary of its own and counts a section's words in a table indexed by those numbers,
//! so a word costs one hash lookup and no allocation (a word is copied once per worker, the
//! first time that worker meets it). The vocabularies are then merged and numbered in
//! [`word_order`], so that the numbers do not depend on how the work was split between
//! threads.

use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use super::index::{SearchDoc, word_order};
use super::tokenize;

/// How often a surface word occurs in each field of one section. Kept small (twelve
/// bytes): the index holds one per word per section while it is built.
#[derive(Debug, Clone, Copy)]
pub(super) struct Counts {
    pub(super) title: u8,
    /// The word's first position in the title (0 for its first word), when it is there.
    pub(super) title_at: u8,
    pub(super) heading: u16,
    pub(super) body: u32,
    /// Byte offset of the first occurrence in the text, [`Counts::NOWHERE`] if none.
    pub(super) first: u32,
}

impl Default for Counts {
    fn default() -> Self {
        Counts {
            title: 0,
            title_at: u8::MAX,
            heading: 0,
            body: 0,
            first: Counts::NOWHERE,
        }
    }
}

impl Counts {
    const NOWHERE: u32 = u32::MAX;

    /// Adds the counts of another word of the same stem.
    pub(super) fn add(&mut self, other: &Counts) {
        self.title = self.title.saturating_add(other.title);
        self.title_at = self.title_at.min(other.title_at);
        self.heading = self.heading.saturating_add(other.heading);
        self.body = self.body.saturating_add(other.body);
        self.first = self.first.min(other.first);
    }

    /// Where the word first occurs in the text, if it is there.
    pub(super) fn first(&self) -> Option<u32> {
        (self.first != Counts::NOWHERE).then_some(self.first)
    }
}

/// A section's length in words, field by field.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Lengths {
    pub(super) title: u32,
    pub(super) heading: u32,
    pub(super) body: u32,
}

/// The words of every section, counted.
pub(super) struct Counted {
    /// Every distinct folded word, in [`word_order`].
    pub(super) words: Vec<String>,
    /// Per section, in order: the number of each word it holds (into `words`), with its
    /// counts.
    pub(super) sections: Vec<Vec<(u32, Counts)>>,
    /// Per section, in order: its length.
    pub(super) lengths: Vec<Lengths>,
}

/// Counts the words of `docs`, whose page titles are split into `titles` (by page).
pub(super) fn count(docs: &[SearchDoc], titles: &[Vec<String>]) -> Counted {
    // A few runs of sections per thread, each counted by one worker: enough to balance
    // the load, few enough that merging their vocabularies costs little.
    let run = docs.len().div_ceil(4 * rayon::current_num_threads()).max(1);
    let workers: Vec<Worker> = docs
        .par_chunks(run)
        .enumerate()
        .map(|(run_number, run_docs)| {
            let mut worker = Worker::default();
            for (offset, doc) in run_docs.iter().enumerate() {
                worker.count(run_number * run + offset, doc, &titles[doc.page]);
            }
            worker
        })
        .collect();

    let mut words: Vec<&str> = workers
        .iter()
        .flat_map(|worker| worker.vocabulary.keys().map(String::as_str))
        .collect::<FxHashSet<&str>>()
        .into_iter()
        .collect();
    words.par_sort_unstable_by(|a, b| word_order(a, b));
    let numbers: FxHashMap<&str, u32> = words
        .iter()
        .enumerate()
        .map(|(number, word)| (*word, number as u32))
        .collect();
    let number_of = |word: &str| numbers.get(word).copied().unwrap_or_default();
    let renumbered: Vec<Vec<u32>> = workers
        .par_iter()
        .map(|worker| {
            let mut numbers = vec![0; worker.vocabulary.len()];
            for (word, local) in &worker.vocabulary {
                numbers[*local as usize] = number_of(word);
            }
            numbers
        })
        .collect();

    let mut sections = vec![Vec::new(); docs.len()];
    let mut lengths = vec![Lengths::default(); docs.len()];
    for worker in &workers {
        for (number, section) in &worker.sections {
            lengths[*number] = section.length;
        }
    }
    let words: Vec<String> = words.into_iter().map(str::to_owned).collect();
    drop(numbers);
    let mut done: Vec<(usize, Vec<(u32, Counts)>)> = workers
        .into_par_iter()
        .zip(renumbered)
        .flat_map_iter(|(worker, numbers)| {
            worker.sections.into_iter().map(move |(number, section)| {
                let mut counts = section.counts;
                for (word, _) in &mut counts {
                    *word = numbers[*word as usize];
                }
                (number, counts)
            })
        })
        .collect();
    for (number, counts) in done.drain(..) {
        sections[number] = counts;
    }
    Counted {
        words,
        sections,
        lengths,
    }
}

/// One section's words, numbered in its worker's vocabulary.
struct CountedSection {
    counts: Vec<(u32, Counts)>,
    length: Lengths,
}

/// What one thread counts: the sections it was given, numbered in its own vocabulary.
#[derive(Default)]
struct Worker {
    /// Each word it met, and its number here.
    vocabulary: hashbrown::HashMap<String, u32, FxBuildHasher>,
    /// The section being counted: counts by word number, and which numbers it touched
    /// (`touched_in[number]` is the section, plus one, that last touched it).
    table: Vec<Counts>,
    touched_in: Vec<u32>,
    touched: Vec<u32>,
    /// The sections counted, by their number in the whole list.
    sections: Vec<(usize, CountedSection)>,
}

impl Worker {
    fn count(&mut self, number: usize, doc: &SearchDoc, title: &[String]) {
        let stamp = u32::try_from(number + 1).unwrap_or(u32::MAX);
        let mut length = Lengths {
            title: title.len().try_into().unwrap_or(u32::MAX),
            ..Lengths::default()
        };
        for (position, word) in title.iter().enumerate() {
            let counts = self.counts_of(word, stamp);
            counts.title = counts.title.saturating_add(1);
            counts.title_at = counts.title_at.min(position.try_into().unwrap_or(u8::MAX));
        }
        tokenize::for_each_word(&doc.heading, |word, _| {
            length.heading = length.heading.saturating_add(1);
            let counts = self.counts_of(word, stamp);
            counts.heading = counts.heading.saturating_add(1);
        });
        tokenize::for_each_word(&doc.text, |word, range| {
            length.body = length.body.saturating_add(1);
            let counts = self.counts_of(word, stamp);
            counts.body = counts.body.saturating_add(1);
            // Texts beyond 4 GiB do not exist here; such an offset would only cut a later
            // excerpt.
            counts.first = counts
                .first
                .min(range.start.min(Counts::NOWHERE as usize - 1) as u32);
        });
        let counts = self
            .touched
            .drain(..)
            .map(|word| (word, self.table[word as usize]))
            .collect();
        self.sections
            .push((number, CountedSection { counts, length }));
    }

    /// The counts of `word` in the section stamped `stamp`, zero when it first meets it
    /// there.
    fn counts_of(&mut self, word: &str, stamp: u32) -> &mut Counts {
        let next = self.vocabulary.len() as u32;
        let number = *self.vocabulary.entry_ref(word).or_insert(next) as usize;
        if number == self.table.len() {
            self.table.push(Counts::default());
            self.touched_in.push(0);
        }
        if self.touched_in[number] != stamp {
            self.touched_in[number] = stamp;
            self.table[number] = Counts::default();
            self.touched.push(number as u32);
        }
        &mut self.table[number]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(page: usize, heading: &str, text: &str) -> SearchDoc {
        SearchDoc {
            page,
            first: true,
            anchor: String::new(),
            heading: heading.into(),
            text: text.into(),
        }
    }

    #[test]
    fn counts_each_field_and_numbers_words_in_word_order() {
        let titles = vec![vec!["cats".to_string(), "and".to_string()]];
        let docs = vec![
            doc(0, "Dogs", "cats chase dogs, cats"),
            doc(0, "", "nothing"),
        ];
        let counted = count(&docs, &titles);
        assert_eq!(counted.words, ["and", "cats", "chase", "dogs", "nothing"]);
        let first: Vec<(&str, u8, u16, u32, Option<u32>)> = counted.sections[0]
            .iter()
            .map(|(word, c)| {
                (
                    counted.words[*word as usize].as_str(),
                    c.title,
                    c.heading,
                    c.body,
                    c.first(),
                )
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(
            first,
            [
                ("and", 1, 0, 0, None),
                ("cats", 1, 0, 2, Some(0)),
                ("chase", 0, 0, 1, Some(5)),
                ("dogs", 0, 1, 1, Some(11)),
            ]
        );
        let second = &counted.sections[1];
        assert_eq!(second.len(), 3, "the title's two words and its own");
        assert_eq!(counted.lengths[0].title, 2);
        assert_eq!(counted.lengths[0].heading, 1);
        assert_eq!(counted.lengths[0].body, 4);
        assert_eq!(counted.lengths[1].body, 1);
    }

    #[test]
    fn the_result_does_not_depend_on_how_the_work_is_split() {
        let titles = vec![vec!["t".to_string()]];
        let docs: Vec<SearchDoc> = (0..2000)
            .map(|i| doc(0, "", &format!("w{} w{} common", i % 37, i % 101)))
            .collect();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool")
            .install(|| count(&docs, &titles));
        let many = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("a pool")
            .install(|| count(&docs, &titles));
        assert_eq!(one.words, many.words);
        let sorted = |c: &Counted| -> Vec<Vec<(u32, u32)>> {
            c.sections
                .iter()
                .map(|s| {
                    let mut s: Vec<(u32, u32)> = s.iter().map(|(w, c)| (*w, c.body)).collect();
                    s.sort_unstable();
                    s
                })
                .collect()
        };
        assert_eq!(sorted(&one), sorted(&many));
    }
}
