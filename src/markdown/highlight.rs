//! Syntax highlighting of fenced code with syntect, written as CSS classes
//! (never inline styles), and the stylesheet for those classes.
//!
//! syntect's regexes manage a few hundred KB a second on ordinary code and slow down badly
//! on very long lines, so highlighting has bounds: per line, per block (size and time), per
//! page and per build. A block over any of them is written as plain escaped text, exactly as
//! a block in an unknown language, and the renderer warns about it.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::line_memo;

/// Prefix of every highlighting class, so they never clash with theme classes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Code blocks larger than this are written as plain escaped text: the
/// highlighter's cost is not worth it and pathological inputs stay cheap.
const MAX_HIGHLIGHTED_BYTES: usize = 256 * 1024;

/// A code block with a line longer than this many characters is written as plain text
/// too (minified or generated code): some grammars take time in the square of a line's
/// length, and no real code line comes close.
const MAX_HIGHLIGHTED_LINE_CHARS: usize = 5_000;

/// Highlighting is skipped for a page's code blocks once this many bytes of
/// its code have been highlighted (further blocks are plain escaped text): syntect's pure-Rust regexes manage a few
/// hundred KB per second, so this bounds the time one page can take.
pub(super) const PAGE_HIGHLIGHT_BUDGET_BYTES: usize = 512 * 1024;

/// Bytes of code one build may highlight, across all its pages: a few minutes of one core
/// at syntect's speed, while 10,000 pages with a 2 KB code block each need 20 MB.
pub(super) const SITE_HIGHLIGHT_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// How long highlighting one block may take; the highlighter is stopped between lines once
/// it is spent and the block is written plain. Only pathological blocks come near it, so
/// only their output depends on the machine's speed; every other block is highlighted the
/// same everywhere.
pub(super) const BLOCK_HIGHLIGHT_TIME_LIMIT: Duration = Duration::from_secs(2);

/// Bytes of code a build may still highlight, shared by every page it renders in parallel.
///
/// Once it is spent, later blocks are written plain; which blocks those are depends on the
/// order the threads render pages in, which matters only for a site with more code than
/// the budget (64 MB by default). Budgets compare equal: they bound work, they are not an
/// option that changes what a page means.
#[derive(Debug, Clone)]
pub struct HighlightBudget {
    remaining: Arc<AtomicUsize>,
    total: usize,
    /// Set by the first block the budget refuses, so the build warns once.
    exhausted: Arc<AtomicBool>,
}

impl HighlightBudget {
    /// A budget of `bytes` bytes of code, for a build or for tests.
    pub fn new(bytes: usize) -> Self {
        HighlightBudget {
            remaining: Arc::new(AtomicUsize::new(bytes)),
            total: bytes,
            exhausted: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The size the budget started with.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Takes `bytes` from the budget; `Err(first)` when too little is left, `first` being
    /// true for the first refusal of the build (the one to warn about).
    pub fn take(&self, bytes: usize) -> Result<(), bool> {
        let taken = self
            .remaining
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            });
        match taken {
            Ok(_) => Ok(()),
            Err(_) => Err(!self.exhausted.swap(true, Ordering::Relaxed)),
        }
    }
}

impl Default for HighlightBudget {
    fn default() -> Self {
        HighlightBudget::new(SITE_HIGHLIGHT_BUDGET_BYTES)
    }
}

impl PartialEq for HighlightBudget {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for HighlightBudget {}

/// Highlighted blocks kept between builds, by content: a block an earlier build highlighted
/// is not highlighted again. The renderer asks by key ([`block_key`]); where and how the
/// blocks are kept is the caller's business, so the renderer needs no file system.
pub trait BlockStore: Send + Sync {
    /// The highlighted HTML kept for `key`, if any.
    fn get(&self, key: u128) -> Option<String>;
    /// Keeps `html` for `key`.
    fn put(&self, key: u128, html: &str);
}

/// The renderer's handle on a [`BlockStore`], if the build has one. Handles compare
/// equal: a store changes how fast a page renders, never what it renders to.
#[derive(Clone, Default)]
pub struct BlockCache(pub Option<Arc<dyn BlockStore>>);

impl fmt::Debug for BlockCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "BlockCache(on)"
        } else {
            "BlockCache(off)"
        })
    }
}

impl PartialEq for BlockCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for BlockCache {}

/// What a highlighted block depends on: the highlighter and its grammars (cairn's and
/// syntect's versions, the class style) and the block (its grammar and its code).
pub(super) fn block_key(syntax: &SyntaxReference, code: &str) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    for part in [
        env!("CARGO_PKG_VERSION"),
        env!("CAIRN_SYNTECT_VERSION"),
        "hl-1",
        syntax.name.as_str(),
        code,
    ] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.digest128()
}

/// True when `html` has the shape of highlighted code as [`highlight`] writes it: escaped
/// text in `<span class="hl-…">` elements. A block read back from a store that does not
/// is not used, so a store cannot put markup into a page.
pub fn is_highlighted_code(html: &str) -> bool {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("</span>") {
            rest = after;
            continue;
        }
        let Some(after) = rest.strip_prefix("<span class=\"") else {
            return false;
        };
        let Some(end) = after.find("\">") else {
            return false;
        };
        let classes = &after[..end];
        if !classes
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ' || c == '_')
        {
            return false;
        }
        rest = &after[end + 2..];
    }
    !rest.contains('>')
}

/// Why a block in a language the highlighter knows was written plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LeftPlain {
    /// The block is larger than the per-block limit.
    TooLarge,
    /// The block's line (1-based, within the block) is longer than the per-line limit.
    LongLine(usize),
    /// Highlighting took longer than [`BLOCK_HIGHLIGHT_TIME_LIMIT`].
    TooSlow,
    /// The highlighter failed on it (a grammar error; nothing the author can fix).
    Failed,
}

impl LeftPlain {
    /// What the author can do about it, for the warning's help line.
    pub(super) fn help(self) -> &'static str {
        match self {
            LeftPlain::LongLine(_) => {
                "break up the long line; or, if the block needs no colors, drop the language after the fence"
            }
            LeftPlain::TooLarge | LeftPlain::TooSlow | LeftPlain::Failed => {
                "split the block into smaller ones; or, if it needs no colors, drop the language after the fence"
            }
        }
    }
}

impl fmt::Display for LeftPlain {
    /// The reason, as it ends the sentence "this code block was left unhighlighted: …".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LeftPlain::TooLarge => {
                write!(f, "it is larger than {} KB", MAX_HIGHLIGHTED_BYTES / 1024)
            }
            LeftPlain::LongLine(line) => write!(
                f,
                "its line {line} is longer than {MAX_HIGHLIGHTED_LINE_CHARS} characters"
            ),
            LeftPlain::TooSlow => write!(
                f,
                "highlighting it took longer than {} seconds",
                BLOCK_HIGHLIGHT_TIME_LIMIT.as_secs()
            ),
            LeftPlain::Failed => write!(f, "the highlighter failed on it"),
        }
    }
}

/// The syntect theme used for light pages.
const LIGHT_THEME: &str = "InspiredGitHub";
/// The syntect theme used for dark pages.
const DARK_THEME: &str = "base16-ocean.dark";

/// syntect's bundled grammars, loaded once per process on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The grammar for `language` (a fence token such as `rust` or `py`), `None` when the
/// highlighter does not know it.
pub(super) fn syntax_for(language: &str) -> Option<&'static SyntaxReference> {
    SYNTAXES.find_syntax_by_token(language)
}

/// Checks the cheap limits (block size, line length) before any time is spent on `code`.
pub(super) fn check_size(code: &str) -> Result<(), LeftPlain> {
    if code.len() > MAX_HIGHLIGHTED_BYTES {
        return Err(LeftPlain::TooLarge);
    }
    let long_line = code.lines().position(|line| {
        line.len() > MAX_HIGHLIGHTED_LINE_CHARS && line.chars().count() > MAX_HIGHLIGHTED_LINE_CHARS
    });
    match long_line {
        Some(index) => Err(LeftPlain::LongLine(index + 1)),
        None => Ok(()),
    }
}

/// Highlights `code` with `syntax` and returns the inner HTML of the `<code>` element:
/// escaped text in classed `<span>`s. Gives up between lines once `time_limit` has passed.
/// The caller checks [`check_size`] first and writes escaped plain text on an error.
pub(super) fn highlight(
    code: &str,
    syntax: &SyntaxReference,
    time_limit: Duration,
) -> Result<String, LeftPlain> {
    // What syntect's `ClassedHTMLGenerator` does, with each line's parse taken from the
    // memo when it can be.
    let started = Instant::now();
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut open_spans = 0isize;
    let mut html = String::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        if started.elapsed() >= time_limit {
            return Err(LeftPlain::TooSlow);
        }
        let ops =
            line_memo::parse_line(&mut state, line, &SYNTAXES).map_err(|_| LeftPlain::Failed)?;
        let (spans, delta) = line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes)
            .map_err(|_| LeftPlain::Failed)?;
        open_spans += delta;
        html.push_str(&spans);
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Ok(html)
}

/// CSS for the highlighting classes: a light theme and a dark one, each
/// applying only in its own mode. Light applies by default and under
/// `:root[data-theme=light]`; dark applies under `:root[data-theme=dark]` and,
/// unless the page forces light, when the reader's system prefers dark. Made once per
/// process: it never changes, and loading syntect's themes takes milliseconds a rebuild
/// need not spend.
pub fn highlight_stylesheet() -> &'static str {
    static STYLESHEET: std::sync::LazyLock<String> = std::sync::LazyLock::new(make_stylesheet);
    &STYLESHEET
}

fn make_stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let theme_css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    let light = theme_css(LIGHT_THEME);
    let dark = theme_css(DARK_THEME);

    let mut css = String::new();
    css.push_str(&format!(
        "/* Code highlighting: light theme \"{LIGHT_THEME}\" */\n"
    ));
    css.push_str("@media not all and (prefers-color-scheme: dark) {\n");
    css.push_str(&scope_rules(&light, ":root:not([data-theme=dark])"));
    css.push_str("}\n");
    css.push_str(&scope_rules(&light, ":root[data-theme=light]"));
    css.push_str(&format!(
        "/* Code highlighting: dark theme \"{DARK_THEME}\" */\n"
    ));
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    css.push_str(&scope_rules(&dark, ":root:not([data-theme=light])"));
    css.push_str("}\n");
    css.push_str(&scope_rules(&dark, ":root[data-theme=dark]"));
    css
}

/// Rewrites flat CSS rules (as syntect writes them: no nesting, no at-rules)
/// so every selector only matches under `scope`. syntect's rule for the
/// whole block, `.hl-code`, is pointed at our `<pre class="code">`.
fn scope_rules(css: &str, scope: &str) -> String {
    let without_comments = strip_comments(css);
    let mut scoped = String::with_capacity(without_comments.len() * 2);
    for rule in without_comments.split('}') {
        let Some((selectors, declarations)) = rule.split_once('{') else {
            continue;
        };
        let selectors: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|selector| !selector.is_empty())
            .map(|selector| {
                let selector = if selector == ".hl-code" {
                    "pre.code"
                } else {
                    selector
                };
                format!("{scope} {selector}")
            })
            .collect();
        if selectors.is_empty() {
            continue;
        }
        scoped.push_str(&selectors.join(", "));
        scoped.push_str(" {");
        for declaration in declarations.lines().map(str::trim) {
            if !declaration.is_empty() {
                scoped.push(' ');
                scoped.push_str(declaration);
            }
        }
        scoped.push_str(" }\n");
    }
    scoped
}

/// Removes `/* … */` comments from CSS.
fn strip_comments(css: &str) -> String {
    let mut kept = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        kept.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => rest = "",
        }
    }
    kept.push_str(rest);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Highlights as the renderer does, with the size checks and the time limit.
    fn highlight_code(code: &str, language: &str) -> Option<String> {
        check_size(code).ok()?;
        highlight(code, syntax_for(language)?, BLOCK_HIGHLIGHT_TIME_LIMIT).ok()
    }

    /// syntect's own generator, which `highlight` must match byte for byte.
    fn syntect_html(code: &str, language: &str) -> String {
        let syntax = syntax_for(language).expect("a known grammar");
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            &SYNTAXES,
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .expect("parses");
        }
        generator.finalize()
    }

    #[test]
    fn remembered_lines_highlight_as_syntect_does() {
        let blocks = [
            (
                "rust",
                "fn a() {\n    let s = \"}\n\";\n}\n/* open\n}\n*/\n}\n",
            ),
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\nreturn x\n"),
            ("python", "def f(items):\n    return x\n\n\nreturn x\n"),
            ("html", "<p>\n<script>\nlet a = 1;\n</script>\nlet a = 1;\n"),
            (
                "js",
                "const t = `\nlet a = 1;\n`;\nlet a = 1;\n// unfinished",
            ),
            ("rust", ""),
        ];
        // Twice, so that the second round takes every line from the memo.
        for _ in 0..2 {
            for (language, code) in blocks {
                let ours = highlight(
                    code,
                    syntax_for(language).expect("known"),
                    BLOCK_HIGHLIGHT_TIME_LIMIT,
                );
                assert_eq!(
                    ours.ok(),
                    Some(syntect_html(code, language)),
                    "{language}: {code}"
                );
            }
        }
    }

    #[test]
    fn known_language_gets_prefixed_classes_and_no_styles() {
        let html = highlight_code("fn main() { let x = 1; }\n", "rust").unwrap_or_default();
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(html.contains("main"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn highlighted_code_is_escaped() {
        let html = highlight_code("if a < b && c > d { }\n", "rust").unwrap_or_default();
        assert!(html.contains("&lt;"), "{html}");
        assert!(!html.contains("a < b"), "{html}");
    }

    #[test]
    fn unknown_language_is_not_highlighted() {
        assert_eq!(highlight_code("x", "no-such-language"), None);
    }

    #[test]
    fn huge_blocks_and_long_lines_are_refused_before_highlighting() {
        let long_line = format!("ok\n{}\n", "a".repeat(MAX_HIGHLIGHTED_LINE_CHARS + 1));
        assert_eq!(check_size(&long_line), Err(LeftPlain::LongLine(2)));
        // Characters count, not bytes.
        let wide = "é".repeat(MAX_HIGHLIGHTED_LINE_CHARS);
        assert_eq!(check_size(&wide), Ok(()));
        let many_lines = "x\n".repeat(MAX_HIGHLIGHTED_BYTES);
        assert_eq!(check_size(&many_lines), Err(LeftPlain::TooLarge));
        assert_eq!(
            LeftPlain::LongLine(2).to_string(),
            "its line 2 is longer than 5000 characters"
        );
    }

    #[test]
    fn highlighting_stops_between_lines_when_the_time_is_spent() {
        let syntax = syntax_for("rust").map(|s| s.name.clone());
        assert_eq!(syntax.as_deref(), Some("Rust"));
        let Some(rust) = syntax_for("rust") else {
            return;
        };
        let code = "let a = 1;\n".repeat(10);
        assert_eq!(
            highlight(&code, rust, Duration::ZERO),
            Err(LeftPlain::TooSlow)
        );
        assert!(highlight(&code, rust, BLOCK_HIGHLIGHT_TIME_LIMIT).is_ok());
    }

    #[test]
    fn the_budget_is_shared_and_refuses_once_spent() {
        let budget = HighlightBudget::new(10);
        let shared = budget.clone();
        assert_eq!(budget.take(6), Ok(()));
        assert_eq!(shared.take(6), Err(true));
        assert_eq!(budget.take(6), Err(false));
        assert_eq!(shared.take(4), Ok(()));
        assert_eq!(budget.take(1), Err(false));
        assert_eq!(budget.total(), 10);
    }

    #[test]
    fn stylesheet_scopes_light_and_dark_rules() {
        let css = highlight_stylesheet();
        assert!(
            css.contains(":root:not([data-theme=dark]) pre.code {"),
            "{css}"
        );
        assert!(css.contains(":root[data-theme=light] .hl-"), "{css}");
        assert!(
            css.contains("@media (prefers-color-scheme: dark) {\n:root:not([data-theme=light]) ")
        );
        assert!(css.contains(":root[data-theme=dark] .hl-"));
        assert!(!css.contains("/*  */"));
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }

    #[test]
    fn scoping_handles_selector_lists_and_comments() {
        let css = "/* c */\n.hl-code {\n color: #000;\n}\n\n.hl-a .hl-b, .hl-c {\n color: #111;\nfont-weight: bold;\n}\n";
        assert_eq!(
            scope_rules(css, ":root"),
            ":root pre.code { color: #000; }\n:root .hl-a .hl-b, :root .hl-c { color: #111; font-weight: bold; }\n"
        );
    }

    #[test]
    fn only_highlighted_code_is_taken_from_a_store() {
        let syntax = syntax_for("rust").unwrap();
        let html = highlight(
            "fn main() { let a = \"<b>\"; }\n",
            syntax,
            Duration::from_secs(5),
        )
        .unwrap();
        assert!(is_highlighted_code(&html), "{html}");
        assert!(is_highlighted_code("plain &lt;text&gt;"));
        for hostile in [
            "<script>alert(1)</script>",
            "<span class=\"hl-a\" onclick=\"x\">a</span>",
            "<span class=\"a\"><img src=x></span>",
            "text > more",
            "<span class=\"a",
            "<span class=\"a\\\">x</span>",
        ] {
            assert!(!is_highlighted_code(hostile), "{hostile}");
        }
    }

    #[test]
    fn a_block_key_changes_with_the_grammar_and_the_code() {
        let rust = syntax_for("rust").unwrap();
        let python = syntax_for("python").unwrap();
        assert_eq!(block_key(rust, "a"), block_key(rust, "a"));
        assert_ne!(block_key(rust, "a"), block_key(rust, "b"));
        assert_ne!(block_key(rust, "a"), block_key(python, "a"));
    }
}
