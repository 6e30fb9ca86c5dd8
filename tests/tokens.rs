//! Access tokens that must not work: forged, expired, unsigned, of another kind.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{SECRET, assert_problem};

pub(crate) fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

pub(crate) fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn token_signed_with_another_secret_is_401() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("forged").await;
    let forged = sign(
        &claims_of(&user.access_token),
        "an attacker's guess at the secret!!",
    );
    assert_problem(
        app.get("/api/v1/me", Some(&forged)).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn tampered_payload_is_401() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("tampered").await;
    let mut claims = claims_of(&user.access_token);
    claims["exp"] = json!(now() + 86_400 * 365);
    let parts: Vec<&str> = user.access_token.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    assert_problem(
        app.get("/api/v1/me", Some(&tampered)).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn expired_token_is_401_token_expired() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("expired").await;
    let mut claims = claims_of(&user.access_token);
    claims["iat"] = json!(now() - 3600);
    claims["exp"] = json!(now() - 600);
    let expired = sign(&claims, SECRET);
    assert_problem(
        app.get("/api/v1/me", Some(&expired)).await,
        401,
        "token_expired",
    )
    .await;
}

#[tokio::test]
async fn unsigned_alg_none_token_is_401() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("alg_none").await;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims_of(&user.access_token).to_string());
    for token in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}"),
    ] {
        assert_problem(
            app.get("/api/v1/me", Some(&token)).await,
            401,
            "invalid_token",
        )
        .await;
    }
}

#[tokio::test]
async fn token_of_another_kind_is_not_an_access_token() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("wrong_kind").await;
    let mut claims = claims_of(&user.access_token);
    claims["aud"] = json!("noxchat:password_reset");
    let reset_like = sign(&claims, SECRET);
    assert_problem(
        app.get("/api/v1/me", Some(&reset_like)).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn garbage_bearer_values_are_401() {
    let app = TestApp::spawn().await;
    for token in ["", "abc", "a.b.c", "Bearer"] {
        let response = app
            .request(reqwest::Method::GET, "/api/v1/me")
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{token:?}");
    }
    let basic = app
        .request(reqwest::Method::GET, "/api/v1/me")
        .header("authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_problem(basic, 401, "authentication_required").await;
}
