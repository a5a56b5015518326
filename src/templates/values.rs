//! Template values: what templates see of the site, built once per build and shared.
//!
//! Each page's and section's value is built once (tera values are reference-counted, so a
//! section listing a hundred pages shares them instead of copying), and the site-wide value
//! is serialized once, not per page.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value as JsonValue;
use tera::Value;

use super::functions::SiteLookup;
use super::value_hash::ValueHasher;
use crate::assets::AssetMap;
use crate::content::{Page, PartGroup, PartTarget, Section, Site, TagTerm};
use crate::markdown::{RenderedMarkdown, TocEntry};
use crate::memo::Memo;
use crate::render::SiteMarkdown;

/// The share image at `index` of `list`, empty when there is none.
fn image_of(list: &[String], index: usize) -> &str {
    list.get(index).map_or("", String::as_str)
}

/// Reading speed used for `reading_time`, in words per minute.
pub const WORDS_PER_MINUTE: usize = 200;

/// `site` in templates.
#[derive(Debug, Serialize)]
pub struct SiteContext<'a> {
    /// Site title.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// Language tag for `<html lang>`.
    pub language: &'a str,
    /// Author.
    pub author: &'a str,
    /// Absolute base URL, ending with `/`.
    pub base_url: String,
    /// Root-relative base path (`/` or `/guide/`).
    pub base_path: &'a str,
    /// `extra` from site.yaml.
    pub extra: &'a BTreeMap<String, JsonValue>,
    /// Name and version of the generator.
    pub generator: &'static str,
    /// The Content-Security-Policy for a `<meta http-equiv>` tag.
    pub csp_meta: String,
    /// Whether templates should add `integrity` attributes (`get_integrity`).
    pub sri: bool,
    /// Whether `atom.xml` exists (some page has a date).
    pub has_feed: bool,
    /// Whether `/tags/` exists (some page has a tag).
    pub has_tags: bool,
    /// The year for a copyright line: of the newest `date` or `updated` in front matter,
    /// else the current one (a site without dates is published now).
    pub year: i16,
    /// The home page's share image (absolute URL), for pages that have none of their own.
    pub image: &'a str,
}

/// The share image (`og:image`) of every page and section, as absolute URLs: the front
/// matter's `image:`, or the card cairn drew. Empty when there is none.
#[derive(Debug, Clone, Default)]
pub struct ShareImages {
    /// By page index.
    pub pages: Vec<String>,
    /// By section index (home first).
    pub sections: Vec<String>,
}

/// A link to a page or section: enough for menus, breadcrumbs and previous/next.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct LinkContext {
    /// Title.
    pub title: String,
    /// `short_title` from front matter, else the title.
    pub short_title: String,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
}

/// A tag as templates see it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct TagContext {
    /// The tag as written.
    pub name: String,
    /// Its URL segment.
    pub slug: String,
    /// Root-relative URL of the tag page.
    pub url: String,
}

/// What every list of pages shows about a page (`section.pages`, `term.pages`, `get_page`).
/// Hashed as it is serialized: the hash keys its value in the [`ValueMemo`].
#[derive(Debug, Hash, Serialize)]
struct PageSummary<'a> {
    key: &'a str,
    title: &'a str,
    short_title: &'a str,
    description: &'a str,
    url: String,
    permalink: String,
    slug: &'a str,
    date: Option<&'a str>,
    date_rfc3339: Option<&'a str>,
    updated: Option<&'a str>,
    updated_rfc3339: Option<&'a str>,
    weight: Option<i64>,
    summary: Option<&'a str>,
    word_count: usize,
    reading_time: usize,
    tags: Vec<TagContext>,
    extra: &'a BTreeMap<String, JsonValue>,
    section: &'a str,
    toc_enabled: Option<bool>,
    search: bool,
    image: &'a str,
    /// Marked `draft: true` (and built anyway, as `cairn serve` does): themes show it.
    draft: bool,
}

/// Template values made by earlier builds: those made from a page's rendered Markdown
/// alone (its content split at headings, its table of contents), by the identity of that
/// Markdown (which the Markdown memo keeps while the page is unchanged); and page values,
/// by a hash of what they are made from. A reused value keeps its address, by which the
/// value hashes know it, so an unchanged page is told without hashing its values again.
pub struct ValueMemo {
    fields: Memo<usize, Arc<Fields>>,
    built: Memo<u64, Arc<Built>>,
}

/// The Markdown fields of one page.
struct Fields {
    /// Held so the address the entry is keyed by cannot be reused by another page.
    _markdown: Arc<RenderedMarkdown>,
    fields: Vec<(&'static str, Value)>,
}

/// A value made from inputs keyed by hash.
struct Built {
    /// The rendered Markdown whose addresses the key was made from, held for the same
    /// reason.
    _markdown: Vec<Arc<RenderedMarkdown>>,
    value: Value,
}

/// The key of a value made from `inputs` (and from the rendered Markdown of `markdown`, by
/// identity): a 64-bit hash, as value hashes are.
pub fn value_key(kind: &str, inputs: &impl Hash, markdown: &[&Arc<RenderedMarkdown>]) -> u64 {
    let mut hasher = ValueHasher::new();
    kind.hash(&mut hasher);
    inputs.hash(&mut hasher);
    for md in markdown {
        (Arc::as_ptr(md) as usize).hash(&mut hasher);
    }
    hasher.finish()
}

impl Default for ValueMemo {
    /// A memo that remembers.
    fn default() -> Self {
        Self::new()
    }
}

impl ValueMemo {
    /// A memo that remembers across builds.
    pub fn new() -> ValueMemo {
        ValueMemo {
            fields: Memo::new(),
            built: Memo::new(),
        }
    }

    /// A memo that remembers nothing.
    pub fn off() -> ValueMemo {
        ValueMemo {
            fields: Memo::off(),
            built: Memo::off(),
        }
    }

    /// True when it remembers.
    pub fn is_on(&self) -> bool {
        self.built.is_on()
    }

    /// The Markdown fields of a page, made once per rendered Markdown.
    fn fields(&self, markdown: &Arc<RenderedMarkdown>) -> Vec<(&'static str, Value)> {
        let key = Arc::as_ptr(markdown) as usize;
        self.fields
            .get_or_make(key, || {
                Arc::new(Fields {
                    _markdown: markdown.clone(),
                    fields: markdown_fields(markdown),
                })
            })
            .fields
            .clone()
    }

    /// The value under `key` (see [`value_key`]): the one an earlier build made, or one
    /// `make` makes now. `markdown` is what the key took by address.
    pub fn value(
        &self,
        key: u64,
        markdown: &[&Arc<RenderedMarkdown>],
        make: impl FnOnce() -> Value,
    ) -> Value {
        self.built
            .get_or_make(key, || {
                Arc::new(Built {
                    _markdown: markdown.iter().map(|md| Arc::clone(md)).collect(),
                    value: make(),
                })
            })
            .value
            .clone()
    }

    /// Forgets the values no build used since the last sweep; returns what it dropped.
    pub fn sweep(&self) -> Box<dyn Send> {
        Box::new((self.fields.sweep(), self.built.sweep()))
    }
}

/// Every value the templates of one build need, built once.
pub struct SiteValues {
    /// `site`.
    pub site: Value,
    /// Page summaries, by page index.
    pub page_summaries: Vec<Value>,
    /// Full page values (summary + content, toc, neighbours, breadcrumbs), by page index.
    pub pages: PageValues,
    /// Section values, by section index.
    pub sections: Vec<Value>,
    /// The `tags` taxonomy: every term with its pages.
    pub tags: Value,
    /// One value per term, by index in `site.tags`.
    pub terms: Vec<Value>,
    /// `series` of every part of a series, by its site path (see [`series_values`]).
    pub series: HashMap<String, Value>,
}

impl SiteValues {
    /// Builds every template value of the site, with its share `images`, taking from `memo`
    /// what an earlier build made from the same inputs. `quiz_titles` names each quiz flow
    /// by its content key.
    pub fn build(
        site: &Site,
        rendered: &SiteMarkdown,
        quiz_titles: &HashMap<String, String>,
        images: &ShareImages,
        memo: &ValueMemo,
    ) -> SiteValues {
        let markdown_fields = |md: &Arc<RenderedMarkdown>| memo.fields(md);
        let base = &site.config.base_url;
        let site_value = Value::from_serializable(&SiteContext {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            author: &site.config.author,
            base_url: base.absolute_root(),
            base_path: base.path(),
            extra: &site.config.extra,
            generator: concat!("cairn ", env!("CARGO_PKG_VERSION")),
            csp_meta: crate::deploy::csp_for_meta(&site.config.csp),
            has_feed: site.pages.iter().any(|p| p.date.is_some()),
            has_tags: !site.tags.is_empty(),
            sri: site.config.sri,
            year: site_year(site),
            image: image_of(&images.sections, 0),
        });
        let tag_contexts: HashMap<&str, TagContext> = site
            .tags
            .iter()
            .map(|t| (t.slug.as_str(), tag_context(site, t)))
            .collect();
        let (summary_keys, page_summaries): (Vec<u64>, Vec<Value>) = site
            .pages
            .par_iter()
            .zip(&rendered.pages)
            .enumerate()
            .map(|(index, (page, md))| {
                let image = image_of(&images.pages, index);
                let summary = page_summary(site, page, md, &tag_contexts, image);
                if !memo.is_on() {
                    return (0, Value::from_serializable(&summary));
                }
                let key = value_key("summary", &summary, &[]);
                let value = memo.value(key, &[], || Value::from_serializable(&summary));
                (key, value)
            })
            .unzip();
        let section_links: Vec<LinkContext> = site
            .sections
            .iter()
            .map(|s| {
                link(
                    site,
                    (&s.title, s.front.short_title.as_deref()),
                    &s.site_path,
                )
            })
            .collect();
        let pages: Vec<PageValue> = (0..site.pages.len())
            .into_par_iter()
            .map(|index| {
                let links = page_links(site, index, &section_links);
                let md = &rendered.pages[index];
                if !memo.is_on() {
                    return PageValue::Deferred {
                        markdown: md.clone(),
                        summary: page_summaries[index].clone(),
                        links: Box::new(links),
                    };
                }
                let make = || full_page(markdown_fields(md), &page_summaries[index], &links);
                let key = value_key("page", &(summary_keys[index], &links), &[md]);
                PageValue::Kept(memo.value(key, &[md], make))
            })
            .collect();
        let pages = PageValues(pages.into());
        let series = series_values(site, quiz_titles);
        let mut sections: Vec<Value> = (0..site.sections.len())
            .map(|index| {
                section_value(
                    site,
                    index,
                    &rendered.sections[index],
                    &page_summaries,
                    &section_links,
                    image_of(&images.sections, index),
                )
            })
            .collect();
        // The section that sets a series carries it, for pages outside it (a 404 page, say).
        for set in &site.series {
            if let Some(value) = series.get(&site.sections[set.section].site_path) {
                let with = with_fields(&sections[set.section], vec![("series", value.clone())]);
                sections[set.section] = with;
            }
        }
        let terms: Vec<Value> = site
            .tags
            .iter()
            .map(|term| {
                let mut map = tera::Map::new();
                let context = tag_context(site, term);
                map.insert("name".into(), context.name.into());
                map.insert("slug".into(), context.slug.into());
                map.insert("url".into(), context.url.into());
                map.insert("permalink".into(), base.permalink(&term.site_path).into());
                map.insert("page_count".into(), term.pages.len().into());
                let list: Vec<Value> = term
                    .pages
                    .iter()
                    .map(|i| page_summaries[*i].clone())
                    .collect();
                map.insert("pages".into(), list.into());
                Value::from(map)
            })
            .collect();
        let mut tags = tera::Map::new();
        tags.insert("name".into(), "tags".into());
        tags.insert("url".into(), base.link(crate::content::TAGS_PATH).into());
        tags.insert(
            "permalink".into(),
            base.permalink(crate::content::TAGS_PATH).into(),
        );
        tags.insert("terms".into(), terms.clone().into());
        SiteValues {
            site: site_value,
            page_summaries,
            pages,
            sections,
            tags: Value::from(tags),
            terms,
            series,
        }
    }

    /// The lookup tables behind the template functions.
    pub fn lookup(
        &self,
        site: &Site,
        assets: AssetMap,
        images: Arc<crate::images::Catalog>,
    ) -> SiteLookup {
        SiteLookup {
            pages: site
                .pages
                .iter()
                .enumerate()
                .map(|(index, p)| (p.key.clone(), index))
                .collect(),
            page_values: self.pages.clone(),
            sections: site
                .sections
                .iter()
                .map(|s| s.key.clone())
                .zip(self.sections.iter().cloned())
                .collect(),
            taxonomies: std::iter::once(("tags".to_string(), self.tags.clone())).collect(),
            base_path: site.config.base_url.path().to_string(),
            assets,
            images,
        }
    }
}

/// The full value of every page (what `page` is in its own template and what `get_page`
/// returns), by page index.
///
/// A one-off build makes each one when a template asks for it and lets it go once the page
/// is rendered, because it holds the page's whole HTML twice (`content`, and `intro`,
/// `parts` and `outro`): made up front for every page, they would hold the site's HTML
/// twice more at once. `cairn serve`'s memo keeps them, so an unchanged page's value keeps
/// its address and is told by it.
#[derive(Clone)]
pub struct PageValues(Arc<[PageValue]>);

enum PageValue {
    /// Made now and kept by the memo.
    Kept(Value),
    /// What the value is made from, when asked.
    Deferred {
        markdown: Arc<RenderedMarkdown>,
        summary: Value,
        links: Box<PageLinks>,
    },
}

impl PageValues {
    /// The full value of page `index`, if there is such a page.
    pub fn get(&self, index: usize) -> Option<Value> {
        Some(match self.0.get(index)? {
            PageValue::Kept(value) => value.clone(),
            PageValue::Deferred {
                markdown,
                summary,
                links,
            } => full_page(markdown_fields(markdown), summary, links),
        })
    }
}

/// A link to `site_path`, named by a title and maybe a short title.
fn link(site: &Site, (title, short): (&str, Option<&str>), site_path: &str) -> LinkContext {
    LinkContext {
        title: title.to_string(),
        short_title: short.unwrap_or(title).to_string(),
        url: site.config.base_url.link(site_path),
        permalink: site.config.base_url.permalink(site_path),
    }
}

/// `series` in the templates of each part of every series, by the part's site path:
/// `title` and `url` (the first part's), `number` and `total`, `group` (`label`, `number`,
/// `count`, for "Reason 3 of 8") or none, `previous` and `next` links or none, and `parts`,
/// every part as `{title, short_title, url, number, group}` (one list, shared by the parts).
pub fn series_values(site: &Site, quiz_titles: &HashMap<String, String>) -> HashMap<String, Value> {
    let mut values = HashMap::new();
    for series in &site.series {
        let links: Vec<(LinkContext, String)> = series
            .parts
            .iter()
            .map(|part| part_link(site, part.target, quiz_titles))
            .collect();
        let parts: Vec<Value> = series
            .parts
            .iter()
            .zip(&links)
            .enumerate()
            .map(|(index, (part, (link, _)))| {
                let mut map = tera::Map::new();
                map.insert("title".into(), link.title.clone().into());
                map.insert("short_title".into(), link.short_title.clone().into());
                map.insert("url".into(), link.url.clone().into());
                map.insert("number".into(), (index + 1).into());
                map.insert("group".into(), group_value(part.group.as_ref()));
                Value::from(map)
            })
            .collect();
        let parts = Value::from(parts);
        let neighbour = |index: Option<usize>| {
            index
                .and_then(|i| links.get(i))
                .map_or_else(Value::none, |(link, _)| Value::from_serializable(link))
        };
        for (index, (part, (_, site_path))) in series.parts.iter().zip(&links).enumerate() {
            let mut map = tera::Map::new();
            map.insert("title".into(), series.title.clone().into());
            map.insert("url".into(), links[0].0.url.clone().into());
            map.insert("number".into(), (index + 1).into());
            map.insert("total".into(), series.parts.len().into());
            map.insert("group".into(), group_value(part.group.as_ref()));
            map.insert("previous".into(), neighbour(index.checked_sub(1)));
            map.insert("next".into(), neighbour(Some(index + 1)));
            map.insert("parts".into(), parts.clone());
            values.insert(site_path.clone(), Value::from(map));
        }
    }
    values
}

/// A part's link and site path.
fn part_link(
    site: &Site,
    target: PartTarget,
    quiz_titles: &HashMap<String, String>,
) -> (LinkContext, String) {
    match target {
        PartTarget::Section(i) => {
            let section = &site.sections[i];
            let title = (section.title.as_str(), section.front.short_title.as_deref());
            (
                link(site, title, &section.site_path),
                section.site_path.clone(),
            )
        }
        PartTarget::Page(i) => (page_link(site, i), site.pages[i].site_path.clone()),
        PartTarget::Flow(i) => {
            let flow = &site.flows[i];
            let title = quiz_titles
                .get(&flow.key)
                .map_or(flow.key.as_str(), String::as_str);
            (
                link(site, (title, None), &flow.site_path),
                flow.site_path.clone(),
            )
        }
    }
}

fn group_value(group: Option<&PartGroup>) -> Value {
    group.map_or_else(Value::none, |group| {
        let mut map = tera::Map::new();
        map.insert("label".into(), group.label.clone().into());
        map.insert("number".into(), group.number.into());
        map.insert("count".into(), group.count.into());
        Value::from(map)
    })
}

/// A link to the page `index`.
fn page_link(site: &Site, index: usize) -> LinkContext {
    let page = &site.pages[index];
    let front = &page.front;
    link(
        site,
        (&front.title.value, front.short_title.as_deref()),
        &page.site_path,
    )
}

fn tag_context(site: &Site, term: &TagTerm) -> TagContext {
    TagContext {
        name: term.name.clone(),
        slug: term.slug.clone(),
        url: site.config.base_url.link(&term.site_path),
    }
}

/// The year of the newest date in the site's front matter, else the current year (UTC).
fn site_year(site: &Site) -> i16 {
    let utc = jiff::tz::TimeZone::UTC;
    site.pages
        .iter()
        .flat_map(|page| [&page.date, &page.updated])
        .flatten()
        .map(|date| date.timestamp)
        .max()
        .unwrap_or_else(jiff::Timestamp::now)
        .to_zoned(utc)
        .year()
}

/// Minutes to read `words` words, at least one.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

fn page_summary<'a>(
    site: &'a Site,
    page: &'a Page,
    md: &'a RenderedMarkdown,
    tags: &HashMap<&str, TagContext>,
    image: &'a str,
) -> PageSummary<'a> {
    let mut page_tags: Vec<TagContext> = Vec::new();
    for tag in &page.front.tags {
        let slug = crate::slug::slugify(&tag.value);
        if let Some(context) = tags.get(slug.as_str())
            && !page_tags.iter().any(|t| t.slug == context.slug)
        {
            page_tags.push(context.clone());
        }
    }
    let slug = page
        .site_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    PageSummary {
        key: &page.key,
        title: &page.front.title.value,
        short_title: page
            .front
            .short_title
            .as_deref()
            .unwrap_or(&page.front.title.value),
        description: page.front.description.as_deref().unwrap_or(""),
        url: site.config.base_url.link(&page.site_path),
        permalink: site.config.base_url.permalink(&page.site_path),
        slug,
        date: page.date.as_ref().map(|d| d.day.as_str()),
        date_rfc3339: page.date.as_ref().map(|d| d.rfc3339.as_str()),
        updated: page.updated.as_ref().map(|d| d.day.as_str()),
        updated_rfc3339: page.updated.as_ref().map(|d| d.rfc3339.as_str()),
        weight: page.front.weight,
        summary: md.summary_html.as_deref(),
        word_count: md.word_count,
        reading_time: reading_time(md.word_count),
        tags: page_tags,
        extra: &page.front.extra,
        section: &site.sections[page.section].key,
        toc_enabled: page.front.toc,
        search: page.front.search.unwrap_or(true),
        image,
        draft: page.front.draft,
    }
}

fn with_fields(base: &Value, fields: Vec<(&'static str, Value)>) -> Value {
    let mut map = base.as_map().cloned().unwrap_or_default();
    for (key, value) in fields {
        map.insert(key.into(), value);
    }
    Value::from(map)
}

fn breadcrumbs(site: &Site, section: usize, links: &[LinkContext]) -> Vec<LinkContext> {
    site.section_chain(section)
        .into_iter()
        .map(|i| links[i].clone())
        .collect()
}

/// The page fields made from its rendered Markdown alone: `content`, `intro`, `parts`,
/// `outro` and `toc`.
pub fn markdown_fields(md: &RenderedMarkdown) -> Vec<(&'static str, Value)> {
    let split = crate::markdown::split_at_h2(&md.html, &md.headings);
    vec![
        ("content", Value::from(md.html.as_str())),
        ("intro", Value::from(split.intro)),
        ("parts", Value::from_serializable(&split.parts)),
        ("outro", Value::from(split.outro)),
        ("toc", toc_value(&md.toc)),
    ]
}

/// What a page's value has beside its summary and Markdown fields: where it sits in the site.
#[derive(Hash)]
struct PageLinks {
    previous: Option<LinkContext>,
    next: Option<LinkContext>,
    breadcrumbs: Vec<LinkContext>,
    assets: Vec<String>,
}

fn page_links(site: &Site, index: usize, section_links: &[LinkContext]) -> PageLinks {
    let page = &site.pages[index];
    let (previous, next) = site.neighbours(index);
    let neighbour = |i: Option<usize>| i.map(|i| page_link(site, i));
    let mut breadcrumbs = breadcrumbs(site, page.section, section_links);
    breadcrumbs.push(page_link(site, index));
    PageLinks {
        previous: neighbour(previous),
        next: neighbour(next),
        breadcrumbs,
        assets: page
            .assets
            .iter()
            .map(|a| site.config.base_url.link(&a.output))
            .collect(),
    }
}

fn full_page(
    markdown_fields: Vec<(&'static str, Value)>,
    summary: &Value,
    links: &PageLinks,
) -> Value {
    let neighbour = |link: &Option<LinkContext>| {
        link.as_ref()
            .map_or_else(Value::none, Value::from_serializable)
    };
    let assets: Vec<Value> = links
        .assets
        .iter()
        .map(|a| Value::from(a.as_str()))
        .collect();
    let mut fields = markdown_fields;
    fields.extend([
        ("previous", neighbour(&links.previous)),
        ("next", neighbour(&links.next)),
        ("breadcrumbs", Value::from_serializable(&links.breadcrumbs)),
        ("assets", assets.into()),
    ]);
    with_fields(summary, fields)
}

fn toc_value(toc: &[TocEntry]) -> Value {
    Value::from_serializable(toc)
}

fn section_value(
    site: &Site,
    index: usize,
    md: &RenderedMarkdown,
    summaries: &[Value],
    section_links: &[LinkContext],
    image: &str,
) -> Value {
    let section: &Section = &site.sections[index];
    #[derive(Serialize)]
    struct SectionBase<'a> {
        key: &'a str,
        title: &'a str,
        short_title: &'a str,
        description: &'a str,
        url: &'a str,
        permalink: &'a str,
        extra: &'a BTreeMap<String, JsonValue>,
        word_count: usize,
        reading_time: usize,
        summary: Option<&'a str>,
        breadcrumbs: Vec<LinkContext>,
        page_count: usize,
        image: &'a str,
    }
    let own = &section_links[index];
    let base = Value::from_serializable(&SectionBase {
        key: &section.key,
        title: &section.title,
        short_title: &own.short_title,
        description: section.front.description.as_deref().unwrap_or(""),
        url: &own.url,
        permalink: &own.permalink,
        extra: &section.front.extra,
        word_count: md.word_count,
        reading_time: reading_time(md.word_count),
        summary: md.summary_html.as_deref(),
        breadcrumbs: breadcrumbs(site, index, section_links),
        page_count: section.pages.len(),
        image,
    });
    let pages: Vec<Value> = section
        .pages
        .iter()
        .map(|i| summaries[*i].clone())
        .collect();
    let subsections: Vec<Value> = section
        .subsections
        .iter()
        .filter(|i| site.sections[**i].published)
        .map(|i| {
            let sub = &site.sections[*i];
            let mut map = tera::Map::new();
            map.insert("key".into(), sub.key.clone().into());
            map.insert("title".into(), sub.title.clone().into());
            map.insert(
                "description".into(),
                sub.front.description.clone().unwrap_or_default().into(),
            );
            map.insert("url".into(), section_links[*i].url.clone().into());
            map.insert("page_count".into(), sub.pages.len().into());
            Value::from(map)
        })
        .collect();
    with_fields(
        &base,
        vec![
            ("content", Value::from(md.html.as_str())),
            ("toc", toc_value(&md.toc)),
            ("pages", pages.into()),
            ("subsections", subsections.into()),
        ],
    )
}
