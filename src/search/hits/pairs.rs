//! The pair pass of [`super::choose`]: for every pair of common stems, the best pages
//! holding both, ranked as `search.js` ranks a two-word query, and the sections of them
//! that neither stem carries yet.
//!
//! There are tens of thousands of pairs, and each stem is in thousands of sections, so
//! walking every section of every pair is the costly way. Instead each stem's sections
//! are ranked once, best first, and a pair walks both rankings side by side (Fagin's
//! threshold algorithm): a section not yet seen in either scores at most the squares of
//! the two scores it has reached, so the walk stops as soon as the best pages found beat
//! that bound. Most pairs stop after a few hundred sections; none walks more than both
//! rankings up to the shorter one's end. The result is exact: a test holds it equal to
//! the full walk.

use std::cmp::Reverse;

use rayon::prelude::*;

use super::{Chosen, HitOptions, level, seen_impact};
use crate::search::index::SearchIndex;

/// The common stems' scores for every section, as the browser computes them before the
/// pairs' sections are added.
pub(super) struct PairScores<'a> {
    common: &'a [u32],
    /// Each document's page (pages' documents are contiguous and in page order).
    page_of: &'a [u32],
    /// Per common stem, per section: the impact `search.js` uses (0 when absent).
    scores: Vec<Vec<u8>>,
    /// Per common stem: its sections by that impact, highest first, then by id.
    ranked: Vec<Vec<u32>>,
    /// Per common stem, per section: how it carries it ([`level`]; 0 when not a hit).
    carried: Vec<Vec<u8>>,
}

/// A section of a pair, as (the pair's slots, section, with excerpt).
pub(super) type Uncovered = (usize, usize, u32, bool);

fn square(impact: u8) -> u32 {
    u32::from(impact) * u32::from(impact)
}

impl<'a> PairScores<'a> {
    pub(super) fn new(
        index: &SearchIndex,
        common: &'a [u32],
        fallbacks: &[Option<u8>],
        hits: &[Vec<Chosen>],
        page_of: &'a [u32],
    ) -> PairScores<'a> {
        let doc_count = page_of.len();
        let per_stem: Vec<(Vec<u8>, Vec<u32>, Vec<u8>)> = common
            .par_iter()
            .map(|stem| {
                let fallback = fallbacks.get(*stem as usize).copied().flatten();
                let mut carried = vec![0u8; doc_count];
                for hit in &hits[*stem as usize] {
                    carried[hit.doc as usize] = level(hit.excerpt);
                }
                let postings = &index.stems[*stem as usize].postings;
                let mut scores = vec![0u8; doc_count];
                for posting in postings {
                    let hit = carried[posting.doc as usize] > 0;
                    scores[posting.doc as usize] = seen_impact(posting.impact, fallback, hit);
                }
                // Postings are in id order, and the sort is stable.
                let mut ranked: Vec<u32> = postings.iter().map(|p| p.doc).collect();
                ranked.sort_by_key(|doc| Reverse(scores[*doc as usize]));
                (scores, ranked, carried)
            })
            .collect();
        let mut pairs = PairScores {
            common,
            page_of,
            scores: Vec::with_capacity(common.len()),
            ranked: Vec::with_capacity(common.len()),
            carried: Vec::with_capacity(common.len()),
        };
        for (scores, ranked, carried) in per_stem {
            pairs.scores.push(scores);
            pairs.ranked.push(ranked);
            pairs.carried.push(carried);
        }
        pairs
    }

    /// Has one stem of the pair `(a, b)` carry `doc` (with its excerpt when `excerpt`),
    /// unless one already does (for another pair).
    pub(super) fn carry(
        &mut self,
        hits: &mut [Vec<Chosen>],
        (a, b): (usize, usize),
        doc: u32,
        excerpt: bool,
    ) {
        let need = level(excerpt);
        let d = doc as usize;
        if self.carried[a][d] >= need || self.carried[b][d] >= need {
            return;
        }
        // A section one of the two carries without its excerpt gets it there; otherwise
        // it goes to the stem of the pair with fewer hits so far, so that no shard grows
        // much beyond the others (a stem that is strong in every section it is in, such as
        // a word of a repeated code line, would otherwise collect the hits of all its
        // pairs).
        let stem = |slot: usize| self.common[slot] as usize;
        let slot = if self.carried[a][d] > 0 {
            a
        } else if self.carried[b][d] > 0 {
            b
        } else if hits[stem(a)].len() <= hits[stem(b)].len() {
            a
        } else {
            b
        };
        let list = &mut hits[stem(slot)];
        match list.iter_mut().find(|hit| hit.doc == doc) {
            Some(hit) => hit.excerpt |= excerpt,
            None => list.push(Chosen {
                doc,
                excerpt,
                own: false,
            }),
        }
        self.carried[slot][d] = self.carried[slot][d].max(need);
    }

    /// For every pair: the sections of its best pages that neither stem carries as it
    /// should, in order.
    pub(super) fn uncovered(&self, options: &HitOptions) -> Vec<Uncovered> {
        let n = self.common.len();
        let mut added: Vec<Uncovered> = (0..n)
            .into_par_iter()
            .flat_map_iter(|a| ((a + 1)..n).flat_map(move |b| self.pair(a, b, options)))
            .collect();
        added.sort_unstable();
        added
    }

    /// The score `search.js` gives section `doc` for the pair `(a, b)`, if it holds both.
    fn both(&self, (a, b): (usize, usize), doc: u32) -> Option<u32> {
        let (x, y) = (self.scores[a][doc as usize], self.scores[b][doc as usize]);
        (x > 0 && y > 0).then(|| square(x) + square(y))
    }

    /// The sections of the pair's best pages (each page's best, the first with its
    /// excerpt) that neither stem carries as it should.
    fn pair(&self, a: usize, b: usize, options: &HitOptions) -> Vec<Uncovered> {
        let keep = options.sections_per_page.max(1);
        let mut out = Vec::new();
        let mut sections: Vec<(u32, u32)> = Vec::new();
        for page in self.best_pages((a, b), options.per_stem) {
            let first = self.page_of.partition_point(|p| *p < page);
            let end = self.page_of.partition_point(|p| *p <= page);
            sections.clear();
            sections.extend(
                (first as u32..end as u32)
                    .filter_map(|doc| self.both((a, b), doc).map(|score| (score, doc))),
            );
            sections.sort_unstable_by_key(|(score, doc)| (Reverse(*score), *doc));
            for (i, (_, doc)) in sections.iter().take(keep).enumerate() {
                let (need, d) = (level(i == 0), *doc as usize);
                if self.carried[a][d] < need && self.carried[b][d] < need {
                    out.push((a, b, *doc, i == 0));
                }
            }
        }
        out
    }

    /// The `count` best pages holding both stems of the pair, best first: by their best
    /// section's score, then in page order.
    fn best_pages(&self, pair: (usize, usize), count: usize) -> Vec<u32> {
        let (first, second) = (&self.ranked[pair.0], &self.ranked[pair.1]);
        // The best pages so far, best first, as (score, page).
        let mut top: Vec<(u32, u32)> = Vec::with_capacity(count + 1);
        for (x, y) in first.iter().zip(second) {
            if let Some(&(worst, page)) = top.get(count.wrapping_sub(1)) {
                // A section seen in neither ranking yet scores at most `bound`, and only
                // when it is at both rankings' scores, after both sections in id order.
                let (a, b) = pair;
                let bound =
                    square(self.scores[a][*x as usize]) + square(self.scores[b][*y as usize]);
                let after = self.page_of[(*x).max(*y) as usize];
                if worst > bound || (worst == bound && page <= after) {
                    break;
                }
            }
            for doc in [*x, *y] {
                if let Some(score) = self.both(pair, doc) {
                    offer(&mut top, count, score, self.page_of[doc as usize]);
                }
            }
        }
        top.into_iter().map(|(_, page)| page).collect()
    }
}

/// Enters `page`, whose section scores `score`, into the `count` best pages `top` (best
/// first, as (score, page)), or raises it there.
fn offer(top: &mut Vec<(u32, u32)>, count: usize, score: u32, page: u32) {
    if let Some(at) = top.iter().position(|(_, p)| *p == page) {
        if top[at].0 >= score {
            return;
        }
        top.remove(at);
    }
    let at = top.partition_point(|(s, p)| *s > score || (*s == score && *p < page));
    if at < count {
        top.insert(at, (score, page));
        top.truncate(count);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::best_pages;
    use super::*;
    use crate::search::index::index_of_pages;

    /// The pair's sections by walking every section of the shorter list, as the pair pass
    /// did before it walked rankings: the reference the threshold walk must equal.
    fn pair_by_full_walk(
        index: &SearchIndex,
        pairs: &PairScores,
        (a, b): (usize, usize),
        options: &HitOptions,
    ) -> Vec<Uncovered> {
        let postings = |slot: usize| &index.stems[pairs.common[slot] as usize].postings;
        let scored = postings(a)
            .iter()
            .filter_map(|posting| pairs.both((a, b), posting.doc).map(|s| (s, posting.doc)));
        best_pages(pairs.page_of, scored, options)
            .into_iter()
            .filter(|(doc, excerpt)| {
                let need = level(*excerpt);
                let d = *doc as usize;
                pairs.carried[a][d] < need && pairs.carried[b][d] < need
            })
            .map(|(doc, excerpt)| (a, b, doc, excerpt))
            .collect()
    }

    /// Scores set by hand (section `i` on page `i`), for the ties random sites rarely make.
    fn scored(a: Vec<u8>, b: Vec<u8>) -> PairScores<'static> {
        let page_of: &'static [u32] = Vec::leak((0..a.len() as u32).collect());
        let rank = |scores: &[u8]| {
            let mut ranked: Vec<u32> = (0..scores.len() as u32)
                .filter(|d| scores[*d as usize] > 0)
                .collect();
            ranked.sort_by_key(|d| Reverse(scores[*d as usize]));
            ranked
        };
        PairScores {
            common: &[0, 1],
            page_of,
            ranked: vec![rank(&a), rank(&b)],
            carried: vec![vec![0; a.len()]; 2],
            scores: vec![a, b],
        }
    }

    #[test]
    fn a_tie_with_an_earlier_page_not_yet_seen_keeps_the_walk_going() {
        // Section 2 scores 7² + 1² = 50 and is seen first; section 1 scores 5² + 5² = 50
        // too, on an earlier page, so it ranks first. When the walk reaches it, the bound
        // is 50 as well: stopping on a tie would keep page 2.
        let pairs = scored(vec![0, 5, 7], vec![6, 5, 1]);
        assert_eq!(pairs.best_pages((0, 1), 1), [1]);
        assert_eq!(pairs.best_pages((0, 1), 2), [1, 2]);
        // A tie with a later page stops it: nothing unseen can come before page 1.
        let pairs = scored(vec![5, 5, 5, 5], vec![5, 5, 5, 5]);
        assert_eq!(pairs.best_pages((0, 1), 2), [0, 1]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn the_threshold_walk_finds_what_the_full_walk_finds(
            // Sections drawn from a few texts as well as made of random words: equal
            // sections score equal, and ties are where the walk could stop too early.
            pages in prop::collection::vec(
                prop::collection::vec(
                    prop_oneof![
                        prop::sample::select(vec!["red blue", "blue red x", "red", "x x"])
                            .prop_map(|text| vec![text]),
                        prop::collection::vec(
                            prop::sample::select(vec!["red", "blue", "green", "plum", "x"]),
                            0..14,
                        ),
                    ],
                    1..5,
                ),
                1..40,
            ),
            // High fallbacks score most sections alike: more ties.
            fallbacks in prop::collection::vec(
                prop_oneof![Just(None), Just(Some(255u8)), Just(Some(170)), (1u8..=255).prop_map(Some)],
                8,
            ),
            per_stem in 1usize..5,
            sections_per_page in 1usize..4,
            own_hits in 0usize..3,
        ) {
            let texts: Vec<Vec<String>> = pages
                .iter()
                .map(|sections| sections.iter().map(|words| words.join(" ")).collect())
                .collect();
            let texts: Vec<Vec<&str>> =
                texts.iter().map(|p| p.iter().map(String::as_str).collect()).collect();
            let texts: Vec<&[&str]> = texts.iter().map(Vec::as_slice).collect();
            let index = index_of_pages(&texts);
            let page_of: Vec<u32> = index.docs.iter().map(|d| d.page as u32).collect();
            let options = HitOptions {
                per_stem,
                sections_per_page,
                common_share: 0.0,
                most_common: 8,
            };
            // Some hits already carried, so the filter is exercised too.
            let hits: Vec<Vec<Chosen>> = index
                .stems
                .iter()
                .map(|stem| {
                    stem.postings
                        .iter()
                        .step_by(own_hits + 2)
                        .map(|p| Chosen { doc: p.doc, excerpt: p.doc % 2 == 0, own: true })
                        .collect()
                })
                .collect();
            let common: Vec<u32> = (0..index.stems.len() as u32).collect();
            let fallbacks: Vec<Option<u8>> = (0..index.stems.len())
                .map(|s| fallbacks[s % fallbacks.len()])
                .collect();
            let pairs = PairScores::new(&index, &common, &fallbacks, &hits, &page_of);
            for a in 0..common.len() {
                for b in (a + 1)..common.len() {
                    prop_assert_eq!(
                        pairs.pair(a, b, &options),
                        pair_by_full_walk(&index, &pairs, (a, b), &options),
                        "pair {} {}", a, b
                    );
                }
            }
        }
    }
}
