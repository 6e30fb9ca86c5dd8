//! Messages sent on this instance are handed to the recipients' sockets
//! without reading the log: what arrives must still be exactly what the log
//! and the history say, once each and in order whatever the senders race;
//! and a socket whose session has expired still closes.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::Value;

use crate::support::TestApp;
use crate::support::chat::{Chatter, client_id, next_event};
use crate::support::forum::id_of;
use crate::support::socket::Ending;
use crate::tokens::claims_of;

/// Senders writing to the same person at once.
const SENDERS: usize = 4;
/// Messages each of them sends.
const EACH: usize = 15;
/// What is left of a session that is about to expire.
const SESSION_LEFT: Duration = Duration::from_secs(4);

#[tokio::test]
async fn messages_racing_from_many_senders_arrive_once_each_in_log_order_as_history_shows_them() {
    let app = TestApp::spawn().await;
    let boris = app.chatter("boris").await;
    let mut senders: Vec<(Chatter, String)> = Vec::new();
    for n in 0..SENDERS {
        let sender = app.chatter(&format!("sender{n}")).await;
        let id = id_of(&app.direct(&sender, &boris).await);
        senders.push((sender, id));
    }
    let (mut socket, ready) = app.live_socket(boris.token()).await;
    let mut last_event = ready["position"].as_i64().unwrap();

    let mut sending = Vec::new();
    for (sender, id) in &senders {
        let (app_address, token, id) = (app.address.clone(), sender.token().to_owned(), id.clone());
        sending.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            for n in 1..=EACH {
                let sent = client
                    .post(format!("{app_address}/api/v1/conversations/{id}/messages"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"client_id": client_id(), "body": format!("n{n}")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(sent.status(), 201);
            }
        }));
    }

    let mut received: BTreeMap<(String, i64), Value> = BTreeMap::new();
    while received.len() < SENDERS * EACH {
        let frame = socket.event().await;
        let seq = frame["seq"].as_i64().unwrap();
        assert_eq!(seq, last_event + 1, "no gap, no repeat: {frame}");
        last_event = seq;
        assert_eq!(frame["event"]["type"], "message_created", "{frame}");
        let message = frame["event"]["message"].clone();
        let key = (
            message["conversation_id"].as_str().unwrap().to_owned(),
            message["seq"].as_i64().unwrap(),
        );
        assert!(
            received.insert(key, message).is_none(),
            "delivered twice: {frame}"
        );
    }
    for sent in sending {
        sent.await.unwrap();
    }

    for (_, id) in &senders {
        let history = app
            .history(boris.token(), id, &format!("?limit={EACH}"))
            .await;
        let items = history["items"].as_array().unwrap();
        assert_eq!(items.len(), EACH);
        let mut seqs = BTreeSet::new();
        for stored in items {
            let key = (id.clone(), stored["seq"].as_i64().unwrap());
            seqs.insert(key.1);
            assert_eq!(
                received.get(&key),
                Some(stored),
                "the socket said what history says"
            );
        }
        assert_eq!(seqs, (1..=EACH as i64).collect());
    }
}

#[tokio::test]
async fn a_socket_whose_session_expires_closes_at_the_next_message() {
    let app = TestApp::spawn().await;
    let anna = app.chatter("anna").await;
    let boris = app.chatter("boris").await;
    let id = id_of(&app.direct(&anna, &boris).await);
    // Boris's session ends in a few seconds, as it would after 12 hours
    // left alone; the socket reads when, as it resumes.
    let session = claims_of(boris.token())["sid"].as_str().unwrap().to_owned();
    let ends = tokio::time::Instant::now() + SESSION_LEFT;
    let shortened = app.db.execute(&format!(
        "UPDATE sessions SET expires_at = now() + interval '{} seconds' WHERE id = '{session}'",
        SESSION_LEFT.as_secs()
    ));
    assert_eq!(shortened, 1);
    let (mut socket, _) = app.live_socket(boris.token()).await;
    app.say(anna.token(), &id, "Before").await;
    let before = next_event(&mut socket, "message_created").await;
    assert_eq!(before["message"]["body"], "Before");

    tokio::time::sleep_until(ends + Duration::from_millis(100)).await;
    app.say(anna.token(), &id, "After").await;
    let (frames, ending) = socket.until_closed().await;
    assert_eq!(ending, Ending::Closed(4004), "after {frames:?}");
}
