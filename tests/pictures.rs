//! Pictures for posts: uploaded with the avatar pipeline's safety, stored
//! at a display size and as a thumbnail in their own proportions, shown by
//! the posts that refer to them, and removed when nothing did for a day.

use image::GenericImageView;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, json_of};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/images/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

impl TestApp {
    /// `POST /api/v1/uploads` with `bytes` in the `file` field.
    async fn upload_picture(&self, token: &str, bytes: Vec<u8>) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("picture.jpg");
        self.request(Method::POST, "/api/v1/uploads")
            .bearer_auth(token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("request sent")
    }

    async fn uploaded(&self, token: &str, fixture_name: &str) -> Value {
        json_of(self.upload_picture(token, fixture(fixture_name)).await, 201).await
    }

    async fn image_at(&self, url: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
        let response = self.get(url, None).await;
        assert_eq!(response.status(), 200, "{url}");
        let headers = response.headers().clone();
        (headers, response.bytes().await.unwrap().to_vec())
    }

    fn stored_pictures(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.data_dir.join("media/uploads"))
            .map(|dir| {
                dir.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

#[tokio::test]
async fn a_photo_is_stored_upright_at_most_1600_pixels_and_as_a_thumbnail_without_metadata() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let picture = app.uploaded(&ursula.access_token, "photo-exif6.jpg").await;
    // 4000×3000 stored sideways: upright it is 3000×4000.
    assert_eq!(
        (&picture["width"], &picture["height"]),
        (&json!(1200), &json!(1600))
    );
    assert_eq!(
        (&picture["thumbnail_width"], &picture["thumbnail_height"]),
        (&json!(300), &json!(400))
    );
    let (headers, display) = app.image_at(picture["url"].as_str().unwrap()).await;
    assert_eq!(headers["content-type"], "image/jpeg");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let image = image::load_from_memory(&display).unwrap();
    assert_eq!(image.dimensions(), (1200, 1600));
    let (left, right) = (image.get_pixel(5, 800).0, image.get_pixel(1194, 800).0);
    assert!(left[0] > 180 && left[1] < 90, "red on the left: {left:?}");
    assert!(
        right[1] > 150 && right[0] < 90,
        "green on the right: {right:?}"
    );
    for marker in [&b"Exif"[..], b"GPS"] {
        assert!(
            !display.windows(marker.len()).any(|w| w == marker),
            "no {} left",
            String::from_utf8_lossy(marker)
        );
    }
    let (_, thumbnail) = app
        .image_at(picture["thumbnail_url"].as_str().unwrap())
        .await;
    assert_eq!(
        image::load_from_memory(&thumbnail).unwrap().dimensions(),
        (300, 400)
    );

    // A small picture is not enlarged.
    let landscape = app.uploaded(&ursula.access_token, "landscape.png").await;
    assert_eq!(
        (&landscape["width"], &landscape["height"]),
        (&json!(1200), &json!(800))
    );
    let gif = app.uploaded(&ursula.access_token, "animated.gif").await;
    assert_eq!((&gif["width"], &gif["height"]), (&json!(200), &json!(120)));
}

#[tokio::test]
async fn what_is_not_a_safe_picture_is_refused_and_nothing_is_stored() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let token = &ursula.access_token;
    for (name, status, code) in [
        ("bomb.png", 422, "image_too_large"),
        ("truncated.jpg", 422, "invalid_image"),
        ("not-an-image.jpg", 415, "unsupported_image_type"),
    ] {
        let response = app.upload_picture(token, fixture(name)).await;
        assert_problem(response, status, code).await;
    }
    let too_big = app.upload_picture(token, vec![0; 11 * 1024 * 1024]).await;
    assert_problem(too_big, 413, "payload_too_large").await;
    let no_file = app
        .request(Method::POST, "/api/v1/uploads")
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().text("other", "x"))
        .send()
        .await
        .unwrap();
    assert_problem(no_file, 422, "file_required").await;
    let anonymous = app
        .request(Method::POST, "/api/v1/uploads")
        .multipart(reqwest::multipart::Form::new().text("file", "x"))
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "authentication_required").await;
    assert_eq!(app.stored_pictures(), Vec::<String>::new());
    assert_problem(
        app.get("/media/uploads/..%2Fsecret.jpg", None).await,
        404,
        "media_not_found",
    )
    .await;
}

#[tokio::test]
async fn posts_show_their_authors_pictures_in_order_and_only_theirs() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let first = app.uploaded(&ursula.access_token, "landscape.png").await;
    let second = app.uploaded(&ursula.access_token, "alpha.png").await;
    let theirs = app.uploaded(&victor.access_token, "landscape.png").await;
    let body = format!("Look: ![view]({})", first["url"].as_str().unwrap());
    let created = json_of(
        app.post_as(
            "/api/v1/categories/general/topics",
            &ursula.access_token,
            &json!({"title": "Holiday", "body": body, "image_ids": [second["id"], first["id"]]}),
        )
        .await,
        201,
    )
    .await;
    let post = &created["post"];
    let ids: Vec<&Value> = post["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|image| &image["id"])
        .collect();
    assert_eq!(ids, [&second["id"], &first["id"]], "in the author's order");
    assert_eq!(post["images"][1]["url"], first["url"]);
    assert!(
        post["html"]
            .as_str()
            .unwrap()
            .contains(&format!("<img src=\"{}\"", first["url"].as_str().unwrap())),
        "{}",
        post["html"]
    );

    // Someone else's picture, one never uploaded, or eleven: refused.
    let topic = id_of(&created["topic"]);
    for image_ids in [json!([theirs["id"]]), json!([uuid::Uuid::new_v4()])] {
        let refused = app
            .post_as(
                &format!("/api/v1/topics/{topic}/posts"),
                &ursula.access_token,
                &json!({"body": "More", "image_ids": image_ids}),
            )
            .await;
        let problem = assert_problem(refused, 422, "validation_failed").await;
        assert_eq!(
            problem["error_codes"]["image_ids"],
            json!(["no_such_upload"])
        );
    }
    let mut eleven = Vec::new();
    for _ in 0..11 {
        eleven.push(app.uploaded(&ursula.access_token, "animated.gif").await["id"].clone());
    }
    let refused = app
        .post_as(
            &format!("/api/v1/topics/{topic}/posts"),
            &ursula.access_token,
            &json!({"body": "All of them", "image_ids": eleven}),
        )
        .await;
    let problem = assert_problem(refused, 422, "validation_failed").await;
    assert_eq!(
        problem["error_codes"]["image_ids"],
        json!(["too_many_images"])
    );
    let page = json_of(
        app.get(&format!("/api/v1/topics/{topic}/posts"), None)
            .await,
        200,
    )
    .await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        1,
        "nothing half-made"
    );
    assert_eq!(
        page["items"][0]["images"], post["images"],
        "pages show them too"
    );

    // An edit with a list replaces them; without one keeps them.
    let post_id = post["id"].as_str().unwrap();
    let kept = json_of(
        app.patch_as(
            &format!("/api/v1/posts/{post_id}"),
            &ursula.access_token,
            &json!({"body": "Edited"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(kept["images"], post["images"]);
    let replaced = json_of(
        app.patch_as(
            &format!("/api/v1/posts/{post_id}"),
            &ursula.access_token,
            &json!({"body": "Edited", "image_ids": [first["id"]]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(replaced["images"].as_array().unwrap().len(), 1);
    assert_eq!(replaced["images"][0]["id"], first["id"]);
}

#[tokio::test]
async fn pictures_nothing_refers_to_for_a_day_are_removed_and_others_stay() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let used = app.uploaded(&ursula.access_token, "landscape.png").await;
    let fresh = app.uploaded(&ursula.access_token, "alpha.png").await;
    let forgotten = app.uploaded(&ursula.access_token, "animated.gif").await;
    let replaced = app.uploaded(&ursula.access_token, "landscape.png").await;
    let in_deleted_topic = app.uploaded(&ursula.access_token, "alpha.png").await;
    let topic_with = |title: &str, picture: &Value| {
        let body = json!({"title": title, "body": "Here", "image_ids": [picture["id"]]});
        let token = ursula.access_token.clone();
        let app = &app;
        async move {
            json_of(
                app.post_as("/api/v1/categories/general/topics", &token, &body)
                    .await,
                201,
            )
            .await
        }
    };
    topic_with("Used", &used).await;
    let edited = topic_with("Edited", &replaced).await;
    let deleted = topic_with("Deleted", &in_deleted_topic).await;
    // An edit that shows other pictures, and a deleted topic, free theirs.
    let edited_post = edited["post"]["id"].as_str().unwrap();
    let edit = app
        .patch_as(
            &format!("/api/v1/posts/{edited_post}"),
            &ursula.access_token,
            &json!({"body": "No picture now", "image_ids": []}),
        )
        .await;
    assert_eq!(edit.status(), 200);
    let deleted_topic = id_of(&deleted["topic"]);
    assert_eq!(
        app.delete_as(
            &format!("/api/v1/topics/{deleted_topic}"),
            &ursula.access_token
        )
        .await
        .status(),
        204
    );
    assert_eq!(app.stored_pictures().len(), 10, "two files each");
    // All of them uploaded two days ago, and `fresh` made a minute old
    // again: of those nothing shows, the old ones go.
    app.db
        .execute("UPDATE uploads SET created_at = now() - interval '2 days'");
    app.db.execute(&format!(
        "UPDATE uploads SET created_at = now() - interval '1 minute' WHERE id = '{}'",
        fresh["id"].as_str().unwrap()
    ));
    // Housekeeping runs when an instance starts; this one's workers (with
    // the files in their data dir) remove them.
    let _beside = app.spawn_beside(&[("NOXCHAT_JOB_WORKERS", "0")]).await;
    for _ in 0..150 {
        if app.stored_pictures().len() == 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let stored = app.stored_pictures();
    let key = |picture: &Value| {
        picture["url"]
            .as_str()
            .unwrap()
            .trim_start_matches("/media/uploads/")
            .trim_end_matches(".jpg")
            .to_owned()
    };
    assert!(stored.iter().any(|name| name.starts_with(&key(&used))));
    assert!(stored.iter().any(|name| name.starts_with(&key(&fresh))));
    for gone in [&forgotten, &replaced, &in_deleted_topic] {
        assert!(!stored.iter().any(|name| name.starts_with(&key(gone))));
    }
    assert_eq!(stored.len(), 4);
    assert_eq!(
        app.get(forgotten["url"].as_str().unwrap(), None)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_banned_person_uploads_nothing() {
    let Forum {
        app, boss, victor, ..
    } = Forum::start().await;
    let banned = app
        .put_json_as(
            "/api/v1/bans/victor",
            &boss.access_token,
            &json!({"reason": "Spam"}),
        )
        .await;
    assert_eq!(banned.status(), 200);
    let again = app.login_user("victor").await;
    assert_problem(
        app.upload_picture(&again.access_token, fixture("landscape.png"))
            .await,
        403,
        "banned",
    )
    .await;
    drop(victor);
    assert_eq!(app.stored_pictures(), Vec::<String>::new());
}
