//! Front matter: the YAML block between `---` lines at the top of a Markdown file.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use serde_json::Value as JsonValue;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::yaml::{self, Document, Spanned, Yaml};

/// Where the front matter and the body lie in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML between the fences.
    pub yaml: Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the front matter fences. A UTF-8 byte order mark and CRLF line endings are accepted.
pub fn split(source: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &*source.text;
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if text[start..].trim().is_empty() {
        return Err(Diagnostic::error("the file is empty")
            .in_file(source.name.clone())
            .help("start the file with front matter:\n---\ntitle: My page\n---\nthen the Markdown text"));
    }
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_line_end].trim_end() != "---" {
        return Err(
            Diagnostic::error("the file does not start with front matter")
                .at(source, start..first_line_end)
                .label("expected `---` here")
                .help(
                    "did you forget to add `---`? Start the file with:\n---\ntitle: My page\n---",
                ),
        );
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == "---" {
            return Ok(Split {
                yaml: yaml_start..line_start,
                body_start: (line_end + 1).min(text.len()),
            });
        }
        line_start = line_end + 1;
    }
    Err(Diagnostic::error("the front matter is never closed")
        .at(source, start..first_line_end)
        .label("front matter opened here")
        .help("add a line with only `---` after the front matter"))
}

/// A page's front matter as written; unknown keys are errors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    /// Page title (required).
    pub title: Spanned<String>,
    /// A shorter title for narrow places: breadcrumbs on phones, a series' contents.
    #[serde(default)]
    pub short_title: Option<String>,
    /// Short description for lists and `<meta name=description>`.
    #[serde(default)]
    pub description: Option<String>,
    /// Publication date, `YYYY-MM-DD` or RFC 3339.
    #[serde(default)]
    pub date: Option<Spanned<String>>,
    /// Date of the last significant update.
    #[serde(default)]
    pub updated: Option<Spanned<String>>,
    /// Drafts are left out unless the build runs with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Order within a section sorted by weight (lower first).
    #[serde(default)]
    pub weight: Option<i64>,
    /// Replaces the file name in the URL.
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    /// Tags, listed on `/tags/` and `/tags/<tag>/`.
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    /// Template to render this page with instead of the section's `page_template`.
    #[serde(default)]
    pub template: Option<Spanned<String>>,
    /// Whether templates should show a table of contents (the theme decides the default).
    #[serde(default)]
    pub toc: Option<bool>,
    /// Old URLs that should redirect here.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// Whether the page is included in the search index (default true).
    #[serde(default)]
    pub search: Option<bool>,
    /// The share image (`og:image`) instead of the card cairn draws: a file beside the
    /// page, a path from the site root, or an absolute URL.
    #[serde(default)]
    pub image: Option<Spanned<String>>,
    /// Free values for templates, as `page.extra`.
    #[serde(default)]
    pub extra: BTreeMap<String, JsonValue>,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// By `weight`, lowest first (the default).
    #[default]
    Weight,
    /// By `date`, newest first.
    Date,
    /// By title, alphabetically.
    Title,
}

impl SortBy {
    const CHOICES: &[(&str, SortBy)] = &[
        ("weight", SortBy::Weight),
        ("date", SortBy::Date),
        ("title", SortBy::Title),
    ];

    /// The choice an editor most likely meant by `word`: a near spelling, or a word that
    /// says the same ("newest" is by date).
    fn meant(word: &str) -> Option<&'static str> {
        let word = word.trim().to_lowercase();
        let by_meaning = match word.as_str() {
            "newest" | "oldest" | "latest" | "recent" | "published" | "chronological" | "time"
            | "updated" => Some("date"),
            "alphabetical" | "alpha" | "name" | "a-z" | "abc" => Some("title"),
            "order" | "manual" | "position" | "rank" | "custom" => Some("weight"),
            _ => None,
        };
        by_meaning
            .or_else(|| crate::suggest::closest(&word, Self::CHOICES.iter().map(|(name, _)| *name)))
    }
}

impl<'de> Deserialize<'de> for SortBy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let written = String::deserialize(deserializer)?;
        if let Some((_, choice)) = Self::CHOICES.iter().find(|(name, _)| *name == written) {
            return Ok(*choice);
        }
        let help = match Self::meant(&written) {
            Some(meant) => format!(
                "did you mean `{meant}`? `date` lists the newest first, `title` from A to Z, `weight` the lowest first"
            ),
            None => "`date` lists the newest first, `title` from A to Z, `weight` the lowest first"
                .to_string(),
        };
        Err(yaml::custom_error(
            "`sort_by` must be one of `weight`, `date`, `title`",
            &help,
        ))
    }
}

/// A section's front matter (`_index.md`); unknown keys are errors.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFrontMatter {
    /// Section title; defaults to the folder name.
    #[serde(default)]
    pub title: Option<Spanned<String>>,
    /// A shorter title for narrow places: breadcrumbs on phones, a series' contents.
    #[serde(default)]
    pub short_title: Option<String>,
    /// Short description.
    #[serde(default)]
    pub description: Option<String>,
    /// Page order.
    #[serde(default)]
    pub sort_by: SortBy,
    /// Order among sibling sections (lower first).
    #[serde(default)]
    pub weight: Option<i64>,
    /// Template for the section page itself.
    #[serde(default)]
    pub template: Option<Spanned<String>>,
    /// Default template for the section's pages.
    #[serde(default)]
    pub page_template: Option<Spanned<String>>,
    /// Split the section's page list into pages of this many entries.
    #[serde(default)]
    pub paginate_by: Option<Spanned<usize>>,
    /// Whether the section page is included in the search index (default true).
    #[serde(default)]
    pub search: Option<bool>,
    /// A reading order that starts at this section's page (see [`SeriesFrontMatter`]).
    #[serde(default)]
    pub series: Option<SeriesFrontMatter>,
    /// The share image (`og:image`) instead of the card cairn draws (see the page's).
    #[serde(default)]
    pub image: Option<Spanned<String>>,
    /// Free values for templates, as `section.extra`.
    #[serde(default)]
    pub extra: BTreeMap<String, JsonValue>,
}

/// Keys of a page's front matter that take `true` or `false`.
pub const PAGE_BOOLEANS: &[&str] = &["draft", "toc", "search"];

/// Keys of a section's front matter that take `true` or `false`.
pub const SECTION_BOOLEANS: &[&str] = &["search"];

/// The front matter of `source` as a YAML document: its text, and the opening `---` that
/// a missing required key points at.
fn document<'a>(source: &'a SourceFile, split: &Split) -> Document<'a> {
    let opening = source.text[..split.yaml.start]
        .trim_end_matches(['\n', '\r'])
        .len();
    let opening_start = source.text[..opening].rfind('\n').map_or(0, |i| i + 1);
    Document {
        source,
        base: split.yaml.start,
        len: split.yaml.len(),
        opening: (opening_start, opening),
        name: "the front matter",
    }
}

/// `series:` in a section's front matter: a guide read part by part. The section's own page
/// is the first part; `parts` lists the rest in reading order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesFrontMatter {
    /// What the series is called in its contents list (default: the section's title).
    #[serde(default)]
    pub title: Option<String>,
    /// The parts after the section's page, in reading order.
    pub parts: Vec<Spanned<SeriesPart>>,
}

/// One entry of `series.parts`: a path written like a Markdown link (a page, a quiz flow, or
/// a section, which stands for its pages in the section's order), either alone or as
/// `{ path: …, label: … }`, where `label` numbers a section's pages ("Reason 3 of 8").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesPart {
    /// The path, relative to the `_index.md` that lists it.
    pub path: String,
    /// The word before each page's number within a listed section.
    pub label: Option<String>,
}

impl<'de> Deserialize<'de> for SeriesPart {
    /// Hand-written because serde's untagged enums name Rust types in their errors: a part
    /// is a string or a map with `path` and `label`, and every mistake says so in words.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PartVisitor;
        impl<'de> serde::de::Visitor<'de> for PartVisitor {
            type Value = SeriesPart;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a path such as `experts.md`, or `{ path: reasons/_index.md, label: Reason }`",
                )
            }

            fn visit_str<E: serde::de::Error>(self, path: &str) -> Result<SeriesPart, E> {
                Ok(SeriesPart {
                    path: path.to_string(),
                    label: None,
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<SeriesPart, A::Error> {
                let mut path = None;
                let mut label = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "path" => path = Some(map.next_value::<String>()?),
                        "label" => label = Some(map.next_value::<String>()?),
                        other => {
                            return Err(serde::de::Error::unknown_field(other, &["path", "label"]));
                        }
                    }
                }
                let path = path.ok_or_else(|| serde::de::Error::missing_field("path"))?;
                Ok(SeriesPart { path, label })
            }
        }
        deserializer.deserialize_any(PartVisitor)
    }
}

/// Keys only a page takes, and keys only a section takes: written in the other kind of file,
/// they are told where they belong rather than only "unknown".
const PAGE_ONLY: &[&str] = &["date", "updated", "draft", "slug", "tags", "toc", "aliases"];
const SECTION_ONLY: &[&str] = &["sort_by", "page_template", "paginate_by", "series"];

/// A page's front matter (see [`parse`]).
pub fn parse_page(source: &SourceFile) -> Result<(PageFrontMatter, Split), Diagnostic> {
    parse(source).map_err(|error| misplaced(error, false))
}

/// A section's front matter, from its `_index.md` (see [`parse`]).
pub fn parse_section(source: &SourceFile) -> Result<(SectionFrontMatter, Split), Diagnostic> {
    parse(source).map_err(|error| misplaced(error, true))
}

/// "unknown key" for a key of the other kind of file, said as such.
fn misplaced(mut error: Diagnostic, in_section: bool) -> Diagnostic {
    let Some(key) = (error.message.strip_prefix("unknown key `"))
        .and_then(|rest| rest.strip_suffix('`'))
        .map(str::to_string)
    else {
        return error;
    };
    let help = error.help.take().unwrap_or_default();
    // For a key of the other kind, a "did you mean" would point at the wrong fix.
    let known = match help.find("nown keys: ") {
        Some(at) => format!("k{}", &help[at..]),
        None => help.clone(),
    };
    if in_section && PAGE_ONLY.contains(&key.as_str()) {
        error.message = format!("`{key}` is a page's key: a section's `_index.md` has none");
        let what = match key.as_str() {
            "date" | "updated" => {
                "a section is not dated, its pages are; to list them by date, write `sort_by: date`"
                    .to_string()
            }
            "draft" => "a section cannot be a draft: mark its pages `draft: true`".to_string(),
            _ => "remove the line, or move it to a page".to_string(),
        };
        error.help = Some(format!("{what}; {known}"));
    } else if !in_section && SECTION_ONLY.contains(&key.as_str()) {
        error.message = format!("`{key}` is a section's key: it goes in the section's `_index.md`");
        error.help = Some(format!(
            "move the line to the `_index.md` of the folder that holds this page; {known}"
        ));
    } else {
        error.help = Some(help);
    }
    error
}

/// Parses the front matter of `source` into `T`; returns it with the split.
pub fn parse<T: for<'de> Deserialize<'de>>(source: &SourceFile) -> Result<(T, Split), Diagnostic> {
    let split = split(source)?;
    let document = document(source, &split);
    if document.text().trim().is_empty() {
        // An empty block still has to satisfy required keys: parse `{}` at the fence.
        let empty = SourceFile::new(source.name.clone(), "{}");
        let parsed = yaml::parse_document(&Document {
            source: &empty,
            base: 0,
            len: 2,
            opening: (0, 0),
            name: "the front matter",
        })
        .map_err(|error| {
            Diagnostic::error(format!("{} (it is empty)", error.message))
                .at(source, document.opening.0..document.opening.1)
                .maybe_help(error.help)
        })?;
        return Ok((parsed, split));
    }
    let parsed = yaml::parse_document(&document)?;
    Ok((parsed, split))
}

/// Warnings for the YAML traps in front matter that parsed (see [`yaml::lints`]);
/// `booleans` are the keys that take `true` or `false`.
pub fn lint(source: &SourceFile, split: &Split, booleans: &[&str]) -> Vec<Diagnostic> {
    let document = document(source, split);
    if !yaml::lints::may_hold_traps(document.text(), booleans) {
        return Vec::new();
    }
    match Yaml::parse_document(&document) {
        Ok(tree) => yaml::lints::lint(&tree, source, booleans),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/a.md", text)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let source = file("---\ntitle: A\n---\nBody\n");
        let split = split(&source).unwrap();
        assert_eq!(&source.text[split.yaml], "title: A\n");
        assert_eq!(&source.text[split.body_start..], "Body\n");
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let source = file("\u{feff}---\r\ntitle: A\r\n---\r\nBody");
        let (front, split): (PageFrontMatter, _) = parse(&source).unwrap();
        assert_eq!(front.title.value, "A");
        assert_eq!(&source.text[split.body_start..], "Body");
    }

    #[test]
    fn a_dash_line_in_the_body_does_not_end_anything() {
        let source = file("---\ntitle: A\n---\n```\n---\n```\n");
        let split = split(&source).unwrap();
        assert_eq!(&source.text[split.body_start..], "```\n---\n```\n");
    }

    #[test]
    fn missing_and_unclosed_front_matter_are_errors() {
        let error = split(&file("# Hello\n")).unwrap_err();
        assert_eq!(error.location(), "content/a.md:1:1");
        assert!(error.help.unwrap().contains("did you forget"));
        let error = split(&file("---\ntitle: A\nbody")).unwrap_err();
        assert_eq!(error.message, "the front matter is never closed");
        let error = split(&file("")).unwrap_err();
        assert_eq!(error.message, "the file is empty");
    }

    #[test]
    fn series_parts_are_paths_or_paths_with_a_label() {
        let source = file(
            "---\nseries:\n  parts:\n    - experts.md\n    - { path: reasons/_index.md, label: Reason }\n---\n",
        );
        let (front, _): (SectionFrontMatter, _) = parse(&source).unwrap();
        let series = front.series.unwrap();
        assert_eq!(series.title, None);
        let parts: Vec<&SeriesPart> = series.parts.iter().map(|p| &p.value).collect();
        assert_eq!(
            parts,
            [
                &SeriesPart {
                    path: "experts.md".into(),
                    label: None
                },
                &SeriesPart {
                    path: "reasons/_index.md".into(),
                    label: Some("Reason".into())
                },
            ]
        );
    }

    #[test]
    fn a_series_part_of_another_shape_is_explained() {
        let error = parse::<SectionFrontMatter>(&file(
            "---\nseries:\n  parts:\n    - { label: Reason }\n---\n",
        ))
        .unwrap_err();
        assert!(error.message.contains("`path`"), "{}", error.message);
        let error =
            parse::<SectionFrontMatter>(&file("---\nseries:\n  parts:\n    - [a, b]\n---\n"))
                .unwrap_err();
        assert!(
            error.message.contains("a path such as `experts.md`"),
            "{}",
            error.message
        );
        assert_eq!(error.span.unwrap().line, 4);
    }

    #[test]
    fn a_key_of_the_other_kind_of_file_says_where_it_belongs() {
        let error = parse_section(&file("---\ntitle: A\ndate: 2024-01-01\n---\n")).unwrap_err();
        assert_eq!(
            error.message,
            "`date` is a page's key: a section's `_index.md` has none"
        );
        assert_eq!(error.location(), "content/a.md:3:1");
        assert!(error.help.unwrap().contains("sort_by: date"));
        let error = parse_page(&file("---\ntitle: A\nsort_by: date\n---\n")).unwrap_err();
        assert_eq!(
            error.message,
            "`sort_by` is a section's key: it goes in the section's `_index.md`"
        );
        let error = parse_page(&file("---\ntitle: A\ntitel: B\n---\n")).unwrap_err();
        assert_eq!(error.message, "unknown key `titel`");
        assert!(error.help.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn missing_title_and_unknown_keys_are_errors() {
        // A missing key points at the opening `---`.
        let error = parse::<PageFrontMatter>(&file("---\ndescription: x\ndate: 2024-01-01\n---\n"))
            .unwrap_err();
        assert_eq!(error.message, "the front matter has no `title`");
        assert_eq!(error.location(), "content/a.md:1:1");
        assert_eq!(error.span.unwrap().len, 3);
        let error = parse::<PageFrontMatter>(&file("---\ntitle: A\ntitel: B\n---\n")).unwrap_err();
        assert_eq!(error.location(), "content/a.md:3:1");
        let error = parse::<PageFrontMatter>(&file("---\n---\n")).unwrap_err();
        assert_eq!(
            error.message,
            "the front matter has no `title` (it is empty)"
        );
        assert_eq!(error.location(), "content/a.md:1:1");
    }

    #[test]
    fn sort_by_names_its_choices_and_what_was_meant() {
        let error = parse::<SectionFrontMatter>(&file("---\ntitle: A\nsort_by: newest\n---\n"))
            .unwrap_err();
        assert_eq!(
            error.message,
            "`sort_by` must be one of `weight`, `date`, `title`"
        );
        assert_eq!(error.location(), "content/a.md:3:10");
        assert!(error.help.unwrap().starts_with("did you mean `date`?"));
        let (front, _) = parse::<SectionFrontMatter>(&file("---\nsort_by: title\n---\n")).unwrap();
        assert_eq!(front.sort_by, SortBy::Title);
    }

    #[test]
    fn traps_are_warnings_in_the_whole_file() {
        let source = file("---\ntitle: Stop checking #1 habit\ndraft: yes\n---\n");
        let split = split(&source).unwrap();
        let found: Vec<String> = lint(&source, &split, PAGE_BOOLEANS)
            .iter()
            .map(|d| format!("{}: {}", d.location(), d.message))
            .collect();
        assert_eq!(
            found,
            [
                "content/a.md:2:22: `title` stops before `#1 habit`: YAML reads ` #` as the start of a comment",
                "content/a.md:3:8: `draft: yes` is read as `draft: true`",
            ]
        );
    }
}
