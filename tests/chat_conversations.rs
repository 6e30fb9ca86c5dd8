//! Conversations as people open and keep them: one direct conversation per
//! pair whoever opens it, refused alike whatever the reason, listed by
//! latest activity, muted, and read up to a mark that never goes back.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::chat::{
    assert_unprocessable, client_id, conversation_path, entry, ids_of, member_ids, next_event,
};
use crate::support::forum::{id_of, items, json_of, strings, unknown_id};

/// `last_read_seq` and `unread_count` of a read answer or a conversation.
fn marks(value: &Value) -> (i64, i64) {
    (
        value["last_read_seq"].as_i64().expect("last_read_seq"),
        value["unread_count"].as_i64().expect("unread_count"),
    )
}

#[tokio::test]
async fn open_direct_from_either_side_gives_the_same_conversation_201_then_200() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;

    let created = json_of(app.open_direct(alice.token(), &bob.id).await, 201).await;
    assert_eq!(created["kind"], "direct");
    assert_eq!(created["title"], Value::Null);
    assert_eq!(created["owner"], Value::Null);
    assert_eq!(member_ids(&created), ids_of(&[&alice, &bob]));
    let members = created["members"].as_array().unwrap();
    let bobs = members.iter().find(|m| m["id"] == bob.id.as_str()).unwrap();
    assert_eq!(bobs["handle"], "bob");
    assert_eq!(bobs["display_name"], "bob Tester");
    assert!(bobs.get("avatar").is_some(), "{bobs}");
    assert_eq!(created["last_message"], Value::Null);
    assert_eq!(marks(&created), (0, 0));
    assert_eq!(created["muted"], false);
    assert!(created["last_activity_at"].is_string(), "{created}");

    let again = json_of(app.open_direct(alice.token(), &bob.id).await, 200).await;
    assert_eq!(again["id"], created["id"]);
    let from_bob = json_of(app.open_direct(bob.token(), &alice.id).await, 200).await;
    assert_eq!(from_bob["id"], created["id"]);
    assert_eq!(member_ids(&from_bob), ids_of(&[&alice, &bob]));

    // Another pair is another conversation.
    let with_carol = json_of(app.open_direct(carol.token(), &bob.id).await, 201).await;
    assert_ne!(with_carol["id"], created["id"]);
    assert_eq!(member_ids(&with_carol), ids_of(&[&bob, &carol]));
}

#[tokio::test]
async fn open_direct_when_blocked_either_way_or_unwelcome_is_one_indistinct_403() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let blocker = app.chatter("blocker").await;
    let blocked = app.chatter("blocked").await;
    let hermit = app.chatter("hermit").await;
    let picky = app.chatter("picky").await;
    let pal = app.chatter("pal").await;
    app.block(&blocker, &alice).await;
    app.block(&alice, &blocked).await;
    // Nobody means nobody, friends included.
    app.make_friends(&alice, &hermit).await;
    app.set_message_privacy(&hermit, "nobody").await;
    app.set_message_privacy(&picky, "friends").await;
    app.set_message_privacy(&pal, "friends").await;
    app.make_friends(&alice, &pal).await;

    let attempts = [
        (&alice, &blocker, "she is blocked by them"),
        (&blocker, &alice, "they blocked her"),
        (&alice, &blocked, "she blocked them"),
        (&blocked, &alice, "she blocked him"),
        (&alice, &hermit, "they take messages from nobody"),
        (&alice, &picky, "they take messages from friends only"),
    ];
    let mut answers = Vec::new();
    for (from, to, why) in attempts {
        let response = app.open_direct(from.token(), &to.id).await;
        assert_eq!(response.status(), 403, "{why}");
        let problem = assert_problem(response, 403, "cannot_message").await;
        answers.push((problem["title"].clone(), problem["detail"].clone(), why));
    }
    let (title, detail, _) = &answers[0];
    assert!(detail.is_string(), "{answers:?}");
    for (other_title, other_detail, why) in &answers {
        assert_eq!((other_title, other_detail), (title, detail), "{why}");
    }
    assert!(
        app.chat_list(alice.token()).await.is_empty(),
        "refusals open nothing"
    );

    // A friend who takes messages from friends only takes hers.
    json_of(app.open_direct(alice.token(), &pal.id).await, 201).await;
}

#[tokio::test]
async fn open_direct_with_myself_is_422_and_with_an_unknown_user_404() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let problem = assert_unprocessable(app.open_direct(alice.token(), &alice.id).await).await;
    assert!(problem["errors"]["user_id"].is_array(), "{problem}");
    assert_problem(
        app.open_direct(alice.token(), &unknown_id()).await,
        404,
        "user_not_found",
    )
    .await;
    assert!(app.chat_list(alice.token()).await.is_empty());
}

#[tokio::test]
async fn open_direct_without_messages_is_listed_only_for_its_opener_until_the_first_one() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);

    assert_eq!(
        strings(&app.chat_list(alice.token()).await, "id"),
        [id.as_str()]
    );
    assert!(app.chat_list(bob.token()).await.is_empty());

    let hello = app.say(alice.token(), &id, "Hello").await;
    let bobs_list = app.chat_list(bob.token()).await;
    assert_eq!(strings(&bobs_list, "id"), [id.as_str()]);
    let listed = entry(&bobs_list, &id);
    assert_eq!(listed["last_message"]["id"], hello["id"]);
    assert_eq!(listed["last_message"]["body"], "Hello");
    assert_eq!(marks(listed), (0, 1));
}

#[tokio::test]
async fn list_conversations_puts_the_latest_activity_first_and_pages_with_a_cursor() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let mut others = Vec::new();
    for handle in ["bob", "carol", "dave", "erin"] {
        others.push(app.chatter(handle).await);
    }
    let mut ids = Vec::new();
    for other in &others {
        let id = id_of(&app.direct(&alice, other).await);
        app.say(other.token(), &id, "Hi").await;
        ids.push(id);
    }
    let [bob, carol, dave, erin] = [
        ids[0].as_str(),
        ids[1].as_str(),
        ids[2].as_str(),
        ids[3].as_str(),
    ];

    let pages = app
        .pages("/api/v1/conversations?limit=2", Some(alice.token()))
        .await;
    assert_eq!(pages[0]["items"].as_array().unwrap().len(), 2, "{pages:?}");
    assert!(pages[0]["next_cursor"].is_string(), "{pages:?}");
    assert_eq!(strings(&items(&pages), "id"), [erin, dave, carol, bob]);

    // A new message in the oldest brings it to the top, whoever sends it.
    app.say(others[0].token(), bob, "Me again").await;
    let list = app.chat_list(alice.token()).await;
    assert_eq!(strings(&list, "id"), [bob, erin, dave, carol]);
    app.say(alice.token(), carol, "And you?").await;
    let pages = app
        .pages("/api/v1/conversations?limit=3", Some(alice.token()))
        .await;
    assert_eq!(strings(&items(&pages), "id"), [carol, bob, erin, dave]);
    assert_eq!(entry(&list, bob)["last_message"]["body"], "Me again");
}

#[tokio::test]
async fn mark_read_moves_forward_only_clamps_past_the_last_and_never_counts_my_own() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    for text in ["one", "two", "three"] {
        app.say(alice.token(), &id, text).await;
    }
    assert_eq!(
        app.conversation(alice.token(), &id).await["unread_count"],
        0,
        "my own messages are never unread"
    );
    assert_eq!(marks(&app.conversation(bob.token(), &id).await), (0, 3));

    assert_eq!(marks(&app.mark_read(bob.token(), &id, 2).await), (2, 1));
    assert_eq!(
        marks(&app.mark_read(bob.token(), &id, 1).await),
        (2, 1),
        "never back"
    );
    assert_eq!(marks(&app.conversation(bob.token(), &id).await), (2, 1));
    assert_eq!(
        marks(&app.mark_read(bob.token(), &id, 99).await),
        (3, 0),
        "clamped to the last"
    );
    assert_eq!(marks(entry(&app.chat_list(bob.token()).await, &id)), (3, 0));

    app.say(bob.token(), &id, "four").await;
    let alices = app.chat_list(alice.token()).await;
    assert_eq!(entry(&alices, &id)["unread_count"], 1);
    assert_eq!(marks(&app.mark_read(alice.token(), &id, 4).await), (4, 0));
    assert_eq!(marks(&app.conversation(alice.token(), &id).await), (4, 0));
}

#[tokio::test]
async fn mark_read_tells_the_other_member_and_my_other_devices_live() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&bob, &alice).await);
    app.say(bob.token(), &id, "One").await;
    app.say(bob.token(), &id, "Two").await;
    let phone = app.second_device(&alice).await;
    let (mut phone_socket, _) = app.live_socket(&phone).await;
    let (mut bobs_socket, _) = app.live_socket(bob.token()).await;

    app.mark_read(alice.token(), &id, 2).await;
    for socket in [&mut phone_socket, &mut bobs_socket] {
        let event = next_event(socket, "conversation_read").await;
        assert_eq!(event["conversation_id"], id.as_str());
        assert_eq!(event["user_id"], alice.id.as_str());
        assert_eq!(event["seq"], 2);
    }
}

#[tokio::test]
async fn a_direct_conversation_is_not_found_by_anyone_outside_it() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let eve = app.chatter("eve").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    app.say(alice.token(), &id, "Just us").await;
    let path = conversation_path(&id);
    let messages = format!("{path}/messages");

    assert_problem(
        app.get(&path, Some(eve.token())).await,
        404,
        "conversation_not_found",
    )
    .await;
    assert_problem(
        app.get(&messages, Some(eve.token())).await,
        404,
        "conversation_not_found",
    )
    .await;
    let intrusion = json!({"client_id": client_id(), "body": "Hi both"});
    assert_problem(
        app.post_message(eve.token(), &id, &intrusion).await,
        404,
        "conversation_not_found",
    )
    .await;
    assert!(app.chat_list(eve.token()).await.is_empty());
    assert_eq!(
        app.history(bob.token(), &id, "").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
