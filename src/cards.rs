//! Share cards: the picture a link to the site shows when it is shared (`og:image`).
//!
//! Every page and section gets one: the front matter's `image:` when it names one, else a
//! 1200×630 PNG cairn draws from the theme's `card.svg` template with the page's title and
//! the site's name. cairn wraps the title itself, measuring it with the theme's font
//! (`fonts/` in the theme; the default theme ships DejaVu Sans Bold, with its licence), and
//! tries smaller sizes before it cuts a title, which is a warning at the title. The SVG is
//! drawn by `resvg`, in Rust, without a browser.
//!
//! A card is named by a hash of its SVG and its fonts, kept in the image store like resized
//! images, and published under `assets/cards/`: a second build draws nothing, and a card
//! changes its URL when its title does, so a shared link never shows a stale card.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;

use crate::content::Site;
use crate::content::links::Resolved;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::images::Store;
use crate::output::{CopiedFile, Origin};
use crate::paths::RelPath;
use crate::templates::{ShareImages, Templates};
use crate::theme::ThemeChain;

/// The card's size, as social networks want it.
pub const WIDTH: u32 = 1200;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 630;

/// The width the title is wrapped to, in pixels (the default template's text box).
const TITLE_WIDTH: f32 = 1008.0;
/// The top and bottom of the band the title is centred in.
const TITLE_BAND: (f32, f32) = (60.0, 480.0);
/// The sizes tried, largest first, with the lines each may take.
const TITLE_SIZES: &[(f32, usize)] = &[(76.0, 3), (64.0, 4), (54.0, 5)];
/// The size of the site's name, and the smallest it shrinks to before it is cut.
const SITE_NAME_SIZE: f32 = 34.0;
const SITE_NAME_MIN_SIZE: f32 = 22.0;
/// Line height as a multiple of the font size.
const LINE_HEIGHT: f32 = 1.18;

/// Bumped when the same SVG would be drawn differently.
const CARD_VERSION: u32 = 2;

/// The card template cairn uses when the theme has no `card.svg`.
const BUILT_IN_TEMPLATE: &str = include_str!("../themes/default/templates/card.svg");
/// The font cairn uses when no theme has a `fonts/` folder.
const BUILT_IN_FONT: &[u8] = include_bytes!("../themes/default/fonts/DejaVuSans-Bold-subset.ttf");

/// The output folder of cards.
const OUTPUT_DIR: &str = "assets/cards";

/// Every page's and section's share image, and the drawn cards to publish.
pub struct Cards {
    /// The share image of each page and section, as absolute URLs.
    pub images: ShareImages,
    /// The card files, copied from the store.
    pub copies: Vec<CopiedFile>,
}

/// How a title fits on the card.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleLayout {
    /// The title's lines.
    pub lines: Vec<String>,
    /// The font size, in pixels.
    pub font_size: f32,
    /// The first line's baseline.
    pub top: f32,
    /// True when the title did not fit and its end was cut.
    pub cut: bool,
}

/// The fonts cards are drawn with: the themes' `fonts/` files, most specific theme first,
/// else cairn's own.
struct Fonts {
    database: Arc<usvg::fontdb::Database>,
    /// The family name of the first font, which templates name and titles are measured in.
    family: String,
    /// The first font's bytes, for measuring.
    first: Arc<Vec<u8>>,
    /// A hash of every font, part of each card's name.
    hash: u64,
}

impl Fonts {
    fn load(chain: &ThemeChain) -> Fonts {
        let mut files: Vec<Vec<u8>> = Vec::new();
        for theme in &chain.0 {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(theme.dir.join("fonts"))
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| {
                    path.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf"))
                })
                .collect();
            paths.sort();
            files.extend(paths.iter().filter_map(|path| std::fs::read(path).ok()));
        }
        files.retain(|bytes| skrifa::FontRef::new(bytes).is_ok());
        if files.is_empty() {
            files.push(BUILT_IN_FONT.to_vec());
        }
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut database = usvg::fontdb::Database::new();
        for bytes in &files {
            hasher.update(bytes);
            database.load_font_data(bytes.clone());
        }
        let family = database
            .faces()
            .next()
            .and_then(|face| face.families.first())
            .map_or_else(|| "sans-serif".to_string(), |(name, _)| name.clone());
        database.set_sans_serif_family(family.clone());
        database.set_serif_family(family.clone());
        Fonts {
            database: Arc::new(database),
            family,
            first: Arc::new(files.swap_remove(0)),
            hash: hasher.digest(),
        }
    }
}

/// Measures text in one font at one size.
struct Measure<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    metrics: skrifa::metrics::GlyphMetrics<'a>,
}

impl<'a> Measure<'a> {
    fn new(font: &skrifa::FontRef<'a>, size: f32) -> Self {
        Measure {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(
                skrifa::instance::Size::new(size),
                skrifa::instance::LocationRef::default(),
            ),
        }
    }

    /// The width of `text`, glyph advances added up (kerning only ever narrows it).
    fn width(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| {
                let glyph = self.charmap.map(c).unwrap_or_default();
                self.metrics.advance_width(glyph).unwrap_or_default()
            })
            .sum()
    }
}

/// Wraps `title` to lines no wider than `width`, breaking between words (and inside a word
/// wider than a line).
fn wrap(title: &str, measure: &Measure<'_>, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in title.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if measure.width(&candidate) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if measure.width(&line) > width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Lays `title` out in the font `font`: the largest size at which it fits, else the
/// smallest, cut with an ellipsis.
fn layout(title: &str, font: &skrifa::FontRef<'_>) -> TitleLayout {
    let mut chosen = None;
    for (size, max_lines) in TITLE_SIZES {
        let measure = Measure::new(font, *size);
        let lines = wrap(title, &measure, TITLE_WIDTH);
        let fits = lines.len() <= *max_lines;
        chosen = Some((*size, *max_lines, lines, measure));
        if fits {
            break;
        }
    }
    let Some((size, max_lines, mut lines, measure)) = chosen else {
        return TitleLayout {
            lines: Vec::new(),
            font_size: 0.0,
            top: 0.0,
            cut: false,
        };
    };
    let cut = lines.len() > max_lines;
    if cut {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && measure.width(&format!("{last}…")) > TITLE_WIDTH {
                last.pop();
            }
            let kept = last.trim_end().len();
            last.truncate(kept);
            last.push('…');
        }
    }
    let line_height = size * LINE_HEIGHT;
    let ascent = font
        .metrics(
            skrifa::instance::Size::new(size),
            skrifa::instance::LocationRef::default(),
        )
        .ascent;
    let block = line_height * (lines.len() as f32 - 1.0) + size;
    let top = TITLE_BAND.0 + (TITLE_BAND.1 - TITLE_BAND.0 - block) / 2.0 + ascent.min(size);
    TitleLayout {
        lines,
        font_size: size,
        top: top.round(),
        cut,
    }
}

/// One page's card before it is drawn.
struct Planned {
    /// Its SVG.
    svg: String,
    /// Its name in the store.
    stored: String,
    /// Its path in the output.
    output: RelPath,
}

/// The share cards stage: each page's and section's share image; cards drawn (in
/// parallel) where the store lacks them.
pub fn cards(
    site: &Site,
    chain: &ThemeChain,
    templates: &Templates,
    store: Option<&Store>,
    problems: &mut Diagnostics,
) -> Cards {
    let fonts = Fonts::load(chain);
    let Ok(font) = skrifa::FontRef::new(&fonts.first) else {
        return Cards {
            images: ShareImages::default(),
            copies: Vec::new(),
        };
    };
    let base = &site.config.base_url;
    // Pages, then sections: what each is called, where its title is, its own `image:`.
    let mut subjects: Vec<Subject<'_>> = site
        .pages
        .iter()
        .map(|page| Subject {
            key: &page.key,
            title: &page.front.title.value,
            title_at: Some((
                &page.source,
                crate::yaml::range_of(&page.front.title, page.front_start),
            )),
            image: page
                .front
                .image
                .as_ref()
                .map(|i| (i, &page.source, page.front_start)),
        })
        .collect();
    subjects.extend(site.sections.iter().map(|section| Subject {
        key: &section.key,
        title: &section.title,
        title_at: section.source.as_ref().and_then(|source| {
            let title = section.front.title.as_ref()?;
            Some((source, crate::yaml::range_of(title, section.front_start)))
        }),
        image:
            section.source.as_ref().and_then(|source| {
                Some((section.front.image.as_ref()?, source, section.front_start))
            }),
    }));
    let planned: Vec<Result<Option<Planned>, Diagnostic>> = subjects
        .par_iter()
        .map(|subject| {
            if subject.image.is_some() || !site.config.images.cards {
                return Ok(None);
            }
            plan(site, templates, &fonts, &font, subject).map(Some)
        })
        .collect();
    let mut urls = Vec::with_capacity(subjects.len());
    let mut to_draw: Vec<&Planned> = Vec::new();
    for (subject, planned) in subjects.iter().zip(&planned) {
        let url = match (planned, subject.image) {
            (Ok(Some(card)), _) => {
                to_draw.push(card);
                base.permalink(card.output.as_str())
            }
            (Err(problem), _) => {
                problems.push(problem.clone());
                String::new()
            }
            (Ok(None), Some((image, source, start))) => {
                match own_image(site, subject.key, &image.value) {
                    Ok(url) => url,
                    Err((message, help)) => {
                        problems.push(
                            Diagnostic::error(message)
                                .at(source, crate::yaml::range_of(image, start))
                                .help(help),
                        );
                        String::new()
                    }
                }
            }
            (Ok(None), None) => String::new(),
        };
        urls.push(url);
    }
    for (subject, planned) in subjects.iter().zip(&planned) {
        if let (Ok(Some(_)), Some((source, range))) = (planned, &subject.title_at) {
            let layout = layout(subject.title, &font);
            if layout.cut {
                problems.push(cut_warning(&layout, source, range.clone()));
            }
        }
    }
    to_draw.sort_by(|a, b| a.stored.cmp(&b.stored));
    to_draw.dedup_by(|a, b| a.stored == b.stored);
    let copies = draw_all(&to_draw, &fonts, store, problems);
    let sections = urls.split_off(site.pages.len());
    Cards {
        images: ShareImages {
            pages: urls,
            sections,
        },
        copies,
    }
}

/// A page or section, as its card needs it.
struct Subject<'a> {
    key: &'a str,
    title: &'a str,
    /// Where the title is written, for the warning when it is cut.
    title_at: Option<(&'a SourceFile, std::ops::Range<usize>)>,
    /// Its own `image:`, with its file and where its front matter starts.
    image: Option<(&'a crate::yaml::Spanned<String>, &'a SourceFile, usize)>,
}

/// The card of `subject`: its SVG from the template, and its names.
fn plan(
    site: &Site,
    templates: &Templates,
    fonts: &Fonts,
    font: &skrifa::FontRef<'_>,
    subject: &Subject<'_>,
) -> Result<Planned, Diagnostic> {
    // An SVG is XML: characters XML forbids cannot be drawn.
    let title: String = subject
        .title
        .chars()
        .filter(|c| crate::escape::xml_allowed(*c))
        .collect();
    let site_title: String = site
        .config
        .title
        .chars()
        .filter(|c| crate::escape::xml_allowed(*c))
        .collect();
    let layout = layout(&title, font);
    let mut card = tera::Map::new();
    card.insert("title".into(), title.clone().into());
    card.insert("lines".into(), layout.lines.clone().into());
    card.insert("font_size".into(), format_number(layout.font_size).into());
    card.insert(
        "line_height".into(),
        format_number((layout.font_size * LINE_HEIGHT).round()).into(),
    );
    card.insert("top".into(), format_number(layout.top).into());
    card.insert("font_family".into(), fonts.family.clone().into());
    let (site_name, site_size) = fit_line(&site_title, font);
    card.insert("site_name".into(), site_name.into());
    card.insert("site_name_size".into(), format_number(site_size).into());
    let mut context = tera::Context::new();
    context.insert("card", &tera::Value::from(card));
    let svg = if templates.contains("card.svg") {
        templates.render("card.svg", &context)?
    } else {
        tera::Tera::one_off(BUILT_IN_TEMPLATE, &context, true)
            .map_err(|error| Diagnostic::error(format!("cannot draw a share card: {error}")))?
    };
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(svg.as_bytes());
    hasher.update(&fonts.hash.to_le_bytes());
    hasher.update(&CARD_VERSION.to_le_bytes());
    let key = hasher.digest128();
    let mut slug = crate::slug::slugify(&title);
    slug.truncate(48);
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "card" } else { slug };
    Ok(Planned {
        stored: format!("card-{key:032x}.png"),
        output: RelPath::fixed(format!("{OUTPUT_DIR}/{slug}.{:010x}.png", key >> 88)),
        svg,
    })
}

/// One line of text (the site's name) at [`SITE_NAME_SIZE`], smaller when it is too wide,
/// cut with an ellipsis when it is too wide even at [`SITE_NAME_MIN_SIZE`].
fn fit_line(text: &str, font: &skrifa::FontRef<'_>) -> (String, f32) {
    let width = Measure::new(font, SITE_NAME_SIZE).width(text);
    if width <= TITLE_WIDTH {
        return (text.to_string(), SITE_NAME_SIZE);
    }
    let size = (SITE_NAME_SIZE * TITLE_WIDTH / width)
        .floor()
        .max(SITE_NAME_MIN_SIZE);
    let measure = Measure::new(font, size);
    let mut line = text.to_string();
    if measure.width(&line) > TITLE_WIDTH {
        while !line.is_empty() && measure.width(&format!("{line}…")) > TITLE_WIDTH {
            line.pop();
        }
        line = format!("{}…", line.trim_end());
    }
    (line, size)
}

/// A number as SVG wants it: no `.0` for whole numbers.
fn format_number(value: f32) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// The warning for a title cut on its card, at the title.
fn cut_warning(
    layout: &TitleLayout,
    source: &SourceFile,
    range: std::ops::Range<usize>,
) -> Diagnostic {
    let shown = layout.lines.join(" ");
    Diagnostic::warning(format!(
        "the title is too long for the share card, which shows “{shown}”"
    ))
    .at(source, range)
    .help("shorten the title, or give the page its own `image:` in the front matter")
}

/// The absolute URL of a page's own `image:`: a URL as written, a path from the site root
/// below the base path, or a file beside the page.
fn own_image(site: &Site, key: &str, image: &str) -> Result<String, (String, String)> {
    let base = &site.config.base_url;
    let image = image.trim();
    if image.starts_with("https://") || image.starts_with("http://") {
        return Ok(image.to_string());
    }
    if let Some(path) = image.strip_prefix('/') {
        return Ok(base.permalink(path));
    }
    match site.resolve_link(key, image) {
        Resolved::Asset { key, .. } => match site.asset_outputs.get(&key) {
            Some(output) => Ok(base.permalink(output)),
            None => Err((
                format!("the image `{image}` is not published"),
                "name a file beside the page".into(),
            )),
        },
        Resolved::Broken { message, help } => Err((
            message.replace("the link", "the image"),
            help.unwrap_or_else(|| "name a file beside the page, a path from the site root, or an https:// URL".into()),
        )),
        _ => Err((
            format!("`{image}` is not an image"),
            "name an image file beside the page, a path from the site root (`/images/card.png`), or an https:// URL".into(),
        )),
    }
}

/// Draws the cards the store lacks, in parallel, and returns every card as a copy of its
/// stored file.
fn draw_all(
    cards: &[&Planned],
    fonts: &Fonts,
    store: Option<&Store>,
    problems: &mut Diagnostics,
) -> Vec<CopiedFile> {
    let Some(store) = store else {
        if !cards.is_empty() {
            problems.push(
                Diagnostic::error("cairn cannot make a folder to keep share cards in")
                    .in_file(crate::paths::CACHE_DIR)
                    .help("let cairn write to the site's .cairn/ folder, or set XDG_CACHE_HOME to a writable folder"),
            );
        }
        return Vec::new();
    };
    let results: Vec<Result<CopiedFile, Diagnostic>> = cards
        .par_iter()
        .map(|card| {
            let entry = match store.stored(&card.stored) {
                Some(entry) => entry,
                None => {
                    let png = draw(&card.svg, fonts).map_err(|reason| {
                        Diagnostic::error(format!("cannot draw a share card: {reason}"))
                            .in_file("card.svg")
                            .help("check the theme's templates/card.svg: it must be an SVG image")
                    })?;
                    store.put(&card.stored, &png).map_err(|error| {
                        Diagnostic::error(format!(
                            "cannot keep a share card in {}: {}",
                            store.dir().display(),
                            crate::diagnostics::io_reason(&error)
                        ))
                        .help("check that the folder is writable and the disk is not full")
                    })?
                }
            };
            Ok(CopiedFile {
                source: store.path_of(&card.stored),
                path: card.output.clone(),
                origin: Origin::generated("a share card"),
                hash: Some(entry.hash),
            })
        })
        .collect();
    store.save();
    let mut copies = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(copy) => copies.push(copy),
            Err(problem) => problems.push(problem),
        }
    }
    copies
}

/// Draws one card's SVG as a 1200×630 PNG.
fn draw(svg: &str, fonts: &Fonts) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: fonts.family.clone(),
        fontdb: fonts.database.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|error| error.to_string())?;
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        WIDTH as f32 / size.width(),
        HEIGHT as f32 / size.height(),
    );
    thread_local! {
        // Each thread draws on one canvas, cleared between cards: a fresh 3 MB canvas per
        // card cost more in page faults than its text did to draw.
        static CANVAS: std::cell::RefCell<Option<tiny_skia::Pixmap>> =
            const { std::cell::RefCell::new(None) };
    }
    CANVAS.with(|canvas| {
        let mut canvas = canvas.borrow_mut();
        let pixmap = match canvas.as_mut() {
            Some(pixmap) => {
                pixmap.fill(tiny_skia::Color::TRANSPARENT);
                pixmap
            }
            None => canvas.insert(
                tiny_skia::Pixmap::new(WIDTH, HEIGHT)
                    .ok_or_else(|| "no memory for the card".to_string())?,
            ),
        };
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        encode_png(pixmap)
    })
}

/// A drawn card as a PNG. A card is flat colours and the anti-aliased edges of its text
/// (the default one has about 60 colours), so it is written with a palette whenever it has
/// at most 256 colours: lossless, a third of the bytes to compress, and with fdeflate's
/// fast mode both quicker and smaller than an RGBA PNG at the default level. A template
/// with gradients or photos falls back to RGBA.
fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    let Some((palette, alphas, indices)) = palette_of(pixmap) else {
        return pixmap.encode_png().map_err(|error| error.to_string());
    };
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette);
    if let Some(alphas) = alphas {
        encoder.set_trns(alphas);
    }
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|error| error.to_string())?;
    writer
        .write_image_data(&indices)
        .map_err(|error| error.to_string())?;
    writer.finish().map_err(|error| error.to_string())?;
    Ok(png)
}

/// The pixmap's colours as a PNG palette (RGB triples), their alphas when any is not
/// opaque, and each pixel's index; none when it has more than 256 colours.
#[allow(clippy::type_complexity)]
fn palette_of(pixmap: &tiny_skia::Pixmap) -> Option<(Vec<u8>, Option<Vec<u8>>, Vec<u8>)> {
    // Keyed by the premultiplied pixel as stored, demultiplied only when first seen (two
    // faint colours that demultiply alike take two entries, which costs nothing).
    let mut index_of: rustc_hash::FxHashMap<[u8; 4], u8> = Default::default();
    let mut colours: Vec<[u8; 4]> = Vec::new();
    let pixels = pixmap.pixels();
    let mut indices = Vec::with_capacity(pixels.len());
    // Most of a card is runs of one colour: look each run up once.
    let mut rest = pixels;
    while let Some(first) = rest.first() {
        let run = rest.iter().take_while(|pixel| *pixel == first).count();
        let key = [first.red(), first.green(), first.blue(), first.alpha()];
        let index = match index_of.get(&key) {
            Some(index) => *index,
            None => {
                let index = u8::try_from(colours.len()).ok()?;
                let colour = first.demultiply();
                colours.push([colour.red(), colour.green(), colour.blue(), colour.alpha()]);
                index_of.insert(key, index);
                index
            }
        };
        indices.resize(indices.len() + run, index);
        rest = &rest[run..];
    }
    let palette = colours.iter().flat_map(|c| [c[0], c[1], c[2]]).collect();
    let alphas = colours
        .iter()
        .any(|c| c[3] != u8::MAX)
        .then(|| colours.iter().map(|c| c[3]).collect());
    Some((palette, alphas, indices))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> skrifa::FontRef<'static> {
        skrifa::FontRef::new(BUILT_IN_FONT).unwrap()
    }

    #[test]
    fn a_short_title_takes_the_largest_size_on_one_line() {
        let layout = layout("Why not", &font());
        assert_eq!(layout.lines, ["Why not"]);
        assert_eq!(layout.font_size, TITLE_SIZES[0].0);
        assert!(!layout.cut);
    }

    #[test]
    fn a_longer_title_wraps_and_shrinks_before_it_is_cut() {
        let title = "Contacting An Ex Can Hinder Your Healing Process And Keep You Stuck";
        let layout = layout(title, &font());
        assert!(!layout.cut);
        assert!(layout.lines.len() > 1);
        assert_eq!(layout.lines.join(" "), title);
        let measure = Measure::new(&font(), layout.font_size);
        assert!(layout.lines.iter().all(|l| measure.width(l) <= TITLE_WIDTH));

        let long = "word ".repeat(80);
        let layout = super::layout(&long, &font());
        assert!(layout.cut);
        assert_eq!(layout.lines.len(), TITLE_SIZES.last().unwrap().1);
        assert!(layout.lines.last().unwrap().ends_with('…'));
    }

    #[test]
    fn a_long_site_name_shrinks_then_is_cut() {
        assert_eq!(
            fit_line("Short", &font()),
            ("Short".to_string(), SITE_NAME_SIZE)
        );
        let (name, size) = fit_line(&"Long name ".repeat(6), &font());
        assert!(
            size < SITE_NAME_SIZE && !name.ends_with('…'),
            "{size} {name}"
        );
        let (name, size) = fit_line(&"Long name ".repeat(20), &font());
        assert_eq!(size, SITE_NAME_MIN_SIZE);
        assert!(name.ends_with('…'));
    }

    #[test]
    fn a_word_wider_than_the_card_is_broken() {
        let layout = layout(&"W".repeat(40), &font());
        assert!(layout.lines.len() > 1);
        assert_eq!(layout.lines.concat(), "W".repeat(40));
    }

    /// The PNG decoded, as straight (not premultiplied) RGBA.
    fn decoded(png: &[u8]) -> image::RgbaImage {
        image::load_from_memory_with_format(png, image::ImageFormat::Png)
            .unwrap()
            .to_rgba8()
    }

    fn straight(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
        pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect()
    }

    fn colour_type_of(png: &[u8]) -> png::ColorType {
        let reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
        reader.info().color_type
    }

    fn fonts() -> Fonts {
        let mut database = usvg::fontdb::Database::new();
        database.load_font_data(BUILT_IN_FONT.to_vec());
        Fonts {
            database: Arc::new(database),
            family: "DejaVu Sans".into(),
            first: Arc::new(BUILT_IN_FONT.to_vec()),
            hash: 0,
        }
    }

    #[test]
    fn a_flat_card_is_written_with_a_palette_and_loses_nothing() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">
            <rect width="1200" height="630" fill="#fbfaf7"/>
            <text x="96" y="200" font-size="76" fill="#1d2125">Contacting an ex</text></svg>"##;
        let png = draw(svg, &fonts()).unwrap();
        assert_eq!(colour_type_of(&png), png::ColorType::Indexed);
        // The same pixels as the canvas, drawn again.
        let fonts = fonts();
        let options = usvg::Options {
            font_family: fonts.family,
            fontdb: fonts.database,
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options).unwrap();
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).unwrap();
        resvg::render(
            &tree,
            tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        assert_eq!(decoded(&png).into_raw(), straight(&pixmap));
    }

    #[test]
    fn a_card_with_more_than_256_colours_or_transparency_loses_nothing() {
        // A gradient: too many colours for a palette.
        let gradient = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">
            <linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff" stop-opacity="0.5"/></linearGradient>
            <rect width="1200" height="630" fill="url(#g)"/></svg>"##;
        // Half-transparent flat colours: a palette with alphas.
        let transparent = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">
            <rect width="600" height="630" fill="#0a58a8" fill-opacity="0.5"/></svg>"##;
        for (svg, colour_type) in [
            (gradient, png::ColorType::Rgba),
            (transparent, png::ColorType::Indexed),
        ] {
            let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).unwrap();
            let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).unwrap();
            resvg::render(
                &tree,
                tiny_skia::Transform::identity(),
                &mut pixmap.as_mut(),
            );
            let png = encode_png(&pixmap).unwrap();
            assert_eq!(colour_type_of(&png), colour_type);
            assert_eq!(decoded(&png).into_raw(), straight(&pixmap));
        }
        // A canvas reused for the next card starts clear.
        let first = draw(transparent, &fonts()).unwrap();
        let _ = draw(gradient, &fonts()).unwrap();
        assert_eq!(draw(transparent, &fonts()).unwrap(), first);
    }
}
