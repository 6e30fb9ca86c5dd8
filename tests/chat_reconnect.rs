//! A client that drops in the middle of a burst of messages and comes back
//! misses none and sees none twice: it resumes from the last event it had.

use std::collections::BTreeSet;

use crate::support::TestApp;
use crate::support::forum::id_of;

#[tokio::test]
async fn a_reconnect_in_the_middle_of_a_burst_loses_and_doubles_nothing() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let (mut bobs, _) = app.live_socket(bob.token()).await;

    // Alice sends 30 messages one after another while bob's client drops
    // after the fifth it receives and comes back.
    let burst = {
        let (address, token, id) = (app.address.clone(), alice.token().to_owned(), id.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            for n in 1..=30 {
                let sent = client
                    .post(format!("{address}/api/v1/conversations/{id}/messages"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({
                        "client_id": uuid::Uuid::new_v4(),
                        "body": format!("Message {n}")
                    }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(sent.status(), 201);
            }
        })
    };
    let mut seen = Vec::new();
    let mut last_event = 0;
    for _ in 0..5 {
        let frame = bobs.event().await;
        last_event = frame["seq"].as_i64().unwrap();
        seen.push(frame["event"]["message"]["seq"].as_i64().unwrap());
    }
    bobs.close().await;
    let (mut again, _) = app.socket(bob.token()).await;
    again.resume(last_event).await;
    while seen.len() < 30 {
        let frame = again.event().await;
        assert_eq!(
            frame["seq"].as_i64().unwrap(),
            last_event + 1,
            "no gap, no repeat"
        );
        last_event += 1;
        seen.push(frame["event"]["message"]["seq"].as_i64().unwrap());
    }
    burst.await.unwrap();
    assert_eq!(seen, (1..=30).collect::<Vec<i64>>());
    let distinct: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(distinct.len(), 30);
}
