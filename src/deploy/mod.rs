//! Deploy files: one security policy, written for every kind of host.
//!
//! The Content-Security-Policy is defined once (overridable with `csp:` in site.yaml) and
//! feeds `_headers` (Netlify, Cloudflare Pages), the `<meta http-equiv>` tag in every page
//! (GitHub Pages, S3: hosts that cannot set headers), and `netlify.toml` carries the same.

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

/// Cache header for fingerprinted files under `assets/`.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

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

/// `_headers`, `_redirects` and `.nojekyll`.
pub fn deploy_files(site: &Site, csp: &str) -> Vec<OutputFile> {
    let base = site.config.base_url.path();
    let mut headers =
        String::from("# Written by cairn: headers for Netlify and Cloudflare Pages.\n");
    let _ = writeln!(headers, "{base}*");
    let _ = writeln!(headers, "  Content-Security-Policy: {csp}");
    for (name, value) in SECURITY_HEADERS {
        let _ = writeln!(headers, "  {name}: {value}");
    }
    let _ = writeln!(headers, "{base}{ASSETS_DIR}*");
    let _ = writeln!(headers, "  Cache-Control: {IMMUTABLE}");
    let mut redirects =
        String::from("# Written by cairn: old URLs (aliases) and where they moved.\n");
    for page in &site.pages {
        let to = site.config.base_url.link(&page.site_path);
        for alias in &page.front.aliases {
            if let Ok(from) = alias_path(&alias.value) {
                let _ = writeln!(redirects, "{} {to} 301", site.config.base_url.link(&from));
            }
        }
    }
    vec![
        OutputFile {
            path: RelPath::fixed("_headers"),
            bytes: headers.into_bytes().into(),
            origin: Origin::generated("the headers file (_headers)"),
        },
        OutputFile {
            path: RelPath::fixed("_redirects"),
            bytes: redirects.into_bytes().into(),
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
}
