//! The running server's resident memory under the heaviest work it takes:
//! images of the worst shapes and sizes we can make, and a storm of sign-ins.
//! Measured from `/proc/<pid>/status` of the real binary: `VmHWM` is the
//! most it was ever resident, so a spike between two samples still counts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;

use std::io::Cursor;
use std::time::Duration;

use binary::{RunningBinary, serve};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};
use serde_json::{Value, json};

/// Resident memory the server may reach during a few hundred sign-ins at
/// once and keep after them: hashing holds 19 MiB per hashing thread.
const SIGN_IN_BOUND_MIB: u64 = 200;
/// Resident memory the server may reach while taking the worst uploads at
/// the most it takes at once: 4 bodies of at most 10 MiB in flight, and 2
/// image threads of about 100 MiB each (see `media::avatars`).
const UPLOAD_BOUND_MIB: u64 = 320;

async fn signed_up(server: &RunningBinary, client: &reqwest::Client, handle: &str) -> String {
    let base = &server.base;
    let password = "a long enough passphrase";
    let registered = server
        .register(
            client,
            &json!({"email": format!("{handle}@example.org"), "handle": handle, "display_name": handle, "password": password}),
        )
        .await;
    assert_eq!(registered, 201);
    let tokens: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": handle, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

async fn finish_and_check(server: RunningBinary) -> (u64, u64) {
    let peak = server.memory_mib("VmHWM");
    let now = server.memory_mib("VmRSS");
    let (_, logs) = server.finish(Duration::ZERO).await;
    assert!(!logs.contains("panicked"), "{logs}");
    (peak, now)
}

#[tokio::test]
async fn a_storm_of_sign_ins_stays_within_bounded_memory() {
    let server = serve(&[("NOXCHAT_RATE_LIMITS", "off")]).await;
    assert!(server.ready, "the server did not start");
    let base = server.base.clone();
    signed_up(&server, &reqwest::Client::new(), "stormy").await;

    for wave in 0..2 {
        // A client per wave: a connection left idle by the wave before could
        // reach the server's keep-alive timeout just as a request is sent.
        let client = reqwest::Client::new();
        let sign_ins = (0..200).map(|n| {
            let (client, base) = (client.clone(), base.clone());
            // Right and wrong passwords and unknown people cost a hash alike.
            let (login, password) = match n % 4 {
                0 => ("nobody".to_owned(), "whatever it is"),
                1 => ("stormy".to_owned(), "not the passphrase"),
                _ => ("stormy".to_owned(), "a long enough passphrase"),
            };
            async move {
                client
                    .post(format!("{base}/api/v1/auth/login"))
                    .json(&json!({"login": login, "password": password}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        });
        let statuses = futures_util::future::join_all(sign_ins).await;
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 401),
            "wave {wave}: {statuses:?}"
        );
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 100);
    }
    let (peak, after) = finish_and_check(server).await;
    println!("sign-in storm: peak {peak} MiB, after {after} MiB");
    assert!(
        peak < SIGN_IN_BOUND_MIB,
        "peak resident {peak} MiB during 400 sign-ins"
    );
    assert!(
        after < SIGN_IN_BOUND_MIB,
        "{after} MiB kept after the storm"
    );
}

/// A smooth pattern: large in pixels, small once compressed, as a bomb is.
fn pattern(x: u32, y: u32) -> [u8; 4] {
    [
        (x % 251) as u8,
        (y % 241) as u8,
        ((x / 7 + y / 5) % 256) as u8,
        200,
    ]
}

fn png(width: u32, height: u32, sixteen_bit: bool) -> Vec<u8> {
    let mut pixels = Vec::new();
    for y in 0..height {
        for x in 0..width {
            for channel in pattern(x, y) {
                pixels.push(channel);
                if sixteen_bit {
                    pixels.push(channel);
                }
            }
        }
    }
    let mut bytes = Vec::new();
    let colour = if sixteen_bit {
        ExtendedColorType::Rgba16
    } else {
        ExtendedColorType::Rgba8
    };
    PngEncoder::new(Cursor::new(&mut bytes))
        .write_image(&pixels, width, height, colour)
        .unwrap();
    bytes
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut pixels = Vec::new();
    for y in 0..height {
        for x in 0..width {
            pixels.extend_from_slice(&pattern(x, y)[..3]);
        }
    }
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 80)
        .write_image(&pixels, width, height, ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

async fn upload(client: &reqwest::Client, base: &str, token: &str, bytes: Vec<u8>) -> u16 {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("picture");
    client
        .put(format!("{base}/api/v1/me/avatar"))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_worst_images_we_can_make_stay_within_bounded_memory() {
    let server = serve(&[("NOXCHAT_RATE_LIMITS", "off")]).await;
    assert!(server.ready, "the server did not start");
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    // Each just under the 80 MiB decoded limit, or shaped to defeat a
    // resize that fills the target.
    let accepted = [
        ("largest 8-bit RGBA PNG", png(4_570, 4_570, false)),
        ("largest 16-bit RGBA PNG", png(3_230, 3_230, true)),
        ("largest JPEG", jpeg(5_280, 5_280)),
        ("widest accepted strip", png(3_200, 320, true)),
    ];
    let refused = [
        ("1 × 12000, 16-bit RGBA", png(1, 12_000, true)),
        ("32 × 12000, 16-bit RGBA", png(32, 12_000, true)),
        ("12000 × 1 JPEG", jpeg(12_000, 1)),
        ("12000 × 40 JPEG", jpeg(12_000, 40)),
    ];
    for (name, bytes) in accepted.iter().chain(&refused) {
        assert!(
            bytes.len() < 10 * 1024 * 1024,
            "{name}: {} bytes",
            bytes.len()
        );
    }
    let mut people = Vec::new();
    for n in 0..4 {
        people.push(signed_up(&server, &client, &format!("painter{n}")).await);
    }
    // Four people at once (as many uploads as the server takes at once),
    // each sending every case in turn.
    let runs = people.iter().enumerate().map(|(n, token)| {
        let (client, base) = (client.clone(), base.clone());
        let mut cases: Vec<_> = accepted
            .iter()
            .map(|(name, bytes)| (*name, bytes.clone(), 200))
            .chain(
                refused
                    .iter()
                    .map(|(name, bytes)| (*name, bytes.clone(), 422)),
            )
            .collect();
        cases.rotate_left(n);
        async move {
            let mut outcomes = Vec::new();
            for (name, bytes, expected) in cases {
                let status = upload(&client, &base, token, bytes).await;
                outcomes.push((name, status, expected));
            }
            outcomes
        }
    });
    let outcomes: Vec<_> = futures_util::future::join_all(runs)
        .await
        .into_iter()
        .flatten()
        .collect();
    let (peak, after) = finish_and_check(server).await;
    println!("worst uploads: peak {peak} MiB, after {after} MiB");
    for (name, status, expected) in outcomes {
        assert_eq!(status, expected, "{name}");
    }
    assert!(
        peak < UPLOAD_BOUND_MIB,
        "peak resident {peak} MiB while processing the worst images"
    );
}
