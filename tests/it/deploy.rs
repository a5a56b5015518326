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

/// The steps of a workflow job, as (uses or run, the step).
fn steps<'a>(workflow: &'a serde_json::Value, job: &str) -> Vec<&'a serde_json::Value> {
    workflow["jobs"][job]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no steps in job {job}"))
        .iter()
        .collect()
}

fn uses<'a>(steps: &[&'a serde_json::Value]) -> Vec<&'a str> {
    steps.iter().filter_map(|s| s["uses"].as_str()).collect()
}

fn parse_workflow(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not valid YAML: {e}\n{text}"))
}

#[test]
fn the_github_pages_workflow_is_valid_yaml_with_the_expected_steps() {
    let text = cairn::deploy::hosts::github_pages_workflow();
    let workflow = parse_workflow(&text);
    let on = &workflow["on"];
    assert_eq!(on["push"]["branches"][0], "main");
    assert!(on.get("workflow_dispatch").is_some(), "{on}");
    assert_eq!(workflow["permissions"]["pages"], "write");
    assert_eq!(workflow["permissions"]["id-token"], "write");
    assert_eq!(workflow["concurrency"]["group"], "pages");
    assert_eq!(workflow["env"]["CAIRN_VERSION"], env!("CARGO_PKG_VERSION"));
    // Never crates.io's `cairn`, an unrelated project: cairn's own repository.
    assert!(
        workflow["env"]["CAIRN_REPOSITORY"]
            .as_str()
            .is_some_and(|repository| repository.starts_with("https://")),
        "{}",
        workflow["env"]
    );
    let build = steps(&workflow, "build");
    let used = uses(&build);
    for action in [
        "actions/checkout@v4",
        "actions/configure-pages@v5",
        "actions/cache@v4",
        "actions/upload-pages-artifact@v3",
    ] {
        assert!(used.contains(&action), "{action} missing: {used:?}");
    }
    let cache = build
        .iter()
        .find(|s| s["uses"] == "actions/cache@v4")
        .unwrap();
    assert_eq!(cache["with"]["path"], "~/.cargo/bin/cairn");
    assert!(
        cache["with"]["key"]
            .as_str()
            .unwrap()
            .contains("CAIRN_VERSION")
    );
    let install = build.iter().find(|s| s["name"] == "Install cairn").unwrap();
    assert_eq!(
        install["if"],
        format!(
            "steps.{}.outputs.cache-hit != 'true'",
            cache["id"].as_str().unwrap()
        )
    );
    assert!(
        install["run"]
            .as_str()
            .unwrap()
            .starts_with("cargo install --locked --git \"$CAIRN_REPOSITORY\"")
    );
    // The base URL comes from configure-pages (a project site's sub-path, a user site, a
    // custom domain), passed through the environment rather than pasted into the script.
    let configure = build
        .iter()
        .find(|s| s["uses"] == "actions/configure-pages@v5")
        .unwrap();
    let id = configure["id"].as_str().unwrap();
    let build_step = build.iter().find(|s| s["name"] == "Build").unwrap();
    assert_eq!(
        build_step["env"]["BASE_URL"],
        format!("${{{{ steps.{id}.outputs.base_url }}}}")
    );
    assert_eq!(build_step["run"], "cairn build --base-url \"$BASE_URL/\"");
    let upload = build
        .iter()
        .find(|s| s["uses"] == "actions/upload-pages-artifact@v3")
        .unwrap();
    assert_eq!(upload["with"]["path"], "public");
    // Steps run in order: configure, install, build, upload.
    let position =
        |pred: &dyn Fn(&serde_json::Value) -> bool| build.iter().position(|s| pred(s)).unwrap();
    assert!(
        position(&|s| s["uses"] == "actions/configure-pages@v5")
            < position(&|s| s["name"] == "Build")
    );
    assert!(position(&|s| s["name"] == "Install cairn") < position(&|s| s["name"] == "Build"));
    assert!(
        position(&|s| s["name"] == "Build")
            < position(&|s| s["uses"] == "actions/upload-pages-artifact@v3")
    );

    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert_eq!(
        uses(&steps(&workflow, "deploy")),
        ["actions/deploy-pages@v4"]
    );
}

#[test]
fn the_cloudflare_workflow_is_valid_yaml_and_deploys_with_wrangler() {
    let text = cairn::deploy::hosts::cloudflare_pages_workflow("my-site");
    let workflow = parse_workflow(&text);
    assert!(workflow["on"].get("workflow_dispatch").is_some());
    assert_eq!(workflow["on"]["push"]["branches"][0], "main");
    assert!(
        workflow["concurrency"]["group"]
            .as_str()
            .unwrap()
            .starts_with("cloudflare-pages")
    );
    assert_eq!(workflow["env"]["PROJECT"], "my-site");
    let all = steps(&workflow, "deploy");
    assert!(uses(&all).contains(&"actions/cache@v4"));
    let names: Vec<&str> = all.iter().filter_map(|s| s["name"].as_str()).collect();
    let at = |name: &str| names.iter().position(|n| *n == name).unwrap();
    assert!(at("Install cairn") < at("Build"));
    assert!(at("Build") < at("Deploy to Cloudflare Pages"));
    let deploy = all
        .iter()
        .find(|s| s["name"] == "Deploy to Cloudflare Pages")
        .unwrap();
    let run = deploy["run"].as_str().unwrap();
    assert!(run.contains("wrangler@4 pages deploy public"), "{run}");
    assert!(run.contains("--project-name=\"$PROJECT\""), "{run}");
    assert_eq!(
        deploy["env"]["CLOUDFLARE_API_TOKEN"],
        "${{ secrets.CLOUDFLARE_API_TOKEN }}"
    );
    assert_eq!(
        deploy["env"]["CLOUDFLARE_ACCOUNT_ID"],
        "${{ secrets.CLOUDFLARE_ACCOUNT_ID }}"
    );
}

/// The `_headers` file's rules: (pattern, headers).
fn parse_headers_file(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix("  ") {
            let (name, value) = header.split_once(": ").unwrap();
            rules
                .last_mut()
                .unwrap()
                .1
                .push((name.into(), value.into()));
        } else {
            rules.push((line.to_string(), Vec::new()));
        }
    }
    rules
}

/// The headers `_headers` gives `path` on Netlify and Cloudflare Pages: every matching
/// rule's, then the host's default Cache-Control when none sets one.
fn headers_file_response(text: &str, path: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = parse_headers_file(text)
        .into_iter()
        .filter(|(pattern, _)| cairn::deploy::pattern_matches(pattern, path))
        .flat_map(|(_, headers)| headers)
        .collect();
    if !headers.iter().any(|(name, _)| name == "Cache-Control") {
        headers.push(("Cache-Control".into(), cairn::deploy::REVALIDATE.into()));
    }
    headers
}

/// An nginx location: its modifier (``, `^~`, `~`), its path or regular expression, and the
/// headers it adds.
type Location = (String, String, Vec<(String, String)>);

/// An nginx server block's locations.
fn parse_nginx(text: &str) -> Vec<Location> {
    let mut locations = Vec::new();
    let mut current: Option<Location> = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("location ") {
            let rest = rest.trim_end_matches('{').trim();
            let (modifier, target) = match rest.split_once(' ') {
                Some((m, t)) => (m.to_string(), t.to_string()),
                None => (String::new(), rest.to_string()),
            };
            current = Some((modifier, target, Vec::new()));
        } else if let Some(rest) = line.strip_prefix("add_header ") {
            let (name, value) = rest.split_once(' ').unwrap();
            let value = value.trim_end_matches(" always;");
            let value = value.strip_prefix('"').unwrap().strip_suffix('"').unwrap();
            let value = value.replace("\\\"", "\"").replace("\\\\", "\\");
            current
                .as_mut()
                .expect("add_header outside a location")
                .2
                .push((name.into(), value));
        } else if line == "}"
            && let Some(location) = current.take()
        {
            locations.push(location);
        }
    }
    locations
}

/// The headers nginx sends for `path`: the location it picks (the longest prefix; a `^~`
/// prefix skips the regular expressions; else the first matching regular expression).
fn nginx_response(text: &str, path: &str) -> Vec<(String, String)> {
    let locations = parse_nginx(text);
    let prefix = locations
        .iter()
        .filter(|(m, target, _)| (m.is_empty() || m == "^~") && path.starts_with(target.as_str()))
        .max_by_key(|(_, target, _)| target.len())
        .expect("no prefix location");
    if prefix.0 != "^~" {
        for (modifier, target, headers) in &locations {
            if modifier == "~" {
                // The generated expressions use `^`, `.*`, `\.` and `$` only.
                let pattern = target
                    .trim_start_matches('^')
                    .trim_end_matches('$')
                    .replace("\\.", ".");
                let glob = pattern.replace(".*", "*");
                if cairn::deploy::pattern_matches(&glob, path) {
                    return headers.clone();
                }
            }
        }
    }
    prefix.2.clone()
}

fn sorted(mut headers: Vec<(String, String)>) -> Vec<(String, String)> {
    headers.sort();
    headers
}

#[test]
fn headers_come_from_one_definition_for_every_host() {
    let csp =
        "default-src 'self'; img-src 'self' https://images.example.org; frame-ancestors 'none'";
    let headers_file = cairn::deploy::headers_file(csp);
    let nginx = cairn::deploy::hosts::nginx_server("example.org", "/var/www/site", csp);
    for path in [
        "/",
        "/articles/first-article/",
        "/404.html",
        "/atom.xml",
        "/assets/css/site.0123abcd.css",
        "/assets/js/search.0123abcd.js",
        "/search/",
        "/search/index.json",
        "/search/t0-0123abcd.bin",
        "/search/d12-0123abcd.bin",
        "/favicon.svg",
    ] {
        let expected: Vec<(String, String)> = cairn::deploy::response_headers(path, csp)
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect();
        assert_eq!(
            sorted(headers_file_response(&headers_file, path)),
            sorted(expected.clone()),
            "_headers, {path}"
        );
        assert_eq!(
            sorted(nginx_response(&nginx, path)),
            sorted(expected.clone()),
            "nginx, {path}"
        );
        let cache: Vec<_> = expected
            .iter()
            .filter(|(n, _)| n == "Cache-Control")
            .collect();
        assert_eq!(cache.len(), 1, "{path}");
    }
    // The pages' meta tag carries the same policy, less what a meta tag cannot.
    assert_eq!(
        cairn::deploy::csp_for_meta(csp),
        "default-src 'self'; img-src 'self' https://images.example.org"
    );
    // A site's own policy reaches _headers and the meta tags of a build.
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        &format!("title: T\nbase_url: https://example.org/\ncsp: \"{csp}\"\n"),
    );
    site.build();
    assert_eq!(site.read("_headers"), headers_file);
    assert_eq!(
        site.html("index.html")
            .attr("meta[http-equiv='Content-Security-Policy']", "content"),
        cairn::deploy::csp_for_meta(csp)
    );
}

/// `text` with this version of cairn written as `VERSION`, so the guide need not change with
/// every release.
fn without_version(text: &str) -> String {
    let mut out = text.replace(env!("CARGO_PKG_VERSION"), "VERSION");
    for (marker, end) in [("CAIRN_VERSION: \"", '"'), ("cairn --version ", ' ')] {
        let mut from = 0;
        while let Some(at) = out[from..].find(marker) {
            let start = from + at + marker.len();
            let stop = out[start..].find(end).map_or(out.len(), |i| start + i);
            out.replace_range(start..stop, "VERSION");
            from = start + "VERSION".len();
        }
    }
    out
}

#[test]
fn the_guide_shows_the_files_cairn_init_writes() {
    use cairn::deploy::hosts::Host;
    for (host, page) in [
        (Host::Netlify, "netlify.md"),
        (Host::GitHub, "github-pages.md"),
        (Host::Cloudflare, "cloudflare-pages.md"),
        (Host::Nginx, "nginx.md"),
    ] {
        let path = format!("docs/content/deploy/{page}");
        let guide = without_version(&std::fs::read_to_string(repo_path(&path)).unwrap());
        for (name, text) in host.files("my-site") {
            assert!(
                guide.contains(&without_version(&text)),
                "{path} shows another {name} than cairn init writes:\n{text}"
            );
        }
    }
    let guide = std::fs::read_to_string(repo_path("docs/content/deploy/nginx.md")).unwrap();
    let proxy = cairn::deploy::hosts::nginx_proxy_location("/guide/", "http://127.0.0.1:8080/");
    assert!(
        guide.contains(&format!("```nginx\n{proxy}```")),
        "docs/content/deploy/nginx.md shows another proxy location than:\n{proxy}"
    );
}
