//! Escaping of text and attribute values for the HTML the renderer writes.

/// Appends `text` to `out` with `&`, `<`, `>` and `"` replaced by entities,
/// so it is safe both as element text and inside a double-quoted attribute.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut unwritten_from = 0;
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&text[unwritten_from..index]);
        out.push_str(entity);
        unwritten_from = index + 1;
    }
    out.push_str(&text[unwritten_from..]);
}

/// Appends a URL to `out` for use in a double-quoted `href` or `src`:
/// entities for HTML-special characters, percent-encoding for spaces and
/// control characters (which would otherwise end or corrupt the URL).
pub fn push_escaped_url(out: &mut String, url: &str) {
    for character in url.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_ascii_control() || c == ' ' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, text);
        out
    }

    fn escaped_url(url: &str) -> String {
        let mut out = String::new();
        push_escaped_url(&mut out, url);
        out
    }

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escaped(r#"a < b && "c" > d"#),
            "a &lt; b &amp;&amp; &quot;c&quot; &gt; d"
        );
        assert_eq!(escaped("café ünïcode"), "café ünïcode");
        assert_eq!(escaped(""), "");
    }

    #[test]
    fn escapes_urls_for_attributes() {
        assert_eq!(
            escaped_url("a b.md?x=1&y=\"2\""),
            "a%20b.md?x=1&amp;y=&quot;2&quot;"
        );
        assert_eq!(escaped_url("x'\n<"), "x&#39;%0A&lt;");
        assert_eq!(escaped_url("/über/"), "/über/");
    }
}
