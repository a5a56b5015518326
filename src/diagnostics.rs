//! Diagnostics: one type for every problem cairn reports, whatever stage found it.
//!
//! A [`Diagnostic`] names the file, the line and the column of the offending text, keeps a
//! copy of that source line so it can be shown with a caret, and may carry a help line. The
//! same value is rendered for a terminal (rustc style, via `annotate-snippets`) and can be
//! serialized for other front ends.
//!
//! Problems travel in one of two shapes:
//! - a check of one thing that fails with one problem returns `Result<T, Diagnostic>`;
//! - a stage that can find many problems takes `problems: &mut Diagnostics`, reports into
//!   it (errors and warnings alike) and returns what it made, or `None` when it could make
//!   nothing. The pipeline decides where errors stop it, with
//!   [`Diagnostics::stop_on_errors`], and a whole run returns `Result<_, Diagnostics>`.

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::{Deserialize, Serialize};

/// How bad a problem is: errors fail the build, warnings are only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// Worth fixing, but the site is still built.
    Warning,
}

/// A place in a source file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSpan {
    /// 1-based line number in the whole file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Length of the underlined text in characters (at least 1 when rendered).
    pub len: usize,
    /// The full text of the line, so the diagnostic can show it without the file.
    pub line_text: String,
}

/// One problem found in the site's input, ready to be shown to the person who can fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file, as a path relative to the site root where possible.
    pub file: Option<String>,
    /// Where in the file, when known.
    pub span: Option<SourceSpan>,
    /// A short label under the caret.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a message and nothing else yet.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    /// A warning with a message and nothing else yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    /// A problem of the given severity, for checks whose severity depends on the finding.
    pub fn with_severity(severity: Severity, message: impl Into<String>) -> Self {
        Self::new(severity, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: None,
            span: None,
            label: None,
            help: None,
        }
    }

    /// Names the file without pointing into it (for problems with the whole file).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points at a byte range of a source file.
    pub fn at(mut self, source: &SourceFile, range: Range<usize>) -> Self {
        self.file = Some(source.name.clone());
        self.span = Some(source.span(range));
        self
    }

    /// Adds the label shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a help line saying what to do.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a help line when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// True for errors, which fail the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> String {
        match (&self.file, &self.span) {
            (Some(f), Some(s)) => format!("{f}:{}:{}", s.line, s.column),
            (Some(f), None) => f.clone(),
            (None, _) => String::new(),
        }
    }

    /// Renders the diagnostic rustc-style; `color` adds ANSI styles.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        let line_text;
        match (&self.file, &self.span) {
            (Some(file), Some(span)) => {
                line_text = span.line_text.clone();
                let start = char_to_byte(&line_text, span.column.saturating_sub(1));
                let end = char_to_byte(&line_text, span.column.saturating_sub(1) + span.len.max(1));
                let mut annotation = AnnotationKind::Primary.span(start..end.max(start));
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                group = group.element(
                    Snippet::source(line_text.as_str())
                        .line_start(span.line)
                        .path(file.as_str())
                        .annotation(annotation),
                );
            }
            (Some(file), None) => {
                group = group.element(annotate_snippets::Origin::path(file.as_str()));
            }
            _ => {}
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        renderer.render(&report)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Byte index of the `chars`-th character of `text`, clamped to its end.
fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(index, _)| index)
}

/// A count and its noun, in the one plural style of every message: "1 error",
/// "2 errors", "0 pages". Nouns take an `s`; the few cairn counts need nothing more.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// An input/output error in plain words, without the operating system's error number.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let words = match error.kind() {
        ErrorKind::NotFound => "no such file or folder",
        ErrorKind::PermissionDenied => "permission denied",
        ErrorKind::AlreadyExists => "it already exists",
        ErrorKind::StorageFull => "the disk is full",
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only",
        ErrorKind::IsADirectory => "it is a folder, not a file",
        ErrorKind::NotADirectory => "a part of the path is a file, not a folder",
        ErrorKind::DirectoryNotEmpty => "the folder is not empty",
        ErrorKind::InvalidFilename => "the name is not valid here",
        ErrorKind::FileTooLarge => "the file is too large",
        ErrorKind::Interrupted => "interrupted",
        ErrorKind::InvalidData => "the file is not valid text",
        _ => "",
    };
    if !words.is_empty() {
        return words.to_string();
    }
    without_error_number(&error.to_string())
}

/// An error's text without the operating system's error number (` (os error 28)`), for
/// errors that are not [`std::io::Error`]s but carry one's text.
pub fn without_error_number(text: &str) -> String {
    match text.find(" (os error") {
        Some(cut) => {
            let rest = &text[cut + 1..];
            let end = rest.find(')').map_or(text.len(), |i| cut + 1 + i + 1);
            format!("{}{}", &text[..cut], &text[end..])
        }
        None => text.to_string(),
    }
}

/// A source file's text with a line index, so byte offsets become line:column.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics (relative to the site root).
    pub name: String,
    /// The whole text of the file.
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Indexes `text` for line lookups; `name` is how diagnostics will name the file.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Lets go of the text (the name stays): for a build that will point into the file no
    /// more and needs the memory for later stages.
    pub fn release_text(&mut self) {
        self.text = Arc::from("");
        self.line_starts = vec![0];
    }

    /// The display name of a file below `root`.
    pub fn display_name(root: &Path, path: &Path) -> String {
        let name = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
        // `\` separates folders only on Windows; elsewhere it is part of a name.
        if cfg!(windows) {
            name.replace('\\', "/")
        } else {
            name.into_owned()
        }
    }

    /// Line, column and line text of a byte range (clamped to the file).
    pub fn span(&self, range: Range<usize>) -> SourceSpan {
        let start = floor_char_boundary(&self.text, range.start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, range.end.clamp(start, self.text.len()));
        let line_index = match self.line_starts.binary_search(&start) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let line_end = self
            .line_starts
            .get(line_index + 1)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        let line_text = self.text[line_start..line_end.max(line_start)]
            .trim_end_matches('\r')
            .to_string();
        let column = self.text[line_start..start].chars().count() + 1;
        let visible_end = end.min(line_start + line_text.len()).max(start);
        let len = self.text[start..visible_end].chars().count();
        SourceSpan {
            line: line_index + 1,
            column,
            len,
            line_text,
        }
    }

    /// Byte offset of the start of 1-based `line` (clamped to the end of the file).
    pub fn line_offset(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// All problems found by one run, errors and warnings together. Reads as a slice of
/// [`Diagnostic`]s.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl std::ops::Deref for Diagnostics {
    type Target = [Diagnostic];
    fn deref(&self) -> &[Diagnostic] {
        &self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(items: I) -> Self {
        Diagnostics(items.into_iter().collect())
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, items: I) {
        self.0.extend(items);
    }
}

impl Diagnostics {
    /// `Err` with every problem so far when one of them is an error, leaving this empty:
    /// where the pipeline stops, `problems.stop_on_errors()?`.
    pub fn stop_on_errors(&mut self) -> Result<(), Diagnostics> {
        if self.has_errors() {
            let mut problems = std::mem::take(self);
            problems.sort();
            Err(problems)
        } else {
            Ok(())
        }
    }

    /// Keeps only the problems `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.0.retain(keep);
    }

    /// Changes every problem in place (e.g. `--strict` turning warnings into errors).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Diagnostic> {
        self.0.iter_mut()
    }

    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// "1 error, 2 warnings": both counts, for summary lines.
    pub fn tally(&self) -> String {
        format!(
            "{}, {}",
            count(self.error_count(), "error"),
            count(self.warning_count(), "warning")
        )
    }

    /// Sorts by file, then position, so output is stable whatever order stages ran in.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    d.file.clone(),
                    d.span.as_ref().map(|s| (s.line, s.column)),
                    d.severity,
                    d.message.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        self.0.dedup();
    }

    /// Renders every diagnostic, separated by blank lines.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for diagnostic in &self.0 {
            out.push_str(&diagnostic.render(color));
            out.push_str("\n\n");
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_are_words_without_error_numbers() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason(&missing), "no such file or folder");
        let raw = std::io::Error::from_raw_os_error(28);
        assert!(!io_reason(&raw).contains("os error"), "{}", io_reason(&raw));
        assert_eq!(
            without_error_number("cannot watch (os error 24): too many"),
            "cannot watch: too many"
        );
    }

    #[test]
    fn counts_have_one_plural_style() {
        assert_eq!(count(1, "error"), "1 error");
        assert_eq!(count(2, "error"), "2 errors");
        assert_eq!(count(0, "page"), "0 pages");
        let problems: Diagnostics = [Diagnostic::error("a"), Diagnostic::warning("b")]
            .into_iter()
            .collect();
        assert_eq!(problems.tally(), "1 error, 1 warning");
    }

    #[test]
    fn byte_offsets_become_lines_and_character_columns() {
        let file = SourceFile::new("a.md", "first\nsé cond\r\nthird");
        let span = file.span(10..14);
        assert_eq!((span.line, span.column, span.len), (2, 4, 4));
        assert_eq!(span.line_text, "sé cond");
        let last = file.span(17..20);
        assert_eq!((last.line, last.column), (3, 2));
    }

    #[test]
    fn out_of_range_offsets_are_clamped() {
        let file = SourceFile::new("a.md", "é");
        let span = file.span(1..99);
        assert_eq!((span.line, span.column), (1, 1));
    }

    #[test]
    fn plain_rendering_has_rustc_shape() {
        let file = SourceFile::new("content/a.md", "---\ntitel: x\n---\n");
        let text = Diagnostic::error("unknown field `titel`")
            .at(&file, 4..9)
            .label("not a front matter key")
            .help("did you mean `title`?")
            .render(false);
        assert!(text.contains("error: unknown field `titel`"), "{text}");
        assert!(text.contains("--> content/a.md:2:1"), "{text}");
        assert!(text.contains("titel: x"), "{text}");
        assert!(text.contains("^^^^^ not a front matter key"), "{text}");
        assert!(text.contains("help: did you mean `title`?"), "{text}");
    }
}
