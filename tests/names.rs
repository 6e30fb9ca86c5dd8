//! Names and addresses have one spelling each: display names are NFKC and
//! hide nothing; email domains in any script are kept in their ASCII form.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{PASSWORD, assert_problem};

/// Registers and opens the emailed link (201), or the refusal.
async fn register(app: &TestApp, email: &str, handle: &str, name: &str) -> reqwest::Response {
    app.register_with(
        &json!({"email": email, "handle": handle, "display_name": name, "password": PASSWORD}),
    )
    .await
}

async fn me(app: &TestApp, login: &str) -> Value {
    let signed_in = app.login(login, PASSWORD).await;
    assert_eq!(signed_in.status(), 200, "sign in as {login}");
    let body: Value = signed_in.json().await.unwrap();
    body["user"].clone()
}

#[tokio::test]
async fn display_names_that_reorder_or_hide_text_are_refused_everywhere() {
    let app = TestApp::spawn().await;
    let sneaky_names = [
        "Anna\u{202E}nimda",    // right-to-left override
        "An\u{200B}na",         // zero-width space
        "\u{2067}Anna\u{2069}", // right-to-left isolate
        "An\u{2060}na",         // word joiner
        "\u{FEFF}Anna",         // byte-order mark
        "Anna\u{200D}",         // a joiner outside any emoji
    ];
    for (n, name) in sneaky_names.iter().enumerate() {
        let response = register(
            &app,
            &format!("s{n}@example.org"),
            &format!("sneaky{n}"),
            name,
        )
        .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(
            problem["error_codes"]["display_name"],
            json!(["format_characters"]),
            "{name:?}"
        );
    }
    let user = app.signed_up_user("plain").await;
    for name in sneaky_names {
        let response = app
            .patch_as(
                "/api/v1/me",
                &user.access_token,
                &json!({"display_name": name}),
            )
            .await;
        assert_problem(response, 422, "validation_failed").await;
    }
}

#[tokio::test]
async fn display_names_are_stored_in_one_spelling() {
    let app = TestApp::spawn().await;
    let response = register(
        &app,
        "wide@example.org",
        "wide",
        "Ａｎｎａ ﬁsh 👩\u{200D}💻",
    )
    .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        me(&app, "wide").await["display_name"],
        "Anna fish 👩\u{200D}💻"
    );
}

#[tokio::test]
async fn an_international_domain_is_one_address_however_it_is_typed() {
    let app = TestApp::spawn().await;
    let response = register(&app, "Anna@Пример.РФ", "idn_anna", "Anna").await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        me(&app, "idn_anna").await["email"],
        "anna@xn--e1afmkfd.xn--p1ai"
    );
    for login in ["anna@пример.рф", "ANNA@xn--e1afmkfd.xn--p1ai"] {
        assert_eq!(me(&app, login).await["email"], "anna@xn--e1afmkfd.xn--p1ai");
    }
    let again = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "anna@xn--e1afmkfd.xn--p1ai", "handle": "idn_other", "display_name": "Other", "password": PASSWORD}),
        )
        .await;
    assert_eq!(again.status(), 202);
    let mails = app.outbox_mail("anna@xn--e1afmkfd.xn--p1ai", 2).await;
    assert!(
        mails
            .iter()
            .any(|mail| mail.subject.contains("Someone tried")),
        "the same address in its other spelling: its owner is told"
    );
    for bad in ["анна@example.org", "ann@exam_ple.org", "ann@-x.org"] {
        let response = register(&app, bad, "idn_bad", "Bad").await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(
            problem["error_codes"]["email"],
            json!(["invalid_email"]),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn addresses_stored_before_are_converted_when_the_server_starts() {
    let app = TestApp::spawn().await;
    assert_eq!(app.register("legacy").await.status(), 201);
    {
        use diesel::prelude::*;
        let mut conn = app.db.connect();
        diesel::sql_query("UPDATE users SET email = 'legacy@пример.рф' WHERE handle = 'legacy'")
            .execute(&mut conn)
            .unwrap();
    }
    let upgraded = app.spawn_beside(&[]).await;
    assert_eq!(
        me(&upgraded, "legacy@пример.рф").await["email"],
        "legacy@xn--e1afmkfd.xn--p1ai"
    );
}
