//! Password reset, end to end through a real SMTP server.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{PASSWORD, SECRET, assert_problem};
use crate::support::mail::SmtpServer;

#[tokio::test]
async fn password_reset_link_from_a_real_smtp_server_sets_a_new_password() {
    let smtp = SmtpServer::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let app = TestApp::spawn_with(&[("SMTP_URL", &smtp_url)]).await;
    assert_eq!(app.request_registration("forgetful").await.status(), 202);
    let welcome = smtp
        .wait_for("forgetful@example.org", "Confirm your email")
        .await;
    let created = app
        .post(
            "/api/v1/auth/register/confirm",
            &json!({"token": welcome.link_token("/confirm-registration")}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let signed_in: Value = app.login("forgetful", PASSWORD).await.json().await.unwrap();
    let access_token = signed_in["access_token"].as_str().unwrap().to_owned();

    let response = app
        .post(
            "/api/v1/auth/password/forgot",
            &json!({"email": "Forgetful@Example.org"}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let email = "forgetful@example.org";
    let reset_mail = smtp.wait_for(email, "Reset your NoxChat password").await;
    assert!(
        reset_mail
            .html
            .contains("http://noxchat.test/reset-password#token=")
    );
    let token = reset_mail.link_token("/reset-password");

    let weak = app
        .post(
            "/api/v1/auth/password/reset",
            &json!({"token": token, "password": "12345678"}),
        )
        .await;
    assert_problem(weak, 422, "validation_failed").await;

    let reset = app
        .post(
            "/api/v1/auth/password/reset",
            &json!({"token": token, "password": "a fresh start 2026"}),
        )
        .await;
    assert_eq!(reset.status(), 204);
    assert_problem(
        app.login("forgetful", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        app.login("forgetful", "a fresh start 2026").await.status(),
        200
    );
    // The old session is gone, the link has been used, and the email is verified.
    assert_problem(
        app.get("/api/v1/me", Some(&access_token)).await,
        401,
        "session_ended",
    )
    .await;
    let reused = app
        .post(
            "/api/v1/auth/password/reset",
            &json!({"token": token, "password": "another fresh start"}),
        )
        .await;
    assert_problem(reused, 400, "invalid_token").await;
    let fresh: Value = app
        .login("forgetful", "a fresh start 2026")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fresh["user"]["email_verified"], true);
}

#[tokio::test]
async fn forgot_password_for_an_unknown_email_is_202_and_sends_nothing() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/auth/password/forgot",
            &json!({"email": "ghost@example.org"}),
        )
        .await;
    assert_eq!(response.status(), 202);
    // A real account's request, made after, is mailed: by the time its email
    // is out and no job is left, a ghost's email would have been written too.
    app.signed_up_user("real").await;
    app.post(
        "/api/v1/auth/password/forgot",
        &json!({"email": "real@example.org"}),
    )
    .await;
    app.outbox_mail("real@example.org", 2).await;
    app.db.wait_for_idle_jobs().await;
    let outbox = std::fs::read_dir(app.data_dir.join("outbox"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(outbox, 2, "only the real account's two emails");
    let invalid = app
        .post(
            "/api/v1/auth/password/forgot",
            &json!({"email": "not an email"}),
        )
        .await;
    assert_problem(invalid, 422, "validation_failed").await;
}

/// Emails in the outbox carry live links: only the server's own user may
/// read them, and the data dir they are in.
#[cfg(unix)]
#[tokio::test]
async fn the_outbox_and_its_emails_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn().await;
    app.signed_up_user("private").await;
    let mail = app.outbox_mail("private@example.org", 1).await;
    assert!(!mail.is_empty());
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&app.data_dir), 0o700, "the data dir");
    assert_eq!(mode(&app.data_dir.join("outbox")), 0o700, "the outbox");
    for entry in std::fs::read_dir(app.data_dir.join("outbox")).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}

#[tokio::test]
async fn reset_email_is_in_the_users_language() {
    let app = TestApp::spawn().await;
    let response = app
        .request(reqwest::Method::POST, "/api/v1/auth/register")
        .header("accept-language", "ru")
        .json(&json!({"email": "vera@example.org", "handle": "vera", "display_name": "Вера", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(
        app.confirm_registration("vera@example.org").await.status(),
        201
    );
    app.post(
        "/api/v1/auth/password/forgot",
        &json!({"email": "vera@example.org"}),
    )
    .await;
    let mails = app.outbox_mail("vera@example.org", 2).await;
    let reset = mails
        .iter()
        .find(|m| m.subject.contains("Сброс"))
        .expect("a Russian reset email");
    assert!(reset.text.contains("30 минут"));
    assert!(reset.html.contains("Выбрать новый пароль"));
}

#[tokio::test]
async fn expired_or_forged_reset_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("late").await;
    let me: Value = app
        .get("/api/v1/me", Some(&user.access_token))
        .await
        .json()
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({"sub": me["id"], "pwd": "x", "aud": "noxchat:password_reset", "iat": now - 7200, "exp": now - 3600}),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    let response = app
        .post(
            "/api/v1/auth/password/reset",
            &json!({"token": expired, "password": "a fresh start 2026"}),
        )
        .await;
    assert_problem(response, 400, "token_expired").await;
    // An access token is not a reset token.
    let response = app
        .post(
            "/api/v1/auth/password/reset",
            &json!({"token": user.access_token, "password": "a fresh start 2026"}),
        )
        .await;
    assert_problem(response, 400, "invalid_token").await;
    assert_eq!(
        app.login("late", PASSWORD).await.status(),
        200,
        "password unchanged"
    );
}
