//! What one signed-in person may do how often: each action has a budget of
//! its own per person, spent by that person alone.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;

async fn limited_app() -> TestApp {
    TestApp::spawn_with(&[("NOXCHAT_RATE_LIMITS", "on")]).await
}

async fn assert_rate_limited(response: reqwest::Response) {
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1, "{retry_after}");
    assert_problem(response, 429, "rate_limited").await;
}

#[tokio::test]
async fn friend_requests_are_limited_per_person() {
    let app = limited_app().await;
    let eager = app.signed_up_user("eager").await;
    let calm = app.signed_up_user("calm").await;
    app.signed_up_user("target").await;
    for n in 0..20 {
        // Whatever the answer (here: no such user), a request spends budget.
        let response = app
            .post_as(
                "/api/v1/friends/requests",
                &eager.access_token,
                &json!({"handle": format!("nobody{n}")}),
            )
            .await;
        assert_eq!(response.status(), 404);
    }
    let over = app
        .post_as(
            "/api/v1/friends/requests",
            &eager.access_token,
            &json!({"handle": "target"}),
        )
        .await;
    assert_rate_limited(over).await;
    let other = app
        .post_as(
            "/api/v1/friends/requests",
            &calm.access_token,
            &json!({"handle": "target"}),
        )
        .await;
    assert_eq!(
        other.status(),
        201,
        "another person has a budget of their own"
    );
}

#[tokio::test]
async fn handle_changes_are_limited_but_saving_the_same_handle_is_free() {
    let app = limited_app().await;
    let renamer = app.signed_up_user("renamer").await;
    let rename = |handle: &'static str| {
        let app = &app;
        let token = renamer.access_token.clone();
        async move {
            app.patch_as("/api/v1/me", &token, &json!({"handle": handle}))
                .await
        }
    };
    for handle in ["renamer_a", "renamer_b", "renamer_c"] {
        assert_eq!(rename(handle).await.status(), 200, "{handle}");
    }
    for _ in 0..5 {
        let same = rename("renamer_c").await;
        assert_eq!(
            same.status(),
            200,
            "the current handle again changes nothing"
        );
    }
    assert_rate_limited(rename("renamer_d").await).await;
    let me: Value = app
        .get("/api/v1/me", Some(&renamer.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["handle"], "renamer_c");
}

#[tokio::test]
async fn avatar_uploads_are_limited_per_person() {
    let app = limited_app().await;
    let poser = app.signed_up_user("poser").await;
    let picture = crate::uploads::png(64, 64);
    for n in 0..10 {
        let response = app
            .upload_avatar(&poser.access_token, picture.clone(), "me.png")
            .await;
        assert_eq!(response.status(), 200, "upload {n}");
    }
    let over = app
        .upload_avatar(&poser.access_token, picture.clone(), "me.png")
        .await;
    assert_rate_limited(over).await;
}

#[tokio::test]
async fn directory_searches_are_limited_per_person() {
    let app = limited_app().await;
    let scraper = app.signed_up_user("scraper").await;
    let reader = app.signed_up_user("reader").await;
    for n in 0..60 {
        let page = app
            .get(
                &format!("/api/v1/users?q=user{n}"),
                Some(&scraper.access_token),
            )
            .await;
        assert_eq!(page.status(), 200, "search {n}");
    }
    let over = app
        .get("/api/v1/users?q=more", Some(&scraper.access_token))
        .await;
    assert_rate_limited(over).await;
    let other = app
        .get("/api/v1/users?q=more", Some(&reader.access_token))
        .await;
    assert_eq!(
        other.status(),
        200,
        "another person has a budget of their own"
    );
}
