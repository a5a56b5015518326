//! Hostile input: whatever an editor or an attacker puts into content, cairn either refuses it
//! with a located error or writes safe output. Never a panic, a hang, or a half-written site.

use crate::common::{TestSite, snapshot};
use scraper::{Html, Selector};

const EVIL: &str =
    r#"</script><img src=x onerror=alert(1)>"><svg onload=alert(2)> {{ 7*7 }} {% raw %} & 'q'"#;

/// Every HTML file of the output, parsed.
fn all_html(site: &TestSite) -> Vec<(String, Html)> {
    walkdir::WalkDir::new(site.public())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().display().to_string(), Html::parse_document(&text))
        })
        .collect()
}

/// Panics if `html` holds a script other than JSON-LD or the theme's own files, an event
/// handler attribute, or an `svg` element (all of which EVIL would inject if unescaped).
fn assert_nothing_injected(path: &str, html: &Html) {
    let script = Selector::parse("script").unwrap();
    let any = Selector::parse("*").unwrap();
    for element in html.select(&script) {
        let kind = element.value().attr("type");
        let src = element.value().attr("src");
        assert!(
            kind == Some("application/ld+json") || src.is_some_and(|s| s.contains("/assets/js/")),
            "unexpected script in {path}: {}",
            element.html()
        );
        if kind == Some("application/ld+json") {
            let json: serde_json::Value = serde_json::from_str(&element.text().collect::<String>())
                .unwrap_or_else(|e| panic!("bad JSON-LD in {path}: {e}"));
            assert!(json.is_object());
        }
    }
    for element in html.select(&any) {
        for (name, _) in element.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name} in {path}");
        }
        assert_ne!(
            element.value().name(),
            "svg",
            "svg element injected in {path}"
        );
    }
}

/// `text` as a double-quoted YAML scalar.
fn yaml_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `text` as Markdown that reads back as exactly `text`: every ASCII punctuation character
/// backslash-escaped (so neither HTML, emphasis nor smart quotes apply).
fn markdown_literal(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = c.is_ascii_punctuation().then_some('\\');
            escape.into_iter().chain([c])
        })
        .collect()
}

#[test]
fn markup_in_titles_descriptions_tags_slugs_and_headings_is_escaped_everywhere() {
    let site = TestSite::minimal();
    let quoted = yaml_quoted(EVIL);
    site.write(
        "content/evil.md",
        &format!(
            "---\ntitle: {quoted}\ndescription: {quoted}\ndate: 2024-01-01\ntags: [{quoted}]\nslug: {quoted}\naliases: [\"/old/it's&(x)/\"]\n---\n## {EVIL}\n\nBody with <script>alert(3)</script> and <img src=x onerror=alert(4)> inline.\n"
        ),
    );
    site.build();
    for (path, html) in all_html(&site) {
        assert_nothing_injected(&path, &html);
    }
    // The page exists under a slug made safe, and its title reads as written.
    let slug = "script-img-src-x-onerror-alert-1-svg-onload-alert-2-7-7-raw-q";
    let page = site.html(&format!("{slug}/index.html"));
    // Template syntax in content is text, never evaluated.
    assert_eq!(page.text("h1"), EVIL);
    assert_eq!(page.attr("meta[name=description]", "content"), EVIL);
    // Feeds and the sitemap stay well-formed XML with the text intact.
    let feed = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("atom.xml is XML");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .unwrap()
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap()
        .text()
        .unwrap()
        .to_string();
    assert_eq!(title, EVIL);
    roxmltree::Document::parse(&site.read("sitemap.xml")).expect("sitemap.xml is XML");
}

#[test]
fn line_endings_byte_order_marks_and_code_fences() {
    let site = TestSite::minimal();
    site.write(
        "content/crlf.md",
        "---\r\ntitle: CRLF\r\n---\r\nLine one\r\n\r\n## Heading\r\n",
    );
    site.write("content/bom.md", "\u{feff}---\ntitle: BOM\n---\nText.\n");
    site.write(
        "content/fence.md",
        "---\ntitle: Fence\n---\n```yaml\n---\ntitle: not front matter\n---\n```\n",
    );
    site.build();
    assert_eq!(site.html("crlf/index.html").text("h1"), "CRLF");
    assert!(site.read("crlf/index.html").contains("id=\"heading\""));
    assert_eq!(site.html("bom/index.html").text("h1"), "BOM");
    assert!(
        site.html("fence/index.html")
            .text("pre")
            .contains("title: not front matter")
    );
}

#[test]
fn empty_files_and_unclosed_front_matter_are_located_errors() {
    for (text, message) in [
        ("", "the file is empty"),
        ("---\ntitle: x\n", "the front matter is never closed"),
    ] {
        let site = TestSite::minimal();
        site.write("content/bad.md", text);
        let problems = site.build_err();
        assert_eq!(problems[0].message, message);
        assert!(problems[0].location().starts_with("content/bad.md"));
    }
}

#[test]
fn huge_pages_many_headings_and_deep_nesting_build_in_bounded_time() {
    let site = TestSite::minimal();
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(20) + "\n\n";
    let big = paragraph.repeat(5 * 1024 * 1024 / paragraph.len() + 1);
    site.write("content/big.md", &format!("---\ntitle: Big\n---\n{big}"));
    let headings: String = (0..10_000)
        .map(|i| format!("## Heading {}\n\ntext\n\n", i % 50))
        .collect();
    site.write(
        "content/headings.md",
        &format!("---\ntitle: Headings\n---\n{headings}"),
    );
    site.write(
        "content/quotes.md",
        &format!("---\ntitle: Quotes\n---\n{}deep\n", "> ".repeat(10_000)),
    );
    let list: String = (0..10_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    site.write(
        "content/lists.md",
        &format!("---\ntitle: Lists\n---\n{list}"),
    );
    let started = std::time::Instant::now();
    site.build();
    // Generous: this guards against hangs and quadratic blow-ups, not a speed claim.
    assert!(
        started.elapsed().as_secs() < 120,
        "took {:?}",
        started.elapsed()
    );
    let headings_page = site.read("headings/index.html");
    assert!(
        headings_page.contains("id=\"heading-0-199\""),
        "deduplicated ids"
    );
    assert!(site.read("quotes/index.html").contains("deep"));
}

#[test]
fn raw_html_nested_a_hundred_thousand_deep_is_a_located_error_in_build_and_check() {
    let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    for unsafe_html in [false, true] {
        let site = TestSite::minimal();
        site.write(
            "site.yaml",
            &format!("title: T\nbase_url: https://example.org/\nunsafe_html: {unsafe_html}\n"),
        );
        site.write(
            "content/deep.md",
            &format!("---\ntitle: Deep\n---\n{deep}\n"),
        );
        let started = std::time::Instant::now();
        let problems = site.build_err();
        let report = cairn::check::check(&cairn::check::CheckOptions {
            build: site.options(),
            strict: false,
            external: None,
        });
        // Generous: this guards against the quadratic parse (minutes before the limit).
        assert!(
            started.elapsed().as_secs() < 10,
            "took {:?}",
            started.elapsed()
        );
        for found in [&problems, &report.problems] {
            let [problem] = &found[..] else {
                panic!("{}", found.render(false));
            };
            assert_eq!(
                problem.message,
                "raw HTML is nested more than 256 elements deep"
            );
            assert_eq!(problem.location(), "content/deep.md:4:1281");
        }
    }
}

#[test]
fn raw_html_nested_two_hundred_deep_builds() {
    let site = TestSite::minimal();
    site.write(
        "content/deep.md",
        &format!(
            "---\ntitle: Deep\n---\n{}x{}\n",
            "<div>".repeat(200),
            "</div>".repeat(200)
        ),
    );
    site.build();
    assert!(site.read("deep/index.html").contains(&"<div>".repeat(200)));
}

#[test]
fn code_with_a_200_kb_line_is_written_plain_with_a_warning_at_its_fence() {
    let site = TestSite::minimal();
    let line = "echo ".repeat(40_000);
    site.write(
        "content/code.md",
        &format!("---\ntitle: Code\n---\nIntro.\n\n```sh\nls\n{line}\n```\n"),
    );
    let started = std::time::Instant::now();
    let report = site.build();
    // Generous: this guards against the highlighter's slowness on long lines.
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
    let [warning] = &report.warnings[..] else {
        panic!("{}", report.warnings.render(false));
    };
    assert_eq!(warning.location(), "content/code.md:6:1");
    assert_eq!(
        warning.message,
        "this code block was left unhighlighted: its line 2 is longer than 5000 characters"
    );
    assert!(site.read("code/index.html").contains(&format!(
        "<pre class=\"code\" data-lang=\"sh\"><code class=\"language-sh\">ls\n{line}\n</code></pre>"
    )));
}

#[test]
fn yaml_alias_bombs_are_refused_with_a_location() {
    let site = TestSite::minimal();
    let mut bomb =
        String::from("---\ntitle: Bomb\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in b'b'..=b'j' {
        let (prev, this) = ((level - 1) as char, level as char);
        bomb.push_str(&format!("  {this}: &{this} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    bomb.push_str("---\n");
    site.write("content/bomb.md", &bomb);
    let problems = site.build_err();
    assert!(
        problems[0].location().starts_with("content/bomb.md:"),
        "{}",
        problems[0]
    );
}

#[test]
fn traversal_slugs_stay_inside_the_output() {
    let site = TestSite::minimal();
    site.write("content/a.md", "---\ntitle: A\nslug: ../../etc\n---\n");
    site.write(
        "content/b.md",
        "---\ntitle: B\naliases: [\"../../../../tmp/pwned/\"]\n---\n",
    );
    let problems = site.build_err();
    assert!(problems.iter().any(|d| {
        d.message
            .contains("cannot be a URL path: `..` is not allowed")
    }));
    site.write("content/b.md", "---\ntitle: B\n---\n");
    site.build();
    assert!(site.public().join("etc/index.html").is_file());
    assert!(!site.root().join("etc").exists());
}

#[test]
fn slugs_differing_by_case_or_normalization_collide() {
    let site = TestSite::minimal();
    site.write("content/Same.md", "---\ntitle: A\n---\n");
    site.write("content/same.md", "---\ntitle: B\n---\n");
    let problems = site.build_err();
    assert!(
        problems[0]
            .message
            .contains("two files publish the same URL `/same/`")
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_broken_symlinks_are_reported() {
    let site = TestSite::minimal();
    std::fs::create_dir_all(site.root().join("content/loop")).unwrap();
    std::os::unix::fs::symlink("..", site.root().join("content/loop/back")).unwrap();
    std::os::unix::fs::symlink("missing.md", site.root().join("content/dangling.md")).unwrap();
    let problems = site.build_err();
    let messages: Vec<String> = problems
        .iter()
        .map(|d| format!("{} {}", d.location(), d.message))
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("symbolic link loop")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("content/dangling.md") && m.contains("broken symbolic link")),
        "{messages:?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_files_are_reported_and_nothing_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::minimal();
    site.build();
    let before = snapshot(&site.public());
    let locked = site.root().join("content/locked.md");
    std::fs::write(&locked, "---\ntitle: Locked\n---\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Running as root: permission bits do not stop reads. A link to a file whose read
        // fails with an I/O error exercises the same path (it points outside the site,
        // which has to be allowed for that).
        site.write(
            "site.yaml",
            "title: Test site\nbase_url: https://example.org/\nfollow_outside_symlinks: true\n",
        );
        std::fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink("/proc/self/mem", &locked).unwrap();
    }
    let problems = site.build_err();
    assert_eq!(problems[0].location(), "content/locked.md");
    assert!(
        problems[0].message.starts_with("cannot read file"),
        "{}",
        problems[0].message
    );
    assert_eq!(before, snapshot(&site.public()));
}

#[test]
fn invalid_utf8_is_a_located_error() {
    let site = TestSite::minimal();
    std::fs::write(
        site.root().join("content/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\n",
    )
    .unwrap();
    let problems = site.build_err();
    assert_eq!(problems[0].location(), "content/latin1.md:2:11");
    assert!(problems[0].help.as_deref().unwrap().contains("UTF-8"));
}

#[test]
fn markup_in_the_search_index_is_stored_as_text_and_escaped_in_the_listing() {
    use cairn::search::shards::format::{Chunk, TermShard, Vocabulary};

    let site = TestSite::minimal();
    let literal = markdown_literal(EVIL);
    site.write(
        "content/evil.md",
        &format!(
            "---\ntitle: {}\nslug: evil\n---\nIntro {literal}\n\n## {literal}\n\nSection text {literal} zanzibarian.\n\n## Raw {EVIL}\n\nRaw text {EVIL} too.\n",
            yaml_quoted(EVIL)
        ),
    );
    site.build();

    // Every JSON file parses; every binary file decodes to its last byte, all its strings
    // UTF-8. Titles, headings and text are stored as data (search.js shows them with
    // textContent): verbatim, never HTML-escaped.
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("search/index.json")).expect("manifest is JSON");
    let doc_count = manifest["docs"].as_u64().unwrap() as usize;
    let (mut titles, mut headings, mut texts, mut windows) = (vec![], vec![], vec![], vec![]);
    for entry in std::fs::read_dir(site.public().join("search")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).unwrap();
        if name.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .unwrap_or_else(|e| panic!("search/{name} is not JSON: {e}"));
        } else if name.starts_with('t') {
            let shard =
                TermShard::read(&bytes, doc_count).unwrap_or_else(|e| panic!("search/{name}: {e}"));
            titles.extend(shard.pages.into_iter().map(|page| page.title.into_owned()));
            headings.extend(shard.docs.into_iter().map(|doc| doc.heading.into_owned()));
            windows.extend(
                shard
                    .stems
                    .into_iter()
                    .flat_map(|stem| stem.hits)
                    .map(|hit| hit.window.into_owned()),
            );
        } else if name.starts_with('d') {
            let chunk = Chunk::read(&bytes).unwrap_or_else(|e| panic!("search/{name}: {e}"));
            titles.extend(chunk.pages.into_iter().map(|page| page.title.into_owned()));
            for doc in chunk.docs {
                headings.push(doc.heading.into_owned());
                texts.push(doc.text.into_owned());
            }
        } else if name.starts_with('v') {
            Vocabulary::read(&bytes).unwrap_or_else(|e| panic!("search/{name}: {e}"));
        } else {
            assert_eq!(name, "index.html", "unexpected file search/{name}");
        }
    }
    assert!(titles.contains(&EVIL.to_string()), "{titles:#?}");
    assert!(headings.contains(&EVIL.to_string()), "{headings:#?}");
    assert!(texts.contains(&format!("Intro {EVIL}")), "{texts:#?}");
    assert!(
        texts.contains(&format!("Section text {EVIL} zanzibarian.")),
        "{texts:#?}"
    );
    // Hit windows are cut to a few words; the payload's start survives in one.
    assert!(
        windows
            .iter()
            .any(|w| w.contains(r#"</script><img src=x onerror=alert(1)>"><svg"#)),
        "{windows:#?}"
    );
    for stored in titles.iter().chain(&headings).chain(&texts).chain(&windows) {
        for escaped in ["&lt;", "&gt;", "&amp;", "&quot;", "&#"] {
            assert!(
                !stored.contains(escaped),
                "HTML-escaped in the index: {stored}"
            );
        }
    }

    // The page listing every page escapes it: nothing injected, text reads as written.
    let raw = site.read("search/index.html");
    assert!(!raw.contains("<img") && !raw.contains("<svg"), "{raw}");
    let listing = site.html("search/index.html");
    assert_nothing_injected("search/index.html", &listing.0);
    let links: Vec<String> = listing
        .all(".all-pages-list a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        links.iter().filter(|text| *text == EVIL).count(),
        2,
        "the page and its heading: {links:#?}"
    );
}

#[test]
fn markup_in_quiz_titles_questions_answers_and_outcomes_is_escaped_in_pages_and_data() {
    let site = TestSite::minimal();
    let q = yaml_quoted(EVIL);
    let markdown = yaml_quoted(&format!("{} and raw {EVIL}", markdown_literal(EVIL)));
    site.write(
        "content/evil.md",
        &format!(
            "---\ntitle: {q}\nslug: evil\n---\n## {} {{#part}}\n\nText.\n",
            markdown_literal(EVIL)
        ),
    );
    site.write(
        "content/quiz/evil.yaml",
        &format!(
            "title: {q}\ndescription: {q}\nintro: {markdown}\nhelp:\n  - {{ label: {q}, url: \"https://example.org/?q=</script><b>\\\"'\" }}\nstart: ask\nnodes:\n  ask:\n    lead: {q}\n    sensitive: true\n    question: {q}\n    help: {markdown}\n    answers:\n      - {{ label: {q}, next: done }}\n      - {{ label: \"No\", next: more }}\n  more:\n    question: {q}\n    answers:\n      - {{ label: {q}, next: done }}\n      - {{ label: \"No\", next: other }}\noutcomes:\n  done:\n    sensitive: true\n    title: {q}\n    body: {markdown}\n    read: [../evil.md#part, ../evil.md]\n  other:\n    title: Other\n    body: Other.\ntests:\n  - {{ answers: [{q}], outcome: done }}\n  - {{ answers: [\"No\", \"No\"], outcome: other }}\n"
        ),
    );
    site.build();

    // The pages: nothing injected, no script element closed early (every script is a
    // file or JSON-LD; quiz data is never inline), and the text reads as written.
    let pages = [
        "quiz/evil/index.html",
        "quiz/evil/more/index.html",
        "quiz/evil/done/index.html",
    ];
    for path in pages {
        let raw = site.read(path);
        assert_eq!(
            raw.matches("<script").count(),
            raw.matches("</script>").count(),
            "a script element closed early in {path}"
        );
        // Raw markup in the Markdown fields is sanitized (a bare `<img src="x">` may stay).
        assert!(
            !raw.contains("<img src=x") && !raw.contains("<svg"),
            "{raw}"
        );
        let page = site.html(path);
        assert_nothing_injected(path, &page.0);
        assert_eq!(page.text("h1"), EVIL, "{path}");
        if path == "quiz/evil/index.html" {
            // The first page: the quiz's title, as `<title>` too.
            assert_eq!(page.text("title"), format!("{EVIL} · Test site"));
        } else {
            assert_eq!(page.text(".quiz-name"), EVIL, "{path}");
            assert_eq!(
                page.text("title"),
                format!("{EVIL} · {EVIL} · Test site"),
                "{path}"
            );
        }
    }
    let start = site.html("quiz/evil/index.html");
    assert!(
        start
            .text(".quiz-intro")
            .starts_with(&format!("{EVIL} and raw"))
    );
    assert_eq!(start.text(".quiz-lead"), EVIL);
    assert_eq!(start.text(".quiz-question"), EVIL);
    assert_eq!(start.text(".quiz-answer"), EVIL);
    assert!(
        start
            .text(".quiz-help")
            .starts_with(&format!("{EVIL} and raw"))
    );
    let outcome = site.html("quiz/evil/done/index.html");
    assert!(
        outcome
            .text(".quiz-body")
            .starts_with(&format!("{EVIL} and raw"))
    );
    let read: Vec<String> = outcome
        .all(".quiz-read li")
        .iter()
        .map(|li| li.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(read, [format!("{EVIL} in {EVIL}"), EVIL.to_string()]);
    assert_eq!(outcome.text(".quiz-support a"), EVIL);
    assert_eq!(
        outcome.attr(".quiz-support a", "href"),
        "https://example.org/?q=</script><b>\"'"
    );

    // The data quiz.js reads: JSON holding the exact strings. Its Markdown fields are the
    // sanitized HTML quiz.js inserts as HTML; plain fields it shows with textContent.
    let data: serde_json::Value =
        serde_json::from_str(&site.read("quiz/evil/flow.json")).expect("flow.json is JSON");
    for pointer in [
        "/title",
        "/description",
        "/help/0/label",
        "/questions/0/lead",
        "/questions/0/question",
        "/questions/0/answers/0/label",
        "/questions/1/question",
        "/questions/1/answers/0/label",
        "/outcomes/0/title",
        "/outcomes/0/read/0/title",
        "/outcomes/0/read/0/page",
        "/outcomes/0/read/1/title",
    ] {
        assert_eq!(
            data.pointer(pointer).and_then(|v| v.as_str()),
            Some(EVIL),
            "{pointer}"
        );
    }
    for pointer in ["/intro", "/questions/0/help", "/outcomes/0/body"] {
        let html = data.pointer(pointer).and_then(|v| v.as_str()).unwrap();
        let fragment = Html::parse_fragment(html);
        assert_nothing_injected(pointer, &fragment);
        let text: String = fragment.root_element().text().collect();
        assert!(
            text.starts_with(&format!("{EVIL} and raw")),
            "{pointer}: {text}"
        );
    }
}

#[test]
fn names_near_the_file_system_limit_build_and_rebuild() {
    let site = TestSite::minimal();
    // 250 bytes: the page's folder and the static file carry it whole. Built twice: new
    // to the output, then changed in place.
    let long = "a".repeat(246);
    for text in ["First", "Second"] {
        site.write(
            &format!("content/{long}.md"),
            &format!("---\ntitle: Long\n---\n{text}.\n"),
        );
        site.write(&format!("static/{long}.txt"), text);
        site.build();
        assert!(site.read(&format!("{long}/index.html")).contains(text));
        assert_eq!(site.read(&format!("{long}.txt")), text);
    }
}
