//! End-to-end tests of `render`: Markdown in, page HTML and metadata out.

use std::time::{Duration, Instant};

use super::*;

/// A resolver for pages that link nowhere relative.
fn no_links(_: &str, _: Reference) -> LinkTarget {
    LinkTarget::Unchanged
}

/// A resolver that knows `guide.md` (at `/guide/`) and nothing else.
fn site_links(destination: &str, _: Reference) -> LinkTarget {
    let (path, anchor) = match destination.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_owned())),
        None => (destination, None),
    };
    match path {
        "guide.md" => LinkTarget::Internal {
            url: "/guide/".to_owned(),
            page: "guide.md".to_owned(),
            anchor,
        },
        "cat.png" => LinkTarget::Internal {
            url: "/media/cat.png".to_owned(),
            page: "cat.png".to_owned(),
            anchor: None,
        },
        "raw.txt" => LinkTarget::Unchanged,
        _ => LinkTarget::Broken {
            message: format!("no page at `{path}`"),
            help: Some("check the path".to_owned()),
        },
    }
}

fn render_safe(source: &str) -> RenderedMarkdown {
    render(source, &MarkdownOptions::default(), &no_links)
}

fn render_unsafe(source: &str) -> RenderedMarkdown {
    render(
        source,
        &MarkdownOptions {
            unsafe_html: true,
            ..MarkdownOptions::default()
        },
        &no_links,
    )
}

fn assert_contains(html: &str, expected: &str) {
    assert!(html.contains(expected), "expected {expected:?} in:\n{html}");
}

fn assert_lacks(html: &str, unexpected: &str) {
    assert!(
        !html.contains(unexpected),
        "unexpected {unexpected:?} in:\n{html}"
    );
}

// --- Extensions -------------------------------------------------------------

#[test]
fn tables_use_alignment_classes_not_styles() {
    let page = render_safe("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n");
    assert_contains(&page.html, "<th class=\"align-left\">a</th>");
    assert_contains(&page.html, "<th class=\"align-center\">b</th>");
    assert_contains(&page.html, "<th class=\"align-right\">c</th>");
    assert_contains(&page.html, "<th>d</th>");
    assert_contains(&page.html, "<td class=\"align-right\">3</td>");
    assert_contains(&page.html, "<tbody>\n<tr>");
    assert_contains(&page.html, "</tbody>\n</table>");
    assert_lacks(&page.html, "style=");
    assert_eq!(plain_text(&page), "a b c d\n1 2 3 4");
}

#[test]
fn table_without_body_rows_has_no_tbody() {
    let page = render_safe("| a |\n|---|\n");
    assert_lacks(&page.html, "tbody");
    assert_contains(&page.html, "</thead>\n</table>");
}

#[test]
fn footnotes_get_prefixed_ids_and_back_links() {
    let page = render_safe("Claim[^src] and again[^src].\n\n[^src]: The source.\n");
    assert_contains(
        &page.html,
        "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>",
    );
    // Only the first reference carries the id, so ids stay unique.
    assert_eq!(page.html.matches("id=\"fnref-1\"").count(), 1);
    assert_contains(
        &page.html,
        "<div class=\"footnote-definition\" id=\"fn-1\">",
    );
    assert_contains(&page.html, "href=\"#fnref-1\"");
    assert_contains(&page.html, "<p>The source.</p>");
}

#[test]
fn footnote_ids_never_collide_with_heading_ids() {
    let page = render_safe("## Fn 1\n\nText[^a].\n\n[^a]: Note.\n");
    assert_eq!(page.headings[0].id, "fn-1-1");
    assert_contains(&page.html, "id=\"fn-1\"");
}

#[test]
fn strikethrough_task_lists_and_smart_punctuation() {
    let page =
        render_safe("~~gone~~ \"quoted\" it's -- done...\n\n- [x] done\n- [ ] todo\n- plain\n");
    assert_contains(&page.html, "<del>gone</del>");
    assert_contains(
        &page.html,
        "\u{201C}quoted\u{201D} it\u{2019}s \u{2013} done\u{2026}",
    );
    assert_contains(
        &page.html,
        "<li class=\"task-list-item\"><input type=\"checkbox\" disabled checked> done</li>",
    );
    assert_contains(
        &page.html,
        "<li class=\"task-list-item\"><input type=\"checkbox\" disabled> todo</li>",
    );
    assert_contains(&page.html, "<li>plain</li>");
}

#[test]
fn loose_task_lists_are_recognised_too() {
    let page = render_safe("- [x] one\n\n- [ ] two\n");
    assert_eq!(
        page.html.matches("<li class=\"task-list-item\">").count(),
        2
    );
}

#[test]
fn ordered_lists_keep_their_start() {
    assert_contains(&render_safe("3. three\n4. four\n").html, "<ol start=\"3\">");
    assert_contains(&render_safe("1. one\n").html, "<ol>\n<li>one</li>");
}

#[test]
fn every_alert_kind_becomes_a_callout() {
    for (marker, class, title) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ] {
        let page = render_safe(&format!("> [!{marker}]\n> Mind this.\n"));
        assert_contains(
            &page.html,
            &format!(
                "<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>"
            ),
        );
        assert_contains(&page.html, "<p>Mind this.</p>\n</aside>");
        assert_lacks(&page.html, "blockquote");
        assert_lacks(&page.html, "[!");
    }
}

#[test]
fn plain_blockquotes_stay_blockquotes() {
    let page = render_safe("> Just a quote.\n");
    assert_eq!(
        page.html,
        "<blockquote>\n<p>Just a quote.</p>\n</blockquote>\n"
    );
}

// --- Headings ---------------------------------------------------------------

#[test]
fn headings_get_slug_ids_and_self_links() {
    let page = render_safe("## Über café\n");
    assert_eq!(
        page.html,
        "<h2 id=\"uber-cafe\">Über café <a class=\"heading-anchor\" href=\"#uber-cafe\" aria-label=\"Link to this section\">#</a></h2>\n"
    );
    assert_eq!(
        page.headings,
        vec![Heading {
            level: 2,
            id: "uber-cafe".into(),
            title: "Über café".into()
        }]
    );
    assert_eq!(page.toc[0].title, "Über café");
    assert_eq!(plain_text(&page), "Über café");
}

#[test]
fn duplicate_headings_get_numbered_ids() {
    let page = render_safe("# Intro\n## Intro\n### Intro\n");
    let ids: Vec<_> = page.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["intro", "intro-1", "intro-2"]);
}

#[test]
fn heading_titles_are_plain_text() {
    let page = render_safe("## The *`render`* [function](https://x.example) & co\n");
    assert_eq!(page.headings[0].title, "The render function & co");
    assert_eq!(page.headings[0].id, "the-render-function-co");
    assert_contains(&page.html, "<em><code>render</code></em>");
}

#[test]
fn explicit_ids_and_classes_are_kept_other_attributes_dropped() {
    let page = render_safe("## Setup {#install .wide .x\"y data-x=1 onclick=evil}\n");
    assert_contains(
        &page.html,
        "<h2 id=\"install\" class=\"wide x-y\">Setup <a class=\"heading-anchor\" href=\"#install\"",
    );
    assert_lacks(&page.html, "data-x");
    assert_lacks(&page.html, "onclick");
}

#[test]
fn explicit_ids_are_sanitized() {
    let page = render_safe("## A {#a\"b&c'd .x/y}\n");
    assert_eq!(page.headings[0].id, "a-b-c-d");
    assert_contains(&page.html, "<h2 id=\"a-b-c-d\" class=\"x-y\">");
}

#[test]
fn automatic_ids_avoid_explicit_ids_written_later() {
    let page = render_safe("## Usage\n\n## How to use {#usage}\n");
    assert_eq!(page.headings[0].id, "usage-1");
    assert_eq!(page.headings[1].id, "usage");
    assert!(page.problems.is_empty());
}

#[test]
fn duplicate_explicit_ids_are_renamed_and_reported() {
    let source = "## One {#same}\n\n## Two {#same}\n";
    let page = render_safe(source);
    assert_eq!(page.headings[0].id, "same");
    assert_eq!(page.headings[1].id, "same-1");
    assert_eq!(page.problems.len(), 1);
    assert_eq!(&source[page.problems[0].range.clone()], "## Two {#same}\n");
}

#[test]
fn all_levels_get_ids_but_toc_keeps_two_to_four() {
    let page = render_safe("# T\n## A\n### B\n#### C\n##### D\n###### E\n## F\n");
    assert_eq!(page.headings.len(), 7);
    assert!(page.html.contains("<h6 id=\"e\">"));
    assert_eq!(page.toc.len(), 2);
    assert_eq!(page.toc[0].id, "a");
    assert_eq!(page.toc[0].children[0].id, "b");
    assert_eq!(page.toc[0].children[0].children[0].id, "c");
    assert!(page.toc[0].children[0].children[0].children.is_empty());
    assert_eq!(page.toc[1].id, "f");
}

#[test]
fn empty_heading_gets_the_fallback_id() {
    let page = render_safe("##\n");
    assert_eq!(page.headings[0].id, "section");
    assert_contains(&page.html, "<h2 id=\"section\"><a class=\"heading-anchor\"");
}

// --- Summary, words, plain text ---------------------------------------------

#[test]
fn summary_is_everything_before_the_more_marker() {
    let page = render_safe("First para.\n\nSecond *para*.\n\n  <!--  more  -->\n\nRest.\n");
    assert_eq!(
        page.summary_html.as_deref(),
        Some("<p>First para.</p>\n<p>Second <em>para</em>.</p>")
    );
    assert_lacks(&page.html, "more");
    assert_lacks(&page.html, "<!--");
    assert_contains(&page.html, "<p>Rest.</p>");
}

#[test]
fn more_marker_does_not_trigger_sanitizing_or_survive_unsafe_mode() {
    let page = render_unsafe("Intro.\n\n<!-- more -->\n\nRest.\n");
    assert_eq!(page.html, "<p>Intro.</p>\n<p>Rest.</p>\n");
    assert_eq!(page.summary_html.as_deref(), Some("<p>Intro.</p>"));
}

#[test]
fn more_marker_with_nothing_before_it_falls_back_to_the_first_paragraph() {
    let page = render_safe("<!-- more -->\n\nBody.\n");
    assert_eq!(page.summary_html.as_deref(), Some("<p>Body.</p>"));
    assert_eq!(page.html, "<p>Body.</p>\n");
}

#[test]
fn nested_more_marker_is_dropped_but_does_not_split() {
    let page = render_safe("> Quote.\n>\n> <!-- more -->\n\nAfter.\n");
    assert_eq!(page.summary_html.as_deref(), Some("<p>After.</p>"));
    assert_lacks(&page.html, "more");
}

#[test]
fn images_do_not_hide_the_top_level_from_the_summary() {
    let page = render_safe("![a](a.png)\n\nText.\n\n<!-- more -->\n\nRest.\n");
    assert_eq!(
        page.summary_html.as_deref(),
        Some(
            "<p><img src=\"a.png\" alt=\"a\" loading=\"eager\" fetchpriority=\"high\" decoding=\"async\"></p>\n<p>Text.</p>"
        )
    );
    let page = render_safe("> ![a](a.png)\n\nTop.\n");
    assert_eq!(page.summary_html.as_deref(), Some("<p>Top.</p>"));
}

#[test]
fn summary_defaults_to_the_first_paragraph() {
    let page = render_safe("# Title\n\nThe *first* one.\n\nThe second.\n");
    assert_eq!(
        page.summary_html.as_deref(),
        Some("<p>The <em>first</em> one.</p>")
    );
}

#[test]
fn summary_prefers_a_top_level_paragraph() {
    let page = render_safe("> quoted\n\nTop level.\n");
    assert_eq!(page.summary_html.as_deref(), Some("<p>Top level.</p>"));
    let nested_only = render_safe("> quoted\n");
    assert_eq!(nested_only.summary_html.as_deref(), Some("<p>quoted</p>"));
}

#[test]
fn page_without_paragraphs_has_no_summary() {
    assert_eq!(
        render_safe("# Only a title\n\n- tight item\n").summary_html,
        None
    );
    assert_eq!(render_safe("").summary_html, None);
}

#[test]
fn summary_is_sanitized_like_the_page() {
    let page = render_safe("Hi <img src=x onerror=alert(1)> there.\n\nMore.\n");
    let summary = page.summary_html.unwrap_or_default();
    assert_lacks(&summary, "onerror");
    assert_contains(&summary, "Hi <img src=\"x\"> there.");
}

#[test]
fn word_count_and_plain_text_cover_text_and_code() {
    let page = render_safe(
        "# Title here\n\nSome *emphasised* words, `inline code`.\n\n```rust\nlet x = 1;\n```\n\n- item one\n- item two\n",
    );
    assert_eq!(
        plain_text(&page),
        "Title here\nSome emphasised words, inline code.\nlet x = 1;\nitem one\nitem two"
    );
    assert_eq!(page.word_count, 15);
    assert_lacks(&plain_text(&page), "#");
}

// --- Code -------------------------------------------------------------------

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let page = render_safe("```rust\nfn main() {}\n```\n");
    assert_contains(
        &page.html,
        "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-",
    );
    assert_contains(&page.html, "</code></pre>\n");
    assert_lacks(&page.html, "style=");
}

#[test]
fn unknown_or_missing_language_is_escaped_plain_text() {
    let page = render_safe("```nosuchlang\n<b>&</b>\n```\n");
    assert_eq!(
        page.html,
        "<pre class=\"code\" data-lang=\"nosuchlang\"><code class=\"language-nosuchlang\">&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
    );
    let page = render_safe("```\nplain <x>\n```\n\n    indented\n");
    assert_contains(
        &page.html,
        "<pre class=\"code\"><code>plain &lt;x&gt;\n</code></pre>",
    );
    assert_contains(
        &page.html,
        "<pre class=\"code\"><code>indented\n</code></pre>",
    );
}

#[test]
fn inline_code_is_escaped() {
    assert_eq!(
        render_safe("`<a>`\n").html,
        "<p><code>&lt;a&gt;</code></p>\n"
    );
}

// --- Links and images -------------------------------------------------------

#[test]
fn internal_links_are_rewritten_and_their_anchors_recorded() {
    let source = "See [the guide](guide.md#setup \"Guide\") now.\n";
    let page = render(source, &MarkdownOptions::default(), &site_links);
    assert_contains(
        &page.html,
        "<a href=\"/guide/#setup\" title=\"Guide\">the guide</a>",
    );
    assert_eq!(page.anchor_refs.len(), 1);
    let anchor_ref = &page.anchor_refs[0];
    assert_eq!(anchor_ref.page.as_deref(), Some("guide.md"));
    assert_eq!(anchor_ref.anchor, "setup");
    // The range is the destination, the text to fix when the anchor is wrong.
    assert_eq!(&source[anchor_ref.range.clone()], "guide.md#setup");
    assert!(page.problems.is_empty());
}

#[test]
fn internal_links_without_anchor_record_nothing() {
    let page = render("[g](guide.md)\n", &MarkdownOptions::default(), &site_links);
    assert_contains(&page.html, "<a href=\"/guide/\">g</a>");
    assert!(page.anchor_refs.is_empty());
}

#[test]
fn broken_links_are_reported_and_keep_their_href() {
    let source = "Intro.\n\nA [bad *link*](missing.md) here.\n";
    let page = render(source, &MarkdownOptions::default(), &site_links);
    assert_contains(&page.html, "<a href=\"missing.md\">bad <em>link</em></a>");
    assert_eq!(page.problems.len(), 1);
    let problem = &page.problems[0];
    assert_eq!(&source[problem.range.clone()], "missing.md");
    assert_eq!(problem.message, "no page at `missing.md`");
    assert_eq!(problem.help.as_deref(), Some("check the path"));
}

#[test]
fn reference_links_are_resolved_too() {
    let source = "Read [it][g].\n\n[g]: guide.md#top\n";
    let page = render(source, &MarkdownOptions::default(), &site_links);
    assert_contains(&page.html, "<a href=\"/guide/#top\">it</a>");
    assert_eq!(&source[page.anchor_refs[0].range.clone()], "[it][g]");
}

#[test]
fn external_root_and_fragment_links_skip_the_resolver() {
    let panicking_resolver = |destination: &str, _| -> LinkTarget {
        panic!("resolver called for {destination}");
    };
    let source = "[a](https://example.com/x?a=1&b=2) [b](mailto:me@example.com) [c](/about/) [d](#part) <https://auto.example> <me@example.com>\n";
    let page = render(source, &MarkdownOptions::default(), &panicking_resolver);
    assert_contains(
        &page.html,
        "<a href=\"https://example.com/x?a=1&amp;b=2\">a</a>",
    );
    assert_contains(&page.html, "<a href=\"mailto:me@example.com\">b</a>");
    assert_contains(&page.html, "<a href=\"/about/\">c</a>");
    assert_contains(&page.html, "<a href=\"#part\">d</a>");
    assert_contains(
        &page.html,
        "<a href=\"https://auto.example\">https://auto.example</a>",
    );
    assert_contains(
        &page.html,
        "<a href=\"mailto:me@example.com\">me@example.com</a>",
    );
    let fragment_start = source.find("#part").unwrap_or_default();
    assert_eq!(
        page.anchor_refs,
        vec![AnchorRef {
            page: None,
            anchor: "part".into(),
            range: fragment_start..fragment_start + "#part".len(),
        }]
    );
}

#[test]
fn hrefs_are_escaped() {
    let page = render_safe("[x](<a b\".md>)\n");
    assert_contains(&page.html, "<a href=\"a%20b&quot;.md\">x</a>");
}

#[test]
fn dangerous_schemes_are_neutralized_unless_unsafe() {
    let source = "[j](javascript:alert(1)) [v](VBScript:x) [d](data:text/html,x) ![i](data:image/png;base64,AA)\n";
    let page = render_safe(source);
    assert_lacks(&page.html, "javascript");
    assert_lacks(&page.html, "VBScript");
    assert_lacks(&page.html, "data:text");
    assert_contains(&page.html, "<a>j</a>");
    assert_contains(
        &page.html,
        "<img src=\"data:image/png;base64,AA\" alt=\"i\" loading=\"eager\" fetchpriority=\"high\" decoding=\"async\">",
    );

    let trusting = render_unsafe(source);
    assert_contains(&trusting.html, "<a href=\"javascript:alert(1)\">j</a>");
}

#[test]
fn images_keep_alt_text_are_lazy_after_the_first_and_resolved() {
    let source = "A ![A *fat* cat](cat.png \"Cat\") and ![again](cat.png).\n";
    let page = render(source, &MarkdownOptions::default(), &site_links);
    assert_eq!(
        page.html,
        "<p>A <img src=\"/media/cat.png\" alt=\"A fat cat\" title=\"Cat\" loading=\"eager\" fetchpriority=\"high\" decoding=\"async\"> and <img src=\"/media/cat.png\" alt=\"again\" loading=\"lazy\" decoding=\"async\">.</p>\n"
    );
    assert!(page.anchor_refs.is_empty());
    // Alt text is not visible text.
    assert_eq!(page.word_count, 3, "A, and, .");
}

#[test]
fn an_image_alone_with_a_title_is_a_figure_with_its_caption() {
    let source = "Text ![no](cat.png \"Not alone\").\n\n![A cat](cat.png \"The <cat>\")\n\n![Untitled](cat.png)\n";
    let page = render(source, &MarkdownOptions::default(), &site_links);
    assert_contains(
        &page.html,
        "<figure><img src=\"/media/cat.png\" alt=\"A cat\" loading=\"lazy\" decoding=\"async\"><figcaption>The &lt;cat&gt;</figcaption></figure>\n",
    );
    assert_contains(&page.html, "title=\"Not alone\"");
    assert_contains(
        &page.html,
        "<p><img src=\"/media/cat.png\" alt=\"Untitled\"",
    );
    assert_eq!(page.html.matches("<figure>").count(), 1);
    // The caption is visible text; the summary is the first paragraph, not the figure.
    let text = plain_text(&page);
    assert!(text.contains("The <cat>"), "{text}");
    assert!(page.summary_html.unwrap().starts_with("<p>Text"));
}

#[test]
fn a_resized_image_is_a_picture_with_its_size() {
    let picture = Picture {
        src: "/i/cat-960.jpg".into(),
        width: 960,
        height: 640,
        sources: vec![(
            "image/webp".into(),
            "/i/cat-480.webp 480w, /i/cat-960.webp 960w".into(),
        )],
        srcset: String::new(),
        sizes: "(min-width: 40rem) 37.5rem, 100vw".into(),
    };
    let resolve = |_: &str, reference: Reference| match reference {
        Reference::Image => LinkTarget::Picture(Box::new(picture.clone())),
        Reference::Link => LinkTarget::Unchanged,
    };
    let source = "![A \"cat\"](cat.jpg \"Our cat\")\n\n<b>raw</b> [link](cat.jpg)\n";
    let page = render(source, &MarkdownOptions::default(), &resolve);
    assert_contains(
        &page.html,
        "<figure><picture><source type=\"image/webp\" srcset=\"/i/cat-480.webp 480w, /i/cat-960.webp 960w\" sizes=\"(min-width: 40rem) 37.5rem, 100vw\"><img src=\"/i/cat-960.jpg\" width=\"960\" height=\"640\" alt=\"A “cat”\" loading=\"eager\" fetchpriority=\"high\" decoding=\"async\"></picture><figcaption>Our cat</figcaption></figure>",
    );
    // Links to the image stay links.
    assert_contains(&page.html, "<a href=\"cat.jpg\">link</a>");
}

#[test]
fn a_reference_link_is_pointed_at_as_a_whole() {
    // Its destination is written elsewhere, in the reference definition.
    let source = "See [the page][p].\n\n[p]: missing.md\n";
    let page = render(source, &MarkdownOptions::default(), &site_links);
    assert_eq!(&source[page.problems[0].range.clone()], "[the page][p]");
}

#[test]
fn broken_images_are_reported() {
    let source = "![x](nope.png)\n";
    let page = render(source, &MarkdownOptions::default(), &site_links);
    assert_eq!(page.problems.len(), 1);
    assert_eq!(&source[page.problems[0].range.clone()], "nope.png");
    assert_contains(&page.html, "src=\"nope.png\"");
}

#[test]
fn nested_images_in_alt_text_do_not_break_the_tag() {
    let page = render_safe("![outer ![inner](a.png) \"q\"](b.png)\n");
    assert_contains(
        &page.html,
        "<img src=\"b.png\" alt=\"outer inner \u{201C}q\u{201D}\" loading=\"eager\" fetchpriority=\"high\" decoding=\"async\">",
    );
}

#[test]
fn resolver_gets_the_destination_as_written() {
    let seen = std::cell::RefCell::new(Vec::new());
    let recording = |destination: &str, reference: Reference| {
        seen.borrow_mut().push((destination.to_owned(), reference));
        LinkTarget::Unchanged
    };
    render(
        "[a](../x/y.md#z) ![b](img/p.png) [c](raw.txt) ![d](/static.png) ![e](//cdn/x.png) [f](/g/)\n",
        &MarkdownOptions::default(),
        &recording,
    );
    assert_eq!(
        *seen.borrow(),
        [
            ("../x/y.md#z".to_owned(), Reference::Link),
            ("img/p.png".to_owned(), Reference::Image),
            ("raw.txt".to_owned(), Reference::Link),
            ("/static.png".to_owned(), Reference::Image),
        ]
    );
}

// --- Raw HTML and sanitizing ------------------------------------------------

#[test]
fn raw_html_is_sanitized() {
    let source = "## Keep me\n\n<div onclick=\"x()\" style=\"color:red\">hi<script>alert(1)</script></div>\n\n<style>p{}</style>\n\n<iframe src=\"https://e.example\"></iframe>\n\nA <a href=\"javascript:alert(1)\">link</a> and <img src=\"x.png\" onerror=\"alert(1)\">.\n\n```rust\nlet a = 1;\n```\n";
    let page = render_safe(source);
    for banned in [
        "onclick",
        "style",
        "script",
        "iframe",
        "javascript",
        "onerror",
        "alert",
    ] {
        assert_lacks(&page.html, banned);
    }
    assert_contains(&page.html, "<div>hi</div>");
    assert_contains(
        &page.html,
        "<h2 id=\"keep-me\">Keep me <a class=\"heading-anchor\" href=\"#keep-me\" aria-label=\"Link to this section\">#</a></h2>",
    );
    assert_contains(
        &page.html,
        "<code class=\"language-rust\"><span class=\"hl-",
    );
    assert_contains(&page.html, "<img src=\"x.png\">");
}

#[test]
fn sanitizing_keeps_the_renderers_own_markup() {
    let source = "> [!TIP]\n> Try it[^1].\n\n- [x] done\n\n| a |\n|--:|\n| 1 |\n\n![p](p.png)\n\n<details><summary>More</summary>\n\n<kbd>K</kbd> <mark>m</mark>\n\n</details>\n\n[^1]: Note.\n";
    let sanitized = render_safe(source).html;
    for kept in [
        "<aside class=\"callout callout-tip\" role=\"note\">",
        "<p class=\"callout-title\">Tip</p>",
        "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>",
        "<div class=\"footnote-definition\" id=\"fn-1\">",
        "<li class=\"task-list-item\"><input type=\"checkbox\" disabled=\"\" checked=\"\">",
        "<th class=\"align-right\">a</th>",
        "<img src=\"p.png\" alt=\"p\" loading=\"eager\" fetchpriority=\"high\" decoding=\"async\">",
        "<details><summary>More</summary>",
        "<kbd>K</kbd> <mark>m</mark>",
    ] {
        assert_contains(&sanitized, kept);
    }
}

#[test]
fn unsafe_html_leaves_raw_html_alone() {
    let source = "<div onclick=\"x()\" style=\"color:red\"><script>alert(1)</script></div>\n\nInline <span style=\"color:red\">red</span>.\n";
    let page = render_unsafe(source);
    assert_contains(
        &page.html,
        "<div onclick=\"x()\" style=\"color:red\"><script>alert(1)</script></div>",
    );
    assert_contains(&page.html, "<span style=\"color:red\">red</span>");
}

#[test]
fn pages_without_raw_html_are_not_reparsed() {
    // Sanitizing would write `disabled=""`; the writer's own form proves it was skipped.
    let page = render_safe("- [ ] todo\n");
    assert_contains(&page.html, "<input type=\"checkbox\" disabled> todo");
}

// --- Robustness -------------------------------------------------------------

/// Runs `render` on `source` and fails if it takes longer than `limit`.
fn render_within(source: &str, limit: Duration) -> RenderedMarkdown {
    let started = Instant::now();
    let page = render(source, &MarkdownOptions::default(), &site_links);
    let elapsed = started.elapsed();
    assert!(elapsed < limit, "took {elapsed:?}");
    page
}

#[test]
fn deeply_nested_blockquotes_do_not_panic() {
    let source = format!("{}deep\n", ">".repeat(10_000));
    let page = render_within(&source, Duration::from_secs(5));
    assert_contains(&page.html, "deep");
    // Past the nesting limit, the quotes are flattened but stay balanced.
    let opened = page.html.matches("<blockquote>").count();
    assert!(opened > 0 && opened < 10_000, "{opened}");
    assert_eq!(opened, page.html.matches("</blockquote>").count());
}

#[test]
fn deeply_nested_lists_do_not_panic() {
    let source = format!("{}deep\n", "- ".repeat(10_000));
    let page = render_within(&source, Duration::from_secs(5));
    assert_contains(&page.html, "deep");
    let indented: String = (0..10_000)
        .map(|depth| format!("{}- x\n", "  ".repeat(depth.min(200))))
        .collect();
    render_within(&indented, Duration::from_secs(5));
}

#[test]
fn deep_nesting_with_raw_html_is_sanitized_without_panicking() {
    for nesting in ["> ", "- ", "1. "] {
        let source = format!("{}<b onclick=\"x\">deep</b>\n", nesting.repeat(10_000));
        let page = render_within(&source, Duration::from_secs(5));
        assert_lacks(&page.html, "onclick");
        assert_contains(&page.html, "<b>deep</b>");
    }
    let emphasis = format!("{}a<b>x</b>{}\n", "*".repeat(10_000), "*".repeat(10_000));
    assert_contains(
        &render_within(&emphasis, Duration::from_secs(5)).html,
        "<b>x</b>",
    );
}

#[test]
fn raw_html_nested_too_deeply_is_an_error_and_written_as_text_in_both_modes() {
    let source = format!(
        "Intro.\n\n{}x{}\n",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    for unsafe_html in [false, true] {
        let started = Instant::now();
        let page = render(
            &source,
            &MarkdownOptions {
                unsafe_html,
                ..MarkdownOptions::default()
            },
            &no_links,
        );
        // Generous: the sanitizer took minutes on this before the limit.
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "took {:?}",
            started.elapsed()
        );
        let [problem] = page.problems.as_slice() else {
            panic!("{:?}", page.problems);
        };
        assert_eq!(problem.severity, crate::diagnostics::Severity::Error);
        assert_eq!(
            problem.message,
            "raw HTML is nested more than 256 elements deep"
        );
        // The 257th `<div>`.
        let start = "Intro.\n\n".len() + 256 * "<div>".len();
        assert_eq!(problem.range, start..start + "<div>".len());
        assert!(
            problem
                .help
                .as_deref()
                .unwrap_or_default()
                .starts_with("flatten it")
        );
        assert_lacks(&page.html, "<div>");
        assert_contains(&page.html, "&lt;div&gt;&lt;div&gt;");
    }
}

#[test]
fn raw_html_nested_two_hundred_deep_is_kept() {
    let source = format!("{}x{}\n", "<div>".repeat(200), "</div>".repeat(200));
    for unsafe_html in [false, true] {
        let page = render(
            &source,
            &MarkdownOptions {
                unsafe_html,
                ..MarkdownOptions::default()
            },
            &no_links,
        );
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        assert_eq!(page.html.matches("<div>").count(), 200);
    }
    // Nesting counts across blocks and inline HTML, in page order.
    let blocks = format!(
        "{}\n\ntext {}\n",
        "<section>\n\n".repeat(200),
        "<span>".repeat(100)
    );
    let page = render_safe(&blocks);
    assert_eq!(page.problems.len(), 1, "{:?}", page.problems);
}

#[test]
fn ten_thousand_headings_stay_fast_and_unique() {
    let source: String = (0..10_000).map(|_| "## Same\n\ntext\n\n").collect();
    let page = render_within(&source, Duration::from_secs(5));
    assert_eq!(page.headings.len(), 10_000);
    assert_eq!(page.headings[9_999].id, "same-9999");
    let unique: std::collections::HashSet<_> = page.headings.iter().map(|h| &h.id).collect();
    assert_eq!(unique.len(), 10_000);
    assert_eq!(page.toc.len(), 10_000);
}

#[test]
fn large_pages_render_in_linear_time() {
    let paragraph = "Some *words* with a [link](guide.md#x) and `code`, repeated.\n\n";
    let source = paragraph.repeat(5 * 1024 * 1024 / paragraph.len());
    let page = render_within(&source, Duration::from_secs(30));
    assert!(page.word_count > 500_000);
}

#[test]
fn unbalanced_and_odd_input_does_not_panic() {
    for source in [
        "[",
        "![",
        "<!--",
        "```",
        "```rust\n",
        "| a |\n|",
        "[^x]",
        "[^x]:",
        "> [!NOTE]",
        "#",
        "{#}",
        "## {#}",
        "## x {#\u{0}}",
        "- [ ]",
        "<details>",
        "\u{0}\u{FEFF}é",
        "***\n---\n___",
        "[a](<>)",
        "![a]()",
        "[a](#)",
        "\r\n\r\n",
        "> [!WARNING]\n> > [!TIP]\n> > x",
    ] {
        let page = render(source, &MarkdownOptions::default(), &site_links);
        assert_lacks(&page.html, "style=");
    }
}

// --- The page as a whole ----------------------------------------------------

/// A page using every feature at once, including things that compete for ids.
const KITCHEN_SINK: &str = "# Guide\n\nIntro[^a] with **bold**, ~~old~~ and a [link](guide.md#setup).\n\n\
## Setup {#setup .wide}\n\n> [!WARNING]\n> Careful[^b].\n\n## Setup\n\n## Fn 1\n\n\
| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n```rust\nfn main() {}\n```\n\n\
![cat](cat.png)\n\n<details><summary>More</summary>\n\nHidden <kbd>K</kbd>.\n\n</details>\n\n\
See [setup](#setup) and [the note](#fn-1).\n\n[^a]: First.\n[^b]: Second.\n";

#[test]
fn ids_are_unique_and_every_fragment_link_has_a_target() {
    for options in [
        MarkdownOptions::default(),
        MarkdownOptions {
            unsafe_html: true,
            ..MarkdownOptions::default()
        },
    ] {
        let page = render(KITCHEN_SINK, &options, &site_links);
        let document = scraper::Html::parse_fragment(&page.html);
        let all = scraper::Selector::parse("*").expect("a valid selector");
        let mut ids = std::collections::HashSet::new();
        for element in document.select(&all) {
            assert!(element.attr("style").is_none(), "{}", page.html);
            if let Some(id) = element.attr("id") {
                assert!(
                    ids.insert(id.to_owned()),
                    "duplicate id {id} in\n{}",
                    page.html
                );
            }
        }
        for element in document.select(&all) {
            if let Some(target) = element.attr("href").and_then(|href| href.strip_prefix('#')) {
                assert!(
                    ids.contains(target),
                    "no target for #{target} in\n{}",
                    page.html
                );
            }
        }
        for heading in &page.headings {
            assert!(ids.contains(&heading.id));
        }
        let heading_ids: Vec<_> = page.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(heading_ids, ["guide", "setup", "setup-1", "fn-1-1"]);
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        assert_eq!(page.anchor_refs.len(), 3);
    }
}

#[test]
fn sections_split_the_text_at_headings() {
    let page = render_safe(
        "Intro *words* here.\n\n## First {#one}\n\nBody one.\n\n- item\n\n### Deeper\n\n```\ncode()\n```\n\n## Empty\n",
    );
    let sections: Vec<(&str, &str, &str)> = page
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str(), &*s.text))
        .collect();
    assert_eq!(
        sections,
        vec![
            ("", "", "Intro words here."),
            ("one", "First", "Body one.\nitem"),
            ("deeper", "Deeper", "code()"),
            ("empty", "Empty", ""),
        ]
    );
}

#[test]
fn a_page_starting_with_a_heading_has_no_intro_section() {
    let page = render_safe("# Title\n\nText.\n");
    assert_eq!(page.sections.len(), 1);
    assert_eq!(page.sections[0].id, "title");
    assert_eq!(&*page.sections[0].text, "Text.");
    assert!(render_safe("").sections.is_empty());
}

#[test]
fn images_without_a_description_and_links_without_text_are_recorded() {
    let source = "![](a.png) ![A cat](b.png)\n\n[](guide.md) [text](guide.md) [![Logo](c.png)](x.md)\n\n[![](d.png)](https://e.org/) <https://e.org/auto>\n";
    let page = render(source, &MarkdownOptions::default(), &site_links);
    let found: Vec<(bool, &str, &str)> = page
        .unnamed
        .iter()
        .map(|u| (u.image, u.url.as_str(), &source[u.range.clone()]))
        .collect();
    assert_eq!(
        found,
        [
            (true, "a.png", "![](a.png)"),
            (false, "/guide/", "[](guide.md)"),
            (true, "d.png", "![](d.png)"),
            (false, "https://e.org/", "[![](d.png)](https://e.org/)"),
        ]
    );
}

/// The page's visible text as search reads it: each section's heading, then its text.
fn plain_text(page: &RenderedMarkdown) -> String {
    page.sections
        .iter()
        .flat_map(|section| [section.title.as_str(), &*section.text])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
