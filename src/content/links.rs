//! Internal links: relative paths to `.md` files (and other content files) become URLs.

use super::{Site, Target};

/// What a link written in content points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Not a content path: leave it as written.
    Unchanged,
    /// A page or section; `key` names it so the anchor can be checked later.
    Internal {
        /// Root-relative URL, with the base path.
        url: String,
        /// Content key of the target.
        key: String,
        /// The `#fragment`, if any.
        anchor: Option<String>,
    },
    /// A file copied as it is (an image beside the page, say).
    Asset {
        /// Root-relative URL.
        url: String,
        /// Its content key (`blog/photo.jpg`).
        key: String,
    },
    /// Names nothing that exists.
    Broken {
        /// What is wrong.
        message: String,
        /// What to do about it.
        help: Option<String>,
    },
}

/// True for destinations that are not paths into the content: URLs with a scheme,
/// protocol-relative and root-relative URLs, and fragment-only links.
pub fn is_external(target: &str) -> bool {
    let target = target.trim();
    if target.is_empty()
        || target.starts_with('#')
        || target.starts_with('/')
        || target.starts_with('?')
    {
        return true;
    }
    match target.find(':') {
        Some(colon) => {
            let scheme = &target[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !target[..colon].contains('/')
        }
        None => false,
    }
}

impl Site {
    /// Resolves a link target written in the page or section `from` (a content key).
    pub fn resolve_link(&self, from: &str, target: &str) -> Resolved {
        if is_external(target) {
            return Resolved::Unchanged;
        }
        let (path_part, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor.to_string())),
            None => (target, None),
        };
        let path_part = path_part.split('?').next().unwrap_or(path_part);
        let decoded = percent_decode(path_part);
        let Some(key) = crate::paths::join(from, &decoded) else {
            return Resolved::Broken {
                message: format!("the link `{target}` climbs out of content/"),
                help: Some(
                    "internal links are paths relative to this file, inside content/".into(),
                ),
            };
        };
        if let Some(found) = self.targets.get(&key) {
            if let Target::Section(i) = found
                && !self.sections[*i].published
            {
                return Resolved::Broken {
                    message: format!(
                        "the link `{target}` points at content/{key}, a section with no pages and no text, which is not published"
                    ),
                    help: Some(format!(
                        "add a page to content/{}/ or text to its _index.md, or remove the link",
                        self.sections[*i].dir
                    )),
                };
            }
            let site_path = match found {
                Target::Page(i) => &self.pages[*i].site_path,
                Target::Section(i) => &self.sections[*i].site_path,
            };
            return Resolved::Internal {
                url: self.config.base_url.link(site_path),
                key,
                anchor: anchor.filter(|a| !a.is_empty()),
            };
        }
        if let Some(flow) = self.flow_keys.get(&key) {
            if anchor.as_deref().is_some_and(|a| !a.is_empty()) {
                return Resolved::Broken {
                    message: format!(
                        "the link `{target}` points into a quiz, which has no headings"
                    ),
                    help: Some(
                        "link to the quiz file without `#…`: it leads to the first question".into(),
                    ),
                };
            }
            return Resolved::Internal {
                url: self.config.base_url.link(&self.flows[*flow].site_path),
                key,
                anchor: None,
            };
        }
        if let Some(output) = self.asset_outputs.get(&key) {
            return Resolved::Asset {
                url: self.config.base_url.link(output),
                key,
            };
        }
        if self.failed.contains(&key) {
            // The target has errors of its own, reported already; this link may be fine.
            return Resolved::Unchanged;
        }
        if self.drafts.contains(&key) {
            return Resolved::Broken {
                message: format!("the link `{target}` points at a draft, which this build leaves out"),
                help: Some("publish the page (remove `draft: true`), remove the link, or build with --drafts".into()),
            };
        }
        if is_image(&key) {
            return self.missing_image(from, target, &key);
        }
        let candidates = self
            .targets
            .keys()
            .chain(self.flow_keys.keys())
            .chain(&self.failed)
            .map(String::as_str);
        let help = crate::suggest::closest(&key, candidates)
            .map(|best| format!("did you mean `{}`?", relative_from(from, best)))
            .or_else(|| {
                (!key.ends_with(".md") && !key.contains('.')).then(|| {
                    "link to the Markdown file, e.g. `../reasons/healing.md` or `reasons/_index.md` for a section".to_string()
                })
            });
        Resolved::Broken {
            message: format!("the link `{target}` points at `content/{key}`, which does not exist"),
            help,
        }
    }
}

impl Site {
    /// A missing image: a file in its folder that differs only in case is named as such
    /// (hosts tell `Photo.PNG` from `photo.png`, while the writer's computer may not);
    /// otherwise the closest image in that folder, or the images there.
    fn missing_image(&self, from: &str, target: &str, key: &str) -> Resolved {
        let (folder, name) = key.rsplit_once('/').unwrap_or(("", key));
        let siblings: Vec<&str> = self
            .asset_outputs
            .keys()
            .map(String::as_str)
            .filter(|other| is_image(other))
            .filter(|other| other.rsplit_once('/').map_or("", |(dir, _)| dir) == folder)
            .collect();
        let file_name = |other: &str| other.rsplit('/').next().unwrap_or(other).to_string();
        if let Some(same) = siblings
            .iter()
            .find(|other| other.eq_ignore_ascii_case(key))
        {
            let written = relative_from(from, same);
            return Resolved::Broken {
                message: format!(
                    "the image `{target}` does not exist: the file is `{}`, which differs in upper and lower case",
                    file_name(same)
                ),
                help: Some(format!(
                    "write `{written}`: web hosts tell upper from lower case in file names, even where your computer does not"
                )),
            };
        }
        let lower = name.to_lowercase();
        let names: Vec<String> = siblings
            .iter()
            .map(|s| file_name(s).to_lowercase())
            .collect();
        let help = match crate::suggest::closest(&lower, names.iter().map(String::as_str)) {
            Some(best) => {
                let index = names.iter().position(|n| n == best).unwrap_or(0);
                format!("did you mean `{}`?", relative_from(from, siblings[index]))
            }
            None if siblings.is_empty() => format!(
                "put the image in content/{}, or link to it by its path from this file",
                if folder.is_empty() {
                    String::new()
                } else {
                    format!("{folder}/")
                }
            ),
            None => {
                let mut listed: Vec<String> = siblings.iter().map(|s| file_name(s)).collect();
                listed.sort();
                let shown: Vec<String> = listed.iter().take(5).map(|n| format!("`{n}`")).collect();
                let more = listed.len().saturating_sub(5);
                format!(
                    "the images in that folder are {}{}",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                )
            }
        };
        Resolved::Broken {
            message: format!(
                "the image `{target}` points at `content/{key}`, which does not exist"
            ),
            help: Some(help),
        }
    }
}

/// File types a browser shows as an image, by extension (any case).
const IMAGE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp", "ico", "tif", "tiff", "heic",
];

/// True when `key` names an image by its extension.
fn is_image(key: &str) -> bool {
    key.rsplit_once('.').is_some_and(|(_, extension)| {
        IMAGE_EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(extension))
    })
}

/// Writes `to` (a content key) as a path relative to the folder of `from`.
fn relative_from(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = {
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        parts
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// Decodes `%20` and friends in a link path; invalid sequences stay as written.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_string(), std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_targets_are_recognized() {
        for target in [
            "https://x.org",
            "mailto:a@b.c",
            "#top",
            "/abs/",
            "//cdn.x/y",
            "tel:123",
        ] {
            assert!(is_external(target), "{target}");
        }
        for target in ["faq.md", "../reasons/healing.md#x", "img/photo.png"] {
            assert!(!is_external(target), "{target}");
        }
    }

    #[test]
    fn relative_suggestions_start_from_the_linking_file() {
        assert_eq!(relative_from("reasons/a.md", "faq.md"), "../faq.md");
        assert_eq!(relative_from("reasons/a.md", "reasons/b.md"), "b.md");
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("my%20page.md"), "my page.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
