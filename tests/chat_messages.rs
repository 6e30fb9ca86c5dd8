//! Messages in a conversation: numbered 1, 2, 3… without gaps whoever sends
//! them and however many at once, sent once however often retried, paged
//! from either end, edited and deleted by their sender only, with pictures,
//! and on every device of both people as they happen.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::chat::{
    assert_cannot_send, assert_picture_of, assert_same_message, assert_unprocessable, bodies,
    client_id, conversation_path, next_event, seqs,
};
use crate::support::forum::{id_of, json_of, unknown_id};

#[tokio::test]
async fn send_message_both_ways_numbers_them_1_2_3_and_both_read_the_same_history() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);

    let client = client_id();
    let body = json!({"client_id": client, "body": "Hi Bob"});
    let first = json_of(app.post_message(alice.token(), &id, &body).await, 201).await;
    assert!(first["id"].is_string(), "{first}");
    assert_eq!(first["conversation_id"], id.as_str());
    assert_eq!(first["seq"], 1);
    assert_eq!(first["client_id"], client.as_str());
    assert_eq!(first["body"], "Hi Bob");
    assert_eq!(first["images"], json!([]));
    assert_eq!(first["deleted"], false);
    assert_eq!(first["edited_at"], Value::Null);
    assert!(first["created_at"].is_string(), "{first}");
    assert_eq!(first["sender"]["id"], alice.id.as_str());
    assert_eq!(first["sender"]["handle"], "alice");
    assert_eq!(first["sender"]["display_name"], "alice Tester");

    let second = app.say(bob.token(), &id, "Hi Alice").await;
    let third = app.say(alice.token(), &id, "How are you?").await;
    assert_eq!((&second["seq"], &third["seq"]), (&json!(2), &json!(3)));
    assert_eq!(second["sender"]["id"], bob.id.as_str());

    let sent = [first, second, third];
    for reader in [&alice, &bob] {
        let page = app.history(reader.token(), &id, "").await;
        assert_eq!(seqs(&page), [1, 2, 3], "{}", reader.handle);
        assert_eq!(page["has_more"], false);
        for (read, written) in page["items"].as_array().unwrap().iter().zip(&sent) {
            assert_same_message(read, written);
        }
        let conversation = app.conversation(reader.token(), &id).await;
        assert_same_message(&conversation["last_message"], &sent[2]);
    }
}

#[tokio::test]
async fn send_messages_from_both_sides_at_once_numbers_them_without_gaps_or_duplicates() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let path = format!("{}/messages", conversation_path(&id));

    let mut requests = tokio::task::JoinSet::new();
    for n in 0..16 {
        let token = if n % 2 == 0 {
            alice.token()
        } else {
            bob.token()
        };
        let request = app
            .request(Method::POST, &path)
            .bearer_auth(token)
            .json(&json!({"client_id": client_id(), "body": format!("Message {n}")}));
        requests.spawn(async move {
            let message = json_of(request.send().await.unwrap(), 201).await;
            message["seq"].as_i64().unwrap()
        });
    }
    let mut taken = requests.join_all().await;
    taken.sort_unstable();
    assert_eq!(taken, (1..=16).collect::<Vec<i64>>());

    let page = app.history(alice.token(), &id, "?limit=50").await;
    assert_eq!(seqs(&page), (1..=16).collect::<Vec<i64>>());
    let mut texts: Vec<String> = bodies(&page)
        .iter()
        .map(|body| body.as_str().unwrap().to_owned())
        .collect();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), 16, "each message once");
    let conversation = app.conversation(bob.token(), &id).await;
    assert_eq!(conversation["last_message"]["seq"], 16);
}

#[tokio::test]
async fn read_history_pages_newest_before_and_after_a_seq_with_has_more() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    for n in 1..=7 {
        app.say(alice.token(), &id, &format!("m{n}")).await;
    }

    let cases: Vec<(&str, Vec<i64>, bool)> = vec![
        ("", (1..=7).collect(), false),
        ("?limit=3", vec![5, 6, 7], true),
        ("?limit=7", (1..=7).collect(), false),
        ("?before=5&limit=3", vec![2, 3, 4], true),
        ("?before=4&limit=3", vec![1, 2, 3], false),
        ("?before=2&limit=3", vec![1], false),
        ("?after=4&limit=2", vec![5, 6], true),
        ("?after=5&limit=5", vec![6, 7], false),
        ("?after=0&limit=7", (1..=7).collect(), false),
        ("?after=7", vec![], false),
    ];
    for (query, expected, more) in cases {
        let page = app.history(bob.token(), &id, query).await;
        assert_eq!(seqs(&page), expected, "{query}");
        assert_eq!(page["has_more"], more, "{query}");
        let texts: Vec<Value> = expected.iter().map(|n| json!(format!("m{n}"))).collect();
        assert_eq!(bodies(&page), texts, "{query}");
    }
}

#[tokio::test]
async fn edit_message_by_its_sender_shows_the_new_body_to_both_and_is_403_to_others() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let sent = app.say(alice.token(), &id, "Helo").await;
    let (mut bobs_socket, _) = app.live_socket(bob.token()).await;
    let path = format!("{}/messages/1", conversation_path(&id));

    let not_his = app
        .patch_as(&path, bob.token(), &json!({"body": "Hacked"}))
        .await;
    assert_problem(not_his, 403, "not_allowed").await;
    let edited = json_of(
        app.patch_as(&path, alice.token(), &json!({"body": "Hello"}))
            .await,
        200,
    )
    .await;
    assert_eq!(edited["id"], sent["id"]);
    assert_eq!(edited["seq"], 1);
    assert_eq!(edited["body"], "Hello");
    assert!(edited["edited_at"].is_string(), "{edited}");

    let event = next_event(&mut bobs_socket, "message_edited").await;
    assert_eq!(event["conversation_id"], id.as_str());
    assert_same_message(&event["message"], &edited);
    for reader in [&alice, &bob] {
        let page = app.history(reader.token(), &id, "").await;
        assert_eq!(seqs(&page), [1]);
        assert_same_message(&page["items"][0], &edited);
    }
}

#[tokio::test]
async fn edit_message_after_48_hours_is_403_edit_window_closed() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    app.say(alice.token(), &id, "Tpyo").await;
    let path = format!("{}/messages/1", conversation_path(&id));

    app.db
        .execute("UPDATE messages SET created_at = now() - interval '47 hours'");
    let edited = app
        .patch_as(&path, alice.token(), &json!({"body": "Typo"}))
        .await;
    json_of(edited, 200).await;

    app.db
        .execute("UPDATE messages SET created_at = now() - interval '49 hours'");
    let late = app
        .patch_as(&path, alice.token(), &json!({"body": "Typo!"}))
        .await;
    assert_problem(late, 403, "edit_window_closed").await;
    let page = app.history(alice.token(), &id, "").await;
    assert_eq!(page["items"][0]["body"], "Typo");
}

#[tokio::test]
async fn delete_message_by_its_sender_keeps_its_seq_and_blanks_it_for_everyone() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let picture = app.chat_picture(alice.token(), "animated.gif").await;
    let body = json!({"client_id": client_id(), "body": "Secret", "upload_ids": [picture["id"]]});
    let sent = json_of(app.post_message(alice.token(), &id, &body).await, 201).await;
    assert_eq!(sent["images"].as_array().unwrap().len(), 1, "{sent}");
    let (mut bobs_socket, _) = app.live_socket(bob.token()).await;
    let path = format!("{}/messages/1", conversation_path(&id));

    assert_problem(app.delete_as(&path, bob.token()).await, 403, "not_allowed").await;
    assert_eq!(app.delete_as(&path, alice.token()).await.status(), 204);
    let event = next_event(&mut bobs_socket, "message_deleted").await;
    assert_eq!(event["conversation_id"], id.as_str());
    assert_eq!(event["seq"], 1);
    for reader in [&alice, &bob] {
        let page = app.history(reader.token(), &id, "").await;
        assert_eq!(seqs(&page), [1]);
        let gone = &page["items"][0];
        assert_eq!(gone["id"], sent["id"]);
        assert_eq!(gone["body"], Value::Null);
        assert_eq!(gone["images"], json!([]));
        assert_eq!(gone["deleted"], true);
    }

    let unsaid = app
        .patch_as(&path, alice.token(), &json!({"body": "Unsaid"}))
        .await;
    assert_problem(unsaid, 409, "message_deleted").await;
    let next = app.say(alice.token(), &id, "Anyway").await;
    assert_eq!(next["seq"], 2, "a deleted message keeps its number");
}

#[tokio::test]
async fn send_message_with_my_pictures_shows_them_in_order_and_refuses_someone_elses() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let first = app.chat_picture(alice.token(), "landscape.png").await;
    let second = app.chat_picture(alice.token(), "animated.gif").await;
    let third = app.chat_picture(alice.token(), "animated.gif").await;
    let bobs = app.chat_picture(bob.token(), "animated.gif").await;

    let only_pictures =
        json!({"client_id": client_id(), "upload_ids": [second["id"], first["id"]]});
    let sent = json_of(
        app.post_message(alice.token(), &id, &only_pictures).await,
        201,
    )
    .await;
    assert_eq!(sent["body"], Value::Null);
    let images = sent["images"].as_array().unwrap();
    assert_eq!(images.len(), 2, "{sent}");
    for (image, upload) in images.iter().zip([&second, &first]) {
        assert_picture_of(image, upload);
    }
    let captioned =
        json!({"client_id": client_id(), "body": "The view", "upload_ids": [third["id"]]});
    let with_caption = json_of(app.post_message(alice.token(), &id, &captioned).await, 201).await;
    assert_eq!(with_caption["body"], "The view");
    assert_eq!(with_caption["images"][0]["id"], third["id"]);

    for upload_id in [bobs["id"].clone(), json!(unknown_id())] {
        let theirs = json!({"client_id": client_id(), "body": "Mine?", "upload_ids": [upload_id]});
        let problem =
            assert_unprocessable(app.post_message(alice.token(), &id, &theirs).await).await;
        assert!(problem["errors"]["upload_ids"].is_array(), "{problem}");
    }
    let page = app.history(bob.token(), &id, "").await;
    assert_eq!(seqs(&page), [1, 2], "the refused ones were not sent");
    assert_eq!(page["items"][0]["images"], sent["images"]);
    assert_eq!(page["items"][1]["images"], with_caption["images"]);
}

#[tokio::test]
async fn send_message_without_body_or_pictures_or_too_long_is_422_and_takes_no_seq() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);

    for nothing in [
        json!({"client_id": client_id()}),
        json!({"client_id": client_id(), "upload_ids": []}),
    ] {
        assert_unprocessable(app.post_message(alice.token(), &id, &nothing).await).await;
    }
    let too_long = "x".repeat(4001);
    for (text, why) in [
        ("", "empty"),
        ("  \n\t ", "blank"),
        (too_long.as_str(), "4001"),
    ] {
        let body = json!({"client_id": client_id(), "body": text});
        let problem = assert_unprocessable(app.post_message(alice.token(), &id, &body).await).await;
        assert!(problem["errors"]["body"].is_array(), "{why}: {problem}");
    }
    assert_eq!(
        seqs(&app.history(bob.token(), &id, "").await),
        Vec::<i64>::new()
    );

    // 4000 characters, not bytes, is the most.
    for longest in ["y".repeat(4000), "я".repeat(4000)] {
        let sent = app.say(alice.token(), &id, &longest).await;
        assert_eq!(sent["body"], longest.as_str());
    }
    assert_eq!(seqs(&app.history(bob.token(), &id, "").await), [1, 2]);
}

#[tokio::test]
async fn send_message_in_a_direct_conversation_follows_blocks_and_privacy_as_opening_does() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let with_bob = id_of(&app.direct(&alice, &bob).await);
    app.say(alice.token(), &with_bob, "Hi Bob").await;
    let with_carol = id_of(&app.direct(&alice, &carol).await);
    app.say(alice.token(), &with_carol, "Hi Carol").await;
    app.block(&bob, &alice).await;
    assert_cannot_send(&app, alice.token(), &with_bob).await;
    assert_cannot_send(&app, bob.token(), &with_bob).await;
    assert_eq!(seqs(&app.history(alice.token(), &with_bob, "").await), [1]);

    app.set_message_privacy(&carol, "nobody").await;
    assert_cannot_send(&app, alice.token(), &with_carol).await;
    // Her privacy keeps others from writing to her, not her from writing.
    assert_eq!(app.say(carol.token(), &with_carol, "Hush").await["seq"], 2);
    app.set_message_privacy(&carol, "friends").await;
    assert_cannot_send(&app, alice.token(), &with_carol).await;
    app.make_friends(&alice, &carol).await;
    assert_eq!(
        app.say(alice.token(), &with_carol, "Friends!").await["seq"],
        3
    );
}

#[tokio::test]
async fn send_message_reaches_every_device_of_both_members_the_senders_too() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let alices_phone = app.second_device(&alice).await;
    let bobs_phone = app.second_device(&bob).await;
    let mut sockets = Vec::new();
    for token in [
        alice.token(),
        alices_phone.as_str(),
        bob.token(),
        bobs_phone.as_str(),
    ] {
        sockets.push(app.live_socket(token).await.0);
    }

    let ping = app.say(alice.token(), &id, "Ping").await;
    let pong = app.say(&bobs_phone, &id, "Pong").await;
    for socket in &mut sockets {
        for sent in [&ping, &pong] {
            let event = next_event(socket, "message_created").await;
            assert_eq!(event["conversation_id"], id.as_str());
            assert_same_message(&event["message"], sent);
        }
    }

    let log = app
        .get_ok("/api/v1/events?after=0", Some(bob.token()))
        .await;
    let logged: Vec<&Value> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["type"] == "message_created")
        .collect();
    assert_eq!(logged.len(), 2, "{log}");
    assert_same_message(&logged[0]["message"], &ping);
    assert_same_message(&logged[1]["message"], &pong);
}
