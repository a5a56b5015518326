//! A limit on how deeply a page's raw HTML nests, checked before anything parses the page's
//! HTML for real.
//!
//! HTML parsers (html5ever in the sanitizer and in `cairn check`, and browsers) look through
//! their stack of open elements for most tags, so raw HTML that opens elements 100,000 deep
//! costs time in the square of the depth. To know the depth exactly as a parser sees it
//! (implied end tags, misnested formatting, tables and foreign content all change it), the
//! raw HTML is fed to html5ever itself, one tag at a time, with a tree sink that keeps
//! nothing. After each tag the parser's open elements are counted, and the check stops at
//! the first tag that goes over the limit: no tag costs more than the limit's worth of work,
//! so the check is linear in the page.
//!
//! Only the raw HTML is fed. The renderer's own tags nest at most a hundred deep (deeper
//! Markdown is flattened), so they cannot take the page's depth far past the limit.

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, Tracer, TreeBuilderOpts, TreeSink,
};
use html5ever::{Attribute, ParseOpts, QualName, local_name, ns};

/// How many elements raw HTML may hold open at once. Hand-written HTML rarely goes past a
/// few dozen; past a few hundred, parsing starts to cost more than the page is worth.
pub(super) const MAX_RAW_HTML_DEPTH: usize = 256;

/// Where raw HTML first holds more than `limit` elements open: the index of the piece in
/// `pieces` and the byte offset in it of the tag that went over. `pieces` are the page's
/// raw HTML in page order; they are parsed as one fragment, as the sanitizer parses them.
pub(super) fn first_too_deep<'a>(
    pieces: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Option<(usize, usize)> {
    let mut parser = html5ever::parse_fragment(
        CountingSink::default(),
        ParseOpts {
            tree_builder: TreeBuilderOpts {
                // `<noscript>` content is then parsed as elements: the deeper reading.
                scripting_enabled: false,
                ..TreeBuilderOpts::default()
            },
            ..ParseOpts::default()
        },
        QualName::new(None, ns!(html), local_name!("div")),
        Vec::new(),
        false,
    );
    let mut counter = Counter::default();
    let baseline = counter.count(&parser);
    for (index, piece) in pieces.into_iter().enumerate() {
        let mut starts: Vec<usize> = piece.match_indices('<').map(|(at, _)| at).collect();
        if starts.first() != Some(&0) {
            starts.insert(0, 0);
        }
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(piece.len());
            let Some(part) = piece.get(start..end).filter(|part| !part.is_empty()) else {
                continue;
            };
            parser.process(StrTendril::from_slice(part));
            if counter.count(&parser).saturating_sub(baseline) > limit {
                return Some((index, start));
            }
        }
    }
    None
}

/// Counts the distinct elements the parser holds: its open elements and its active
/// formatting elements (which it also walks for most tags).
#[derive(Default)]
struct Counter {
    epoch: Cell<u32>,
    seen: Cell<usize>,
}

impl Counter {
    fn count(&mut self, parser: &html5ever::Parser<CountingSink>) -> usize {
        self.epoch.set(self.epoch.get().wrapping_add(1));
        self.seen.set(0);
        parser.tokenizer.sink.trace_handles(self);
        self.seen.get()
    }
}

impl Tracer for Counter {
    type Handle = Handle;

    fn trace_handle(&self, node: &Handle) {
        if node.mark.get() != self.epoch.get() {
            node.mark.set(self.epoch.get());
            self.seen.set(self.seen.get() + 1);
        }
    }
}

/// A node as the counting sink keeps it: what the tree builder asks about, nothing more.
#[derive(Debug)]
struct Node {
    name: QualName,
    annotation_xml_integration_point: bool,
    template_contents: Option<Handle>,
    /// The last count that saw this node, so each node counts once.
    mark: Cell<u32>,
}

type Handle = Rc<Node>;

fn node(name: QualName) -> Handle {
    Rc::new(Node {
        name,
        annotation_xml_integration_point: false,
        template_contents: None,
        mark: Cell::new(0),
    })
}

/// A tree sink that builds no tree: nodes live only as long as the parser refers to them.
struct CountingSink {
    document: Handle,
}

impl Default for CountingSink {
    fn default() -> Self {
        CountingSink {
            document: node(QualName::new(None, ns!(), local_name!(""))),
        }
    }
}

impl TreeSink for CountingSink {
    type Handle = Handle;
    type Output = ();
    type ElemName<'a> = &'a QualName;

    fn finish(self) {}

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> &'a QualName {
        &target.name
    }

    fn create_element(&self, name: QualName, _: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let template_contents = flags.template.then(|| self.document.clone());
        Rc::new(Node {
            name,
            annotation_xml_integration_point: flags.mathml_annotation_xml_integration_point,
            template_contents,
            mark: Cell::new(0),
        })
    }

    fn create_comment(&self, _: StrTendril) -> Handle {
        node(QualName::new(None, ns!(), local_name!("")))
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> Handle {
        node(QualName::new(None, ns!(), local_name!("")))
    }

    fn append(&self, _: &Handle, _: NodeOrText<Handle>) {}

    fn append_based_on_parent_node(&self, _: &Handle, _: &Handle, _: NodeOrText<Handle>) {}

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        target
            .template_contents
            .clone()
            .unwrap_or_else(|| self.document.clone())
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _: QuirksMode) {}

    fn append_before_sibling(&self, _: &Handle, _: NodeOrText<Handle>) {}

    fn add_attrs_if_missing(&self, _: &Handle, _: Vec<Attribute>) {}

    fn remove_from_parent(&self, _: &Handle) {}

    fn reparent_children(&self, _: &Handle, _: &Handle) {}

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        handle.annotation_xml_integration_point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(html: &str, limit: usize) -> Option<(usize, usize)> {
        first_too_deep([html], limit)
    }

    #[test]
    fn counts_open_elements_as_the_parser_does() {
        assert_eq!(depth_error(&"<div>".repeat(3), 3), None);
        let four = "<div>".repeat(4);
        assert_eq!(depth_error(&four, 3), Some((0, 15)));
        // Closed, void, implied-closed and self-closing foreign elements do not add up.
        let flat = "<div></div><br><img src=x><p>a<p>b<li>c<li>d<svg><path/><path/></svg>";
        assert_eq!(depth_error(&flat.repeat(100), 3), None);
        // A self-closing slash means nothing on an HTML element.
        assert_eq!(depth_error(&"<span/>".repeat(4), 3), Some((0, 21)));
    }

    #[test]
    fn misnesting_that_keeps_elements_open_is_counted() {
        // `</b>` across a `<div>` leaves a div open each time (adoption agency).
        let html = "<b><div></b>".repeat(10);
        assert!(depth_error(&html, 5).is_some());
        // An end tag across a special element is ignored.
        let html = "<span><div></span>".repeat(10);
        assert!(depth_error(&html, 5).is_some());
    }

    #[test]
    fn text_in_comments_scripts_and_attributes_is_not_markup() {
        let hidden =
            "<!--<div><div><div>--><script><div><div><div></script><a title=\"<div><div><div>\">";
        assert_eq!(depth_error(hidden, 2), None);
    }

    #[test]
    fn pieces_nest_across_each_other_and_report_their_index() {
        let pieces = ["<div>", "<div>", "text", "<div><div>"];
        assert_eq!(first_too_deep(pieces, 3), Some((3, 5)));
        assert_eq!(first_too_deep(pieces, 4), None);
    }

    #[test]
    fn a_hundred_thousand_deep_nest_stops_at_the_limit() {
        let html = "<div>".repeat(100_000);
        let started = std::time::Instant::now();
        assert_eq!(
            depth_error(&html, MAX_RAW_HTML_DEPTH),
            Some((0, 5 * MAX_RAW_HTML_DEPTH))
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
