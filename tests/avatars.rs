//! Avatar uploads, with the shared fixture images.

use image::GenericImageView;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::app::assert_problem;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/images/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn fetch(app: &TestApp, url: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.get(url, None).await;
    assert_eq!(response.status(), 200, "{url}");
    let headers = response.headers().clone();
    (headers, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn rotated_photo_becomes_an_upright_256_square_without_metadata() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("photographer").await;
    let response = app
        .upload_avatar(
            &user.access_token,
            fixture("photo-exif6.jpg"),
            "holiday.jpg",
        )
        .await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["avatar"]["is_default"], false);

    let (headers, large) = fetch(&app, me["avatar"]["large"].as_str().unwrap()).await;
    assert_eq!(headers["content-type"], "image/jpeg");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let image = image::load_from_memory(&large).unwrap();
    assert_eq!(image.dimensions(), (256, 256));
    let left = image.get_pixel(3, 128).0;
    let right = image.get_pixel(252, 128).0;
    assert!(
        left[0] > 180 && left[1] < 90,
        "red on the left, got {left:?}"
    );
    assert!(
        right[1] > 150 && right[0] < 90,
        "green on the right, got {right:?}"
    );
    for marker in [&b"Exif"[..], b"GPS"] {
        assert!(
            !large.windows(marker.len()).any(|w| w == marker),
            "metadata survived"
        );
    }
    let (_, small) = fetch(&app, me["avatar"]["small"].as_str().unwrap()).await;
    assert_eq!(
        image::load_from_memory(&small).unwrap().dimensions(),
        (64, 64)
    );
}

#[tokio::test]
async fn transparent_png_and_animated_gif_are_accepted() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("artist").await;
    for name in ["alpha.png", "animated.gif", "landscape.png"] {
        let response = app
            .upload_avatar(&user.access_token, fixture(name), name)
            .await;
        assert_eq!(response.status(), 200, "{name}");
    }
    // Each upload replaced the previous one: only the last pair is kept.
    assert_eq!(app.stored_avatar_files().await.len(), 2);
}

#[tokio::test]
async fn bad_images_are_refused_and_leave_no_files() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("prankster").await;
    let cases = [
        ("truncated.jpg", 422, "invalid_image"),
        ("not-an-image.jpg", 415, "unsupported_image_type"),
        ("bomb.png", 422, "image_too_large"),
    ];
    for (name, status, code) in cases {
        let response = app
            .upload_avatar(&user.access_token, fixture(name), name)
            .await;
        assert_problem(response, status, code).await;
    }
    assert!(app.stored_avatar_files().await.is_empty());
    let me: Value = app
        .get("/api/v1/me", Some(&user.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["avatar"]["is_default"], true);
}

#[tokio::test]
async fn oversized_or_malformed_uploads_get_clear_problems() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("heavy").await;
    let huge = vec![0u8; 11 * 1024 * 1024];
    let response = app
        .upload_avatar(&user.access_token, huge, "huge.jpg")
        .await;
    assert_problem(response, 413, "payload_too_large").await;

    let wrong_field = reqwest::multipart::Form::new().part(
        "picture",
        reqwest::multipart::Part::bytes(fixture("alpha.png")),
    );
    let response = app
        .request(reqwest::Method::PUT, "/api/v1/me/avatar")
        .bearer_auth(&user.access_token)
        .multipart(wrong_field)
        .send()
        .await
        .unwrap();
    assert_problem(response, 422, "file_required").await;

    let not_multipart = app
        .request(reqwest::Method::PUT, "/api/v1/me/avatar")
        .bearer_auth(&user.access_token)
        .body(fixture("alpha.png"))
        .send()
        .await
        .unwrap();
    assert_problem(not_multipart, 415, "multipart_required").await;
    assert!(app.stored_avatar_files().await.is_empty());
}

#[tokio::test]
async fn removing_the_avatar_deletes_its_files_and_shows_initials() {
    let app = TestApp::spawn().await;
    let user = app.named_user("initials", "Анна Каренина").await;
    let response = app
        .upload_avatar(&user.access_token, fixture("landscape.png"), "me.png")
        .await;
    let uploaded: Value = response.json().await.unwrap();
    assert_eq!(app.stored_avatar_files().await.len(), 2);

    let response = app.delete_as("/api/v1/me/avatar", &user.access_token).await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert!(app.stored_avatar_files().await.is_empty());
    assert_eq!(
        app.get(uploaded["avatar"]["large"].as_str().unwrap(), None)
            .await
            .status(),
        404
    );

    assert_eq!(me["avatar"]["is_default"], true);
    let (headers, svg) = fetch(&app, me["avatar"]["large"].as_str().unwrap()).await;
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert!(String::from_utf8(svg).unwrap().contains("АК"));
}

#[tokio::test]
async fn media_urls_outside_the_store_are_not_found() {
    let app = TestApp::spawn().await;
    for url in [
        "/media/avatars/..%2F..%2Fsecret",
        "/media/avatars/0123456789abcdef0123456789abcdef-256.jpg",
        "/media/initials/400/AB.svg",
        "/media/initials/10/ABC.svg",
    ] {
        assert_eq!(app.get(url, None).await.status(), 404, "{url}");
    }
}

#[tokio::test]
async fn changing_the_avatar_of_an_account_deleted_meanwhile_is_not_a_server_error() {
    // The handler's row lookup races with account deletion; the query it
    // then runs must treat a vanished user as "nothing to change".
    let db = tokio::task::spawn_blocking(crate::support::database::TestDatabase::create)
        .await
        .unwrap();
    let mut conn = db.connect();
    let gone = noxchat::core::UserId::generate();
    for key in [Some("0123456789abcdef0123456789abcdef"), None] {
        let previous = noxchat::media::queries::replace_avatar_key(&mut conn, gone, key)
            .expect("no error for a vanished user");
        assert_eq!(previous, None);
    }
}
