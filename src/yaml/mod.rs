//! The one place cairn parses YAML: `serde-saphyr` behind a small adapter.
//!
//! `serde_yaml` is deprecated and archived; `serde-saphyr` is maintained, has no unsafe code,
//! enforces budgets against alias bombs and deep nesting, rejects duplicate keys, and gives
//! values spans through [`Spanned`], so errors found after parsing still point at the value.
//! Every location here is turned into a byte range of the original file, so front matter
//! errors count the lines before the YAML as well.
//!
//! Editors read these messages, not programmers: [`errors`] turns the parser's and serde's
//! errors into the site's words (the key, what it must be, an example) with the caret on the
//! character to fix, and [`lints`] warns about YAML that parses but does not mean what it
//! seems to (`#` starting a comment inside a title, `yes` read as `true`).

mod errors;
pub mod lints;
mod tree;

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_saphyr::options::DuplicateKeyPolicy;

use crate::diagnostics::{Diagnostic, SourceFile};

pub use serde_saphyr::Spanned;
pub use tree::{Kind, Yaml};

/// Where a YAML document lies in its file, and how messages should name it.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The whole file.
    pub source: &'a SourceFile,
    /// Byte offset of the YAML in the file (after a front matter's opening `---`).
    pub base: usize,
    /// Byte length of the YAML.
    pub len: usize,
    /// What a missing required key points at: the front matter's opening `---`, or the
    /// start of a YAML file.
    pub opening: (usize, usize),
    /// The document in words, for "add `title:` to …": `the front matter`, `site.yaml`.
    pub name: &'a str,
}

impl<'a> Document<'a> {
    /// A whole file of YAML (`site.yaml`, a quiz flow).
    pub fn file(source: &'a SourceFile, name: &'a str) -> Self {
        Document {
            source,
            base: 0,
            len: source.text.len(),
            opening: (0, 0),
            name,
        }
    }

    /// The YAML text itself.
    pub fn text(&self) -> &'a str {
        self.source
            .text
            .get(self.base..self.base + self.len)
            .unwrap_or("")
    }
}

/// Parses `yaml`, which starts at byte `base` of `source`, into `T`.
///
/// A syntax error, a duplicate key, an unknown key or a wrongly typed value becomes one
/// [`Diagnostic`] pointing at the offending text, with a hint where one can be given.
pub fn parse<T: DeserializeOwned>(
    yaml: &str,
    source: &SourceFile,
    base: usize,
) -> Result<T, Diagnostic> {
    let document = Document {
        source,
        base,
        len: yaml.len(),
        opening: (base, base),
        name: "this YAML",
    };
    parse_document(&document)
}

/// Parses a [`Document`] into `T`, with errors in the site's words (see [`parse`]).
pub fn parse_document<T: DeserializeOwned>(document: &Document) -> Result<T, Diagnostic> {
    let yaml = document.text();
    serde_saphyr::from_str_with_options::<T>(yaml, options())
        .map_err(|error| errors::to_diagnostic(&error, document))
}

/// The parser's settings: duplicate keys refused, budgets against alias bombs.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::options! {
        with_snippet: false,
        duplicate_keys: DuplicateKeyPolicy::Error,
    };
    options.alias_limits.max_total_replayed_events = 100_000;
    options.alias_limits.max_replay_stack_depth = 16;
    options
}

/// The byte range of a spanned value in the original file, given where its YAML began.
pub fn range_of<T>(value: &Spanned<T>, base: usize) -> Range<usize> {
    let span = value.referenced.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(offset), Some(len)) => {
            let start = base + offset as usize;
            start..start + len as usize
        }
        _ => base..base,
    }
}

/// An error for a hand-written `Deserialize`, with a help line: the message the editor
/// reads, and what to do. [`parse`] shows the two apart.
pub fn custom_error<E: serde::de::Error>(message: &str, help: &str) -> E {
    E::custom(format!("{message}{HELP_SEPARATOR}{help}"))
}

/// Between the message and the help of a [`custom_error`] (never in YAML text or messages).
const HELP_SEPARATOR: char = '\u{1f}';

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        title: Spanned<String>,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn parse_sample(text: &str, base: usize) -> Result<Sample, Diagnostic> {
        let file = SourceFile::new("x.md", text);
        parse(&text[base..], &file, base)
    }

    #[test]
    fn unknown_key_points_at_key_in_the_whole_file() {
        let error = parse_sample("---\ntitle: a\ntitel: b\n", 4).unwrap_err();
        let span = error.span.clone().unwrap();
        assert_eq!((span.line, span.column, span.len), (3, 1, 5));
        assert_eq!(error.message, "unknown key `titel`");
        assert!(error.help.unwrap().contains("did you mean `title`?"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let error = parse_sample("title: a\ntitle: b\n", 0).unwrap_err();
        assert_eq!(error.message, "`title` is written twice");
        assert_eq!(error.span.unwrap().line, 2);
    }

    #[test]
    fn spanned_values_map_to_file_offsets() {
        let text = "---\ntitle: Hello\n";
        let sample = parse_sample(text, 4).unwrap();
        assert_eq!(&text[range_of(&sample.title, 4)], "Hello");
        assert!(sample.tags.is_empty());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in b'b'..=b'j' {
            let prev = (level - 1) as char;
            let this = level as char;
            bomb.push_str(&format!(
                "{this}: &{this} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let file = SourceFile::new("bomb.yaml", bomb.as_str());
        let result: Result<serde_json::Value, _> = parse(&bomb, &file, 0);
        assert!(result.is_err());
    }
}
