//! Site files: `sitemap.xml`, `atom.xml`, `robots.txt` and alias redirect pages.
//!
//! Written in Rust rather than templates: their formats are fixed, and escaping is easier
//! to get right once here than in every theme.

use std::fmt::Write;

use crate::content::{Site, TAGS_PATH};
use crate::escape;
use crate::output::{Kind, Origin, OutputFile};
use crate::paths::{RelPath, alias_file, alias_path};

/// Files cairn generates that a file of the same name in the site's `static/` replaces:
/// the site owner's own rules win over cairn's defaults.
pub const REPLACEABLE: &[&str] = &["robots.txt", "_headers", "_redirects"];
use crate::quiz::CompiledFlow;
use crate::render::SiteMarkdown;

/// Every site file, ready to write.
pub fn site_files(site: &Site, rendered: &SiteMarkdown, flows: &[CompiledFlow]) -> Vec<OutputFile> {
    let mut files = vec![sitemap(site, flows), robots(site)];
    if let Some(feed) = atom(site, rendered) {
        files.push(feed);
    }
    files.extend(aliases(site));
    files
}

/// Every page search engines should find: sections, pages, tag pages and each quiz's first
/// page (its other questions and its outcomes are steps, `noindex`).
fn sitemap(site: &Site, flows: &[CompiledFlow]) -> OutputFile {
    let base = &site.config.base_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for (_, section) in site.published_sections() {
        entries.push((section.site_path.clone(), None));
    }
    for page in &site.pages {
        let lastmod = page
            .updated
            .as_ref()
            .or(page.date.as_ref())
            .map(|d| d.day.clone());
        entries.push((page.site_path.clone(), lastmod));
    }
    if !site.tags.is_empty() {
        entries.push((TAGS_PATH.to_string(), None));
        entries.extend(site.tags.iter().map(|t| (t.site_path.clone(), None)));
    }
    for flow in flows {
        if let Some(file) = site.flows.iter().find(|f| f.key == flow.key) {
            entries.push((file.site_path.clone(), None));
        }
    }
    entries.sort();
    for (path, lastmod) in entries {
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n",
            escape::xml(&base.permalink(&path))
        );
        if let Some(day) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{day}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: RelPath::fixed("sitemap.xml"),
        bytes: xml.into_bytes().into(),
        origin: Origin::generated("the sitemap"),
    }
}

fn robots(site: &Site) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        site.config.base_url.permalink("sitemap.xml")
    );
    OutputFile {
        path: RelPath::fixed("robots.txt"),
        bytes: text.into_bytes().into(),
        origin: Origin::generated("robots.txt"),
    }
}

/// The Atom feed of dated pages, newest first; `None` when no page has a date.
fn atom(site: &Site, rendered: &SiteMarkdown) -> Option<OutputFile> {
    let dated = site.dated_pages();
    let newest = dated.first()?;
    let base = &site.config.base_url;
    let updated = dated
        .iter()
        .filter_map(|i| {
            site.pages[*i]
                .updated
                .as_ref()
                .or(site.pages[*i].date.as_ref())
        })
        .max()
        .or(site.pages[*newest].date.as_ref())?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(xml, " xml:lang=\"{}\">", escape::xml(&site.config.language));
    let _ = writeln!(xml, "  <title>{}</title>", escape::xml(&site.config.title));
    if !site.config.description.is_empty() {
        let _ = writeln!(
            xml,
            "  <subtitle>{}</subtitle>",
            escape::xml(&site.config.description)
        );
    }
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape::xml(&base.permalink("atom.xml"))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape::xml(&base.absolute_root())
    );
    let _ = writeln!(xml, "  <id>{}</id>", escape::xml(&base.absolute_root()));
    let _ = writeln!(xml, "  <updated>{}</updated>", updated.rfc3339);
    let _ = writeln!(xml, "  <generator>cairn</generator>");
    if !site.config.author.is_empty() {
        let _ = writeln!(
            xml,
            "  <author><name>{}</name></author>",
            escape::xml(&site.config.author)
        );
    }
    for index in dated.iter().take(site.config.feed_limit) {
        let page = &site.pages[*index];
        let Some(date) = &page.date else { continue };
        let md = &rendered.pages[*index];
        let permalink = base.permalink(&page.site_path);
        xml.push_str("  <entry>\n");
        let _ = writeln!(
            xml,
            "    <title>{}</title>",
            escape::xml(&page.front.title.value)
        );
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape::xml(&permalink)
        );
        let _ = writeln!(xml, "    <id>{}</id>", escape::xml(&permalink));
        let _ = writeln!(xml, "    <published>{}</published>", date.rfc3339);
        let _ = writeln!(
            xml,
            "    <updated>{}</updated>",
            page.updated.as_ref().unwrap_or(date).rfc3339
        );
        for tag in &page.front.tags {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", escape::xml(&tag.value));
        }
        if let Some(description) = &page.front.description {
            let _ = writeln!(xml, "    <summary>{}</summary>", escape::xml(description));
        }
        let _ = writeln!(
            xml,
            "    <content type=\"html\">{}</content>",
            escape::xml(&md.html)
        );
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Some(OutputFile {
        path: RelPath::fixed("atom.xml"),
        bytes: xml.into_bytes().into(),
        origin: Origin::generated("the Atom feed"),
    })
}

/// A small page per alias that sends readers (and search engines) to the page's URL.
fn aliases(site: &Site) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for page in &site.pages {
        let target = site.config.base_url.link(&page.site_path);
        let canonical = site.config.base_url.permalink(&page.site_path);
        for alias in &page.front.aliases {
            // Refused aliases failed the build when the content was loaded.
            let Some(file) = alias_path(&alias.value)
                .ok()
                .and_then(|path| RelPath::new(&alias_file(&path)).ok())
            else {
                continue;
            };
            let html = format!(
                "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to {title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n",
                lang = escape::xml(&site.config.language),
                title = escape::xml(&page.front.title.value),
                canonical = escape::xml(&canonical),
                target = escape::xml(&target),
            );
            files.push(OutputFile {
                path: file,
                bytes: html.into_bytes().into(),
                origin: Origin::file(Kind::Alias, &*page.source.name),
            });
        }
    }
    files
}
