//! A YAML document as a tree of values, each with the byte range it was written at.
//!
//! The quiz's flow schema is checked by walking this tree by hand rather than by
//! `serde(derive)`: derived deserializers stop at the first unknown key or wrongly typed
//! value, and the quiz compiler must report every problem of a flow in one run. The same
//! tree names the key of a wrongly typed value in front matter and `site.yaml`, and carries
//! the lints. Parsing still goes through [`crate::yaml`] (budgets, duplicate keys refused,
//! spans).

use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::yaml::{self, Document, Spanned};

/// One YAML value and where it was written in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Yaml {
    /// What the value is.
    pub kind: Kind,
    /// Byte range of the value in the file (for a mapping or sequence: where it starts).
    pub range: Range<usize>,
}

/// The kinds of YAML values.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `~`, `null` or nothing at all.
    Null,
    /// `true`, `false` (and the YAML 1.1 spellings such as `yes` and `no`).
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence, in order.
    Seq(Vec<Yaml>),
    /// A mapping, in order; duplicate keys were refused by the parser.
    Map(Vec<(Yaml, Yaml)>),
}

impl Yaml {
    /// Parses a whole file into a tree; a syntax error or duplicate key is one diagnostic.
    pub fn parse(source: &SourceFile) -> Result<Yaml, Diagnostic> {
        Yaml::parse_document(&Document::file(source, "the file"))
    }

    /// Parses a document into a tree whose ranges are byte ranges of its whole file.
    pub fn parse_document(document: &Document) -> Result<Yaml, Diagnostic> {
        let raw: Spanned<RawNode> = yaml::parse_document(document)?;
        Ok(Yaml::from_raw(raw, document.base))
    }

    /// The tree of `yaml` on its own (ranges from its start), or the parser's error: for
    /// explaining an error a typed parse found (which may have stopped before a syntax
    /// error further on).
    pub(super) fn of_text(yaml: &str) -> Result<Yaml, serde_saphyr::Error> {
        let raw: Spanned<RawNode> = serde_saphyr::from_str_with_options(yaml, yaml::options())?;
        Ok(Yaml::from_raw(raw, 0))
    }

    fn from_raw(raw: Spanned<RawNode>, base: usize) -> Yaml {
        let range = yaml::range_of(&raw, base);
        let kind = match raw.value {
            RawNode::Null => Kind::Null,
            RawNode::Bool(b) => Kind::Bool(b),
            RawNode::Int(i) => Kind::Int(i),
            RawNode::Float(f) => Kind::Float(f),
            RawNode::Str(s) => Kind::Str(s),
            RawNode::Seq(items) => Kind::Seq(
                items
                    .into_iter()
                    .map(|item| Yaml::from_raw(item, base))
                    .collect(),
            ),
            RawNode::Map(entries) => Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key = Yaml::from_raw(k, base);
                        let mut value = Yaml::from_raw(v, base);
                        // A value left out (`question:`) has no text of its own: point at its key.
                        if value.kind == Kind::Null && value.range.is_empty() {
                            value.range = key.range.clone();
                        }
                        (key, value)
                    })
                    .collect(),
            ),
        };
        Yaml { kind, range }
    }

    /// The text of a scalar as the author means it: a string's value, or, for a plain
    /// scalar that YAML reads as a boolean or number (`No`, `42`), the text as written.
    /// `None` for null, sequences and mappings.
    pub fn scalar_text(&self, source: &SourceFile) -> Option<String> {
        match &self.kind {
            Kind::Str(text) => Some(text.clone()),
            Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) => {
                source.text.get(self.range.clone()).map(str::to_string)
            }
            Kind::Null | Kind::Seq(_) | Kind::Map(_) => None,
        }
    }

    /// True for a scalar written without quotes and not as a block (`|`, `>`): the kind
    /// YAML reads as a number, a boolean or a comment's start as the text goes.
    pub fn is_plain(&self, source: &SourceFile) -> bool {
        let first = source
            .text
            .get(self.range.clone())
            .and_then(|text| text.chars().next());
        // A block scalar's range starts at its text, after the `|` or `>` line.
        let indicator = source
            .text
            .get(..self.range.start)
            .and_then(|before| before.trim_end().rsplit(char::is_whitespace).next())
            .and_then(|token| token.chars().next());
        !matches!(self.kind, Kind::Seq(_) | Kind::Map(_))
            && !matches!(first, Some('"' | '\''))
            && !matches!(indicator, Some('|' | '>'))
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.kind == Kind::Str(key.to_string()))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// What the value is, in words, for "must be text, not …" messages.
    pub fn describe(&self) -> &'static str {
        match self.kind {
            Kind::Null => "empty",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "a number",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "text",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a set of `name: value` lines",
        }
    }
}

/// The tree as serde-saphyr hands it over, before ranges are computed.
#[derive(Debug)]
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawNode>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_bool<E>(self, value: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(value))
    }
    fn visit_u64<E>(self, value: u64) -> Result<RawNode, E> {
        // Numbers beyond i64 are only ever wrong here (positions, text); keep them as text-ish.
        Ok(i64::try_from(value).map_or(RawNode::Float(value as f64), RawNode::Int))
    }
    fn visit_f64<E>(self, value: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(value))
    }
    fn visit_str<E>(self, value: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(value.to_string()))
    }
    fn visit_string<E>(self, value: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(value))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawNode>>()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Spanned<RawNode>, Spanned<RawNode>>()? {
            entries.push(entry);
        }
        Ok(RawNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (SourceFile, Result<Yaml, Diagnostic>) {
        let source = SourceFile::new("f.yaml", text);
        let tree = Yaml::parse(&source);
        (source, tree)
    }

    #[test]
    fn values_keep_their_ranges() {
        let (source, tree) = parse("a: \"x y\"\nb:\n  - No\n  - 3\n");
        let Kind::Map(entries) = tree.unwrap().kind else {
            panic!("not a map")
        };
        assert_eq!(&source.text[entries[0].0.range.clone()], "a");
        assert_eq!(&source.text[entries[0].1.range.clone()], "\"x y\"");
        assert_eq!(entries[0].1.kind, Kind::Str("x y".into()));
        let Kind::Seq(items) = &entries[1].1.kind else {
            panic!("not a seq")
        };
        assert_eq!(items[0].kind, Kind::Bool(false));
        assert_eq!(items[0].scalar_text(&source).as_deref(), Some("No"));
        assert_eq!(items[1].scalar_text(&source).as_deref(), Some("3"));
    }

    #[test]
    fn plain_scalars_are_told_from_quoted_and_block_ones() {
        let (source, tree) = parse("a: x\nb: \"x\"\nc: |\n  x\nd: >-\n  x\ne: 'x'\n");
        let tree = tree.unwrap();
        let plain: Vec<bool> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|key| tree.get(key).unwrap().is_plain(&source))
            .collect();
        assert_eq!(plain, [true, false, false, false, false]);
    }

    #[test]
    fn duplicate_keys_are_refused_where_written() {
        let (_, tree) = parse("nodes:\n  a: 1\n  b: 2\n  a: 3\n");
        let error = tree.unwrap_err();
        assert_eq!(error.message, "`a` is written twice");
        assert_eq!(error.location(), "f.yaml:4:3");
    }
}
