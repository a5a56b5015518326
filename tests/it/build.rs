//! Integration tests: build fixture sites and check the produced files.

use crate::common::{TestSite, snapshot};

#[test]
fn pretty_urls_sections_and_bundles() {
    let site = TestSite::fixture("basic");
    let report = site.build();
    assert_eq!(
        report.pages, 6,
        "about, 3 posts, guide intro, gallery (not the draft)"
    );
    for file in [
        "index.html",
        "about/index.html",
        "blog/index.html",
        "blog/first/index.html",
        "blog/second/index.html",
        "blog/the-third/index.html",
        "docs/index.html",
        "docs/guide/index.html",
        "docs/guide/intro/index.html",
        "gallery/index.html",
        "gallery/photo.txt",
        "img/logo.txt",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "tags/index.html",
        "tags/news/index.html",
        "tags/rust/index.html",
    ] {
        assert!(site.public().join(file).is_file(), "missing {file}");
    }
    let assets: Vec<String> = walkdir::WalkDir::new(site.public().join("assets"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for prefix in ["site.", "syntax.", "theme.", "site."] {
        assert!(
            assets.iter().any(|a| a.starts_with(prefix)),
            "no fingerprinted {prefix}* in {assets:?}"
        );
    }
    assert!(!site.public().join("blog/draft").exists());
    assert!(!site.public().join("tags/secret").exists());
}

#[test]
fn links_carry_the_base_path_and_resolve_md_targets() {
    let site = TestSite::fixture("basic");
    site.build();
    let home = site.html("index.html");
    let hrefs: Vec<String> = home
        .all("article a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        hrefs.contains(&"/guide/blog/first/#the-details".to_string()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"/guide/about/".to_string()), "{hrefs:?}");
    assert_eq!(
        home.attr("link[rel=canonical]", "href"),
        "https://example.org/guide/"
    );
    assert!(
        home.attr("link[rel=stylesheet]", "href")
            .starts_with("/guide/assets/css/site.")
    );
    let bundle = site.html("gallery/index.html");
    assert_eq!(
        bundle.attr("article img", "src"),
        "/guide/gallery/photo.txt"
    );
}

#[test]
fn markdown_features_render_without_inline_styles() {
    let site = TestSite::fixture("basic");
    site.build();
    let about = site.read("about/index.html");
    assert!(!about.contains("style="), "no inline styles");
    let page = site.html("about/index.html");
    assert_eq!(page.all("th.align-center").len(), 1);
    assert_eq!(page.all("td.align-right").len(), 1);
    assert!(
        !page.all("pre.code span[class]").is_empty(),
        "highlighted with classes"
    );
    assert!(!page.all(".callout.callout-warning").is_empty());
    assert!(!page.all("del, s").is_empty());
    assert!(!page.all("input[type=checkbox]").is_empty());
    let ids: Vec<&str> = page
        .all("article h2")
        .iter()
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(ids, vec!["tables", "code", "code-1"]);
    assert!(about.contains("“quotes”"), "smart punctuation");
}

#[test]
fn content_is_escaped_in_titles_and_attributes() {
    let site = TestSite::fixture("basic");
    site.build();
    let about = site.read("about/index.html");
    assert!(
        about.contains("About &quot;us&quot; &lt;here&gt;"),
        "escaped title"
    );
    assert!(!about.contains("<here>"));
    let page = site.html("about/index.html");
    assert_eq!(
        page.attr("meta[name=description]", "content"),
        "About <the> site & more."
    );
}

#[test]
fn sections_sort_and_paginate_and_pages_link_neighbours() {
    let site = TestSite::fixture("basic");
    site.build();
    let blog = site.html("blog/index.html");
    let titles: Vec<String> = blog
        .all(".page-list-title")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(titles, vec!["Third post", "Second post"]);
    let second_pager = site.html("blog/page/2/index.html");
    assert_eq!(second_pager.text(".page-list-title"), "First post");
    let second = site.html("blog/second/index.html");
    assert_eq!(second.attr("a[rel=prev]", "href"), "/guide/blog/the-third/");
    assert_eq!(second.attr("a[rel=next]", "href"), "/guide/blog/first/");
    let crumbs: Vec<String> = second
        .all(".breadcrumbs a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(crumbs, vec!["Home", "Blog", "Second post"]);
}

#[test]
fn tags_merge_spellings_and_list_pages() {
    let site = TestSite::fixture("basic");
    site.build();
    let rust = site.html("tags/rust/index.html");
    let titles: Vec<String> = rust
        .all(".page-list-title")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(titles, vec!["Third post", "First post"]);
    let list = site.read("tags/index.html");
    assert!(list.contains("/guide/tags/news/"));
}

#[test]
fn site_templates_override_and_extend_theme_templates() {
    let site = TestSite::fixture("basic");
    site.build();
    let intro = site.html("docs/guide/intro/index.html");
    assert_eq!(intro.text("p.special"), "Hello from extra");
    assert_eq!(intro.text("article h1"), "Guide intro");
}

#[test]
fn feed_sitemap_robots_and_aliases() {
    let site = TestSite::fixture("basic");
    site.build();
    let atom = site.read("atom.xml");
    assert!(atom.contains("<title>Fixture &amp; Co</title>"));
    let first_entry = atom.find("<entry>").unwrap();
    assert!(atom[first_entry..].starts_with("<entry>\n    <title>Third post</title>"));
    assert!(!atom.contains("A draft"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/guide/blog/first/</loc>"));
    assert!(!sitemap.contains("draft"));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/guide/sitemap.xml")
    );
    let alias = site.read("old-about/index.html");
    assert!(alias.contains("url=/guide/about/"));
    assert!(site.public().join("older/about.html").is_file());
}

#[test]
fn drafts_are_built_on_request() {
    let site = TestSite::fixture("basic");
    let mut options = site.options();
    options.drafts = true;
    cairn::build(&options).unwrap();
    assert!(site.public().join("blog/draft/index.html").is_file());
    assert!(site.public().join("tags/secret/index.html").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::fixture("basic");
    site.build();
    let first = snapshot(&site.public());
    let other = TestSite::fixture("basic");
    other.build();
    assert_eq!(first, snapshot(&other.public()));
    let report = site.build();
    assert_eq!(report.write.written, 0, "a rebuild rewrites nothing");
    assert_eq!(first, snapshot(&site.public()));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("basic");
    site.build();
    let before = snapshot(&site.public());
    site.write(
        "content/blog/first.md",
        "---\ntitle: First post\ndate: 2024-13-01\n---\nChanged.\n",
    );
    site.write("content/new.md", "---\ntitle: New\n---\nNew page.\n");
    site.build_err();
    assert_eq!(before, snapshot(&site.public()));
}

#[test]
fn stale_files_are_removed_on_rebuild() {
    let site = TestSite::fixture("basic");
    site.build();
    std::fs::remove_file(site.root().join("content/docs/guide/intro.md")).unwrap();
    site.build();
    assert!(
        !site.public().join("docs").exists(),
        "the page and its now empty sections are gone"
    );
}

#[test]
fn output_override_and_base_url_override() {
    let site = TestSite::fixture("basic");
    let mut options = site.options();
    options.output = Some(site.root().join("dist"));
    options.base_url = Some("https://preview.example.com/".into());
    cairn::build(&options).unwrap();
    let home = std::fs::read_to_string(site.root().join("dist/index.html")).unwrap();
    assert!(home.contains("href=\"/assets/css/site."));
    assert!(home.contains("https://preview.example.com/"));
}

#[test]
fn refuses_to_write_into_a_folder_it_did_not_create() {
    let site = TestSite::minimal();
    site.write("public/mine.txt", "precious");
    let problems = site.build_err();
    assert!(problems[0].message.contains("was not created by cairn"));
    assert_eq!(
        std::fs::read_to_string(site.root().join("public/mine.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn a_theme_can_extend_another() {
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ntheme: child\n",
    );
    site.write("themes/child/theme.yaml", "name: child\nextends: default\n");
    site.write(
        "themes/child/templates/base.html",
        "{% extends \"default/base.html\" %}{% block title %}CHILD {{ super() }}{% endblock title %}",
    );
    site.write("themes/child/static/css/child.css", "body{}");
    site.build();
    let home = site.read("index.html");
    assert!(home.contains("<title>CHILD T</title>"), "{home}");
    let assets: Vec<String> = walkdir::WalkDir::new(site.public().join("assets/css"))
        .into_iter()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(assets.iter().any(|a| a.starts_with("child.")), "{assets:?}");
    assert!(assets.iter().any(|a| a.starts_with("site.")), "{assets:?}");
}

#[test]
fn the_build_says_which_drafts_it_left_out() {
    let site = TestSite::fixture("basic");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.ends_with("1 draft left out (use --drafts to include): content/blog/draft.md\n"),
        "{stderr}"
    );
    let report = site.build();
    assert_eq!(report.drafts, ["content/blog/draft.md"]);
}
