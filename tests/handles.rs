//! A handle given up is held for its last owner for 30 days: nobody else
//! can take it over to pass for them, while they may take it back.

use diesel::prelude::*;
use serde_json::json;

use crate::support::TestApp;
use crate::support::app::assert_problem;

fn hold_runs_out(app: &TestApp, handle: &str) {
    diesel::sql_query(
        "UPDATE released_handles SET released_at = now() - interval '30 days 1 minute' WHERE handle = $1",
    )
    .bind::<diesel::sql_types::Text, _>(handle)
    .execute(&mut app.db.connect())
    .unwrap();
}

#[tokio::test]
async fn a_renamed_handle_is_held_for_its_last_owner() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let mallory = app.signed_up_user("mallory").await;
    let rename = |token: String, handle: &'static str| {
        let app = &app;
        async move {
            app.patch_as("/api/v1/me", &token, &json!({"handle": handle}))
                .await
        }
    };
    assert_eq!(
        rename(anna.access_token.clone(), "anna_k").await.status(),
        200
    );

    let taken = rename(mallory.access_token.clone(), "anna").await;
    assert_problem(taken, 409, "handle_taken").await;
    assert_problem(app.register("anna").await, 409, "handle_taken").await;

    assert_eq!(
        rename(anna.access_token.clone(), "anna").await.status(),
        200,
        "its last owner may take it back"
    );
    assert_eq!(
        rename(anna.access_token.clone(), "anna_k2").await.status(),
        200
    );
    hold_runs_out(&app, "anna");
    assert_eq!(
        rename(mallory.access_token.clone(), "anna").await.status(),
        200,
        "after 30 days it is free"
    );
}

#[tokio::test]
async fn the_handle_of_a_deleted_account_is_held_for_nobody() {
    let app = TestApp::spawn().await;
    let leaving = app.signed_up_user("leaving").await;
    let deleted = app
        .request(reqwest::Method::DELETE, "/api/v1/me")
        .bearer_auth(&leaving.access_token)
        .json(&json!({"password": crate::support::app::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_problem(app.register("leaving").await, 409, "handle_taken").await;
    hold_runs_out(&app, "leaving");
    assert_eq!(app.register("leaving").await.status(), 201);
}
