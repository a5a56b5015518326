//! What `cairn check` reads from one rendered page: ids, references, headings and the
//! accessibility basics, through a real HTML parser.

use std::collections::HashSet;

use scraper::{ElementRef, Html, Selector};

/// One URL a page refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reference {
    /// The element, e.g. `a` or `img`.
    pub element: String,
    /// The URL as written in the HTML.
    pub url: String,
}

/// One heading of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its text.
    pub text: String,
}

/// Everything checked about one page.
#[derive(Debug, Default)]
pub(super) struct PageFacts {
    /// Every `id` (and `a[name]`) in the page, for anchors.
    pub ids: HashSet<String>,
    /// Every URL in `href`, `src`, `srcset`, `poster` and `data` attributes.
    pub references: Vec<Reference>,
    /// The `src` of images without an `alt` attribute.
    pub images_without_alt: Vec<String>,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// The `href` of links with no text and no accessible name.
    pub links_without_text: Vec<String>,
}

/// Elements and the attributes of theirs that hold URLs.
const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("script", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
];

/// Parses a page and collects its facts.
pub(super) fn read_page(html: &str) -> PageFacts {
    let document = Html::parse_document(html);
    let mut facts = PageFacts::default();
    for element in document.root_element().descendent_elements() {
        let value = element.value();
        let name = value.name();
        if let Some(id) = value.attr("id") {
            facts.ids.insert(id.to_string());
        }
        if name == "a"
            && let Some(anchor) = value.attr("name")
        {
            facts.ids.insert(anchor.to_string());
        }
        for (element_name, attribute) in URL_ATTRIBUTES {
            if *element_name != name {
                continue;
            }
            let Some(raw) = value.attr(attribute) else {
                continue;
            };
            if *attribute == "srcset" {
                for candidate in raw.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        facts.references.push(Reference {
                            element: name.to_string(),
                            url: url.to_string(),
                        });
                    }
                }
            } else {
                facts.references.push(Reference {
                    element: name.to_string(),
                    url: raw.trim().to_string(),
                });
            }
        }
        match name {
            "img" if value.attr("alt").is_none() => {
                facts
                    .images_without_alt
                    .push(value.attr("src").unwrap_or("").to_string());
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                facts.headings.push(Heading {
                    level: name.as_bytes()[1] - b'0',
                    text: heading_text(element),
                });
            }
            "a" if value.attr("href").is_some() && !has_accessible_name(element) => {
                facts
                    .links_without_text
                    .push(value.attr("href").unwrap_or("").to_string());
            }
            _ => {}
        }
    }
    facts
}

/// Images and icons that can name a link.
static NAMING_IMAGES: std::sync::LazyLock<Option<Selector>> =
    std::sync::LazyLock::new(|| Selector::parse("img[alt], svg[aria-label]").ok());

fn text_of(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A heading's text without its `#` self-link.
fn heading_text(heading: ElementRef<'_>) -> String {
    let mut text = String::new();
    for node in heading.descendants() {
        let Some(part) = node.value().as_text() else {
            continue;
        };
        let in_self_link = node
            .ancestors()
            .take_while(|a| a.id() != heading.id())
            .any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| e.name() == "a" && e.classes().any(|c| c == "heading-anchor"))
            });
        if !in_self_link {
            text.push_str(part);
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text, an ARIA label, a title, or an image with alt text inside.
fn has_accessible_name(link: ElementRef<'_>) -> bool {
    let value = link.value();
    let labelled = ["aria-label", "aria-labelledby", "title"]
        .iter()
        .any(|a| value.attr(a).is_some_and(|v| !v.trim().is_empty()));
    if labelled || !text_of(link).is_empty() {
        return true;
    }
    NAMING_IMAGES.as_ref().is_some_and(|images| {
        link.select(images).any(|img| {
            img.value()
                .attr("alt")
                .or(img.value().attr("aria-label"))
                .is_some_and(|alt| !alt.trim().is_empty())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_ids_references_headings_and_accessibility_problems() {
        let facts = read_page(
            r##"<html><head><link rel="stylesheet" href="/css/a.css"></head><body>
            <h1 id="top">Title</h1><h3>Skipped <a class="heading-anchor" href="#s">#</a></h3><a name="old"></a>
            <a href="/x/">X</a><a href="/y/"><img src="/i.png" alt="Y"></a><a href="/z/"> </a>
            <a href="/w/" aria-label="W"></a>
            <img src="/no-alt.png"><img src="/decorative.png" alt="">
            <img srcset="/a.png 1x, /b.png 2x" alt="a">
            </body></html>"##,
        );
        assert!(facts.ids.contains("top") && facts.ids.contains("old"));
        let urls: Vec<&str> = facts.references.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "/css/a.css",
                "#s",
                "/x/",
                "/y/",
                "/i.png",
                "/z/",
                "/w/",
                "/no-alt.png",
                "/decorative.png",
                "/a.png",
                "/b.png"
            ]
        );
        assert_eq!(facts.images_without_alt, ["/no-alt.png"]);
        assert_eq!(facts.links_without_text, ["/z/"]);
        let levels: Vec<u8> = facts.headings.iter().map(|h| h.level).collect();
        assert_eq!(levels, [1, 3]);
        assert_eq!(facts.headings[1].text, "Skipped");
    }
}
