//! Stylesheet minification at fingerprinting: comments dropped, whitespace collapsed.
//!
//! Hand-written, and deliberately no more than that: it never changes what a stylesheet
//! means, so a theme's CSS is safe whatever it holds. The `minifier` crate (rustdoc's)
//! also drops the spaces around `+` and `-` inside `clamp()`, `min()` and `max()`, which
//! makes them invalid (`clamp(1rem,2vw+1rem,3rem)`), and a full CSS optimiser brings a
//! parser far larger than cairn's need: hosts gzip stylesheets anyway, so what is left to
//! save is the comments and indentation a theme author writes for people.
//!
//! Strings and unquoted `url(…)` are copied as they are. A comment that begins `/*!` (a
//! licence, by convention) is kept.

/// Characters next to which whitespace never matters in CSS.
fn is_punctuation(c: char) -> bool {
    matches!(c, '{' | '}' | ';' | ',')
}

/// `css` without comments (but `/*!` ones) and with each run of whitespace reduced to one
/// space, or none beside `{`, `}`, `;` and `,`.
pub(super) fn css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    // Whitespace (or a dropped comment) seen since the last character written.
    let mut space = false;
    let mut comment = false;
    let mut chars = css.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_ascii_whitespace() {
            space = true;
            continue;
        }
        if c == '/' && css[at..].starts_with("/*") && !css[at..].starts_with("/*!") {
            // Skip to the comment's end (an unclosed one runs to the end of the file).
            let end = css[at + 2..]
                .find("*/")
                .map_or(css.len(), |i| at + 2 + i + 2);
            while chars.peek().is_some_and(|(i, _)| *i < end) {
                chars.next();
            }
            comment = true;
            continue;
        }
        // Nothing needs keeping apart at the start or beside punctuation.
        let apart = out
            .chars()
            .next_back()
            .is_some_and(|last| !is_punctuation(last) && !is_punctuation(c));
        if apart && space {
            out.push(' ');
        } else if apart && comment {
            // A comment between two tokens keeps them apart (`a/**/b` is not `ab`).
            out.push_str("/**/");
        }
        space = false;
        comment = false;
        let verbatim_to = match c {
            '"' | '\'' => string_end(css, at, c),
            '/' if css[at..].starts_with("/*!") => css[at + 2..]
                .find("*/")
                .map_or(css.len(), |i| at + 2 + i + 2),
            '(' if ends_with_url(&out) => unquoted_url_end(css, at),
            _ => at + c.len_utf8(),
        };
        out.push_str(&css[at..verbatim_to]);
        while chars.peek().is_some_and(|(i, _)| *i < verbatim_to) {
            chars.next();
        }
    }
    out
}

/// The end of the string that opens at `at` with `quote`: after its closing quote, or after
/// the end of its line (kept, since it is what ends the string) or at the end of the file
/// when it has none. Escapes are skipped.
fn string_end(css: &str, at: usize, quote: char) -> usize {
    let mut escaped = false;
    for (i, c) in css[at + 1..].char_indices() {
        let i = at + 1 + i;
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '\n' => return i + 1,
            c if c == quote => return i + 1,
            _ => {}
        }
    }
    css.len()
}

/// Whether `out` ends with the name of `url(`, in any case.
fn ends_with_url(out: &str) -> bool {
    out.len() >= 3
        && out.is_char_boundary(out.len() - 3)
        && out[out.len() - 3..].eq_ignore_ascii_case("url")
}

/// The end of `url(` at `at` when its address is unquoted (through the closing
/// parenthesis, where comments are not comments); just the parenthesis when it is quoted.
fn unquoted_url_end(css: &str, at: usize) -> usize {
    let inner = css[at + 1..].trim_start();
    if inner.starts_with('"') || inner.starts_with('\'') {
        return at + 1;
    }
    css[at..].find(')').map_or(css.len(), |i| at + i + 1)
}

#[cfg(test)]
mod tests {
    use super::css;

    #[test]
    fn comments_and_indentation_go() {
        let sheet = "/* The page. */\nbody {\n  margin: 0;  /* none */\n  color: red;\n}\n\na,\nb > c {\n  color: blue;\n}\n";
        assert_eq!(
            css(sheet),
            "body{margin: 0;color: red;}a,b > c{color: blue;}"
        );
        assert_eq!(
            css("a{font:bold 1rem/1.2 x}/* y */"),
            "a{font:bold 1rem/1.2 x}"
        );
    }

    #[test]
    fn meaningful_spaces_stay() {
        for sheet in [
            "a{padding:clamp(1rem, 2vw + 1rem, 3rem)}",
            "a{width:min(100% - 2rem,40em)}",
            "a .b:hover{x:y}",
            "@media (width > 40em) and (prefers-color-scheme: dark){a{b:c}}",
            "a{font:bold 1rem/1.2 \"DejaVu Sans\",sans-serif}",
        ] {
            assert_eq!(css(sheet), sheet.replace(", ", ","));
        }
        assert_eq!(css("a{b:calc(1px  +\n 2px)}"), "a{b:calc(1px + 2px)}");
    }

    #[test]
    fn strings_and_urls_are_copied_as_they_are() {
        let sheet = r#"a::before{content:"/* not a comment */  \" x"}b{background:url(data:image/svg+xml;a/*b*/c)}c{background:url( "x /* y.png" )}"#;
        assert_eq!(
            css(sheet),
            r#"a::before{content:"/* not a comment */  \" x"}b{background:url(data:image/svg+xml;a/*b*/c)}c{background:url( "x /* y.png" )}"#
        );
        assert_eq!(css("a{content:'it''s'}"), "a{content:'it''s'}");
    }

    #[test]
    fn licence_comments_stay_and_a_comment_still_separates() {
        assert_eq!(css("/*! MIT */\na{}"), "/*! MIT */ a{}");
        assert_eq!(css(".a/*! x */ .b{}"), ".a/*! x */ .b{}");
        assert_eq!(css(".a/**/.b{}"), ".a/**/.b{}");
        assert_eq!(css(".a /**/ .b{}"), ".a .b{}");
        assert_eq!(css("a{} /* unclosed"), "a{}");
        assert_eq!(css("a{content:\"unclosed"), "a{content:\"unclosed");
    }

    #[test]
    fn any_text_comes_through_whole() {
        for sheet in ["é{}/*é*/ü", "\"", "url(", "/*", "a\u{2028}b", ""] {
            let _ = css(sheet);
        }
        assert_eq!(css("p{content:\"é\"} /* ü */ q{}"), "p{content:\"é\"}q{}");
    }

    proptest::proptest! {
        /// Any text, CSS-like or not: no panic, and a minified sheet minifies to itself.
        #[test]
        fn minifying_never_fails_and_is_stable(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "/*", "*/", "/*!", "\"", "'", "\\", "url(", "URL(", ")", "(", "{", "}", ";", ",",
                " ", "\n", "\t", "a", ".b", "1px", "+", "-", ":", "é", "ü", "/", "*",
            ]), 0..40)
        ) {
            let sheet = pieces.concat();
            let once = css(&sheet);
            proptest::prop_assert_eq!(css(&once), once);
        }
    }
}
