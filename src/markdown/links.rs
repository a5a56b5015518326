//! Link and image destinations: which ones the site resolves, which are
//! fragments of the current page, which are dangerous; and resolving them.

use std::ops::Range;

use super::{AnchorRef, LinkTarget, MarkdownProblem, Picture, Reference};
use crate::diagnostics::Severity;

/// Resolves one page's link and image destinations through the site, and
/// keeps the anchors to check later and the broken links found.
pub(super) struct LinkResolver<'a> {
    resolve: &'a dyn Fn(&str, Reference) -> LinkTarget,
    /// Keep `javascript:` and friends (the site allows unsafe HTML).
    allow_dangerous: bool,
    /// Anchors linked to, in page order.
    pub anchor_refs: Vec<AnchorRef>,
    /// Broken links, in page order.
    pub problems: Vec<MarkdownProblem>,
    /// The Markdown the ranges are in, to point a problem at the destination to fix
    /// rather than at the whole link (empty: at the whole link).
    pub source: &'a str,
}

impl<'a> LinkResolver<'a> {
    /// A resolver asking `resolve` about relative destinations.
    pub(super) fn new(
        resolve: &'a dyn Fn(&str, Reference) -> LinkTarget,
        allow_dangerous: bool,
    ) -> Self {
        LinkResolver {
            resolve,
            allow_dangerous,
            anchor_refs: Vec::new(),
            problems: Vec::new(),
            source: "",
        }
    }

    /// Where `destination` is written inside the link at `range` (the `(…)` part of an
    /// inline link), or the whole link when it is written elsewhere (a reference link).
    fn destination_range(&self, destination: &str, range: &Range<usize>) -> Range<usize> {
        let written = self.source.get(range.clone()).unwrap_or("");
        match written.rfind(&format!("]({destination}")) {
            Some(at) if !destination.is_empty() => {
                let start = range.start + at + 2;
                start..start + destination.len()
            }
            _ => range.clone(),
        }
    }

    /// The URL to write for the link or image at `range` with `destination`,
    /// or `None` when it is dangerous and must be dropped. Relative
    /// destinations go through the site; anchors and broken links are kept.
    pub(super) fn url_for(
        &mut self,
        destination: &str,
        range: &Range<usize>,
        for_image: bool,
    ) -> Option<String> {
        match classify(destination) {
            Destination::Fragment(anchor) => {
                if !anchor.is_empty() && !for_image {
                    self.anchor_refs.push(AnchorRef {
                        page: None,
                        anchor: anchor.to_owned(),
                        range: self.destination_range(destination, range),
                    });
                }
                Some(destination.to_owned())
            }
            Destination::WithScheme(_)
                if !self.allow_dangerous && is_dangerous(destination, for_image) =>
            {
                None
            }
            Destination::WithScheme(_) | Destination::Empty | Destination::RootRelative => {
                Some(destination.to_owned())
            }
            Destination::Relative => {
                let reference = if for_image {
                    Reference::Image
                } else {
                    Reference::Link
                };
                let target = (self.resolve)(destination, reference);
                self.written(destination, range, target, for_image)
            }
        }
    }

    /// How the image at `range` with `destination` is written: as a `<picture>` when the
    /// site resized it, else as an `<img>` with the URL [`LinkResolver::url_for`] gives.
    pub(super) fn image_for(&mut self, destination: &str, range: &Range<usize>) -> ImageSource {
        // A path from the site root may name a file in `static/`; `//host` is another site.
        let asks_site = match classify(destination) {
            Destination::Relative => true,
            Destination::RootRelative => !destination.starts_with("//"),
            _ => false,
        };
        if !asks_site {
            return ImageSource::Url(self.url_for(destination, range, true));
        }
        match (self.resolve)(destination, Reference::Image) {
            LinkTarget::Picture(picture) => ImageSource::Picture(picture),
            target => ImageSource::Url(self.written(destination, range, target, true)),
        }
    }

    /// The URL to write for `destination`, which the site resolved to `target`; problems
    /// and anchors are kept.
    fn written(
        &mut self,
        destination: &str,
        range: &Range<usize>,
        target: LinkTarget,
        for_image: bool,
    ) -> Option<String> {
        match target {
            LinkTarget::Unchanged | LinkTarget::Picture(_) => Some(destination.to_owned()),
            LinkTarget::Internal { url, page, anchor } => {
                let mut url = url;
                if let Some(anchor) = anchor.filter(|anchor| !anchor.is_empty()) {
                    url.push('#');
                    url.push_str(&anchor);
                    if !for_image {
                        self.anchor_refs.push(AnchorRef {
                            page: Some(page),
                            anchor,
                            range: self.destination_range(destination, range),
                        });
                    }
                }
                Some(url)
            }
            LinkTarget::Broken { message, help } => {
                self.problems.push(MarkdownProblem {
                    severity: Severity::Error,
                    range: self.destination_range(destination, range),
                    message,
                    help,
                });
                Some(destination.to_owned())
            }
        }
    }
}

/// How an image is written.
pub(super) enum ImageSource {
    /// An `<img>` with this `src` (none when it was dangerous and dropped).
    Url(Option<String>),
    /// A `<picture>` of resized variants.
    Picture(Box<Picture>),
}

/// What kind of destination a link or image has, as written in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Destination<'a> {
    /// An empty destination, `[text]()`.
    Empty,
    /// A fragment of the current page, `#id`; holds the part after `#`.
    Fragment(&'a str),
    /// A path from the site root (`/about/`) or a scheme-relative URL (`//host`).
    RootRelative,
    /// A URL with a scheme, such as `https:` or `mailto:`; holds the scheme, lowercased.
    WithScheme(String),
    /// A path relative to the page, such as `other.md#part`; the site resolves it.
    Relative,
}

/// Classifies a destination the way a browser would read it: leading spaces
/// and control characters are ignored, tabs and newlines are dropped.
pub(super) fn classify(destination: &str) -> Destination<'_> {
    if let Some(fragment) = destination.strip_prefix('#') {
        return Destination::Fragment(fragment);
    }
    let significant = destination.trim_start_matches(|c: char| c <= ' ');
    if significant.is_empty() {
        return Destination::Empty;
    }
    if significant.starts_with('/') {
        return Destination::RootRelative;
    }
    match scheme_of(significant) {
        Some(scheme) => Destination::WithScheme(scheme),
        None => Destination::Relative,
    }
}

/// The lowercased scheme of `url` (`javascript` for `JavaScript:alert(1)`),
/// ignoring tabs and newlines inside it as browsers do; `None` if it has none.
fn scheme_of(url: &str) -> Option<String> {
    let mut scheme = String::new();
    for character in url.chars() {
        match character {
            '\t' | '\n' | '\r' => continue,
            ':' => return (!scheme.is_empty()).then_some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => {
                scheme.push(c);
            }
            _ => return None,
        }
    }
    None
}

/// True for destinations that would run script or load arbitrary content
/// when followed: `javascript:`, `vbscript:` and `data:`. For images,
/// `data:image/…` is allowed (an image cannot run script from `<img src>`).
pub(super) fn is_dangerous(destination: &str, for_image: bool) -> bool {
    let Destination::WithScheme(scheme) = classify(destination) else {
        return false;
    };
    match scheme.as_str() {
        "javascript" | "vbscript" => true,
        "data" => !(for_image && is_data_image(destination)),
        _ => false,
    }
}

/// True when `destination` is a `data:image/…` URL (case-insensitively).
pub(super) fn is_data_image(destination: &str) -> bool {
    let significant: String = destination
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take("data:image/".len())
        .collect();
    significant.eq_ignore_ascii_case("data:image/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("#intro"), Destination::Fragment("intro"));
        assert_eq!(classify("#"), Destination::Fragment(""));
        assert_eq!(classify(""), Destination::Empty);
        assert_eq!(classify("/about/"), Destination::RootRelative);
        assert_eq!(classify("//cdn.example"), Destination::RootRelative);
        assert_eq!(
            classify("HTTPS://example.com"),
            Destination::WithScheme("https".into())
        );
        assert_eq!(
            classify("mailto:a@b.c"),
            Destination::WithScheme("mailto".into())
        );
        assert_eq!(classify("other.md"), Destination::Relative);
        assert_eq!(classify("../a/b.md#x"), Destination::Relative);
        assert_eq!(classify("dir/file:name.md"), Destination::Relative);
        assert_eq!(classify("?q=1"), Destination::Relative);
        assert_eq!(classify("2024:notes"), Destination::Relative);
    }

    #[test]
    fn recognises_dangerous_schemes_however_written() {
        assert!(is_dangerous("javascript:alert(1)", false));
        assert!(is_dangerous("JaVaScRiPt:alert(1)", false));
        assert!(is_dangerous(" \u{1}java\tscript:alert(1)", false));
        assert!(is_dangerous("vbscript:x", false));
        assert!(is_dangerous("data:text/html,<script>", false));
        assert!(is_dangerous("data:text/html,x", true));
        assert!(is_dangerous("data:image/png;base64,AAAA", false));
        assert!(!is_dangerous("data:image/png;base64,AAAA", true));
        assert!(!is_dangerous("DATA:Image/png;base64,AAAA", true));
        assert!(!is_dangerous("https://example.com/javascript:", false));
        assert!(!is_dangerous("notes/javascript:x.md", false));
    }
}
