//! Deploy files: one policy in netlify.toml, _headers and every page; aliases as redirects.

use crate::common::{TestSite, repo_path};

#[test]
fn netlify_toml_builds_and_leaves_headers_to_the_headers_file() {
    // Netlify lets netlify.toml override _headers: headers set there would outlive a later
    // `csp:` in site.yaml, so neither the repository's file nor `cairn init`'s sets any.
    for text in [
        std::fs::read_to_string(repo_path("netlify.toml")).unwrap(),
        cairn::deploy::hosts::netlify_toml(),
    ] {
        let config: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(config["build"]["publish"].as_str(), Some("public"));
        assert!(
            config["build"]["command"]
                .as_str()
                .unwrap()
                .ends_with("build")
        );
        assert!(!config.contains_key("headers"), "{text}");
        assert!(!config.contains_key("redirects"), "{text}");
    }
}

#[test]
fn headers_and_redirects_are_relative_to_the_published_folder() {
    // The fixture's base URL is https://example.org/guide/: links carry /guide/, but a host
    // matches _headers and _redirects against the folder it serves.
    let site = TestSite::fixture("basic");
    site.build();
    let headers = site.read("_headers");
    assert_eq!(
        headers,
        cairn::deploy::headers_file(cairn::config::DEFAULT_CSP)
    );
    assert!(headers.contains(&format!(
        "\n/*\n  Content-Security-Policy: {}\n",
        cairn::config::DEFAULT_CSP
    )));
    assert!(
        headers.contains("\n/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n")
    );
    assert!(
        headers.contains("\n/search/*.bin\n  Cache-Control: public, max-age=31536000, immutable\n")
    );
    assert!(!headers.contains("/guide/"), "{headers}");
    let redirects = site.read("_redirects");
    assert!(
        redirects.contains("\n/old-about/ /guide/about/ 301\n"),
        "{redirects}"
    );
    assert!(
        redirects.contains("\n/older/about.html /guide/about/ 301\n"),
        "{redirects}"
    );
    // Every rule's path names files the build wrote.
    assert!(site.public().join("old-about/index.html").is_file());
    assert!(site.public().join("older/about.html").is_file());
    assert!(site.public().join(".nojekyll").is_file());
}

#[test]
fn every_page_carries_the_policy_without_frame_ancestors() {
    let site = TestSite::fixture("basic");
    site.build();
    let page = site.html("about/index.html");
    let meta = page.attr("meta[http-equiv='Content-Security-Policy']", "content");
    assert_eq!(
        meta,
        cairn::deploy::csp_for_meta(cairn::config::DEFAULT_CSP)
    );
    assert!(!meta.contains("frame-ancestors"));
}

#[test]
fn the_policy_can_be_overridden_in_site_yaml() {
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ncsp: \"default-src 'self'; img-src *; frame-ancestors 'none'\"\n",
    );
    site.build();
    assert!(site.read("_headers").contains(
        "Content-Security-Policy: default-src 'self'; img-src *; frame-ancestors 'none'"
    ));
    let home = site.html("index.html");
    assert_eq!(
        home.attr("meta[http-equiv='Content-Security-Policy']", "content"),
        "default-src 'self'; img-src *"
    );
}

#[test]
fn stylesheets_and_scripts_are_fingerprinted_and_referenced_by_their_new_names() {
    let site = TestSite::fixture("basic");
    site.build();
    let home = site.html("index.html");
    let css = home.attr("link[rel=stylesheet]", "href");
    assert!(
        css.starts_with("/guide/assets/css/site.") && css.ends_with(".css"),
        "{css}"
    );
    assert!(
        site.public()
            .join(css.trim_start_matches("/guide/"))
            .is_file()
    );
    for script in home.all("script[src]") {
        let src = script.value().attr("src").unwrap();
        assert!(src.starts_with("/guide/assets/js/"), "{src}");
        assert!(
            site.public()
                .join(src.trim_start_matches("/guide/"))
                .is_file(),
            "{src}"
        );
    }
    assert!(home.all("[integrity]").is_empty(), "SRI is off by default");
    assert!(
        !site.public().join("css/site.css").exists(),
        "only the fingerprinted copy is published"
    );
}

#[test]
fn subresource_integrity_is_an_option() {
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nsri: true\n",
    );
    site.build();
    let home = site.html("index.html");
    let link = home.one("link[rel=stylesheet]");
    let integrity = link.value().attr("integrity").unwrap();
    assert!(integrity.starts_with("sha384-"));
    use base64::Engine;
    use sha2::Digest;
    let css = std::fs::read(
        site.public()
            .join(link.value().attr("href").unwrap().trim_start_matches('/')),
    )
    .unwrap();
    let expected = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&css))
    );
    assert_eq!(integrity, expected);
}
