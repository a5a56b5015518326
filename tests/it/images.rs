//! Responsive images: a phone photo (EXIF orientation and GPS data), a PNG with
//! transparency, an SVG, a remote image and broken ones, built into real sites. The test
//! images are made here, so the repository holds no binary fixtures.

use std::io::Cursor;
use std::path::Path;

use crate::common::TestSite;

/// A 2000×1000 JPEG stored sideways, left half red and right half blue, whose EXIF says
/// "turn 90° clockwise to show" (orientation 6) and holds a GPS position, as phones write.
pub(crate) fn phone_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(2000, 1000, |x, _| {
        if x < 1000 {
            image::Rgb([220, 30, 30])
        } else {
            image::Rgb([30, 30, 220])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&image)
        .unwrap();
    with_exif(&jpeg, &exif_orientation_and_gps(6))
}

/// An EXIF block (little-endian TIFF) with an orientation and a GPS latitude.
fn exif_orientation_and_gps(orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    // IFD0: orientation, and where the GPS IFD is (8 + 2 + 2 * 12 + 4 = 38).
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0]);
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(orientation.to_le_bytes());
    tiff.extend([0, 0]);
    tiff.extend([0x25, 0x88, 4, 0]);
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(38u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    // The GPS IFD: latitude reference and latitude (its rationals at 38 + 30 = 68).
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x01, 0x00, 2, 0]);
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(*b"N\0\0\0");
    tiff.extend([0x02, 0x00, 5, 0]);
    tiff.extend(3u32.to_le_bytes());
    tiff.extend(68u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    for (numerator, denominator) in [(48u32, 1u32), (51, 1), (2, 1)] {
        tiff.extend(numerator.to_le_bytes());
        tiff.extend(denominator.to_le_bytes());
    }
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend(tiff);
    exif
}

/// `jpeg` with `exif` as an APP1 segment after its JFIF header.
fn with_exif(jpeg: &[u8], exif: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..4], &[0xFF, 0xD8, 0xFF, 0xE0], "SOI then APP0");
    let app0_end = 4 + usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]]));
    let mut out = jpeg[..app0_end].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    out.extend(exif);
    out.extend(&jpeg[app0_end..]);
    out
}

/// A 600×400 PNG whose left quarter is fully transparent.
pub(crate) fn transparent_png() -> Vec<u8> {
    let image = image::RgbaImage::from_fn(600, 400, |x, y| {
        let alpha = if x < 150 { 0 } else { 255 };
        image::Rgba([(x / 3) as u8, (y / 2) as u8, 120, alpha])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn put(site: &TestSite, rel: &str, bytes: &[u8]) {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A site under a sub-path with the photo, the PNG, an SVG in static/ and a remote image.
fn trip_site() -> TestSite {
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/sub/\n",
    );
    site.write(
        "content/trip/index.md",
        "---\ntitle: Our trip\n---\n![The harbour at dawn](photo.jpg \"The harbour\")\n\nText ![Clear](clear.png), ![Logo](/logo.svg) and ![Far](https://example.com/far.jpg).\n",
    );
    put(&site, "content/trip/photo.jpg", &phone_photo());
    put(&site, "content/trip/clear.png", &transparent_png());
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    site
}

/// The output file a root-relative URL under `/sub/` names.
fn output_file(site: &TestSite, url: &str) -> std::path::PathBuf {
    let rel = url.strip_prefix("/sub/").unwrap_or_else(|| panic!("{url}"));
    site.public().join(rel)
}

/// `url 480w, url 960w` → [(url, 480), (url, 960)].
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(", ")
        .map(|candidate| {
            let (url, width) = candidate.rsplit_once(' ').unwrap();
            let width = width.strip_suffix('w').unwrap().parse().unwrap();
            (url.to_string(), width)
        })
        .collect()
}

fn assert_no_metadata(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "{} has EXIF",
        path.display()
    );
    let mut decoder = image::ImageReader::open(path)
        .unwrap()
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    use image::ImageDecoder;
    assert_eq!(decoder.exif_metadata().unwrap(), None, "{}", path.display());
}

#[test]
fn a_phone_photo_becomes_an_upright_responsive_picture_without_its_gps_data() {
    let site = trip_site();
    site.build();
    let page = site.html("trip/index.html");

    // A titled image alone in its paragraph is a figure with a caption.
    assert_eq!(page.text("figure > figcaption"), "The harbour");
    let img = page.one("figure > picture > img");
    let attr = |name: &str| img.value().attr(name).unwrap_or_default().to_string();
    assert_eq!(attr("alt"), "The harbour at dawn");
    // Upright: the 2000×1000 photo is shown 1000 wide and 2000 high.
    assert_eq!(
        (attr("width").as_str(), attr("height").as_str()),
        ("1000", "2000")
    );
    assert_eq!(attr("loading"), "eager", "the first image of the page");
    assert_eq!(attr("fetchpriority"), "high");
    assert_eq!(attr("decoding"), "async");
    assert_eq!(attr("title"), "", "the title is the caption");

    let source = page.one("figure > picture > source");
    assert_eq!(source.value().attr("type"), Some("image/webp"));
    assert_eq!(
        source.value().attr("sizes"),
        Some("(min-width: 40rem) 37.5rem, calc(100vw - 2.5rem)"),
        "the theme's image_sizes"
    );
    let variants = srcset(source.value().attr("srcset").unwrap());
    let widths: Vec<u32> = variants.iter().map(|v| v.1).collect();
    assert_eq!(widths, [480, 960, 1000], "never wider than the photo");
    for (url, width) in &variants {
        assert!(url.starts_with("/sub/assets/images/photo-"), "{url}");
        let path = output_file(&site, url);
        let decoded = image::open(&path).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (*width, width * 2),
            "{url}"
        );
        assert_eq!(
            image::guess_format(&std::fs::read(&path).unwrap()).unwrap(),
            image::ImageFormat::WebP
        );
        assert_no_metadata(&path);
    }

    // The original is published beside the page without its GPS data, still upright.
    let original = std::fs::read(site.public().join("trip/photo.jpg")).unwrap();
    assert!(original.len() < phone_photo().len());
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(Cursor::new(&original)).unwrap();
    use image::ImageDecoder;
    assert_eq!(
        decoder.orientation().unwrap(),
        image::metadata::Orientation::Rotate90
    );
    let exif = decoder.exif_metadata().unwrap().unwrap();
    assert!(exif.len() < 40, "only the orientation: {exif:?}");
    assert!(
        !exif
            .windows(2)
            .any(|w| w == [0x88, 0x25] || w == [0x25, 0x88]),
        "no GPS IFD"
    );
    let original = image::load_from_memory(&original).unwrap();
    assert_eq!((original.width(), original.height()), (2000, 1000));

    // The fallback is a JPEG, upright (red on top, blue below) and stripped.
    let fallback = output_file(&site, &attr("src"));
    assert!(attr("src").ends_with(".jpg"), "{}", attr("src"));
    assert_no_metadata(&fallback);
    let decoded = image::open(&fallback).unwrap().into_rgb8();
    assert_eq!(decoded.dimensions(), (1000, 2000));
    let top = decoded.get_pixel(500, 500);
    let bottom = decoded.get_pixel(500, 1500);
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );
}

#[test]
fn a_transparent_png_keeps_its_alpha_and_other_images_pass_through() {
    let site = trip_site();
    site.build();
    let page = site.html("trip/index.html");
    let pictures = page.all("p picture");
    assert_eq!(
        pictures.len(),
        1,
        "the PNG; the SVG and the remote image are plain"
    );
    let png = page.one("p picture img");
    assert_eq!(png.value().attr("alt"), Some("Clear"));
    assert_eq!(png.value().attr("loading"), Some("lazy"));
    assert_eq!(png.value().attr("decoding"), Some("async"));
    assert_eq!(png.value().attr("width"), Some("600"));
    assert_eq!(png.value().attr("height"), Some("400"));
    let src = png.value().attr("src").unwrap();
    assert!(
        src.ends_with(".png"),
        "the fallback keeps the format: {src}"
    );
    let webp = srcset(page.attr("p picture source", "srcset").as_str());
    assert_eq!(webp.iter().map(|v| v.1).collect::<Vec<_>>(), [480, 600]);
    for (url, _) in &webp {
        let decoded = image::open(output_file(&site, url)).unwrap();
        assert!(decoded.color().has_alpha(), "{url}");
        let rgba = decoded.into_rgba8();
        assert!(
            rgba.get_pixel(2, 2)[3] < 10,
            "transparent stays transparent"
        );
        assert!(rgba.get_pixel(rgba.width() - 2, 2)[3] > 245);
    }

    let plain: Vec<_> = page
        .all("p > img")
        .into_iter()
        .map(|img| img.value().attr("src").unwrap().to_string())
        .collect();
    assert_eq!(plain, ["/logo.svg", "https://example.com/far.jpg"]);
    assert!(site.public().join("logo.svg").is_file());
}

#[test]
fn a_second_build_encodes_and_writes_nothing() {
    let site = trip_site();
    site.build();
    let store = site.root().join(".cairn/images");
    let stored = || {
        let mut files: Vec<(String, std::time::SystemTime)> = std::fs::read_dir(&store)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name() != "index")
            .map(|e| {
                let modified = e.metadata().unwrap().modified().unwrap();
                (e.file_name().to_string_lossy().into_owned(), modified)
            })
            .collect();
        files.sort();
        files
    };
    let first = stored();
    // Three WebP widths and a JPEG for the photo, two WebP and a PNG for the PNG, both
    // originals without metadata, and the share cards of the home page and the trip.
    assert_eq!(first.len(), 11, "{first:?}");
    let report = site.build();
    assert_eq!(stored(), first, "nothing encoded again");
    assert_eq!(report.write.written, 0, "{:?}", report.write);
}

#[test]
fn a_missing_image_is_an_error_at_its_line() {
    let site = TestSite::minimal();
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\nIntro.\n\n![Gone](gone.jpg)\n",
    );
    let problems = site.build_err().render(false);
    assert!(problems.contains("content/a.md:6:9"), "{problems}");
    assert!(problems.contains("`gone.jpg`"), "{problems}");
}

#[test]
fn a_corrupt_image_is_an_error_at_its_line() {
    let site = TestSite::minimal();
    site.write(
        "content/a/index.md",
        "---\ntitle: A\n---\nIntro.\n\nSee ![Broken](broken.jpg).\n",
    );
    // Cut short before its pixels start, as a failed download leaves it.
    let mut photo = phone_photo();
    photo.truncate(250);
    put(&site, "content/a/broken.jpg", &photo);
    put(&site, "content/a/fake.png", b"not an image at all");
    let problems = site.build_err().render(false);
    assert!(problems.contains("content/a/index.md:6:15"), "{problems}");
    assert!(
        problems.contains("the image `broken.jpg` cannot be read"),
        "{problems}"
    );
    assert!(
        !problems.contains("fake.png"),
        "an image no page shows is not an error: {problems}"
    );
}

#[test]
fn every_page_gets_a_share_card_with_an_absolute_url_under_the_sub_path() {
    let site = trip_site();
    site.write(
        "content/about.md",
        "---\ntitle: About us\nimage: /images/team.png\n---\nHi.\n",
    );
    site.write(
        "content/long.md",
        &format!(
            "---\ntitle: {}\n---\nLong.\n",
            "Many words ".repeat(30).trim()
        ),
    );
    let report = site.build();
    let warnings = report.warnings.render(false);
    assert!(
        warnings.contains("the title is too long for the share card"),
        "{warnings}"
    );
    assert!(warnings.contains("content/long.md:2:8"), "{warnings}");

    for (page, own) in [
        ("index.html", None),
        ("trip/index.html", None),
        ("long/index.html", None),
        (
            "about/index.html",
            Some("https://example.org/sub/images/team.png"),
        ),
    ] {
        let html = site.html(page);
        let og = html.attr("meta[property='og:image']", "content");
        let twitter = html.attr("meta[name='twitter:image']", "content");
        assert_eq!(og, twitter, "{page}");
        assert_eq!(
            html.attr("meta[name='twitter:card']", "content"),
            "summary_large_image"
        );
        if let Some(own) = own {
            assert_eq!(og, own);
            continue;
        }
        let path = og
            .strip_prefix("https://example.org/sub/")
            .unwrap_or_else(|| panic!("{page}: {og}"));
        assert!(path.starts_with("assets/cards/"), "{og}");
        let bytes = std::fs::read(site.public().join(path)).unwrap();
        assert_eq!(
            image::guess_format(&bytes).unwrap(),
            image::ImageFormat::Png
        );
        let card = image::load_from_memory(&bytes).unwrap();
        assert_eq!((card.width(), card.height()), (1200, 630), "{page}");
    }
    // Pages without a card of their own (tags, 404) show the home page's.
    let home = site
        .html("index.html")
        .attr("meta[property='og:image']", "content");
    assert_eq!(
        site.html("404.html")
            .attr("meta[property='og:image']", "content"),
        home
    );
    let trip = site
        .html("trip/index.html")
        .attr("meta[property='og:image']", "content");
    assert_ne!(trip, home, "each page its own card");
}

#[test]
fn a_front_matter_image_that_names_nothing_is_an_error_at_it() {
    let site = TestSite::minimal();
    site.write("content/a.md", "---\ntitle: A\nimage: cover.jpg\n---\nA.\n");
    let problems = site.build_err().render(false);
    assert!(problems.contains("content/a.md:3:8"), "{problems}");
    assert!(problems.contains("the image `cover.jpg`"), "{problems}");
}

#[test]
fn templates_resize_images_with_resize_image() {
    let site = trip_site();
    site.write(
        "templates/thumbs.html",
        "{% extends \"default/page.html\" %}{% block content %}\
         {% set fill = resize_image(path=\"trip/photo.jpg\", width=200, height=120) %}\
         {% set fit = resize_image(path=\"logo.png\", width=64, height=64, op=\"fit\", format=\"webp\") %}\
         <img class=\"fill\" src=\"{{ fill.url }}\" width=\"{{ fill.width }}\" height=\"{{ fill.height }}\" alt=\"\">\
         <img class=\"fit\" src=\"{{ fit.url }}\" width=\"{{ fit.width }}\" height=\"{{ fit.height }}\" alt=\"\">\
         {{ super() }}{% endblock content %}",
    );
    site.write(
        "content/thumbs.md",
        "---\ntitle: Thumbs\ntemplate: thumbs.html\n---\nHi.\n",
    );
    put(&site, "static/logo.png", &transparent_png());
    site.build();
    let page = site.html("thumbs/index.html");
    for (class, size, format) in [
        ("fill", (200, 120), image::ImageFormat::Jpeg),
        ("fit", (64, 43), image::ImageFormat::WebP),
    ] {
        let img = page.one(&format!("img.{class}"));
        let url = img.value().attr("src").unwrap();
        let shown = (
            img.value().attr("width").unwrap().parse::<u32>().unwrap(),
            img.value().attr("height").unwrap().parse::<u32>().unwrap(),
        );
        assert_eq!(shown, size, "{class}");
        let bytes = std::fs::read(output_file(&site, url)).unwrap();
        assert_eq!(image::guess_format(&bytes).unwrap(), format, "{class}");
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), size, "{class}");
    }

    site.write(
        "templates/thumbs.html",
        "{% extends \"default/page.html\" %}{% block content %}{% set x = resize_image(path=\"trip/nope.jpg\", width=10, height=10) %}{{ x.url }}{% endblock content %}",
    );
    let problems = site.build_err().render(false);
    assert!(
        problems.contains("resize_image: no image `trip/nope.jpg`"),
        "{problems}"
    );
}

#[test]
fn a_rebuild_that_reuses_pages_still_publishes_their_images() {
    let site = trip_site();
    site.write(
        "templates/thumbs.html",
        "{% extends \"default/page.html\" %}{% block content %}\
         {% set t = resize_image(path=\"trip/photo.jpg\", width=100, height=100) %}\
         <img src=\"{{ t.url }}\" alt=\"\">{{ super() }}{% endblock content %}",
    );
    site.write(
        "content/thumbs.md",
        "---\ntitle: Thumbs\ntemplate: thumbs.html\n---\nHi.\n",
    );
    let paths = |generated: cairn::Generated| {
        let mut paths: Vec<String> = generated
            .copies
            .iter()
            .map(|c| c.path.to_string())
            .filter(|p| p.starts_with("assets/"))
            .collect();
        paths.sort();
        paths
    };
    let cache = cairn::incremental::BuildCache::new();
    let first = cairn::build_in_memory(&site.options(), &cache).unwrap();
    cache.finish_build(true);
    let first = paths(first);
    let second = cairn::build_in_memory(&site.options(), &cache).unwrap();
    assert!(second.stats.markdown.reused > 0 && second.stats.pages.reused > 0);
    assert_eq!(paths(second), first);
    assert_eq!(
        first
            .iter()
            .filter(|p| p.starts_with("assets/images/"))
            .count(),
        8
    );
}

/// `image` encoded as `format`.
fn encoded(image: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    image.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

/// A two-frame GIF, 300×200: a green first frame, then a red one.
fn two_frame_gif() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        for colour in [[20, 200, 20, 255], [200, 20, 20, 255]] {
            let frame = image::RgbaImage::from_pixel(300, 200, image::Rgba(colour));
            encoder.encode_frame(image::Frame::new(frame)).unwrap();
        }
    }
    out
}

#[test]
fn every_format_from_a_bundle_or_static_is_sized_and_never_upscaled() {
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/sub/\n",
    );
    site.write(
        "content/mix/index.md",
        "---\ntitle: Mix\n---\n![Huge](huge.png)\n\n![Tiny](tiny.png)\n\n![Moving](moving.gif)\n\n![Web](web.webp)\n\n![Shared](/shared/photo.jpg)\n",
    );
    let huge = image::RgbImage::from_fn(5000, 2500, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
    });
    put(
        &site,
        "content/mix/huge.png",
        &encoded(huge.into(), image::ImageFormat::Png),
    );
    let tiny = image::RgbImage::from_pixel(120, 90, image::Rgb([10, 20, 30]));
    put(
        &site,
        "content/mix/tiny.png",
        &encoded(tiny.into(), image::ImageFormat::Png),
    );
    put(&site, "content/mix/moving.gif", &two_frame_gif());
    let web = image::RgbaImage::from_pixel(700, 500, image::Rgba([40, 80, 160, 255]));
    put(
        &site,
        "content/mix/web.webp",
        &encoded(web.into(), image::ImageFormat::WebP),
    );
    put(&site, "static/shared/photo.jpg", &phone_photo());
    site.build();
    let page = site.html("mix/index.html");
    let pictures = page.all("picture");
    assert_eq!(pictures.len(), 5, "every raster image is a picture");

    // (alt, size in the <img> (the fallback's), WebP widths, fallback extension)
    type Expected<'a> = (&'a str, (u32, u32), &'a [u32], &'a str);
    let expected: [Expected<'_>; 5] = [
        ("Huge", (1600, 800), &[480, 960, 1600], "png"),
        ("Tiny", (120, 90), &[120], "png"),
        ("Moving", (300, 200), &[300], "png"),
        ("Web", (700, 500), &[480, 700], "webp"),
        ("Shared", (1000, 2000), &[480, 960, 1000], "jpg"),
    ];
    for (picture, (alt, size, widths, extension)) in pictures.iter().zip(expected) {
        let select = |css: &str| {
            picture
                .select(&scraper::Selector::parse(css).unwrap())
                .next()
                .unwrap_or_else(|| panic!("{alt}: no {css}"))
        };
        let img = select("img");
        assert_eq!(img.value().attr("alt"), Some(alt));
        assert_eq!(
            img.value().attr("width").unwrap(),
            size.0.to_string(),
            "{alt}"
        );
        assert_eq!(
            img.value().attr("height").unwrap(),
            size.1.to_string(),
            "{alt}"
        );
        // A WebP is its own fallback: its widths are on the <img>.
        let widths_on = if extension == "webp" {
            img
        } else {
            select("source")
        };
        let variants = srcset(widths_on.value().attr("srcset").unwrap());
        assert_eq!(
            variants.iter().map(|v| v.1).collect::<Vec<_>>(),
            widths,
            "{alt}: never wider than the image"
        );
        for (url, width) in &variants {
            let decoded = image::open(output_file(&site, url)).unwrap();
            assert_eq!(decoded.width(), *width, "{alt}: {url}");
            let expected_height =
                (u64::from(*width) * u64::from(size.1) / u64::from(size.0)) as u32;
            assert!(
                decoded.height().abs_diff(expected_height) <= 1,
                "{alt}: {url} is {}x{}",
                decoded.width(),
                decoded.height()
            );
        }
        let src = img.value().attr("src").unwrap();
        assert!(src.ends_with(&format!(".{extension}")), "{alt}: {src}");
        let fallback = image::open(output_file(&site, src)).unwrap();
        assert_eq!(fallback.width(), *widths.last().unwrap(), "{alt}: {src}");
        if alt == "Moving" {
            // The first frame: green.
            let pixel = fallback.into_rgb8().get_pixel(10, 10).0;
            assert!(pixel[1] > 150 && pixel[0] < 100, "{pixel:?}");
        }
    }
    // The first image loads at once, the others lazily.
    let loading: Vec<_> = page
        .all("picture img")
        .iter()
        .map(|img| img.value().attr("loading").unwrap().to_string())
        .collect();
    assert_eq!(loading, ["eager", "lazy", "lazy", "lazy", "lazy"]);
    // static/ is the owner's: its photo is published exactly as it is.
    assert_eq!(
        std::fs::read(site.public().join("shared/photo.jpg")).unwrap(),
        phone_photo()
    );
}

#[test]
fn a_corrupt_webp_is_an_error_at_its_line_seven() {
    let site = TestSite::minimal();
    site.write(
        "content/a/index.md",
        "---\ntitle: A\n---\nOne.\nTwo.\n\n![Broken](broken.webp)\n",
    );
    put(
        &site,
        "content/a/broken.webp",
        b"RIFF\x10\0\0\0WEBPVP8 garbage",
    );
    let problems = site.build_err().render(false);
    assert!(problems.contains("content/a/index.md:7:11"), "{problems}");
    assert!(
        problems.contains("the image `broken.webp` cannot be read"),
        "{problems}"
    );
}

#[test]
fn a_site_named_differently_on_the_command_line_knows_its_images_still() {
    let site = trip_site();
    site.build();
    let index = site.root().join(".cairn/images/index");
    let before = std::fs::read(&index).unwrap();
    // The same site through another name: a link to its folder.
    let other = tempfile::tempdir().unwrap();
    let link = other.path().join("same-site");
    std::os::unix::fs::symlink(site.root(), &link).unwrap();
    let mut options = cairn::BuildOptions::new(&link);
    options.output = Some(site.public());
    cairn::build(&options).unwrap();
    assert_eq!(
        std::fs::read(&index).unwrap(),
        before,
        "the index knows every photo by its path in the site"
    );
}

/// The pixel of the home page's card at (`x`, `y`).
fn card_pixel(site: &TestSite, x: u32, y: u32) -> [u8; 3] {
    let url = site
        .html("index.html")
        .attr("meta[property='og:image']", "content");
    let rel = url.split_once("/assets/").map(|(_, rest)| rest).unwrap();
    let card = image::open(site.public().join("assets").join(rel)).unwrap();
    assert_eq!((card.width(), card.height()), (1200, 630));
    card.into_rgb8().get_pixel(x, y).0
}

#[test]
fn cards_take_the_theme_s_colours_and_a_theme_without_a_card_gets_the_default() {
    let site = TestSite::minimal();
    site.write("content/_index.md", "---\ntitle: Home\n---\nHi.\n");
    site.build();
    // The default theme's background and its accent stripe.
    assert_eq!(card_pixel(&site, 600, 40), [0xfb, 0xfa, 0xf7]);
    assert_eq!(card_pixel(&site, 10, 300), [0x0a, 0x58, 0xa8]);

    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\ntheme: paper\n",
    );
    site.build();
    assert_eq!(
        card_pixel(&site, 600, 40),
        [0xf6, 0xf1, 0xe7],
        "paper's page colour"
    );
    assert_eq!(
        card_pixel(&site, 10, 300),
        [0x8a, 0x2f, 0x1c],
        "paper's accent"
    );

    // A theme of the site's own, with neither card.svg nor fonts/, still gets cards.
    site.write("themes/own/theme.yaml", "name: own\nextends: default\n");
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\ntheme: own\n",
    );
    site.build();
    assert_eq!(card_pixel(&site, 600, 40), [0xfb, 0xfa, 0xf7]);
}

#[test]
fn cairn_check_warns_once_at_a_title_its_card_would_cut() {
    let site = TestSite::minimal();
    let long = "Many words ".repeat(30);
    site.write(
        "content/long.md",
        &format!(
            "---\ntitle: {}\ndescription: Long.\n---\nText.\n",
            long.trim()
        ),
    );
    site.write(
        "content/fits.md",
        "---\ntitle: A weekend at the harbour, with photos from a phone and a long title\ndescription: Fits.\n---\nText.\n",
    );
    let report = cairn::check::check(&cairn::check::CheckOptions {
        build: site.options(),
        strict: false,
        external: None,
    });
    let cut: Vec<String> = report
        .problems
        .iter()
        .filter(|d| d.message.contains("too long for the share card"))
        .map(cairn::diagnostics::Diagnostic::location)
        .collect();
    assert_eq!(
        cut,
        ["content/long.md:2:8"],
        "a long title that fits once smaller is not cut"
    );
}

#[test]
fn a_photo_in_static_is_found_with_or_without_the_base_path() {
    let site = trip_site();
    put(&site, "static/photos/clear.png", &transparent_png());
    site.write(
        "content/both.md",
        "---\ntitle: Both\n---\n![Without](/photos/clear.png)\n\n![With](/sub/photos/clear.png)\n",
    );
    site.build();
    let page = site.html("both/index.html");
    let sources: Vec<String> = page
        .all("picture img")
        .iter()
        .map(|img| img.value().attr("src").unwrap().to_string())
        .collect();
    assert_eq!(sources.len(), 2, "both are pictures");
    assert_eq!(sources[0], sources[1]);
    assert!(
        sources[0].starts_with("/sub/assets/images/clear-"),
        "{}",
        sources[0]
    );
}

#[test]
fn without_a_cache_folder_in_the_site_images_are_kept_in_the_user_s() {
    let site = trip_site();
    // `.cairn` a file: the site's cache folder cannot be made, as in a read-only checkout.
    site.write(".cairn", "");
    let user_cache = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    let build = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
            .args(["build", "--root"])
            .arg(site.root())
            .arg("--output")
            .arg(output.path().join("public"))
            .env("XDG_CACHE_HOME", user_cache.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let first = build();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let store = user_cache.path().join("cairn/images");
    let kept = std::fs::read_dir(&store)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".webp"))
        .count();
    assert_eq!(kept, 5, "the photo's three WebP variants and the PNG's two");
    let index = std::fs::read(store.join("index")).unwrap();
    let second = build();
    assert!(second.status.success());
    assert_eq!(
        std::fs::read(store.join("index")).unwrap(),
        index,
        "nothing new to remember"
    );
}

#[test]
fn with_cards_off_pages_share_the_home_page_s_image_and_no_card_is_drawn() {
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/sub/\nimages:\n  cards: false\n",
    );
    site.write(
        "content/_index.md",
        "---\ntitle: Home\nimage: /images/site.png\n---\nHi.\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About us\nimage: /images/team.png\n---\nHi.\n",
    );
    site.write(
        "content/notes.md",
        &format!(
            "---\ntitle: {}\n---\nNo image of its own.\n",
            "Many words ".repeat(30).trim()
        ),
    );
    put(&site, "static/images/site.png", &transparent_png());
    put(&site, "static/images/team.png", &transparent_png());
    let report = site.build();
    let warnings = report.warnings.render(false);
    assert!(
        !warnings.contains("share card"),
        "no card, so no title is cut: {warnings}"
    );
    assert!(!site.public().join("assets/cards").exists());
    for (page, image) in [
        ("index.html", "https://example.org/sub/images/site.png"),
        (
            "notes/index.html",
            "https://example.org/sub/images/site.png",
        ),
        (
            "about/index.html",
            "https://example.org/sub/images/team.png",
        ),
    ] {
        let html = site.html(page);
        assert_eq!(
            html.attr("meta[property='og:image']", "content"),
            image,
            "{page}"
        );
    }

    // Without an image on the home page either, a page shares none.
    site.write("content/_index.md", "---\ntitle: Home\n---\nHi.\n");
    site.build();
    let html = site.html("notes/index.html");
    assert!(html.all("meta[property='og:image']").is_empty());
    assert_eq!(html.attr("meta[name='twitter:card']", "content"), "summary");
}
