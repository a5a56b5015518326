//! The parser's and serde's errors in the site's words.
//!
//! An editor should read what is wrong with the key they wrote ("`weight` must be a whole
//! number"), with the caret on the character to fix and a help line that shows the fix, and
//! never the name of a Rust type or of a parser state. Syntax errors come from the scanner
//! with a position that is often where it gave up (the start of a value, the end of the
//! file); each kind is explained from the text around that position, and the caret moved to
//! the tab, the colon, the quote or the indentation that caused it. Type errors come with
//! the position of the value; the tree of the same YAML names the key it belongs to.

use std::ops::Range;

use serde_saphyr::granit_parser::ErrorKind as Scan;
use serde_saphyr::{Error, ExternalMessageSource};

use super::tree::{Kind, Yaml};
use super::{Document, HELP_SEPARATOR};
use crate::diagnostics::Diagnostic;

/// A problem in the YAML text: where (bytes of the YAML), what, and what to do.
struct Explained {
    range: Range<usize>,
    message: String,
    help: Option<String>,
}

impl Explained {
    fn new(range: Range<usize>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Explained {
            range,
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

/// One diagnostic for `error`, found parsing `document`.
pub(super) fn to_diagnostic(error: &Error, document: &Document) -> Diagnostic {
    let error = innermost(error);
    let yaml = document.text();
    let offset = offset_of(error, yaml);
    if let Error::SerdeMissingField { field, .. } = error {
        let (start, end) = document.opening;
        return Diagnostic::error(format!("{} has no `{field}`", document.name))
            .at(document.source, start..end)
            .help(format!(
                "add a line `{field}: …` to {}; it is required",
                document.name
            ));
    }
    let first_line = document.source.span(document.base..document.base).line;
    let explained = explain(error, yaml, offset, first_line);
    let start = document.base + explained.range.start.min(yaml.len());
    let end = document.base + explained.range.end.clamp(explained.range.start, yaml.len());
    Diagnostic::error(explained.message)
        .at(document.source, start..end)
        .maybe_help(explained.help)
}

/// The error itself, without the wrappers that add a snippet or an alias's location.
fn innermost(error: &Error) -> &Error {
    match error {
        Error::WithSnippet { error, .. } | Error::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

/// Byte offset of the error in the YAML: the parser gives bytes for values, and only a line
/// and a column (in characters) for syntax errors.
fn offset_of(error: &Error, yaml: &str) -> usize {
    let Some(location) = error.location() else {
        return 0;
    };
    if let Some(offset) = location.span().byte_offset() {
        return (offset as usize).min(yaml.len());
    }
    let line = usize::try_from(location.line()).unwrap_or(0);
    let column = usize::try_from(location.column()).unwrap_or(0);
    if line == 0 {
        return 0;
    }
    let line_start = yaml
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum::<usize>()
        .min(yaml.len());
    let line_text = line_at(yaml, line_start);
    line_start
        + line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(index, _)| index)
}

/// What `error` at `offset` means; `first_line` is the file's line number of the YAML's
/// first line, for help lines that name another line.
fn explain(error: &Error, yaml: &str, offset: usize, first_line: usize) -> Explained {
    match error {
        Error::ExternalMessage { source, msg, .. } => match &**source {
            ExternalMessageSource::Parser(scan) => syntax(scan.kind(), yaml, offset, first_line),
            _ => Explained::new(offset..offset + 1, msg.clone(), GENERIC_HELP),
        },
        Error::Eof { .. } => unexpected_end(yaml),
        Error::UnknownAnchor { .. } => starts_with_indicator(yaml, offset, '*'),
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let known: Vec<&str> = expected.clone();
            let help = match crate::suggest::closest(field, known.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? Known keys: {}", known.join(", ")),
                None => format!("known keys: {}", known.join(", ")),
            };
            Explained::new(
                offset..offset + token_len(&yaml[offset..]),
                format!("unknown key `{field}`"),
                help,
            )
        }
        Error::DuplicateMappingKey { key, .. } => {
            let message = match key {
                Some(key) => format!("`{key}` is written twice"),
                None => "this key is written twice".to_string(),
            };
            Explained::new(
                offset..offset + token_len(&yaml[offset..]),
                message,
                "each key may appear once: remove one of them, or merge their values",
            )
        }
        Error::MultipleDocuments { .. } => second_document(yaml, offset),
        Error::Budget { .. }
        | Error::AliasReplayCounterOverflow { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => Explained::new(
            offset..offset + 1,
            "this YAML is too large or nests too deeply to read",
            "simplify it; anchors and aliases (`&name`, `*name`) that repeat each other enormously are refused",
        ),
        Error::Message { msg, .. } => match msg.split_once(HELP_SEPARATOR) {
            Some((message, help)) => {
                Explained::new(offset..offset + token_len(&yaml[offset..]), message, help)
            }
            None => Explained {
                range: offset..offset + token_len(&yaml[offset..]),
                message: msg.clone(),
                help: None,
            },
        },
        _ => match Yaml::of_text(yaml) {
            Ok(tree) => typed(error, &tree, yaml, offset),
            // The typed parse stopped at a value before a syntax error further on, which
            // is the mistake to fix.
            Err(syntax_error) if is_syntax(innermost(&syntax_error)) => {
                let offset = offset_of(innermost(&syntax_error), yaml);
                explain(innermost(&syntax_error), yaml, offset, first_line)
            }
            Err(_) => Explained::new(
                offset..offset + token_len(&yaml[offset..]),
                "this value has the wrong type",
                GENERIC_HELP,
            ),
        },
    }
}

fn is_syntax(error: &Error) -> bool {
    matches!(
        error,
        Error::ExternalMessage { .. } | Error::Eof { .. } | Error::UnknownAnchor { .. }
    )
}

const GENERIC_HELP: &str = "look for a missing quote, bracket or `:` here or on the line above, and for indentation that does not line up";

// ---------------------------------------------------------------------------------------
// Values of the wrong type.

/// A value of the wrong type at `offset`, explained with its key in `tree`.
fn typed(error: &Error, tree: &Yaml, yaml: &str, offset: usize) -> Explained {
    let place = locate(tree, offset);
    let Some(key) = place.key.clone() else {
        let token = offset..offset + token_len(&yaml[offset..]);
        if let Some(key_range) = place.key_range.clone() {
            return Explained::new(
                key_range,
                "this line has a value but no key before its `:`",
                "write the key before the `:`, e.g. `description: …`, or put the whole line in quotes under a key",
            );
        }
        if !matches!(tree.kind, Kind::Map(_)) {
            return Explained::new(
                token,
                format!(
                    "this must be a set of `key: value` lines, not {}",
                    tree.describe()
                ),
                "write one setting per line, as `key: value`, e.g. `title: My page`",
            );
        }
        return Explained::new(token, "this value has the wrong type", GENERIC_HELP);
    };
    let subject = if place.in_list {
        format!("each item of `{key}`")
    } else {
        format!("`{key}`")
    };
    let node = place.node;
    let written = yaml.get(node.range.clone()).unwrap_or("").trim();
    let empty = node.kind == Kind::Null;
    // An empty value has no text of its own: point at its key.
    let range = if empty {
        place.key_range.clone().unwrap_or(offset..offset)
    } else if matches!(node.kind, Kind::Map(_)) {
        // A set of keys where something else belongs: its first line.
        let start = node.range.start.min(yaml.len());
        start..start + line_at(yaml, start).trim_end().len()
    } else {
        node.range.clone()
    };
    let is_empty = |what: &str| format!("{subject} is empty; it must be {what}");
    let (message, help) = match error {
        Error::InvalidScalar { ty, .. } if *ty == "boolean" => (
            if empty {
                is_empty("`true` or `false`")
            } else {
                format!("{subject} must be `true` or `false`")
            },
            format!("write `{key}: true` or `{key}: false`"),
        ),
        Error::InvalidBooleanStrict { .. } => (
            format!("{subject} must be `true` or `false`"),
            format!("write `{key}: true` or `{key}: false`"),
        ),
        Error::InvalidScalar { ty, .. } if *ty == "floating point" => (
            if empty {
                is_empty("a number")
            } else {
                format!("{subject} must be a number")
            },
            format!("write a number without quotes, e.g. `{key}: 1.5`"),
        ),
        Error::InvalidScalar { ty, .. } if ty.starts_with('u') && written.starts_with('-') => (
            format!("{subject} cannot be negative"),
            format!("write a whole number of 1 or more, e.g. `{key}: 10`"),
        ),
        Error::InvalidScalar { ty, .. }
            if ty.starts_with(['u', 'i'])
                && written.len() > 1
                && written
                    .trim_start_matches(['-', '+'])
                    .bytes()
                    .all(|b| b.is_ascii_digit()) =>
        {
            (
                format!("{subject} is too large: `{written}`"),
                format!("write a smaller whole number, e.g. `{key}: 2`"),
            )
        }
        Error::InvalidScalar { ty, .. } if ty.starts_with(['u', 'i']) => (
            if empty {
                is_empty("a whole number")
            } else {
                format!("{subject} must be a whole number")
            },
            format!("write a number without quotes or decimals, e.g. `{key}: 2`"),
        ),
        Error::NullIntoString { .. } => (
            format!("{subject} is empty"),
            format!("write its text after `{key}:`"),
        ),
        Error::Unexpected { expected, .. } => expected_shape(expected, &subject, &key, node, yaml),
        Error::SerdeInvalidType { expected, .. } | Error::SerdeInvalidValue { expected, .. } => {
            // cairn's own readers say what they take in the site's words, with the example
            // in backticks; serde's built-in ones ("i64", "a sequence") are translated.
            let what = if expected.contains('`') {
                expected.as_str()
            } else {
                shape_in_words(expected)
            };
            (
                format!("{subject} must be {what}, not {}", node.describe()),
                format!("see cairn's guide for what `{key}` takes"),
            )
        }
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let choices: Vec<String> = expected.iter().map(|c| format!("`{c}`")).collect();
            let help = match crate::suggest::closest(variant, expected.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("write one of them, e.g. `{key}: {}`", expected[0]),
            };
            (
                format!("{subject} must be one of {}", choices.join(", ")),
                help,
            )
        }
        _ => (
            format!("{subject} has a value of the wrong kind"),
            format!("see cairn's guide for what `{key}` takes"),
        ),
    };
    Explained::new(range, message, help)
}

/// "Expected a list / a mapping / text" from serde-saphyr's `Unexpected` error.
fn expected_shape(
    expected: &str,
    subject: &str,
    key: &str,
    node: &Yaml,
    yaml: &str,
) -> (String, String) {
    let empty = node.kind == Kind::Null;
    let written = yaml.get(node.range.clone()).unwrap_or("").trim();
    match expected {
        "sequence start" => {
            let items: Vec<&str> = written
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .collect();
            let example = if items.len() > 1 {
                format!("`{key}: [{}]`", items.join(", "))
            } else if empty {
                format!("`{key}: [first, second]`")
            } else {
                format!("`{key}: [{written}]`")
            };
            (
                if empty {
                    format!("{subject} is empty; it must be a list")
                } else {
                    format!("{subject} must be a list: {example}")
                },
                format!(
                    "write a list in brackets, {example}, or one item per line under `{key}:`, each starting with `- `; or remove the line"
                ),
            )
        }
        "mapping start" => (
            format!(
                "{subject} must be a set of `name: value` lines, not {}",
                node.describe()
            ),
            format!("write them indented under `{key}:`, e.g.\n{key}:\n  name: value"),
        ),
        _ if matches!(node.kind, Kind::Map(_)) => {
            let first = line_at(yaml, node.range.start.min(yaml.len())).trim();
            (
                format!("{subject} must be text, not {}", node.describe()),
                format!(
                    "lines indented under `{key}:` are read as `name: value` pairs; write the text on its line, in quotes: `{key}: {}`",
                    quote(first)
                ),
            )
        }
        _ => {
            // "string scalar", "scalar": text was expected. A list or a set of keys in
            // brackets or braces starts at its `[` or `{`: quote the rest of its line.
            let written = match written.chars().next() {
                Some('[' | '{') => yaml[node.range.start..]
                    .lines()
                    .next()
                    .unwrap_or(written)
                    .trim_end(),
                _ => written,
            };
            let quoted = quote(written);
            (
                format!("{subject} must be text, not {}", node.describe()),
                format!(
                    "write the text after `{key}:`; if the brackets or braces belong to it, put it in quotes: `{key}: {quoted}`"
                ),
            )
        }
    }
}

/// serde's "expected …" phrases in words.
fn shape_in_words(expected: &str) -> &'static str {
    let expected = expected.to_ascii_lowercase();
    if ["integer", "i64", "u64", "usize", "i32", "u32"]
        .iter()
        .any(|word| expected.contains(word))
    {
        "a whole number"
    } else if expected.contains("float") || expected.contains("number") {
        "a number"
    } else if expected.contains("bool") {
        "`true` or `false`"
    } else if expected.contains("seq") || expected.contains("list") || expected.contains("array") {
        "a list"
    } else if expected.contains("map") || expected.contains("struct") {
        "a set of `name: value` lines"
    } else {
        "text"
    }
}

/// Where a value is in the tree: its key, whether it is a list item, the node.
struct Place<'t> {
    key: Option<String>,
    key_range: Option<Range<usize>>,
    in_list: bool,
    node: &'t Yaml,
}

/// The deepest value written at or before `offset`, with the key it is under. Entries and
/// items are in file order, so the last one starting at or before the offset holds it.
fn locate(tree: &Yaml, offset: usize) -> Place<'_> {
    let mut place = Place {
        key: None,
        key_range: None,
        in_list: false,
        node: tree,
    };
    loop {
        match &place.node.kind {
            Kind::Map(entries) => {
                let Some((key, value)) =
                    entries.iter().rev().find(|(k, _)| k.range.start <= offset)
                else {
                    return place;
                };
                // A key that is no text (`: value` with nothing before the colon) is
                // told as such by `typed`.
                place.key = match &key.kind {
                    Kind::Str(name) => Some(name.clone()),
                    _ => None,
                };
                place.key_range = Some(key.range.clone());
                place.in_list = false;
                place.node = value;
            }
            Kind::Seq(items) => {
                let Some(item) = items.iter().rev().find(|i| i.range.start <= offset) else {
                    return place;
                };
                place.in_list = true;
                place.node = item;
            }
            _ => return place,
        }
        // A list or a set of keys that starts at the offset is what the error is about:
        // an error in one of its values would lie after that value's key or `- `.
        if !matches!(place.node.kind, Kind::Map(_) | Kind::Seq(_))
            || place.node.range.start >= offset
        {
            return place;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Syntax errors.

/// A syntax error of kind `kind`, which the scanner reported at `offset`.
fn syntax(kind: &Scan, yaml: &str, offset: usize, first_line: usize) -> Explained {
    match kind {
        Scan::TabInPlainScalar
        | Scan::TabNotAllowed
        | Scan::TabInBlockIndentation
        | Scan::TabInIndentation
        | Scan::TabAtBlockScalarStart => tab(yaml, offset),
        Scan::MappingValueNotAllowed | Scan::InvalidColonPlacement | Scan::MappingKeyNotAllowed => {
            unexpected_colon(yaml, offset, first_line)
        }
        Scan::UnclosedQuotedScalar => {
            let quote = yaml[offset..].chars().next().unwrap_or('"');
            Explained::new(
                offset..offset + quote.len_utf8(),
                format!("this `{quote}` is never closed"),
                format!(
                    "end the value with a matching `{quote}`, or remove the `{quote}` at its start"
                ),
            )
        }
        Scan::InvalidTrailingSingleQuotedScalar => text_after_quote(yaml, offset, '\''),
        Scan::InvalidTrailingDoubleQuotedScalar => text_after_quote(yaml, offset, '"'),
        Scan::UnclosedFlowCollection { open } => unclosed_bracket(offset, *open),
        Scan::UnexpectedEofFlowSequence
        | Scan::UnexpectedEofFlowMapping
        | Scan::UnexpectedEofImplicitFlowMapping => match open_bracket(yaml, offset) {
            Some(at) => unclosed_bracket(at, yaml[at..].chars().next().unwrap_or('[')),
            None => unexpected_end(yaml),
        },
        Scan::MisplacedFlowCollectionEnd => {
            let close = yaml[offset..].chars().next().unwrap_or(']');
            Explained::new(
                offset..offset + 1,
                format!("this `{close}` closes nothing"),
                "remove it, or open the list with `[` (a set of keys with `{`); if it is part of the text, put the value in quotes",
            )
        }
        Scan::MismatchedFlowCollectionEnd { open, close } => Explained::new(
            offset..offset + 1,
            format!("`{open}` is closed by `{close}`"),
            "close `[` with `]` and `{` with `}`",
        ),
        Scan::ExpectedFlowSequenceSeparator | Scan::ExpectedFlowMappingSeparator => Explained::new(
            offset..offset + token_len(&yaml[offset..]),
            "a `,` or a closing bracket is missing before this",
            "separate items with `, ` and close the list; put an item in quotes if it holds `,`, `[`, `]`, `{`, `}` or `: `",
        ),
        Scan::ExpectedBlockMappingKey
        | Scan::ExpectedBlockSequenceEntry
        | Scan::InvalidIndentation
        | Scan::InvalidBlockScalarIndent
        | Scan::InvalidQuotedScalarIndent
        | Scan::InvalidFlowScalarIndent
        | Scan::ExpectedDocumentStart
        | Scan::BlockSequenceEntryNotAllowed
        | Scan::UnexpectedEofBlockMapping
        | Scan::UnexpectedEofBlockSequence => indentation(yaml, offset, first_line),
        Scan::UnexpectedCharacter { character } => starts_with_indicator(yaml, offset, *character),
        Scan::ExpectedNodeContent => {
            let first = yaml[offset..].chars().next().unwrap_or(' ');
            if first.is_whitespace() {
                indentation(yaml, offset, first_line)
            } else {
                starts_with_indicator(yaml, offset, first)
            }
        }
        Scan::InvalidBlockEntryWhitespace => Explained::new(
            offset..offset + 1,
            "a `-` that starts a list item needs a space after it",
            "write `- item`; if the value itself starts with `-`, put it in quotes",
        ),
        Scan::InvalidMappingValueWhitespace => Explained::new(
            offset..offset + 1,
            "a `:` after a key needs a space after it",
            "write `key: value`; if the `:` is part of the text, put the text in quotes",
        ),
        Scan::CommentNotSeparated => Explained::new(
            offset..offset + 1,
            "a `#` that starts a comment needs a space before it",
            "write ` # comment`; if the `#` is part of the text, put the text in quotes",
        ),
        Scan::UnknownQuotedScalarEscape
        | Scan::InvalidQuotedScalarHexEscape
        | Scan::InvalidUnicodeEscape
        | Scan::InvalidLowSurrogate
        | Scan::InvalidLowSurrogateHexEscape
        | Scan::MissingLowSurrogate
        | Scan::UnpairedLowSurrogate => Explained::new(
            offset..offset + 1,
            "a `\\` in double quotes starts an escape, and this one means nothing",
            "write `\\\\` for a backslash, or put the value in single quotes, where `\\` is plain text",
        ),
        other => Explained::new(
            offset..offset + 1,
            format!("this YAML cannot be read here ({other})"),
            GENERIC_HELP,
        ),
    }
}

/// A tab: YAML indents with spaces only, and refuses tabs in a few other places.
fn tab(yaml: &str, offset: usize) -> Explained {
    let start = line_start(yaml, offset);
    let at = yaml[offset..]
        .find('\t')
        .map(|i| offset + i)
        .or_else(|| yaml[start..offset].rfind('\t').map(|i| start + i))
        .unwrap_or(offset);
    let indenting = yaml[line_start(yaml, at)..at]
        .chars()
        .all(|c| c == ' ' || c == '\t');
    let message = if indenting {
        "this line is indented with a tab"
    } else {
        "a tab where YAML does not accept one"
    };
    Explained::new(
        at..at + 1,
        message,
        "indent with spaces: YAML does not accept tabs for indentation",
    )
}

/// A `:` the scanner did not expect: most often a value holding `: `, else a line indented
/// too far, or the missing end of a list in brackets above.
fn unexpected_colon(yaml: &str, offset: usize, first_line: usize) -> Explained {
    if let Some(at) = open_bracket(yaml, offset) {
        return unclosed_bracket(at, yaml[at..].chars().next().unwrap_or('['));
    }
    let start = line_start(yaml, offset);
    let before = yaml[start..offset].trim_start();
    let before = before.strip_prefix("- ").unwrap_or(before);
    if let Some((key, _)) = before.split_once(": ") {
        let line = line_at(yaml, start).trim();
        let line = line.strip_prefix("- ").unwrap_or(line);
        let value = line.split_once(": ").map_or("", |(_, value)| value.trim());
        return Explained::new(
            offset..offset + 1,
            format!(
                "the value of `{}` holds `: `, which YAML reads as the start of another key",
                key.trim()
            ),
            format!(
                "put the value in quotes: `{}: {}`",
                key.trim(),
                quote(value)
            ),
        );
    }
    let indent = indent_of(line_at(yaml, start));
    if indent > 0
        && let Some((line, _, above)) = previous_line(yaml, start)
        && indent_of(above) < indent
    {
        let above_indent = indent_of(above);
        return Explained::new(
            start + above_indent..start + indent,
            "this line is indented more than the line above it",
            format!(
                "line `{}` up with `{}` on line {} (remove {}), or, if it belongs to the value above, put that value in quotes",
                first_word(line_at(yaml, start)),
                first_word(above),
                first_line + line - 1,
                crate::diagnostics::count(indent - above_indent, "space")
            ),
        );
    }
    Explained::new(
        offset..offset + 1,
        "YAML cannot read a `:` here",
        "if the `:` is part of a value, put the value in quotes",
    )
}

/// Text after the quote that ended a quoted value: most often a quote inside it.
fn text_after_quote(yaml: &str, offset: usize, quote_mark: char) -> Explained {
    let quote_at = yaml[..offset]
        .char_indices()
        .next_back()
        .filter(|(_, c)| *c == quote_mark)
        .map_or(offset, |(i, _)| i);
    let start = line_start(yaml, offset);
    let line = line_at(yaml, start).trim();
    let (key, value) = line.split_once(": ").unwrap_or(("", line));
    let inner = value
        .trim()
        .strip_prefix(quote_mark)
        .unwrap_or(value)
        .strip_suffix(quote_mark)
        .unwrap_or(value);
    let key = key.trim().trim_start_matches("- ");
    let prefix = if key.is_empty() {
        String::new()
    } else {
        format!("{key}: ")
    };
    let help = if quote_mark == '\'' {
        format!(
            "inside single quotes write `''` for one `'`: `{prefix}'{}'`",
            inner.replace('\'', "''")
        )
    } else {
        format!(
            "put the value in single quotes, where `\"` is plain text: `{prefix}'{}'`",
            inner.replace('\'', "''")
        )
    };
    Explained::new(
        quote_at..quote_at + 1,
        format!("this `{quote_mark}` ends the value, and more text follows it"),
        help,
    )
}

fn unclosed_bracket(at: usize, open: char) -> Explained {
    let (close, what) = if open == '{' {
        ('}', "`{ name: value, … }`")
    } else {
        (']', "`[first, second]`")
    };
    Explained::new(
        at..at + 1,
        format!("this `{open}` is never closed"),
        format!(
            "close it with `{close}` on the same line: {what}; or, if the `{open}` is part of the text, put the value in quotes"
        ),
    )
}

/// The YAML ended in the middle of something: an open bracket, most likely.
fn unexpected_end(yaml: &str) -> Explained {
    match open_bracket(yaml, yaml.len()) {
        Some(at) => unclosed_bracket(at, yaml[at..].chars().next().unwrap_or('[')),
        None => {
            let end = yaml.trim_end().len();
            let start = line_start(yaml, end);
            Explained::new(
                start..end,
                "the YAML ends in the middle of a value",
                "finish the last value, or look for a quote or bracket that is never closed",
            )
        }
    }
}

/// A value that starts with a character YAML reserves (`@`, `` ` ``, `*`, `&`, `%`…).
fn starts_with_indicator(yaml: &str, offset: usize, character: char) -> Explained {
    let start = line_start(yaml, offset);
    let line = line_at(yaml, start).trim();
    let (key, value) = line.split_once(": ").unwrap_or(("", line));
    let fix = if key.is_empty() {
        quote(value.trim())
    } else {
        format!("{}: {}", key.trim(), quote(value.trim()))
    };
    let message = match character {
        '*' => "a value starting with `*` names an anchor (`&name`), and there is none".to_string(),
        '`' => "a value cannot start with a backquote in YAML".to_string(),
        _ => format!("a value cannot start with `{character}` in YAML"),
    };
    Explained::new(
        offset..offset + character.len_utf8(),
        message,
        format!("put the value in quotes: `{fix}`"),
    )
}

/// A line whose indentation does not fit the lines above it.
fn indentation(yaml: &str, offset: usize, first_line: usize) -> Explained {
    let start = line_start(yaml, offset);
    let line = line_at(yaml, start);
    // The parser may stop on an empty line or at the end: the line to fix is the last
    // non-blank one up to here.
    let (start, line) = if line.trim().is_empty() || start >= yaml.len() {
        previous_line(yaml, start).map_or((start, line), |(_, at, text)| (at, text))
    } else {
        (start, line)
    };
    let indent = indent_of(line);
    let content = line.trim();
    let first_key_line = above_lines(yaml, yaml.len()).last();
    if let Some((_, first_start, first)) = first_key_line
        && indent_of(first) > indent
    {
        return Explained::new(
            first_start..first_start + indent_of(first),
            "the first key is indented",
            "start the keys at the beginning of the line; only values under a key are indented",
        );
    }
    let underline = if indent > 0 {
        start..start + indent
    } else {
        start..start + token_len(content)
    };
    let is_item = content.starts_with("- ") || content == "-";
    let sibling =
        above_lines(yaml, start).find(|(_, _, text)| text.trim().starts_with('-') == is_item);
    match sibling {
        Some((number, _, text)) if indent_of(text) != indent => Explained::new(
            underline,
            "this line is not indented like the lines around it",
            format!(
                "line `{}` up with `{}` on line {}: items of one list, and keys of one level, start at the same column",
                content,
                text.trim(),
                first_line + number - 1
            ),
        ),
        None if is_item => Explained::new(
            underline,
            "a list item where a key was expected",
            format!("put the list under its key, indented:\nkey:\n  {content}"),
        ),
        _ => Explained::new(
            underline,
            "this line is not indented like the lines around it",
            "keys of one level start at the same column, and a value's lines are indented under its key",
        ),
    }
}

/// A `---` line starting a second document (a Markdown page given to `cairn quiz check`).
fn second_document(yaml: &str, offset: usize) -> Explained {
    // The last `---` line before where the parser stopped, past the first content.
    let content_start = yaml.len() - yaml.trim_start().len();
    let at = yaml
        .match_indices("---")
        .map(|(i, _)| i)
        .filter(|i| *i == line_start(yaml, *i) && *i > content_start && *i <= offset)
        .last()
        .unwrap_or(offset);
    Explained::new(
        at..at + 3,
        "a second YAML document starts here: this file holds more than one",
        "a YAML file holds one document; a `---` line separates documents (is this a Markdown page rather than a YAML file?)",
    )
}

// ---------------------------------------------------------------------------------------
// Text helpers: lines, indentation, quoting.

fn line_start(yaml: &str, offset: usize) -> usize {
    yaml[..offset.min(yaml.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}

fn line_at(yaml: &str, start: usize) -> &str {
    let rest = yaml.get(start..).unwrap_or("");
    rest.split('\n').next().unwrap_or("").trim_end_matches('\r')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn first_word(line: &str) -> &str {
    let trimmed = line.trim();
    trimmed
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or(trimmed)
}

/// The non-blank, non-comment lines before the line at `start`, nearest first: each with
/// its 1-based number, its byte offset and its text.
fn above_lines(yaml: &str, start: usize) -> impl Iterator<Item = (usize, usize, &str)> {
    let before = &yaml[..start.min(yaml.len())];
    let mut lines = Vec::new();
    let mut offset = 0;
    for (index, line) in before.split_inclusive('\n').enumerate() {
        lines.push((index + 1, offset, line.trim_end_matches(['\n', '\r'])));
        offset += line.len();
    }
    lines
        .into_iter()
        .rev()
        .filter(|(_, _, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

/// The nearest non-blank line above the line at `start`: number, offset, text.
fn previous_line(yaml: &str, start: usize) -> Option<(usize, usize, &str)> {
    above_lines(yaml, start).next()
}

/// The last `[` or `{` before `offset` that its line does not close, outside quotes and
/// comments: where a list in brackets was left open.
fn open_bracket(yaml: &str, offset: usize) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut line_start = 0;
    for line in yaml[..offset.min(yaml.len())].split_inclusive('\n') {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (i, c) in line.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if matches!(previous, ' ' | '[' | '{' | ',' | ':') => {
                    quote = Some(c);
                }
                (None, '#') if previous.is_whitespace() => break,
                (None, '[' | '{') => open.push(line_start + i),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
            previous = c;
        }
        line_start += line.len();
    }
    open.last().copied()
}

/// Length of the word at the start of `rest`, so the caret underlines a whole key or value.
fn token_len(rest: &str) -> usize {
    rest.find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ']' | '}'))
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8))
}

/// `text` in double quotes, or single quotes when it holds a `"`.
pub(super) fn quote(text: &str) -> String {
    if text.contains('"') && !text.contains('\'') {
        format!("'{text}'")
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Diagnostic, SourceFile};
    use crate::yaml::Document;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Front {
        title: String,
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        date: Option<String>,
        #[serde(default)]
        weight: Option<i64>,
        #[serde(default)]
        per_page: Option<usize>,
        #[serde(default)]
        draft: bool,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }

    /// The error for front matter `yaml` in a Markdown file, and the text under its caret.
    fn fail(yaml: &str) -> (Diagnostic, String) {
        let text = format!("---\n{yaml}---\nBody\n");
        let source = SourceFile::new("content/a.md", text.as_str());
        let document = Document {
            source: &source,
            base: 4,
            len: yaml.len(),
            opening: (0, 3),
            name: "the front matter",
        };
        let error = crate::yaml::parse_document::<Front>(&document).unwrap_err();
        let span = error.span.clone().unwrap();
        let under: String = span
            .line_text
            .chars()
            .skip(span.column - 1)
            .take(span.len.max(1))
            .collect();
        (error, under)
    }

    fn at(error: &Diagnostic) -> (usize, usize) {
        let span = error.span.as_ref().unwrap();
        (span.line, span.column)
    }

    #[test]
    fn a_tab_is_pointed_at_on_its_own_line() {
        let (error, under) = fail(
            "title: A\ndescription: x\ndate: 2024-01-01\ntags: [a]\nweight: 1\n\tdraft: true\n",
        );
        assert_eq!(error.message, "this line is indented with a tab");
        assert_eq!(at(&error), (7, 1));
        assert_eq!(under, "\t");
        assert!(error.help.unwrap().contains("indent with spaces"));
    }

    #[test]
    fn a_colon_inside_a_value_asks_for_quotes() {
        let (error, under) = fail("title: A\ndescription: Note: this breaks\n");
        assert_eq!(
            error.message,
            "the value of `description` holds `: `, which YAML reads as the start of another key"
        );
        assert_eq!(at(&error), (3, 18));
        assert_eq!(under, ":");
        assert_eq!(
            error.help.unwrap(),
            "put the value in quotes: `description: \"Note: this breaks\"`"
        );
    }

    #[test]
    fn an_unclosed_quote_is_pointed_at() {
        let (error, under) = fail("title: A\ndescription: \"Half\ndate: 2024-01-01\n");
        assert_eq!(error.message, "this `\"` is never closed");
        assert_eq!(at(&error), (3, 14));
        assert_eq!(under, "\"");
    }

    #[test]
    fn a_line_indented_too_far_is_pointed_at_its_indentation() {
        let (error, under) = fail("title: A\ndescription: x\n  date: 2024-01-01\n");
        assert_eq!(
            error.message,
            "this line is indented more than the line above it"
        );
        assert_eq!(at(&error), (4, 1));
        assert_eq!(under, "  ");
        assert!(
            error
                .help
                .unwrap()
                .contains("line `date:` up with `description:` on line 3")
        );
    }

    #[test]
    fn a_list_item_out_of_line_names_its_sibling() {
        let (error, _) = fail("title: A\ntags:\n  - a\n - b\n");
        assert_eq!(
            error.message,
            "this line is not indented like the lines around it"
        );
        assert_eq!(at(&error), (5, 1));
        assert!(
            error
                .help
                .unwrap()
                .contains("line `- b` up with `- a` on line 4")
        );
    }

    #[test]
    fn a_quote_inside_single_quotes_shows_how_to_write_it() {
        let (error, under) = fail("title: 'it's here'\n");
        assert_eq!(at(&error), (2, 11));
        assert_eq!(under, "'");
        assert_eq!(
            error.help.unwrap(),
            "inside single quotes write `''` for one `'`: `title: 'it''s here'`"
        );
    }

    #[test]
    fn an_unclosed_bracket_is_pointed_at_even_when_the_parser_stops_later() {
        let (error, under) = fail("title: A\ntags: [a, b\ndraft: true\n");
        assert_eq!(error.message, "this `[` is never closed");
        assert_eq!(at(&error), (3, 7));
        assert_eq!(under, "[");
    }

    #[test]
    fn reserved_first_characters_ask_for_quotes() {
        let (error, _) = fail("title: @home\n");
        assert_eq!(error.message, "a value cannot start with `@` in YAML");
        assert_eq!(
            error.help.unwrap(),
            "put the value in quotes: `title: \"@home\"`"
        );
        let (error, _) = fail("title: *star\n");
        assert!(error.message.contains("anchor"), "{}", error.message);
    }

    #[test]
    fn wrong_types_are_named_by_their_key() {
        let (error, under) = fail("title: A\ndescription: x\nweight: first\n");
        assert_eq!(error.message, "`weight` must be a whole number");
        assert_eq!((at(&error), under.as_str()), ((4, 9), "first"));
        let (error, _) = fail("title: A\ntags: healing, habits\n");
        assert_eq!(
            error.message,
            "`tags` must be a list: `tags: [healing, habits]`"
        );
        let (error, under) = fail("title:\ndescription: x\n");
        assert_eq!(error.message, "`title` is empty");
        assert_eq!(under, "title");
        let (error, _) = fail("title: A\ndraft: maybe\n");
        assert_eq!(error.message, "`draft` must be `true` or `false`");
        let (error, _) = fail("title: A\nper_page: -2\n");
        assert_eq!(error.message, "`per_page` cannot be negative");
        let (error, _) = fail("title: A\ntags: [[a]]\n");
        assert_eq!(
            error.message,
            "each item of `tags` must be text, not a list"
        );
        let (error, _) = fail("title: [a]\n");
        assert_eq!(error.message, "`title` must be text, not a list");
        // The help quotes the whole list as written, not its `[` alone.
        assert!(
            (error.help.as_deref().unwrap_or("")).contains("`title: \"[a]\"`"),
            "{:?}",
            error.help
        );
        // Keys indented under a text key: the error is the key's, not its inner value's.
        let (error, under) = fail("description: x\ntitle:\n  en: A\n");
        assert_eq!(
            error.message,
            "`title` must be text, not a set of `name: value` lines"
        );
        assert_eq!(under, "en: A");
        let (error, _) = fail("title: A\nweight: 99999999999999999999\n");
        assert_eq!(
            error.message,
            "`weight` is too large: `99999999999999999999`"
        );
        let (error, _) = fail("title: A\nextra: 3\n");
        assert!(
            error.message.starts_with("`extra` must be a set of"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_second_document_is_pointed_at_its_separator() {
        let source = SourceFile::new("q.yaml", "title: A\nstart: b\n---\nmore: text\n");
        let error =
            crate::yaml::parse_document::<serde_json::Value>(&Document::file(&source, "q.yaml"))
                .unwrap_err();
        assert_eq!(error.location(), "q.yaml:3:1");
        assert!(error.message.contains("more than one"), "{}", error.message);
    }

    #[test]
    fn a_missing_key_points_at_the_opening_fence() {
        let (error, under) = fail("description: x\ndate: 2024-01-01\n");
        assert_eq!(error.message, "the front matter has no `title`");
        assert_eq!((at(&error), under.as_str()), ((1, 1), "---"));
    }
}
