//! The error overlay: a failed build's diagnostics as HTML, shown over the last good page.
//!
//! Everything that comes from the site (messages, file names, source lines, hints) is
//! escaped; the markup uses classes only, styled by `overlay.css`, because the site's
//! Content-Security-Policy forbids inline styles.

use std::fmt::Write;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity, count};
use crate::escape;

/// The overlay's HTML fragment for a failed build.
pub fn render(problems: &Diagnostics) -> String {
    let warnings = problems.warning_count();
    let mut html = String::from(
        "<section class=\"cairn-overlay\" role=\"alertdialog\" aria-modal=\"false\" aria-labelledby=\"cairn-overlay-title\">\n<div class=\"cairn-overlay-header\">\n",
    );
    let _ = writeln!(
        html,
        "<h2 id=\"cairn-overlay-title\">Build failed: {}{}</h2>",
        count(problems.error_count(), "error"),
        match warnings {
            0 => String::new(),
            n => format!(", {}", count(n, "warning")),
        }
    );
    html.push_str(
        "<button type=\"button\" class=\"cairn-overlay-close\" aria-label=\"Hide this message\">Hide</button>\n</div>\n<ol class=\"cairn-diagnostics\">\n",
    );
    for diagnostic in problems {
        diagnostic_html(diagnostic, &mut html);
    }
    html.push_str(
        "</ol>\n<p class=\"cairn-overlay-note\">The page below is from the last successful build. Fix the file and save: this message goes away by itself.</p>\n</section>\n",
    );
    html
}

fn diagnostic_html(diagnostic: &Diagnostic, html: &mut String) {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(
        html,
        "<li class=\"cairn-diagnostic cairn-{severity}\">\n<p class=\"cairn-message\"><strong>{severity}</strong>: {}</p>",
        escape::html(&diagnostic.message)
    );
    let location = diagnostic.location();
    if !location.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"cairn-location\">{}</p>",
            escape::html(&location)
        );
    }
    if let Some(span) = &diagnostic.span {
        let number = span.line.to_string();
        let gutter = " ".repeat(number.len());
        let indent: String = span
            .line_text
            .chars()
            .take(span.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let carets = "^".repeat(span.len.max(1));
        let label = diagnostic
            .label
            .as_deref()
            .map(|l| format!(" {}", escape::html(l)))
            .unwrap_or_default();
        let _ = writeln!(
            html,
            "<pre class=\"cairn-source\"><span class=\"cairn-line-number\">{number}</span> | {}\n{gutter} | {indent}<span class=\"cairn-caret\">{carets}{label}</span></pre>",
            escape::html(&span.line_text)
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(
            html,
            "<p class=\"cairn-help\"><strong>help</strong>: {}</p>",
            escape::html(help)
        );
    }
    html.push_str("</li>\n");
}

/// A whole page for when no build has succeeded yet, so there is no page to lay the overlay
/// over; `overlay` is [`render`]'s output, `script` the reload script tag.
pub fn error_page(overlay: &str, script: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Build failed · cairn</title>\n<link rel=\"stylesheet\" href=\"/__cairn/overlay.css\">\n</head>\n<body>\n<div class=\"cairn-overlay-host\">\n{overlay}</div>\n{script}\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;

    #[test]
    fn shows_location_source_line_caret_and_help_escaped() {
        let file = SourceFile::new(
            "content/<x>.md",
            "---\ntitle: A\n---\nSee [it](<script>.md).\n",
        );
        let problems: Diagnostics = Diagnostic::error("the link `<script>.md` is broken")
            .at(&file, 21..38)
            .help("did you mean `\"a&b\".md`?")
            .into();
        let html = render(&problems);
        assert!(html.contains("Build failed: 1 error</h2>"), "{html}");
        assert!(
            html.contains("<p class=\"cairn-location\">content/&lt;x&gt;.md:4:5</p>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<span class=\"cairn-line-number\">4</span> | See [it](&lt;script&gt;.md).\n  |     <span class=\"cairn-caret\">^^^^^^^^^^^^^^^^^</span>"
            ),
            "{html}"
        );
        assert!(
            html.contains("did you mean `&quot;a&amp;b&quot;.md`?"),
            "{html}"
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }
}
