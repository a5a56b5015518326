//! Incremental rebuilds give exactly what a full build of the same files gives.

use crate::common::TestSite;
use cairn::incremental::BuildCache;

/// Every generated file and copy of a build, sorted, for comparison.
fn outputs(rendered: cairn::Generated) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = rendered
        .files
        .into_iter()
        .map(|f| (f.path.into(), f.bytes.to_vec()))
        .chain(rendered.copies.into_iter().map(|c| {
            let bytes = std::fs::read(&c.source).unwrap();
            (c.path.into(), bytes)
        }))
        .collect();
    all.sort();
    all
}

/// Rebuilds through the cache and checks the result against a fresh full build.
fn assert_same_as_full(site: &TestSite, cache: &BuildCache) -> cairn::incremental::RebuildStats {
    let incremental = cairn::build_in_memory(&site.options(), cache);
    cache.finish_build(incremental.is_ok());
    let stats = incremental
        .as_ref()
        .map(|generated| generated.stats)
        .unwrap_or_default();
    let full = cairn::build_in_memory(&site.options(), &BuildCache::off());
    match (incremental, full) {
        (Ok(a), Ok(b)) => {
            let (a, b) = (outputs(a), outputs(b));
            let paths = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
            assert_eq!(paths(&a), paths(&b));
            for (x, y) in a.iter().zip(&b) {
                assert!(x.1 == y.1, "{} differs from a full build", x.0);
            }
        }
        (Err(mut a), Err(mut b)) => {
            a.sort();
            b.sort();
            assert_eq!(a.render(false), b.render(false));
        }
        (a, b) => panic!("incremental ok: {}, full ok: {}", a.is_ok(), b.is_ok()),
    }
    stats
}

#[test]
fn a_series_of_edits_gives_what_a_full_build_gives() {
    let site = TestSite::fixture("basic");
    let cache = BuildCache::new();
    let first = assert_same_as_full(&site, &cache);
    assert_eq!(first.markdown.reused, 0);

    // Nothing changed: nothing is rendered again.
    let idle = assert_same_as_full(&site, &cache);
    assert_eq!(idle.markdown.rendered, 0, "{idle:?}");
    assert_eq!(idle.pages.rendered, 0, "{idle:?}");

    // A body edit re-renders that page's Markdown only.
    let first_post = std::fs::read_to_string(site.root().join("content/blog/first.md")).unwrap();
    site.write(
        "content/blog/first.md",
        &first_post.replace("Details here.", "Details here, and more."),
    );
    let edit = assert_same_as_full(&site, &cache);
    assert_eq!(edit.markdown.rendered, 1, "{edit:?}");
    assert!(
        edit.pages.rendered < first.pages.rendered,
        "{edit:?} vs {first:?}"
    );

    // A title edit changes neighbours, lists, tags and the feed.
    site.write(
        "content/blog/first.md",
        &first_post.replace("title: First post", "title: The very first post"),
    );
    assert_same_as_full(&site, &cache);

    // A new page, then a rename of it, then a delete.
    site.write(
        "content/blog/fourth.md",
        "---\ntitle: Fourth\ndate: 2024-04-01\ntags: [rust]\n---\nSee [first](first.md#the-details).\n",
    );
    assert_same_as_full(&site, &cache);
    let fourth = std::fs::read_to_string(site.root().join("content/blog/fourth.md")).unwrap();
    std::fs::remove_file(site.root().join("content/blog/fourth.md")).unwrap();
    site.write("content/blog/renamed.md", &fourth);
    assert_same_as_full(&site, &cache);

    // A broken anchor fails both ways, and fixing it recovers.
    site.write(
        "content/blog/renamed.md",
        &fourth.replace("#the-details", "#nope"),
    );
    assert_same_as_full(&site, &cache);
    site.write("content/blog/renamed.md", &fourth);
    assert_same_as_full(&site, &cache);

    // Renaming a heading that another page links to breaks that link.
    site.write(
        "content/blog/first.md",
        &first_post.replace("{#the-details .wide}", "{#details}"),
    );
    assert_same_as_full(&site, &cache);
    site.write("content/blog/first.md", &first_post);
    assert_same_as_full(&site, &cache);

    std::fs::remove_file(site.root().join("content/blog/renamed.md")).unwrap();
    assert_same_as_full(&site, &cache);

    // A template edit re-renders pages without rendering Markdown again.
    site.write(
        "templates/special.html",
        "{% extends \"default/page.html\" %}\n{% block content %}<p class=\"special\">Changed</p>{{ super() }}{% endblock content %}\n",
    );
    let template = assert_same_as_full(&site, &cache);
    assert_eq!(template.markdown.rendered, 0, "{template:?}");

    // A section's front matter, a static file and the config.
    let blog = std::fs::read_to_string(site.root().join("content/blog/_index.md")).unwrap();
    site.write(
        "content/blog/_index.md",
        &blog.replace("paginate_by: 2", "paginate_by: 1"),
    );
    assert_same_as_full(&site, &cache);
    site.write("static/css/extra.css", "body { color: red }\n");
    assert_same_as_full(&site, &cache);
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &config.replace("Fixture & Co", "Fixture and Co"),
    );
    assert_same_as_full(&site, &cache);
}

#[test]
fn page_values_made_when_asked_match_the_ones_a_memo_keeps() {
    // A one-off build makes each page's value as its page is rendered (and for get_page);
    // cairn serve's memo keeps them. Both give the same pages.
    let site = TestSite::minimal();
    site.write(
        "templates/with_other.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.content | safe }}\
         {% set other = get_page(path=\"b.md\") %}<p id=\"other\">{{ other.title }}: {{ other.parts | length }} parts</p>{{ other.content | safe }}{% endblock content %}",
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\ntemplate: with_other.html\n---\nIntro of A.\n\n## One\n\nText.\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\n---\nIntro of B.\n\n## First\n\nOne.\n\n## Second\n\nTwo.\n",
    );
    let cache = BuildCache::new();
    assert_same_as_full(&site, &cache);
    site.build();
    let a = site.read("a/index.html");
    assert!(a.contains("Intro of A."), "{a}");
    assert!(a.contains("<p id=\"other\">B: 2 parts</p>"), "{a}");
    assert!(a.contains("Intro of B."), "{a}");
}
