//! Where a URL found in a rendered page points: a file of the site, the web, or nowhere
//! `cairn check` can follow.

use crate::config::BaseUrl;

/// What a URL in a page refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A file of this site: its output path and the fragment, if any.
    Internal {
        /// Output path, e.g. `blog/first/index.html`.
        path: String,
        /// The `#fragment` without `#`.
        fragment: Option<String>,
    },
    /// A root-relative URL outside the site's base path.
    OutsideBase(String),
    /// An http(s) URL elsewhere, without its fragment.
    External(String),
    /// `mailto:`, `tel:`, `data:` and other schemes: nothing to check.
    Skip,
}

/// Classifies `url`, found in the page at output path `page` (e.g. `blog/first/index.html`).
pub(super) fn classify(url: &str, page: &str, base: &BaseUrl) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Skip;
    }
    let absolute_root = base.absolute_root();
    let root_relative = if let Some(rest) = url.strip_prefix(absolute_root.as_str()) {
        // The site's own absolute URLs (canonical links, say) are checked as internal links.
        format!("{}{rest}", base.path())
    } else if let Some(rest) = url.strip_prefix("//") {
        return Target::External(without_fragment(&format!("https://{rest}")));
    } else if let Some(scheme) = scheme(url) {
        return if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
            Target::External(without_fragment(url))
        } else {
            Target::Skip
        };
    } else if url.starts_with('/') {
        url.to_string()
    } else {
        // Relative: from the page's folder URL.
        let folder = match page.rfind('/') {
            Some(i) => &page[..=i],
            None => "",
        };
        let page_url = format!("{}{folder}", base.path());
        if url.starts_with('#') {
            let name = page.rsplit('/').next().unwrap_or(page);
            let own = if name == "index.html" { "" } else { name };
            format!("{page_url}{own}{url}")
        } else {
            format!("{page_url}{url}")
        }
    };
    let (path_and_query, fragment) = match root_relative.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string()).filter(|f| !f.is_empty())),
        None => (root_relative, None),
    };
    let path = path_and_query.split('?').next().unwrap_or("");
    let path = normalize(&crate::content::links::percent_decode(path));
    let Some(rel) = path.strip_prefix(base.path()) else {
        return Target::OutsideBase(path);
    };
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    Target::Internal {
        path: rel,
        fragment,
    }
}

fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    (!scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn without_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_string()
}

/// Resolves `.` and `..` segments of a root-relative path (never above the root).
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    let mut joined = format!("/{}", out.join("/"));
    if trailing && !joined.ends_with('/') {
        joined.push('/');
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn classifies_every_kind_of_url() {
        let base = BaseUrl::parse("https://example.org/guide/").unwrap();
        let page = "blog/first/index.html";
        assert_eq!(
            classify("/guide/about/", page, &base),
            internal("about/index.html", None)
        );
        assert_eq!(
            classify("/guide/blog/first/#x", page, &base),
            internal("blog/first/index.html", Some("x"))
        );
        assert_eq!(
            classify("#x", page, &base),
            internal("blog/first/index.html", Some("x"))
        );
        assert_eq!(
            classify("../second/", page, &base),
            internal("blog/second/index.html", None)
        );
        assert_eq!(
            classify("photo.png", page, &base),
            internal("blog/first/photo.png", None)
        );
        assert_eq!(
            classify("/guide/a%20b.png", page, &base),
            internal("a b.png", None)
        );
        assert_eq!(
            classify("https://example.org/guide/faq/?q=1", page, &base),
            internal("faq/index.html", None)
        );
        assert_eq!(
            classify("/about/", page, &base),
            Target::OutsideBase("/about/".into())
        );
        assert_eq!(
            classify("https://other.org/x#y", page, &base),
            Target::External("https://other.org/x".into())
        );
        assert_eq!(
            classify("//cdn.org/x.js", page, &base),
            Target::External("https://cdn.org/x.js".into())
        );
        assert_eq!(classify("mailto:a@b.c", page, &base), Target::Skip);
        assert_eq!(classify("", page, &base), Target::Skip);
    }
}
