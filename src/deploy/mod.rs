//! Deploy files: one definition of the headers a host should send, written for every kind of
//! host.
//!
//! The rules below ([`header_rules`]) are the only place the headers live. They feed
//! `_headers` (Netlify, Cloudflare Pages), the nginx server block `cairn init --host nginx`
//! writes, and (the policy) the `<meta http-equiv>` tag in every page for hosts that cannot
//! set headers (GitHub Pages, S3). The policy itself is `csp:` in site.yaml, or
//! [`crate::config::DEFAULT_CSP`].
//!
//! Rule paths are relative to the published folder, whatever the site's base URL: a host
//! matches `_headers` and `_redirects` against the folder it serves, and a site under a
//! sub-path (`https://example.org/guide/`) is served from that folder by a proxy or by the
//! host itself (GitHub Pages), so the base URL changes links only.
//!
//! Caching: content-hashed files (fingerprinted assets, search index files) are cached
//! forever; everything else is revalidated on every visit. No two rules that can match one
//! path set the same header, because Netlify and Cloudflare Pages join the values of every
//! matching rule: each response carries exactly one `Cache-Control`, the rule's or the
//! host's own default (which revalidates on both).

pub mod hosts;

use std::fmt::Write;

use crate::content::Site;
use crate::output::{Origin, OutputFile};
use crate::paths::RelPath;
use crate::paths::{ASSETS_DIR, alias_path};

/// Headers sent with every file, besides the policy.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
    ("X-Frame-Options", "DENY"),
];

/// Cache header for content-hashed files: their names change with their content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Cache header for everything else: cached, but revalidated on every visit. Netlify and
/// Cloudflare Pages send this by default, so `_headers` leaves it to them.
pub const REVALIDATE: &str = "public, max-age=0, must-revalidate";

/// The folder of the search index (the search module's `INDEX_DIR`; a unit test keeps the
/// two the same, since this module may not name the search module).
const SEARCH_DIR: &str = "search";

/// Content-hashed files, as path patterns relative to the published folder (`*` matches any
/// run of characters): fingerprinted stylesheets and scripts, and the search index files
/// (every one but the manifest, `search/index.json`, whose name is fixed).
pub fn immutable_patterns() -> Vec<String> {
    vec![format!("/{ASSETS_DIR}*"), format!("/{SEARCH_DIR}/*.bin")]
}

/// Files whose path matches `pattern` get `headers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRule {
    /// A path relative to the published folder; `*` matches any run of characters.
    pub pattern: String,
    /// A one-line description, written above the rule.
    pub comment: &'static str,
    /// Header names and values, in order.
    pub headers: Vec<(&'static str, String)>,
}

/// Every header rule, in order: the policy and security headers for every file, then
/// immutable caching for content-hashed files.
pub fn header_rules(csp: &str) -> Vec<HeaderRule> {
    let mut every = vec![("Content-Security-Policy", csp.to_string())];
    every.extend(
        SECURITY_HEADERS
            .iter()
            .map(|(name, value)| (*name, (*value).to_string())),
    );
    let mut rules = vec![HeaderRule {
        pattern: "/*".to_string(),
        comment: "Every file: the security policy and headers.",
        headers: every,
    }];
    for pattern in immutable_patterns() {
        rules.push(HeaderRule {
            pattern,
            comment: "Content-hashed: the name changes with the content, so cache it forever.",
            headers: vec![("Cache-Control", IMMUTABLE.to_string())],
        });
    }
    rules
}

/// Whether a rule's `pattern` matches `path`, the way Netlify and Cloudflare Pages read
/// `_headers`: `*` matches any run of characters (slashes too), the rest literally.
pub fn pattern_matches(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = parts.split_first().unwrap_or((&"", &[]));
    let Some(mut remaining) = path.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remaining.is_empty();
    };
    for part in middle {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.ends_with(last)
}

/// The headers a host should send for `path` (relative to the published folder): those of
/// every matching rule, and `Cache-Control` revalidation when no rule caches the file.
pub fn response_headers(path: &str, csp: &str) -> Vec<(&'static str, String)> {
    let mut headers: Vec<(&'static str, String)> = header_rules(csp)
        .into_iter()
        .filter(|rule| pattern_matches(&rule.pattern, path))
        .flat_map(|rule| rule.headers)
        .collect();
    if !headers.iter().any(|(name, _)| *name == "Cache-Control") {
        headers.push(("Cache-Control", REVALIDATE.to_string()));
    }
    headers
}

/// The policy as a `<meta http-equiv>` tag may carry it: without the directives browsers
/// ignore there (`frame-ancestors`, `report-uri`, `sandbox`).
pub fn csp_for_meta(csp: &str) -> String {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter(|d| {
            let name = d.split_whitespace().next().unwrap_or("");
            !matches!(
                name,
                "frame-ancestors" | "report-uri" | "report-to" | "sandbox"
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `_headers`, for Netlify and Cloudflare Pages: [`header_rules`] in their syntax.
pub fn headers_file(csp: &str) -> String {
    let mut text = String::from(
        "# Written by cairn: headers for Netlify and Cloudflare Pages. Paths are relative to\n\
         # this folder, whatever the site's base URL. Files no rule caches keep the host's\n\
         # default Cache-Control, which revalidates on every visit.\n",
    );
    for rule in header_rules(csp) {
        let _ = writeln!(text, "# {}", rule.comment);
        let _ = writeln!(text, "{}", rule.pattern);
        for (name, value) in &rule.headers {
            let _ = writeln!(text, "  {name}: {value}");
        }
    }
    text
}

/// `_redirects`: a `301` from every alias (a path relative to the published folder) to its
/// page's link (which carries the base URL's sub-path).
pub fn redirects_file(site: &Site) -> String {
    let mut redirects =
        String::from("# Written by cairn: old URLs (aliases) and where they moved.\n");
    for page in &site.pages {
        let to = site.config.base_url.link(&page.site_path);
        for alias in &page.front.aliases {
            if let Ok(from) = alias_path(&alias.value) {
                let _ = writeln!(redirects, "/{from} {to} 301");
            }
        }
    }
    redirects
}

/// `_headers`, `_redirects` and `.nojekyll`.
pub fn deploy_files(site: &Site, csp: &str) -> Vec<OutputFile> {
    vec![
        OutputFile {
            path: RelPath::fixed("_headers"),
            bytes: headers_file(csp).into_bytes().into(),
            origin: Origin::generated("the headers file (_headers)"),
        },
        OutputFile {
            path: RelPath::fixed("_redirects"),
            bytes: redirects_file(site).into_bytes().into(),
            origin: Origin::generated("the redirects file (_redirects)"),
        },
        // GitHub Pages would otherwise run Jekyll and drop files starting with `_`.
        OutputFile {
            path: RelPath::fixed(".nojekyll"),
            bytes: bytes::Bytes::new(),
            origin: Origin::generated(".nojekyll"),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_policy_drops_what_meta_cannot_carry() {
        let meta = csp_for_meta(crate::config::DEFAULT_CSP);
        assert!(!meta.contains("frame-ancestors"));
        assert!(meta.starts_with("default-src 'self'; script-src 'self'"));
        assert!(meta.ends_with("form-action 'self'"));
    }

    #[test]
    fn the_search_folder_is_the_search_modules() {
        assert_eq!(SEARCH_DIR, crate::search::shards::format::INDEX_DIR);
        let sample = crate::search::shards::format::path(
            crate::search::shards::format::FileKind::Shard,
            3,
            "abc",
        );
        assert!(pattern_matches("/search/*.bin", &format!("/{sample}")));
    }

    #[test]
    fn patterns_match_like_the_hosts() {
        assert!(pattern_matches("/*", "/"));
        assert!(pattern_matches("/*", "/a/b/index.html"));
        assert!(pattern_matches("/assets/*", "/assets/css/site.0123.css"));
        assert!(!pattern_matches("/assets/*", "/assets"));
        assert!(!pattern_matches("/assets/*", "/guide/assets/x.css"));
        assert!(pattern_matches("/search/*.bin", "/search/t0-ab12.bin"));
        assert!(!pattern_matches("/search/*.bin", "/search/index.json"));
        assert!(!pattern_matches("/search/*.bin", "/search/"));
        assert!(!pattern_matches("/search/*.bin", "/search/t0.bin.html"));
        assert!(pattern_matches("/exact", "/exact"));
        assert!(!pattern_matches("/exact", "/exact/"));
    }

    #[test]
    fn every_response_gets_exactly_one_cache_control() {
        for path in [
            "/",
            "/about/",
            "/assets/css/site.1234.css",
            "/search/index.json",
            "/search/d0-1234.bin",
            "/404.html",
        ] {
            let headers = response_headers(path, crate::config::DEFAULT_CSP);
            let caches: Vec<&String> = headers
                .iter()
                .filter(|(name, _)| *name == "Cache-Control")
                .map(|(_, value)| value)
                .collect();
            assert_eq!(caches.len(), 1, "{path}: {headers:?}");
            let hashed = path.starts_with("/assets/") || path.ends_with(".bin");
            let expected = if hashed { IMMUTABLE } else { REVALIDATE };
            assert_eq!(caches[0], expected, "{path}");
            // No header comes twice: hosts would join the two values.
            let mut names: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), headers.len(), "{path}: {headers:?}");
        }
    }
}
