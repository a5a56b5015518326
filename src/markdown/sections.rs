//! Splitting a rendered page at its `h2` headings, so a template can lay each part out on
//! its own (FAQ expanders, FAQPage JSON-LD) from one split of the page.

use serde::Serialize;

use super::Heading;

/// One `h2` heading and the HTML that follows it, up to the next `h2`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HtmlSection {
    /// The heading's id (its anchor).
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// The HTML after the heading, without the heading itself.
    pub html: String,
    /// The same as plain text, for JSON-LD and other non-HTML uses.
    pub text: String,
}

/// A page split at its `h2` headings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SplitPage {
    /// The HTML before the first `h2`.
    pub intro: String,
    /// Each `h2` with what follows it.
    pub parts: Vec<HtmlSection>,
    /// The HTML after a thematic break (`---`) in the last part: a closing note that belongs
    /// to the page rather than to its last heading.
    pub outro: String,
}

/// Splits `html` (as written by this module's renderer) at the `h2` headings listed in
/// `headings`.
pub fn split_at_h2(html: &str, headings: &[Heading]) -> SplitPage {
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
    let mut outro = String::new();
    let parts = starts
        .iter()
        .enumerate()
        .map(|(i, (_, body_start, heading))| {
            let mut end = starts.get(i + 1).map_or(html.len(), |(next, _, _)| *next);
            if i + 1 == starts.len()
                && let Some(rule) = html[*body_start..end].find("<hr>")
            {
                outro = html[*body_start + rule + "<hr>".len()..end]
                    .trim()
                    .to_string();
                end = *body_start + rule;
            }
            let body = html[*body_start..end].trim().to_string();
            HtmlSection {
                id: heading.id.clone(),
                title: heading.title.clone(),
                text: html_to_text(&body),
                html: body,
            }
        })
        .collect();
    SplitPage {
        intro: html[..intro_end].trim().to_string(),
        parts,
        outro,
    }
}

/// The text of an HTML fragment written by the renderer: tags dropped, block ends turned into
/// spaces, the entities the renderer writes decoded, white space collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                text.push(' ');
            }
            (true, '>') => in_tag = false,
            (false, c) => text.push(c),
            (true, _) => {}
        }
    }
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let mut out = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !out.is_empty()
            && !matches!(
                word.chars().next(),
                Some('.' | ',' | ';' | ':' | '!' | '?' | ')')
            )
        {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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

    #[test]
    fn text_drops_tags_and_decodes_entities() {
        assert_eq!(
            html_to_text("<p>a &lt;b&gt; <a href=\"x\">link</a>.</p>"),
            "a <b> link."
        );
    }
}
