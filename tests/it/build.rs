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
        .all(".breadcrumbs li a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(crumbs, vec!["Home", "Blog", "Second post"]);
    // Phones show only the way back up, by the section's short title.
    assert_eq!(second.text(".breadcrumbs-up"), "← Blog");
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
    // A build with nothing to do names them again.
    age(&site);
    site.build();
    let again = site.build();
    assert!(again.nothing_changed);
    assert_eq!(again.drafts, ["content/blog/draft.md"]);
}

/// A site of pages with code blocks in several languages.
fn code_site() -> TestSite {
    let site = TestSite::minimal();
    for (i, (lang, code)) in [
        ("rust", "fn main() {\n    println!(\"<hi>\");\n}\n"),
        ("python", "def f(x):\n    return x * 2  # twice\n"),
        ("js", "const a = 1;\n"),
    ]
    .iter()
    .enumerate()
    {
        site.write(
            &format!("content/p{i}.md"),
            &format!("---\ntitle: P{i}\n---\nText.\n\n```{lang}\n{code}```\n"),
        );
    }
    site
}

/// The blocks kept in the site's packs of highlighted code, as (pack, key, body), read by
/// the format `code_cache` documents: each record its body's length, key, checksum, body.
fn kept_blocks(site: &TestSite) -> Vec<(std::path::PathBuf, u128, String)> {
    let mut blocks = Vec::new();
    for entry in std::fs::read_dir(site.root().join(".cairn/highlighted")).unwrap() {
        let pack = entry.unwrap().path();
        let bytes = std::fs::read(&pack).unwrap();
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            let len = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
            let key = u128::from_le_bytes(rest[4..20].try_into().unwrap());
            let body = String::from_utf8(rest[28..28 + len].to_vec()).unwrap();
            blocks.push((pack.clone(), key, body));
            rest = &rest[28 + len..];
        }
    }
    blocks
}

/// Appends a record for `key` to `pack`, as a later build would: it wins over earlier ones.
fn keep_block(pack: &std::path::Path, key: u128, body: &str) {
    use std::io::Write;
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    hasher.update(&key.to_le_bytes());
    hasher.update(body.as_bytes());
    let mut record = (body.len() as u32).to_le_bytes().to_vec();
    record.extend_from_slice(&key.to_le_bytes());
    record.extend_from_slice(&hasher.digest().to_le_bytes());
    record.extend_from_slice(body.as_bytes());
    let mut file = std::fs::File::options().append(true).open(pack).unwrap();
    file.write_all(&record).unwrap();
}

#[test]
fn highlighted_code_kept_between_builds_gives_the_same_pages() {
    let site = code_site();
    site.build();
    let cold = snapshot(&site.public());
    let blocks = kept_blocks(&site);
    assert_eq!(blocks.len(), 3, "one kept block per highlighted block");
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build();
    assert_eq!(
        cold,
        snapshot(&site.public()),
        "a warm build writes the same bytes"
    );
    assert_eq!(
        kept_blocks(&site).len(),
        3,
        "a warm build keeps nothing again"
    );

    // The warm build really reads the kept blocks: a block of the right shape is used…
    let (pack, key, _) = blocks
        .iter()
        .find(|(_, _, body)| body.contains("println"))
        .unwrap();
    keep_block(pack, *key, "<span class=\"hl-source\">KEPT</span>");
    // (The output removed first: a cache is not an input, so with the output in place and
    // the inputs older than a second, the build would rightly have nothing to do.)
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build();
    assert!(site.read("p0/index.html").contains("KEPT"));
    // …and anything else is highlighted again, so the cache cannot inject markup.
    keep_block(pack, *key, "<script>alert(1)</script>");
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build();
    let page = site.read("p0/index.html");
    assert!(
        !page.contains("alert(1)") && page.contains("println"),
        "{page}"
    );
    // A damaged pack is never read: every pack's bytes changed, the pages are as before.
    for (pack, _, _) in &blocks {
        let mut bytes = std::fs::read(pack).unwrap();
        bytes
            .iter_mut()
            .skip(30)
            .step_by(7)
            .for_each(|b| *b ^= 0x41);
        std::fs::write(pack, bytes).unwrap();
    }
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build();
    assert_eq!(
        cold,
        snapshot(&site.public()),
        "a damaged cache changes nothing"
    );
}

#[test]
fn a_build_failing_in_the_page_stage_leaves_the_output_as_it_was() {
    // Pages are staged as they are rendered; one page whose template fails at render time
    // must still leave no trace once the build stops.
    let site = TestSite::fixture("basic");
    site.build();
    let before = snapshot(&site.public());
    site.write(
        "templates/fails.html",
        "{% extends \"base.html\" %}{% block content %}{% set p = get_page(path=\"nowhere.md\") %}{{ p.title }}{% endblock content %}",
    );
    for i in 0..30 {
        site.write(
            &format!("content/more/p{i}.md"),
            &format!("---\ntitle: P{i}\n---\nText {i}.\n"),
        );
    }
    site.write(
        "content/more/zz.md",
        "---\ntitle: Fails\ntemplate: fails.html\n---\nText.\n",
    );
    let problems = site.build_err();
    assert!(
        problems.iter().any(|p| p.message.contains("nowhere.md")),
        "{}",
        problems.render(false)
    );
    assert_eq!(
        before,
        snapshot(&site.public()),
        "nothing staged is left behind"
    );
}

#[test]
fn a_build_written_to_disk_is_the_build_kept_in_memory() {
    for fixture in ["basic", "quiz"] {
        let site = TestSite::fixture(fixture);
        site.build();
        let on_disk = snapshot(&site.public());
        let kept = cairn::build_in_memory(&site.options(), &cairn::incremental::BuildCache::off())
            .unwrap_or_else(|problems| panic!("{}", problems.render(false)));
        let mut in_memory: Vec<(String, Vec<u8>)> = kept
            .files
            .iter()
            .map(|f| (f.path.to_string(), f.bytes.to_vec()))
            .chain(
                kept.copies
                    .iter()
                    .map(|c| (c.path.to_string(), std::fs::read(&c.source).unwrap())),
            )
            .collect();
        in_memory.push((
            ".cairn-build".into(),
            std::fs::read(site.public().join(".cairn-build")).unwrap(),
        ));
        in_memory.sort();
        assert_eq!(on_disk, in_memory, "{fixture}");
    }
}

#[test]
fn a_file_edited_by_hand_in_the_output_is_rewritten() {
    let site = TestSite::fixture("basic");
    site.build();
    let page = site.public().join("about/index.html");
    let original = std::fs::read(&page).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&page, b"edited by hand").unwrap();
    let report = site.build();
    assert_eq!(report.write.written, 1, "only the edited file");
    assert_eq!(std::fs::read(&page).unwrap(), original);
}

/// Sets every file of the site to have been modified a minute ago, as files are that an
/// editor did not just save.
fn age(site: &TestSite) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in walkdir::WalkDir::new(site.root()).into_iter().flatten() {
        if entry.file_type().is_file() && !entry.path().starts_with(site.public()) {
            let file = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            file.set_modified(past).unwrap();
        }
    }
}

#[test]
fn a_build_with_nothing_changed_builds_nothing() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/warned.md",
        "---\ntitle: Warned\n---\n```rust\n".to_string().as_str(),
    );
    age(&site);
    let first = site.build();
    assert!(!first.nothing_changed);
    let before = snapshot(&site.public());
    let again = site.build();
    assert!(again.nothing_changed, "no input changed");
    assert_eq!(again.write.written, 0);
    assert_eq!((again.pages, again.sections), (first.pages, first.sections));
    assert_eq!(
        again.write.unchanged,
        first.write.written + first.write.unchanged
    );
    assert_eq!(
        again.warnings.render(false),
        first.warnings.render(false),
        "the last build's warnings are shown again"
    );
    assert_eq!(before, snapshot(&site.public()));

    // A file added to the output by hand: a full build, which removes it.
    std::fs::write(site.public().join("stray.html"), "x").unwrap();
    let report = site.build();
    assert!(!report.nothing_changed);
    assert!(!site.public().join("stray.html").exists());
    // An output file removed: a full build puts it back.
    std::fs::remove_file(site.public().join("about/index.html")).unwrap();
    assert!(!site.build().nothing_changed);
    assert!(site.public().join("about/index.html").is_file());
    // Other options: a full build.
    let mut drafts = site.options();
    drafts.drafts = true;
    assert!(!cairn::build(&drafts).unwrap().nothing_changed);
    assert!(!site.build().nothing_changed, "the options changed back");
    assert!(site.build().nothing_changed);
}

#[test]
fn a_changed_input_is_always_built() {
    let site = TestSite::fixture("basic");
    age(&site);
    site.build();
    assert!(site.build().nothing_changed);
    // An edit, even to the same size: the file is newer than the last build's start.
    let about = site.root().join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, text.replacen("About", "Abouu", 1)).unwrap();
    assert!(!site.build().nothing_changed);
    assert!(site.read("about/index.html").contains("Abouu"));
    // A new file, an old one (aged), a removed one: each a full build.
    site.write("content/new.md", "---\ntitle: New\n---\n");
    age(&site);
    assert!(!site.build().nothing_changed);
    assert!(site.public().join("new/index.html").is_file());
    assert!(site.build().nothing_changed);
    std::fs::remove_file(site.root().join("content/new.md")).unwrap();
    assert!(!site.build().nothing_changed);
    assert!(!site.public().join("new").exists());
}

#[test]
fn faq_answers_read_as_the_page_shows_them_in_faq_data() {
    let site = TestSite::minimal();
    site.write(
        "content/faq.md",
        "---\ntitle: Questions\ntemplate: faq.html\n---\n\n## How do I quote? {#q}\n\n\
         Use **bold**ly marked [code](https://example.org/)s:\n\n\
         ```rust\nlet a = \"<x>\";\n```\n\nThen a list:\n\n- one\n- two\n",
    );
    site.build();
    let faq = site.html("faq/index.html");
    let data = faq
        .all("script[type='application/ld+json']")
        .iter()
        .filter_map(|b| {
            serde_json::from_str::<serde_json::Value>(&b.text().collect::<String>()).ok()
        })
        .find(|j| j["@type"] == "FAQPage")
        .expect("FAQPage data");
    // Inline markup and highlighted code join their words; blocks and list items break them.
    assert_eq!(
        data["mainEntity"][0]["acceptedAnswer"]["text"],
        "Use boldly marked codes: let a = \"<x>\"; Then a list: one two"
    );
}
