//! Series: a section's `series:` front matter sets a reading order across pages, sections
//! and a quiz; every part knows its number, its neighbours and the contents. Empty sections
//! are not published.

use crate::common::TestSite;
use serde_json::Value;

/// A site whose templates print the `series` value as JSON, so the values themselves are
/// checked, whatever a theme makes of them.
fn series_site() -> TestSite {
    let site = TestSite::minimal();
    let dump = "{% if series is defined %}{{ series | json | safe }}{% else %}none{% endif %}";
    for name in ["page.html", "section.html", "index.html"] {
        site.write(&format!("templates/{name}"), dump);
    }
    site.write(
        "content/_index.md",
        "---\ntitle: Home\nseries:\n  title: The guide\n  parts:\n    - { path: steps/_index.md, label: Step }\n    - after.md\n    - quiz/pick.yaml\n---\nWelcome.\n",
    );
    site.write(
        "content/steps/_index.md",
        "---\ntitle: All the steps\nshort_title: The steps\n---\nThe steps.\n",
    );
    site.write(
        "content/steps/b.md",
        "---\ntitle: Second step\nweight: 2\n---\nB.\n",
    );
    site.write(
        "content/steps/a.md",
        "---\ntitle: First step\nweight: 1\n---\nA.\n",
    );
    site.write("content/after.md", "---\ntitle: After\n---\nDone.\n");
    site.write("content/aside.md", "---\ntitle: Aside\n---\nNot in it.\n");
    site.write(
        "content/quiz/pick.yaml",
        "title: Pick one\nstart: q\nnodes:\n  q:\n    question: Which?\n    answers:\n      - { label: \"A\", next: a }\n      - { label: \"B\", next: b }\noutcomes:\n  a: { title: A, body: A. }\n  b: { title: B, body: B. }\ntests:\n  - { answers: [\"A\"], outcome: a }\n  - { answers: [\"B\"], outcome: b }\n",
    );
    site
}

fn series_of(site: &TestSite, rel: &str) -> Value {
    let text = site.read(rel);
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn titles(series: &Value) -> Vec<String> {
    series["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn parts_follow_the_order_set_in_front_matter() {
    let site = series_site();
    site.build();
    let home = series_of(&site, "index.html");
    assert_eq!(
        titles(&home),
        ["Home", "First step", "Second step", "After", "Pick one"]
    );
    assert_eq!(home["title"], "The guide");
    assert_eq!(home["number"], 1);
    assert_eq!(home["total"], 5);
    assert_eq!(home["previous"], Value::Null);
    assert_eq!(home["next"]["url"], "/steps/a/");
    let numbers: Vec<u64> = home["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
}

#[test]
fn each_part_knows_its_number_group_and_neighbours() {
    let site = series_site();
    site.build();
    let second = series_of(&site, "steps/b/index.html");
    assert_eq!(second["number"], 3);
    assert_eq!(second["group"]["label"], "Step");
    assert_eq!(second["group"]["number"], 2);
    assert_eq!(second["group"]["count"], 2);
    assert_eq!(second["previous"]["title"], "First step");
    assert_eq!(second["next"]["url"], "/after/");
    let after = series_of(&site, "after/index.html");
    assert_eq!(after["group"], Value::Null);
    assert_eq!(after["next"]["title"], "Pick one");
    assert_eq!(after["next"]["url"], "/quiz/pick/");
    // The section that stands for its pages is not a part itself, nor is a page left out.
    assert_eq!(site.read("steps/index.html"), "none");
    assert_eq!(site.read("aside/index.html"), "none");
}

#[test]
fn the_quiz_is_the_last_part_with_the_default_theme() {
    let site = series_site();
    for name in ["page.html", "section.html", "index.html"] {
        std::fs::remove_file(site.root().join("templates").join(name)).unwrap();
    }
    site.build();
    let quiz = site.html("quiz/pick/index.html");
    assert_eq!(quiz.attr("a[rel=prev]", "href"), "/after/");
    assert!(quiz.all("a[rel=next]").is_empty());
    assert!(quiz.text(".series-part").contains("Part 5 of 5"));
}

#[test]
fn a_page_joins_a_listed_section_by_its_front_matter_alone() {
    let site = series_site();
    site.write(
        "content/steps/between.md",
        "---\ntitle: Between\nweight: 1\n---\nIn between? No: first, by title.\n",
    );
    site.build();
    let home = series_of(&site, "index.html");
    assert_eq!(
        titles(&home),
        [
            "Home",
            "Between",
            "First step",
            "Second step",
            "After",
            "Pick one"
        ]
    );
    let first = series_of(&site, "steps/a/index.html");
    assert_eq!(first["group"]["number"], 2);
    assert_eq!(first["group"]["count"], 3);
}

#[test]
fn a_page_added_to_the_parts_list_joins_where_it_is_listed() {
    let site = series_site();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\nseries:\n  parts:\n    - aside.md\n    - { path: steps/_index.md, label: Step }\n---\nWelcome.\n",
    );
    site.build();
    let home = series_of(&site, "index.html");
    assert_eq!(home["title"], "Home", "the section's title by default");
    assert_eq!(
        titles(&home),
        ["Home", "Aside", "First step", "Second step"]
    );
    assert_eq!(site.read("after/index.html"), "none");
}

#[test]
fn drafts_wait_and_short_titles_are_offered() {
    let site = series_site();
    site.write(
        "content/after.md",
        "---\ntitle: After\nshort_title: Then\ndraft: true\n---\nDone.\n",
    );
    site.build();
    let home = series_of(&site, "index.html");
    assert_eq!(
        titles(&home),
        ["Home", "First step", "Second step", "Pick one"]
    );
    let first = series_of(&site, "steps/a/index.html");
    assert_eq!(first["parts"][0]["short_title"], "Home");
}

#[test]
fn mistakes_in_a_series_are_located_errors() {
    let cases = [
        (
            "    - aftr.md\n",
            "the series part `aftr.md` names nothing in content/",
            Some("did you mean `after.md`?"),
        ),
        (
            "    - after.md\n    - after.md\n",
            "content/after.md is in this series twice",
            None,
        ),
        (
            "    - after.md#top\n",
            "the series part `after.md#top` is not a file in content/",
            None,
        ),
        (
            "    - { path: after.md, label: Step }\n",
            "`label` numbers the pages of a section; this part is one page",
            None,
        ),
        (
            "    - _index.md\n",
            "a series starts at the page of the section that sets it; it is the first part already",
            None,
        ),
    ];
    for (parts, message, help) in cases {
        let site = series_site();
        site.write(
            "content/_index.md",
            &format!("---\ntitle: Home\nseries:\n  parts:\n{parts}---\nWelcome.\n"),
        );
        let problems = site.build_err();
        let error = problems.iter().next().unwrap();
        assert_eq!(error.message, message);
        assert!(
            error.location().starts_with("content/_index.md:"),
            "{}",
            error.location()
        );
        if let Some(help) = help {
            assert_eq!(error.help.as_deref(), Some(help));
        }
    }
}

#[test]
fn unknown_keys_in_a_part_are_named() {
    let site = series_site();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\nseries:\n  parts:\n    - { path: after.md, lable: x }\n---\nWelcome.\n",
    );
    let problems = site.build_err();
    let error = problems.iter().next().unwrap();
    assert_eq!(error.message, "unknown key `lable`");
    assert!(
        error
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `label`?")
    );
}

#[test]
fn a_page_is_part_of_one_series_only() {
    let site = series_site();
    site.write(
        "content/steps/_index.md",
        "---\ntitle: Steps\nseries:\n  parts:\n    - ../after.md\n---\nThe steps.\n",
    );
    let problems = site.build_err();
    let error = problems.iter().next().unwrap();
    assert_eq!(
        error.message,
        "content/after.md is part of another series already"
    );
}

#[test]
fn empty_sections_are_not_published() {
    let site = TestSite::minimal();
    site.write("content/empty/_index.md", "---\ntitle: Empty\n---\n\n");
    site.write(
        "content/words/_index.md",
        "---\ntitle: Words\n---\nSome text.\n",
    );
    site.write(
        "content/outer/inner/page.md",
        "---\ntitle: Deep\n---\nDeep.\n",
    );
    let report = site.build();
    assert!(!site.public().join("empty/index.html").exists());
    assert!(site.public().join("words/index.html").exists());
    // A section holding only a published subsection is on the way to its pages.
    assert!(site.public().join("outer/index.html").exists());
    assert!(site.public().join("outer/inner/index.html").exists());
    assert_eq!(report.sections, 4);
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("/empty/"));
    assert!(sitemap.contains("/words/"));
    let listing = site.read("search/index.html");
    assert!(!listing.contains("/empty/"));
    assert!(!listing.contains(">Empty<"));
    // The default menu lists the home page's published sections only.
    let home = site.html("index.html");
    let menu: Vec<String> = home
        .all(".site-nav a")
        .iter()
        .map(|a| a.text().collect::<String>())
        .collect();
    assert!(!menu.iter().any(|m| m == "Empty"), "{menu:?}");
    assert!(menu.iter().any(|m| m == "Words"), "{menu:?}");
}

#[test]
fn a_page_in_an_empty_section_publishes_it_and_links_to_an_empty_one_are_errors() {
    let site = TestSite::minimal();
    site.write("content/empty/_index.md", "---\ntitle: Empty\n---\n");
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\nSee [the list](empty/_index.md).\n",
    );
    let problems = site.build_err();
    let error = problems.iter().next().unwrap();
    assert_eq!(
        error.message,
        "the link `empty/_index.md` points at content/empty/_index.md, a section with no pages and no text, which is not published"
    );
    // The caret sits on the destination, the text to fix.
    assert_eq!(error.location(), "content/a.md:4:16");
    site.write(
        "content/empty/first.md",
        "---\ntitle: First\n---\nNow it has one.\n",
    );
    site.build();
    assert!(site.public().join("empty/index.html").exists());
}
