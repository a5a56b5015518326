//! The shipped site: every paragraph of the source article is published, and articles added
//! by editors show up everywhere without template or config changes.

use crate::common::{TestSite, copy_dir, repo_path};
use scraper::{Html, Selector};

/// A copy of the repository's site (site.yaml, content, themes, static) in a temp folder.
fn shipped() -> TestSite {
    let site = TestSite::minimal();
    for part in ["content", "themes", "static"] {
        let from = repo_path(part);
        if from.exists() {
            copy_dir(&from, &site.root().join(part));
        }
    }
    std::fs::copy(repo_path("site.yaml"), site.root().join("site.yaml")).unwrap();
    site
}

/// Letters and digits only, lowercased: compares text across quote styles and markup.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A promise the site cannot keep, reworded, as (source, site): the source pointed at an
/// article ("read this article next") that is not part of the site.
const REWORDED: &[(&str, &str)] = &[(
    "read this article next. It teaches you exactly how to set up a date with your ex and what to do",
    "your next job is to set up that date, and to know what to do",
)];

/// Typos fixed on the site, as (source, site).
const FIXED: &[(&str, &str)] = &[
    ("seperation", "separation"),
    ("the worst you’ll feel", "the worse you’ll feel"),
    ("if need to grab", "if you need to grab"),
    ("get back with their ex", "get back with your ex"),
    ("debilitation anxiety", "debilitating anxiety"),
    ("such as the gripes", "such are the gripes"),
];

#[test]
fn every_paragraph_of_the_article_is_published() {
    let site = shipped();
    site.build();
    let mut published = String::new();
    let body = Selector::parse("main").unwrap();
    for entry in walkdir::WalkDir::new(site.public()).into_iter().flatten() {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
            for main in html.select(&body) {
                published.push_str(&squash(&main.text().collect::<String>()));
            }
        }
    }
    let article = std::fs::read_to_string(repo_path("tests/fixtures/seed/article.txt")).unwrap();
    let mut missing = Vec::new();
    for line in article.lines() {
        // The audio player's caption and the call-to-action button label are page furniture.
        if line.trim().is_empty() || line.starts_with("Click play to listen") {
            continue;
        }
        let mut text = line.replace("Get The Free Cheat SheetWhat To Do", "What To Do");
        if text == "Get The Free Cheat Sheet" {
            continue;
        }
        for (from, to) in FIXED.iter().chain(REWORDED) {
            text = text.replace(from, to);
        }
        // Numbered headings ("1. Contacting…") are published without their numbers.
        let text = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
        let text = text.trim_start_matches("(Optional) ");
        if !published.contains(&squash(text)) {
            missing.push(line.to_string());
        }
    }
    assert!(missing.is_empty(), "not published:\n{}", missing.join("\n"));
}

#[test]
fn a_new_article_appears_on_home_tags_feed_and_sitemap() {
    let site = shipped();
    site.write(
        "content/articles/moving-on.md",
        "---\ntitle: Moving On For Real\ndescription: How to let go.\ndate: 2030-01-02\ntags: [healing, letting-go]\n---\nLetting go starts today.\n\n<!-- more -->\n\nMore.\n",
    );
    site.build();
    let home = site.html("index.html");
    assert_eq!(
        home.text(".latest .page-list-title a"),
        "Moving On For Real"
    );
    assert!(home.text(".latest .meta").starts_with("January 2, 2030"));
    assert!(
        site.read("tags/letting-go/index.html")
            .contains("Moving On For Real")
    );
    assert!(
        site.read("tags/healing/index.html")
            .contains("Moving On For Real")
    );
    let feed = site.read("atom.xml");
    let first = feed.find("<entry>").unwrap();
    assert!(feed[first..].contains("<title>Moving On For Real</title>"));
    assert!(
        site.read("sitemap.xml")
            .contains("/articles/moving-on/</loc>")
    );
    assert!(
        site.read("articles/index.html")
            .contains("Moving On For Real")
    );
}

#[test]
fn structured_data_is_valid_json_even_with_hostile_titles() {
    let site = TestSite::minimal();
    site.write(
        "content/x.md",
        "---\ntitle: \"</script><script>alert(1)</script> \\\"quoted\\\" & {{ tera }}\"\ndescription: \"a\\u2028b <b>\"\ndate: 2024-01-01\ntags: [\"</script>\"]\n---\nBody.\n",
    );
    site.build();
    let html = site.read("x/index.html");
    assert!(!html.contains("<script>alert(1)"), "title not escaped");
    let page = site.html("x/index.html");
    let blocks = page.all("script[type='application/ld+json']");
    assert_eq!(blocks.len(), 2, "BreadcrumbList and BlogPosting");
    for block in blocks {
        let json: serde_json::Value =
            serde_json::from_str(&block.text().collect::<String>()).unwrap();
        if json["@type"] == "BlogPosting" {
            assert_eq!(
                json["headline"],
                "</script><script>alert(1)</script> \"quoted\" & {{ tera }}"
            );
            assert_eq!(json["keywords"][0], "</script>");
        }
    }
    assert_eq!(
        page.text("h1"),
        "</script><script>alert(1)</script> \"quoted\" & {{ tera }}"
    );
}

#[test]
fn the_faq_is_split_into_expanders_and_faq_data() {
    let site = shipped();
    site.build();
    let faq = site.html("faq/index.html");
    let ids: Vec<&str> = faq
        .all("details.faq-item")
        .iter()
        .filter_map(|d| d.value().attr("id"))
        .collect();
    assert_eq!(
        ids,
        vec!["ever", "unhealthy", "how-long", "moved-on", "status"]
    );
    let data = faq
        .all("script[type='application/ld+json']")
        .iter()
        .map(|b| serde_json::from_str::<serde_json::Value>(&b.text().collect::<String>()).unwrap())
        .find(|j| j["@type"] == "FAQPage")
        .expect("FAQPage data");
    assert_eq!(data["mainEntity"].as_array().unwrap().len(), 5);
    assert!(
        faq.text(".faq + .call-to-action")
            .contains("This cheat sheet lays out"),
        "the closing call is a box of its own, outside the last answer"
    );
}

#[test]
fn both_themes_build_the_whole_site() {
    for theme in ["default", "paper"] {
        let site = shipped();
        let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
        site.write(
            "site.yaml",
            &config.replace("theme: default", &format!("theme: {theme}")),
        );
        site.build();
        let uses_paper = site.read("index.html").contains("assets/css/paper.");
        assert_eq!(uses_paper, theme == "paper");
        assert!(site.read("faq/index.html").contains("faq-item"));
    }
}

#[test]
fn nothing_is_shown_that_the_site_does_not_know() {
    let site = shipped();
    site.build();
    let reason = site.html("reasons/healing/index.html");
    // No dates in the guide's front matter, so none on its pages; short pages show no
    // reading time, and there is no author to name.
    assert!(reason.all("time").is_empty());
    assert!(reason.all(".meta").is_empty());
    let footer = reason.text(".site-footer p");
    assert!(
        footer.starts_with("© ")
            && footer.contains(" Why You Should Not Contact An Ex Who Dumped You"),
        "{footer}"
    );
    assert!(!site.read("reasons/healing/index.html").contains("cairn</"));
    let posting = blog_posting(&reason);
    assert!(posting.get("author").is_none());
    assert!(posting.get("datePublished").is_none());
    assert_eq!(
        posting["publisher"]["name"],
        "Why You Should Not Contact An Ex Who Dumped You"
    );
    assert_eq!(posting["isPartOf"]["name"], "The guide");
    assert_eq!(posting["position"], 3);

    // The author set in site.yaml is the byline and the JSON-LD author.
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("author: Sam Writer\n{config}"));
    site.build();
    let reason = site.html("reasons/healing/index.html");
    assert_eq!(reason.text(".byline"), "By Sam Writer");
    let posting = blog_posting(&reason);
    assert_eq!(posting["author"]["name"], "Sam Writer");
}

/// The page's JSON-LD `BlogPosting`.
fn blog_posting(page: &crate::common::Page) -> serde_json::Value {
    page.all("script[type='application/ld+json']")
        .iter()
        .map(|b| serde_json::from_str::<serde_json::Value>(&b.text().collect::<String>()).unwrap())
        .find(|j| j["@type"] == "BlogPosting")
        .unwrap()
}
