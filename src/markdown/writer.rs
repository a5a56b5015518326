//! The HTML writer: walks the parser's events once and writes the page's
//! HTML, collecting headings, links, the summary and plain text on the way.
//!
//! It writes its own HTML (rather than pulldown-cmark's `push_html`) so that
//! tables get alignment classes instead of `style`, alerts become callouts,
//! headings get ids and self-links, and footnote ids cannot clash with them.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, Event, LinkType, Tag, TagEnd};

use super::footnotes::Footnotes;
use super::headings::{self, IdRegistry};
use super::links::{ImageSource, LinkResolver};
use super::summary::{self, SummaryCollector};
use super::tables::TableWriter;
use super::{
    Heading, LinkTarget, MarkdownOptions, MarkdownProblem, Picture, Reference, RenderedMarkdown,
    TextSection, Unnamed, highlight, nesting, sanitize,
};
use crate::diagnostics::Severity;
use crate::escape::{push_html, push_url};

/// How deeply quotes, lists and inline emphasis may nest in the output.
/// Deeper levels are flattened (their content is kept, their tags are not):
/// no real page comes close, and HTML parsers (the sanitizer's, browsers')
/// slow down quadratically on pathological depth.
const MAX_WRAPPER_DEPTH: usize = 100;

/// A parser event with its byte range in the Markdown source.
pub(super) type SpannedEvent<'a> = (Event<'a>, Range<usize>);

/// Writes the page for `events` (the whole parse of one source, in order).
pub(super) fn write_page(
    source: &str,
    events: &[SpannedEvent<'_>],
    options: &MarkdownOptions,
    resolve: &dyn Fn(&str, Reference) -> LinkTarget,
) -> RenderedMarkdown {
    let mut writer = PageWriter::new(options, resolve);
    writer.links.source = source;
    writer.write_all(events);
    writer.finish()
}

/// A heading whose content is being written; its id needs the full text.
struct OpenHeading {
    level: u8,
    explicit_id: Option<String>,
    classes: Vec<String>,
    /// Where the heading's content starts in the output.
    content_start: usize,
    title: String,
    range: Range<usize>,
}

/// A fenced or indented code block whose text is being collected.
struct OpenCodeBlock {
    language: Option<String>,
    code: String,
    /// The whole block in the source; it starts at the fence.
    range: Range<usize>,
}

/// An image whose description is being written into its `alt` attribute.
struct OpenImage {
    title: String,
    /// Images nested in the description, whose ends must not close this one.
    nested_images: usize,
    /// Written inside `<picture>`, which the image's end closes.
    in_picture: bool,
    /// The first image of the page: loaded at once, with high priority.
    first: bool,
    /// The only content of a figure: its title becomes the caption.
    in_figure: bool,
    /// Whether the description has any text.
    described: bool,
    /// The `src` written, and where the image is in the source.
    src: String,
    range: Range<usize>,
}

/// A link being written, until its text shows whether it has any.
struct OpenLink {
    href: String,
    range: Range<usize>,
    named: bool,
}

/// All the state of writing one page.
struct PageWriter<'a> {
    options: &'a MarkdownOptions,
    links: LinkResolver<'a>,
    html: String,
    plain_text: String,
    ids: IdRegistry,
    footnotes: Footnotes,
    /// Numbers of the footnote definitions being written, innermost last.
    open_footnotes: Vec<usize>,
    open_heading: Option<OpenHeading>,
    open_code_block: Option<OpenCodeBlock>,
    open_image: Option<OpenImage>,
    /// Set while a paragraph that is one titled image is written as a `<figure>`.
    open_figure: bool,
    /// Images written so far; the first one is loaded eagerly.
    images_written: usize,
    /// Links being written, innermost last.
    open_links: Vec<OpenLink>,
    /// Images and links without text so far.
    unnamed: Vec<Unnamed>,
    in_metadata_block: bool,
    table: TableWriter,
    /// Number of currently open tags, to tell top-level blocks apart.
    open_tags: usize,
    /// Number of currently open nestable wrappers (see [`MAX_WRAPPER_DEPTH`]).
    wrapper_depth: usize,
    summary: SummaryCollector,
    contains_raw_html: bool,
    /// Set when the page's raw HTML nests too deeply: it is then written as escaped text.
    escape_raw_html: bool,
    /// Bytes of code that may still be highlighted on this page.
    highlight_budget: usize,
    /// Set once a block was left plain for the page's budget, so the page warns once.
    page_budget_warned: bool,
    /// Time spent in the highlighter so far.
    highlight_time: std::time::Duration,
    headings: Vec<Heading>,
    /// Problems found by the writer itself (duplicate heading ids).
    problems: Vec<MarkdownProblem>,
    /// The text split at headings so far (see [`RenderedMarkdown::sections`]).
    sections: Vec<TextSection>,
    /// Where the current section's text starts in `plain_text`.
    section_start: usize,
}

impl<'a> PageWriter<'a> {
    /// A writer with empty output for one page.
    fn new(
        options: &'a MarkdownOptions,
        resolve: &'a dyn Fn(&str, Reference) -> LinkTarget,
    ) -> Self {
        PageWriter {
            options,
            links: LinkResolver::new(resolve, options.unsafe_html),
            html: String::new(),
            plain_text: String::new(),
            ids: IdRegistry::default(),
            footnotes: Footnotes::default(),
            open_footnotes: Vec::new(),
            open_heading: None,
            open_code_block: None,
            open_image: None,
            open_figure: false,
            images_written: 0,
            open_links: Vec::new(),
            unnamed: Vec::new(),
            in_metadata_block: false,
            table: TableWriter::default(),
            open_tags: 0,
            wrapper_depth: 0,
            summary: SummaryCollector::default(),
            contains_raw_html: false,
            escape_raw_html: false,
            highlight_budget: highlight::PAGE_HIGHLIGHT_BUDGET_BYTES,
            page_budget_warned: false,
            highlight_time: std::time::Duration::ZERO,
            headings: Vec::new(),
            problems: Vec::new(),
            sections: Vec::new(),
            section_start: 0,
        }
    }

    /// Writes every event of the page, in order.
    fn write_all(&mut self, events: &[SpannedEvent<'_>]) {
        self.register_ids(events);
        self.check_raw_html_depth(events);
        let mut index = 0;
        while index < events.len() {
            index = self.write_event(events, index);
        }
    }

    /// Numbers the footnotes and reserves their ids, then reserves the
    /// author-written heading ids, before anything is written: automatic
    /// ids must avoid ids that appear later in the page.
    fn register_ids(&mut self, events: &[SpannedEvent<'_>]) {
        let mut explicit_ids = Vec::new();
        for (event, _) in events {
            match event {
                Event::FootnoteReference(label) => self.footnotes.note_reference(label),
                Event::Start(Tag::Heading { id: Some(id), .. }) => explicit_ids.push(id),
                _ => {}
            }
        }
        for (event, _) in events {
            if let Event::Start(Tag::FootnoteDefinition(label)) = event {
                self.footnotes.number(label);
            }
        }
        for id in self.footnotes.ids() {
            self.ids.reserve(&id);
        }
        for id in explicit_ids {
            if let Some(clean) = headings::sanitize_author_token(id) {
                self.ids.reserve_explicit(&clean);
            }
        }
    }

    /// Writes the event at `index` and returns the index of the next one to write.
    fn write_event(&mut self, events: &[SpannedEvent<'_>], index: usize) -> usize {
        let Some((event, range)) = events.get(index) else {
            return index + 1;
        };
        // Text (an image's description too) names the links around it; raw HTML may.
        let names = match event {
            Event::Text(text) | Event::Code(text) => !text.trim().is_empty(),
            Event::Html(_) | Event::InlineHtml(_) => true,
            _ => false,
        };
        if names {
            for link in &mut self.open_links {
                link.named = true;
            }
        }
        if self.open_image.is_some() {
            self.write_image_description(event);
            return index + 1;
        }
        match event {
            Event::Start(Tag::HtmlBlock) => return self.write_html_block(events, index),
            Event::Start(tag) => {
                let top_level = self.open_tags == 0;
                self.open_tags += 1;
                if is_wrapper(&tag.to_end()) {
                    self.wrapper_depth += 1;
                    if self.wrapper_depth > MAX_WRAPPER_DEPTH {
                        return index + 1;
                    }
                }
                self.start_tag(
                    tag,
                    range,
                    top_level,
                    events.get(index + 1..).unwrap_or(&[]),
                );
            }
            Event::End(tag) => {
                self.open_tags = self.open_tags.saturating_sub(1);
                if is_wrapper(tag) {
                    let flattened = self.wrapper_depth > MAX_WRAPPER_DEPTH;
                    self.wrapper_depth = self.wrapper_depth.saturating_sub(1);
                    if flattened {
                        self.end_plain_block();
                        return index + 1;
                    }
                }
                self.end_tag(*tag);
            }
            Event::Text(text) => self.write_text(text),
            Event::Code(code) => {
                self.html.push_str("<code>");
                self.write_text(code);
                self.html.push_str("</code>");
            }
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                self.html.push_str("<span class=\"math\">");
                self.write_text(math);
                self.html.push_str("</span>");
            }
            Event::Html(raw) | Event::InlineHtml(raw) => self.write_raw_html(raw),
            Event::FootnoteReference(label) => {
                self.footnotes.write_reference(&mut self.html, label);
            }
            Event::SoftBreak => {
                self.html.push('\n');
                self.push_inline_space();
            }
            Event::HardBreak => {
                self.html.push_str("<br>\n");
                self.push_inline_space();
            }
            Event::Rule => {
                self.html.push_str("<hr>\n");
                self.end_plain_block();
            }
            Event::TaskListMarker(checked) => {
                self.html.push_str("<input type=\"checkbox\" disabled");
                if *checked {
                    self.html.push_str(" checked");
                }
                self.html.push_str("> ");
            }
        }
        index + 1
    }

    /// Writes the opening of `tag`. `following` are the events after it, for
    /// the one look-ahead needed (whether a list item is a task).
    fn start_tag(
        &mut self,
        tag: &Tag<'_>,
        range: &Range<usize>,
        top_level: bool,
        following: &[SpannedEvent<'_>],
    ) {
        match tag {
            Tag::Paragraph if lone_titled_image(following) => {
                self.open_figure = true;
                self.html.push_str("<figure>");
            }
            Tag::Paragraph => {
                if self.open_footnotes.is_empty() {
                    self.summary.paragraph_started(self.html.len(), top_level);
                }
                self.html.push_str("<p>");
            }
            Tag::Heading {
                level, id, classes, ..
            } => {
                self.close_section();
                self.open_heading = Some(OpenHeading {
                    level: *level as u8,
                    explicit_id: id.as_deref().and_then(headings::sanitize_author_token),
                    classes: classes
                        .iter()
                        .filter_map(|class| headings::sanitize_author_token(class))
                        .collect(),
                    content_start: self.html.len(),
                    title: String::new(),
                    range: range.clone(),
                });
            }
            Tag::BlockQuote(None) => self.html.push_str("<blockquote>\n"),
            Tag::BlockQuote(Some(kind)) => self.start_callout(*kind),
            Tag::CodeBlock(kind) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => fence_language(info),
                    CodeBlockKind::Indented => None,
                };
                self.open_code_block = Some(OpenCodeBlock {
                    language,
                    code: String::new(),
                    range: range.clone(),
                });
            }
            // Handled with look-ahead in `write_html_block`.
            Tag::HtmlBlock => {}
            Tag::List(Some(1)) => self.html.push_str("<ol>\n"),
            Tag::List(Some(start)) => self.html.push_str(&format!("<ol start=\"{start}\">\n")),
            Tag::List(None) => self.html.push_str("<ul>\n"),
            Tag::Item => {
                if starts_with_task_marker(following) {
                    self.html.push_str("<li class=\"task-list-item\">");
                } else {
                    self.html.push_str("<li>");
                }
            }
            Tag::FootnoteDefinition(label) => {
                let number = self.footnotes.write_definition_start(&mut self.html, label);
                self.open_footnotes.push(number);
            }
            Tag::DefinitionList => self.html.push_str("<dl>\n"),
            Tag::DefinitionListTitle => self.html.push_str("<dt>"),
            Tag::DefinitionListDefinition => self.html.push_str("<dd>"),
            Tag::Table(alignments) => self.table.start_table(&mut self.html, alignments),
            Tag::TableHead => self.table.start_head(&mut self.html),
            Tag::TableRow => self.table.start_row(&mut self.html),
            Tag::TableCell => self.table.start_cell(&mut self.html),
            Tag::Emphasis => self.html.push_str("<em>"),
            Tag::Strong => self.html.push_str("<strong>"),
            Tag::Strikethrough => self.html.push_str("<del>"),
            Tag::Superscript => self.html.push_str("<sup>"),
            Tag::Subscript => self.html.push_str("<sub>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_link(*link_type, dest_url, title, range),
            Tag::Image {
                dest_url, title, ..
            } => self.start_image(dest_url, title, range),
            Tag::MetadataBlock(_) => self.in_metadata_block = true,
        }
    }

    /// Writes the closing of the tag that `tag` ends.
    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph if self.open_figure => {
                self.open_figure = false;
                self.html.push_str("</figure>\n");
                self.end_plain_block();
            }
            TagEnd::Paragraph => {
                self.html.push_str("</p>\n");
                self.end_plain_block();
                self.summary.paragraph_ended(&self.html);
            }
            TagEnd::Heading(_) => self.finish_heading(),
            TagEnd::BlockQuote(None) => self.html.push_str("</blockquote>\n"),
            TagEnd::BlockQuote(Some(_)) => self.html.push_str("</aside>\n"),
            TagEnd::CodeBlock => self.finish_code_block(),
            TagEnd::HtmlBlock => {}
            TagEnd::List(true) => self.html.push_str("</ol>\n"),
            TagEnd::List(false) => self.html.push_str("</ul>\n"),
            TagEnd::Item => {
                self.html.push_str("</li>\n");
                self.end_plain_block();
            }
            TagEnd::FootnoteDefinition => {
                if let Some(number) = self.open_footnotes.pop() {
                    self.footnotes.write_definition_end(&mut self.html, number);
                }
                self.end_plain_block();
            }
            TagEnd::DefinitionList => self.html.push_str("</dl>\n"),
            TagEnd::DefinitionListTitle => {
                self.html.push_str("</dt>\n");
                self.end_plain_block();
            }
            TagEnd::DefinitionListDefinition => {
                self.html.push_str("</dd>\n");
                self.end_plain_block();
            }
            TagEnd::Table => self.table.end_table(&mut self.html),
            TagEnd::TableHead => {
                self.table.end_head(&mut self.html);
                self.end_plain_block();
            }
            TagEnd::TableRow => {
                self.table.end_row(&mut self.html);
                self.end_plain_block();
            }
            TagEnd::TableCell => {
                self.table.end_cell(&mut self.html);
                self.push_inline_space();
            }
            TagEnd::Emphasis => self.html.push_str("</em>"),
            TagEnd::Strong => self.html.push_str("</strong>"),
            TagEnd::Strikethrough => self.html.push_str("</del>"),
            TagEnd::Superscript => self.html.push_str("</sup>"),
            TagEnd::Subscript => self.html.push_str("</sub>"),
            TagEnd::Link => {
                self.html.push_str("</a>");
                if let Some(link) = self.open_links.pop()
                    && !link.named
                {
                    self.unnamed.push(Unnamed {
                        image: false,
                        url: link.href,
                        range: link.range,
                    });
                }
            }
            // Images are closed in `write_image_description`.
            TagEnd::Image => {}
            TagEnd::MetadataBlock(_) => self.in_metadata_block = false,
        }
    }

    /// Writes text: into a code block being collected, or escaped into the
    /// output and also into the plain text (and the open heading's title).
    fn write_text(&mut self, text: &str) {
        if let Some(block) = &mut self.open_code_block {
            block.code.push_str(text);
            return;
        }
        if self.in_metadata_block {
            return;
        }
        push_html(&mut self.html, text);
        if let Some(heading) = &mut self.open_heading {
            heading.title.push_str(text);
        }
        self.plain_text.push_str(text);
    }

    /// Separates the plain text of the block that just ended from the next.
    fn end_plain_block(&mut self) {
        let kept = self.plain_text.trim_end_matches([' ', '\t']).len();
        self.plain_text.truncate(kept);
        if !self.plain_text.is_empty() && !self.plain_text.ends_with('\n') {
            self.plain_text.push('\n');
        }
    }

    /// A line break or cell boundary: a space in the plain text and title.
    fn push_inline_space(&mut self) {
        if !self.plain_text.is_empty() && !self.plain_text.ends_with(char::is_whitespace) {
            self.plain_text.push(' ');
        }
        if let Some(heading) = &mut self.open_heading {
            heading.title.push(' ');
        }
    }

    /// Handles an HTML block starting at `index`: the `<!-- more -->` marker
    /// splits off the summary and is dropped; anything else is raw HTML.
    fn write_html_block(&mut self, events: &[SpannedEvent<'_>], index: usize) -> usize {
        let top_level = self.open_tags == 0;
        let mut content = String::new();
        let mut end = index + 1;
        while let Some((event, _)) = events.get(end) {
            match event {
                Event::End(TagEnd::HtmlBlock) => break,
                Event::Html(raw) | Event::Text(raw) => content.push_str(raw),
                _ => {}
            }
            end += 1;
        }
        if summary::is_more_marker(&content) {
            self.summary.more_marker(&self.html, top_level);
        } else {
            self.write_raw_html(&content);
        }
        end + 1
    }

    /// Writes raw HTML as it is (to be sanitized later, unless the site allows it), or as
    /// escaped text when the page's raw HTML nests too deeply.
    fn write_raw_html(&mut self, raw: &str) {
        if self.escape_raw_html {
            push_html(&mut self.html, raw);
        } else {
            self.contains_raw_html = true;
            self.html.push_str(raw);
        }
    }

    /// Refuses raw HTML that holds more than [`nesting::MAX_RAW_HTML_DEPTH`] elements open,
    /// before anything parses it (see [`nesting`]): the error points at the tag that goes
    /// over, and the page's raw HTML is written as escaped text, in both sanitizing modes.
    fn check_raw_html_depth(&mut self, events: &[SpannedEvent<'_>]) {
        let mut pieces: Vec<(&str, &Range<usize>)> = Vec::new();
        let mut open_images = 0usize;
        let mut in_html_block = false;
        for (event, range) in events {
            match event {
                Event::Start(Tag::Image { .. }) => open_images += 1,
                Event::End(TagEnd::Image) => open_images = open_images.saturating_sub(1),
                Event::Start(Tag::HtmlBlock) => in_html_block = true,
                Event::End(TagEnd::HtmlBlock) => in_html_block = false,
                // Raw HTML in an image description is dropped from the `alt` text.
                Event::Html(raw) | Event::InlineHtml(raw) if open_images == 0 => {
                    pieces.push((raw, range));
                }
                Event::Text(raw) if in_html_block => pieces.push((raw, range)),
                _ => {}
            }
        }
        if pieces.is_empty() {
            return;
        }
        let limit = nesting::MAX_RAW_HTML_DEPTH;
        let Some((index, offset)) =
            nesting::first_too_deep(pieces.iter().map(|(raw, _)| *raw), limit)
        else {
            return;
        };
        let Some((raw, range)) = pieces.get(index) else {
            return;
        };
        // The piece is the source text as written, except that a container's markers
        // (`> `, list indentation) may have been taken off the front of its line.
        let piece_start = range.end.saturating_sub(raw.len()).max(range.start);
        let tag = raw.get(offset..).unwrap_or_default();
        let tag_len = tag.find('>').map_or(tag.len(), |end| end + 1);
        let start = piece_start + offset;
        self.problems.push(MarkdownProblem {
            severity: Severity::Error,
            range: start..start + tag_len,
            message: format!("raw HTML is nested more than {limit} elements deep"),
            help: Some(format!(
                "flatten it: close elements before opening new ones, so that no more than {limit} are open at once"
            )),
        });
        self.escape_raw_html = true;
    }

    /// Writes an event inside an image description, which becomes the `alt`
    /// text: only text is kept; the outermost image end closes the `<img>`.
    fn write_image_description(&mut self, event: &Event<'_>) {
        let Some(image) = &mut self.open_image else {
            return;
        };
        match event {
            Event::Start(tag) => {
                if matches!(tag, Tag::Image { .. }) {
                    image.nested_images += 1;
                }
            }
            Event::End(TagEnd::Image) if image.nested_images > 0 => image.nested_images -= 1,
            Event::End(TagEnd::Image) => self.close_image(),
            Event::Text(text) | Event::Code(text) => {
                image.described |= !text.trim().is_empty();
                push_html(&mut self.html, text);
            }
            Event::SoftBreak | Event::HardBreak => self.html.push(' '),
            _ => {}
        }
    }

    /// Ends the open image's `alt` and writes the rest of it: its title (or, in a figure,
    /// its caption), how it loads, and the end of its `<picture>`.
    fn close_image(&mut self) {
        let Some(image) = self.open_image.take() else {
            return;
        };
        if !image.described {
            self.unnamed.push(Unnamed {
                image: true,
                url: image.src.clone(),
                range: image.range.clone(),
            });
        }
        self.html.push('"');
        if !image.title.is_empty() && !image.in_figure {
            self.html.push_str(" title=\"");
            push_html(&mut self.html, &image.title);
            self.html.push('"');
        }
        if image.first {
            self.html
                .push_str(" loading=\"eager\" fetchpriority=\"high\"");
        } else {
            self.html.push_str(" loading=\"lazy\"");
        }
        self.html.push_str(" decoding=\"async\">");
        if image.in_picture {
            self.html.push_str("</picture>");
        }
        if image.in_figure {
            self.html.push_str("<figcaption>");
            push_html(&mut self.html, &image.title);
            self.html.push_str("</figcaption>");
            self.end_plain_block();
            self.plain_text.push_str(&image.title);
        }
        // The image's start was counted as an open tag.
        self.open_tags = self.open_tags.saturating_sub(1);
    }

    /// Opens a GitHub alert (`> [!NOTE]`) as a callout with a visible title.
    fn start_callout(&mut self, kind: BlockQuoteKind) {
        let (class, title) = match kind {
            BlockQuoteKind::Note => ("note", "Note"),
            BlockQuoteKind::Tip => ("tip", "Tip"),
            BlockQuoteKind::Important => ("important", "Important"),
            BlockQuoteKind::Warning => ("warning", "Warning"),
            BlockQuoteKind::Caution => ("caution", "Caution"),
        };
        self.html.push_str(&format!(
            "<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
        ));
        self.end_plain_block();
        self.plain_text.push_str(title);
        self.end_plain_block();
    }

    /// Opens a link; e-mail autolinks get `mailto:`, others are resolved.
    fn start_link(
        &mut self,
        link_type: LinkType,
        destination: &str,
        title: &str,
        range: &Range<usize>,
    ) {
        let href = if link_type == LinkType::Email {
            Some(format!("mailto:{destination}"))
        } else {
            self.links.url_for(destination, range, false)
        };
        self.html.push_str("<a");
        self.open_links.push(OpenLink {
            href: href.clone().unwrap_or_default(),
            range: range.clone(),
            named: false,
        });
        if let Some(href) = href {
            self.html.push_str(" href=\"");
            push_url(&mut self.html, &href);
            self.html.push('"');
        }
        if !title.is_empty() {
            self.html.push_str(" title=\"");
            push_html(&mut self.html, title);
            self.html.push('"');
        }
        self.html.push('>');
    }

    /// Opens an `<img>` (inside `<picture>` when the site resized it) up to its `alt`
    /// value, which the description fills.
    fn start_image(&mut self, destination: &str, title: &str, range: &Range<usize>) {
        let (in_picture, source) = match self.links.image_for(destination, range) {
            ImageSource::Picture(picture) => {
                write_picture_start(&mut self.html, &picture);
                (true, Some(picture.src.clone()))
            }
            ImageSource::Url(source) => {
                self.html.push_str("<img");
                if let Some(source) = &source {
                    self.html.push_str(" src=\"");
                    push_url(&mut self.html, source);
                    self.html.push('"');
                }
                (false, source)
            }
        };
        self.html.push_str(" alt=\"");
        self.images_written += 1;
        self.open_image = Some(OpenImage {
            title: title.to_owned(),
            nested_images: 0,
            in_picture,
            first: self.images_written == 1,
            in_figure: self.open_figure,
            described: false,
            src: source.unwrap_or_default(),
            range: range.clone(),
        });
    }

    /// Writes the heading now that its text (and so its id) is known: the
    /// content written so far is moved inside `<hN id=…>` with a self-link.
    fn finish_heading(&mut self) {
        let Some(heading) = self.open_heading.take() else {
            return;
        };
        let content_start = heading.content_start.min(self.html.len());
        let content = self.html.split_off(content_start);
        let title = collapse_whitespace(&heading.title);
        let id = match &heading.explicit_id {
            Some(explicit) => {
                let claimed = self.ids.claim_explicit(explicit);
                if claimed.renamed {
                    self.problems.push(MarkdownProblem {
                        severity: Severity::Error,
                        range: heading.range.clone(),
                        message: format!(
                            "the heading id `{explicit}` is already used on this page"
                        ),
                        help: Some(format!(
                            "this heading got the id `{}` instead; give it a unique `{{#id}}`",
                            claimed.id
                        )),
                    });
                }
                claimed.id
            }
            None => self.ids.claim_unique(&headings::heading_id(&title)),
        };

        let level = heading.level;
        self.html.push_str(&format!("<h{level} id=\"{id}\""));
        if !heading.classes.is_empty() {
            self.html
                .push_str(&format!(" class=\"{}\"", heading.classes.join(" ")));
        }
        self.html.push('>');
        self.html.push_str(content.trim_end());
        if !content.trim_end().is_empty() {
            self.html.push(' ');
        }
        self.html.push_str(&format!(
            "<a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{level}>\n"
        ));
        self.end_plain_block();
        self.sections.push(TextSection {
            id: id.clone(),
            title: title.clone(),
            text: std::sync::Arc::default(),
        });
        self.section_start = self.plain_text.len();
        self.headings.push(Heading { level, id, title });
    }

    /// Ends the current section's text where the plain text now ends: before a heading
    /// starts, or at the end of the page. A page's text before its first heading becomes
    /// a section only when there is some.
    fn close_section(&mut self) {
        let start = self.section_start.min(self.plain_text.len());
        let text = self.plain_text[start..].trim().to_owned();
        match self.sections.last_mut() {
            Some(section) => section.text = text.into(),
            None if !text.is_empty() => self.sections.push(TextSection {
                text: text.into(),
                ..TextSection::default()
            }),
            None => {}
        }
        self.section_start = self.plain_text.len();
    }

    /// Writes the collected code block, highlighted when the language is known.
    fn finish_code_block(&mut self) {
        let Some(block) = self.open_code_block.take() else {
            return;
        };
        self.html.push_str("<pre class=\"code\"");
        if let Some(language) = &block.language {
            self.html.push_str(&format!(
                " data-lang=\"{language}\"><code class=\"language-{language}\">"
            ));
        } else {
            self.html.push_str("><code>");
        }
        let started = std::time::Instant::now();
        let highlighted = self.highlight_block(&block);
        self.highlight_time += started.elapsed();
        match highlighted {
            Some(highlighted) => self.html.push_str(&highlighted),
            None => push_html(&mut self.html, &block.code),
        }
        self.html.push_str("</code></pre>\n");
        self.end_plain_block();
        self.plain_text.push_str(&block.code);
        self.end_plain_block();
    }

    /// The highlighted HTML of a code block, or `None` to write it as plain text: when its
    /// language is unknown (silently), or when it is over one of the highlighting bounds
    /// (with a warning at its fence saying which).
    fn highlight_block(&mut self, block: &OpenCodeBlock) -> Option<String> {
        let syntax = highlight::syntax_for(block.language.as_deref()?)?;
        let size = block.code.len();
        if let Err(reason) = highlight::check_size(&block.code) {
            self.left_plain_because(block, reason);
            return None;
        }
        if size > self.highlight_budget {
            if !self.page_budget_warned {
                self.page_budget_warned = true;
                let message = format!(
                    "this code block and the ones after it were left unhighlighted: the page has more than {} of code to highlight",
                    human_size(highlight::PAGE_HIGHLIGHT_BUDGET_BYTES)
                );
                let help = "move some of the code to other pages; or drop the language after the fences of blocks that need no colors";
                self.left_plain(block, message, help);
            }
            return None;
        }
        let site_budget = &self.options.highlight_budget;
        if let Err(first) = site_budget.take(size) {
            if first {
                let message = format!(
                    "code highlighting stopped at this code block: the site has more than {} of code to highlight",
                    human_size(site_budget.total())
                );
                let help = "blocks rendered after this one are plain text; drop the language after the fences of large blocks that need no colors";
                self.left_plain(block, message, help);
            }
            return None;
        }
        self.highlight_budget -= size;
        let store = self.options.highlighted_blocks.0.as_deref();
        let key = store.map(|_| highlight::block_key(syntax, &block.code));
        if let (Some(store), Some(key)) = (store, key)
            && let Some(html) = store.get(key)
            && highlight::is_highlighted_code(&html)
        {
            return Some(html);
        }
        let time_limit = highlight::BLOCK_HIGHLIGHT_TIME_LIMIT;
        match highlight::highlight(&block.code, syntax, time_limit) {
            Ok(html) => {
                if let (Some(store), Some(key)) = (store, key) {
                    store.put(key, &html);
                }
                Some(html)
            }
            Err(highlight::LeftPlain::Failed) => None,
            Err(reason) => {
                self.left_plain_because(block, reason);
                None
            }
        }
    }

    /// Warns at the fence of `block` that it was written as plain text for `reason`.
    fn left_plain_because(&mut self, block: &OpenCodeBlock, reason: highlight::LeftPlain) {
        let message = format!("this code block was left unhighlighted: {reason}");
        self.left_plain(block, message, reason.help());
    }

    /// Warns at the fence of `block` that it was written as plain text.
    fn left_plain(&mut self, block: &OpenCodeBlock, message: String, help: &str) {
        self.problems.push(MarkdownProblem {
            severity: Severity::Warning,
            range: block.range.clone(),
            message,
            help: Some(help.to_owned()),
        });
    }

    /// Assembles the result: sanitizes when raw HTML was written (and the
    /// site does not allow it), picks the summary, builds the toc.
    fn finish(mut self) -> RenderedMarkdown {
        self.close_section();
        let needs_sanitizing = self.contains_raw_html && !self.options.unsafe_html;
        let clean = |html: String| {
            if needs_sanitizing {
                sanitize::sanitize_html(&html)
            } else {
                html
            }
        };
        let summary_html = self.summary.into_summary().map(clean);
        let html = clean(self.html);
        let word_count = self.plain_text.split_whitespace().count();
        let mut problems = self.links.problems;
        problems.extend(self.problems);
        problems.sort_by_key(|problem| problem.range.start);
        RenderedMarkdown {
            highlight_time: self.highlight_time,
            html,
            summary_html,
            toc: headings::build_toc(&self.headings),
            headings: self.headings,
            word_count,
            problems,
            anchor_refs: self.links.anchor_refs,
            sections: self.sections,
            unnamed: self.unnamed,
        }
    }
}

/// Writes `<picture>`, its sources and the start of its `<img>`, up to the `alt`
/// attribute; the width and height keep the page from moving while the image loads.
fn write_picture_start(html: &mut String, picture: &Picture) {
    html.push_str("<picture>");
    for (mime, srcset) in &picture.sources {
        html.push_str("<source type=\"");
        push_html(html, mime);
        html.push_str("\" srcset=\"");
        push_html(html, srcset);
        html.push_str("\" sizes=\"");
        push_html(html, &picture.sizes);
        html.push_str("\">");
    }
    html.push_str("<img src=\"");
    push_url(html, &picture.src);
    html.push('"');
    if !picture.srcset.is_empty() {
        html.push_str(" srcset=\"");
        push_html(html, &picture.srcset);
        html.push_str("\" sizes=\"");
        push_html(html, &picture.sizes);
        html.push('"');
    }
    html.push_str(&format!(
        " width=\"{}\" height=\"{}\"",
        picture.width, picture.height
    ));
}

/// True when a paragraph's events (those after its start) are one image with a title and
/// nothing else: the paragraph is then a `<figure>`, the title its caption.
fn lone_titled_image(following: &[SpannedEvent<'_>]) -> bool {
    let Some((Event::Start(Tag::Image { title, .. }), _)) = following.first() else {
        return false;
    };
    if title.trim().is_empty() {
        return false;
    }
    let mut depth = 0usize;
    for (index, (event, _)) in following.iter().enumerate() {
        match event {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return matches!(
                        following.get(index + 1),
                        Some((Event::End(TagEnd::Paragraph), _))
                    );
                }
            }
            _ => {}
        }
    }
    false
}

/// The language of a fenced code block: the first word of its info string
/// (`rust` in "rust,ignore" or "rust title=x"), reduced to characters safe
/// in a class name; `None` if there is none.
fn fence_language(info: &str) -> Option<String> {
    let first_word = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or_default();
    let language: String = first_word
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '#' | '.'))
        .collect();
    (!language.is_empty()).then_some(language)
}

/// True for tags that only wrap their content and may nest without limit
/// (quotes, lists, emphasis), which are flattened past [`MAX_WRAPPER_DEPTH`].
fn is_wrapper(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// True when a list item's events start with a task marker (`[ ]` / `[x]`),
/// directly or inside the item's first paragraph.
fn starts_with_task_marker(following: &[SpannedEvent<'_>]) -> bool {
    matches!(
        following,
        [(Event::TaskListMarker(_), _), ..]
            | [
                (Event::Start(Tag::Paragraph), _),
                (Event::TaskListMarker(_), _),
                ..
            ]
    )
}

/// A size in bytes as people read it: "64 MB", "512 KB", "20 bytes".
fn human_size(bytes: usize) -> String {
    const KB: usize = 1024;
    match bytes {
        b if b >= KB * KB && b % (KB * KB) == 0 => format!("{} MB", b / (KB * KB)),
        b if b >= KB && b % KB == 0 => format!("{} KB", b / KB),
        b => format!("{b} bytes"),
    }
}

/// Trims `text` and replaces each run of whitespace with one space.
fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_stops_when_the_page_budget_is_spent() {
        let source =
            "```rust\nlet a = 1;\n```\n\n```rust\nlet b = 2;\n```\n\n```rust\nlet c = 3;\n```\n";
        let events: Vec<_> =
            pulldown_cmark::Parser::new_ext(source, super::super::parser_options())
                .into_offset_iter()
                .collect();
        let options = MarkdownOptions::default();
        let resolve = |_: &str, _| LinkTarget::Unchanged;
        let mut writer = PageWriter::new(&options, &resolve);
        writer.highlight_budget = "let a = 1;\n".len();
        writer.write_all(&events);
        let page = writer.finish();
        let blocks: Vec<&str> = page.html.split("</pre>").collect();
        assert!(blocks[0].contains("<span class=\"hl-"), "{}", blocks[0]);
        assert!(!blocks[1].contains("<span"), "{}", blocks[1]);
        assert!(blocks[1].contains("let b = 2;"), "{}", blocks[1]);
        assert!(!blocks[2].contains("<span"), "{}", blocks[2]);
        // One warning for the page, at the fence of the first block left plain.
        let [warning] = page.problems.as_slice() else {
            panic!("{:?}", page.problems);
        };
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(
            warning.range.start,
            source.find("```rust\nlet b").unwrap_or_default()
        );
        assert_eq!(
            warning.message,
            "this code block and the ones after it were left unhighlighted: the page has more than 512 KB of code to highlight"
        );
    }

    #[test]
    fn a_block_with_a_long_line_is_left_plain_with_a_warning_quickly() {
        let line = "echo ".repeat(40_000);
        let source = format!("Text.\n\n```sh\nls\n{line}\n```\n");
        let options = MarkdownOptions::default();
        let started = std::time::Instant::now();
        let page = super::super::render(&source, &options, &|_, _| LinkTarget::Unchanged);
        // Generous: this grammar took seconds on a line this long.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "took {:?}",
            started.elapsed()
        );
        // Exactly the markup of a block the highlighter does not know.
        let plain = super::super::render(
            &format!("Text.\n\n```sh\nls\n{line}\n```\n").replace("```sh", "```no-such-language"),
            &options,
            &|_, _| LinkTarget::Unchanged,
        );
        assert_eq!(page.html, plain.html.replace("no-such-language", "sh"));
        let [warning] = page.problems.as_slice() else {
            panic!("{:?}", page.problems);
        };
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(warning.range.start, "Text.\n\n".len());
        assert_eq!(
            warning.message,
            "this code block was left unhighlighted: its line 2 is longer than 5000 characters"
        );
        assert!(plain.problems.is_empty());
    }

    #[test]
    fn the_site_budget_is_shared_by_pages_and_warns_once() {
        let options = MarkdownOptions {
            highlight_budget: highlight::HighlightBudget::new(25),
            ..MarkdownOptions::default()
        };
        let page = "```rust\nlet a = 1;\n```\n";
        let render = || super::super::render(page, &options, &|_, _| LinkTarget::Unchanged);
        let (first, second, third) = (render(), render(), render());
        for highlighted in [&first, &second] {
            assert!(
                highlighted.html.contains("<span class=\"hl-"),
                "{}",
                highlighted.html
            );
            assert!(highlighted.problems.is_empty());
        }
        assert!(!third.html.contains("<span"), "{}", third.html);
        let [warning] = third.problems.as_slice() else {
            panic!("{:?}", third.problems);
        };
        assert_eq!(
            warning.message,
            "code highlighting stopped at this code block: the site has more than 25 bytes of code to highlight"
        );
        let fourth = render();
        assert!(!fourth.html.contains("<span"));
        assert!(fourth.problems.is_empty(), "the build warns once");
        assert_eq!(fourth.html, third.html);
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(64 * 1024 * 1024), "64 MB");
        assert_eq!(human_size(512 * 1024), "512 KB");
        assert_eq!(human_size(25), "25 bytes");
    }

    #[test]
    fn fence_language_takes_the_first_safe_word() {
        assert_eq!(fence_language("rust").as_deref(), Some("rust"));
        assert_eq!(fence_language("rust,ignore").as_deref(), Some("rust"));
        assert_eq!(fence_language("c++ title=x").as_deref(), Some("c++"));
        assert_eq!(fence_language("\"><script>").as_deref(), Some("script"));
        assert_eq!(fence_language(""), None);
        assert_eq!(fence_language("  "), None);
    }

    #[test]
    fn whitespace_collapses() {
        assert_eq!(collapse_whitespace("  a \n b\t c "), "a b c");
    }
}
