//! Friend requests, friendships and blocks.

use std::time::Duration;

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;

async fn send(app: &TestApp, token: &str, handle: &str) -> reqwest::Response {
    app.post_as(
        "/api/v1/friends/requests",
        token,
        &json!({"handle": handle}),
    )
    .await
}

async fn summary(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/friends/summary", Some(token))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn request_accept_and_remove_a_friend() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;

    let response = send(&app, &anna.access_token, "Boris").await;
    assert_eq!(response.status(), 201);
    let outcome: Value = response.json().await.unwrap();
    assert_eq!(outcome["status"], "pending");
    assert_eq!(outcome["request"]["user"]["handle"], "boris");
    let request_id = outcome["request"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        summary(&app, &anna.access_token).await,
        json!({"friends": 0, "incoming": 0, "outgoing": 1})
    );
    assert_eq!(
        summary(&app, &boris.access_token).await,
        json!({"friends": 0, "incoming": 1, "outgoing": 0})
    );
    let incoming: Value = app
        .get(
            "/api/v1/friends/requests/incoming",
            Some(&boris.access_token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(incoming["items"][0]["id"], request_id.as_str());
    assert_eq!(incoming["items"][0]["user"]["handle"], "anna");

    let accept = format!("/api/v1/friends/requests/{request_id}/accept");
    assert_eq!(
        app.post_as(&accept, &boris.access_token, &json!({}))
            .await
            .status(),
        204
    );
    assert_eq!(
        summary(&app, &anna.access_token).await,
        json!({"friends": 1, "incoming": 0, "outgoing": 0})
    );
    let friends: Value = app
        .get("/api/v1/friends", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(friends["items"][0]["user"]["handle"], "boris");
    assert!(friends["items"][0]["since"].is_string());

    assert_eq!(
        app.delete_as("/api/v1/friends/boris", &anna.access_token)
            .await
            .status(),
        204
    );
    assert_eq!(summary(&app, &boris.access_token).await["friends"], 0);
    assert_problem(
        app.delete_as("/api/v1/friends/boris", &anna.access_token)
            .await,
        404,
        "not_friends",
    )
    .await;
}

#[tokio::test]
async fn crossing_requests_make_friends_at_once() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    assert_eq!(send(&app, &anna.access_token, "boris").await.status(), 201);
    let response = send(&app, &boris.access_token, "anna").await;
    assert_eq!(response.status(), 200);
    let outcome: Value = response.json().await.unwrap();
    assert_eq!(outcome["status"], "friends");
    assert_eq!(
        summary(&app, &anna.access_token).await,
        json!({"friends": 1, "incoming": 0, "outgoing": 0})
    );
}

#[tokio::test]
async fn duplicate_self_and_unknown_requests_are_refused() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    app.signed_up_user("boris").await;
    assert_eq!(send(&app, &anna.access_token, "boris").await.status(), 201);
    assert_problem(
        send(&app, &anna.access_token, "BORIS").await,
        409,
        "request_already_sent",
    )
    .await;
    assert_problem(
        send(&app, &anna.access_token, "anna").await,
        422,
        "cannot_befriend_self",
    )
    .await;
    assert_problem(
        send(&app, &anna.access_token, "ghost").await,
        404,
        "user_not_found",
    )
    .await;
}

#[tokio::test]
async fn only_the_right_party_can_settle_a_request() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let eve = app.signed_up_user("eve").await;
    let outcome: Value = send(&app, &anna.access_token, "boris")
        .await
        .json()
        .await
        .unwrap();
    let id = outcome["request"]["id"].as_str().unwrap();
    for path in [
        format!("/api/v1/friends/requests/{id}/accept"),
        format!("/api/v1/friends/requests/{id}/decline"),
    ] {
        // Neither the sender nor a stranger may answer it.
        for token in [&anna.access_token, &eve.access_token] {
            assert_problem(
                app.post_as(&path, token, &json!({})).await,
                404,
                "friend_request_not_found",
            )
            .await;
        }
    }
    let cancel = format!("/api/v1/friends/requests/{id}");
    for token in [&boris.access_token, &eve.access_token] {
        assert_problem(
            app.delete_as(&cancel, token).await,
            404,
            "friend_request_not_found",
        )
        .await;
    }
    let eves_view: Value = app
        .get("/api/v1/friends/requests/incoming", Some(&eve.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(eves_view["items"], json!([]));

    let decline = format!("/api/v1/friends/requests/{id}/decline");
    assert_eq!(
        app.post_as(&decline, &boris.access_token, &json!({}))
            .await
            .status(),
        204
    );
    assert_eq!(summary(&app, &anna.access_token).await["outgoing"], 0);
    // Declined: the sender may ask again, and cancel it.
    let again: Value = send(&app, &anna.access_token, "boris")
        .await
        .json()
        .await
        .unwrap();
    let cancel = format!(
        "/api/v1/friends/requests/{}",
        again["request"]["id"].as_str().unwrap()
    );
    assert_eq!(
        app.delete_as(&cancel, &anna.access_token).await.status(),
        204
    );
    assert_eq!(summary(&app, &boris.access_token).await["incoming"], 0);
}

#[tokio::test]
async fn blocking_ends_friendship_and_requests_and_stops_new_ones() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    send(&app, &anna.access_token, "boris").await;
    send(&app, &boris.access_token, "anna").await;
    assert_eq!(summary(&app, &anna.access_token).await["friends"], 1);

    assert_eq!(
        app.put_as("/api/v1/blocks/boris", &anna.access_token)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.put_as("/api/v1/blocks/boris", &anna.access_token)
            .await
            .status(),
        204,
        "idempotent"
    );
    assert_eq!(
        summary(&app, &anna.access_token).await,
        json!({"friends": 0, "incoming": 0, "outgoing": 0})
    );
    assert_eq!(summary(&app, &boris.access_token).await["friends"], 0);
    assert_problem(
        send(&app, &boris.access_token, "anna").await,
        403,
        "blocked_by_user",
    )
    .await;
    assert_problem(
        send(&app, &anna.access_token, "boris").await,
        409,
        "user_blocked",
    )
    .await;
    assert_problem(
        app.put_as("/api/v1/blocks/anna", &anna.access_token).await,
        422,
        "cannot_block_self",
    )
    .await;

    let blocks: Value = app
        .get("/api/v1/blocks", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(blocks["items"][0]["user"]["handle"], "boris");
    let profile: Value = app
        .get("/api/v1/users/boris", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["blocked"], true);

    assert_eq!(
        app.delete_as("/api/v1/blocks/boris", &anna.access_token)
            .await
            .status(),
        204
    );
    assert_problem(
        app.delete_as("/api/v1/blocks/boris", &anna.access_token)
            .await,
        404,
        "not_blocked",
    )
    .await;
    assert_eq!(send(&app, &boris.access_token, "anna").await.status(), 201);
}

/// What the notification job does for each recipient of boris's post: the
/// row names boris as its actor, which holds him (`FOR KEY SHARE`) until
/// the job's transaction commits.
fn tell_of_boris(conn: &mut PgConnection, recipient: &str) {
    let told = diesel::sql_query(
        "INSERT INTO notifications (id, user_id, kind, actor_id, created_at, updated_at) \
         SELECT gen_random_uuid(), r.id, 'reply', a.id, now(), now() \
         FROM users r, users a WHERE r.handle = $1 AND a.handle = 'boris'",
    )
    .bind::<diesel::sql_types::Text, _>(recipient)
    .execute(conn)
    .unwrap();
    assert_eq!(told, 1);
}

#[tokio::test]
async fn blocking_while_notifications_between_the_two_are_delivered_does_not_wait() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    app.signed_up_user("boris").await;
    app.signed_up_user("carol").await;
    // A delivery half done: carol told, anna next. Had the block to wait
    // for it, the delivery would then wait for the block (a deadlock).
    let mut delivery = app.db.connect();
    diesel::sql_query("BEGIN").execute(&mut delivery).unwrap();
    tell_of_boris(&mut delivery, "carol");

    let block = tokio::time::timeout(
        Duration::from_secs(10),
        app.put_as("/api/v1/blocks/boris", &anna.access_token),
    )
    .await
    .expect("the block does not wait for the delivery to end");
    assert_eq!(block.status(), 204);
    tell_of_boris(&mut delivery, "anna");
    diesel::sql_query("COMMIT").execute(&mut delivery).unwrap();
}

#[tokio::test]
async fn friend_lists_filter_by_name_and_page_with_a_cursor() {
    let app = TestApp::spawn().await;
    let host = app.signed_up_user("host").await;
    for (handle, name) in [
        ("ivan", "Иван Петров"),
        ("olga", "Ольга Иванова"),
        ("mike", "Mike Smith"),
    ] {
        let guest = app.named_user(handle, name).await;
        send(&app, &guest.access_token, "host").await;
    }
    let filtered: Value = app
        .get(
            "/api/v1/friends/requests/incoming?q=%D0%B8%D0%B2%D0%B0%D0%BD",
            Some(&host.access_token),
        )
        .await
        .json()
        .await
        .unwrap();
    let handles: Vec<&str> = filtered["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["user"]["handle"].as_str().unwrap())
        .collect();
    assert_eq!(
        handles.len(),
        2,
        "иван matches Иван and Иванова: {handles:?}"
    );

    let first: Value = app
        .get(
            "/api/v1/friends/requests/incoming?limit=2",
            Some(&host.access_token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get(
            &format!("/api/v1/friends/requests/incoming?limit=2&cursor={cursor}"),
            Some(&host.access_token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["next_cursor"], Value::Null);

    let bad = app
        .get("/api/v1/friends?cursor=garbage", Some(&host.access_token))
        .await;
    assert_problem(bad, 400, "invalid_cursor").await;
    let bad = app
        .get("/api/v1/friends?limit=500", Some(&host.access_token))
        .await;
    assert_problem(bad, 400, "invalid_limit").await;
}

#[tokio::test]
async fn people_i_blocked_cannot_see_when_i_was_online() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let shown_to_everyone = app
        .patch_as(
            "/api/v1/me",
            &anna.access_token,
            &json!({"online_status_visibility": "everyone"}),
        )
        .await;
    assert_eq!(shown_to_everyone.status(), 200);
    let before: Value = app
        .get("/api/v1/users/anna", Some(&boris.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert!(before["last_seen_at"].is_string());
    app.put_as("/api/v1/blocks/boris", &anna.access_token).await;
    let after: Value = app
        .get("/api/v1/users/anna", Some(&boris.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["last_seen_at"], Value::Null);
}
