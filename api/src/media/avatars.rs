//! Avatars: decode an upload (recognised by its bytes), scale its centred
//! square down, apply the EXIF orientation, and re-encode as JPEG so no
//! metadata survives. Files get unguessable, content-derived names.
//!
//! Memory: one processing holds the upload (at most 10 MiB), the decoded
//! image (at most [`MAX_DECODED_BYTES`], 80 MiB, which the decoder's own
//! limits enforce) and a few images of 256 to 512 pixels a side (under
//! 4 MiB). Scaling reads the decoded image in place and sizes its buffers
//! from the target, never from the source's proportions, so no shape of
//! image can make it larger: about 100 MiB per processing at worst, and the
//! image threads (`IMAGE_THREADS`) bound how many run at once.

use std::path::{Path, PathBuf};

use image::imageops::FilterType;
use image::{DynamicImage, imageops};
use sha2::{Digest, Sha256};

pub use super::decoding::{MAX_DECODED_BYTES, PictureError as AvatarError};
use super::decoding::{SamplingFactor, decode, encode_jpeg, flatten};

pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
pub const LARGE: u32 = 256;
pub const SMALL: u32 = 64;
/// Shorter sides than this make no recognisable avatar.
pub const MIN_SIDE: u32 = 32;
/// A longer side more than this many times the shorter one is a strip, not
/// a picture: its centred square would be a sliver.
pub const MAX_ASPECT_RATIO: u32 = 10;

/// The two re-encoded sizes of one avatar.
pub struct ProcessedAvatar {
    pub large: Vec<u8>,
    pub small: Vec<u8>,
}

/// CPU-heavy: call from the blocking pool.
pub fn process(upload: &[u8]) -> Result<ProcessedAvatar, AvatarError> {
    let (image, orientation) = decode(upload, check_shape)?;
    // Turning the image upright maps its centred square onto the upright
    // one, so it is cheaper to orient the small result than the whole image.
    let mut large = centred_square(&image, LARGE);
    drop(image);
    large.apply_orientation(orientation);
    let large = flatten(&large);
    let small = imageops::resize(&large, SMALL, SMALL, FilterType::Lanczos3);
    // Full colour resolution: at 64 pixels halving it would smear colours
    // across a face's edges.
    Ok(ProcessedAvatar {
        large: encode_jpeg(&large, SamplingFactor::R_4_4_4)?,
        small: encode_jpeg(&small, SamplingFactor::R_4_4_4)?,
    })
}

/// Refuses, before decoding, what would make no avatar.
fn check_shape((width, height): (u32, u32)) -> Result<(), AvatarError> {
    let (shorter, longer) = (width.min(height), width.max(height));
    if shorter < MIN_SIDE {
        return Err(AvatarError::TooSmall);
    }
    if longer > shorter.saturating_mul(MAX_ASPECT_RATIO) {
        return Err(AvatarError::TooNarrow);
    }
    Ok(())
}

/// The centred square of `image` scaled to `side` × `side`, in the image's
/// own pixel type. The crop is a view, not a copy; a large square is first
/// averaged down to twice the side (cheap, and sized from the target), then
/// resampled with Lanczos.
fn centred_square(image: &DynamicImage, side: u32) -> DynamicImage {
    let (width, height) = (image.width(), image.height());
    let edge = width.min(height);
    let (x, y) = ((width - edge) / 2, (height - edge) / 2);
    macro_rules! scaled {
        ($buffer:expr) => {{
            let square = imageops::crop_imm($buffer, x, y, edge, edge);
            if edge > 2 * side {
                let halfway = imageops::thumbnail(&*square, 2 * side, 2 * side);
                DynamicImage::from(imageops::resize(&halfway, side, side, FilterType::Lanczos3))
            } else {
                DynamicImage::from(imageops::resize(&*square, side, side, FilterType::Lanczos3))
            }
        }};
    }
    match image {
        DynamicImage::ImageLuma8(buffer) => scaled!(buffer),
        DynamicImage::ImageLumaA8(buffer) => scaled!(buffer),
        DynamicImage::ImageRgb8(buffer) => scaled!(buffer),
        DynamicImage::ImageRgba8(buffer) => scaled!(buffer),
        DynamicImage::ImageLuma16(buffer) => scaled!(buffer),
        DynamicImage::ImageLumaA16(buffer) => scaled!(buffer),
        DynamicImage::ImageRgb16(buffer) => scaled!(buffer),
        DynamicImage::ImageRgba16(buffer) => scaled!(buffer),
        DynamicImage::ImageRgb32F(buffer) => scaled!(buffer),
        DynamicImage::ImageRgba32F(buffer) => scaled!(buffer),
        // A pixel type added to the crate later: converted whole, once.
        other => {
            let converted = other.to_rgba8();
            scaled!(&converted)
        }
    }
}

/// Avatar files under `<data dir>/media/avatars/`.
#[derive(Clone)]
pub struct AvatarStore {
    dir: PathBuf,
    secret: Vec<u8>,
}

impl AvatarStore {
    pub fn new(data_dir: &Path, secret: &[u8]) -> Self {
        Self {
            dir: data_dir.join("media").join("avatars"),
            secret: secret.to_vec(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes both sizes and returns their key. Blocking file I/O.
    pub fn save(
        &self,
        user_id: crate::core::UserId,
        avatar: &ProcessedAvatar,
    ) -> std::io::Result<String> {
        // A fresh nonce per upload: the same picture uploaded twice gets two
        // names, so cleaning up after a failed upload never deletes files in use.
        let mut nonce = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut nonce);
        let mut hasher = Sha256::new();
        hasher.update(&self.secret);
        hasher.update(user_id.as_uuid().as_bytes());
        hasher.update(nonce);
        hasher.update(&avatar.large);
        let key: String = hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        std::fs::create_dir_all(&self.dir)?;
        self.write_both(&key, avatar, |path, bytes| std::fs::write(path, bytes))?;
        Ok(key)
    }

    /// Both sizes or neither: when a write fails (a full disk, say), whatever
    /// was written of this upload is removed again.
    fn write_both(
        &self,
        key: &str,
        avatar: &ProcessedAvatar,
        mut write: impl FnMut(&Path, &[u8]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut written = Vec::new();
        let mut write_all = || {
            for (size, bytes) in [(LARGE, &avatar.large), (SMALL, &avatar.small)] {
                let path = self.path(key, size);
                let partial = path.with_extension("partial");
                written.push(partial.clone());
                write(&partial, bytes)?;
                std::fs::rename(&partial, &path)?;
                written.push(path);
            }
            Ok(())
        };
        let outcome = write_all();
        if outcome.is_err() {
            for path in written {
                // Best effort: the error being returned matters more.
                let _ = std::fs::remove_file(path);
            }
        }
        outcome
    }

    /// Removes both sizes; a file already gone is fine.
    pub fn delete(&self, key: &str) -> std::io::Result<()> {
        for size in [LARGE, SMALL] {
            match std::fs::remove_file(self.path(key, size)) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
                _ => {}
            }
        }
        Ok(())
    }

    pub fn path(&self, key: &str, size: u32) -> PathBuf {
        self.dir.join(format!("{key}-{size}.jpg"))
    }
}

/// A stored file name is `<32 hex>-256.jpg` or `<32 hex>-64.jpg`; anything
/// else (such as `../`) is not ours to serve.
pub fn is_stored_file_name(name: &str) -> bool {
    let Some((key, size)) = name
        .strip_suffix(".jpg")
        .and_then(|stem| stem.split_once('-'))
    else {
        return false;
    };
    key.len() == 32
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && (size == "256" || size == "64")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::decoding::jpeg_is_complete;
    use image::RgbImage;
    use image::codecs::jpeg::JpegEncoder;

    #[test]
    fn a_failed_write_leaves_no_file_behind() {
        let root = std::env::temp_dir().join(format!("noxchat-avatars-{}", uuid::Uuid::new_v4()));
        let store = AvatarStore::new(&root, b"secret");
        let dir = store.dir().to_owned();
        std::fs::create_dir_all(&dir).expect("temp dir");
        let avatar = ProcessedAvatar {
            large: vec![1; 100],
            small: vec![2; 10],
        };
        let mut calls = 0;
        let outcome = store.write_both(
            "0123456789abcdef0123456789abcdef",
            &avatar,
            |path, bytes| {
                calls += 1;
                // The second (64-pixel) write runs out of space half-way.
                std::fs::write(path, &bytes[..bytes.len() / 2])?;
                if calls == 2 {
                    return Err(std::io::Error::other("no space left on device"));
                }
                Ok(())
            },
        );
        assert!(outcome.is_err());
        let left: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        std::fs::remove_dir_all(&root).expect("clean up");
        assert!(left.is_empty(), "left behind: {left:?}");
    }

    #[test]
    fn only_stored_file_names_are_accepted() {
        assert!(is_stored_file_name(
            "0123456789abcdef0123456789abcdef-256.jpg"
        ));
        assert!(is_stored_file_name(
            "0123456789abcdef0123456789abcdef-64.jpg"
        ));
        assert!(!is_stored_file_name("../../secret"));
        assert!(!is_stored_file_name(
            "0123456789abcdef0123456789abcdef-128.jpg"
        ));
        assert!(!is_stored_file_name(
            "0123456789ABCDEF0123456789abcdef-64.jpg"
        ));
    }

    #[test]
    fn a_jpeg_cut_short_is_incomplete() {
        let mut image = Vec::new();
        JpegEncoder::new(&mut image)
            .encode_image(&RgbImage::from_pixel(64, 64, image::Rgb([200, 10, 10])))
            .unwrap();
        assert!(jpeg_is_complete(&image));
        assert!(!jpeg_is_complete(&image[..image.len() - 2]));
        assert!(!jpeg_is_complete(&image[..image.len() / 2]));
    }

    #[test]
    fn text_is_not_an_image() {
        assert!(matches!(
            process(b"hello, I am not a picture"),
            Err(AvatarError::UnsupportedType)
        ));
    }

    #[test]
    fn transparent_pixels_become_white() {
        let image = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            2,
            2,
            image::Rgba([0, 0, 0, 0]),
        ));
        assert_eq!(flatten(&image).get_pixel(0, 0).0, [255, 255, 255]);
    }
}
