//! Every class of bad input gets a diagnostic naming the file, line and column.

use crate::common::TestSite;

/// Builds a minimal site plus `files`, expects failure, returns the first error.
fn first_error(files: &[(&str, &str)]) -> cairn::diagnostics::Diagnostic {
    let site = TestSite::minimal();
    for (path, text) in files {
        site.write(path, text);
    }
    let problems = site.build_err();
    problems
        .into_iter()
        .find(cairn::diagnostics::Diagnostic::is_error)
        .expect("an error")
}

#[test]
fn bad_yaml() {
    let error = first_error(&[("content/a.md", "---\ntitle: [unclosed\n---\n")]);
    assert!(
        error.location().starts_with("content/a.md:"),
        "{}",
        error.location()
    );
    assert_eq!(error.span.unwrap().line, 2);
}

#[test]
fn unknown_front_matter_key() {
    let error = first_error(&[("content/a.md", "---\ntitle: A\ntitel: B\n---\n")]);
    assert_eq!(error.location(), "content/a.md:3:1");
    assert_eq!(error.message, "unknown key `titel`");
    assert!(error.help.unwrap().starts_with("did you mean `title`?"));
}

#[test]
fn unknown_site_yaml_key() {
    let error = first_error(&[(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ntheem: x\n",
    )]);
    assert_eq!(error.location(), "site.yaml:3:1");
}

#[test]
fn missing_title() {
    // Pointed at the opening `---`: the key is missing, no line holds the mistake.
    let error = first_error(&[("content/a.md", "---\ndescription: no title\n---\n")]);
    assert_eq!(error.location(), "content/a.md:1:1");
    assert_eq!(error.message, "the front matter has no `title`");
}

#[test]
fn bad_date() {
    let error = first_error(&[("content/a.md", "---\ntitle: A\ndate: 2024-02-30\n---\n")]);
    assert_eq!(error.location(), "content/a.md:3:7");
    assert!(error.message.contains("is not a date"));
}

#[test]
fn duplicate_url() {
    let site = TestSite::minimal();
    site.write("content/Post.md", "---\ntitle: A\n---\n");
    site.write("content/other.md", "---\ntitle: B\nslug: post\n---\n");
    let problems = site.build_err();
    let error = &problems[0];
    assert!(
        error.message.contains("content/Post.md") && error.message.contains("content/other.md"),
        "{}",
        error.message
    );
    assert_eq!(error.location(), "content/other.md:3:7");
}

#[test]
fn duplicate_url_by_unicode_normalization() {
    let site = TestSite::minimal();
    site.write("content/caf\u{e9}.md", "---\ntitle: A\n---\n");
    site.write("content/cafe\u{301}.md", "---\ntitle: B\n---\n");
    let problems = site.build_err();
    assert!(
        problems[0].message.contains("the same URL `/cafe/`"),
        "{}",
        problems[0].message
    );
}

#[test]
fn broken_internal_link() {
    let error = first_error(&[
        (
            "content/a.md",
            "---\ntitle: A\n---\nSee [b](b.md) and\n[the faq](fqa.md).\n",
        ),
        ("content/faq.md", "---\ntitle: FAQ\n---\n"),
    ]);
    // The caret is on the destination, the text to fix.
    assert_eq!(error.location(), "content/a.md:4:9");
    assert!(error.message.contains("`b.md`"), "{}", error.message);
}

#[test]
fn every_broken_link_is_reported_with_a_suggestion() {
    let site = TestSite::minimal();
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\nSee [b](b.md) and\n[the faq](fqa.md).\n",
    );
    site.write("content/faq.md", "---\ntitle: FAQ\n---\n");
    let problems = site.build_err();
    assert_eq!(problems.error_count(), 2);
    let second = &problems[1];
    assert_eq!(second.location(), "content/a.md:5:11");
    assert_eq!(second.help.as_deref(), Some("did you mean `faq.md`?"));
}

#[test]
fn broken_anchor() {
    let error = first_error(&[
        (
            "content/a.md",
            "---\ntitle: A\n---\n\nRead [it](b.md#how-lnog).\n",
        ),
        ("content/b.md", "---\ntitle: B\n---\n## How long\n"),
    ]);
    assert_eq!(error.location(), "content/a.md:5:11");
    assert!(error.message.contains("#how-lnog"));
    assert_eq!(error.help.as_deref(), Some("did you mean `#how-long`?"));
}

#[test]
fn broken_anchor_on_the_same_page() {
    let error = first_error(&[("content/a.md", "---\ntitle: A\n---\n## Real\n[x](#fake)\n")]);
    assert_eq!(error.location(), "content/a.md:5:5");
}

#[test]
fn unknown_template() {
    let error = first_error(&[("content/a.md", "---\ntitle: A\ntemplate: pgae.html\n---\n")]);
    assert_eq!(error.location(), "content/a.md:3:11");
    assert_eq!(error.help.as_deref(), Some("did you mean `page.html`?"));
}

#[test]
fn template_syntax_error() {
    let error = first_error(&[(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n",
    )]);
    assert!(
        error.location().starts_with("templates/page.html:"),
        "{}",
        error.location()
    );
    assert!(
        error.message.starts_with("template error:"),
        "{}",
        error.message
    );
}

#[test]
fn template_rendering_error_names_the_template_line() {
    let error = first_error(&[
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ get_page(path=\"nope.md\").title }}\n{% endblock content %}\n",
        ),
        ("content/a.md", "---\ntitle: A\n---\n"),
    ]);
    assert_eq!(error.span.as_ref().unwrap().line, 3, "{error}");
    assert!(error.location().starts_with("templates/page.html:3:"));
}

#[test]
fn unknown_theme() {
    let error = first_error(&[(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ntheme: defualt\n",
    )]);
    assert_eq!(error.location(), "site.yaml:3:8");
    assert_eq!(error.help.as_deref(), Some("did you mean `default`?"));
}

#[test]
fn unclosed_and_missing_front_matter() {
    let error = first_error(&[(
        "content/a.md",
        "---\ntitle: A\n\nBody without a closing fence\n",
    )]);
    assert_eq!(error.message, "the front matter is never closed");
    assert_eq!(error.location(), "content/a.md:1:1");
    let error = first_error(&[("content/a.md", "# Just markdown\n")]);
    assert_eq!(error.message, "the file does not start with front matter");
}

#[test]
fn locations_count_lines_before_the_front_matter_with_crlf_and_bom() {
    let error = first_error(&[(
        "content/a.md",
        "\u{feff}---\r\ntitle: A\r\nwat: 1\r\n---\r\n",
    )]);
    assert_eq!(error.location(), "content/a.md:3:1");
}

#[test]
fn not_utf8() {
    let site = TestSite::minimal();
    std::fs::write(
        site.root().join("content/a.md"),
        b"---\ntitle: A\n---\nbad \xff byte\n",
    )
    .unwrap();
    let problems = site.build_err();
    assert_eq!(problems[0].location(), "content/a.md:4:5");
}

#[test]
fn all_errors_are_reported_together() {
    let site = TestSite::minimal();
    site.write("content/a.md", "---\ntitle: A\ntitel: B\n---\n");
    site.write("content/b.md", "---\ntitle: B\ndate: yesterday\n---\n");
    site.write("content/c.md", "---\ntitle: C\n---\n[x](nope.md)\n");
    let problems = site.build_err();
    // Front matter errors stop a file before its links are checked; both files are named.
    let files: Vec<String> = problems
        .iter()
        .map(cairn::diagnostics::Diagnostic::location)
        .collect();
    assert!(
        files.iter().any(|f| f.starts_with("content/a.md")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.starts_with("content/b.md")),
        "{files:?}"
    );
}

#[test]
fn cli_exit_codes_and_plain_output() {
    let site = TestSite::minimal();
    let bin = env!("CARGO_BIN_EXE_cairn");
    let ok = std::process::Command::new(bin)
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stderr).contains("Built 0 pages and 1 section "));
    site.write("content/a.md", "---\ntitle: A\ntitel: B\n---\n");
    let bad = std::process::Command::new(bin)
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("error: unknown key `titel`"), "{stderr}");
    assert!(stderr.contains("--> content/a.md:3:1"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no color when piped");
    let usage = std::process::Command::new(bin)
        .args(["build", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn unknown_filters_and_functions_in_templates_are_all_reported() {
    let site = TestSite::minimal();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | nofilter }}{{ nofn() }}\n{% endblock content %}\n",
    );
    let problems = site.build_err();
    let locations: Vec<String> = problems
        .iter()
        .map(cairn::diagnostics::Diagnostic::location)
        .collect();
    assert_eq!(
        locations,
        vec!["templates/page.html:3:17", "templates/page.html:3:31"]
    );
    assert_eq!(
        problems[0].message,
        "template error: Unknown filter `nofilter`"
    );
}

/// YAML syntax errors point at the character to fix, in the whole file's lines, wherever
/// the mistake is (not at the first key, where the parser's own position used to land).
#[test]
fn yaml_syntax_errors_point_at_the_character_to_fix() {
    let front = |lines: &str| {
        format!("---\ntitle: A\ndescription: x\ndate: 2024-01-01\ntags: [a]\n{lines}---\nBody.\n")
    };
    let cases = [
        // A tab indenting line 7.
        (
            front("weight: 1\n\tdraft: true\n"),
            "content/a.md:7:1",
            "this line is indented with a tab",
        ),
        // `: ` inside the value on line 6.
        (
            front("slug: why: not\n"),
            "content/a.md:6:10",
            "the value of `slug` holds `: `, which YAML reads as the start of another key",
        ),
        // A quote opened on line 6 and never closed.
        (
            front("slug: \"why-not\nweight: 2\n"),
            "content/a.md:6:7",
            "this `\"` is never closed",
        ),
        // Line 7 indented under line 6's value.
        (
            front("weight: 2\n  draft: true\n"),
            "content/a.md:7:1",
            "this line is indented more than the line above it",
        ),
    ];
    for (text, location, message) in cases {
        let error = first_error(&[("content/a.md", &text)]);
        assert_eq!(
            (error.location().as_str(), error.message.as_str()),
            (location, message),
            "{text}"
        );
        assert!(error.help.is_some(), "{text}");
    }
}

#[test]
fn wrong_types_are_named_by_their_key_in_words() {
    let error = first_error(&[(
        "content/a.md",
        "---\ntitle: A\ndescription: x\nweight: first\n---\n",
    )]);
    assert_eq!(error.location(), "content/a.md:4:9");
    assert_eq!(error.message, "`weight` must be a whole number");
    let error = first_error(&[(
        "content/a.md",
        "---\ntitle: A\ntags: healing, habits\n---\n",
    )]);
    assert_eq!(
        error.message,
        "`tags` must be a list: `tags: [healing, habits]`"
    );
    let error = first_error(&[(
        "content/s/_index.md",
        "---\ntitle: S\nsort_by: newest\n---\n",
    )]);
    assert_eq!(
        error.message,
        "`sort_by` must be one of `weight`, `date`, `title`"
    );
    assert!(error.help.unwrap().starts_with("did you mean `date`?"));
}

#[test]
fn a_missing_image_is_called_an_image_and_its_siblings_are_suggested() {
    let page = "---\ntitle: P\n---\n![A phone](Phone-Down.PNG)\n";
    let site = |link: &str| {
        first_error(&[
            ("content/p/index.md", &page.replace("Phone-Down.PNG", link)),
            ("content/p/phone-down.png", "png"),
            ("content/p/drawer.JPG", "jpg"),
            ("content/p/notes.txt", "text"),
        ])
    };
    // Only the case differs: said so, and the right name given.
    let error = site("Phone-Down.PNG");
    assert_eq!(
        error.message,
        "the image `Phone-Down.PNG` does not exist: the file is `phone-down.png`, which differs in upper and lower case"
    );
    assert!(error.help.unwrap().starts_with("write `phone-down.png`"));
    // A near miss among the images beside it (never `index.md`).
    let error = site("phone_down.png");
    assert!(
        error.message.starts_with("the image `phone_down.png`"),
        "{}",
        error.message
    );
    assert_eq!(
        error.help.as_deref(),
        Some("did you mean `phone-down.png`?")
    );
    // Nothing near: the images there are listed, whatever the case of their extension.
    let error = site("cat.gif");
    assert_eq!(
        error.help.as_deref(),
        Some("the images in that folder are `drawer.JPG`, `phone-down.png`")
    );
}
