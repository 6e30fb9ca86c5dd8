//! Signing in and out, refresh-token rotation, sessions and password change.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{PASSWORD, assert_problem};

#[tokio::test]
async fn login_by_handle_or_email_in_any_letter_case_succeeds() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("login_case").await.status(), 201);
    for login in ["login_case", "LOGIN_Case", "Login_Case@Example.org"] {
        let response = app.login(login, PASSWORD).await;
        assert_eq!(response.status(), 200, "{login}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        assert_eq!(body["user"]["handle"], "login_case");
        assert!(body["refresh_token"].as_str().unwrap().len() >= 40);
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("wrong_pw").await.status(), 201);
    let wrong = assert_problem(
        app.login("wrong_pw", "not the password").await,
        401,
        "invalid_credentials",
    )
    .await;
    let unknown = assert_problem(
        app.login("nobody_here", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong, unknown);
}

#[tokio::test]
async fn login_sets_an_http_only_strict_cookie_on_the_auth_path() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("cookie_user").await.status(), 201);
    let remembered = app.login("cookie_user", PASSWORD).await;
    let cookie = remembered.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for part in [
        "noxchat_refresh=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Max-Age=2592000",
    ] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in tests");
    let browser_session = app
        .post(
            "/api/v1/auth/login",
            &json!({"login": "cookie_user", "password": PASSWORD, "remember": false}),
        )
        .await;
    let cookie = browser_session.headers()["set-cookie"].to_str().unwrap();
    assert!(
        !cookie.contains("Max-Age") && !cookie.contains("Expires"),
        "{cookie}"
    );
}

#[tokio::test]
async fn cookie_is_secure_when_served_over_https() {
    let app = TestApp::spawn_with(&[("NOXCHAT_PUBLIC_URL", "https://chat.example.org")]).await;
    assert_eq!(app.register("secure_user").await.status(), 201);
    let response = app.login("secure_user", PASSWORD).await;
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn refresh_rotates_the_token_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("rotator").await;
    let response = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let next = body["refresh_token"].as_str().unwrap();
    assert_ne!(next, user.refresh_token);
    let me = app.get("/api/v1/me", body["access_token"].as_str()).await;
    assert_eq!(me.status(), 200);
    let again = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": next}))
        .await;
    assert_eq!(again.status(), 200);
}

#[tokio::test]
async fn reusing_an_old_rotated_refresh_token_revokes_the_whole_session() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("victim").await;
    let rotated: Value = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.refresh_token}),
        )
        .await
        .json()
        .await
        .unwrap();
    // Long after the rotation, the thief replays the old token.
    use diesel::RunQueryDsl;
    diesel::sql_query("UPDATE refresh_tokens SET rotated_at = now() - interval '5 minutes' WHERE rotated_at IS NOT NULL")
        .execute(&mut app.db.connect())
        .unwrap();
    let replay = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_problem(replay, 401, "refresh_token_reused").await;
    // Now neither the newest refresh token nor any access token of the session works.
    let newest = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": rotated["refresh_token"]}),
        )
        .await;
    assert_problem(newest, 401, "invalid_refresh_token").await;
    let me = app
        .get("/api/v1/me", rotated["access_token"].as_str())
        .await;
    assert_problem(me, 401, "session_ended").await;
}

#[tokio::test]
async fn a_token_replayed_within_the_grace_window_never_mints_a_second_refresh_token() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("replayed").await;
    let old = json!({"refresh_token": user.refresh_token});
    let first: Value = app
        .post("/api/v1/auth/refresh", &old)
        .await
        .json()
        .await
        .unwrap();
    let successor = first["refresh_token"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        let replay = app.post("/api/v1/auth/refresh", &old).await;
        assert_eq!(replay.status(), 200);
        assert!(
            !replay
                .headers()
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap().starts_with("noxchat_refresh=")),
            "a replay set a refresh cookie"
        );
        let body: Value = replay.json().await.unwrap();
        assert!(body["access_token"].is_string());
        assert!(body.get("refresh_token").is_none(), "{body}");
    }
    // The one successor goes on working, and it is still one session.
    let next = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": successor}))
        .await;
    assert_eq!(next.status(), 200);
    let tokens: Value = next.json().await.unwrap();
    let sessions: Value = app
        .get("/api/v1/auth/sessions", tokens["access_token"].as_str())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sessions["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_used_token_is_recognised_as_reuse_for_as_long_as_its_session_lives() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("long_lived").await;
    let old = json!({"refresh_token": user.refresh_token});
    assert_eq!(app.post("/api/v1/auth/refresh", &old).await.status(), 200);
    // Eight days on (a remembered session lasts 30), after housekeeping.
    use diesel::RunQueryDsl;
    let mut conn = app.db.connect();
    diesel::sql_query("UPDATE refresh_tokens SET rotated_at = now() - interval '8 days' WHERE rotated_at IS NOT NULL")
        .execute(&mut conn)
        .unwrap();
    noxchat::accounts::queries::remove_stale_sessions(&mut conn, chrono::Utc::now()).unwrap();
    let replay = app.post("/api/v1/auth/refresh", &old).await;
    assert_problem(replay, 401, "refresh_token_reused").await;
}

#[tokio::test]
async fn two_tabs_refreshing_at_once_both_stay_signed_in() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("two_tabs").await;
    let body = json!({"refresh_token": user.refresh_token});
    let (first, second) = tokio::join!(
        app.post("/api/v1/auth/refresh", &body),
        app.post("/api/v1/auth/refresh", &body)
    );
    assert_eq!(
        (first.status(), second.status()),
        (reqwest::StatusCode::OK, reqwest::StatusCode::OK)
    );
    let tokens: Value = second.json().await.unwrap();
    assert_eq!(
        app.get("/api/v1/me", tokens["access_token"].as_str())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn refresh_works_from_the_cookie_alone() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("cookie_refresh").await.status(), 201);
    assert_eq!(app.login("cookie_refresh", PASSWORD).await.status(), 200);
    // `app.client` keeps cookies like a browser.
    let first = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    let second = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 200, "the cookie was rotated too");
}

/// A script injected into the web app could read any token in a response
/// body; a browser's requests carry headers no script can remove, so the
/// refresh token reaches browsers only as the httpOnly cookie.
#[tokio::test]
async fn browsers_get_the_refresh_token_only_as_a_cookie() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("in_a_browser").await.status(), 201);
    let credentials = json!({"login": "in_a_browser", "password": PASSWORD});
    for (name, value) in [
        ("sec-fetch-site", "same-origin"),
        ("origin", "http://noxchat.test"),
    ] {
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let login = browser
            .post(app.url("/api/v1/auth/login"))
            .header(name, value)
            .json(&credentials)
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        assert!(
            login
                .headers()
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap().starts_with("noxchat_refresh=")),
            "the cookie is set"
        );
        let body: Value = login.json().await.unwrap();
        assert!(body["access_token"].is_string());
        assert!(body.get("refresh_token").is_none(), "{name}: {body}");
        let refreshed = browser
            .post(app.url("/api/v1/auth/refresh"))
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(refreshed.status(), 200, "the cookie works");
        let body: Value = refreshed.json().await.unwrap();
        assert!(body.get("refresh_token").is_none(), "{name}: {body}");
    }
    let native: Value = app
        .login("in_a_browser", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        native["refresh_token"].is_string(),
        "other clients still get it in the body"
    );
}

#[tokio::test]
async fn refresh_without_any_token_is_401() {
    let app = TestApp::spawn().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 401, "refresh_token_missing").await;
    let bogus = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": "made-up"}))
        .await;
    assert_problem(bogus, 401, "invalid_refresh_token").await;
}

#[tokio::test]
async fn logout_ends_the_session_and_clears_the_cookie() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("leaver").await;
    let response = app
        .request(Method::POST, "/api/v1/auth/logout")
        .bearer_auth(&user.access_token)
        .json(&json!({"refresh_token": user.refresh_token}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("noxchat_refresh=;")
    );
    assert_problem(
        app.get("/api/v1/me", Some(&user.access_token)).await,
        401,
        "session_ended",
    )
    .await;
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": user.refresh_token}),
        )
        .await;
    assert_problem(refresh, 401, "invalid_refresh_token").await;
}

#[tokio::test]
async fn sessions_list_marks_the_current_one_and_another_can_be_ended() {
    let app = TestApp::spawn().await;
    let phone = app.signed_up_user("two_devices").await;
    let laptop: Value = app
        .request(Method::POST, "/api/v1/auth/login")
        .header(
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        )
        .json(&json!({"login": "two_devices", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let laptop_token = laptop["access_token"].as_str().unwrap();
    let list: Value = app
        .get("/api/v1/auth/sessions", Some(laptop_token))
        .await
        .json()
        .await
        .unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(list["next_cursor"], Value::Null);
    let current: Vec<_> = items.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["device"], "Firefox on Linux");
    assert_eq!(current[0]["ip"], "127.0.0.1");
    let other_id = items.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let path = format!("/api/v1/auth/sessions/{other_id}");
    let ended = app
        .request(Method::DELETE, &path)
        .bearer_auth(laptop_token)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 204);
    assert_problem(
        app.get("/api/v1/me", Some(&phone.access_token)).await,
        401,
        "session_ended",
    )
    .await;
    let again = app
        .request(Method::DELETE, &path)
        .bearer_auth(laptop_token)
        .send()
        .await
        .unwrap();
    assert_problem(again, 404, "session_not_found").await;
}

#[tokio::test]
async fn nobody_can_end_another_users_session() {
    let app = TestApp::spawn().await;
    let owner = app.signed_up_user("owner").await;
    let intruder = app.signed_up_user("intruder").await;
    let list: Value = app
        .get("/api/v1/auth/sessions", Some(&owner.access_token))
        .await
        .json()
        .await
        .unwrap();
    let owner_session = list["items"][0]["id"].as_str().unwrap();
    let response = app
        .request(
            Method::DELETE,
            &format!("/api/v1/auth/sessions/{owner_session}"),
        )
        .bearer_auth(&intruder.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "session_not_found").await;
    assert_eq!(
        app.get("/api/v1/me", Some(&owner.access_token))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn change_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::spawn().await;
    let here = app.signed_up_user("changer").await;
    let elsewhere: Value = app.login("changer", PASSWORD).await.json().await.unwrap();
    let change = |current: &str, new: &str| {
        app.request(Method::PUT, "/api/v1/me/password")
            .bearer_auth(&here.access_token)
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    let wrong = change("not it", "a brand new passphrase").await.unwrap();
    let problem = assert_problem(wrong, 422, "invalid_current_password").await;
    assert!(problem["errors"]["current_password"].is_array());
    let weak = change(PASSWORD, "password1").await.unwrap();
    assert_problem(weak, 422, "validation_failed").await;

    assert_eq!(
        change(PASSWORD, "a brand new passphrase")
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&here.access_token))
            .await
            .status(),
        200
    );
    let other = app
        .get("/api/v1/me", elsewhere["access_token"].as_str())
        .await;
    assert_problem(other, 401, "session_ended").await;
    assert_problem(
        app.login("changer", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        app.login("changer", "a brand new passphrase")
            .await
            .status(),
        200
    );
}
