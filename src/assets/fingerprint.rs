//! Asset fingerprinting: stylesheets and scripts get a content hash in their file names and
//! move under `assets/`, so hosts can cache them forever (`/assets/*` is immutable) while
//! HTML is revalidated. Templates reach them through `get_url`, which knows the new names.
//! Stylesheets lose their comments and indentation on the way ([`super::minify`]).

use std::collections::HashMap;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::config::BaseUrl;
use crate::diagnostics::Diagnostic;
use crate::output::{CopiedFile, OutputFile};
use crate::paths::RelPath;

/// The folder fingerprinted files are written to; hosts cache it as immutable.
pub const ASSETS_DIR: &str = "assets/";

/// One fingerprinted file: where it went and its Subresource Integrity value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerprintedAsset {
    /// Output path, e.g. `assets/css/site.3f9a1c2b7d.css`.
    pub path: String,
    /// `sha384-…`, for `integrity` attributes.
    pub integrity: String,
}

/// Original asset path (`css/site.css`) → its fingerprinted version.
#[derive(Debug, Clone, Default)]
pub struct AssetMap(pub HashMap<String, FingerprintedAsset>);

impl AssetMap {
    /// The fingerprinted asset for an original path, if it was fingerprinted.
    pub fn get(&self, path: &str) -> Option<&FingerprintedAsset> {
        self.0.get(path.trim_start_matches('/'))
    }
}

/// True for the files that are fingerprinted: stylesheets and scripts.
fn is_fingerprinted(path: &str) -> bool {
    path.ends_with(".css") || path.ends_with(".js")
}

/// Reads the CSS and JS among `copies`, adds the generated ones from `generated`, and returns
/// them as generated files under `assets/` with hashed names; other files are left as they are.
pub fn fingerprint(
    copies: Vec<CopiedFile>,
    generated: Vec<OutputFile>,
    base: &BaseUrl,
) -> Result<(Vec<CopiedFile>, Vec<OutputFile>, AssetMap), Diagnostic> {
    // Later copies override earlier ones with the same path (site static over theme static).
    let mut chosen: HashMap<RelPath, usize> = HashMap::new();
    for (index, copy) in copies.iter().enumerate() {
        chosen.insert(copy.path.clone(), index);
    }
    let mut kept = Vec::new();
    let mut to_hash: Vec<OutputFile> = Vec::new();
    for (index, copy) in copies.into_iter().enumerate() {
        if chosen.get(&copy.path) != Some(&index) {
            continue;
        }
        if is_fingerprinted(&copy.path) {
            let bytes = std::fs::read(&copy.source).map_err(|error| {
                Diagnostic::error(format!(
                    "cannot read this file: {}",
                    crate::diagnostics::io_reason(&error)
                ))
                .in_file(copy.origin.name.to_string())
                .help("check that the file exists and that cairn may read it")
            })?;
            to_hash.push(OutputFile {
                path: copy.path,
                bytes: bytes.into(),
                origin: copy.origin,
            });
        } else {
            kept.push(copy);
        }
    }
    let mut files = Vec::new();
    for file in generated {
        if is_fingerprinted(&file.path) {
            to_hash.push(file);
        } else {
            files.push(file);
        }
    }
    let mut map = AssetMap::default();
    for mut file in to_hash {
        if file.path.ends_with(".css") {
            let css = super::minify::css(&String::from_utf8_lossy(&file.bytes));
            file.bytes = absolute_css_urls(css.as_bytes(), &file.path, base)
                .into_bytes()
                .into();
        }
        let digest = Sha384::digest(&file.bytes);
        let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
        let integrity = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        let path = RelPath::new(&format!("{ASSETS_DIR}{}", hashed_name(&file.path, &hex)))
            .map_err(|error| {
                Diagnostic::error(error.message())
                    .in_file(file.origin.name.to_string())
                    .help(error.help())
            })?;
        map.0.insert(
            file.path.to_string(),
            FingerprintedAsset {
                path: path.to_string(),
                integrity,
            },
        );
        files.push(OutputFile {
            path,
            bytes: file.bytes,
            origin: file.origin,
        });
    }
    Ok((kept, files, map))
}

/// `css/site.css` + `ab12` → `css/site.ab12.css`.
fn hashed_name(path: &str, hash: &str) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let hashed = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    };
    if dir.is_empty() {
        hashed
    } else {
        format!("{dir}/{hashed}")
    }
}

/// Rewrites relative `url(…)` references in a stylesheet to root-relative ones, since the
/// stylesheet moves under `assets/` while the files it points at stay where they were.
fn absolute_css_urls(bytes: &[u8], css_path: &str, base: &BaseUrl) -> String {
    let css = String::from_utf8_lossy(bytes);
    let dir = css_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(css.len());
    let mut rest: &str = &css;
    while let Some(start) = rest.find("url(") {
        out.push_str(&rest[..start + 4]);
        rest = &rest[start + 4..];
        let Some(end) = rest.find(')') else { break };
        let raw = rest[..end].trim();
        let quote = raw.chars().next().filter(|c| *c == '"' || *c == '\'');
        let target = quote.map_or(raw, |q| raw.trim_matches(q));
        let relative = !target.is_empty()
            && !target.starts_with('/')
            && !target.starts_with('#')
            && !target.contains(':');
        if relative {
            let joined = crate::paths::join(&format!("{dir}/x"), target)
                .unwrap_or_else(|| target.to_string());
            let q = quote.map(String::from).unwrap_or_default();
            out.push_str(&format!("{q}{}{q}", base.link(&joined)));
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(path: &str, bytes: &[u8]) -> OutputFile {
        OutputFile {
            path: RelPath::new(path).unwrap(),
            bytes: bytes.to_vec().into(),
            origin: crate::output::Origin::generated("a test"),
        }
    }

    fn base() -> BaseUrl {
        BaseUrl::parse("https://example.org/guide/").unwrap()
    }

    #[test]
    fn names_carry_the_hash_and_move_under_assets() {
        let (kept, files, map) = fingerprint(
            Vec::new(),
            vec![
                generated("css/a.css", b"body{}"),
                generated("robots.txt", b"x"),
            ],
            &base(),
        )
        .unwrap();
        assert!(kept.is_empty());
        let asset = map.get("/css/a.css").unwrap();
        assert!(
            asset.path.starts_with("assets/css/a.") && asset.path.ends_with(".css"),
            "{}",
            asset.path
        );
        assert_eq!(asset.path.len(), "assets/css/a.0123456789.css".len());
        assert!(asset.integrity.starts_with("sha384-"));
        assert!(files.iter().any(|f| f.path.as_str() == "robots.txt"));
    }

    #[test]
    fn the_hash_follows_the_content() {
        let run = |css: &[u8]| {
            let (_, _, map) =
                fingerprint(Vec::new(), vec![generated("x.css", css)], &base()).unwrap();
            map.get("x.css").unwrap().path.clone()
        };
        assert_eq!(run(b"a{}"), run(b"a{}"));
        assert_ne!(run(b"a{}"), run(b"b{}"));
    }

    #[test]
    fn relative_css_urls_become_root_relative() {
        let css = br#"a{background:url("../img/x.png")} b{background:url(data:image/png;base64,AA)} c{src:url(/f.woff)}"#;
        let out = absolute_css_urls(css, "css/site.css", &base());
        assert!(out.contains(r#"url("/guide/img/x.png")"#), "{out}");
        assert!(out.contains("url(data:image/png;base64,AA)"));
        assert!(out.contains("url(/f.woff)"));
    }
}
