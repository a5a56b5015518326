//! Words for the search index: Unicode word segmentation, case and accent folding, stems.
//!
//! The browser's `search.js` folds what the reader types the same way (lowercase, accents
//! and apostrophes dropped, split at anything that is not a letter or digit), so the keys
//! written here are the keys it looks up. The index is keyed by the surface words found in
//! the text, each pointing at its stem's postings; for English, `search.js` also stems the
//! reader's words with the same Snowball algorithm (its own copy, checked against this one
//! word for word by `stem_vectors` and a browser test), so that "texting" finds "texts"
//! even where the text never says "texting".

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
///
/// UAX #29 never joins anything across ASCII white space, so the text is cut there and
/// each run segmented on its own: a run of ASCII (most of them, in most sites) by the few
/// rules that apply to it ([`ascii_run_words`]), any other run by the full Unicode rules.
/// Both give the words segmenting the whole text would; a property test checks it.
pub fn for_each_word(text: &str, mut found: impl FnMut(&str, Range<usize>)) {
    let mut folded = String::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if is_ascii_space(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        let mut ascii = true;
        while at < bytes.len() && !is_ascii_space(bytes[at]) {
            ascii &= bytes[at].is_ascii();
            at += 1;
        }
        if ascii {
            ascii_run_words(text, start..at, &mut folded, &mut found);
        } else {
            // The white space before the run goes with it: a combining mark opening the
            // run belongs to that space, as it does in the whole text.
            unicode_run_words(text, start.saturating_sub(1)..at, &mut folded, &mut found);
        }
    }
}

/// ASCII white space, where UAX #29 always breaks: space, tab, line feed, vertical tab,
/// form feed, carriage return.
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// The words of `run`, a stretch of `text` that is ASCII without white space. Among ASCII
/// characters, UAX #29 keeps a word together across letters and digits, and across an
/// apostrophe between two letters or two digits; the other characters it joins (`.`, `,`,
/// `:`, `_`) split the word's pieces anyway ([`for_each_word`]).
fn ascii_run_words(
    text: &str,
    run: Range<usize>,
    folded: &mut String,
    found: &mut impl FnMut(&str, Range<usize>),
) {
    let bytes = text.as_bytes();
    let joins = |i: usize| {
        let (before, after) = (bytes[i - 1], bytes[i + 1]);
        (before.is_ascii_alphabetic() && after.is_ascii_alphabetic())
            || (before.is_ascii_digit() && after.is_ascii_digit())
    };
    let mut at = run.start;
    while at < run.end {
        if !bytes[at].is_ascii_alphanumeric() {
            at += 1;
            continue;
        }
        let start = at;
        at += 1;
        while at < run.end
            && (bytes[at].is_ascii_alphanumeric()
                || (bytes[at] == b'\'' && at + 1 < run.end && joins(at)))
        {
            at += 1;
        }
        fold_into(&text[start..at], folded);
        if folded.len() <= MAX_WORD_CHARS {
            found(folded, start..at);
        }
    }
}

/// The words of `text[run]` by the Unicode rules: each UAX #29 word, split at anything
/// but letters, digits, marks and apostrophes.
fn unicode_run_words(
    text: &str,
    run: Range<usize>,
    folded: &mut String,
    found: &mut impl FnMut(&str, Range<usize>),
) {
    for (offset, word) in text[run.clone()].unicode_word_indices() {
        let start = run.start + offset;
        let mut piece_start: Option<usize> = None;
        for (offset, c) in word.char_indices().chain([(word.len(), ' ')]) {
            let inside = offset < word.len();
            if inside && (is_word_char(c) || is_apostrophe(c)) {
                piece_start.get_or_insert(offset);
                continue;
            }
            if let Some(from) = piece_start.take() {
                let range = start + from..start + offset;
                fold_into(&text[range.clone()], folded);
                if !folded.is_empty() && folded.chars().count() <= MAX_WORD_CHARS {
                    found(folded, range);
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
    stemmer: Option<(Stemmer, &'static str)>,
}

impl WordStemmer {
    /// The stemmer for a BCP 47 tag such as `en`, `en-GB` or `pt-BR`.
    pub fn for_language(tag: &str) -> WordStemmer {
        WordStemmer {
            stemmer: algorithm_for(tag).map(|(algorithm, name)| (Stemmer::create(algorithm), name)),
        }
    }

    /// The Snowball algorithm's name (`english`, `french`…), none without a stemmer.
    pub fn name(&self) -> Option<&'static str> {
        self.stemmer.as_ref().map(|(_, name)| *name)
    }

    /// Whether this language has a stemmer (else words are only folded).
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    /// The stem of a folded word.
    pub fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some((stemmer, _)) => stemmer.stem(word).into_owned(),
            None => word.to_owned(),
        }
    }
}

/// The Snowball algorithm for a language tag's primary subtag, and its name, if there is
/// one.
fn algorithm_for(tag: &str) -> Option<(Algorithm, &'static str)> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => (Algorithm::Arabic, "arabic"),
        "da" => (Algorithm::Danish, "danish"),
        "nl" => (Algorithm::Dutch, "dutch"),
        "en" => (Algorithm::English, "english"),
        "fi" => (Algorithm::Finnish, "finnish"),
        "fr" => (Algorithm::French, "french"),
        "de" => (Algorithm::German, "german"),
        "el" => (Algorithm::Greek, "greek"),
        "hu" => (Algorithm::Hungarian, "hungarian"),
        "it" => (Algorithm::Italian, "italian"),
        "no" | "nb" | "nn" => (Algorithm::Norwegian, "norwegian"),
        "pt" => (Algorithm::Portuguese, "portuguese"),
        "ro" => (Algorithm::Romanian, "romanian"),
        "ru" => (Algorithm::Russian, "russian"),
        "es" => (Algorithm::Spanish, "spanish"),
        "sv" => (Algorithm::Swedish, "swedish"),
        "ta" => (Algorithm::Tamil, "tamil"),
        "tr" => (Algorithm::Turkish, "turkish"),
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

    /// The words of `text` by UAX #29 over the whole text, as [`for_each_word`] found them
    /// before it cut the text at white space.
    fn reference_tokens(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut folded = String::new();
        unicode_run_words(text, 0..text.len(), &mut folded, &mut |word, range| {
            out.push(Token {
                word: word.to_owned(),
                range,
            });
        });
        out
    }

    #[test]
    fn ascii_runs_split_as_unicode_segmentation_does() {
        for text in [
            "don't rock'n'roll 'quoted' dogs' a''b a'1 1'000 1a'b a_'b x.'y",
            "e.g. 3.14 foo_bar a:b 1,000;2 --x-- (a) [b] {c} @d #e $f %g",
            "tab\tline\nfeed\r\nform\x0cvt\x0bend",
            "Mixed: naïve café’s \u{301}mark after\t\u{301}x ’tis l’été",
        ] {
            assert_eq!(tokens(text), reference_tokens(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn words_are_those_of_segmenting_the_whole_text(
            text in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "B", "z", "0", "9", "'", ".", ",", ":", ";", "_", "-", "(", "\"",
                    " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\u{a0}", "’", "‘", "ʼ",
                    "é", "\u{301}", "\u{200d}", "\u{feff}", "東", "ς", "Ω", "😀", "🇫🇷", "٣",
                    "\u{3000}", "\u{2028}", "\u{85}",
                ]),
                0..40,
            )
        ) {
            let text = text.concat();
            proptest::prop_assert_eq!(tokens(&text), reference_tokens(&text));
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

    /// The words both stemmers are checked on: `tests/fixtures/stems/english.txt`, one
    /// `word stem` pair a line (Snowball's own test vocabulary, sampled to cover every
    /// rule, and the shipped site's words). `search.js` stems the reader's words with its
    /// own copy of the algorithm, which a browser test checks against the same file, so
    /// both sides stem alike. After a change of `rust-stemmers`, write the file again with
    /// `CAIRN_UPDATE_STEMS=1 cargo test --lib stem_vectors`.
    #[test]
    fn stem_vectors_are_this_stemmers() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/stems/english.txt"
        );
        let file = std::fs::read_to_string(path).expect("the stem vectors");
        let stemmer = WordStemmer::for_language("en");
        assert_eq!(stemmer.name(), Some("english"));
        let lines: Vec<(&str, Option<&str>)> = file
            .lines()
            .map(|line| {
                let mut parts = line.split(' ');
                (parts.next().unwrap_or_default(), parts.next())
            })
            .collect();
        if std::env::var_os("CAIRN_UPDATE_STEMS").is_some() {
            let mut out = String::new();
            for (word, _) in &lines {
                out.push_str(&format!("{word} {}\n", stemmer.stem(word)));
            }
            std::fs::write(path, out).expect("written");
            return;
        }
        assert!(lines.len() > 4000, "{} words", lines.len());
        for (word, stem) in lines {
            assert_eq!(fold(word), word, "the file holds folded words");
            assert_eq!(Some(stemmer.stem(word).as_str()), stem, "{word}");
        }
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
