//! The page summary: the HTML before the `<!-- more -->` marker, or else
//! the first paragraph (preferring one at the top level of the page).

/// Collects summary candidates while the page is written.
#[derive(Debug, Default)]
pub(super) struct SummaryCollector {
    /// Output position and top-levelness of the paragraph being written, if
    /// it may become the summary.
    candidate_start: Option<(usize, bool)>,
    first_top_level_paragraph: Option<String>,
    first_nested_paragraph: Option<String>,
    before_more: Option<String>,
}

impl SummaryCollector {
    /// A paragraph opens at byte `start` of the output; `top_level` is false
    /// inside quotes, lists and the like.
    pub(super) fn paragraph_started(&mut self, start: usize, top_level: bool) {
        let wanted = if top_level {
            self.first_top_level_paragraph.is_none()
        } else {
            self.first_nested_paragraph.is_none()
        };
        if wanted {
            self.candidate_start = Some((start, top_level));
        }
    }

    /// The paragraph opened last has ended; `html` is the output so far.
    pub(super) fn paragraph_ended(&mut self, html: &str) {
        let Some((start, top_level)) = self.candidate_start.take() else {
            return;
        };
        let paragraph = html.get(start..).unwrap_or_default().trim_end().to_owned();
        if top_level {
            self.first_top_level_paragraph = Some(paragraph);
        } else {
            self.first_nested_paragraph = Some(paragraph);
        }
    }

    /// The more marker was found; `html` is the output so far. Only the first
    /// top-level marker with something before it counts.
    pub(super) fn more_marker(&mut self, html: &str, top_level: bool) {
        let before = html.trim_end();
        if top_level && self.before_more.is_none() && !before.is_empty() {
            self.before_more = Some(before.to_owned());
        }
    }

    /// The summary: the HTML before the marker, else the first top-level
    /// paragraph, else the first paragraph at all.
    pub(super) fn into_summary(self) -> Option<String> {
        self.before_more
            .or(self.first_top_level_paragraph)
            .or(self.first_nested_paragraph)
    }
}

/// True for the summary marker `<!-- more -->` (spaces and case tolerated).
pub(super) fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_marker_tolerates_spacing_and_case() {
        assert!(is_more_marker("<!-- more -->\n"));
        assert!(is_more_marker("  <!--more-->  "));
        assert!(is_more_marker("<!--   MORE   -->"));
        assert!(!is_more_marker("<!-- more than this -->"));
        assert!(!is_more_marker("<div>more</div>"));
    }

    #[test]
    fn prefers_marker_then_top_level_then_nested() {
        let mut summary = SummaryCollector::default();
        let html = "<blockquote><p>n</p></blockquote><p>t</p>";
        summary.paragraph_started(12, false);
        summary.paragraph_ended(&html[..20]);
        assert_eq!(summary.first_nested_paragraph.as_deref(), Some("<p>n</p>"));
        summary.paragraph_started(33, true);
        summary.paragraph_ended(html);
        summary.more_marker(html, true);
        assert_eq!(summary.into_summary().as_deref(), Some(html));
    }

    #[test]
    fn marker_needs_content_before_it_and_the_top_level() {
        let mut summary = SummaryCollector::default();
        summary.more_marker("   ", true);
        summary.more_marker("<p>x</p>", false);
        assert_eq!(summary.into_summary(), None);
    }
}
