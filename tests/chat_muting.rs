//! Muting silences a conversation for me without holding anything back:
//! its messages still arrive on every device, but none alerts and none
//! counts in my unread badge, which every event that changes it carries.

use serde_json::json;

use crate::support::TestApp;
use crate::support::chat::{conversation_path, entry, next_event};
use crate::support::forum::{id_of, json_of};

#[tokio::test]
async fn mute_and_unmute_change_only_my_side_of_the_conversation() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    app.say(bob.token(), &id, "Psst").await;
    let mute = format!("{}/mute", conversation_path(&id));

    let muted = json_of(app.put_as(&mute, alice.token()).await, 200).await;
    assert_eq!((&muted["id"], &muted["muted"]), (&json!(id), &json!(true)));
    assert_eq!(app.conversation(alice.token(), &id).await["muted"], true);
    assert_eq!(
        entry(&app.chat_list(alice.token()).await, &id)["muted"],
        true
    );
    assert_eq!(app.conversation(bob.token(), &id).await["muted"], false);

    let unmuted = json_of(app.delete_as(&mute, alice.token()).await, 200).await;
    assert_eq!(unmuted["muted"], false);
    assert_eq!(app.conversation(alice.token(), &id).await["muted"], false);
}

#[tokio::test]
async fn a_message_in_a_muted_conversation_arrives_without_alert_and_outside_the_badge() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&bob, &alice).await);
    let mute = format!("{}/mute", conversation_path(&id));
    json_of(app.put_as(&mute, alice.token()).await, 200).await;
    let (mut alices, _) = app.live_socket(alice.token()).await;
    let (mut bobs, _) = app.live_socket(bob.token()).await;

    app.say(bob.token(), &id, "Psst").await;
    let quiet = next_event(&mut alices, "message_created").await;
    assert_eq!(quiet["message"]["body"], "Psst");
    assert_eq!(
        (&quiet["alert"], &quiet["unread_messages"]),
        (&json!(false), &json!(0))
    );
    let own = next_event(&mut bobs, "message_created").await;
    assert_eq!(own["alert"], false, "my own message never alerts me");
    assert_eq!(
        entry(&app.chat_list(alice.token()).await, &id)["unread_count"],
        1,
        "the list still shows what is unread in a muted conversation"
    );
    assert_eq!(app.unread_at_ready(alice.token()).await, 0);

    json_of(app.delete_as(&mute, alice.token()).await, 200).await;
    let unmuted = next_event(&mut alices, "conversation_muted").await;
    assert_eq!(
        (&unmuted["muted"], &unmuted["unread_messages"]),
        (&json!(false), &json!(1))
    );
    app.say(bob.token(), &id, "Hello?").await;
    let loud = next_event(&mut alices, "message_created").await;
    assert_eq!(
        (&loud["alert"], &loud["unread_messages"]),
        (&json!(true), &json!(2))
    );
    assert_eq!(app.unread_at_ready(alice.token()).await, 2);
}

#[tokio::test]
async fn muting_on_one_device_reaches_my_others_once_with_my_badge() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let with_bob = id_of(&app.direct(&bob, &alice).await);
    let with_carol = id_of(&app.direct(&carol, &alice).await);
    app.say(bob.token(), &with_bob, "One").await;
    app.say(carol.token(), &with_carol, "Two").await;
    app.say(carol.token(), &with_carol, "Three").await;
    let phone = app.second_device(&alice).await;
    let (mut phones, _) = app.live_socket(&phone).await;
    let mute = format!("{}/mute", conversation_path(&with_carol));

    for _ in 0..2 {
        json_of(app.put_as(&mute, alice.token()).await, 200).await;
    }
    let muted = next_event(&mut phones, "conversation_muted").await;
    assert_eq!(muted["conversation_id"], with_carol.as_str());
    assert_eq!(
        (&muted["muted"], &muted["unread_messages"]),
        (&json!(true), &json!(1))
    );
    // Muting what is muted changes nothing: the next event is the unmuting.
    json_of(app.delete_as(&mute, alice.token()).await, 200).await;
    let unmuted = next_event(&mut phones, "conversation_muted").await;
    assert_eq!(
        (&unmuted["muted"], &unmuted["unread_messages"]),
        (&json!(false), &json!(3))
    );
}

#[tokio::test]
async fn reading_gives_my_devices_my_badge_and_the_others_a_receipt_without_it() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&bob, &alice).await);
    for text in ["One", "Two", "Three"] {
        app.say(bob.token(), &id, text).await;
    }
    let phone = app.second_device(&alice).await;
    let (mut phones, _) = app.live_socket(&phone).await;
    let (mut bobs, _) = app.live_socket(bob.token()).await;

    app.mark_read(alice.token(), &id, 2).await;
    let mine = next_event(&mut phones, "conversation_read").await;
    assert_eq!(
        (&mine["seq"], &mine["unread_messages"]),
        (&json!(2), &json!(1))
    );
    let receipt = next_event(&mut bobs, "conversation_read").await;
    assert_eq!(receipt["seq"], 2);
    assert!(
        receipt.get("unread_messages").is_none(),
        "my badge is mine: {receipt}"
    );
}

#[tokio::test]
async fn ready_counts_unread_messages_of_unmuted_conversations_but_not_my_own() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let dave = app.chatter("dave").await;
    let with_bob = id_of(&app.direct(&bob, &alice).await);
    for text in ["a", "b"] {
        app.say(bob.token(), &with_bob, text).await;
    }
    let with_carol = id_of(&app.direct(&carol, &alice).await);
    for text in ["c", "d", "e"] {
        app.say(carol.token(), &with_carol, text).await;
    }
    let with_dave = id_of(&app.direct(&alice, &dave).await);
    app.say(alice.token(), &with_dave, "Anyone?").await;
    assert_eq!(app.unread_at_ready(alice.token()).await, 5);

    let mute = format!("{}/mute", conversation_path(&with_carol));
    json_of(app.put_as(&mute, alice.token()).await, 200).await;
    assert_eq!(app.unread_at_ready(alice.token()).await, 2);
    app.mark_read(alice.token(), &with_bob, 1).await;
    assert_eq!(app.unread_at_ready(alice.token()).await, 1);
    assert_eq!(app.unread_at_ready(dave.token()).await, 1);
}

#[tokio::test]
async fn leaving_a_room_gives_my_devices_my_badge_without_its_messages() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    app.make_friends(&bob, &alice).await;
    app.make_friends(&bob, &carol).await;
    let room = id_of(&app.room(&bob, "Book club", &[&alice, &carol]).await);
    let direct = id_of(&app.direct(&carol, &alice).await);
    app.say(bob.token(), &room, "Chapter one?").await;
    app.say(carol.token(), &direct, "Are you coming?").await;
    let phone = app.second_device(&alice).await;
    let (mut phones, _) = app.live_socket(&phone).await;

    let leave = crate::support::chat::member_path(&room, &alice.id);
    assert_eq!(app.delete_as(&leave, alice.token()).await.status(), 204);
    let left = next_event(&mut phones, "conversation_left").await;
    assert_eq!(
        (&left["conversation_id"], &left["unread_messages"]),
        (&json!(room), &json!(1))
    );
}
