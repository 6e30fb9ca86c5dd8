//! Searching messages and people (`type=messages`, `type=people`), for the
//! signed in only: messages only of the conversations I am a member of now,
//! never deleted ones, edited ones by their new words, narrowed by
//! conversation, sender and time; people as in the directory, one typo in
//! a name forgiven, never anyone blocked either way.

use serde_json::json;

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::chat::{Chatter, conversation_path, member_path};
use crate::support::forum::{id_of, json_of};
use crate::support::search::{
    Params, assert_safe_html, authors, field, hits, people, sorted, utc_day,
};

/// The messages `who` finds for `q` with `filters`: (conversation id, seq)
/// of each, sorted.
async fn messages_found(
    app: &TestApp,
    who: &Chatter,
    q: &str,
    filters: &[(&str, &str)],
) -> Vec<(String, i64)> {
    let mut params = vec![("type", "messages"), ("q", q)];
    params.extend_from_slice(filters);
    let page = app.search(Some(who.token()), &params).await;
    let found: Vec<(String, i64)> = hits(&page)
        .iter()
        .map(|hit| {
            let conversation = hit["conversation_id"].as_str().expect("conversation_id");
            (conversation.to_owned(), hit["seq"].as_i64().expect("seq"))
        })
        .collect();
    sorted(&found)
}

/// The handles of the people the holder of `token` finds for `q`, in order.
async fn people_found(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    people(
        &app.search(Some(token), &[("type", "people"), ("q", q)])
            .await,
    )
}

/// `(conversation, seq)`, as `messages_found` gives them.
fn at(conversation: &str, seq: i64) -> (String, i64) {
    (conversation.to_owned(), seq)
}

#[tokio::test]
async fn members_find_their_messages_and_nobody_else_does() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let ours = id_of(&app.direct(&alice, &bob).await);
    app.say(
        alice.token(),
        &ours,
        "Встречаемся у памятника Пушкину в семь",
    )
    .await;
    let theirs = id_of(&app.direct(&carol, &bob).await);
    app.say(carol.token(), &theirs, "Пушкин — наше всё").await;

    for who in [&alice, &bob] {
        let page = app
            .search(
                Some(who.token()),
                &[("type", "messages"), ("q", "памятника")],
            )
            .await;
        assert_eq!(page["next_cursor"], json!(null));
        let found = hits(&page);
        assert_eq!(found.len(), 1, "{page}");
        let hit = &found[0];
        assert_eq!(hit["type"], "message");
        assert_eq!(hit["conversation_id"], ours.as_str());
        assert_eq!(hit["seq"], 1);
        assert_eq!(hit["sender"]["handle"], "alice");
        assert!(hit["created_at"].is_string(), "{hit}");
        let highlight = hit["highlight"].as_str().expect("highlight");
        assert!(highlight.contains("<mark>памятника</mark>"), "{highlight}");
        assert_safe_html(&hit["highlight"]);
    }
    assert!(
        messages_found(&app, &carol, "памятника", &[])
            .await
            .is_empty()
    );
    assert_eq!(
        messages_found(&app, &alice, "пушкин", &[]).await,
        [at(&ours, 1)]
    );
    assert_eq!(
        messages_found(&app, &carol, "пушкин", &[]).await,
        [at(&theirs, 1)]
    );
    assert_eq!(
        messages_found(&app, &bob, "пушкин", &[]).await,
        sorted(&[at(&ours, 1), at(&theirs, 1)])
    );

    for params in [
        [("type", "messages"), ("q", "памятника")],
        [("type", "people"), ("q", "alice")],
    ] {
        let response = app.search_raw(None, &params).await;
        assert_problem(response, 401, "authentication_required").await;
    }
}

#[tokio::test]
async fn conversation_author_and_time_filters_narrow_the_messages() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    let with_bob = id_of(&app.direct(&alice, &bob).await);
    let with_carol = id_of(&app.direct(&alice, &carol).await);
    app.say(
        alice.token(),
        &with_bob,
        "Купил билеты на концерт в пятницу",
    )
    .await;
    app.say(bob.token(), &with_bob, "Билеты у меня в почте")
        .await;
    let last = app
        .say(
            alice.token(),
            &with_carol,
            "Билеты на концерт уже распроданы",
        )
        .await;
    // The day of the last message, so that midnight cannot fall between
    // writing and searching.
    let day = utc_day(&last["created_at"]);
    let today = day.to_string();
    let tomorrow = day.succ_opt().expect("a day after").to_string();
    let (with_bob, with_carol) = (with_bob.as_str(), with_carol.as_str());

    let cases: [(Params<'_>, Vec<(String, i64)>); 8] = [
        (
            vec![],
            vec![at(with_bob, 1), at(with_bob, 2), at(with_carol, 1)],
        ),
        (
            vec![("conversation", with_bob)],
            vec![at(with_bob, 1), at(with_bob, 2)],
        ),
        (vec![("conversation", with_carol)], vec![at(with_carol, 1)]),
        (vec![("author", "bob")], vec![at(with_bob, 2)]),
        (
            vec![("author", "ALICE"), ("conversation", with_bob)],
            vec![at(with_bob, 1)],
        ),
        (vec![("author", "nobody_here")], vec![]),
        (
            vec![("since", today.as_str()), ("conversation", with_carol)],
            vec![at(with_carol, 1)],
        ),
        (vec![("since", tomorrow.as_str())], vec![]),
    ];
    for (filters, expected) in cases {
        let found = messages_found(&app, &alice, "билеты", &filters).await;
        assert_eq!(found, sorted(&expected), "{filters:?}");
    }
    let page = app
        .search(
            Some(alice.token()),
            &[("type", "messages"), ("q", "билеты"), ("author", "bob")],
        )
        .await;
    assert_eq!(authors(&page), [Some("bob".to_owned())]);
    assert_eq!(field(&page, "conversation_id"), [json!(with_bob)]);
}

#[tokio::test]
async fn a_member_removed_from_a_room_no_longer_finds_its_messages() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    app.make_friends(&alice, &bob).await;
    app.make_friends(&alice, &carol).await;
    let room = id_of(&app.room(&alice, "Поход", &[&bob, &carol]).await);
    app.say(alice.token(), &room, "Планируем поход в горы на выходных")
        .await;
    assert_eq!(
        messages_found(&app, &bob, "поход", &[]).await,
        [at(&room, 1)]
    );

    let removed = app
        .delete_as(&member_path(&room, &bob.id), alice.token())
        .await;
    assert_eq!(removed.status(), 204);
    app.say(alice.token(), &room, "Поход начинается в шесть утра")
        .await;
    assert!(messages_found(&app, &bob, "поход", &[]).await.is_empty());
    for who in [&alice, &carol] {
        assert_eq!(
            messages_found(&app, who, "поход", &[]).await,
            [at(&room, 1), at(&room, 2)],
            "{}",
            who.handle
        );
    }
}

#[tokio::test]
async fn deleted_messages_are_gone_and_edited_ones_are_found_by_their_new_words() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let id = id_of(&app.direct(&alice, &bob).await);
    app.say(alice.token(), &id, "Созвонимся завтра утром").await;
    app.say(alice.token(), &id, "Встреча переносится на пятницу")
        .await;
    assert_eq!(
        messages_found(&app, &bob, "созвонимся", &[]).await,
        [at(&id, 1)]
    );

    let message = |seq: i64| format!("{}/messages/{seq}", conversation_path(&id));
    assert_eq!(
        app.delete_as(&message(1), alice.token()).await.status(),
        204
    );
    let edited = app
        .patch_as(
            &message(2),
            alice.token(),
            &json!({"body": "Встреча переносится на субботу"}),
        )
        .await;
    json_of(edited, 200).await;

    for who in [&alice, &bob] {
        for gone in ["созвонимся", "завтра утром", "пятницу"] {
            let found = messages_found(&app, who, gone, &[]).await;
            assert!(found.is_empty(), "{gone}: {found:?}");
        }
        for q in ["субботу", "встреча переносится"] {
            assert_eq!(messages_found(&app, who, q, &[]).await, [at(&id, 2)], "{q}");
        }
    }
}

#[tokio::test]
async fn people_are_found_by_the_start_of_a_name_or_handle_and_despite_one_typo() {
    let app = TestApp::spawn().await;
    app.named_user("pushkin", "Aleksandr Pushkin").await;
    app.named_user("lermontov", "Mikhail Lermontov").await;
    app.named_user("tolstoy", "Лев Толстой").await;
    let reader = app.named_user("reader", "Curious Reader").await;
    let token = reader.access_token.as_str();

    for (q, expected) in [
        ("Alek", "pushkin"),
        ("aleksandr", "pushkin"),
        ("pushk", "pushkin"),
        ("Aleksnadr", "pushkin"),
        ("Mikhial", "lermontov"),
        ("Толс", "tolstoy"),
        ("лев", "tolstoy"),
    ] {
        assert_eq!(people_found(&app, token, q).await, [expected], "{q}");
    }
    assert!(people_found(&app, token, "Dostoevsky").await.is_empty());

    let page = app
        .search(Some(token), &[("type", "people"), ("q", "Aleksandr")])
        .await;
    let found = hits(&page);
    assert_eq!(found.len(), 1, "{page}");
    assert_eq!(found[0]["type"], "person");
    assert_eq!(found[0]["user"]["handle"], "pushkin");
    assert_eq!(found[0]["user"]["display_name"], "Aleksandr Pushkin");
    assert!(found[0]["user"]["id"].is_string(), "{page}");
}

#[tokio::test]
async fn people_blocked_either_way_are_never_found() {
    let app = TestApp::spawn().await;
    let pushkin = app.named_user("pushkin", "Aleksandr Pushkin").await;
    let lermontov = app.named_user("lermontov", "Mikhail Lermontov").await;
    let reader = app.named_user("reader", "Curious Reader").await;
    let other = app.named_user("other", "Someone Else").await;
    assert_eq!(
        people_found(&app, &reader.access_token, "Aleksandr").await,
        ["pushkin"]
    );
    assert_eq!(
        people_found(&app, &reader.access_token, "Mikhail").await,
        ["lermontov"]
    );

    // Lermontov blocks the reader; the reader blocks Pushkin.
    for (blocker, blocked) in [(&lermontov, "reader"), (&reader, "pushkin")] {
        let path = format!("/api/v1/blocks/{blocked}");
        assert_eq!(app.put_as(&path, &blocker.access_token).await.status(), 204);
    }
    for q in ["Aleksandr", "Aleksnadr", "pushkin", "Mikhail", "lermontov"] {
        let found = people_found(&app, &reader.access_token, q).await;
        assert!(found.is_empty(), "{q}: {found:?}");
    }
    for blocked_either_way in [&pushkin, &lermontov] {
        for q in ["Curious", "reader"] {
            let found = people_found(&app, &blocked_either_way.access_token, q).await;
            assert!(found.is_empty(), "{q}: {found:?}");
        }
    }
    for (q, expected) in [
        ("Aleksandr", "pushkin"),
        ("Mikhail", "lermontov"),
        ("Curious", "reader"),
    ] {
        assert_eq!(people_found(&app, &other.access_token, q).await, [expected]);
    }
}
