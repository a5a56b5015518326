//! The one place cairn parses YAML: `serde-saphyr` behind a small adapter.
//!
//! `serde_yaml` is deprecated and archived; `serde-saphyr` is maintained, has no unsafe code,
//! enforces budgets against alias bombs and deep nesting, rejects duplicate keys, and gives
//! values spans through [`Spanned`], so errors found after parsing still point at the value.
//! Every location here is turned into a byte range of the original file, so front matter
//! errors count the lines before the YAML as well.

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_saphyr::options::DuplicateKeyPolicy;

use crate::diagnostics::{Diagnostic, SourceFile};

pub use serde_saphyr::Spanned;

/// Parses `yaml`, which starts at byte `base` of `source`, into `T`.
///
/// A syntax error, a duplicate key, an unknown key or a wrongly typed value becomes one
/// [`Diagnostic`] pointing at the offending text, with a hint where one can be given.
pub fn parse<T: DeserializeOwned>(
    yaml: &str,
    source: &SourceFile,
    base: usize,
) -> Result<T, Diagnostic> {
    let mut options = serde_saphyr::options! {
        with_snippet: false,
        duplicate_keys: DuplicateKeyPolicy::Error,
    };
    options.alias_limits.max_total_replayed_events = 100_000;
    options.alias_limits.max_replay_stack_depth = 16;
    serde_saphyr::from_str_with_options::<T>(yaml, options)
        .map_err(|error| to_diagnostic(&error, yaml, source, base))
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

fn to_diagnostic(
    error: &serde_saphyr::Error,
    yaml: &str,
    source: &SourceFile,
    base: usize,
) -> Diagnostic {
    let raw = error.to_string();
    let message = strip_location_suffix(&raw);
    let (message, help) = explain(message);
    let offset = error
        .location()
        .and_then(|location| location.span().byte_offset())
        .map_or(0, |offset| offset as usize)
        .min(yaml.len());
    let start = base + offset;
    let end = start + token_len(&yaml[offset..]);
    Diagnostic::error(message)
        .at(source, start..end)
        .maybe_help(help)
}

/// Length of the word at the start of `rest`, so the caret underlines a whole key or value.
fn token_len(rest: &str) -> usize {
    rest.find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ']' | '}'))
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8))
}

/// serde-saphyr appends ` at line N, column M`; the diagnostic shows the location itself.
fn strip_location_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(index) if message[index..].contains(", column ") => &message[..index],
        _ => message,
    }
}

/// Rewrites the parser's wording into cairn's and adds a hint where one helps.
fn explain(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .filter(|s| !s.is_empty())
            .collect();
        let help = match crate::suggest::closest(field, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? Known keys: {}", known.join(", ")),
            None => format!("known keys: {}", known.join(", ")),
        };
        return (format!("unknown key `{field}`"), Some(help));
    }
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        return (
            format!("duplicate key `{key}`"),
            Some("each key may appear once; remove or rename one of them".into()),
        );
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return (
            format!("missing required key {field}"),
            Some(format!("add {field} to this YAML")),
        );
    }
    if message.contains("budget") || message.contains("alias") && message.contains("limit") {
        return (
            format!("YAML too large or too deeply aliased: {message}"),
            Some(
                "simplify the YAML; anchors and aliases that expand enormously are refused".into(),
            ),
        );
    }
    (message.to_string(), None)
}

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
        assert_eq!(error.message, "duplicate key `title`");
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
