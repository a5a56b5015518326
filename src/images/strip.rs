//! The originals of content photos, published without their metadata.
//!
//! A photo beside a page is published at its own URL too (a link may point at it), and a
//! phone writes the place it was taken into it. cairn publishes a copy without EXIF, XMP,
//! IPTC, comments and text chunks, made without decoding: the pixels, and the colour
//! profile, are the very bytes of the original. Only the orientation survives, in an EXIF
//! block of its own, so the photo still shows upright.
//!
//! `img-parts` reads and writes the containers (JPEG segments, PNG chunks, WebP's RIFF
//! chunks); it is small, pure Rust, and keeps everything it is not asked to change.

use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

use super::Format;

/// PNG chunks that hold text or metadata.
const PNG_METADATA: [[u8; 4]; 5] = [*b"eXIf", *b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"];

/// `bytes` (a `format` image whose EXIF orientation is `orientation`, 1 to 8) without its
/// metadata; `None` when its container cannot be read (it is then not published stripped).
pub(crate) fn strip(bytes: Vec<u8>, format: Format, orientation: u8) -> Option<Vec<u8>> {
    let exif = (orientation > 1 && orientation <= 8).then(|| only_orientation(orientation));
    let bytes = Bytes::from(bytes);
    let stripped = match format {
        Format::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(bytes).ok()?;
            // APP1 holds EXIF and XMP, APP13 IPTC; COM is free text.
            for marker in [markers::APP1, markers::APP13, markers::COM] {
                jpeg.remove_segments_by_marker(marker);
            }
            jpeg.set_exif(exif);
            jpeg.encoder().bytes()
        }
        Format::Png => {
            let mut png = Png::from_bytes(bytes).ok()?;
            for kind in PNG_METADATA {
                png.remove_chunks_by_type(kind);
            }
            png.set_exif(exif);
            png.encoder().bytes()
        }
        Format::Webp => {
            let mut webp = WebP::from_bytes(bytes).ok()?;
            webp.remove_chunks_by_id(*b"XMP ");
            webp.set_exif(exif);
            webp.encoder().bytes()
        }
        Format::Gif => return None,
    };
    Some(stripped.to_vec())
}

/// An EXIF block (big-endian TIFF) holding only an orientation.
fn only_orientation(orientation: u8) -> Bytes {
    let mut tiff: Vec<u8> = b"MM\0*".to_vec();
    tiff.extend(8u32.to_be_bytes());
    tiff.extend(1u16.to_be_bytes());
    tiff.extend(0x0112u16.to_be_bytes());
    tiff.extend(3u16.to_be_bytes());
    tiff.extend(1u32.to_be_bytes());
    tiff.extend([0, orientation, 0, 0]);
    tiff.extend(0u32.to_be_bytes());
    Bytes::from(tiff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orientation_block_is_read_back_by_a_decoder() {
        use image::ImageDecoder;
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&image::RgbImage::new(4, 2))
            .unwrap();
        let turned = strip(jpeg, Format::Jpeg, 6).unwrap();
        let mut decoder =
            image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(&turned)).unwrap();
        assert_eq!(
            decoder.orientation().unwrap(),
            image::metadata::Orientation::Rotate90
        );
    }
}
