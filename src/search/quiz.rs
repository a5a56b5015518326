//! The quiz in search: every question and outcome of every flow is a page of the index,
//! linking to its own static page, so a reader who searches for "unsafe" or "abuse" finds
//! the quiz's safety question and what it advises.
//!
//! A question's page is titled by its question (the first question by the quiz's title, its
//! question as the heading) and holds its help and its answers; an outcome's page is titled
//! by the outcome and holds its body. Help and bodies are the compiler's sanitized HTML,
//! read back to text here.

use std::sync::Arc;

use scraper::{Html, Node};

use super::SearchSource;
use crate::content::Site;
use crate::markdown::{RenderedMarkdown, TextSection};
use crate::quiz::CompiledFlow;
use crate::quiz::graph::NodeRef;
use crate::quiz::pages::node_url;

/// A search source for every question and outcome of `flows`, flow by flow.
pub fn quiz_sources(site: &Site, flows: &[CompiledFlow]) -> Vec<SearchSource> {
    let mut out = Vec::new();
    for flow in flows {
        for (index, question) in flow.questions.iter().enumerate() {
            let Some(url) = node_url(site, flow, NodeRef::Question(index)) else {
                continue;
            };
            let mut text = Vec::new();
            if index == flow.start && !flow.description.is_empty() {
                text.push(flow.description.clone());
            }
            text.extend(question.help_html.as_deref().map(html_text));
            text.extend(question.answers.iter().map(|a| a.label.clone()));
            let (title, heading) = if index == flow.start {
                (flow.title.clone(), question.text.clone())
            } else {
                (question.text.clone(), String::new())
            };
            out.push(source(url, title, heading, &text));
        }
        for (index, outcome) in flow.outcomes.iter().enumerate() {
            let Some(url) = node_url(site, flow, NodeRef::Outcome(index)) else {
                continue;
            };
            let text = [html_text(&outcome.body_html)];
            out.push(source(url, outcome.title.clone(), String::new(), &text));
        }
    }
    out
}

/// A page of one section: `heading` (none when empty) over `text`'s blocks.
fn source(url: String, title: String, heading: String, text: &[String]) -> SearchSource {
    let section = TextSection {
        id: String::new(),
        title: heading,
        text: text.join("\n").into(),
    };
    SearchSource {
        url,
        title,
        markdown: Arc::new(RenderedMarkdown {
            sections: vec![section],
            ..RenderedMarkdown::default()
        }),
        generated: true,
    }
}

/// The text of an HTML fragment, blocks on lines of their own (so that two list items do
/// not run into one word).
fn html_text(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "p",
        "li",
        "ul",
        "ol",
        "div",
        "blockquote",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "pre",
        "dt",
        "dd",
        "figcaption",
    ];
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    // Depth first, with an explicit stack (`true`: the end of a block element).
    let mut stack = vec![(*fragment.root_element(), false)];
    while let Some((node, end)) = stack.pop() {
        if end {
            out.push('\n');
            continue;
        }
        match node.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) if BLOCKS.contains(&element.name()) => {
                out.push('\n');
                stack.push((node, true));
            }
            _ => {}
        }
        let children: Vec<_> = node.children().collect();
        stack.extend(children.into_iter().rev().map(|child| (child, false)));
    }
    out.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_reads_back_as_text_with_blocks_apart() {
        assert_eq!(
            html_text(
                "<p>Call  <strong>now</strong>.</p><ul><li>One</li><li>Two &amp; three</li></ul>"
            ),
            "Call now.\nOne\nTwo & three"
        );
        assert_eq!(html_text(""), "");
    }
}
