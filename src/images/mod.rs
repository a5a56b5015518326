//! Images: responsive variants of the site's photos, made from plain Markdown.
//!
//! Two stages. [`catalog`] runs before Markdown: it finds every JPEG, PNG, WebP and GIF the
//! site publishes (beside pages in `content/`, in `static/` and the theme's `static/`) and
//! learns each one's format and size, reading only the files the store's index does not
//! know yet (a corrupt one is found here, so the page that shows it can point at the image's
//! line). Markdown then asks the catalog about every image it writes and gets back the
//! `<picture>` to write, whose file names are known before anything is encoded. [`publish`]
//! runs after the templates: it makes the variants of the images that were used and are
//! not in the store yet, in parallel, and hands every variant to the output as a copy of
//! its stored file.
//!
//! The variants' names are content-addressed (see [`store`]), and they are published under
//! `assets/images/`, which hosts cache forever.

mod process;
pub mod store;
mod strip;

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::{BaseUrl, ImageConfig};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Picture;
use crate::output::{CopiedFile, Kind, Origin};
use crate::paths::RelPath;
use crate::sync::lock;

pub use process::ImageError;
pub use store::{SourceFacts, Store};

/// Bumped whenever the same settings would encode different bytes (a new encoder, a new
/// resizing filter), so stored files of an older cairn are not mistaken for new ones.
const ENCODER_VERSION: u32 = 1;

/// The output folder of resized images; under [`crate::paths::ASSETS_DIR`], so hosts cache
/// them for good (their names change with their content).
const OUTPUT_DIR: &str = "assets/images";

/// The image formats cairn resizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    Webp,
    /// GIF: the first frame is used.
    Gif,
}

impl Format {
    fn from_image(format: image::ImageFormat) -> Option<Format> {
        match format {
            image::ImageFormat::Jpeg => Some(Format::Jpeg),
            image::ImageFormat::Png => Some(Format::Png),
            image::ImageFormat::WebP => Some(Format::Webp),
            image::ImageFormat::Gif => Some(Format::Gif),
            _ => None,
        }
    }

    /// The format's name in the store's index.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
        }
    }

    fn from_name(name: &str) -> Option<Format> {
        [Format::Jpeg, Format::Png, Format::Webp, Format::Gif]
            .into_iter()
            .find(|format| format.name() == name)
    }

    /// The encoding of the `<img>` that browsers without WebP show: the image's own
    /// format, except that a GIF's first frame becomes a PNG.
    pub fn fallback(self) -> Encoding {
        match self {
            Format::Jpeg => Encoding::Jpeg,
            Format::Png | Format::Gif => Encoding::Png,
            Format::Webp => Encoding::Webp,
        }
    }
}

/// The formats cairn writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Encoding {
    /// Lossy WebP (with alpha when the image has any).
    Webp,
    /// JPEG, for photos without transparency.
    Jpeg,
    /// PNG (lossless).
    Png,
}

impl Encoding {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Webp => "webp",
            Encoding::Jpeg => "jpg",
            Encoding::Png => "png",
        }
    }

    /// The MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Encoding::Webp => "image/webp",
            Encoding::Jpeg => "image/jpeg",
            Encoding::Png => "image/png",
        }
    }

    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Webp => "WebP",
            Encoding::Jpeg => "JPEG",
            Encoding::Png => "PNG",
        }
    }

    /// The encoding named `name` (`webp`, `jpg`/`jpeg`, `png`), any case.
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "webp" => Some(Encoding::Webp),
            "jpg" | "jpeg" => Some(Encoding::Jpeg),
            "png" => Some(Encoding::Png),
            _ => None,
        }
    }
}

/// How an image is resized to a width and height.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// This width, the height keeping the proportions.
    FitWidth(u32),
    /// This height, the width keeping the proportions.
    FitHeight(u32),
    /// As large as fits in the box, keeping the proportions.
    Fit(u32, u32),
    /// Exactly the box, cropped from the middle to keep the proportions.
    Fill(u32, u32),
    /// Exactly the box, stretched if need be.
    Scale(u32, u32),
}

impl Op {
    /// The operation named `op` (`fit_width`, `fit_height`, `fit`, `fill`, `scale`) with
    /// the sizes it needs; a message saying what is missing otherwise.
    pub fn parse(op: &str, width: Option<u32>, height: Option<u32>) -> Result<Op, String> {
        let positive = |value: Option<u32>, name: &str| match value {
            Some(value) if (1..=crate::config::MAX_IMAGE_WIDTH).contains(&value) => Ok(value),
            Some(_) => Err(format!(
                "`{name}` must be between 1 and {}",
                crate::config::MAX_IMAGE_WIDTH
            )),
            None => Err(format!("`op=\"{op}\"` needs `{name}`")),
        };
        match op {
            "fit_width" => Ok(Op::FitWidth(positive(width, "width")?)),
            "fit_height" => Ok(Op::FitHeight(positive(height, "height")?)),
            "fit" => Ok(Op::Fit(
                positive(width, "width")?,
                positive(height, "height")?,
            )),
            "fill" => Ok(Op::Fill(
                positive(width, "width")?,
                positive(height, "height")?,
            )),
            "scale" => Ok(Op::Scale(
                positive(width, "width")?,
                positive(height, "height")?,
            )),
            other => Err(format!(
                "`{other}` is not a resize operation; use fit_width, fit_height, fit, fill or scale"
            )),
        }
    }

    /// The size an image of `width` × `height` gets. Only `scale` makes an image larger
    /// than it is; the others stop at its own size.
    pub fn target(self, width: u32, height: u32) -> (u32, u32) {
        let (w, h) = (f64::from(width), f64::from(height));
        let scaled = |factor: f64| {
            let factor = factor.min(1.0);
            (
                ((w * factor).round() as u32).max(1),
                ((h * factor).round() as u32).max(1),
            )
        };
        match self {
            Op::FitWidth(to) => scaled(f64::from(to) / w),
            Op::FitHeight(to) => scaled(f64::from(to) / h),
            Op::Fit(bw, bh) => scaled((f64::from(bw) / w).min(f64::from(bh) / h)),
            Op::Fill(bw, bh) => {
                // The box shrinks (keeping its shape) until the image covers it.
                let shrink = (w / f64::from(bw)).min(h / f64::from(bh)).min(1.0);
                (
                    ((f64::from(bw) * shrink).round() as u32).max(1),
                    ((f64::from(bh) * shrink).round() as u32).max(1),
                )
            }
            Op::Scale(to_w, to_h) => (to_w, to_h),
        }
    }

    /// The operation in a stored file's name.
    fn code(self) -> String {
        match self {
            Op::FitWidth(w) => format!("w{w}"),
            Op::FitHeight(h) => format!("h{h}"),
            Op::Fit(w, h) => format!("fit{w}x{h}"),
            Op::Fill(w, h) => format!("fill{w}x{h}"),
            Op::Scale(w, h) => format!("scale{w}x{h}"),
        }
    }
}

/// One image the site publishes, as the catalog knows it.
#[derive(Debug, Clone)]
pub struct SiteImage {
    /// The file on disk.
    pub source: PathBuf,
    /// How messages name it (`content/blog/photo.jpg`).
    pub name: String,
    /// Its file name without extension, as a slug, for the variants' names.
    stem: String,
    /// What its header says.
    pub facts: SourceFacts,
}

/// One file made from an image: how, and where it is published.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Variant {
    /// Its path in the output.
    pub output: RelPath,
    /// Its name in the store.
    pub stored: String,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// Its format.
    pub encoding: Encoding,
    /// How it is made from the image.
    pub op: Op,
    /// The encoder's quality.
    pub quality: u8,
}

/// Every image the site publishes, by how content reaches it, and the variants asked for
/// so far in this build.
pub struct Catalog {
    images: Vec<Result<SiteImage, ImageError>>,
    /// Content key (`blog/photo.jpg`) → index in `images`.
    by_key: HashMap<String, usize>,
    /// Path in the output of a file from `static/` (`images/logo.png`) → index.
    by_static: HashMap<String, usize>,
    /// Path in the output of a file from `content/` → index.
    content_outputs: HashMap<String, usize>,
    config: ImageConfig,
    sizes: String,
    base_url: BaseUrl,
    store: Option<Store>,
    /// The variants the build asked for, with the image each is made from, in the order
    /// asked (an image shown on several pages is asked for again; [`publish`] sorts them).
    wanted: Mutex<Vec<(usize, Variant)>>,
}

/// An image as Markdown writes it: its `<picture>`, or what is wrong with it.
pub type Lookup = Result<Picture, ImageError>;

/// The catalog stage: every image among `copies` (the files the site publishes as they
/// are) whose extension names a format cairn resizes, with its facts, from the store's
/// index or read now, in parallel. `store` is the site's image store ([`Store::open`]),
/// none when no folder for it could be made; `content_keys` maps content keys to output
/// paths.
pub fn catalog(
    root: &Path,
    store: Option<Store>,
    copies: &[CopiedFile],
    content_keys: &std::collections::HashMap<String, String>,
    config: &ImageConfig,
    sizes: &str,
    base_url: &BaseUrl,
) -> Catalog {
    let candidates: Vec<&CopiedFile> = copies
        .iter()
        .filter(|copy| matches!(copy.origin.kind, Kind::Asset | Kind::Static))
        .filter(|copy| resizable_name(copy.path.file_name()))
        .collect();
    let images: Vec<Result<SiteImage, ImageError>> = candidates
        .par_iter()
        .map(|copy| learn(root, copy, store.as_ref()))
        .collect();
    let index_by_output: HashMap<&str, usize> = candidates
        .iter()
        .enumerate()
        .map(|(index, copy)| (copy.path.as_str(), index))
        .collect();
    let by_key: HashMap<String, usize> = content_keys
        .iter()
        .filter_map(|(key, output)| Some((key.clone(), *index_by_output.get(output.as_str())?)))
        .collect();
    let content_outputs = candidates
        .iter()
        .enumerate()
        .filter(|(_, copy)| copy.origin.kind == Kind::Asset)
        .map(|(index, copy)| (copy.path.to_string(), index))
        .collect();
    let by_static = candidates
        .iter()
        .enumerate()
        .filter(|(_, copy)| copy.origin.kind == Kind::Static)
        .map(|(index, copy)| (copy.path.to_string(), index))
        .collect();
    if let Some(store) = &store {
        store.save();
    }
    Catalog {
        images,
        by_key,
        by_static,
        content_outputs,
        config: config.clone(),
        sizes: sizes.to_string(),
        base_url: base_url.clone(),
        store,
        wanted: Mutex::new(Vec::new()),
    }
}

/// True for file names with an extension of a format cairn resizes.
fn resizable_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, extension)| {
        matches!(
            extension.to_ascii_lowercase().as_str(),
            "jpg" | "jpeg" | "png" | "webp" | "gif"
        )
    })
}

/// What the catalog knows of `copy`: from the store's index when its stamp is the same,
/// else read, checked whole (so a corrupt image is found now) and recorded.
fn learn(root: &Path, copy: &CopiedFile, store: Option<&Store>) -> Result<SiteImage, ImageError> {
    // Known by its path in the site (however the site's folder is named on the command
    // line) in the site's own store; by its full path in a store that other sites share
    // (the user's cache folder), and for a theme's file outside the site.
    let in_site_store = store.is_some_and(|store| store.dir().starts_with(root));
    let index_key = match copy.source.strip_prefix(root) {
        Ok(relative) if in_site_store => relative,
        _ => &copy.source,
    };
    let unreadable = |error: std::io::Error| ImageError {
        message: format!("cannot be read: {}", crate::diagnostics::io_reason(&error)),
        help: "check that the file exists and that cairn may read it".into(),
    };
    let meta = std::fs::metadata(&copy.source).map_err(unreadable)?;
    let (size, modified) = store::stamp(&meta);
    let known = store.and_then(|store| store.source(index_key, size, modified));
    let facts = match known {
        Some(facts) => facts,
        None => {
            let bytes = std::fs::read(&copy.source).map_err(unreadable)?;
            let (format, width, height) = process::probe(&bytes)?;
            // The header can be whole while the pixels are not: decode it all once.
            process::decode(&bytes)?;
            let facts = SourceFacts {
                hash: xxhash_rust::xxh3::xxh3_128(&bytes),
                format,
                width,
                height,
            };
            if let Some(store) = store {
                let entry = store::SourceEntry {
                    size,
                    modified,
                    facts,
                };
                store.remember_source(index_key, entry);
            }
            facts
        }
    };
    let file_stem = copy
        .path
        .file_name()
        .rsplit_once('.')
        .map_or(copy.path.file_name(), |(stem, _)| stem);
    let mut stem = crate::slug::slugify(file_stem);
    stem.truncate(48);
    if stem.is_empty() {
        stem = "image".into();
    }
    Ok(SiteImage {
        source: copy.source.clone(),
        name: copy.origin.name.to_string(),
        stem,
        facts,
    })
}

impl Catalog {
    /// A catalog that knows no image, for tools that render Markdown only for its
    /// headings and links (`cairn quiz check`): images stay plain `<img>`s.
    pub fn empty(base_url: &BaseUrl) -> Catalog {
        Catalog {
            images: Vec::new(),
            by_key: HashMap::default(),
            by_static: HashMap::default(),
            content_outputs: HashMap::default(),
            config: ImageConfig::default(),
            sizes: String::new(),
            base_url: base_url.clone(),
            store: None,
            wanted: Mutex::new(Vec::new()),
        }
    }

    /// The `<picture>` for the content file `key` (`blog/photo.jpg`), `None` when it is no
    /// image cairn resizes.
    pub fn for_content(&self, key: &str) -> Option<Lookup> {
        self.by_key.get(key).map(|index| self.picture(*index))
    }

    /// The `<picture>` for the file from `static/` published at `path` (`images/logo.png`),
    /// `None` when there is none or it is no image cairn resizes.
    pub fn for_static(&self, path: &str) -> Option<Lookup> {
        self.by_static.get(path).map(|index| self.picture(*index))
    }

    /// The variant `op` in `encoding` of the image `path` (a content key such as
    /// `blog/photo.jpg`, else a file in `static/` such as `images/logo.png`), asked for: it
    /// is made and published with the build. Its URL, width and height; `None` when there is
    /// no such image.
    pub fn resize(
        &self,
        path: &str,
        op: Op,
        encoding: Encoding,
    ) -> Option<Result<(String, u32, u32), ImageError>> {
        let index = *self.by_key.get(path).or_else(|| self.by_static.get(path))?;
        let image = match self.images.get(index)? {
            Ok(image) => image,
            Err(error) => return Some(Err(error.clone())),
        };
        let variant = self.variant(image, op, encoding);
        let answer = (
            self.base_url.link(variant.output.as_str()),
            variant.width,
            variant.height,
        );
        lock(&self.wanted).push((index, variant));
        Some(Ok(answer))
    }

    /// The format `resize_image` writes by default for the image `path` (see
    /// [`Catalog::resize`]): its own, a GIF's as PNG. `None` when there is no such image.
    pub fn own_encoding(&self, path: &str) -> Option<Encoding> {
        let index = self.by_key.get(path).or_else(|| self.by_static.get(path))?;
        match self.images.get(*index)? {
            Ok(image) => Some(image.facts.format.fallback()),
            // Any format: `resize` then tells what is wrong with the image.
            Err(_) => Some(Encoding::Webp),
        }
    }

    /// The `<picture>` of image `index`, its variants asked for.
    fn picture(&self, index: usize) -> Lookup {
        let image = match self.images.get(index) {
            Some(Ok(image)) => image,
            Some(Err(error)) => return Err(error.clone()),
            None => {
                return Err(ImageError {
                    message: "is unknown".into(),
                    help: String::new(),
                });
            }
        };
        let facts = &image.facts;
        let widths = variant_widths(&self.config.widths, facts.width);
        let webp: Vec<Variant> = widths
            .iter()
            .map(|width| self.variant(image, Op::FitWidth(*width), Encoding::Webp))
            .collect();
        let srcset = |variants: &[Variant]| {
            variants
                .iter()
                .map(|v| format!("{} {}w", self.base_url.link(v.output.as_str()), v.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let largest = widths.last().copied().unwrap_or(facts.width);
        let fallback = match facts.format.fallback() {
            Encoding::Webp => None,
            encoding => Some(self.variant(image, Op::FitWidth(largest), encoding)),
        };
        let picture = match &fallback {
            Some(fallback) => Picture {
                src: self.base_url.link(fallback.output.as_str()),
                width: fallback.width,
                height: fallback.height,
                sources: vec![(Encoding::Webp.mime().to_string(), srcset(&webp))],
                srcset: String::new(),
                sizes: self.sizes.clone(),
            },
            None => {
                let last = webp.last();
                Picture {
                    src: last
                        .map(|v| self.base_url.link(v.output.as_str()))
                        .unwrap_or_default(),
                    width: last.map_or(facts.width, |v| v.width),
                    height: last.map_or(facts.height, |v| v.height),
                    sources: Vec::new(),
                    srcset: srcset(&webp),
                    sizes: self.sizes.clone(),
                }
            }
        };
        lock(&self.wanted).extend(webp.into_iter().chain(fallback).map(|v| (index, v)));
        Ok(picture)
    }

    /// The variant of `image` that `op` and `encoding` make: its size, stored name and
    /// output path, all known before anything is encoded.
    fn variant(&self, image: &SiteImage, op: Op, encoding: Encoding) -> Variant {
        let facts = &image.facts;
        let (width, height) = op.target(facts.width, facts.height);
        let stored = format!(
            "{:032x}-{}-q{}-v{ENCODER_VERSION}.{}",
            facts.hash,
            op.code(),
            self.config.quality,
            encoding.extension()
        );
        let short = xxhash_rust::xxh3::xxh3_64(stored.as_bytes());
        let output = RelPath::fixed(format!(
            "{OUTPUT_DIR}/{}-{width}x{height}.{:010x}.{}",
            image.stem,
            short >> 24,
            encoding.extension()
        ));
        Variant {
            output,
            stored,
            width,
            height,
            encoding,
            op,
            quality: self.config.quality,
        }
    }

    /// How many files this build encoded into the store.
    pub fn encoded(&self) -> u64 {
        self.store.as_ref().map_or(0, Store::encoded)
    }

    /// Makes every JPEG, PNG and WebP from `content/` among `copies` a copy of its original
    /// without metadata (see [`strip`]), kept in the store: no photo a page shows
    /// publishes where it was taken. One whose container cannot be read is published as it
    /// is, with a warning.
    pub fn strip_originals(&self, copies: &mut [CopiedFile], problems: &mut Diagnostics) {
        let Some(store) = &self.store else { return };
        let warnings: Vec<Diagnostic> = copies
            .par_iter_mut()
            .filter(|copy| copy.origin.kind == Kind::Asset)
            .filter_map(|copy| {
                let index = self.content_outputs.get(copy.path.as_str())?;
                let image = self.images.get(*index)?.as_ref().ok()?;
                if image.facts.format == Format::Gif {
                    return None;
                }
                let extension = copy.path.file_name().rsplit_once('.').map_or("", |(_, e)| e);
                let stored = format!(
                    "{:032x}-original-v{ENCODER_VERSION}.{}",
                    image.facts.hash,
                    extension.to_ascii_lowercase()
                );
                let entry = match store.stored(&stored) {
                    Some(entry) => entry,
                    None => {
                        let bytes = std::fs::read(&image.source).ok()?;
                        let orientation = process::orientation(&bytes);
                        let Some(stripped) = strip::strip(bytes, image.facts.format, orientation)
                        else {
                            return Some(
                                Diagnostic::warning(format!(
                                    "cairn cannot remove the metadata of {}: it is published as it is",
                                    image.name
                                ))
                                .in_file(image.name.clone())
                                .help("save it again in an image editor, without location data"),
                            );
                        };
                        match store.put(&stored, &stripped) {
                            Ok(entry) => entry,
                            Err(error) => {
                                return Some(
                                    Diagnostic::warning(format!(
                                        "cairn cannot keep {} without its metadata ({}): it is published as it is",
                                        image.name,
                                        crate::diagnostics::io_reason(&error)
                                    ))
                                    .in_file(image.name.clone())
                                    .help("check that the site's .cairn/ folder is writable and the disk is not full"),
                                );
                            }
                        }
                    }
                };
                copy.source = store.path_of(&stored);
                copy.hash = Some(entry.hash);
                None
            })
            .collect();
        store.save();
        problems.extend(warnings);
    }

    /// The store this build keeps its images in (share cards too), if it has one.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }
}

/// The widths an image `width` pixels wide gets: the configured ones narrower than it,
/// and its own width when it is narrower than the widest configured one (never wider).
fn variant_widths(configured: &[u32], width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = configured.iter().copied().filter(|w| *w < width).collect();
    if configured.iter().any(|w| *w >= width) {
        widths.push(width);
    }
    widths
}

/// The publish stage: makes every variant the build asked for that the store does not
/// hold yet (one image at a time per thread, decoded once for all its variants), and
/// returns them as copies of their stored files. A variant that cannot be made is an error
/// naming its image.
pub fn publish(catalog: &Catalog, problems: &mut Diagnostics) -> Vec<CopiedFile> {
    let mut wanted = std::mem::take(&mut *lock(&catalog.wanted));
    let Some(store) = &catalog.store else {
        if !wanted.is_empty() {
            problems.push(
                Diagnostic::error("cairn cannot make a folder to keep resized images in")
                    .in_file(crate::paths::CACHE_DIR)
                    .help("let cairn write to the site's .cairn/ folder, or set XDG_CACHE_HOME to a writable folder"),
            );
        }
        return Vec::new();
    };
    // One job per image, its variants each once, in a fixed order whatever order the
    // threads asked in.
    wanted.par_sort_unstable_by(|a, b| (a.0, &a.1.output).cmp(&(b.0, &b.1.output)));
    wanted.dedup_by(|next, kept| next.0 == kept.0 && next.1.output == kept.1.output);
    let mut jobs: Vec<(usize, Vec<Variant>)> = Vec::new();
    for (index, variant) in wanted {
        match jobs.last_mut() {
            Some((last, variants)) if *last == index => variants.push(variant),
            _ => jobs.push((index, vec![variant])),
        }
    }
    let results: Vec<Result<Vec<CopiedFile>, Diagnostic>> = jobs
        .par_iter()
        .filter_map(|(index, variants)| {
            let image = catalog.images.get(*index)?.as_ref().ok()?;
            Some(make_variants(image, variants, store))
        })
        .collect();
    store.save();
    let mut copies = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for result in results {
        match result {
            Ok(made) => copies.extend(made.into_iter().filter(|c| seen.insert(c.path.clone()))),
            Err(problem) => problems.push(problem),
        }
    }
    copies
}

/// The variants of one image, made where the store lacks them.
fn make_variants(
    image: &SiteImage,
    variants: &[Variant],
    store: &Store,
) -> Result<Vec<CopiedFile>, Diagnostic> {
    let failed = |error: ImageError| {
        Diagnostic::error(format!("the image {} {}", image.name, error.message))
            .in_file(image.name.clone())
            .help(error.help)
    };
    let mut pixels = None;
    let mut copies = Vec::with_capacity(variants.len());
    let origin = Origin::generated("a resized image");
    for variant in variants {
        let entry = match store.stored(&variant.stored) {
            Some(entry) => entry,
            None => {
                if pixels.is_none() {
                    let bytes = std::fs::read(&image.source).map_err(|error| {
                        failed(ImageError {
                            message: format!(
                                "cannot be read: {}",
                                crate::diagnostics::io_reason(&error)
                            ),
                            help: "check that the file exists and that cairn may read it".into(),
                        })
                    })?;
                    pixels = Some(process::decode(&bytes).map_err(failed)?);
                }
                let Some(source) = &pixels else { continue };
                let resized = process::resize(source, variant.op).map_err(failed)?;
                let bytes =
                    process::encode(&resized, variant.encoding, variant.quality).map_err(failed)?;
                store.put(&variant.stored, &bytes).map_err(|error| {
                    Diagnostic::error(format!(
                        "cannot keep a resized image in {}: {}",
                        store.dir().display(),
                        crate::diagnostics::io_reason(&error)
                    ))
                    .help("check that the folder is writable and the disk is not full")
                })?
            }
        };
        copies.push(CopiedFile {
            source: store.path_of(&variant.stored),
            path: variant.output.clone(),
            origin: origin.clone(),
            hash: Some(entry.hash),
        });
    }
    Ok(copies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(variant_widths(&[480, 960, 1600], 4000), [480, 960, 1600]);
        assert_eq!(variant_widths(&[480, 960, 1600], 1200), [480, 960, 1200]);
        assert_eq!(variant_widths(&[480, 960, 1600], 960), [480, 960]);
        assert_eq!(variant_widths(&[480, 960, 1600], 300), [300]);
    }

    #[test]
    fn operations_keep_proportions_and_never_upscale_but_scale() {
        assert_eq!(Op::FitWidth(480).target(4000, 3000), (480, 360));
        assert_eq!(Op::FitWidth(4800).target(4000, 3000), (4000, 3000));
        assert_eq!(Op::FitHeight(300).target(4000, 3000), (400, 300));
        assert_eq!(Op::Fit(400, 400).target(4000, 3000), (400, 300));
        assert_eq!(Op::Fill(400, 400).target(4000, 3000), (400, 400));
        assert_eq!(Op::Fill(800, 400).target(400, 300), (400, 200));
        assert_eq!(Op::Scale(10, 10).target(4000, 3000), (10, 10));
        assert_eq!(Op::FitWidth(1).target(4000, 2), (1, 1));
    }

    #[test]
    fn operations_are_parsed_with_what_they_need() {
        assert_eq!(Op::parse("fill", Some(10), Some(20)), Ok(Op::Fill(10, 20)));
        assert_eq!(
            Op::parse("fit_width", None, None),
            Err("`op=\"fit_width\"` needs `width`".into())
        );
        assert!(
            Op::parse("crop", Some(1), Some(1))
                .unwrap_err()
                .contains("fit_width")
        );
        assert!(Op::parse("fit_width", Some(0), None).is_err());
    }
}
