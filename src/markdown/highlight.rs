//! Syntax highlighting of fenced code with syntect, written as CSS classes
//! (never inline styles), and the stylesheet for those classes.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Prefix of every highlighting class, so they never clash with theme classes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Code blocks larger than this are written as plain escaped text: the
/// highlighter's cost is not worth it and pathological inputs stay cheap.
const MAX_HIGHLIGHTED_BYTES: usize = 256 * 1024;

/// A code block with a line longer than this is written as plain text too
/// (minified or generated code, where regex scanning gets slow).
const MAX_HIGHLIGHTED_LINE_BYTES: usize = 16 * 1024;

/// Highlighting is skipped for a page's code blocks once this many bytes of
/// its code have been highlighted (further blocks are plain escaped text): syntect's pure-Rust regexes manage a few
/// hundred KB per second, so this bounds the time one page can take.
pub const PAGE_HIGHLIGHT_BUDGET_BYTES: usize = 512 * 1024;

/// The syntect theme used for light pages.
const LIGHT_THEME: &str = "InspiredGitHub";
/// The syntect theme used for dark pages.
const DARK_THEME: &str = "base16-ocean.dark";

/// syntect's bundled grammars, loaded once per process on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Highlights `code` as `language` (a fence token such as `rust` or `py`) and
/// returns the inner HTML of the `<code>` element: escaped text in classed
/// `<span>`s. Returns `None` when the language is unknown, the block is too
/// large to be worth it, or the highlighter fails; the caller then writes
/// escaped plain text.
pub fn highlight_code(code: &str, language: &str) -> Option<String> {
    if code.len() > MAX_HIGHLIGHTED_BYTES
        || code
            .lines()
            .any(|line| line.len() > MAX_HIGHLIGHTED_LINE_BYTES)
    {
        return None;
    }
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
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
    fn huge_blocks_and_lines_are_not_highlighted() {
        let long_line = "a".repeat(MAX_HIGHLIGHTED_LINE_BYTES + 1);
        assert_eq!(highlight_code(&long_line, "rust"), None);
        let many_lines = "x\n".repeat(MAX_HIGHLIGHTED_BYTES);
        assert_eq!(highlight_code(&many_lines, "rust"), None);
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
}
