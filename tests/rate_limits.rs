//! Brute-force limits, and whose address counts behind a proxy.

use serde_json::json;

use crate::support::TestApp;
use crate::support::app::{PASSWORD, assert_problem};

#[tokio::test]
async fn sixth_wrong_password_for_one_account_gets_429_with_retry_after() {
    let app = TestApp::spawn_with(&[("NOXCHAT_RATE_LIMITS", "on")]).await;
    assert_eq!(app.register("guessed").await.status(), 201);
    for _ in 0..5 {
        assert_eq!(app.login("guessed", "wrong guess").await.status(), 401);
    }
    let response = app.login("guessed", PASSWORD).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(response, 429, "rate_limited").await;
}

async fn register_from(app: &TestApp, handle: &str, forwarded_for: &str) -> u16 {
    app.request(reqwest::Method::POST, "/api/v1/auth/register")
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": format!("{handle}@example.org"), "handle": handle, "display_name": "R", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_cannot_escape_the_limit() {
    let app = TestApp::spawn_with(&[("NOXCHAT_RATE_LIMITS", "on")]).await;
    for n in 0..10 {
        assert_eq!(
            register_from(&app, &format!("spoof{n}"), &format!("198.51.100.{n}")).await,
            201
        );
    }
    assert_eq!(register_from(&app, "spoof10", "198.51.100.99").await, 429);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let app = TestApp::spawn_with(&[
        ("NOXCHAT_RATE_LIMITS", "on"),
        ("NOXCHAT_TRUSTED_PROXIES", "127.0.0.1/32"),
    ])
    .await;
    for n in 0..10 {
        assert_eq!(
            register_from(&app, &format!("crowd{n}"), "203.0.113.5").await,
            201
        );
    }
    assert_eq!(register_from(&app, "crowd10", "203.0.113.5").await, 429);
    assert_eq!(register_from(&app, "newcomer", "203.0.113.6").await, 201);
}

#[tokio::test]
async fn forgot_password_is_limited_per_account() {
    let app = TestApp::spawn_with(&[("NOXCHAT_RATE_LIMITS", "on")]).await;
    for _ in 0..3 {
        let response = app
            .post(
                "/api/v1/auth/password/forgot",
                &json!({"email": "someone@example.org"}),
            )
            .await;
        assert_eq!(response.status(), 202);
    }
    let response = app
        .post(
            "/api/v1/auth/password/forgot",
            &json!({"email": "SOMEONE@example.org"}),
        )
        .await;
    assert_problem(response, 429, "rate_limited").await;
}

#[tokio::test]
async fn every_forwarded_for_line_counts_behind_a_trusted_proxy() {
    let app = TestApp::spawn_with(&[("NOXCHAT_TRUSTED_PROXIES", "127.0.0.1/32")]).await;
    assert_eq!(app.register("proxied").await.status(), 201);
    // The client wrote the first line; the proxy appended the second.
    let login: serde_json::Value = app
        .request(reqwest::Method::POST, "/api/v1/auth/login")
        .header("x-forwarded-for", "6.6.6.6")
        .header("x-forwarded-for", "203.0.113.5")
        .json(&json!({"login": "proxied", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sessions: serde_json::Value = app
        .get("/api/v1/auth/sessions", login["access_token"].as_str())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sessions["items"][0]["ip"], "203.0.113.5");
}
