//! Reading an uploaded picture safely, for avatars and post pictures
//! alike: recognised by its bytes, never by its name; decompression bombs
//! and extreme sizes refused before anything large is allocated; the EXIF
//! orientation read so the result can be turned upright; scaling
//! (fast_image_resize: SIMD, in the image's own pixel type); and
//! re-encoding as JPEG (jpeg-encoder), which leaves every piece of metadata
//! behind.

use std::io::Cursor;

use fast_image_resize as fir;
use image::metadata::Orientation;
use image::{
    DynamicImage, ImageBuffer, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, Pixel,
    RgbImage,
};
use jpeg_encoder::{ChromaSubsamplingMethod, ColorType, Encoder};

/// How the JPEG's colour is sampled: `R_4_2_0` (half the colour resolution
/// each way: smaller and faster, fine for photos) or `R_4_4_4` (full).
pub use jpeg_encoder::SamplingFactor;

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
        image::Rgb([blend_u8(r, a), blend_u8(g, a), blend_u8(b, a)])
    })
}

/// `image` with its transparent areas made white (JPEG has no alpha), in
/// place: each colour channel blended over white by the pixel's alpha (as
/// [`flatten`] does), which becomes opaque. The pixel type is kept, so the
/// decoded image is not copied; an image without alpha is returned as is.
pub fn over_white(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLumaA8(mut buffer) => {
            blend_in_place(&mut buffer, blend_u8, u8::MAX);
            DynamicImage::ImageLumaA8(buffer)
        }
        DynamicImage::ImageRgba8(mut buffer) => {
            blend_in_place(&mut buffer, blend_u8, u8::MAX);
            DynamicImage::ImageRgba8(buffer)
        }
        DynamicImage::ImageLumaA16(mut buffer) => {
            blend_in_place(&mut buffer, blend_u16, u16::MAX);
            DynamicImage::ImageLumaA16(buffer)
        }
        DynamicImage::ImageRgba16(mut buffer) => {
            blend_in_place(&mut buffer, blend_u16, u16::MAX);
            DynamicImage::ImageRgba16(buffer)
        }
        // Floating point (none of the accepted formats decodes to it) or a
        // pixel type added to the crate later: converted whole, once.
        other if other.color().has_alpha() => {
            let mut buffer = other.into_rgba8();
            blend_in_place(&mut buffer, blend_u8, u8::MAX);
            DynamicImage::ImageRgba8(buffer)
        }
        opaque => opaque,
    }
}

/// Blends the colour channels of every pixel of `buffer` over white by its
/// alpha, the last channel, which then becomes `opaque`.
fn blend_in_place<P: Pixel>(
    buffer: &mut ImageBuffer<P, Vec<P::Subpixel>>,
    blend: impl Fn(P::Subpixel, P::Subpixel) -> P::Subpixel,
    opaque: P::Subpixel,
) {
    for pixel in buffer.pixels_mut() {
        if let Some((alpha, colours)) = pixel.channels_mut().split_last_mut() {
            for colour in colours {
                *colour = blend(*colour, *alpha);
            }
            *alpha = opaque;
        }
    }
}

/// One 8-bit colour channel with alpha `a`, over white.
fn blend_u8(c: u8, a: u8) -> u8 {
    let value = (u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255;
    u8::try_from(value).unwrap_or(u8::MAX)
}

/// One 16-bit colour channel with alpha `a`, over white.
fn blend_u16(c: u16, a: u16) -> u16 {
    let max = u32::from(u16::MAX);
    let value = (u32::from(c) * u32::from(a) + max * (max - u32::from(a))) / max;
    u16::try_from(value).unwrap_or(u16::MAX)
}

/// `image` resampled to `(width, height)` (Lanczos3), in its own pixel
/// type; returned as it is when already that size, so nothing is copied.
/// Alpha is not weighted: make the image opaque first ([`over_white`]).
pub fn scale(
    image: DynamicImage,
    (width, height): (u32, u32),
) -> Result<DynamicImage, PictureError> {
    if (image.width(), image.height()) == (width, height) {
        return Ok(image);
    }
    let mut scaled = DynamicImage::new(width, height, image.color());
    resize_into(&image, &mut scaled)?;
    Ok(scaled)
}

/// Resamples `source` to the size of `target` (Lanczos3), which must have
/// the same pixel type. Alpha is not weighted (no premultiplied copy of the
/// source is made): the images are opaque by then.
pub(super) fn resize_into(
    source: &impl fir::IntoImageView,
    target: &mut impl fir::IntoImageViewMut,
) -> Result<(), PictureError> {
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3))
        .use_alpha(false);
    fir::Resizer::new()
        .resize(source, target, &options)
        .map_err(|error| PictureError::Encode(format!("resizing: {error}")))
}

/// `image` as a baseline JPEG at `JPEG_QUALITY`, its colour sampled as
/// `sampling` says; nothing but the pixels is written (no EXIF).
pub fn encode_jpeg(image: &RgbImage, sampling: SamplingFactor) -> Result<Vec<u8>, PictureError> {
    let too_large = |_: std::num::TryFromIntError| {
        PictureError::Encode(format!(
            "{}×{} is too large for a JPEG",
            image.width(),
            image.height()
        ))
    };
    let width = u16::try_from(image.width()).map_err(too_large)?;
    let height = u16::try_from(image.height()).map_err(too_large)?;
    let mut bytes = Vec::new();
    let mut encoder = Encoder::new(&mut bytes, JPEG_QUALITY);
    encoder.set_sampling_factor(sampling);
    // Each subsampled colour is the average of its pixels (as libjpeg
    // does), not the top-left one's, which would fringe coloured edges.
    encoder.set_chroma_subsampling_method(ChromaSubsamplingMethod::Average);
    encoder
        .encode(image.as_raw(), width, height, ColorType::Rgb)
        .map_err(|e| PictureError::Encode(e.to_string()))?;
    Ok(bytes)
}
