//! Limits on uploads, whatever a client does: the shapes of image we take,
//! how large a body may grow, how long it may take, and how many may be in
//! flight. Some speak raw HTTP, to stall, hang up or frame a body as a
//! well-behaved client would not.

use std::io::Cursor;
use std::time::Duration;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::TestApp;
use crate::support::app::assert_problem;

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let pixels = vec![120u8; (width * height * 4) as usize];
    let mut bytes = Vec::new();
    PngEncoder::new(Cursor::new(&mut bytes))
        .write_image(&pixels, width, height, ExtendedColorType::Rgba8)
        .unwrap();
    bytes
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = vec![90u8; (width * height * 3) as usize];
    let mut bytes = Vec::new();
    JpegEncoder::new(&mut bytes)
        .write_image(&pixels, width, height, ExtendedColorType::Rgb8)
        .unwrap();
    bytes
}

#[tokio::test]
async fn images_too_small_or_too_long_and_narrow_are_refused() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("shapes").await;
    let refused = [
        ("31 × 31", png(31, 31), "image_too_small"),
        ("1 × 12000", png(1, 12_000), "image_too_small"),
        ("12000 × 20", jpeg(12_000, 20), "image_too_small"),
        ("32 × 321", png(32, 321), "image_too_narrow"),
        ("12000 × 40", jpeg(12_000, 40), "image_too_narrow"),
        ("4000 × 399", jpeg(4_000, 399), "image_too_narrow"),
    ];
    for (name, bytes, code) in refused {
        let response = app.upload_avatar(&user.access_token, bytes, "x.png").await;
        let problem = assert_problem(response, 422, code).await;
        assert!(problem["errors"]["file"].is_array(), "{name}: {problem}");
    }
    assert!(app.stored_avatar_files().await.is_empty());
    for (width, height) in [(32, 320), (400, 40), (32, 32)] {
        let response = app
            .upload_avatar(&user.access_token, png(width, height), "ok.png")
            .await;
        assert_eq!(response.status(), 200, "{width} × {height}");
    }
}

/// Sends the head of a request to `PUT /api/v1/me/avatar` and returns the
/// connection, for the test to send the body its own way.
async fn upload_head(app: &TestApp, token: &str, framing: &str) -> TcpStream {
    let host = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).await.unwrap();
    let head = format!(
        "PUT /api/v1/me/avatar HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\n{framing}\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

/// The status line's code and the rest of what the server answered.
async fn answer(mut stream: TcpStream) -> (u16, String) {
    let mut bytes = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            }
            if String::from_utf8_lossy(&bytes).contains("\"status\"") {
                break;
            }
        }
    })
    .await;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[tokio::test]
async fn a_chunked_body_under_another_field_name_is_cut_off_at_the_limit() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("chunky").await;
    let mut stream = upload_head(&app, &user.access_token, "Transfer-Encoding: chunked\r\n").await;
    let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"padding\"\r\n\r\n".to_vec();
    body.resize(11 * 1024 * 1024, b'a');
    // The server may answer and stop reading before all of it is sent.
    for chunk in body.chunks(64 * 1024) {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let (status, text) = answer(stream).await;
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("payload_too_large"), "{text}");
}

#[tokio::test]
async fn a_body_that_stalls_past_the_upload_timeout_is_refused() {
    let app = TestApp::spawn_with(&[("NOXCHAT_UPLOAD_TIMEOUT_SECS", "1")]).await;
    let user = app.signed_up_user("slowpoke").await;
    let mut stream = upload_head(&app, &user.access_token, "Content-Length: 100000\r\n").await;
    stream
        .write_all(b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")
        .await
        .unwrap();
    let (status, text) = answer(stream).await;
    assert_eq!(status, 408, "{text}");
    assert!(text.contains("upload_timed_out"), "{text}");
    assert!(app.stored_avatar_files().await.is_empty());
}

#[tokio::test]
async fn one_upload_per_person_at_a_time_and_hanging_up_frees_the_place() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("impatient").await;
    // A stalled upload holds its place, and a second one at once is refused.
    // The second may overtake the stalled one on its way in (and the stalled
    // one is refused instead), so a fresh stalled one is started until the
    // order is right.
    let mut attempt = 0;
    let (stalled, second) = loop {
        attempt += 1;
        assert!(attempt < 50, "a second upload at once was never refused");
        let mut stalled = upload_head(&app, &user.access_token, "Content-Length: 100000\r\n").await;
        stalled
            .write_all(b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")
            .await
            .unwrap();
        let response = app
            .upload_avatar(&user.access_token, png(64, 64), "second.png")
            .await;
        if response.status() == 429 {
            break (stalled, response);
        }
    };
    let problem = assert_problem(second, 429, "too_many_uploads").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("previous upload")
    );

    // Someone else is not held up by it.
    let other = app.signed_up_user("bystander").await;
    let response = app
        .upload_avatar(&other.access_token, png(64, 64), "mine.png")
        .await;
    assert_eq!(response.status(), 200);

    drop(stalled);
    let mut status = 0;
    for _ in 0..100 {
        status = app
            .upload_avatar(&user.access_token, png(64, 64), "third.png")
            .await
            .status()
            .as_u16();
        if status != 429 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, 200, "the hung-up upload kept its place");
    // Two avatars of two sizes each, nothing from the hung-up upload.
    assert_eq!(app.stored_avatar_files().await.len(), 4);
}
