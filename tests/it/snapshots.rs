//! Snapshots of what readers and editors see: the HTML of a fixture site's pages, and the
//! complete rendered message of common mistakes. A change to either shows up as a diff to
//! review (`cargo insta review`, or `INSTA_UPDATE=always cargo test` to accept).

use crate::common::TestSite;

/// The HTML of a page, with the build's own fingerprints kept (they follow the content, so
/// they are stable) and nothing else to mask.
fn page(site: &TestSite, path: &str) -> String {
    site.read(path)
}

#[test]
fn the_fixture_site_renders_as_reviewed() {
    let site = TestSite::fixture("basic");
    site.build();
    insta::assert_snapshot!("home", page(&site, "index.html"));
    insta::assert_snapshot!("page", page(&site, "about/index.html"));
    insta::assert_snapshot!("section", page(&site, "blog/index.html"));
    insta::assert_snapshot!("tag", page(&site, "tags/rust/index.html"));
    insta::assert_snapshot!("not_found", page(&site, "404.html"));
    insta::assert_snapshot!("feed", page(&site, "atom.xml"));
    insta::assert_snapshot!("sitemap", page(&site, "sitemap.xml"));
}

/// Every problem of a site with `files` written over a minimal one, rendered as the
/// terminal shows them (without colour).
fn messages(files: &[(&str, &str)]) -> String {
    let site = TestSite::minimal();
    for (path, text) in files {
        site.write(path, text);
    }
    site.build_err().render(false)
}

#[test]
fn mistakes_are_reported_as_reviewed() {
    insta::assert_snapshot!(
        "unknown_key",
        messages(&[(
            "content/a.md",
            "---\ntitle: A\ndescription: x\ndraft: false\ntitel: typo\n---\n"
        )])
    );
    insta::assert_snapshot!(
        "broken_link_and_anchor",
        messages(&[
            ("content/faq.md", "---\ntitle: FAQ\n---\n## How long\n"),
            (
                "content/a.md",
                "---\ntitle: A\n---\nOne.\n\nSee [the faq](faq.md#how-lnog) and [gone](gone.md).\n"
            ),
        ])
    );
    insta::assert_snapshot!(
        "duplicate_url",
        messages(&[
            ("content/cafe.md", "---\ntitle: One\n---\n"),
            ("content/b.md", "---\ntitle: Two\nslug: cafe\n---\n"),
        ])
    );
    insta::assert_snapshot!(
        "alias_over_home",
        messages(&[(
            "content/a.md",
            "---\ntitle: A\naliases:\n  - /old/\n  - /index.html\n---\n"
        )])
    );
    insta::assert_snapshot!(
        "bad_date",
        messages(&[("content/a.md", "---\ntitle: A\ndate: 2024-02-30\n---\n")])
    );
    insta::assert_snapshot!(
        "quiz_unknown_target",
        messages(&[(
            "content/quiz/q.yaml",
            "title: Q\nstart: a\nnodes:\n  a:\n    question: Why?\n    answers:\n      - { label: Yes, next: done }\n      - { label: No, next: nowhere }\noutcomes:\n  done:\n    title: Done\n    body: Fine.\n"
        )])
    );
}
