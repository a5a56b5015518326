//! Snapshots of what readers see: the HTML of a fixture site's pages. A change shows up as a
//! diff to review (`cargo insta review`, or `INSTA_UPDATE=always cargo test` to accept).
//! What editors see, the messages of their mistakes, is kept by the corpus in `mistakes.rs`.

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
