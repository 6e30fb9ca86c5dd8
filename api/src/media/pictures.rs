//! Pictures for posts (and later messages): turned upright, scaled to fit
//! 1600 pixels on the long side (never up) and to a 400-pixel thumbnail,
//! their proportions kept, and stored as JPEG without metadata under
//! unguessable names.
//!
//! Memory: the upload (at most 10 MiB) and the decoded image (at most
//! 80 MiB), made opaque in place; while it is scaled, the resampler's
//! intermediate pass (the source's width by the display's height, or the
//! other way round: the decoded image times the scale, at most 40 MiB) and
//! the display-sized result (at most 1600 × 1600 in the decoded pixel type,
//! 20 MiB for 16-bit RGBA); after that only the display and thumbnail
//! (under 8 MiB as RGB). About 150 MiB per processing at worst (a 16-bit
//! RGBA PNG of some 3200 pixels a side), about 60 MiB for a 12-megapixel
//! photo; the image threads bound how many run at once.

use std::path::{Path, PathBuf};

use image::RgbImage;

use super::decoding::{
    PictureError, SamplingFactor, decode, encode_jpeg, over_white, resize_into, scale,
};

/// The longest side a picture is shown at.
pub const DISPLAY: u32 = 1600;
/// The longest side of its thumbnail.
pub const THUMBNAIL: u32 = 400;

/// A processed picture: both sizes, encoded, with their dimensions.
pub struct ProcessedPicture {
    pub display: Vec<u8>,
    pub display_size: (u32, u32),
    pub thumbnail: Vec<u8>,
    pub thumbnail_size: (u32, u32),
}

/// CPU-heavy: call from the blocking pool.
pub fn process(upload: &[u8]) -> Result<ProcessedPicture, PictureError> {
    let (image, orientation) = decode(upload, |_| Ok(()))?;
    let image = over_white(image);
    // One resampling, straight to the display size, which frees the decoded
    // image (a picture already small enough is kept, not copied); turned
    // upright after, as turning the smaller image is cheaper.
    let size = fitted((image.width(), image.height()), DISPLAY);
    let mut display = scale(image, size)?;
    display.apply_orientation(orientation);
    let display = display.into_rgb8();
    let (width, height) = display.dimensions();
    let (thumb_width, thumb_height) = fitted((width, height), THUMBNAIL);
    let mut thumbnail = RgbImage::new(thumb_width, thumb_height);
    resize_into(&display, &mut thumbnail)?;
    // Photos lose nothing visible with their colour at half resolution.
    Ok(ProcessedPicture {
        display: encode_jpeg(&display, SamplingFactor::R_4_2_0)?,
        display_size: (width, height),
        thumbnail: encode_jpeg(&thumbnail, SamplingFactor::R_4_2_0)?,
        thumbnail_size: (thumb_width, thumb_height),
    })
}

/// The size that fits `(width, height)` within `longest` on its long side,
/// keeping its proportions; never larger than it was, never 0.
pub fn fitted((width, height): (u32, u32), longest: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= longest {
        return (width.max(1), height.max(1));
    }
    let shrink = |side: u32| {
        let scaled = u64::from(side) * u64::from(longest) / u64::from(long);
        u32::try_from(scaled).unwrap_or(longest).max(1)
    };
    (shrink(width), shrink(height))
}

/// Picture files under `<data dir>/media/uploads/`.
#[derive(Clone)]
pub struct PictureStore {
    dir: PathBuf,
}

impl PictureStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("media").join("uploads"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes both sizes under a new random key and returns it; both or
    /// neither. Blocking file I/O.
    pub fn save(&self, picture: &ProcessedPicture) -> std::io::Result<String> {
        let mut nonce = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut nonce);
        let key: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::create_dir_all(&self.dir)?;
        let mut written = Vec::new();
        let mut write_both = || {
            for (path, bytes) in [
                (self.display_path(&key), &picture.display),
                (self.thumbnail_path(&key), &picture.thumbnail),
            ] {
                let partial = path.with_extension("partial");
                written.push(partial.clone());
                std::fs::write(&partial, bytes)?;
                std::fs::rename(&partial, &path)?;
                written.push(path);
            }
            Ok(())
        };
        let outcome = write_both();
        if outcome.is_err() {
            for path in written {
                // Best effort: the error being returned matters more.
                let _ = std::fs::remove_file(path);
            }
        }
        outcome.map(|()| key)
    }

    /// Removes both sizes; files already gone are fine.
    pub fn delete(&self, key: &str) -> std::io::Result<()> {
        for path in [self.display_path(key), self.thumbnail_path(key)] {
            match std::fs::remove_file(path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
                _ => {}
            }
        }
        Ok(())
    }

    pub fn display_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.jpg"))
    }

    pub fn thumbnail_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}-thumb.jpg"))
    }
}

/// Where a picture is served: `(display, thumbnail)`.
pub fn urls(key: &str) -> (String, String) {
    (
        format!("/media/uploads/{key}.jpg"),
        format!("/media/uploads/{key}-thumb.jpg"),
    )
}

/// A stored file name is `<32 hex>.jpg` or `<32 hex>-thumb.jpg`; anything
/// else (such as `../`) is not ours to serve.
pub fn is_stored_file_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".jpg") else {
        return false;
    };
    let key = stem.strip_suffix("-thumb").unwrap_or(stem);
    key.len() == 32
        && key
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use image::{DynamicImage, GenericImageView, ImageBuffer, Luma, LumaA, Rgb, Rgba};

    use super::*;

    /// `image` as the bytes of a PNG upload.
    fn png(image: &DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .expect("encodes");
        bytes
    }

    fn decoded(jpeg: &[u8]) -> DynamicImage {
        image::load_from_memory(jpeg).expect("a JPEG that decodes")
    }

    #[test]
    fn pictures_fit_their_long_side_and_keep_their_proportions() {
        assert_eq!(fitted((4000, 3000), 1600), (1600, 1200));
        assert_eq!(fitted((3000, 4000), 1600), (1200, 1600));
        assert_eq!(fitted((800, 600), 1600), (800, 600), "never enlarged");
        assert_eq!(fitted((12000, 3), 400), (400, 1), "never 0");
    }

    #[test]
    fn a_photo_is_scaled_turned_and_thumbnailed() {
        let photo = DynamicImage::new_rgb8(2400, 1200);
        let mut bytes = Vec::new();
        photo
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .expect("encodes");
        let picture = process(&bytes).expect("processes");
        assert_eq!(picture.display_size, (1600, 800));
        assert_eq!(picture.thumbnail_size, (400, 200));
        assert!(picture.display.starts_with(&[0xFF, 0xD8]), "a JPEG");
    }

    #[test]
    fn a_transparent_half_is_scaled_and_becomes_white() {
        let half = image::RgbaImage::from_fn(2400, 1200, |x, _| {
            if x < 1200 {
                Rgba([200, 30, 30, 255])
            } else {
                Rgba([0, 0, 0, 0])
            }
        });
        let picture = process(&png(&DynamicImage::ImageRgba8(half))).expect("processes");
        assert_eq!(picture.display_size, (1600, 800));
        assert_eq!(picture.thumbnail_size, (400, 200));
        let display = decoded(&picture.display);
        assert_eq!(display.dimensions(), (1600, 800));
        let red = display.get_pixel(300, 400).0;
        assert!(
            red[0] > 180 && red[1] < 60 && red[2] < 60,
            "red on the left: {red:?}"
        );
        let white = display.get_pixel(1300, 400).0;
        assert!(
            white[..3].iter().all(|&c| c >= 250),
            "white on the right: {white:?}"
        );
        let thumbnail = decoded(&picture.thumbnail);
        assert_eq!(thumbnail.dimensions(), (400, 200));
        let white = thumbnail.get_pixel(350, 100).0;
        assert!(
            white[..3].iter().all(|&c| c >= 250),
            "a white thumbnail too: {white:?}"
        );
    }

    #[test]
    fn transparency_is_blended_over_white_in_the_image_own_pixel_type() {
        let half_black = over_white(DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            1,
            1,
            Rgba([0, 0, 0, 128]),
        )));
        assert_eq!(
            half_black.as_rgba8().map(|buffer| buffer.get_pixel(0, 0).0),
            Some([127, 127, 127, 255])
        );
        let clear = over_white(DynamicImage::ImageLumaA16(ImageBuffer::from_pixel(
            1,
            1,
            LumaA([0u16, 0]),
        )));
        assert_eq!(
            clear
                .as_luma_alpha16()
                .map(|buffer| buffer.get_pixel(0, 0).0),
            Some([u16::MAX, u16::MAX])
        );
    }

    #[test]
    fn a_16_bit_png_is_scaled_and_thumbnailed() {
        let red =
            DynamicImage::ImageRgb16(ImageBuffer::from_pixel(2000, 1000, Rgb([u16::MAX, 0, 0])));
        let bytes = png(&red);
        let (image, _) = decode(&bytes, |_| Ok(())).expect("decodes");
        assert_eq!(image.color(), image::ColorType::Rgb16, "still 16-bit");
        let picture = process(&bytes).expect("processes");
        assert_eq!(picture.display_size, (1600, 800));
        assert_eq!(picture.thumbnail_size, (400, 200));
        let display = decoded(&picture.display);
        assert_eq!(display.dimensions(), (1600, 800));
        let pixel = display.get_pixel(800, 400).0;
        assert!(
            pixel[0] > 240 && pixel[1] < 20 && pixel[2] < 20,
            "red: {pixel:?}"
        );
    }

    #[test]
    fn a_grey_image_is_scaled_only_when_too_large() {
        for (size, display_size, thumbnail_size) in [
            ((900, 1800), (800, 1600), (200, 400)),
            ((300, 500), (300, 500), (240, 400)),
        ] {
            let grey =
                DynamicImage::ImageLuma8(ImageBuffer::from_pixel(size.0, size.1, Luma([128])));
            let picture = process(&png(&grey)).expect("processes");
            assert_eq!(picture.display_size, display_size, "{size:?}");
            assert_eq!(picture.thumbnail_size, thumbnail_size, "{size:?}");
            let display = decoded(&picture.display);
            assert_eq!(display.dimensions(), display_size);
            let pixel = display.get_pixel(display_size.0 / 2, display_size.1 / 2).0;
            assert!(
                pixel[..3].iter().all(|&c| c.abs_diff(128) <= 3),
                "grey: {pixel:?}"
            );
            assert_eq!(
                decoded(&picture.thumbnail).dimensions(),
                thumbnail_size,
                "{size:?}"
            );
        }
    }

    #[test]
    fn only_stored_file_names_are_served() {
        let key = "0123456789abcdef0123456789abcdef";
        assert!(is_stored_file_name(&format!("{key}.jpg")));
        assert!(is_stored_file_name(&format!("{key}-thumb.jpg")));
        for bad in [
            "../etc/passwd",
            "x.jpg",
            &format!("{key}.png"),
            &key.to_uppercase(),
        ] {
            assert!(!is_stored_file_name(bad), "{bad}");
        }
    }
}
