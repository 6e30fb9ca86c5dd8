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

/// An account from before registering verified the address (or one whose
/// address is to be verified again): its email is not verified.
async fn unverified_user(app: &TestApp, handle: &str) -> crate::support::app::TestUser {
    let user = app.signed_up_user(handle).await;
    diesel::sql_query("UPDATE users SET email_verified_at = NULL WHERE handle = $1")
        .bind::<diesel::sql_types::Text, _>(handle)
        .execute(&mut app.db.connect())
        .unwrap();
    user
}

#[tokio::test]
async fn registering_emails_a_link_that_creates_a_verified_account_once() {
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
    assert_eq!(response.status(), 202);
    let accepted: Value = response.json().await.unwrap();
    assert_eq!(accepted["email"], "anna.k@example.org");
    assert!(accepted["expires_at"].is_string());
    assert_eq!(user_count(&app), 0, "no account before the link is opened");
    assert_eq!(
        app.login("anna_k", PASSWORD).await.status(),
        401,
        "nobody signs in as a registration still waiting"
    );

    let mail = &app.outbox_mail("anna.k@example.org", 1).await[0];
    assert!(
        mail.html
            .contains("http://noxchat.test/confirm-registration#token=")
    );
    let token = mail.link_token("/confirm-registration");
    let created = app
        .post("/api/v1/auth/register/confirm", &json!({"token": token}))
        .await;
    assert_eq!(created.status(), 201);
    let body: Value = created.json().await.unwrap();
    assert_eq!(body["email"], "anna.k@example.org");
    assert_eq!(body["handle"], "anna_k");
    assert_eq!(body["display_name"], "Анна Каренина");
    assert_eq!(body["email_verified"], true, "the link proved the address");
    assert_eq!(body["locale"], "en");
    assert!(body.get("password_hash").is_none());
    assert_eq!(app.login("anna_k", PASSWORD).await.status(), 200);

    let again = app
        .post("/api/v1/auth/register/confirm", &json!({"token": token}))
        .await;
    assert_problem(again, 400, "invalid_token").await;
    assert_eq!(user_count(&app), 1);
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
    assert_eq!(response.status(), 202);
    let mail = &app.outbox_mail("boris@example.org", 1).await[0];
    assert_eq!(
        mail.subject,
        "Подтвердите почту, чтобы создать учётную запись NoxChat"
    );
    assert!(mail.text.contains("Здравствуйте, Борис!"));
    let body: Value = app
        .confirm_registration("boris@example.org")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["locale"], "ru");
}

/// Registering answers alike whether or not an address has an account, so
/// nobody learns it there; the owner is told by email instead.
#[tokio::test]
async fn registering_a_taken_email_answers_alike_and_tells_only_its_owner() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("first").await.status(), 201);
    let register = |email: &'static str, handle: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/register",
                &json!({"email": email, "handle": handle, "display_name": "S", "password": PASSWORD}),
            )
            .await
        }
    };
    let taken = register("FIRST@example.org", "second").await;
    let fresh = register("fresh@example.org", "third").await;
    assert_eq!(taken.status(), 202);
    assert_eq!(fresh.status(), 202);
    let taken: Value = taken.json().await.unwrap();
    let fresh: Value = fresh.json().await.unwrap();
    let keys = |body: &Value| {
        body.as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&taken), keys(&fresh), "the same shape of answer");
    assert_eq!(taken["email"], "first@example.org");

    let mails = app.outbox_mail("first@example.org", 2).await;
    let attempt = mails
        .iter()
        .find(|mail| mail.subject.contains("Someone tried"))
        .expect("the owner is told");
    assert!(attempt.text.contains("@first"), "{}", attempt.text);
    assert!(!attempt.text.contains("confirm-registration"));
    app.db.wait_for_idle_jobs().await;
    assert_eq!(
        app.outbox_mail("first@example.org", 2).await.len(),
        2,
        "no registration link for a taken address"
    );
    assert_eq!(user_count(&app), 1, "nothing half-written");
    assert_eq!(
        app.register("second").await.status(),
        201,
        "the handle was not kept for the attempt"
    );
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
    let user = unverified_user(&app, "verify_me").await;
    let resend = app
        .post_as("/api/v1/auth/email/resend", &user.access_token, &json!({}))
        .await;
    assert_eq!(resend.status(), 202);
    let mails = app.outbox_mail(&user.email, 2).await;
    let mail = mails
        .iter()
        .find(|mail| mail.text.contains("/verify-email#token="))
        .expect("a verification link");
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
    let user = unverified_user(&app, "resend_me").await;
    for sent in [2, 3] {
        let response = app
            .post_as("/api/v1/auth/email/resend", &user.access_token, &json!({}))
            .await;
        assert_eq!(response.status(), 202);
        let mails = app.outbox_mail(&user.email, sent).await;
        assert_eq!(
            mails.len(),
            sent,
            "the registration link, then each new one"
        );
    }
}
