//! The allowlist sanitizer applied to pages that contain raw HTML (unless the
//! site allows unsafe HTML). It keeps everything the renderer itself writes.

use std::borrow::Cow;
use std::sync::LazyLock;

use ammonia::Builder;

use super::links;

/// Elements kept on top of ammonia's defaults, because the renderer writes
/// them (callouts, task lists) or authors commonly use them.
const EXTRA_TAGS: &[&str] = &["aside", "section", "input", "picture", "source", "abbr"];

/// Attributes allowed on every element: ids and classes the renderer writes
/// (heading ids, highlighting and table classes) and accessibility hints.
const GENERIC_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "role",
    "aria-label",
    "aria-hidden",
    "aria-describedby",
    "lang",
    "title",
    "dir",
];

/// Element-specific attributes allowed on top of ammonia's defaults.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("pre", &["data-lang"]),
    (
        "img",
        &["loading", "decoding", "fetchpriority", "srcset", "sizes"],
    ),
    ("input", &["type", "checked", "disabled"]),
    ("details", &["open"]),
    ("source", &["srcset", "sizes", "media", "type"]),
    ("ol", &["reversed"]),
    ("time", &["datetime"]),
];

/// The configured sanitizer, built once per process.
static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(build_sanitizer);

/// Returns `html` with everything outside the allowlist removed: scripts,
/// `<style>`, event handlers, `style` attributes, iframes, forms, comments,
/// and `javascript:`/`vbscript:`/non-image `data:` URLs.
pub(super) fn sanitize_html(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Builds the ammonia configuration described on [`sanitize_html`].
fn build_sanitizer() -> Builder<'static> {
    let mut builder = Builder::default();
    builder
        .add_tags(EXTRA_TAGS)
        .add_generic_attributes(GENERIC_ATTRIBUTES)
        .add_url_schemes(&["data"])
        .link_rel(None)
        .attribute_filter(filter_attribute);
    for (tag, attributes) in TAG_ATTRIBUTES {
        builder.add_tag_attributes(tag, *attributes);
    }
    builder
}

/// Per-attribute rules ammonia cannot express: `data:` URLs only as image
/// sources, and form inputs only as checkboxes (the task list markers).
fn filter_attribute<'v>(element: &str, attribute: &str, value: &'v str) -> Option<Cow<'v, str>> {
    match attribute {
        "href" | "src" | "srcset"
            if links::is_dangerous(value, element == "img" && attribute == "src") =>
        {
            None
        }
        "type" if element == "input" && !value.eq_ignore_ascii_case("checkbox") => None,
        _ => Some(Cow::Borrowed(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_handlers_styles_and_frames() {
        let dirty = r#"<p onclick="x()" style="color:red">hi<script>alert(1)</script></p>
<style>p{}</style><iframe src="https://evil.example"></iframe>
<form action="/x"><input type="text" name="q"></form>
<img src="x.png" onerror="alert(1)"><a href="javascript:alert(1)">j</a><a href="JAVA&#9;SCRIPT:x">k</a>"#;
        let clean = sanitize_html(dirty);
        for banned in [
            "onclick",
            "style",
            "script",
            "alert",
            "iframe",
            "form",
            "onerror",
            "javascript",
            "type=\"text\"",
        ] {
            assert!(
                !clean.to_lowercase().contains(banned),
                "{banned} in {clean}"
            );
        }
        assert!(clean.contains("<p>hi</p>"), "{clean}");
        assert!(clean.contains(r#"<img src="x.png">"#), "{clean}");
    }

    #[test]
    fn keeps_what_the_renderer_writes() {
        let ours = concat!(
            r##"<h2 id="x" class="wide">T <a class="heading-anchor" href="#x" aria-label="Link to this section">#</a></h2>"##,
            r#"<pre class="code" data-lang="rust"><code class="language-rust"><span class="hl-source hl-rust">x</span></code></pre>"#,
            r#"<aside class="callout callout-note" role="note"><p class="callout-title">Note</p></aside>"#,
            r#"<table><thead><tr><th class="align-right">a</th></tr></thead></table>"#,
            r#"<ul><li class="task-list-item"><input type="checkbox" disabled="" checked=""> done</li></ul>"#,
            r#"<details open=""><summary>s</summary><figure><img src="data:image/png;base64,AA" alt="a" loading="lazy"></figure></details>"#,
            r##"<p><kbd>K</kbd><mark>m</mark><del>d</del><sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup></p>"##,
            r#"<div class="footnote-definition" id="fn-1"></div>"#,
        );
        assert_eq!(sanitize_html(ours), ours);
    }

    #[test]
    fn data_urls_only_survive_as_image_sources() {
        let clean =
            sanitize_html(r#"<a href="data:text/html,x">a</a><img src="data:text/html,x">"#);
        assert_eq!(clean, "<a>a</a><img>");
    }
}
