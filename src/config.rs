//! `site.yaml`: the site's settings, parsed strictly (an unknown key is an error).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value as JsonValue;

use crate::diagnostics::{Diagnostic, SourceFile, io_reason};
use crate::yaml::{self, Document, Spanned, Yaml};

pub use crate::paths::CONFIG_FILE;

/// The policy cairn's themes are built for: nothing inline, nothing from elsewhere. A
/// site's `csp:` replaces it.
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Spanned<String>,
    base_url: Spanned<String>,
    #[serde(default)]
    language: Option<Spanned<String>>,
    #[serde(default)]
    description: Option<Spanned<String>>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    theme: Option<Spanned<String>>,
    #[serde(default)]
    unsafe_html: bool,
    #[serde(default)]
    tags_paginate_by: Option<Spanned<usize>>,
    #[serde(default)]
    feed_limit: Option<usize>,
    #[serde(default)]
    csp: Option<Spanned<String>>,
    #[serde(default)]
    sri: bool,
    #[serde(default)]
    follow_outside_symlinks: bool,
    #[serde(default)]
    images: Option<Spanned<RawImages>>,
    #[serde(default)]
    extra: BTreeMap<String, JsonValue>,
}

/// `images:` in site.yaml, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImages {
    #[serde(default)]
    widths: Option<Vec<u32>>,
    #[serde(default)]
    quality: Option<u8>,
    #[serde(default)]
    cards: Option<bool>,
}

/// How cairn makes responsive images from the site's photos (`images:` in site.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageConfig {
    /// The widths of the resized variants, in pixels, smallest first; none wider than the
    /// original is made.
    pub widths: Vec<u32>,
    /// WebP and JPEG quality, 1 to 100.
    pub quality: u8,
    /// Whether cairn draws a share card for each page without an `image:` (on by default;
    /// off, such pages share the home page's `image:`, if it has one). Drawing cards is
    /// most of a cold build's time on a large site.
    pub cards: bool,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            widths: DEFAULT_IMAGE_WIDTHS.to_vec(),
            quality: DEFAULT_IMAGE_QUALITY,
            cards: true,
        }
    }
}

/// The variant widths when site.yaml names none: a phone, a tablet or a phone at 2x, and a
/// wide screen at 2x of the default theme's column.
pub const DEFAULT_IMAGE_WIDTHS: &[u32] = &[480, 960, 1600];

/// The encoders' quality when site.yaml names none: small files, no visible blocks.
pub const DEFAULT_IMAGE_QUALITY: u8 = 80;

/// The widest variant cairn makes, so a typo (`16000`) cannot fill the disk.
pub const MAX_IMAGE_WIDTH: u32 = 8192;

/// The parsed, validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title, shown in templates and the feed.
    pub title: String,
    /// Where the site lives, possibly under a sub-path.
    pub base_url: BaseUrl,
    /// BCP 47 language tag for `<html lang>`, default `en`.
    pub language: String,
    /// One-line description for the home page and feed.
    pub description: String,
    /// Where `description:` was written, for "the site has no description".
    pub description_range: Option<std::ops::Range<usize>>,
    /// The site's author, for feeds and metadata.
    pub author: String,
    /// Theme folder name under `themes/`, default `default`.
    pub theme: String,
    /// Where `theme:` was written, for "unknown theme" errors.
    pub theme_range: Option<std::ops::Range<usize>>,
    /// Lets raw HTML in Markdown through unsanitized (trusted authors only).
    pub unsafe_html: bool,
    /// Paginate tag pages by this many pages, when set.
    pub tags_paginate_by: Option<usize>,
    /// How many entries `atom.xml` holds.
    pub feed_limit: usize,
    /// The Content-Security-Policy for `_headers` and the pages' `<meta>` tag.
    pub csp: String,
    /// Add Subresource Integrity attributes to stylesheets and scripts.
    pub sri: bool,
    /// Follow symbolic links that lead outside the site (off: such a link is an error,
    /// so a link cannot publish a file from elsewhere on the build machine).
    pub follow_outside_symlinks: bool,
    /// Responsive image settings.
    pub images: ImageConfig,
    /// Free values for templates, as `config.extra` / `site.extra`.
    pub extra: BTreeMap<String, JsonValue>,
    /// The config file itself, for diagnostics.
    pub source: SourceFile,
    /// Warnings about its YAML (a `#` cutting a title short, `sri: yes`…).
    pub warnings: Vec<Diagnostic>,
}

/// Keys of `site.yaml` that take `true` or `false`.
const BOOLEANS: &[&str] = &["unsafe_html", "sri", "follow_outside_symlinks"];

impl Config {
    /// Reads and validates `site.yaml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        crate::walk::check_file(&path, &crate::walk::Rules::for_site(root, false))?;
        let text = std::fs::read_to_string(&path).map_err(|error| {
            Diagnostic::error(format!("cannot read {CONFIG_FILE}: {}", io_reason(&error)))
                .in_file(CONFIG_FILE)
                .help(format!(
                    "run cairn in a site folder (one with {CONFIG_FILE}), pass --root DIR, or create a site with `cairn init DIR`"
                ))
        })?;
        Self::parse(SourceFile::new(CONFIG_FILE, text))
    }

    /// Parses config text (kept separate from file reading for tests).
    pub fn parse(source: SourceFile) -> Result<Config, Diagnostic> {
        let blank = source.text.lines().all(|line| {
            let line = line.trim();
            line.is_empty() || line.starts_with('#')
        });
        if blank {
            return Err(Diagnostic::error(format!("{CONFIG_FILE} is empty"))
                .at(&source, 0..0)
                .help("write the site's settings in it, at least:\ntitle: My site\nbase_url: https://example.org/"));
        }
        let document = Document::file(&source, CONFIG_FILE);
        let raw: RawConfig = yaml::parse_document(&document)?;
        let warnings = match Yaml::parse_document(&document) {
            Ok(tree) => yaml::lints::lint(&tree, &source, BOOLEANS),
            Err(_) => Vec::new(),
        };
        let base_url = BaseUrl::parse(&raw.base_url.value).map_err(|message| {
            Diagnostic::error(message)
                .at(&source, yaml::range_of(&raw.base_url, 0))
                .help("write an absolute URL such as `https://example.org/` or `https://example.org/guide/`")
        })?;
        if raw.title.value.trim().is_empty() {
            return Err(Diagnostic::error("`title` is empty")
                .at(&source, yaml::range_of(&raw.title, 0))
                .help("write the site's title after `title:`"));
        }
        let language = match raw.language {
            Some(lang) => {
                let valid = !lang.value.is_empty()
                    && lang.value.split('-').all(|part| {
                        !part.is_empty()
                            && part.len() <= 8
                            && part.chars().all(|c| c.is_ascii_alphanumeric())
                    });
                if !valid {
                    return Err(Diagnostic::error(format!(
                        "`{}` is not a language tag",
                        lang.value
                    ))
                    .at(&source, yaml::range_of(&lang, 0))
                    .help("use a BCP 47 tag such as `en`, `en-GB` or `fr`"));
                }
                lang.value
            }
            None => "en".to_string(),
        };
        if let Some(per_page) = &raw.tags_paginate_by
            && per_page.value == 0
        {
            return Err(Diagnostic::error("`tags_paginate_by` must be at least 1")
                .at(&source, yaml::range_of(per_page, 0))
                .help("remove the key to list every page on one tag page"));
        }
        let csp = match raw.csp {
            Some(csp) if csp.value.trim().is_empty() || csp.value.contains(['\n', '\r']) => {
                return Err(Diagnostic::error("`csp` must be one line, and not empty")
                    .at(&source, yaml::range_of(&csp, 0))
                    .help("write the whole policy on one line, directives separated by `;`"));
            }
            Some(csp) => csp.value.trim().to_string(),
            None => DEFAULT_CSP.to_string(),
        };
        let images = match raw.images {
            Some(images) => image_config(&images, &source)?,
            None => ImageConfig::default(),
        };
        Ok(Config {
            title: raw.title.value,
            base_url,
            language,
            description_range: raw.description.as_ref().map(|d| yaml::range_of(d, 0)),
            description: raw.description.map(|d| d.value).unwrap_or_default(),
            author: raw.author.unwrap_or_default(),
            theme_range: raw.theme.as_ref().map(|t| yaml::range_of(t, 0)),
            theme: raw.theme.map_or_else(|| "default".to_string(), |t| t.value),
            unsafe_html: raw.unsafe_html,
            tags_paginate_by: raw.tags_paginate_by.map(|p| p.value),
            feed_limit: raw.feed_limit.unwrap_or(20),
            csp,
            sri: raw.sri,
            follow_outside_symlinks: raw.follow_outside_symlinks,
            images,
            extra: raw.extra,
            source,
            warnings,
        })
    }
}

/// Checks `images:`: widths between 1 and [`MAX_IMAGE_WIDTH`], quality between 1 and 100.
fn image_config(raw: &Spanned<RawImages>, source: &SourceFile) -> Result<ImageConfig, Diagnostic> {
    let at = || yaml::range_of(raw, 0);
    let mut config = ImageConfig::default();
    if let Some(widths) = &raw.value.widths {
        if widths.is_empty() || widths.iter().any(|w| *w == 0 || *w > MAX_IMAGE_WIDTH) {
            return Err(Diagnostic::error(format!(
                "images.widths must list widths between 1 and {MAX_IMAGE_WIDTH} pixels"
            ))
            .at(source, at())
            .help("for example `widths: [480, 960, 1600]`"));
        }
        let mut widths = widths.clone();
        widths.sort_unstable();
        widths.dedup();
        config.widths = widths;
    }
    if let Some(quality) = raw.value.quality {
        if !(1..=100).contains(&quality) {
            return Err(
                Diagnostic::error("images.quality must be between 1 and 100")
                    .at(source, at())
                    .help("80 keeps photos sharp and small"),
            );
        }
        config.quality = quality;
    }
    if let Some(cards) = raw.value.cards {
        config.cards = cards;
    }
    Ok(config)
}

/// The site folder a command works on: `root` when given; else, like git finding its
/// repository, `start` or the nearest folder above it that holds `site.yaml`, written
/// relative to `start` (`.`, `..`, `../..`) so messages name files as the editor sees them.
pub fn find_root(root: Option<&Path>, start: &Path) -> Result<PathBuf, Diagnostic> {
    if let Some(root) = root {
        // Said here in words, rather than as the build's "cannot read site.yaml".
        let message = if !root.is_dir() {
            format!("there is no folder {}", root.display())
        } else if !root.join(CONFIG_FILE).exists() {
            format!("there is no {CONFIG_FILE} in {}", root.display())
        } else {
            return Ok(root.to_path_buf());
        };
        return Err(Diagnostic::error(message).help(format!(
            "pass --root the site's folder, the one that holds {CONFIG_FILE}, or create a site with `cairn init DIR`"
        )));
    }
    let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    for (up, dir) in absolute.ancestors().enumerate() {
        if dir.join(CONFIG_FILE).is_file() {
            let relative = (0..up).fold(PathBuf::new(), |path, _| path.join(".."));
            return Ok(if up == 0 {
                start.to_path_buf()
            } else if start == Path::new(".") {
                relative
            } else {
                start.join(relative)
            });
        }
    }
    Err(Diagnostic::error(format!(
        "there is no {CONFIG_FILE} in {} or any folder above it",
        absolute.display()
    ))
    .help(format!(
        "run cairn inside a site (a folder with {CONFIG_FILE}), pass --root DIR, or create a site with `cairn init DIR`"
    )))
}

/// The site's public address, split into origin and path so links can carry the sub-path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    path: String,
}

impl BaseUrl {
    /// Parses an absolute http(s) URL; the path always ends with `/`.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let url = url::Url::parse(text.trim()).map_err(|error| match error {
            url::ParseError::RelativeUrlWithoutBase => {
                format!("`{text}` is not a full address: it must start with `https://`")
            }
            error => format!("`{text}` is not a valid address: {error}"),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "base URL `{text}` must start with http:// or https://"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "base URL `{text}` must not have a query or fragment"
            ));
        }
        let origin = url.origin().ascii_serialization();
        let mut path = url.path().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl { origin, path })
    }

    /// The sub-path the site is served under, starting and ending with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The full base URL, ending with `/`.
    pub fn absolute_root(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }

    /// A root-relative link for a site path such as `reasons/healing/` (no leading slash).
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }

    /// An absolute URL for a site path, for canonical links, feeds and sitemaps.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.link(site_path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(SourceFile::new("site.yaml", text))
    }

    #[test]
    fn minimal_config_has_defaults() {
        let config = parse("title: T\nbase_url: https://example.org\n").unwrap();
        assert_eq!(config.theme, "default");
        assert_eq!(config.language, "en");
        assert_eq!(config.base_url.path(), "/");
        assert_eq!(config.base_url.link("a/"), "/a/");
    }

    #[test]
    fn sub_path_is_kept_in_links_and_permalinks() {
        let config = parse("title: T\nbase_url: https://example.org/guide\n").unwrap();
        assert_eq!(
            config.base_url.link("reasons/healing/"),
            "/guide/reasons/healing/"
        );
        assert_eq!(
            config.base_url.permalink("reasons/"),
            "https://example.org/guide/reasons/"
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_location() {
        let error = parse("title: T\nbase_url: https://example.org/\nthme: paper\n").unwrap_err();
        assert_eq!(error.location(), "site.yaml:3:1");
        assert!(error.help.unwrap().contains("`theme`"));
    }

    #[test]
    fn the_site_is_found_in_the_folder_or_above() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: T\n").unwrap();
        let deep = dir.path().join("content/notes");
        std::fs::create_dir_all(&deep).unwrap();
        let found = find_root(None, &deep).unwrap();
        assert_eq!(found, deep.join("../.."));
        assert!(found.join("site.yaml").is_file());
        assert_eq!(find_root(None, dir.path()).unwrap(), dir.path());
        // Given, the root is taken as it is, when it holds a site.
        assert_eq!(find_root(Some(dir.path()), &deep).unwrap(), dir.path());
        let error = find_root(Some(Path::new("elsewhere")), &deep).unwrap_err();
        assert_eq!(error.message, "there is no folder elsewhere");
        let error = find_root(Some(&deep), dir.path()).unwrap_err();
        assert!(
            error.message.starts_with("there is no site.yaml in "),
            "{}",
            error.message
        );
        let nowhere = tempfile::tempdir().unwrap();
        let error = find_root(None, nowhere.path()).unwrap_err();
        assert!(
            error.message.contains("or any folder above it"),
            "{}",
            error.message
        );
    }

    #[test]
    fn an_empty_file_says_so() {
        for text in ["", "\n\n", "# settings\n"] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.message, "site.yaml is empty");
            assert!(error.help.unwrap().contains("base_url:"));
        }
    }

    #[test]
    fn bad_base_url_points_at_the_value() {
        let error = parse("title: T\nbase_url: example.org\n").unwrap_err();
        assert_eq!(error.location(), "site.yaml:2:11");
    }
}
