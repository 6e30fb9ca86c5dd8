//! Roles: the operator's listed addresses become admins, and only admins
//! appoint and dismiss moderators.

use serde_json::Value;

use crate::support::TestApp;
use crate::support::app::assert_problem;

#[tokio::test]
async fn an_address_the_operator_listed_becomes_admin_once_verified() {
    let app = TestApp::spawn_with(&[(
        "NOXCHAT_ADMIN_EMAILS",
        "Boss@Example.org, other@example.org",
    )])
    .await;
    let boss = app.signed_up_user("boss").await;
    let anna = app.signed_up_user("anna").await;
    assert_eq!(app.me(&boss.access_token).await["role"], "admin");
    assert_eq!(app.me(&anna.access_token).await["role"], "user");
}

#[tokio::test]
async fn only_admins_appoint_and_dismiss_moderators() {
    let app = TestApp::spawn_with(&[("NOXCHAT_ADMIN_EMAILS", "boss@example.org")]).await;
    let boss = app.signed_up_user("boss").await;
    let anna = app.signed_up_user("anna").await;
    let carol = app.signed_up_user("carol").await;

    assert_eq!(
        app.put_as("/api/v1/moderators/ANNA", &boss.access_token)
            .await
            .status(),
        204
    );
    assert_eq!(app.me(&anna.access_token).await["role"], "moderator");
    let told: Value = app
        .get("/api/v1/events?after=0", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    let last = told["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "profile_changed");
    assert_eq!(last["me"]["role"], "moderator", "her devices learn it");

    for (who, token) in [
        ("a moderator", &anna.access_token),
        ("a user", &carol.access_token),
    ] {
        let response = app.put_as("/api/v1/moderators/carol", token).await;
        assert_eq!(response.status(), 403, "{who}");
        assert_problem(response, 403, "not_allowed").await;
    }
    let anonymous = app
        .request(reqwest::Method::PUT, "/api/v1/moderators/carol")
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "authentication_required").await;
    assert_problem(
        app.put_as("/api/v1/moderators/nobody_here", &boss.access_token)
            .await,
        404,
        "user_not_found",
    )
    .await;
    assert_problem(
        app.put_as("/api/v1/moderators/boss", &boss.access_token)
            .await,
        409,
        "role_is_admin",
    )
    .await;

    assert_eq!(
        app.delete_as("/api/v1/moderators/anna", &boss.access_token)
            .await
            .status(),
        204
    );
    assert_eq!(app.me(&anna.access_token).await["role"], "user");
}

#[tokio::test]
async fn listing_an_existing_account_makes_it_admin_at_the_next_start_and_its_devices_learn_it() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    assert_eq!(app.me(&anna.access_token).await["role"], "user");

    let restarted = app
        .spawn_beside(&[("NOXCHAT_ADMIN_EMAILS", "anna@example.org")])
        .await;
    assert_eq!(restarted.me(&anna.access_token).await["role"], "admin");
    let events: Value = restarted
        .get("/api/v1/events?after=0", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    let last = events["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "profile_changed");
    assert_eq!(last["me"]["role"], "admin");
}
