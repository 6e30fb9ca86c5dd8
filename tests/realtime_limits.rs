//! The gateway defends itself and its other clients: bad frames are refused
//! with stable codes, floods and dead or slow clients are closed, and
//! nothing is lost for a client that resumes after any of it.

use std::str::FromStr;
use std::time::Duration;

use diesel::Connection;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::socket::{Ending, Socket};

async fn error_code(socket: &mut Socket) -> String {
    let frame = socket.frame().await;
    assert_eq!(frame["type"], "error", "{frame}");
    assert!(frame["message"].as_str().is_some_and(|m| !m.is_empty()));
    frame["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_bad_frame_gets_an_error_frame_and_the_connection_stays() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let (mut socket, _) = app.live_socket(&boris.access_token).await;

    let large = format!(
        r#"{{"type":"resume","after":0,"pad":"{}"}}"#,
        "x".repeat(70_000)
    );
    socket.send_text(large).await;
    assert_eq!(error_code(&mut socket).await, "frame_too_large");
    socket.send_text("{nope".into()).await;
    assert_eq!(error_code(&mut socket).await, "invalid_json");
    socket.send_binary(vec![1, 2, 3]).await;
    assert_eq!(error_code(&mut socket).await, "invalid_json");
    socket.send(json!({"type": "dance"})).await;
    assert_eq!(error_code(&mut socket).await, "unknown_frame_type");
    socket.send(json!({"type": "resume", "after": "x"})).await;
    assert_eq!(error_code(&mut socket).await, "invalid_frame");
    socket.send(json!({"token": "no type"})).await;
    assert_eq!(error_code(&mut socket).await, "invalid_frame");
    socket
        .send(json!({"type": "authenticate", "token": boris.access_token}))
        .await;
    assert_eq!(error_code(&mut socket).await, "already_authenticated");
    socket.send(json!({"type": "resume", "after": 0})).await;
    assert_eq!(error_code(&mut socket).await, "already_resumed");

    app.send_friend_request(&anna, "boris").await;
    assert_eq!(socket.event().await["seq"], 1, "still delivering");
}

#[tokio::test]
async fn a_frame_beyond_any_reason_closes_the_connection_with_1009() {
    let app = TestApp::spawn().await;
    let boris = app.signed_up_user("boris").await;
    let (mut socket, _) = app.live_socket(&boris.access_token).await;
    socket.send_text("x".repeat(2 * 1024 * 1024)).await;
    let (_, ending) = socket.until_closed().await;
    assert_eq!(ending, Ending::Closed(1009));
}

#[tokio::test]
async fn a_flooding_client_is_refused_then_closed_while_others_are_served() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let (mut flood, _) = app.live_socket(&anna.access_token).await;
    let (mut calm, _) = app.live_socket(&boris.access_token).await;

    for _ in 0..200 {
        flood.send(json!({"type": "dance"})).await;
    }
    let (frames, ending) = flood.until_closed().await;
    assert_eq!(ending, Ending::Closed(4029));
    let codes: Vec<&str> = frames.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes.iter().filter(|code| **code == "rate_limited").count(),
        1,
        "told once: {codes:?}"
    );
    assert!(codes.len() < 60, "most frames were not even answered");

    let carol = app.signed_up_user("carol").await;
    app.send_friend_request(&carol, "boris").await;
    assert_eq!(calm.event().await["seq"], 1);
}

#[tokio::test]
async fn a_client_that_stops_answering_is_closed_and_one_that_answers_stays() {
    let app = TestApp::spawn_with(&[
        ("NOXCHAT_REALTIME_PING_MS", "200"),
        ("NOXCHAT_REALTIME_TIMEOUT_MS", "800"),
    ])
    .await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let (dead, ready) = app.live_socket(&boris.access_token).await;
    assert_eq!(
        ready["heartbeat"],
        json!({"interval_ms": 200, "timeout_ms": 800})
    );
    let (mut alive, _) = app.live_socket(&boris.access_token).await;

    // The dead one reads nothing (so answers no ping) while the live one
    // reads, and answers, for well over the timeout.
    alive.stay_quiet_for(Duration::from_millis(2_500)).await;
    assert_eq!(dead.close_code_sent_while_silent().await, Some(4005));

    app.send_friend_request(&anna, "boris").await;
    assert_eq!(alive.event().await["seq"], 1);
}

#[tokio::test]
async fn a_client_that_cannot_keep_up_is_closed_as_too_slow_and_resumes_without_loss() {
    let app = TestApp::spawn_with(&[("NOXCHAT_REALTIME_SEND_TIMEOUT_MS", "300")]).await;
    let boris = app.signed_up_user("boris").await;
    let (mut slow, _) = app.live_socket(&boris.access_token).await;

    // Far more than socket buffers hold: 300 events of about 60 KB each.
    let me: Value = app
        .get("/api/v1/me", Some(&boris.access_token))
        .await
        .json()
        .await
        .unwrap();
    let mut big = me.clone();
    big["bio"] = json!("x".repeat(60_000));
    let big: noxchat::core::MeResponse = serde_json::from_value(big).unwrap();
    let boris_id = noxchat::core::UserId::from_str(me["id"].as_str().unwrap()).unwrap();
    let event = noxchat::events::Event::ProfileChanged { me: Box::new(big) };
    let mut conn = app.db.connect();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        for _ in 0..300 {
            noxchat::events::publish(conn, &[boris_id], &event, chrono::Utc::now())?;
        }
        Ok(())
    })
    .unwrap();
    // Not reading, long past the server's patience.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let (frames, ending) = slow.until_closed().await;
    assert_eq!(ending, Ending::Closed(4008));
    let received: Vec<i64> = frames.iter().map(|f| f["seq"].as_i64().unwrap()).collect();
    let last = *received.last().unwrap();
    assert!(last < 300, "closed before the end");
    assert_eq!(received, (1..=last).collect::<Vec<_>>());

    let (mut again, _) = app.socket(&boris.access_token).await;
    again.send(json!({"type": "resume", "after": last})).await;
    for expected in last + 1..=300 {
        assert_eq!(again.event().await["seq"], expected);
    }
}

#[tokio::test]
async fn stopping_the_server_tells_clients_to_come_back_with_1012() {
    let mut app = TestApp::spawn().await;
    let boris = app.signed_up_user("boris").await;
    let (mut socket, _) = app.live_socket(&boris.access_token).await;
    app.stop_server();
    let (_, ending) = socket.until_closed().await;
    assert_eq!(ending, Ending::Closed(1012));
}

#[tokio::test]
async fn a_lost_database_listener_is_restarted_and_nothing_committed_meanwhile_is_missed() {
    let app = TestApp::spawn().await;
    let anna = app.signed_up_user("anna").await;
    let boris = app.signed_up_user("boris").await;
    let (mut socket, _) = app.live_socket(&boris.access_token).await;

    // The relay connects in the background: wait until it is there.
    let mut terminated = 0;
    for _ in 0..100 {
        terminated = app.db.execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{}' AND application_name = '{}'",
            app.db.name,
            noxchat::realtime::relay::APPLICATION_NAME
        ));
        if terminated > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(terminated, 1, "one relay connection");
    // Committed while no relay may be listening.
    app.send_friend_request(&anna, "boris").await;
    assert_eq!(socket.event().await["seq"], 1);

    let mut restarts = Value::Null;
    for _ in 0..100 {
        let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
        restarts = crate::jobs::task(&ready, "event_relay")["restarts"].clone();
        if restarts == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(restarts, 1, "the relay was restarted");
    let carol = app.signed_up_user("carol").await;
    app.send_friend_request(&carol, "boris").await;
    assert_eq!(socket.event().await["seq"], 2);
}
