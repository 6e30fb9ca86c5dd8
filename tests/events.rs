//! The per-person event log: every change that people's devices must learn
//! is recorded for exactly the right people, in order, numbered without
//! gaps, and readable after any position still kept.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{TestUser, assert_problem};

async fn events_after(app: &TestApp, user: &TestUser, after: i64) -> Value {
    let response = app
        .get(
            &format!("/api/v1/events?after={after}"),
            Some(&user.access_token),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn types(page: &Value) -> Vec<String> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["type"].as_str().unwrap().to_owned())
        .collect()
}

fn seqs(page: &Value) -> Vec<i64> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["seq"].as_i64().unwrap())
        .collect()
}

async fn request(app: &TestApp, from: &TestUser, to: &str) -> reqwest::Response {
    app.post_as(
        "/api/v1/friends/requests",
        &from.access_token,
        &json!({"handle": to}),
    )
    .await
}

#[tokio::test]
async fn a_friendship_from_request_to_end_reaches_both_people_and_no_one_else() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let carol = app.signed_up_user("carol").await;

    let sent: Value = request(&app, &anna, "boris").await.json().await.unwrap();
    let request_id = sent["request"]["id"].clone();
    let accepted = app
        .post_as(
            &format!(
                "/api/v1/friends/requests/{}/accept",
                request_id.as_str().unwrap()
            ),
            &boris.access_token,
            &json!({}),
        )
        .await;
    assert_eq!(accepted.status(), 204);
    assert_eq!(
        app.delete_as("/api/v1/friends/anna", &boris.access_token)
            .await
            .status(),
        204
    );

    // Each is also notified of what the other did: boris of the request,
    // anna of its acceptance.
    for (person, told) in [(&anna, 2), (&boris, 1)] {
        let page = events_after(&app, person, 0).await;
        let mut expected = vec![
            "friend_request_sent",
            "friend_request_accepted",
            "friendship_ended",
        ];
        expected.insert(told, "notification_received");
        assert_eq!(types(&page), expected);
        assert_eq!(seqs(&page), [1, 2, 3, 4]);
        assert_eq!(page["position"], 4);
        let first = &page["events"][0];
        assert_eq!(first["request_id"], request_id);
        assert_eq!(first["sender"]["handle"], "anna");
        assert_eq!(first["recipient"]["handle"], "boris");
        assert!(first["at"].is_string());
    }
    let nobody_else = events_after(&app, &carol, 0).await;
    assert_eq!(types(&nobody_else), Vec::<String>::new());
    assert_eq!(nobody_else["position"], 0);
}

#[tokio::test]
async fn reading_goes_on_after_any_position_in_order() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    for other in ["bee1", "bee2", "bee3", "bee4"] {
        app.signed_up_user(other).await;
        assert_eq!(request(&app, &anna, other).await.status(), 201);
    }
    assert_eq!(seqs(&events_after(&app, &anna, 2).await), [3, 4]);
    let first_page: Value = app
        .get("/api/v1/events?after=0&limit=3", Some(&anna.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seqs(&first_page), [1, 2, 3]);
    assert_eq!(first_page["position"], 4, "there is more");
    assert_eq!(seqs(&events_after(&app, &anna, 4).await), Vec::<i64>::new());
}

#[tokio::test]
async fn a_refused_change_records_nothing_and_numbers_stay_gap_free() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    assert_eq!(
        app.put_as("/api/v1/blocks/anna", &boris.access_token)
            .await
            .status(),
        204
    );
    assert_eq!(request(&app, &anna, "boris").await.status(), 403);
    assert_eq!(events_after(&app, &anna, 0).await["position"], 0);
    let blocker = events_after(&app, &boris, 0).await;
    assert_eq!(types(&blocker), ["user_blocked"], "only the block itself");

    app.signed_up_user("carol").await;
    assert_eq!(request(&app, &anna, "carol").await.status(), 201);
    assert_eq!(seqs(&events_after(&app, &anna, 0).await), [1]);
}

#[tokio::test]
async fn the_blocked_person_learns_what_ended_but_never_of_the_block() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    for (from, to) in [(&anna, "boris"), (&boris, "anna")] {
        assert!(request(&app, from, to).await.status().is_success());
    }
    assert_eq!(
        app.put_as("/api/v1/blocks/boris", &anna.access_token)
            .await
            .status(),
        204
    );
    // Three events each so far: the request, its acceptance, and the
    // notification of one of them.
    assert_eq!(
        types(&events_after(&app, &anna, 3).await),
        ["friendship_ended", "user_blocked"]
    );
    assert_eq!(
        types(&events_after(&app, &boris, 3).await),
        ["friendship_ended"]
    );
    assert_eq!(
        app.delete_as("/api/v1/blocks/boris", &anna.access_token)
            .await
            .status(),
        204
    );
    assert_eq!(
        types(&events_after(&app, &anna, 5).await),
        ["user_unblocked"]
    );
    assert_eq!(events_after(&app, &boris, 0).await["position"], 4);
}

#[tokio::test]
async fn declined_and_cancelled_requests_are_told_to_both() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let first: Value = request(&app, &anna, "boris").await.json().await.unwrap();
    let id = first["request"]["id"].as_str().unwrap().to_owned();
    app.post_as(
        &format!("/api/v1/friends/requests/{id}/decline"),
        &boris.access_token,
        &json!({}),
    )
    .await;
    let second: Value = request(&app, &anna, "boris").await.json().await.unwrap();
    let id = second["request"]["id"].as_str().unwrap().to_owned();
    app.delete_as(
        &format!("/api/v1/friends/requests/{id}"),
        &anna.access_token,
    )
    .await;
    assert_eq!(
        types(&events_after(&app, &anna, 0).await),
        [
            "friend_request_sent",
            "friend_request_declined",
            "friend_request_sent",
            "friend_request_cancelled"
        ]
    );
    assert_eq!(
        types(&events_after(&app, &boris, 0).await),
        [
            "friend_request_sent",
            "notification_received",
            "friend_request_declined",
            "friend_request_sent",
            "notification_received",
            "friend_request_cancelled"
        ]
    );
}

#[tokio::test]
async fn many_changes_at_once_are_numbered_one_by_one() {
    let app = TestApp::spawn().await;
    let popular = app.signed_up_user("popular").await;
    let mut fans = Vec::new();
    for n in 0..8 {
        fans.push(app.signed_up_user(&format!("fan{n}")).await);
    }
    let mut requests = tokio::task::JoinSet::new();
    for fan in fans {
        let request = app
            .request(reqwest::Method::POST, "/api/v1/friends/requests")
            .bearer_auth(&fan.access_token)
            .json(&json!({"handle": "popular"}));
        requests.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    assert_eq!(requests.join_all().await, vec![201; 8]);
    // Each request and its notification.
    assert_eq!(
        seqs(&events_after(&app, &popular, 0).await),
        (1..=16).collect::<Vec<i64>>()
    );
}

#[tokio::test]
async fn a_position_no_longer_kept_or_never_reached_asks_for_a_reload() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    for other in ["bee1", "bee2", "bee3"] {
        app.signed_up_user(other).await;
        request(&app, &anna, other).await;
    }
    let ahead = app
        .get("/api/v1/events?after=4", Some(&anna.access_token))
        .await;
    assert_problem(ahead, 409, "resync_required").await;

    // Keep only the newest event, as pruning does past its count.
    let pruned = tokio::task::spawn_blocking({
        let mut conn = app.db.connect();
        move || {
            noxchat::events::queries::prune(
                &mut conn,
                chrono::Utc::now() - chrono::Duration::days(7),
                1,
            )
        }
    })
    .await
    .unwrap()
    .unwrap();
    // Anna's two oldest, and each bee's request (its notification is newer).
    assert_eq!(pruned, 5);
    let behind = app
        .get("/api/v1/events?after=1", Some(&anna.access_token))
        .await;
    assert_problem(behind, 409, "resync_required").await;
    assert_eq!(seqs(&events_after(&app, &anna, 2).await), [3]);

    assert_problem(
        app.get("/api/v1/events?after=0&limit=0", Some(&anna.access_token))
            .await,
        400,
        "invalid_limit",
    )
    .await;
    assert_problem(
        app.get("/api/v1/events?after=0", None).await,
        401,
        "authentication_required",
    )
    .await;
}

async fn other_session_id(app: &TestApp, user: &TestUser) -> String {
    let sessions: Value = app
        .get("/api/v1/auth/sessions", Some(&user.access_token))
        .await
        .json()
        .await
        .unwrap();
    sessions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|session| session["current"] == false)
        .expect("a session on another device")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn every_way_a_session_ends_is_told_to_its_owner() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;

    assert_eq!(
        app.login("anna", crate::support::app::PASSWORD)
            .await
            .status(),
        200
    );
    let ended_from_here = other_session_id(&app, &anna).await;
    assert_eq!(
        app.delete_as(
            &format!("/api/v1/auth/sessions/{ended_from_here}"),
            &anna.access_token
        )
        .await
        .status(),
        204
    );

    assert_eq!(
        app.login("anna", crate::support::app::PASSWORD)
            .await
            .status(),
        200
    );
    let ended_by_new_password = other_session_id(&app, &anna).await;
    let changed = app
        .request(reqwest::Method::PUT, "/api/v1/me/password")
        .bearer_auth(&anna.access_token)
        .json(&json!({"current_password": crate::support::app::PASSWORD, "new_password": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);

    let page = events_after(&app, &anna, 0).await;
    assert_eq!(types(&page), ["session_ended", "session_ended"]);
    assert_eq!(page["events"][0]["session_id"], ended_from_here.as_str());
    assert_eq!(
        page["events"][1]["session_id"],
        ended_by_new_password.as_str()
    );
}

#[tokio::test]
async fn my_profile_changes_reach_my_devices() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let renamed = app
        .patch_as(
            "/api/v1/me",
            &anna.access_token,
            &json!({"display_name": "Анна К.", "online_status_visibility": "nobody"}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let picture = crate::uploads::png(64, 64);
    let uploaded = app
        .upload_avatar(&anna.access_token, picture, "me.png")
        .await;
    assert_eq!(uploaded.status(), 200);
    let refused = app
        .patch_as(
            "/api/v1/me",
            &anna.access_token,
            &json!({"bio": "x".repeat(501)}),
        )
        .await;
    assert_eq!(refused.status(), 422);

    let page = events_after(&app, &anna, 0).await;
    assert_eq!(
        types(&page),
        ["profile_changed", "profile_changed"],
        "nothing for the refused change"
    );
    assert_eq!(page["events"][0]["me"]["display_name"], "Анна К.");
    assert_eq!(
        page["events"][0]["me"]["online_status_visibility"],
        "nobody"
    );
    assert_eq!(page["events"][1]["me"]["avatar"]["is_default"], false);
}
