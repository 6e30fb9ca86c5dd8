//! Rooms: made by an owner with friends, renamed and peopled by the owner
//! only, left by anyone, handed on when the owner leaves, and shut to
//! everyone outside them, former members included.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::chat::{
    Chatter, assert_shut_out, assert_unprocessable, conversation_calls, conversation_path, ids_of,
    member_ids, member_path, next_event, seqs,
};
use crate::support::forum::{id_of, json_of, strings, unknown_id};

/// Alice with friends bob and carol, and dave whom she does not know.
async fn alice_and_friends(app: &TestApp) -> [Chatter; 4] {
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let dave = app.chatter("dave").await;
    app.make_friends(&alice, &bob).await;
    app.make_friends(&alice, &carol).await;
    [alice, bob, carol, dave]
}

#[tokio::test]
async fn create_room_with_friends_makes_me_owner_and_tells_every_member() {
    let app = TestApp::spawn().await;
    let [alice, bob, carol, _] = alice_and_friends(&app).await;
    let (mut bobs_socket, _) = app.live_socket(bob.token()).await;
    let (mut carols_socket, _) = app.live_socket(carol.token()).await;

    let room = app.room(&alice, "Book club", &[&bob, &carol]).await;
    let id = id_of(&room);
    assert_eq!(room["kind"], "room");
    assert_eq!(room["title"], "Book club");
    assert_eq!(room["owner"]["id"], alice.id.as_str());
    assert_eq!(room["owner"]["handle"], "alice");
    assert_eq!(member_ids(&room), ids_of(&[&alice, &bob, &carol]));
    assert_eq!(room["last_message"], Value::Null);
    assert_eq!(
        (&room["unread_count"], &room["muted"]),
        (&json!(0), &json!(false))
    );
    for socket in [&mut bobs_socket, &mut carols_socket] {
        let event = next_event(socket, "conversation_changed").await;
        assert_eq!(event["conversation_id"], id.as_str());
    }
    let bobs_view = app.conversation(bob.token(), &id).await;
    assert_eq!(bobs_view["owner"]["id"], alice.id.as_str());
    assert_eq!(
        strings(&app.chat_list(carol.token()).await, "id"),
        [id.as_str()]
    );

    let sent = app.say(bob.token(), &id, "Hello all").await;
    assert_eq!(sent["seq"], 1);
    for socket in [&mut bobs_socket, &mut carols_socket] {
        let event = next_event(socket, "message_created").await;
        assert_eq!(event["message"]["id"], sent["id"]);
    }
    assert_eq!(
        app.conversation(carol.token(), &id).await["unread_count"],
        1
    );
}

#[tokio::test]
async fn create_room_with_a_stranger_or_a_friend_taking_no_messages_is_422_and_makes_nothing() {
    let app = TestApp::spawn().await;
    let [alice, bob, carol, dave] = alice_and_friends(&app).await;
    app.set_message_privacy(&carol, "nobody").await;

    for (members, why) in [
        ([bob.id.as_str(), dave.id.as_str()], "dave is no friend"),
        (
            [bob.id.as_str(), carol.id.as_str()],
            "carol takes no messages",
        ),
    ] {
        let response = app.create_room(alice.token(), "Club", &members).await;
        let problem = assert_unprocessable(response).await;
        assert_eq!(
            problem["error_codes"]["member_ids"],
            json!(["not_a_friend"]),
            "{why}: {problem}"
        );
    }
    let nobody = app.create_room(alice.token(), "Club", &[]).await;
    let problem = assert_unprocessable(nobody).await;
    assert!(problem["errors"]["member_ids"].is_array(), "{problem}");
    for title in [String::new(), "t".repeat(101)] {
        let response = app
            .create_room(alice.token(), &title, &[bob.id.as_str()])
            .await;
        let problem = assert_unprocessable(response).await;
        assert!(problem["errors"]["title"].is_array(), "{problem}");
    }
    for person in [&alice, &bob] {
        assert!(app.chat_list(person.token()).await.is_empty());
    }
    let longest = app.room(&alice, &"t".repeat(100), &[&bob]).await;
    assert_eq!(longest["title"].as_str().unwrap().chars().count(), 100);
}

#[tokio::test]
async fn rename_room_by_its_owner_tells_the_members_and_by_anyone_else_is_403() {
    let app = TestApp::spawn().await;
    let [alice, bob, _, _] = alice_and_friends(&app).await;
    let id = id_of(&app.room(&alice, "Book club", &[&bob]).await);
    let (mut bobs_socket, _) = app.live_socket(bob.token()).await;
    let path = conversation_path(&id);

    let refused = app
        .patch_as(&path, bob.token(), &json!({"title": "Bob's club"}))
        .await;
    assert_problem(refused, 403, "not_allowed").await;
    let blank = app
        .patch_as(&path, alice.token(), &json!({"title": ""}))
        .await;
    assert!(assert_unprocessable(blank).await["errors"]["title"].is_array());
    let renamed = app
        .patch_as(&path, alice.token(), &json!({"title": "Readers"}))
        .await;
    assert_eq!(json_of(renamed, 200).await["title"], "Readers");

    let event = next_event(&mut bobs_socket, "conversation_changed").await;
    assert_eq!(event["conversation_id"], id.as_str());
    assert_eq!(app.conversation(bob.token(), &id).await["title"], "Readers");
}

#[tokio::test]
async fn add_member_by_the_owner_lets_a_friend_in_and_refuses_others_and_non_owners() {
    let app = TestApp::spawn().await;
    let [alice, bob, carol, dave] = alice_and_friends(&app).await;
    let hermit = app.chatter("hermit").await;
    app.make_friends(&alice, &hermit).await;
    app.set_message_privacy(&hermit, "nobody").await;
    app.make_friends(&bob, &carol).await;
    let id = id_of(&app.room(&alice, "Book club", &[&bob]).await);
    app.say(alice.token(), &id, "Welcome").await;
    let (mut bobs_socket, _) = app.live_socket(bob.token()).await;
    let (mut carols_socket, _) = app.live_socket(carol.token()).await;

    let not_owner = app.add_member(bob.token(), &id, &carol.id).await;
    assert_problem(not_owner, 403, "not_allowed").await;
    let added = json_of(app.add_member(alice.token(), &id, &carol.id).await, 200).await;
    assert_eq!(member_ids(&added), ids_of(&[&alice, &bob, &carol]));
    for socket in [&mut bobs_socket, &mut carols_socket] {
        let event = next_event(socket, "conversation_changed").await;
        assert_eq!(event["conversation_id"], id.as_str());
    }
    assert_eq!(
        app.conversation(carol.token(), &id).await["title"],
        "Book club"
    );
    assert_eq!(app.say(carol.token(), &id, "Thanks!").await["seq"], 2);

    let again = app.add_member(alice.token(), &id, &carol.id).await;
    assert_problem(again, 409, "already_a_member").await;
    for (outsider, why) in [(&dave, "not her friend"), (&hermit, "takes no messages")] {
        let response = app.add_member(alice.token(), &id, &outsider.id).await;
        let problem = assert_unprocessable(response).await;
        assert!(problem["errors"]["user_id"].is_array(), "{why}: {problem}");
    }
    let room = app.conversation(alice.token(), &id).await;
    assert_eq!(member_ids(&room), ids_of(&[&alice, &bob, &carol]));
}

#[tokio::test]
async fn remove_member_by_the_owner_tells_them_conversation_left_and_shuts_them_out() {
    let app = TestApp::spawn().await;
    let [alice, bob, carol, _] = alice_and_friends(&app).await;
    let id = id_of(&app.room(&alice, "Book club", &[&bob, &carol]).await);
    app.say(alice.token(), &id, "Welcome").await;
    let (mut bobs_socket, _) = app.live_socket(bob.token()).await;
    let (mut carols_socket, _) = app.live_socket(carol.token()).await;

    let not_owner = app
        .delete_as(&member_path(&id, &bob.id), carol.token())
        .await;
    assert_problem(not_owner, 403, "not_allowed").await;
    let removed = app
        .delete_as(&member_path(&id, &bob.id), alice.token())
        .await;
    assert_eq!(removed.status(), 204);

    let left = next_event(&mut bobs_socket, "conversation_left").await;
    assert_eq!(left["conversation_id"], id.as_str());
    let changed = next_event(&mut carols_socket, "conversation_changed").await;
    assert_eq!(changed["conversation_id"], id.as_str());
    assert_shut_out(&app, &bob, &id).await;
    let room = app.conversation(carol.token(), &id).await;
    assert_eq!(member_ids(&room), ids_of(&[&alice, &carol]));

    // What the room says next reaches carol, not bob: his next event is
    // alice's word to him alone.
    let after = app.say(alice.token(), &id, "Just us now").await;
    assert_eq!(
        next_event(&mut carols_socket, "message_created").await["message"]["id"],
        after["id"]
    );
    let direct = id_of(&app.direct(&alice, &bob).await);
    app.say(alice.token(), &direct, "Sorry, Bob").await;
    let event = next_event(&mut bobs_socket, "message_created").await;
    assert_eq!(event["conversation_id"], direct.as_str());
}

#[tokio::test]
async fn leave_room_takes_me_out_and_tells_the_others() {
    let app = TestApp::spawn().await;
    let [alice, bob, carol, _] = alice_and_friends(&app).await;
    let id = id_of(&app.room(&alice, "Book club", &[&bob, &carol]).await);
    app.say(bob.token(), &id, "Hi").await;
    let (mut bobs_socket, _) = app.live_socket(bob.token()).await;
    let (mut carols_socket, _) = app.live_socket(carol.token()).await;

    let left = app
        .delete_as(&member_path(&id, &carol.id), carol.token())
        .await;
    assert_eq!(left.status(), 204);
    let event = next_event(&mut carols_socket, "conversation_left").await;
    assert_eq!(event["conversation_id"], id.as_str());
    let event = next_event(&mut bobs_socket, "conversation_changed").await;
    assert_eq!(event["conversation_id"], id.as_str());
    assert_shut_out(&app, &carol, &id).await;

    let room = app.conversation(bob.token(), &id).await;
    assert_eq!(member_ids(&room), ids_of(&[&alice, &bob]));
    assert_eq!(room["owner"]["id"], alice.id.as_str());
    assert_eq!(seqs(&app.history(alice.token(), &id, "").await), [1]);
}

#[tokio::test]
async fn leave_room_as_its_owner_passes_it_to_the_longest_standing_member() {
    let app = TestApp::spawn().await;
    let [alice, bob, carol, _] = alice_and_friends(&app).await;
    let id = id_of(&app.room(&alice, "Book club", &[&carol]).await);
    json_of(app.add_member(alice.token(), &id, &bob.id).await, 200).await;

    let left = app
        .delete_as(&member_path(&id, &alice.id), alice.token())
        .await;
    assert_eq!(left.status(), 204);
    let room = app.conversation(bob.token(), &id).await;
    assert_eq!(room["owner"]["id"], carol.id.as_str(), "{room}");
    assert_eq!(member_ids(&room), ids_of(&[&bob, &carol]));
    assert_shut_out(&app, &alice, &id).await;

    let path = conversation_path(&id);
    let refused = app
        .patch_as(&path, bob.token(), &json!({"title": "Mine"}))
        .await;
    assert_problem(refused, 403, "not_allowed").await;
    let renamed = app
        .patch_as(&path, carol.token(), &json!({"title": "Carol's club"}))
        .await;
    assert_eq!(json_of(renamed, 200).await["title"], "Carol's club");
}

#[tokio::test]
async fn room_operations_on_a_direct_conversation_are_409_not_a_room() {
    let app = TestApp::spawn().await;
    let [alice, bob, carol, _] = alice_and_friends(&app).await;
    let id = id_of(&app.direct(&alice, &bob).await);
    app.say(alice.token(), &id, "Hi").await;

    let rename = app
        .patch_as(
            &conversation_path(&id),
            alice.token(),
            &json!({"title": "Us"}),
        )
        .await;
    assert_problem(rename, 409, "not_a_room").await;
    let add = app.add_member(alice.token(), &id, &carol.id).await;
    assert_problem(add, 409, "not_a_room").await;
    for user_id in [&bob.id, &alice.id] {
        let remove = app
            .delete_as(&member_path(&id, user_id), alice.token())
            .await;
        assert_problem(remove, 409, "not_a_room").await;
    }
    let conversation = app.conversation(bob.token(), &id).await;
    assert_eq!(conversation["title"], Value::Null);
    assert_eq!(member_ids(&conversation), ids_of(&[&alice, &bob]));
}

#[tokio::test]
async fn every_conversation_call_is_404_outside_it_and_401_signed_out() {
    let app = TestApp::spawn().await;
    let [alice, bob, carol, dave] = alice_and_friends(&app).await;
    let room = id_of(&app.room(&alice, "Book club", &[&bob, &carol]).await);
    app.say(alice.token(), &room, "First").await;
    assert_eq!(
        app.delete_as(&member_path(&room, &carol.id), carol.token())
            .await
            .status(),
        204
    );
    let direct = id_of(&app.direct(&alice, &bob).await);
    app.say(alice.token(), &direct, "Private").await;
    let unknown = unknown_id();

    let mut cases = Vec::new();
    for (id, who, token) in [
        (&room, "a stranger", Some(dave.token())),
        (&room, "a former member", Some(carol.token())),
        (&direct, "a stranger to a direct one", Some(carol.token())),
        (
            &unknown,
            "a member of nothing by that id",
            Some(alice.token()),
        ),
    ] {
        cases.push((id, who, token, 404, "conversation_not_found"));
    }
    for id in [&room, &direct, &unknown] {
        cases.push((id, "a visitor", None, 401, "authentication_required"));
    }
    for (id, who, token, status, code) in cases {
        for (method, path, body) in conversation_calls(id, &bob.id) {
            let response = app.call(method.clone(), &path, token, body.as_ref()).await;
            assert_eq!(response.status(), status, "{who}: {method} {path}");
            assert_problem(response, status, code).await;
        }
    }
    let leave_again = app
        .delete_as(&member_path(&room, &carol.id), carol.token())
        .await;
    assert_problem(leave_again, 404, "conversation_not_found").await;
    let dave_leaves = app
        .delete_as(&member_path(&room, &dave.id), dave.token())
        .await;
    assert_problem(dave_leaves, 404, "conversation_not_found").await;
    for (method, path) in [
        (Method::GET, "/api/v1/conversations"),
        (Method::POST, "/api/v1/conversations/direct"),
        (Method::POST, "/api/v1/conversations/rooms"),
    ] {
        let body = json!({"user_id": bob.id, "title": "Club", "member_ids": [bob.id]});
        let response = app.call(method, path, None, Some(&body)).await;
        assert_problem(response, 401, "authentication_required").await;
    }

    // Nothing of it changed anything.
    let kept = app.conversation(alice.token(), &room).await;
    assert_eq!(kept["title"], "Book club");
    assert_eq!(kept["muted"], false);
    assert_eq!(member_ids(&kept), ids_of(&[&alice, &bob]));
    for (id, text) in [(&room, "First"), (&direct, "Private")] {
        let page = app.history(bob.token(), id, "").await;
        assert_eq!(seqs(&page), [1]);
        assert_eq!(page["items"][0]["body"], text);
        assert_eq!(page["items"][0]["deleted"], false);
        assert_eq!(app.conversation(bob.token(), id).await["last_read_seq"], 0);
    }
}
