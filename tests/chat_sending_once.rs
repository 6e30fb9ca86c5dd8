//! A message is sent once however often its client retries: the client's
//! id for it finds it again, in the conversation it was sent to and
//! nowhere else, whatever arrives at once.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::chat::{assert_same_message, client_id, seqs};
use crate::support::forum::{id_of, json_of};

#[tokio::test]
async fn send_message_again_with_the_same_client_id_answers_200_with_the_same_message() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    let body = json!({"client_id": client_id(), "body": "Only once"});

    let sent = json_of(app.post_message(alice.token(), &id, &body).await, 201).await;
    for _ in 0..2 {
        let retried = json_of(app.post_message(alice.token(), &id, &body).await, 200).await;
        assert_same_message(&retried, &sent);
    }
    // A client id is its sender's: his, the same, is another message.
    let his = json!({"client_id": body["client_id"], "body": "Me too"});
    let answer = json_of(app.post_message(bob.token(), &id, &his).await, 201).await;
    assert_ne!(answer["id"], sent["id"]);
    assert_eq!(answer["seq"], 2);
    assert_eq!(seqs(&app.history(bob.token(), &id, "").await), [1, 2]);
}

#[tokio::test]
async fn send_message_twice_at_once_with_the_same_client_id_stores_it_once() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);

    for round in 1..=3 {
        let body = json!({"client_id": client_id(), "body": format!("Round {round}")});
        let (one, two) = tokio::join!(
            app.post_message(alice.token(), &id, &body),
            app.post_message(alice.token(), &id, &body),
        );
        let mut statuses = [one.status().as_u16(), two.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 201], "round {round}");
        let one: Value = one.json().await.unwrap();
        let two: Value = two.json().await.unwrap();
        assert_same_message(&one, &two);
        assert_eq!(one["seq"], round);
    }
    let page = app.history(bob.token(), &id, "").await;
    assert_eq!(seqs(&page), [1, 2, 3]);
}

#[tokio::test]
async fn send_message_with_a_client_id_already_used_in_another_conversation_is_422() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let with_bob = id_of(&app.direct(&alice, &bob).await);
    let with_carol = id_of(&app.direct(&alice, &carol).await);
    let body = json!({"client_id": client_id(), "body": "Hello"});

    json_of(app.post_message(alice.token(), &with_bob, &body).await, 201).await;
    let refused = app.post_message(alice.token(), &with_carol, &body).await;
    let problem = assert_problem(refused, 422, "validation_failed").await;
    assert!(problem["errors"]["client_id"].is_array(), "{problem}");
    assert_eq!(
        seqs(&app.history(carol.token(), &with_carol, "").await),
        Vec::<i64>::new()
    );
}

#[tokio::test]
async fn send_message_with_one_client_id_to_two_conversations_at_once_stores_one_and_refuses_the_other()
 {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let with_bob = id_of(&app.direct(&alice, &bob).await);
    let with_carol = id_of(&app.direct(&alice, &carol).await);

    for round in 1..=5 {
        let body = json!({"client_id": client_id(), "body": format!("Round {round}")});
        let (one, two) = tokio::join!(
            app.post_message(alice.token(), &with_bob, &body),
            app.post_message(alice.token(), &with_carol, &body),
        );
        let mut statuses = [one.status().as_u16(), two.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 422], "round {round}");
    }
    let stored = seqs(&app.history(bob.token(), &with_bob, "").await).len()
        + seqs(&app.history(carol.token(), &with_carol, "").await).len();
    assert_eq!(stored, 5, "one message per client id");
}
