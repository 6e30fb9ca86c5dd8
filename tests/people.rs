//! Profiles, privacy settings and account deletion.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{PASSWORD, assert_problem};

#[tokio::test]
async fn update_me_changes_profile_and_privacy_settings() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("editor").await;
    let response = app
        .patch_as(
            "/api/v1/me",
            &user.access_token,
            &json!({
                "display_name": "Лев Толстой",
                "bio": "Пишу романы.\nИногда длинные.",
                "locale": "ru",
                "message_privacy": "friends",
                "show_online_status": false,
            }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["display_name"], "Лев Толстой");
    assert_eq!(me["bio"], "Пишу романы.\nИногда длинные.");
    assert_eq!(me["locale"], "ru");
    assert_eq!(me["message_privacy"], "friends");
    assert_eq!(me["show_online_status"], false);
    assert_eq!(
        me["online_status_visibility"], "nobody",
        "the deprecated switch still works"
    );
    let profile: Value = app
        .get("/api/v1/users/editor", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        profile["last_seen_at"],
        Value::Null,
        "online status is hidden"
    );
}

#[tokio::test]
async fn invalid_profile_fields_are_422_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("careful").await;
    let response = app
        .patch_as(
            "/api/v1/me",
            &user.access_token,
            &json!({"display_name": "Valid Name", "bio": "x".repeat(501), "handle": "no way!"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert!(problem["errors"]["bio"].is_array());
    assert!(problem["errors"]["handle"].is_array());
    let response = app
        .patch_as(
            "/api/v1/me",
            &user.access_token,
            &json!({"message_privacy": "martians"}),
        )
        .await;
    assert_problem(response, 422, "invalid_body").await;
    let me: Value = app
        .get("/api/v1/me", Some(&user.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "careful Tester");
    assert_eq!(me["bio"], "");
}

#[tokio::test]
async fn handle_change_keeps_friendships_and_frees_the_old_handle() {
    let app = TestApp::spawn().await;
    let renamer = app.signed_up_user("old_name").await;
    let friend = app.signed_up_user("loyal").await;
    app.post_as(
        "/api/v1/friends/requests",
        &renamer.access_token,
        &json!({"handle": "loyal"}),
    )
    .await;
    app.post_as(
        "/api/v1/friends/requests",
        &friend.access_token,
        &json!({"handle": "old_name"}),
    )
    .await;

    let taken = app
        .patch_as(
            "/api/v1/me",
            &renamer.access_token,
            &json!({"handle": "LOYAL"}),
        )
        .await;
    assert_problem(taken, 409, "handle_taken").await;
    let response = app
        .patch_as(
            "/api/v1/me",
            &renamer.access_token,
            &json!({"handle": "New_Name"}),
        )
        .await;
    assert_eq!(response.status(), 200);

    assert_eq!(app.get("/api/v1/users/old_name", None).await.status(), 404);
    assert_eq!(app.get("/api/v1/users/NEW_NAME", None).await.status(), 200);
    let friends: Value = app
        .get("/api/v1/friends", Some(&friend.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(friends["items"][0]["user"]["handle"], "new_name");
}

#[tokio::test]
async fn public_profile_shows_stats_and_the_viewers_relationship() {
    let app = TestApp::spawn().await;
    let anna = app.named_user("anna", "Анна").await;
    let boris = app.signed_up_user("boris").await;

    let anonymous: Value = app
        .get("/api/v1/users/ANNA", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(anonymous["display_name"], "Анна");
    assert_eq!(anonymous["relationship"], Value::Null);
    assert_eq!(
        anonymous["stats"],
        json!({"topics": 0, "posts": 0, "likes_received": 0, "friends": 0})
    );
    assert!(
        anonymous.get("email").is_none(),
        "no email in public profiles"
    );

    let own: Value = app
        .get("/api/v1/users/anna", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["relationship"], "self");
    assert!(
        own["last_seen_at"].is_string(),
        "signed-in activity is recorded"
    );

    app.post_as(
        "/api/v1/friends/requests",
        &boris.access_token,
        &json!({"handle": "anna"}),
    )
    .await;
    let seen_by_boris: Value = app
        .get("/api/v1/users/anna", Some(&boris.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen_by_boris["relationship"], "request_sent");
    let seen_by_anna: Value = app
        .get("/api/v1/users/boris", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen_by_anna["relationship"], "request_received");
    assert_eq!(seen_by_anna["blocked"], false);
    let request_id = seen_by_anna["friend_request_id"].as_str().unwrap();
    let accepted = app
        .post_as(
            &format!("/api/v1/friends/requests/{request_id}/accept"),
            &anna.access_token,
            &json!({}),
        )
        .await;
    assert_eq!(accepted.status(), 204);
    let friends: Value = app
        .get("/api/v1/users/boris", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(friends["relationship"], "friends");
    assert_eq!(friends["stats"]["friends"], 1);

    assert_problem(
        app.get("/api/v1/users/nobody_at_all", None).await,
        404,
        "user_not_found",
    )
    .await;
    let expired = app.get("/api/v1/users/anna", Some("not-a-token")).await;
    assert_problem(expired, 401, "invalid_token").await;
}

#[tokio::test]
async fn deleting_the_account_needs_the_password_and_removes_everything_of_it() {
    let app = TestApp::spawn().await;
    let leaver = app.signed_up_user("leaver").await;
    let friend = app.signed_up_user("stayer").await;
    app.post_as(
        "/api/v1/friends/requests",
        &leaver.access_token,
        &json!({"handle": "stayer"}),
    )
    .await;
    app.post_as(
        "/api/v1/friends/requests",
        &friend.access_token,
        &json!({"handle": "leaver"}),
    )
    .await;
    let photo = std::fs::read(format!(
        "{}/fixtures/images/landscape.png",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    app.upload_avatar(&leaver.access_token, photo, "me.png")
        .await;

    let delete = |password: &str| {
        app.request(reqwest::Method::DELETE, "/api/v1/me")
            .bearer_auth(&leaver.access_token)
            .json(&json!({"password": password}))
            .send()
    };
    let wrong = delete("not my password").await.unwrap();
    assert_problem(wrong, 422, "invalid_password").await;
    assert_eq!(delete(PASSWORD).await.unwrap().status(), 204);

    assert_problem(
        app.get("/api/v1/me", Some(&leaver.access_token)).await,
        401,
        "session_ended",
    )
    .await;
    assert!(app.stored_avatar_files().await.is_empty());
    let friends: Value = app
        .get("/api/v1/friends", Some(&friend.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(friends["items"], json!([]));
    let again = app
        .register_with(&json!({
            "email": "leaver@example.org",
            "handle": "leaver_again",
            "display_name": "Back",
            "password": PASSWORD,
        }))
        .await;
    assert_eq!(
        again.status(),
        201,
        "the email is free again (the handle is held: see handles.rs)"
    );
}

async fn last_seen_as_seen_by(app: &TestApp, token: Option<&str>) -> Value {
    let profile: Value = app
        .get("/api/v1/users/shown", token)
        .await
        .json()
        .await
        .unwrap();
    profile["last_seen_at"].clone()
}

#[tokio::test]
async fn online_status_is_shown_to_friends_by_default_and_as_each_person_chooses() {
    let app = TestApp::spawn().await;
    let shown = app.signed_up_user("shown").await;
    let friend = app.signed_up_user("friend").await;
    let stranger = app.signed_up_user("stranger").await;
    for (from, to) in [(&shown, "friend"), (&friend, "shown")] {
        let response = app
            .post_as(
                "/api/v1/friends/requests",
                &from.access_token,
                &json!({"handle": to}),
            )
            .await;
        assert!(response.status().is_success());
    }
    let me: Value = app
        .get("/api/v1/me", Some(&shown.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["online_status_visibility"], "friends", "the default");

    let by_friend = last_seen_as_seen_by(&app, Some(&friend.access_token)).await;
    assert!(by_friend.is_string(), "friends see it: {by_friend}");
    let by_stranger = last_seen_as_seen_by(&app, Some(&stranger.access_token)).await;
    assert_eq!(by_stranger, Value::Null, "strangers do not");
    assert_eq!(last_seen_as_seen_by(&app, None).await, Value::Null);

    let choose = |visibility: &'static str| {
        let app = &app;
        let token = shown.access_token.clone();
        async move {
            let response = app
                .patch_as(
                    "/api/v1/me",
                    &token,
                    &json!({"online_status_visibility": visibility}),
                )
                .await;
            assert_eq!(response.status(), 200);
        }
    };
    choose("everyone").await;
    assert!(
        last_seen_as_seen_by(&app, Some(&stranger.access_token))
            .await
            .is_string()
    );
    assert_eq!(
        last_seen_as_seen_by(&app, None).await,
        Value::Null,
        "never to signed-out visitors, whatever the choice"
    );
    choose("nobody").await;
    assert_eq!(
        last_seen_as_seen_by(&app, Some(&friend.access_token)).await,
        Value::Null
    );
    assert!(
        last_seen_as_seen_by(&app, Some(&shown.access_token))
            .await
            .is_string(),
        "one always sees one's own"
    );
    let response = app
        .patch_as(
            "/api/v1/me",
            &shown.access_token,
            &json!({"online_status_visibility": "strangers"}),
        )
        .await;
    assert_problem(response, 422, "invalid_body").await;
}
