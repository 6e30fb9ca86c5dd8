//! The real-time gateway, through real WebSockets: who may connect, what
//! `ready` says, every event reaching every connection of the right people
//! exactly once and in order, across disconnects, and sockets closing when
//! their session ends.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{SECRET, TestUser, assert_problem};
use crate::support::socket::{Ending, Socket};
use crate::tokens::{claims_of, sign};

async fn cancel_request(app: &TestApp, from: &TestUser, request: &Value) {
    let id = request["request"]["id"].as_str().unwrap();
    let response = app
        .delete_as(
            &format!("/api/v1/friends/requests/{id}"),
            &from.access_token,
        )
        .await;
    assert_eq!(response.status(), 204);
}

fn kind(frame: &Value) -> &str {
    frame["event"]["type"].as_str().unwrap()
}

async fn expect_close(socket: &mut Socket, code: u16) {
    let (frames, ending) = socket.until_closed().await;
    assert_eq!(ending, Ending::Closed(code), "after {frames:?}");
}

#[tokio::test]
async fn a_plain_request_is_told_to_speak_websocket() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/api/v1/realtime", None).await,
        400,
        "websocket_required",
    )
    .await;
}

#[tokio::test]
async fn ready_says_who_i_am_where_my_log_stands_and_what_waits_for_me() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    app.send_friend_request(&anna, "boris").await;

    let (_socket, ready) = app.socket(&boris.access_token).await;
    assert_eq!(ready["user"]["handle"], "boris");
    assert_eq!(ready["user"]["email"], "boris@example.org");
    assert_eq!(ready["session_id"], claims_of(&boris.access_token)["sid"]);
    assert_eq!(
        ready["position"], 2,
        "the request and its notification are boris's first events"
    );
    assert_eq!(ready["counts"]["incoming_friend_requests"], 1);
    assert_eq!(ready["counts"]["unread_notifications"], 1);
    assert_eq!(ready["heartbeat"]["interval_ms"], 20_000);
    assert_eq!(ready["heartbeat"]["timeout_ms"], 60_000);
}

#[tokio::test]
async fn the_first_frame_must_be_a_valid_authenticate() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;

    let mut resume_first = app.open_socket().await;
    resume_first
        .send(json!({"type": "resume", "after": 0}))
        .await;
    expect_close(&mut resume_first, 4000).await;

    let mut garbage = app.open_socket().await;
    garbage.send_text("hello".into()).await;
    expect_close(&mut garbage, 4000).await;

    let mut forged = app.open_socket().await;
    let claims = claims_of(&anna.access_token);
    forged
        .send(json!({"type": "authenticate", "token": sign(&claims, "another-secret-another-secret-42")}))
        .await;
    expect_close(&mut forged, 4001).await;

    let mut expired = app.open_socket().await;
    let mut old = claims.clone();
    old["exp"] = json!(chrono::Utc::now().timestamp() - 600);
    expired
        .send(json!({"type": "authenticate", "token": sign(&old, SECRET)}))
        .await;
    expect_close(&mut expired, 4002).await;

    let signed_out = app.signed_up_user("boris").await;
    let response = app
        .post_as(
            "/api/v1/auth/logout",
            &signed_out.access_token,
            &json!({"refresh_token": signed_out.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), 204);
    let mut ended = app.open_socket().await;
    ended
        .send(json!({"type": "authenticate", "token": signed_out.access_token}))
        .await;
    expect_close(&mut ended, 4001).await;
}

#[tokio::test]
async fn a_socket_that_does_not_authenticate_within_five_seconds_is_closed() {
    let app = TestApp::spawn().await;
    let mut silent = app.open_socket().await;
    expect_close(&mut silent, 4003).await;
}

#[tokio::test]
async fn every_connection_of_both_people_gets_each_friend_event_and_no_one_else_does() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let carol = app.signed_up_user("carol").await;
    let (mut anna_phone, _) = app.live_socket(&anna.access_token).await;
    let (mut anna_laptop, _) = app.live_socket(&anna.access_token).await;
    let (mut boris_phone, _) = app.live_socket(&boris.access_token).await;
    let (mut carol_phone, _) = app.live_socket(&carol.access_token).await;

    let request = app.send_friend_request(&anna, "boris").await;
    for socket in [&mut anna_phone, &mut anna_laptop, &mut boris_phone] {
        let frame = socket.event().await;
        assert_eq!(kind(&frame), "friend_request_sent");
        assert_eq!(frame["seq"], 1);
        assert_eq!(frame["event"]["request_id"], request["request"]["id"]);
        assert_eq!(frame["event"]["sender"]["handle"], "anna");
    }
    let told = boris_phone.event().await;
    assert_eq!(kind(&told), "notification_received");
    assert_eq!(told["seq"], 2);
    assert_eq!(told["event"]["notification"]["kind"], "friend_request");
    let accept = app
        .post_as(
            &format!(
                "/api/v1/friends/requests/{}/accept",
                request["request"]["id"].as_str().unwrap()
            ),
            &boris.access_token,
            &json!({}),
        )
        .await;
    assert_eq!(accept.status(), 204);
    for (socket, seq) in [
        (&mut anna_phone, 2),
        (&mut anna_laptop, 2),
        (&mut boris_phone, 3),
    ] {
        let frame = socket.event().await;
        assert_eq!(kind(&frame), "friend_request_accepted");
        assert_eq!(frame["seq"], seq);
    }
    for socket in [&mut anna_phone, &mut anna_laptop] {
        let told = socket.event().await;
        assert_eq!(told["event"]["notification"]["kind"], "friend_accepted");
        assert_eq!(told["seq"], 3);
    }

    // Carol's first event is her own: nothing of anna's and boris's came first.
    let dmitri = app.signed_up_user("dmitri").await;
    app.send_friend_request(&dmitri, "carol").await;
    let frame = carol_phone.event().await;
    assert_eq!(kind(&frame), "friend_request_sent");
    assert_eq!(frame["event"]["sender"]["handle"], "dmitri");
    assert_eq!(frame["seq"], 1);
}

#[tokio::test]
async fn events_made_while_offline_arrive_once_in_order_then_live_ones_follow() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let (mut socket, _) = app.live_socket(&boris.access_token).await;
    let first = app.send_friend_request(&anna, "boris").await;
    let seen = socket.event().await["seq"].as_i64().unwrap();
    assert_eq!(seen, 1);
    socket.close().await;

    cancel_request(&app, &anna, &first).await;
    let second = app.send_friend_request(&anna, "boris").await;
    cancel_request(&app, &anna, &second).await;

    let (mut socket, ready) = app.socket(&boris.access_token).await;
    assert_eq!(ready["position"], 6);
    socket.send(json!({"type": "resume", "after": seen})).await;
    let mut missed = Vec::new();
    for _ in 0..5 {
        let frame = socket.event().await;
        missed.push((frame["seq"].as_i64().unwrap(), kind(&frame).to_owned()));
    }
    assert_eq!(
        missed,
        [
            (2, "notification_received".to_owned()),
            (3, "friend_request_cancelled".to_owned()),
            (4, "friend_request_sent".to_owned()),
            (5, "notification_received".to_owned()),
            (6, "friend_request_cancelled".to_owned()),
        ]
    );
    app.send_friend_request(&anna, "boris").await;
    let live = socket.event().await;
    assert_eq!(live["seq"], 7, "no gap and no repeat at the seam");
    assert_eq!(kind(&live), "friend_request_sent");
}

#[tokio::test]
async fn resuming_from_a_position_the_log_cannot_cover_asks_for_a_resync() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    app.send_friend_request(&anna, "boris").await;

    let (mut ahead, _) = app.socket(&boris.access_token).await;
    ahead.send(json!({"type": "resume", "after": 99})).await;
    let frame = ahead.frame().await;
    assert_eq!(frame, json!({"type": "resync_required", "position": 2}));

    let (mut pruned, _) = app.socket(&boris.access_token).await;
    app.db.execute("DELETE FROM user_events WHERE seq = 1");
    pruned.send(json!({"type": "resume", "after": 0})).await;
    assert_eq!(
        pruned.frame().await,
        json!({"type": "resync_required", "position": 2})
    );

    // Both go on live from the position they were given.
    let carol = app.signed_up_user("carol").await;
    app.send_friend_request(&carol, "boris").await;
    for socket in [&mut ahead, &mut pruned] {
        let frame = socket.event().await;
        assert_eq!(frame["seq"], 3);
        assert_eq!(frame["event"]["sender"]["handle"], "carol");
    }
}

#[tokio::test]
async fn ending_a_session_closes_its_sockets_and_only_those() {
    let app = TestApp::spawn().await;
    let boris_laptop = app.signed_up_user("boris").await;
    let boris_phone = app.login_user("boris").await;
    let (mut laptop, _) = app.live_socket(&boris_laptop.access_token).await;
    let (mut phone, _) = app.live_socket(&boris_phone.access_token).await;

    let laptop_session = claims_of(&boris_laptop.access_token)["sid"].clone();
    let ended = app
        .delete_as(
            &format!("/api/v1/auth/sessions/{}", laptop_session.as_str().unwrap()),
            &boris_phone.access_token,
        )
        .await;
    assert_eq!(ended.status(), 204);

    let (frames, ending) = laptop.until_closed().await;
    assert_eq!(ending, Ending::Closed(4004));
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert_eq!(kind(&frames[0]), "session_ended");
    assert_eq!(frames[0]["event"]["session_id"], laptop_session);

    let told = phone.event().await;
    assert_eq!(
        kind(&told),
        "session_ended",
        "the other device learns of it"
    );
    let anna = app.signed_up_user("anna").await;
    app.send_friend_request(&anna, "boris").await;
    assert_eq!(
        kind(&phone.event().await),
        "friend_request_sent",
        "still open"
    );
}

#[tokio::test]
async fn deleting_the_account_closes_its_sockets() {
    let app = TestApp::spawn().await;
    let boris = app.signed_up_user("boris").await;
    let (mut socket, _) = app.live_socket(&boris.access_token).await;
    let deleted = app
        .request(reqwest::Method::DELETE, "/api/v1/me")
        .bearer_auth(&boris.access_token)
        .json(&json!({"password": crate::support::app::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    expect_close(&mut socket, 4004).await;
}

#[tokio::test]
async fn a_socket_that_has_not_resumed_yet_still_closes_when_its_session_ends() {
    let app = TestApp::spawn().await;
    let boris = app.signed_up_user("boris").await;
    let (mut socket, _) = app.socket(&boris.access_token).await;
    let response = app
        .post_as(
            "/api/v1/auth/logout",
            &boris.access_token,
            &json!({"refresh_token": boris.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), 204);
    let (frames, ending) = socket.until_closed().await;
    assert_eq!(ending, Ending::Closed(4004));
    assert!(frames.is_empty(), "no events before resume: {frames:?}");
}

#[tokio::test]
async fn a_password_change_closes_the_sockets_of_the_other_sessions_only() {
    let app = TestApp::spawn().await;
    let here = app.signed_up_user("boris").await;
    let elsewhere = app.login_user("boris").await;
    let (mut this_device, _) = app.live_socket(&here.access_token).await;
    let (mut other_device, _) = app.live_socket(&elsewhere.access_token).await;

    let changed = app
        .request(reqwest::Method::PUT, "/api/v1/me/password")
        .bearer_auth(&here.access_token)
        .json(&json!({
            "current_password": crate::support::app::PASSWORD,
            "new_password": "a brand new passphrase",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    expect_close(&mut other_device, 4004).await;
    let told = this_device.event().await;
    assert_eq!(kind(&told), "session_ended");
    let anna = app.signed_up_user("anna").await;
    app.send_friend_request(&anna, "boris").await;
    assert_eq!(kind(&this_device.event().await), "friend_request_sent");
}

#[tokio::test]
async fn an_event_this_version_cannot_read_is_passed_over_not_stuck_on() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let (mut socket, _) = app.live_socket(&boris.access_token).await;
    let request = app.send_friend_request(&anna, "boris").await;
    assert_eq!(socket.event().await["seq"], 1);
    assert_eq!(socket.event().await["seq"], 2, "its notification");

    // As a newer server in a rolling upgrade would write it.
    app.db.execute(
        "INSERT INTO user_events (user_id, seq, event, created_at) \
         SELECT id, 3, '{\"type\": \"from_the_future\"}', now() FROM users WHERE handle = 'boris'",
    );
    app.db.execute(
        "UPDATE user_event_positions SET last_seq = 3 \
         WHERE user_id = (SELECT id FROM users WHERE handle = 'boris')",
    );
    cancel_request(&app, &anna, &request).await;
    let next = socket.event().await;
    assert_eq!(next["seq"], 4);
    assert_eq!(kind(&next), "friend_request_cancelled");

    let page: Value = app
        .get("/api/v1/events?after=0", Some(&boris.access_token))
        .await
        .json()
        .await
        .unwrap();
    let seqs: Vec<i64> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 4]);
}
