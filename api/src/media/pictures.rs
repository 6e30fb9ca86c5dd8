//! Pictures for posts (and later messages): turned upright, scaled to fit
//! 1600 pixels on the long side (never up) and to a 400-pixel thumbnail,
//! their proportions kept, and stored as JPEG without metadata under
//! unguessable names.
//!
//! Memory: like avatars (see there), the upload, the decoded image (at most
//! 80 MiB) and two scaled copies (at most 1600 × 1600 × 3 bytes, under
//! 8 MiB): about 100 MiB per processing at worst, and the image threads
//! bound how many run at once.

use std::path::{Path, PathBuf};

use image::imageops::FilterType;
use image::{DynamicImage, imageops};

use super::decoding::{PictureError, decode, encode_jpeg, flatten};

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
    // Scaled first, then turned: turning the smaller image is cheaper.
    let mut display = fit(&image, DISPLAY);
    drop(image);
    display.apply_orientation(orientation);
    let display = flatten(&display);
    let (width, height) = display.dimensions();
    let (thumb_width, thumb_height) = fitted((width, height), THUMBNAIL);
    let thumbnail = imageops::resize(&display, thumb_width, thumb_height, FilterType::Lanczos3);
    Ok(ProcessedPicture {
        display: encode_jpeg(&display)?,
        display_size: (width, height),
        thumbnail: encode_jpeg(&thumbnail)?,
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
    let scale = |side: u32| {
        let scaled = u64::from(side) * u64::from(longest) / u64::from(long);
        u32::try_from(scaled).unwrap_or(longest).max(1)
    };
    (scale(width), scale(height))
}

/// `image` scaled to fit `longest`, averaged down first when much larger
/// (cheap, sized from the target), then resampled with Lanczos.
fn fit(image: &DynamicImage, longest: u32) -> DynamicImage {
    let (width, height) = fitted((image.width(), image.height()), longest);
    if (width, height) == (image.width(), image.height()) {
        return image.clone();
    }
    if image.width().max(image.height()) > 2 * longest {
        let (half_width, half_height) = fitted((image.width(), image.height()), 2 * longest);
        image.thumbnail_exact(half_width, half_height).resize_exact(
            width,
            height,
            FilterType::Lanczos3,
        )
    } else {
        image.resize_exact(width, height, FilterType::Lanczos3)
    }
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
    use super::*;

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
