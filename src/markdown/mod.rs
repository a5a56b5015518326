//! Markdown to HTML for one page: CommonMark plus tables, footnotes,
//! strikethrough, task lists, smart punctuation, heading attributes and
//! GitHub alerts; with heading ids and a table of contents, syntax
//! highlighting, link resolution through the site, and sanitizing.

mod footnotes;
mod headings;
mod highlight;
mod line_memo;
mod links;
mod nesting;
mod sanitize;
mod sections;
mod summary;
mod tables;
mod writer;

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Options, Parser};
use serde::{Deserialize, Serialize};

use crate::diagnostics::Severity;

pub use highlight::{
    BlockCache, BlockStore, HighlightBudget, highlight_stylesheet, is_highlighted_code,
};
pub use sections::{HtmlSection, SplitPage, html_to_text, split_at_h2};

/// Options that change how Markdown becomes HTML, from site.yaml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MarkdownOptions {
    /// Keep raw HTML and dangerous link schemes exactly as written instead of
    /// sanitizing them; only for sites whose every author is trusted.
    pub unsafe_html: bool,
    /// Bytes of code the build may still highlight, shared by every page rendered with
    /// these options (a clone shares it); not part of the site's configuration.
    #[serde(skip)]
    pub highlight_budget: HighlightBudget,
    /// Where blocks highlighted by earlier builds are kept, if anywhere.
    #[serde(skip)]
    pub highlighted_blocks: highlight::BlockCache,
}

/// Whether a destination is a link's or an image's: the site resolves them differently
/// (an image it resizes becomes a `<picture>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reference {
    /// `[text](destination)`.
    Link,
    /// `![alt](destination)`.
    Image,
}

/// A local image the site resized: what its `<picture>` needs, all URLs final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The `<img src>`: the largest variant in the image's own format, for browsers that
    /// take none of the sources.
    pub src: String,
    /// Width of `src` in pixels, written on the `<img>` so the page keeps its place.
    pub width: u32,
    /// Height of `src` in pixels.
    pub height: u32,
    /// `<source>` elements, in order: MIME type and `srcset` (`url 480w, url 960w`).
    pub sources: Vec<(String, String)>,
    /// The `<img srcset>`, when the image's own format has several widths (else empty).
    pub srcset: String,
    /// The `sizes` attribute: how wide the theme shows images.
    pub sizes: String,
}

/// What a link target in the page resolves to; the caller (the site model) decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Leave the href exactly as written (external URL, mailto:, absolute path, etc.).
    Unchanged,
    /// An internal link rewritten to `url`; `page` is the target page's key
    /// (content-relative path such as "reasons/healing.md") and `anchor` the
    /// `#fragment` if any, to be checked after every page is rendered.
    Internal {
        /// The URL written into the HTML (without the fragment).
        url: String,
        /// The key of the page linked to.
        page: String,
        /// The fragment linked to, without `#`.
        anchor: Option<String>,
    },
    /// An image the site resized, written as `<picture>` (only for [`Reference::Image`]).
    Picture(Box<Picture>),
    /// A broken link: message and an optional help line for the diagnostic.
    Broken {
        /// What is wrong, for the diagnostic's main line.
        message: String,
        /// A hint on how to fix it.
        help: Option<String>,
    },
}

/// Everything rendering one page produces.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RenderedMarkdown {
    /// The page body HTML.
    pub html: String,
    /// Time spent highlighting the page's code blocks (part of rendering it), so the
    /// build's stage table can show highlighting on its own line.
    #[serde(skip)]
    pub highlight_time: std::time::Duration,
    /// HTML before `<!-- more -->`, else the first paragraph's HTML (as a
    /// `<p>…</p>`), `None` for a page with no paragraph.
    pub summary_html: Option<String>,
    /// Table of contents of the h2–h4 headings, nested by level.
    pub toc: Vec<TocEntry>,
    /// Every heading, flat and in page order, with the id a link may target.
    pub headings: Vec<Heading>,
    /// Words of visible text, code included, for reading time.
    pub word_count: usize,
    /// Broken links and other problems, with byte ranges into the source.
    pub problems: Vec<MarkdownProblem>,
    /// Anchors linked to, to check once every page is rendered.
    pub anchor_refs: Vec<AnchorRef>,
    /// The plain text split at headings, in page order, for search results that link
    /// straight to the heading nearest the match. The text before the first heading is a
    /// section with an empty id (left out when it is empty).
    pub sections: Vec<TextSection>,
    /// Images written without a description and links without text, in page order, for
    /// `cairn check` (which reports them where they are written).
    pub unnamed: Vec<Unnamed>,
}

/// An image without a description (`![](photo.jpg)`) or a link without text
/// (`[](faq.md)`): screen readers have nothing to say for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unnamed {
    /// An image, or else a link.
    pub image: bool,
    /// The URL written into the HTML (`src` or `href`).
    pub url: String,
    /// Byte range of the image or link in the Markdown source.
    pub range: Range<usize>,
}

/// The plain text of the page from one heading to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TextSection {
    /// The heading's id; empty for the text before the first heading.
    pub id: String,
    /// The heading's plain text; empty for the text before the first heading.
    pub title: String,
    /// The text below the heading, up to the next heading, blocks separated by newlines.
    /// Shared, so the search index reads it without a copy.
    pub text: Arc<str>,
}

/// One entry of the table of contents, with the deeper headings under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TocEntry {
    /// Heading level, 2 to 4.
    pub level: u8,
    /// The heading's id, for `href="#id"`.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// Deeper headings that follow this one, before the next of its level.
    pub children: Vec<TocEntry>,
}

/// One heading of the page and the id it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// Heading level, 1 to 6.
    pub level: u8,
    /// The unique id written on the heading element.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
}

/// A problem found while rendering, such as a broken link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkdownProblem {
    /// Errors fail the build; warnings (a code block left unhighlighted) are only reported.
    pub severity: Severity,
    /// Byte range in the Markdown source that the problem is about.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// A hint on how to fix it.
    pub help: Option<String>,
}

/// A link to an anchor, to be checked once every page's ids are known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorRef {
    /// The key of the page linked to, `None` for this page (`#anchor`).
    pub page: Option<String>,
    /// The id linked to, without `#`.
    pub anchor: String,
    /// Byte range of the link in the Markdown source.
    pub range: Range<usize>,
}

/// Renders one page's Markdown. `resolve` is called for every link and image
/// destination that is a relative path (not starting with a URL scheme like
/// `https:`, `mailto:`, not starting with `/`, not starting with `#`), and for image
/// destinations from the site root (`/images/x.jpg`, which may name a file in `static/`).
/// Fragment-only links (`#x`) become `AnchorRef { page: None, .. }` and are
/// left unchanged in the HTML.
pub fn render(
    source: &str,
    options: &MarkdownOptions,
    resolve: &dyn Fn(&str, Reference) -> LinkTarget,
) -> RenderedMarkdown {
    let events: Vec<_> = Parser::new_ext(source, parser_options())
        .into_offset_iter()
        .collect();
    writer::write_page(source, &events, options, resolve)
}

/// The Markdown extensions cairn enables. Math and metadata blocks stay off:
/// the caller strips front matter before rendering.
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

#[cfg(test)]
mod tests;
