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

#[tokio::test]
async fn a_conversation_shows_how_far_the_others_read_while_both_share_receipts() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    app.make_friends(&alice, &bob).await;
    app.make_friends(&alice, &carol).await;
    let id = id_of(&app.room(&alice, "Book club", &[&bob, &carol]).await);
    app.say(alice.token(), &id, "One").await;
    app.say(alice.token(), &id, "Two").await;
    app.mark_read(bob.token(), &id, 2).await;
    app.mark_read(carol.token(), &id, 1).await;

    let marks = |conversation: &serde_json::Value| {
        let mut marks: Vec<(String, i64)> = conversation["read_marks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|mark| {
                (
                    mark["user_id"].as_str().unwrap().to_owned(),
                    mark["last_read_seq"].as_i64().unwrap(),
                )
            })
            .collect();
        marks.sort();
        marks
    };
    let mut expected = vec![(bob.id.clone(), 2), (carol.id.clone(), 1)];
    expected.sort();
    assert_eq!(marks(&app.conversation(alice.token(), &id).await), expected);
    let listed = app.chat_list(alice.token()).await;
    assert_eq!(marks(&listed[0]), expected, "the list says the same");

    // Carol stops sharing: hers is gone for alice; alice stops: she sees none.
    set_receipts(&app, carol.token(), false).await;
    assert_eq!(
        marks(&app.conversation(alice.token(), &id).await),
        vec![(bob.id.clone(), 2)]
    );
    let carols_view = app.conversation(carol.token(), &id).await;
    assert_eq!(marks(&carols_view), Vec::<(String, i64)>::new());
    set_receipts(&app, alice.token(), false).await;
    assert_eq!(
        marks(&app.conversation(alice.token(), &id).await),
        Vec::<(String, i64)>::new()
    );
    let bobs_view = app.conversation(bob.token(), &id).await;
    assert_eq!(
        marks(&bobs_view),
        Vec::<(String, i64)>::new(),
        "alice's is hidden too"
    );
}
