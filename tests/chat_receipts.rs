//! Read receipts: on by default; someone who turns them off neither sends
//! nor sees them, while their own devices still follow their read marks.

use serde_json::json;

use crate::support::TestApp;
use crate::support::chat::next_event;
use crate::support::forum::id_of;

async fn set_receipts(app: &TestApp, token: &str, on: bool) {
    let response = app
        .patch_as("/api/v1/me", token, &json!({"read_receipts": on}))
        .await;
    assert_eq!(response.status(), 200);
    let me: serde_json::Value = response.json().await.unwrap();
    assert_eq!(me["read_receipts"], on);
}

#[tokio::test]
async fn read_receipts_reach_the_sender_only_while_both_keep_them_on() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    assert_eq!(
        app.me(alice.token()).await["read_receipts"],
        true,
        "on by default"
    );
    let id = id_of(&app.direct(&alice, &bob).await);
    let (mut alices, _) = app.live_socket(alice.token()).await;
    let bobs_phone = app.second_device(&bob).await;
    let (mut bobs_other, _) = app.live_socket(&bobs_phone).await;

    app.say(alice.token(), &id, "One").await;
    next_event(&mut alices, "message_created").await;
    next_event(&mut bobs_other, "message_created").await;
    app.mark_read(bob.token(), &id, 1).await;
    let read = next_event(&mut alices, "conversation_read").await;
    assert_eq!(
        (read["seq"].as_i64(), read["user_id"].as_str()),
        (Some(1), Some(bob.id.as_str()))
    );
    next_event(&mut bobs_other, "conversation_read").await;

    // Bob turns them off: his own devices still follow, alice learns nothing.
    set_receipts(&app, bob.token(), false).await;
    next_event(&mut bobs_other, "profile_changed").await;
    app.say(alice.token(), &id, "Two").await;
    next_event(&mut alices, "message_created").await;
    next_event(&mut bobs_other, "message_created").await;
    app.mark_read(bob.token(), &id, 2).await;
    next_event(&mut bobs_other, "conversation_read").await;
    app.say(alice.token(), &id, "Three").await;
    let after = next_event(&mut alices, "message_created").await;
    assert_eq!(after["message"]["seq"], 3, "no receipt came before it");
    next_event(&mut bobs_other, "message_created").await;

    // Alice turns hers off too and bob back on: she sees none, sends none.
    set_receipts(&app, alice.token(), false).await;
    next_event(&mut alices, "profile_changed").await;
    set_receipts(&app, bob.token(), true).await;
    next_event(&mut bobs_other, "profile_changed").await;
    app.mark_read(bob.token(), &id, 3).await;
    next_event(&mut bobs_other, "conversation_read").await;
    app.say(bob.token(), &id, "Four").await;
    let next = next_event(&mut alices, "message_created").await;
    assert_eq!(next["message"]["seq"], 4, "bob's read never reached alice");
    next_event(&mut bobs_other, "message_created").await;
    app.mark_read(alice.token(), &id, 4).await;
    next_event(&mut alices, "conversation_read").await;
    app.say(alice.token(), &id, "Five").await;
    let theirs = next_event(&mut bobs_other, "message_created").await;
    assert_eq!(
        theirs["message"]["seq"], 5,
        "alice's read never reached bob"
    );
}
