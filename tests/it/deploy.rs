//! Deploy files: one policy in netlify.toml, _headers and every page; aliases as redirects.

use crate::common::{TestSite, repo_path};

#[test]
fn netlify_toml_carries_the_same_policy_and_headers_as_cairn() {
    let text = std::fs::read_to_string(repo_path("netlify.toml")).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    assert!(
        config["build"]["command"]
            .as_str()
            .unwrap()
            .contains("build")
    );
    let headers = config["headers"].as_array().unwrap();
    let all = headers
        .iter()
        .find(|h| h["for"].as_str() == Some("/*"))
        .unwrap();
    let values = all["values"].as_table().unwrap();
    assert_eq!(
        values["Content-Security-Policy"].as_str(),
        Some(cairn::config::DEFAULT_CSP)
    );
    for (name, value) in cairn::deploy::SECURITY_HEADERS {
        assert_eq!(values[*name].as_str(), Some(*value), "{name}");
    }
    assert!(
        values["Cache-Control"]
            .as_str()
            .unwrap()
            .contains("must-revalidate")
    );
    let assets = headers
        .iter()
        .find(|h| h["for"].as_str() == Some("/assets/*"))
        .unwrap();
    assert_eq!(
        assets["values"]["Cache-Control"].as_str(),
        Some(cairn::deploy::IMMUTABLE)
    );
    // The asset rule comes after the catch-all, so on Netlify it wins for assets.
    let position = |path: &str| {
        headers
            .iter()
            .position(|h| h["for"].as_str() == Some(path))
            .unwrap()
    };
    assert!(position("/*") < position("/assets/*"));
}

#[test]
fn builds_write_headers_redirects_and_nojekyll() {
    let site = TestSite::fixture("basic");
    site.build();
    let headers = site.read("_headers");
    assert!(headers.contains(&format!(
        "/guide/*\n  Content-Security-Policy: {}\n",
        cairn::config::DEFAULT_CSP
    )));
    assert!(
        headers.contains("/guide/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n")
    );
    let redirects = site.read("_redirects");
    assert!(redirects.contains("/guide/old-about/ /guide/about/ 301"));
    assert!(redirects.contains("/guide/older/about.html /guide/about/ 301"));
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
