//! Words for the search index: Unicode word segmentation, case and accent folding, stems.
//!
//! The browser's `search.js` folds what the reader types the same way (lowercase, accents
//! and apostrophes dropped, split at anything that is not a letter or digit), so the keys
//! written here are the keys it looks up. It never stems: the index is keyed by the surface
//! words found in the text, each pointing at its stem's postings.

use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Longer "words" are identifiers, hashes or URLs: left out so they cannot bloat the index.
pub const MAX_WORD_CHARS: usize = 40;

/// One word of a text: its folded form and where it is in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lowercased, without accents or apostrophes: `Café’s` → `cafes`.
    pub word: String,
    /// Byte range of the word in the text it came from.
    pub range: Range<usize>,
}

/// The words of `text` in order. Word boundaries are Unicode's (UAX #29), so `ex’s` and
/// `don't` stay one word; inside a word, anything but letters, digits and marks splits it
/// (`e.g.` → `e`, `g`), as hyphens already do (`self-esteem` → `self`, `esteem`).
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_word(text, |word, range| {
        out.push(Token {
            word: word.to_owned(),
            range,
        });
    });
    out
}

/// Calls `found` with each folded word of `text` and its byte range, in order, as
/// [`tokens`] lists them. The word is lent from one reused buffer: indexing a large site
/// folds millions of words, and most are already in the caller's map.
pub fn for_each_word(text: &str, mut found: impl FnMut(&str, Range<usize>)) {
    let mut folded = String::new();
    for (start, word) in text.unicode_word_indices() {
        let mut piece_start: Option<usize> = None;
        for (offset, c) in word.char_indices().chain([(word.len(), ' ')]) {
            let inside = offset < word.len();
            if inside && (is_word_char(c) || is_apostrophe(c)) {
                piece_start.get_or_insert(offset);
                continue;
            }
            if let Some(from) = piece_start.take() {
                let range = start + from..start + offset;
                fold_into(&text[range.clone()], &mut folded);
                if !folded.is_empty() && folded.chars().count() <= MAX_WORD_CHARS {
                    found(&folded, range);
                }
            }
        }
    }
}

/// Folds one word: lowercase, accents removed (`Über` → `uber`), apostrophes dropped
/// (`you’re` → `youre`), final sigma as sigma (JavaScript lowercases by position).
pub fn fold(word: &str) -> String {
    let mut out = String::new();
    fold_into(word, &mut out);
    out
}

/// [`fold`] into `out`, replacing what it held. ASCII words, most of them in most sites,
/// skip the Unicode decomposition.
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(
            word.bytes()
                .filter(|b| *b != b'\'')
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return;
    }
    out.extend(
        word.nfd()
            .filter(|c| !is_combining_mark(*c) && !is_apostrophe(*c))
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ς' { 'σ' } else { c }),
    );
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Reduces folded words to their stems with the Snowball stemmer of the site's language;
/// languages without one are left unstemmed (every word is its own stem).
pub struct WordStemmer {
    stemmer: Option<Stemmer>,
}

impl WordStemmer {
    /// The stemmer for a BCP 47 tag such as `en`, `en-GB` or `pt-BR`.
    pub fn for_language(tag: &str) -> WordStemmer {
        WordStemmer {
            stemmer: algorithm_for(tag).map(Stemmer::create),
        }
    }

    /// Whether this language has a stemmer (else words are only folded).
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    /// The stem of a folded word.
    pub fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(stemmer) => stemmer.stem(word).into_owned(),
            None => word.to_owned(),
        }
    }
}

/// The Snowball algorithm for a language tag's primary subtag, if there is one.
fn algorithm_for(tag: &str) -> Option<Algorithm> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.word).collect()
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(words("Über Café NAÏVE"), ["uber", "cafe", "naive"]);
        assert_eq!(fold("ÉCOLE"), "ecole");
    }

    #[test]
    fn apostrophes_stay_inside_one_word_and_are_dropped() {
        assert_eq!(
            words("you’re an ex's don't"),
            ["youre", "an", "exs", "dont"]
        );
        assert_eq!(words("‘quoted’"), ["quoted"]);
    }

    #[test]
    fn hyphens_and_punctuation_split_words() {
        assert_eq!(
            words("self-esteem, X-day e.g. 1,000 a_b"),
            ["self", "esteem", "x", "day", "e", "g", "1", "000", "a", "b"]
        );
    }

    #[test]
    fn ranges_point_at_the_original_text() {
        let text = "Déjà vu — l’été";
        let found = tokens(text);
        let back: Vec<&str> = found.iter().map(|t| &text[t.range.clone()]).collect();
        assert_eq!(back, ["Déjà", "vu", "l’été"]);
        assert_eq!(found[2].word, "lete");
    }

    #[test]
    fn other_scripts_are_words_too() {
        assert_eq!(words("Привет мир"), ["привет", "мир"]);
        assert_eq!(words("東京"), ["東", "京"]);
        assert!(words("<script>alert(1)</script>").contains(&"script".to_string()));
    }

    #[test]
    fn ascii_and_unicode_folding_agree() {
        for word in ["Don't", "ABC123", "mIxEd", "x'y'z"] {
            let mut slow = String::new();
            slow.extend(
                word.nfd()
                    .filter(|c| !is_combining_mark(*c) && !is_apostrophe(*c))
                    .flat_map(char::to_lowercase),
            );
            assert_eq!(fold(word), slow, "{word}");
        }
    }

    #[test]
    fn very_long_words_are_left_out() {
        let long = "a".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(words(&format!("short {long} end")), ["short", "end"]);
    }

    #[test]
    fn english_stems_join_word_forms() {
        let stemmer = WordStemmer::for_language("en-GB");
        assert!(stemmer.stems());
        for word in ["contacting", "contacted", "contacts", "contact"] {
            assert_eq!(stemmer.stem(word), "contact", "{word}");
        }
        assert_eq!(stemmer.stem("selfish"), "selfish");
        assert_eq!(stemmer.stem("exs"), "ex");
    }

    #[test]
    fn languages_pick_their_stemmer_or_none() {
        assert_eq!(
            WordStemmer::for_language("fr").stem("chanteuses"),
            "chanteux"
        );
        let none = WordStemmer::for_language("ja");
        assert!(!none.stems());
        assert_eq!(none.stem("running"), "running");
    }
}
