//! Registration, my account and email verification.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{PASSWORD, assert_problem};

fn user_count(app: &TestApp) -> i64 {
    let mut conn = app.db.connect();
    diesel::sql_query("SELECT 1 FROM users")
        .execute(&mut conn)
        .map(|n| n as i64)
        .unwrap()
}

#[tokio::test]
async fn register_with_valid_fields_creates_an_unverified_account() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/auth/register",
            &json!({
                "email": "  Anna.K@Example.ORG ",
                "handle": "Anna_K",
                "display_name": "Анна Каренина",
                "password": PASSWORD,
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["email"], "anna.k@example.org");
    assert_eq!(body["handle"], "anna_k");
    assert_eq!(body["display_name"], "Анна Каренина");
    assert_eq!(body["email_verified"], false);
    assert_eq!(body["locale"], "en");
    assert!(body.get("password_hash").is_none());
}

#[tokio::test]
async fn register_takes_the_locale_from_accept_language() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/register")
        .header("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")
        .json(&json!({"email": "boris@example.org", "handle": "boris", "display_name": "Борис", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["locale"], "ru");
    let mail = &app.outbox_mail("boris@example.org", 1).await[0];
    assert_eq!(mail.subject, "Подтвердите почту для NoxChat");
    assert!(mail.text.contains("Здравствуйте, Борис!"));
}

#[tokio::test]
async fn register_with_an_email_taken_in_other_letter_case_is_409() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("first").await.status(), 201);
    let response = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "FIRST@example.org", "handle": "second", "display_name": "S", "password": PASSWORD}),
        )
        .await;
    let problem = assert_problem(response, 409, "email_taken").await;
    assert!(problem["errors"]["email"].is_array());
    assert_eq!(user_count(&app), 1, "nothing half-written");
}

#[tokio::test]
async fn register_with_a_handle_taken_in_other_letter_case_is_409() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("taken_handle").await.status(), 201);
    let response = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "other@example.org", "handle": "Taken_Handle", "display_name": "O", "password": PASSWORD}),
        )
        .await;
    assert_problem(response, 409, "handle_taken").await;
    assert_eq!(user_count(&app), 1);
    // The failed attempt sent no email.
    let mails = app.outbox_mail("example.org", 1).await;
    assert_eq!(mails.len(), 1);
}

#[tokio::test]
async fn register_with_invalid_fields_reports_each_field() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "not-an-email", "handle": "no spaces!", "display_name": "  ", "password": "short"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    for field in ["email", "handle", "display_name", "password"] {
        assert!(problem["errors"][field].is_array(), "{field}: {problem}");
    }
    assert_eq!(user_count(&app), 0);
}

#[tokio::test]
async fn register_refuses_common_passwords_and_the_handle_as_password() {
    let app = TestApp::spawn().await;
    for password in [
        "password123",
        "Qwerty123456",
        "anna_karenina",
        "ANNA@example.org",
    ] {
        let response = app
            .post(
                "/api/v1/auth/register",
                &json!({"email": "anna@example.org", "handle": "anna_karenina", "display_name": "A", "password": password}),
            )
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert!(problem["errors"]["password"].is_array(), "{password}");
    }
}

#[tokio::test]
async fn me_without_a_token_is_401_with_a_bearer_challenge() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/me", None).await;
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(response, 401, "authentication_required").await;
}

#[tokio::test]
async fn me_returns_the_signed_in_account() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("me_tester").await;
    let body: Value = app
        .get("/api/v1/me", Some(&user.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["handle"], "me_tester");
    assert_eq!(body["email"], user.email);
}

#[tokio::test]
async fn emailed_verification_link_verifies_the_email() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("verify_me").await;
    let mail = &app.outbox_mail(&user.email, 1).await[0];
    assert!(
        mail.html
            .contains("http://noxchat.test/verify-email#token=")
    );
    let token = mail.link_token("/verify-email");
    for _ in 0..2 {
        // Opening the link twice is fine.
        let response = app
            .post("/api/v1/auth/email/verify", &json!({"token": token}))
            .await;
        assert_eq!(response.status(), 204);
    }
    let me: Value = app
        .get("/api/v1/me", Some(&user.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email_verified"], true);
    let resend = app
        .post_as("/api/v1/auth/email/resend", &user.access_token, &json!({}))
        .await;
    assert_problem(resend, 409, "email_already_verified").await;
}

#[tokio::test]
async fn forged_verification_token_is_400() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/auth/email/verify",
            &json!({"token": "eyJhbGciOiJIUzI1NiJ9.e30.bad"}),
        )
        .await;
    assert_problem(response, 400, "invalid_token").await;
}

#[tokio::test]
async fn resend_sends_a_new_verification_link() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("resend_me").await;
    let response = app
        .post_as("/api/v1/auth/email/resend", &user.access_token, &json!({}))
        .await;
    assert_eq!(response.status(), 202);
    let mails = app.outbox_mail(&user.email, 2).await;
    assert_eq!(mails.len(), 2);
}
