//! Reading an uploaded picture safely, for avatars and post pictures
//! alike: recognised by its bytes, never by its name; decompression bombs
//! and extreme sizes refused before anything large is allocated; the EXIF
//! orientation read so the result can be turned upright; and re-encoding as
//! JPEG, which leaves every piece of metadata behind.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};

/// Decompression-bomb guards: no side over 12k pixels, at most 80 MiB
/// decoded (a 27-megapixel photo, or 20 megapixels with transparency).
pub const MAX_SIDE: u32 = 12_000;
pub const MAX_DECODED_BYTES: u64 = 80 * 1024 * 1024;
const JPEG_QUALITY: u8 = 85;

#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    UnsupportedType,
    #[error("the image is damaged or incomplete")]
    Undecodable,
    #[error("the image is too large (at most {MAX_SIDE}×{MAX_SIDE} pixels)")]
    TooLarge,
    #[error("the image is too small")]
    TooSmall,
    #[error("the image is too long and narrow")]
    TooNarrow,
    #[error("could not encode the picture: {0}")]
    Encode(String),
}

/// Decodes `upload` (JPEG, PNG, WebP, or a GIF's first frame) once
/// `check_shape` accepts its dimensions, which are read before decoding;
/// with the orientation to apply to whatever is made of it.
pub fn decode(
    upload: &[u8],
    check_shape: impl FnOnce((u32, u32)) -> Result<(), PictureError>,
) -> Result<(DynamicImage, Orientation), PictureError> {
    let reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| PictureError::UnsupportedType)?;
    match reader.format() {
        // The JPEG decoder fills missing scanlines with grey instead of failing.
        Some(ImageFormat::Jpeg) if !jpeg_is_complete(upload) => {
            return Err(PictureError::Undecodable);
        }
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif) => {}
        _ => return Err(PictureError::UnsupportedType),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    let mut reader = reader;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(classify)?;
    check_shape(decoder.dimensions())?;
    let orientation = decoder.orientation().map_err(classify)?;
    // For an animated GIF this is the first frame.
    let image = DynamicImage::from_decoder(decoder).map_err(classify)?;
    Ok((image, orientation))
}

/// Walks the JPEG's segments to the first scan, then looks for the
/// end-of-image marker after it. Segment lengths are followed, so markers
/// inside metadata (such as an EXIF thumbnail) do not count.
pub(super) fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if marker == 0xDA {
            let scan = at + 2 + length;
            return bytes
                .get(scan..)
                .is_some_and(|rest| rest.windows(2).any(|w| w == [0xFF, 0xD9]));
        }
        at += 2 + length;
    }
    false
}

fn classify(error: ImageError) -> PictureError {
    match error {
        ImageError::Limits(_) => PictureError::TooLarge,
        ImageError::Unsupported(_) => PictureError::UnsupportedType,
        _ => PictureError::Undecodable,
    }
}

/// Transparent areas become white: JPEG has no alpha.
pub fn flatten(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| -> u8 {
            let value = (u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255;
            u8::try_from(value).unwrap_or(u8::MAX)
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

pub fn encode_jpeg(image: &RgbImage) -> Result<Vec<u8>, PictureError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|e| PictureError::Encode(e.to_string()))?;
    Ok(bytes)
}
