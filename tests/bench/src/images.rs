//! Avatar and post-picture processing of a 12-megapixel photo, against
//! decoding the same photo alone; in-process, with the server's own
//! functions, on a blocking thread (the work is CPU-bound).
//!
//! The server decodes at full size with the `image` crate (its JPEG decoder
//! is zune-jpeg), through `media::decoding::decode`, then scales down; the
//! reference is `image::load_from_memory` of the same bytes, which is that
//! same decoder without the server's limits and orientation reading.

use std::hint::black_box;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{ImageEncoder as _, Rgb, RgbImage};
use noxchat::media::{avatars, decoding, pictures};

use crate::context::Context;
use crate::report::{Figure, Report};

/// 12 megapixels, 4:3, as a phone camera takes them.
const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;
const QUALITY: u8 = 90;
/// EXIF orientation 6: the phone was held upright, so the stored landscape
/// pixels are shown turned 90° clockwise, as most phone portraits are.
const EXIF_ORIENTATION: u16 = 6;
/// How much longer than decoding processing may take.
const BEYOND_DECODE_MS: f64 = 60.0;

struct Timings {
    decode: Duration,
    avatar: Duration,
    picture: Duration,
}

pub async fn run(ctx: &Context, report: &mut Report) {
    let runs = if ctx.quick { 3 } else { 5 };
    let timings = tokio::task::spawn_blocking(move || measure(runs))
        .await
        .expect("the image thread finishes")
        .unwrap_or_else(|problem| panic!("images: {problem}"));

    let decode = milliseconds(timings.decode);
    for (name, took) in [
        ("avatar from a 12-MP photo", timings.avatar),
        ("post picture from a 12-MP photo", timings.picture),
    ] {
        let took = milliseconds(took);
        report.push(
            Figure::new("images", name, took, "ms")
                .against("decoding the photo alone", decode, "ms")
                .target("≤ decode + 60 ms", took <= decode + BEYOND_DECODE_MS),
        );
    }
}

/// Medians of `runs` rounds, each timing decoding, the avatar and the post
/// picture one after the other, so that a noisy moment touches all three
/// alike rather than one.
fn measure(runs: usize) -> Result<Timings, String> {
    eprintln!(
        "images: making a {WIDTH}×{HEIGHT} JPEG photo (quality {QUALITY}, EXIF orientation {EXIF_ORIENTATION})"
    );
    let photo = make_photo()?;
    eprintln!("images: the photo is {} KiB", photo.len() / 1024);
    // Also the warm-up: the first decoding's large allocations are not timed.
    check_photo(&photo)?;

    let (mut decode, mut avatar, mut picture) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=runs {
        decode.push(timed(|| {
            image::load_from_memory(&photo).map_err(|error| format!("decoding: {error}"))
        })?);
        avatar.push(timed(|| {
            avatars::process(&photo).map_err(|error| format!("avatar: {error}"))
        })?);
        picture.push(timed(|| {
            pictures::process(&photo).map_err(|error| format!("post picture: {error}"))
        })?);
        eprintln!(
            "images: {round}/{runs}: decoding {:.0} ms, avatar {:.0} ms, post picture {:.0} ms",
            milliseconds(decode[round - 1]),
            milliseconds(avatar[round - 1]),
            milliseconds(picture[round - 1]),
        );
    }
    Ok(Timings {
        decode: median(decode),
        avatar: median(avatar),
        picture: median(picture),
    })
}

/// How long `work` takes, freeing what it made included.
fn timed<T>(work: impl FnOnce() -> Result<T, String>) -> Result<Duration, String> {
    let began = Instant::now();
    drop(black_box(work()?));
    Ok(began.elapsed())
}

/// The server reads the photo as intended: its size, and turned upright.
fn check_photo(photo: &[u8]) -> Result<(), String> {
    let (image, orientation) = decoding::decode(photo, |_| Ok(()))
        .map_err(|error| format!("the server cannot read the photo: {error}"))?;
    if (image.width(), image.height()) != (WIDTH, HEIGHT) {
        return Err(format!(
            "the photo decodes as {}×{}, not {WIDTH}×{HEIGHT}",
            image.width(),
            image.height()
        ));
    }
    if orientation != Orientation::Rotate90 {
        eprintln!(
            "images: the server reads the orientation as {orientation:?}, not Rotate90; measuring without turning"
        );
    }
    Ok(())
}

/// A photo-like JPEG: smooth gradients (sky, walls), mid-frequency texture
/// (foliage, fabric) and sensor grain, so that it compresses as a camera's
/// photo does (a few MiB), not to nothing.
fn make_photo() -> Result<Vec<u8>, String> {
    let across: Vec<f32> = (0..WIDTH)
        .map(|x| {
            let x = x as f32;
            (x * 0.031).sin() + 0.5 * (x * 0.113).sin()
        })
        .collect();
    let down: Vec<f32> = (0..HEIGHT)
        .map(|y| {
            let y = y as f32;
            (y * 0.027).sin() + 0.5 * (y * 0.089).sin()
        })
        .collect();
    let mut grain = Grain(0x9E37_79B9_7F4A_7C15);
    let pixels = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let (fx, fy) = (x as f32 / WIDTH as f32, y as f32 / HEIGHT as f32);
        let shade = 18.0 * across[x as usize] * down[y as usize] + grain.sample();
        let channel = |base: f32| (base + shade).clamp(0.0, 255.0) as u8;
        Rgb([
            channel(60.0 + 150.0 * fx),
            channel(40.0 + 120.0 * fy),
            channel(170.0 - 110.0 * fx * fy),
        ])
    });

    let mut bytes = Vec::with_capacity(8 << 20);
    {
        let mut encoder = JpegEncoder::new_with_quality(&mut bytes, QUALITY);
        encoder
            .set_exif_metadata(exif_with_orientation(EXIF_ORIENTATION))
            .map_err(|error| format!("adding EXIF: {error}"))?;
        encoder
            .encode_image(&pixels)
            .map_err(|error| format!("encoding the photo: {error}"))?;
    }
    Ok(bytes)
}

/// A minimal EXIF block (TIFF, little-endian): IFD0 with one entry,
/// Orientation (0x0112), one SHORT. The encoder adds the `Exif\0\0` header.
fn exif_with_orientation(orientation: u16) -> Vec<u8> {
    let mut exif = Vec::with_capacity(26);
    exif.extend_from_slice(b"II");
    exif.extend_from_slice(&42u16.to_le_bytes());
    exif.extend_from_slice(&8u32.to_le_bytes()); // IFD0 right after the header
    exif.extend_from_slice(&1u16.to_le_bytes()); // one entry
    exif.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    exif.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    exif.extend_from_slice(&1u32.to_le_bytes()); // one value
    exif.extend_from_slice(&orientation.to_le_bytes());
    exif.extend_from_slice(&[0, 0]); // the value field's padding
    exif.extend_from_slice(&0u32.to_le_bytes()); // no further IFD
    exif
}

/// Sensor grain: xorshift64, -4 to +4 levels.
struct Grain(u64);

impl Grain {
    fn sample(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        f32::from((self.0 >> 56) as u8 % 9) - 4.0
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
