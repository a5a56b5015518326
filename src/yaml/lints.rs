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

/// Whether `yaml` may hold one of the traps [`lint`] finds, from its text alone: false only
/// when none can be there, so that front matter without them (most of it) is not parsed a
/// second time into a tree. `booleans` are the keys [`lint`] is given.
///
/// Each trap needs something a scan sees: a comment cut needs a `#`; a word boolean needs
/// the key's name (or a `\` escape spelling it); a list item joined to the text above
/// needs a line starting with `-` that does not start an item of a list, that is, one
/// that follows neither a key line ending in `:` nor an item of the same list (an item
/// line at the same column). Lines holding brackets or quotes do not count as either, as
/// a flow collection or quoted text may run on to the next line.
pub fn may_hold_traps(yaml: &str, booleans: &[&str]) -> bool {
    if yaml.contains(['#', '\\']) || booleans.iter().any(|key| yaml.contains(key)) {
        return true;
    }
    let dash_at = |line: &str| {
        let item = line.trim_start();
        let rest = item.strip_prefix('-')?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| line.len() - item.len())
    };
    let mut previous: Option<&str> = None;
    for line in yaml.split('\n') {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(column) = dash_at(line) {
            let starts_an_item = previous.is_none_or(|above| {
                let plain = !above.contains(['[', '{', '"', '\'', '|', '>']);
                plain && (above.trim_end().ends_with(':') || dash_at(above) == Some(column))
            });
            if !starts_an_item {
                return true;
            }
        }
        previous = Some(line);
    }
    false
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

    #[test]
    fn only_yaml_that_may_hold_a_trap_is_linted() {
        for trap in [
            "title: Stop checking #1 habit\n",
            "title: A\ndraft: on\n",
            "\"dr\\x61ft\": on\n",
            "tags:\n- healing\n  - habits\n",
            "title: A\n  - b\n",
            "tags: [a,\n- b]\n",
            "- [a,\n- b]\n",
        ] {
            assert!(may_hold_traps(trap, &["draft"]), "{trap:?}");
        }
        for clean in [
            "title: \"A\"\ndate: 2024-01-02\ntags: [a, b]\nweight: 3\n",
            "tags:\n  - healing\n  - habits\n",
            "tags:\r\n- a\r\n- b\r\n",
        ] {
            assert!(!may_hold_traps(clean, &["draft"]), "{clean:?}");
        }
    }

    /// A line of YAML in one of the shapes front matter has (a key and its value, a list
    /// item, a key opening a block, a line continuing the one above), indented at random,
    /// with values that open or close flow collections and quotes across lines. No `#`,
    /// `\\` nor the boolean key's name, which [`may_hold_traps`] always lets through.
    fn line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let indent = prop::sample::select(vec!["", "", " ", "  ", "    ", "\t"]);
        let key = prop::sample::select(vec!["title", "tags", "k", "list", "a", "b", "c", "d"]);
        let value = prop::sample::select(vec![
            "x",
            "two words",
            "- y",
            "a - b",
            "yes",
            "on",
            "[a, b]",
            "[a,",
            "b]",
            "{a: 1}",
            "{a:",
            "1}",
            "\"q",
            "q\"",
            "'s",
            "s'",
            "|",
            ">",
            "x:",
            "&n v",
            "*n",
            "!!str v",
            "-",
            "- - z",
            "2024-01-02",
        ]);
        let shape = prop::sample::select(vec![0u8, 0, 0, 1, 1, 2, 3, 4, 5]);
        (indent, shape, key, value).prop_map(|(indent, shape, key, value)| match shape {
            0 => format!("{indent}{key}: {value}"),
            1 => format!("{indent}- {value}"),
            2 => format!("{indent}{key}:"),
            3 => format!("{indent}{value}"),
            4 => format!("{indent}- {key}: {value}"),
            _ => format!("{indent}-"),
        })
    }

    /// Builds front matter from a tape of choices: a mapping of unique keys whose values
    /// are plain text (over several lines at times, with lines that start with `-` among
    /// them), quoted text, flow lists, block text, nested mappings and lists, at the
    /// indentations YAML allows. Most of what it builds parses, so the pre-filter is tried
    /// on the shapes real front matter has, traps included; what does not parse is fine too.
    struct Tape<'a> {
        choices: &'a [u8],
        at: usize,
        yaml: String,
    }

    impl Tape<'_> {
        fn pick(&mut self, count: usize) -> usize {
            let choice = self.choices.get(self.at).copied().unwrap_or(0);
            self.at += 1;
            usize::from(choice) % count
        }

        fn one<'b>(&mut self, of: &[&'b str]) -> &'b str {
            of[self.pick(of.len())]
        }

        fn line(&mut self, indent: usize, text: &str) {
            self.yaml.push_str(&" ".repeat(indent));
            self.yaml.push_str(text);
        }

        fn map(&mut self, indent: usize, depth: usize, first_inline: bool) {
            let keys = ["title", "tags", "a", "b", "summary", "k"];
            let count = 1 + self.pick(if depth == 0 { 6 } else { 3 });
            for (n, key) in keys.iter().take(count).enumerate() {
                if n == 0 && first_inline {
                    self.yaml.push_str(key);
                } else {
                    self.line(indent, key);
                }
                self.yaml.push(':');
                self.value(indent, depth);
                if self.pick(6) == 0 {
                    self.yaml.push('\n');
                }
            }
        }

        /// What follows `key:` in a mapping at `indent`.
        fn value(&mut self, indent: usize, depth: usize) {
            match self.pick(if depth > 2 { 2 } else { 6 }) {
                0 => {
                    self.yaml.push(' ');
                    self.plain(indent);
                }
                1 => {
                    let value = self.one(&[
                        "\"q: x\"",
                        "'it''s'",
                        "[a, b]",
                        "{a: 1}",
                        "3",
                        "2024-01-02",
                        "[a,\n  b]",
                        "\"two\n  - lines\"",
                    ]);
                    self.yaml.push(' ');
                    self.yaml.push_str(value);
                    self.yaml.push('\n');
                }
                2 | 3 => {
                    self.yaml.push('\n');
                    let under = indent + [0, 2, 4][self.pick(3)];
                    self.list(under, depth + 1);
                }
                4 => {
                    self.yaml.push('\n');
                    let under = indent + [1, 2, 4][self.pick(3)];
                    self.map(under, depth + 1, false);
                }
                _ => {
                    let style = self.one(&[" |", " >", " |-"]);
                    self.yaml.push_str(style);
                    self.yaml.push('\n');
                    for _ in 0..1 + self.pick(3) {
                        let text = self.one(&["text", "- item", "k: v", "x:", "-"]);
                        self.line(indent + 2, text);
                        self.yaml.push('\n');
                    }
                }
            }
        }

        /// Plain text starting on the current line, continued on lines indented past
        /// `indent`, some of which start with `-`.
        fn plain(&mut self, indent: usize) {
            let first = self.one(&["x", "two words", "a - b", "x-", "yes", "-x", "on"]);
            self.yaml.push_str(first);
            self.yaml.push('\n');
            for _ in 0..self.pick(4).saturating_sub(1) {
                if self.pick(5) == 0 {
                    self.yaml.push('\n');
                }
                let text = self.one(&["more words", "- joined", "-", "x -", "--", "-- y", "x:"]);
                let deeper = 1 + self.pick(3);
                self.line(indent + deeper, text);
                self.yaml.push('\n');
            }
        }

        fn list(&mut self, indent: usize, depth: usize) {
            for _ in 0..1 + self.pick(3) {
                self.line(indent, "-");
                match self.pick(if depth > 2 { 2 } else { 5 }) {
                    0 => {
                        self.yaml.push(' ');
                        self.plain(indent);
                    }
                    1 => {
                        let value = self.one(&["\"q\"", "[a, b]", "'s'", ""]);
                        if !value.is_empty() {
                            self.yaml.push(' ');
                        }
                        self.yaml.push_str(value);
                        self.yaml.push('\n');
                    }
                    2 => {
                        self.yaml.push(' ');
                        self.map(indent + 2, depth + 1, true);
                    }
                    3 => {
                        self.yaml.push(' ');
                        self.list_inline(indent + 2);
                    }
                    _ => {
                        self.yaml.push('\n');
                        self.list(indent + 2, depth + 1);
                    }
                }
            }
        }

        /// A list opening on the line of the item holding it (`- - a`).
        fn list_inline(&mut self, indent: usize) {
            self.yaml.push_str("- ");
            self.plain(indent);
            for _ in 0..self.pick(3) {
                self.line(indent, "- ");
                self.plain(indent);
            }
        }
    }

    fn front_matter(choices: &[u8], crlf: bool) -> String {
        let mut tape = Tape {
            choices,
            at: 0,
            yaml: String::new(),
        };
        tape.map(0, 0, false);
        if crlf {
            tape.yaml.replace('\n', "\r\n")
        } else {
            tape.yaml
        }
    }

    /// Whether the pre-filter passes over `yaml` although the lints find a trap in it;
    /// `None` when it does not parse.
    fn missed(yaml: &str) -> Option<Vec<Diagnostic>> {
        let source = SourceFile::new("site.yaml", yaml);
        let tree = Yaml::parse_document(&Document::file(&source, "site.yaml")).ok()?;
        Some(lint(&tree, &source, &["draft"]))
    }

    #[test]
    fn the_front_matter_builder_reaches_the_shapes_the_pre_filter_passes_over() {
        // Enough of what is built parses, spans several lines, and is passed over, for
        // the property below to say something.
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let tapes = proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80);
        let (mut parsed, mut passed_over, mut caught) = (0, 0, 0);
        for _ in 0..2000 {
            use proptest::strategy::{Strategy, ValueTree};
            let choices = tapes.new_tree(&mut runner).expect("a tape").current();
            let yaml = front_matter(&choices, false);
            let Some(found) = missed(&yaml) else { continue };
            parsed += 1;
            if !may_hold_traps(&yaml, &["draft"]) {
                if yaml.lines().count() >= 3 {
                    passed_over += 1;
                }
            } else if !found.is_empty() {
                caught += 1;
            }
        }
        assert!(parsed > 1000, "{parsed} of 2000 parsed");
        assert!(passed_over > 300, "{passed_over} passed over");
        assert!(caught > 100, "{caught} traps caught");
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4000))]
        #[test]
        fn front_matter_passed_over_holds_no_trap(
            choices in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
            crlf in proptest::prelude::any::<bool>(),
        ) {
            let yaml = front_matter(&choices, crlf);
            if !may_hold_traps(&yaml, &["draft"])
                && let Some(found) = missed(&yaml)
            {
                proptest::prop_assert!(found.is_empty(), "{yaml:?}: {found:?}");
            }
        }

        #[test]
        fn yaml_passed_over_holds_no_trap(lines in proptest::collection::vec(line(), 1..7)) {
            let yaml = lines.join("\n");
            if !may_hold_traps(&yaml, &["draft"]) {
                let source = SourceFile::new("site.yaml", yaml.as_str());
                if let Ok(tree) = Yaml::parse_document(&Document::file(&source, "site.yaml")) {
                    let found = lint(&tree, &source, &["draft"]);
                    proptest::prop_assert!(found.is_empty(), "{yaml:?}: {found:?}");
                }
            }
        }
    }
}
