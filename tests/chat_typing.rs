//! Typing: an ephemeral frame for the other members of a conversation,
//! passed on at most once every two seconds per connection, never stored.

use serde_json::json;

use crate::support::TestApp;
use crate::support::chat::next_event;
use crate::support::forum::id_of;

#[tokio::test]
async fn typing_reaches_the_other_members_at_once_and_is_never_stored() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let alices_laptop = app.second_device(&alice).await;
    let (mut alices_phone, _) = app.live_socket(alice.token()).await;
    let (mut alices_other, _) = app.live_socket(&alices_laptop).await;
    let (mut bobs, bobs_ready) = app.live_socket(bob.token()).await;

    alices_phone
        .send(json!({"type": "typing", "conversation_id": id}))
        .await;
    let typing = bobs.frame().await;
    assert_eq!(
        typing,
        json!({
            "type": "user_typing",
            "conversation_id": id,
            "user_id": alice.id,
            "expires_in_ms": 5000
        })
    );
    // Again at once: not passed on. The next thing bob hears is a message,
    // and alice's other device never hears her own typing.
    alices_phone
        .send(json!({"type": "typing", "conversation_id": id}))
        .await;
    app.say(alice.token(), &id, "Hi").await;
    let next = bobs.frame().await;
    assert_eq!(next["event"]["type"], "message_created", "{next}");
    next_event(&mut alices_other, "message_created").await;
    let log = app
        .get(
            &format!("/api/v1/events?after={}", bobs_ready["position"]),
            Some(bob.token()),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let kinds: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["message_created"], "typing is not stored");
}

#[tokio::test]
async fn typing_in_a_conversation_i_am_not_in_is_refused() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let (mut carols, _) = app.live_socket(carol.token()).await;
    carols
        .send(json!({"type": "typing", "conversation_id": id}))
        .await;
    let refused = carols.frame().await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["code"], "unknown_conversation");
    carols
        .send(json!({"type": "typing", "conversation_id": "not-an-id"}))
        .await;
    assert_eq!(carols.frame().await["code"], "invalid_frame");
}
