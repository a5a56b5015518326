//! Decoding, orienting, resizing and encoding one image.
//!
//! The crates, and why:
//! - `image` decodes JPEG, PNG, WebP and GIF in pure Rust (zune-jpeg, png, image-webp,
//!   gif), reads the EXIF orientation, and encodes JPEG and PNG. Decoded pixels carry no
//!   metadata, so every file cairn writes is free of EXIF, XMP and GPS data.
//! - `fast_image_resize` resizes with SIMD in pure Rust (Lanczos3, alpha premultiplied so
//!   transparent edges do not darken), several times faster than `image`'s own resizer.
//! - `webp` encodes lossy WebP through libwebp, compiled from its bundled C source by
//!   `cargo build` (a C compiler is all it needs). No pure-Rust encoder makes lossy WebP
//!   under a permissive licence: `image-webp` encodes lossless only, which makes photos
//!   larger than the JPEGs they replace, and `zenwebp` is AGPL.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::{Encoding, Format, Op};

/// The most pixels cairn decodes in one image (a 100-megapixel photo); more is refused
/// rather than allowed to take the build's memory.
const MAX_PIXELS: u64 = 100_000_000;

/// What is wrong with an image, in words for its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError {
    /// What is wrong, as the end of a sentence about the image: "cannot be read: …",
    /// "is not a JPEG, PNG, WebP or GIF image".
    pub message: String,
    /// What to do.
    pub help: String,
}

impl ImageError {
    fn unreadable(reason: impl std::fmt::Display) -> Self {
        ImageError {
            message: format!("cannot be read: {reason}"),
            help: "open it in an image editor and save it again as JPEG, PNG, WebP or GIF".into(),
        }
    }
}

/// A decoded image, oriented as it is meant to be seen, as 8-bit pixels.
#[derive(Debug)]
pub(crate) struct Pixels {
    image: Image<'static>,
    alpha: bool,
}

impl Pixels {
    /// Width in pixels.
    pub(crate) fn width(&self) -> u32 {
        self.image.width()
    }

    /// Height in pixels.
    pub(crate) fn height(&self) -> u32 {
        self.image.height()
    }
}

/// The format, and the size as shown (the EXIF orientation applied), from the header
/// alone.
pub(crate) fn probe(bytes: &[u8]) -> Result<(Format, u32, u32), ImageError> {
    let (format, mut decoder) = open(bytes)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let (width, height) = if swaps_sides(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok((format, width, height))
}

/// The EXIF orientation of the image in `bytes`, 1 (upright) to 8; 1 when it has none.
pub(crate) fn orientation(bytes: &[u8]) -> u8 {
    open(bytes)
        .ok()
        .and_then(|(_, mut decoder)| decoder.orientation().ok())
        .map_or(1, image::metadata::Orientation::to_exif)
}

/// Decodes the whole image (the first frame of an animation) and turns it upright.
pub(crate) fn decode(bytes: &[u8]) -> Result<Pixels, ImageError> {
    let (_, mut decoder) = open(bytes)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(ImageError::unreadable)?;
    image.apply_orientation(orientation);
    let (width, height) = (image.width(), image.height());
    let alpha = image.color().has_alpha();
    let (buffer, pixel_type) = if alpha {
        (image.into_rgba8().into_raw(), PixelType::U8x4)
    } else {
        (image.into_rgb8().into_raw(), PixelType::U8x3)
    };
    let image =
        Image::from_vec_u8(width, height, buffer, pixel_type).map_err(ImageError::unreadable)?;
    Ok(Pixels { image, alpha })
}

/// `pixels` resized for `op`, or a copy at the same size when `op` keeps it.
pub(crate) fn resize(pixels: &Pixels, op: Op) -> Result<Pixels, ImageError> {
    let (width, height) = op.target(pixels.width(), pixels.height());
    let mut resized = Image::new(width, height, pixels.image.pixel_type());
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if let Op::Fill(..) = op {
        options = options.fit_into_destination(None);
    }
    Resizer::new()
        .resize(&pixels.image, &mut resized, &options)
        .map_err(|error| ImageError {
            message: format!("cannot be resized: {error}"),
            help: "save it again at a usual size".into(),
        })?;
    Ok(Pixels {
        image: resized,
        alpha: pixels.alpha,
    })
}

/// `pixels` encoded as `encoding` at `quality` (1 to 100; PNG is lossless), with no
/// metadata.
pub(crate) fn encode(
    pixels: &Pixels,
    encoding: Encoding,
    quality: u8,
) -> Result<Vec<u8>, ImageError> {
    use image::ImageEncoder;
    let (width, height) = (pixels.width(), pixels.height());
    let buffer = pixels.image.buffer();
    let color = if pixels.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let failed = |reason: String| ImageError {
        message: format!(
            "cannot be saved as {} at {width}×{height}: {reason}",
            encoding.name()
        ),
        help: "choose other sizes for it".into(),
    };
    let mut out = Vec::new();
    match encoding {
        Encoding::Webp => {
            let encoder = if pixels.alpha {
                webp::Encoder::from_rgba(buffer, width, height)
            } else {
                webp::Encoder::from_rgb(buffer, width, height)
            };
            let encoded = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|error| failed(format!("{error:?}")))?;
            out.extend_from_slice(&encoded);
        }
        Encoding::Jpeg => {
            let flat = if pixels.alpha {
                // JPEG has no transparency: lay the image on white.
                std::borrow::Cow::Owned(on_white(buffer))
            } else {
                std::borrow::Cow::Borrowed(buffer)
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(&flat, width, height, image::ExtendedColorType::Rgb8)
                .map_err(|error| failed(error.to_string()))?;
        }
        Encoding::Png => {
            image::codecs::png::PngEncoder::new(&mut out)
                .write_image(buffer, width, height, color)
                .map_err(|error| failed(error.to_string()))?;
        }
    }
    Ok(out)
}

/// RGBA pixels blended onto white, as RGB.
fn on_white(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|px| {
            let alpha = u16::from(px[3]);
            let blend = move |c: u8| ((u16::from(c) * alpha + 255 * (255 - alpha)) / 255) as u8;
            [blend(px[0]), blend(px[1]), blend(px[2])]
        })
        .collect()
}

/// A decoder for `bytes`, which must be one of the formats cairn resizes.
fn open(bytes: &[u8]) -> Result<(Format, Box<dyn ImageDecoder + '_>), ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(ImageError::unreadable)?;
    let format = reader.format().and_then(Format::from_image);
    let Some(format) = format else {
        return Err(ImageError {
            message: "is not a JPEG, PNG, WebP or GIF image".into(),
            help: "check that the file is the image you meant (its content, not only its name); save it again as JPEG, PNG, WebP or GIF".into(),
        });
    };
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(ImageError::unreadable)?;
    Ok((format, Box::new(decoder)))
}

fn check_size(width: u32, height: u32) -> Result<(), ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::unreadable("it has no pixels"));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError {
            message: format!(
                "is {width}×{height} pixels, more than cairn resizes ({} megapixels)",
                MAX_PIXELS / 1_000_000
            ),
            help: "scale it down in an image editor first".into(),
        });
    }
    Ok(())
}

/// True for the EXIF orientations that turn the image by a quarter.
fn swaps_sides(orientation: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::{Rotate90, Rotate90FlipH, Rotate270, Rotate270FlipH};
    matches!(
        orientation,
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([
                (x * 7) as u8,
                (y * 5) as u8,
                90,
                if x < 4 { 0 } else { 255 },
            ])
        });
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_png_is_probed_resized_and_encoded_with_its_alpha() {
        let bytes = png(40, 20);
        assert_eq!(probe(&bytes).unwrap(), (Format::Png, 40, 20));
        let pixels = decode(&bytes).unwrap();
        let small = resize(&pixels, Op::FitWidth(10)).unwrap();
        assert_eq!((small.width(), small.height()), (10, 5));
        let webp = encode(&small, Encoding::Webp, 80).unwrap();
        let back = image::load_from_memory(&webp).unwrap();
        assert_eq!((back.width(), back.height()), (10, 5));
        assert!(back.color().has_alpha());
        let jpeg = encode(&small, Encoding::Jpeg, 80).unwrap();
        assert_eq!(
            image::guess_format(&jpeg).unwrap(),
            image::ImageFormat::Jpeg
        );
    }

    #[test]
    fn bytes_that_are_no_image_are_refused_in_plain_words() {
        let error = probe(b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap_err();
        assert_eq!(error.message, "is not a JPEG, PNG, WebP or GIF image");
        let mut truncated = png(40, 20);
        truncated.truncate(60);
        let error = decode(&truncated).unwrap_err();
        assert!(error.message.starts_with("cannot be read"), "{error:?}");
    }

    #[test]
    fn white_shows_through_transparency() {
        assert_eq!(
            on_white(&[0, 0, 0, 0, 10, 20, 30, 255]),
            [255, 255, 255, 10, 20, 30]
        );
    }
}
