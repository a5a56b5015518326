//! Splitting a rendered page at its `h2` headings, so a template can lay each part out on
//! its own (FAQ expanders, FAQPage JSON-LD) from one split of the page.

use serde::Serialize;

use super::Heading;

/// One `h2` heading and the HTML that follows it, up to the next `h2`: borrowed from the
/// page and its headings, as the templates copy what they keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HtmlSection<'a> {
    /// The heading's id (its anchor).
    pub id: &'a str,
    /// The heading's plain text.
    pub title: &'a str,
    /// The HTML after the heading, without the heading itself.
    pub html: &'a str,
    /// The same as plain text, for JSON-LD and other non-HTML uses.
    pub text: String,
}

/// A page split at its `h2` headings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SplitPage<'a> {
    /// The HTML before the first `h2`.
    pub intro: &'a str,
    /// Each `h2` with what follows it.
    pub parts: Vec<HtmlSection<'a>>,
    /// The HTML after a thematic break (`---`) in the last part: a closing note that belongs
    /// to the page rather than to its last heading.
    pub outro: &'a str,
}

/// Splits `html` (as written by this module's renderer) at the `h2` headings listed in
/// `headings`.
pub fn split_at_h2<'a>(html: &'a str, headings: &'a [Heading]) -> SplitPage<'a> {
    let mut starts: Vec<(usize, usize, &Heading)> = Vec::new();
    let mut from = 0;
    for heading in headings.iter().filter(|h| h.level == 2) {
        let open = format!("<h2 id=\"{}\"", heading.id);
        let Some(offset) = html[from..].find(&open) else {
            continue;
        };
        let start = from + offset;
        let Some(close) = html[start..].find("</h2>") else {
            continue;
        };
        let body_start = start + close + "</h2>".len();
        starts.push((start, body_start, heading));
        from = body_start;
    }
    let intro_end = starts.first().map_or(html.len(), |(start, _, _)| *start);
    let mut outro = "";
    let parts = starts
        .iter()
        .enumerate()
        .map(|(i, (_, body_start, heading))| {
            let mut end = starts.get(i + 1).map_or(html.len(), |(next, _, _)| *next);
            if i + 1 == starts.len()
                && let Some(rule) = html[*body_start..end].find("<hr>")
            {
                outro = html[*body_start + rule + "<hr>".len()..end].trim();
                end = *body_start + rule;
            }
            let body = html[*body_start..end].trim();
            HtmlSection {
                id: &heading.id,
                title: &heading.title,
                text: html_to_text(body),
                html: body,
            }
        })
        .collect();
    SplitPage {
        intro: html[..intro_end].trim(),
        parts,
        outro,
    }
}

/// The text of an HTML fragment written by the renderer: tags dropped, block ends turned into
/// spaces, the entities the renderer writes decoded, white space collapsed, and no space
/// before closing punctuation.
///
/// One pass over the bytes: every page's parts go through it on every build, and a chain
/// of `replace` calls (one string per entity) was most of its cost.
pub fn html_to_text(html: &str) -> String {
    let mut text = TextCollector::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'<' => {
                // A tag's attributes are not text; a tag other than inline markup is a
                // break between words.
                let end = html[at..].find('>').map_or(html.len(), |end| at + end + 1);
                if tag_breaks_words(&html[at..end]) {
                    text.space();
                }
                at = end;
            }
            b'&' => {
                let rest = &html[at..];
                match ENTITIES.iter().find(|(name, _)| rest.starts_with(name)) {
                    Some((name, c)) => {
                        text.push(*c);
                        at += name.len();
                    }
                    None => {
                        text.push('&');
                        at += 1;
                    }
                }
            }
            _ if is_plain(byte) => {
                // A run of plain ASCII is copied at once.
                let run = bytes[at..]
                    .iter()
                    .position(|&b| !is_plain(b))
                    .map_or(bytes.len(), |len| at + len);
                text.push_run(&html[at..run]);
                at = run;
            }
            // The ASCII left is white space.
            _ if byte.is_ascii() => {
                text.space();
                at += 1;
            }
            _ => {
                let c = html[at..]
                    .chars()
                    .next()
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                text.push(c);
                at += c.len_utf8();
            }
        }
    }
    text.out
}

/// Whether a tag (from its `<`) separates the words on either side: every tag but inline
/// markup, whose words join as the page shows them (`<strong>bold</strong>ly` is
/// "boldly", and highlighted code keeps its spacing: `"<span>x</span>"` is `"x"`).
fn tag_breaks_words(tag: &str) -> bool {
    let name = tag.trim_start_matches('<').trim_start_matches('/');
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    // Lower-cased in a small buffer rather than compared name by name: highlighted code
    // is mostly `<span>` tags, and every page's text goes through here on every build.
    let mut lower = [0u8; LONGEST_INLINE_TAG];
    let Some(buffer) = lower.get_mut(..end) else {
        return true; // longer than any inline tag's name
    };
    buffer.copy_from_slice(&name.as_bytes()[..end]);
    buffer.make_ascii_lowercase();
    INLINE_TAGS
        .binary_search_by(|tag| tag.as_bytes().cmp(buffer))
        .is_err()
}

/// The phrasing elements that sit inside a run of text (HTML's inline formatting), as
/// opposed to blocks, line breaks and embedded content: lower case, sorted for the binary
/// search in [`tag_breaks_words`].
const INLINE_TAGS: [&str; 25] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var",
];

/// The length of the longest name in [`INLINE_TAGS`]: a longer tag name is no inline tag.
const LONGEST_INLINE_TAG: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < INLINE_TAGS.len() {
        if INLINE_TAGS[i].len() > longest {
            longest = INLINE_TAGS[i].len();
        }
        i += 1;
    }
    longest
};

/// An ASCII byte that is text as it stands: not white space (as `char::is_whitespace` has
/// it, vertical tab included), not the start of a tag or an entity.
fn is_plain(byte: u8) -> bool {
    byte.is_ascii() && !char::from(byte).is_whitespace() && byte != b'<' && byte != b'&'
}

/// The entities the renderer writes in text, and what they stand for. None is a prefix of
/// another, and `&amp;` decodes to a plain `&`, never the start of another entity.
const ENTITIES: [(&str, char); 7] = [
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
    ("&#x27;", '\''),
    ("&nbsp;", ' '),
    ("&amp;", '&'),
];

/// Text with white space collapsed to single spaces between words, none at either end and
/// none before a word that starts with closing punctuation.
struct TextCollector {
    out: String,
    /// White space was seen since the last character of a word.
    after_space: bool,
}

impl TextCollector {
    fn with_capacity(capacity: usize) -> Self {
        TextCollector {
            out: String::with_capacity(capacity),
            after_space: false,
        }
    }

    fn space(&mut self) {
        self.after_space = true;
    }

    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.after_space = true;
            return;
        }
        self.start_word(c);
        self.out.push(c);
    }

    /// Pushes characters none of which is white space.
    fn push_run(&mut self, run: &str) {
        if let Some(first) = run.chars().next() {
            self.start_word(first);
            self.out.push_str(run);
        }
    }

    /// Puts the space between words before `first`, when it starts a word that needs one.
    fn start_word(&mut self, first: char) {
        if self.after_space
            && !self.out.is_empty()
            && !matches!(first, '.' | ',' | ';' | ':' | '!' | '?' | ')')
        {
            self.out.push(' ');
        }
        self.after_space = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{LinkTarget, MarkdownOptions, render};

    #[test]
    fn splits_at_h2_and_keeps_the_intro() {
        let page = render(
            "Intro.\n\n## First? {#first}\n\nAnswer *one*.\n\n### Detail\n\nMore.\n\n## Second\n\nA & B.\n",
            &MarkdownOptions::default(),
            &|_, _| LinkTarget::Unchanged,
        );
        let split = split_at_h2(&page.html, &page.headings);
        let sections = &split.parts;
        assert_eq!(split.intro, "<p>Intro.</p>");
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].id, "first");
        assert_eq!(sections[0].title, "First?");
        assert!(sections[0].html.starts_with("<p>Answer <em>one</em>.</p>"));
        assert!(sections[0].html.contains("<h3 id=\"detail\""));
        assert_eq!(sections[1].text, "A & B.");
    }

    #[test]
    fn only_inline_markup_joins_words() {
        for tag in [
            "<span class=\"k\">",
            "</span>",
            "<SPAN>",
            "<strong>",
            "</Em>",
            "<a href=\"x\">",
            "<code>",
            "<sup>",
        ] {
            assert!(!tag_breaks_words(tag), "{tag}");
        }
        for tag in [
            "<p>",
            "</li>",
            "<br>",
            "<h2 id=\"x\">",
            "<strongest>",
            "<spans>",
            "<>",
            "</>",
            "<img src=\"x\">",
            "<details>",
            "<pre>",
        ] {
            assert!(tag_breaks_words(tag), "{tag}");
        }
    }

    #[test]
    fn every_inline_tag_joins_words_in_any_case() {
        assert!(
            INLINE_TAGS.is_sorted(),
            "the binary search needs them sorted"
        );
        for tag in INLINE_TAGS {
            assert!(!tag_breaks_words(&format!("<{tag}>")), "{tag}");
            let upper = tag.to_ascii_uppercase();
            assert!(!tag_breaks_words(&format!("</{upper}>")), "{upper}");
        }
    }

    #[test]
    fn a_rule_in_the_last_part_starts_the_outro() {
        let page = render(
            "## Q\n\nA.\n\n---\n\nClosing [call](x).\n",
            &MarkdownOptions::default(),
            &|_, _| LinkTarget::Unchanged,
        );
        let split = split_at_h2(&page.html, &page.headings);
        assert_eq!(split.parts[0].html, "<p>A.</p>");
        assert_eq!(split.outro, "<p>Closing <a href=\"x\">call</a>.</p>");
    }

    /// The text as the renderer's HTML reads: tags dropped (a space for those that break
    /// words), then each entity replaced in turn, then the words joined. Slow and plainly
    /// right: what [`html_to_text`] must equal.
    fn text_by_steps(html: &str) -> String {
        let mut stripped = String::new();
        let mut tag: Option<String> = None;
        for c in html.chars() {
            match (&mut tag, c) {
                (None, '<') => tag = Some("<".into()),
                (Some(open), '>') => {
                    if tag_breaks_words(open) {
                        stripped.push(' ');
                    }
                    tag = None;
                }
                (None, c) => stripped.push(c),
                (Some(open), c) => open.push(c),
            }
        }
        if tag.as_deref().is_some_and(tag_breaks_words) {
            stripped.push(' ');
        }
        let decoded = stripped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&");
        let mut out = String::new();
        for word in decoded.split_whitespace() {
            let closing = matches!(
                word.chars().next(),
                Some('.' | ',' | ';' | ':' | '!' | '?' | ')')
            );
            if !out.is_empty() && !closing {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn text_in_one_pass_equals_the_text_by_steps(
            html in "([<>&;a-z#0-9 .,!?)\u{a0}\u{2003}é\n\t\r\u{b}\u{c}]|&lt;|&gt;|&quot;|&#39;|&#x27;|&nbsp;|&amp;|<p>|</p>|<a href=\"x&amp;y\">|</a>|<em>|</EM>|<span class=\"k\">|</span>|<br>|<br/>|<img alt=\"a b\">|<spanx>)*"
        ) {
            proptest::prop_assert_eq!(html_to_text(&html), text_by_steps(&html));
        }
    }

    #[test]
    fn entities_are_decoded_once_and_a_block_tag_breaks_words() {
        let html = "<p>&amp;lt; a&nbsp;b\u{a0}c x<br>y (z) ! <em>w</em>, &#39;q&#x27; &bogus; u\u{b}v\u{c}w <unclosed";
        assert_eq!(
            html_to_text(html),
            "&lt; a b c x y (z)! w, 'q' &bogus; u v w"
        );
        assert_eq!(html_to_text(html), text_by_steps(html));
    }

    #[test]
    fn inline_markup_joins_words_and_blocks_break_them() {
        let html = "<p><strong>bold</strong>ly <a href=\"x\">x</a>y</p><p>next<br>line</p>\
                    <pre><code><span class=\"k\">let</span> a = &quot;<span>&lt;x&gt;</span>&quot;;</code></pre>";
        assert_eq!(html_to_text(html), "boldly xy next line let a = \"<x>\";");
        assert_eq!(html_to_text(html), text_by_steps(html));
    }

    #[test]
    fn text_drops_tags_and_decodes_entities() {
        assert_eq!(
            html_to_text("<p>a &lt;b&gt; <a href=\"x\">link</a>.</p>"),
            "a <b> link."
        );
    }
}
