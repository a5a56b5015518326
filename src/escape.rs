//! Escaping for the markup cairn writes itself (Markdown's HTML, the feed, the sitemap,
//! redirect pages, the serve overlay): one place, so every writer escapes the same way.
//! Templates escape through Tera's autoescaping instead.

/// The entity of a character that is markup in HTML or XML text and in double-quoted
/// attributes, if it is one.
fn entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        _ => None,
    }
}

/// Appends `text` to `out` with `&`, `<`, `>` and `"` replaced by entities, so it is safe
/// both as element text and inside a double-quoted attribute (the only quoting cairn
/// writes).
pub fn push_html(out: &mut String, text: &str) {
    let mut unwritten_from = 0;
    // Byte by byte: the four characters are ASCII, and no byte of a longer character
    // reads as one of them.
    for (index, byte) in text.bytes().enumerate() {
        let Some(entity) = entity(char::from(byte)) else {
            continue;
        };
        out.push_str(&text[unwritten_from..index]);
        out.push_str(entity);
        unwritten_from = index + 1;
    }
    out.push_str(&text[unwritten_from..]);
}

/// `text` escaped as [`push_html`] does.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_html(&mut out, text);
    out
}

/// Appends a URL to `out` for use in a double-quoted `href` or `src`:
/// entities for HTML-special characters, percent-encoding for spaces and
/// control characters (which would otherwise end or corrupt the URL).
pub fn push_url(out: &mut String, url: &str) {
    for c in url.chars() {
        match (c, entity(c)) {
            (_, Some(entity)) => out.push_str(entity),
            ('\'', None) => out.push_str("&#39;"),
            (c, None) if c.is_ascii_control() || c == ' ' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            (c, None) => out.push(c),
        }
    }
}

/// True for characters XML 1.0 allows in a document: a feed or sitemap holding any other
/// is not XML, and readers refuse all of it.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for XML element content and attribute values: as [`push_html`], with
/// `'` too, and without the characters XML 1.0 does not allow (C0 controls, U+FFFE,
/// U+FFFF) or discourages (DEL and the C1 controls).
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match (c, entity(c)) {
            (_, Some(entity)) => out.push_str(entity),
            ('\'', None) => out.push_str("&apos;"),
            (c, None) if !xml_allowed(c) || c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            (c, None) => out.push(c),
        }
    }
    out
}

/// JSON text made safe inside a `<script>` element and inside a single-quoted HTML
/// attribute (`data-x='…'`): every character that could end the element, end the
/// attribute or start an entity becomes a `\u` escape, so both contexts read the same
/// JSON. The quotes that delimit JSON strings stay as they are (JSON needs them), which is
/// why the attribute must be single-quoted; a quote *inside* a string becomes `\u0022`.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        match c {
            // serde_json writes a quote in a string as `\"` and a backslash as `\\`.
            '\\' => match chars.next() {
                Some('"') => out.push_str("\\u0022"),
                Some(next) => {
                    out.push('\\');
                    push_script_char(&mut out, next);
                }
                None => out.push('\\'),
            },
            other => push_script_char(&mut out, other),
        }
    }
    out
}

fn push_script_char(out: &mut String, c: char) {
    match c {
        '<' => out.push_str("\\u003c"),
        '>' => out.push_str("\\u003e"),
        '&' => out.push_str("\\u0026"),
        '\'' => out.push_str("\\u0027"),
        '\u{2028}' => out.push_str("\\u2028"),
        '\u{2029}' => out.push_str("\\u2029"),
        other => out.push(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        html(text)
    }

    fn escaped_url(url: &str) -> String {
        let mut out = String::new();
        push_url(&mut out, url);
        out
    }

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(xml("a<b>&\"'\u{1}\tc"), "a&lt;b&gt;&amp;&quot;&apos;\tc");
        assert_eq!(xml("x\u{FFFF}y\u{FFFE}z\u{7F}\u{85}"), "xyz");
        assert_eq!(xml("\u{10000}\u{FFFD}"), "\u{10000}\u{FFFD}");
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
