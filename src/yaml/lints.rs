//! Warnings for YAML that parses but does not say what its writer meant.
//!
//! - A ` #` in a plain value starts a comment: `title: Stop checking #1 habit` is the
//!   title "Stop checking".
//! - `yes`, `no`, `on` and `off` are booleans to the YAML cairn reads: `draft: no` is
//!   `false`, which is right, but `draft: on` is `true` by a rule few remember.
//! - A list item indented under the text before it joins that text: `- healing` then
//!   `  - habits` is the one item "healing - habits".
//!
//! Each is a warning at the text to change, with the fix (usually: quotes).

use super::errors::quote;
use super::tree::{Kind, Yaml};
use crate::diagnostics::{Diagnostic, SourceFile};

/// Warnings for the traps in `tree` (a document of `source`); `booleans` are the keys of
/// its top-level mapping that take `true` or `false`.
pub fn lint(tree: &Yaml, source: &SourceFile, booleans: &[&str]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    walk(tree, None, source, &mut found);
    if let Kind::Map(entries) = &tree.kind {
        for (key, value) in entries {
            let Kind::Str(name) = &key.kind else { continue };
            if booleans.contains(&name.as_str()) {
                found.extend(word_boolean(name, value, source));
            }
        }
    }
    found
}

/// Every scalar of the tree, with the key it is under.
fn walk(node: &Yaml, key: Option<&str>, source: &SourceFile, found: &mut Vec<Diagnostic>) {
    match &node.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                let name = match &k.kind {
                    Kind::Str(name) => Some(name.as_str()),
                    _ => None,
                };
                walk(v, name, source, found);
            }
        }
        Kind::Seq(items) => {
            for item in items {
                walk(item, key, source, found);
            }
        }
        Kind::Str(_) if node.is_plain(source) => {
            found.extend(cut_by_comment(node, key, source));
            found.extend(item_in_text(node, key, source));
        }
        _ => {}
    }
}

/// A plain value followed on its line by ` #` and a word: the rest was read as a comment.
fn cut_by_comment(node: &Yaml, key: Option<&str>, source: &SourceFile) -> Option<Diagnostic> {
    let text = &source.text;
    let end = node.range.end;
    let rest = text.get(end..)?;
    let line_rest = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
    let hash = line_rest.find('#')?;
    let (gap, comment) = line_rest.split_at(hash);
    // A comment written as one (`# like this`) is left alone; `#1` or `#tag` is text.
    if gap.is_empty()
        || !gap.chars().all(char::is_whitespace)
        || comment[1..].starts_with(char::is_whitespace)
        || comment.len() == 1
    {
        return None;
    }
    let value = text.get(node.range.clone())?;
    let whole = format!("{value}{line_rest}");
    let start = end + hash;
    let subject = key.map_or_else(|| "this value".to_string(), |k| format!("`{k}`"));
    let fix = match key {
        Some(k) => format!("{k}: {}", quote(whole.trim())),
        None => quote(whole.trim()),
    };
    Some(
        Diagnostic::warning(format!(
            "{subject} stops before `{}`: YAML reads ` #` as the start of a comment",
            comment.trim()
        ))
        .at(source, start..start + comment.trim_end().len())
        .help(format!("put the whole value in quotes: `{fix}`")),
    )
}

/// A plain value over several lines, one of which starts with `- `: a list item that
/// became part of the text above it.
fn item_in_text(node: &Yaml, key: Option<&str>, source: &SourceFile) -> Option<Diagnostic> {
    let value = source.text.get(node.range.clone())?;
    let mut offset = 0;
    for (index, line) in value.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if index > 0 && (trimmed.starts_with("- ") || trimmed.trim_end() == "-") {
            let at = node.range.start + offset + (line.len() - trimmed.len());
            let item = trimmed.trim_end();
            let subject = key.map_or_else(|| "this list".to_string(), |k| format!("`{k}`"));
            let first = value.lines().next().unwrap_or("").trim();
            let joined = match &node.kind {
                Kind::Str(text) => text.as_str(),
                _ => first,
            };
            return Some(
                Diagnostic::warning(format!(
                    "the list item `{item}` became part of the text above it: `{joined}`"
                ))
                .at(source, at..at + item.len())
                .help(format!(
                    "indent every item of {subject} the same, each line starting with `- `, e.g.\n{}:\n  - {}\n  {item}",
                    key.unwrap_or("key"),
                    first.trim_start_matches("- ")
                )),
            );
        }
        offset += line.len();
    }
    None
}

/// `yes`, `no`, `on`, `off` (and `y`, `n`) where `true` or `false` was meant.
fn word_boolean(key: &str, value: &Yaml, source: &SourceFile) -> Option<Diagnostic> {
    let Kind::Bool(meaning) = value.kind else {
        return None;
    };
    let written = source.text.get(value.range.clone())?.trim();
    if written.eq_ignore_ascii_case("true") || written.eq_ignore_ascii_case("false") {
        return None;
    }
    Some(
        Diagnostic::warning(format!(
            "`{key}: {written}` is read as `{key}: {meaning}`"
        ))
        .at(source, value.range.clone())
        .help(format!(
            "write `{key}: {meaning}`: `true` and `false` say what they mean; `yes`, `no`, `on` and `off` are easy to misread"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Document;

    fn lints(yaml: &str) -> Vec<(String, String, usize)> {
        let source = SourceFile::new("site.yaml", yaml);
        let tree = Yaml::parse_document(&Document::file(&source, "site.yaml")).unwrap();
        lint(&tree, &source, &["draft"])
            .into_iter()
            .map(|d| {
                let span = d.span.unwrap();
                (d.message, d.help.unwrap_or_default(), span.line)
            })
            .collect()
    }

    #[test]
    fn a_hash_in_a_plain_value_is_a_comment_cutting_it_short() {
        let found =
            lints("title: A\ndescription: x\ntitle2: Stop checking #1 habit\nweight: 2 # second\n");
        assert_eq!(
            found,
            [(
                "`title2` stops before `#1 habit`: YAML reads ` #` as the start of a comment"
                    .into(),
                "put the whole value in quotes: `title2: \"Stop checking #1 habit\"`".into(),
                3
            )]
        );
        assert!(lints("title: \"Stop checking #1 habit\"\n").is_empty());
        assert!(lints("title: A # a real comment\n").is_empty());
    }

    #[test]
    fn word_booleans_are_named() {
        let found = lints("title: A\ndraft: yes\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "`draft: yes` is read as `draft: true`");
        assert!(lints("title: A\ndraft: true\n").is_empty());
        // Only where a boolean is meant: as text, `yes` is text.
        assert!(lints("title: yes\n").is_empty());
    }

    #[test]
    fn a_list_item_swallowed_by_the_text_above_is_named() {
        let found = lints("title: A\ntags:\n- healing\n  - habits\n");
        assert_eq!(
            found[0].0,
            "the list item `- habits` became part of the text above it: `healing - habits`"
        );
        assert_eq!(found[0].2, 4);
        assert!(lints("tags:\n  - healing\n  - habits\n").is_empty());
    }
}
