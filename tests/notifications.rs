//! Who is notified of what: replies in watched topics and to one's posts,
//! quotes and mentions (once per post and person, the strongest kind
//! winning), likes counted per post, friend requests, and moderators'
//! actions; never of one's own doing, by someone one blocked, or from a
//! topic one muted (but for moderation).
//!
//! A new post's notifications come from a background job just after it
//! commits, all of that post's at once: a test proves someone was not told
//! by waiting for someone else whom the same post told.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::forum::{Forum, id_of};

/// `(kind, actor's handle)` of each notification, newest first.
fn kinds_and_actors(inbox: &[Value]) -> Vec<(&str, &str)> {
    inbox
        .iter()
        .map(|n| {
            let kind = n["kind"].as_str().expect("kind");
            (kind, n["actor"]["handle"].as_str().expect("actor"))
        })
        .collect()
}

/// The kinds of the notifications about post `number`.
fn kinds_about_post(inbox: &[Value], number: i64) -> Vec<&str> {
    inbox
        .iter()
        .filter(|n| n["post"]["number"] == number)
        .map(|n| n["kind"].as_str().expect("kind"))
        .collect()
}

fn at(time: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(time.as_str().expect("a time")).expect("RFC 3339")
}

#[tokio::test]
async fn a_mention_quote_and_reply_in_one_post_make_one_notification_each_person() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&boss.access_token, "general", "Priorities", "First")
        .await;
    let topic = id_of(&created["topic"]);
    app.reply(&ursula.access_token, &topic, "Second").await;
    app.wait_for_notifications(&boss.access_token, 1).await;
    app.reply(&victor.access_token, &topic, "Third").await;
    app.wait_for_notifications(&ursula.access_token, 1).await;

    // Victor is mentioned, quoted, answered and watching; ursula quoted and
    // watching; boss only watching; mona mentions herself.
    let body = "[quote=\"ursula, post:2\"]\nSecond\n[/quote]\n\
                [quote=\"victor, post:3\"]\nThird\n[/quote]\n\
                @victor, @mona agrees.";
    let post = app.reply_to(&mona.access_token, &topic, 3, body).await;
    assert_eq!(post["number"], 4);
    let victors = app.wait_for_notifications(&victor.access_token, 1).await;
    let ursulas = app.wait_for_notifications(&ursula.access_token, 2).await;
    let bosses = app.wait_for_notifications(&boss.access_token, 3).await;
    assert_eq!(kinds_about_post(&victors, 4), ["mention"]);
    assert_eq!(kinds_about_post(&ursulas, 4), ["quote"]);
    assert_eq!(kinds_about_post(&bosses, 4), ["reply"]);
    for inbox in [&victors, &ursulas, &bosses] {
        assert_eq!(inbox[0]["actor"]["handle"], "mona");
        assert_eq!(inbox[0]["post"]["id"], post["id"]);
    }
    assert_eq!(victors.len(), 1, "nothing of his own post: {victors:#?}");
    assert_eq!(
        app.notifications(&mona.access_token).await,
        Vec::<Value>::new(),
        "nothing of her own post, mentioning herself"
    );
}

#[tokio::test]
async fn answers_to_my_post_reach_me_even_in_topics_i_do_not_watch() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Questions", "Anyone?")
        .await;
    let topic = id_of(&created["topic"]);
    app.reply(&victor.access_token, &topic, "Me").await;
    app.wait_for_notifications(&ursula.access_token, 1).await;
    app.watch(&victor.access_token, &topic, "normal").await;

    app.reply(&boss.access_token, &topic, "To nobody").await;
    app.wait_for_notifications(&ursula.access_token, 2).await;
    let answer = app
        .reply_to(&mona.access_token, &topic, 2, "To victor")
        .await;
    let victors = app.wait_for_notifications(&victor.access_token, 1).await;
    assert_eq!(kinds_and_actors(&victors), [("reply", "mona")]);
    assert_eq!(victors[0]["post"]["id"], answer["id"]);
    let bosses = app.wait_for_notifications(&boss.access_token, 1).await;
    assert_eq!(
        kinds_and_actors(&bosses),
        [("reply", "mona")],
        "having replied, boss watches the topic"
    );

    // Her own reply in her own topic tells others, not her.
    app.reply(&ursula.access_token, &topic, "Thanks all").await;
    app.wait_for_notifications(&boss.access_token, 2).await;
    let numbers: Vec<i64> = app
        .notifications(&ursula.access_token)
        .await
        .iter()
        .map(|n| n["post"]["number"].as_i64().expect("number"))
        .collect();
    assert_eq!(numbers, [4, 3, 2]);
    assert_eq!(
        app.unread_notifications(&victor.access_token).await,
        1,
        "not watching and not answered"
    );
}

#[tokio::test]
async fn likes_of_one_post_make_one_notification_that_counts_them() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Likeable", "Body")
        .await;
    let post = id_of(&created["post"]);
    app.like(&victor.access_token, &post).await;
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(kinds_and_actors(&inbox), [("like", "victor")]);
    let first = inbox[0].clone();
    assert_eq!(
        first["topic"],
        json!({"id": created["topic"]["id"], "title": "Likeable"})
    );
    assert_eq!(first["post"], json!({"id": post, "number": 1}));
    assert_eq!(
        (&first["count"], &first["read"]),
        (&json!(1), &json!(false))
    );

    // Each new like while it is unread: counted, the latest liker shown.
    app.like(&mona.access_token, &post).await;
    app.like(&mona.access_token, &post).await;
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(kinds_and_actors(&inbox), [("like", "mona")]);
    assert_eq!(inbox[0]["id"], first["id"]);
    assert_eq!(inbox[0]["count"], 2, "liking again is no new like");
    assert_eq!(inbox[0]["created_at"], first["created_at"]);
    assert!(at(&inbox[0]["updated_at"]) > at(&first["updated_at"]));
    assert_eq!(app.unread_notifications(&ursula.access_token).await, 1);

    // Once read, the next like starts it over.
    let read = format!("/api/v1/notifications/{}/read", id_of(&first));
    let response = app.post_as(&read, &ursula.access_token, &json!({})).await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        app.notifications(&ursula.access_token).await[0]["read"],
        true
    );
    app.like(&boss.access_token, &post).await;
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(kinds_and_actors(&inbox), [("like", "boss")]);
    assert_eq!(
        (&inbox[0]["id"], &inbox[0]["count"], &inbox[0]["read"]),
        (&first["id"], &json!(1), &json!(false))
    );
    assert_eq!(app.unread_notifications(&ursula.access_token).await, 1);

    // Another post of hers has a notification of its own.
    let other = app
        .create_topic(&ursula.access_token, "general", "Another", "Body")
        .await;
    app.like(&victor.access_token, &id_of(&other["post"])).await;
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(
        kinds_and_actors(&inbox),
        [("like", "victor"), ("like", "boss")]
    );
    assert_eq!(inbox[0]["post"]["id"], other["post"]["id"]);
    assert_eq!(app.unread_notifications(&ursula.access_token).await, 2);
}

#[tokio::test]
async fn friend_requests_and_acceptances_notify_the_other_person() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let sent = app.send_friend_request(&victor, "ursula").await;
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(kinds_and_actors(&inbox), [("friend_request", "victor")]);
    assert_eq!(inbox[0]["actor"]["display_name"], "victor Tester");
    for field in ["topic", "post", "action", "reason"] {
        assert_eq!(inbox[0][field], Value::Null, "{field}");
    }
    assert_eq!(
        (&inbox[0]["count"], &inbox[0]["read"]),
        (&json!(1), &json!(false))
    );
    assert_eq!(
        app.notifications(&victor.access_token).await,
        Vec::<Value>::new(),
        "not the sender"
    );

    let id = sent["request"]["id"].as_str().expect("request id");
    let accept = format!("/api/v1/friends/requests/{id}/accept");
    let accepted = app.post_as(&accept, &ursula.access_token, &json!({})).await;
    assert_eq!(accepted.status(), 204);
    let inbox = app.notifications(&victor.access_token).await;
    assert_eq!(kinds_and_actors(&inbox), [("friend_accepted", "ursula")]);
    assert_eq!(inbox[0]["topic"], Value::Null);
    assert_eq!(
        app.notifications(&ursula.access_token).await.len(),
        1,
        "not the one who accepted"
    );
}

#[tokio::test]
async fn moderators_actions_on_my_content_notify_me_but_not_on_their_own() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let moderator = mona.access_token.as_str();
    let theirs = app
        .create_topic(&victor.access_token, "general", "Victor's", "Body")
        .await;
    let reply = app
        .reply(&ursula.access_token, &id_of(&theirs["topic"]), "Mine")
        .await;
    app.wait_for_notifications(&victor.access_token, 1).await;
    assert_eq!(
        app.notifications(&ursula.access_token).await,
        Vec::<Value>::new()
    );
    let post = format!("/api/v1/posts/{}", id_of(&reply));
    assert_eq!(app.delete_as(&post, moderator).await.status(), 204);
    let restore = format!("{post}/restore");
    let restored = app
        .call(Method::POST, &restore, Some(moderator), None)
        .await;
    assert_eq!(restored.status(), 200);
    let own_deletion = app.delete_as(&post, &ursula.access_token).await;
    assert_eq!(own_deletion.status(), 204, "her own doing tells nobody");

    let created = app
        .create_topic(&ursula.access_token, "general", "Original", "Body")
        .await;
    let topic = format!("/api/v1/topics/{}", id_of(&created["topic"]));
    let help = json!({"slug": "help", "name": "Help"});
    let category = app
        .post_as("/api/v1/categories", &boss.access_token, &help)
        .await;
    assert_eq!(category.status(), 201);
    let lock = format!("{topic}/lock");
    assert_eq!(app.put_as(&lock, moderator).await.status(), 200);
    assert_eq!(app.delete_as(&lock, moderator).await.status(), 200);
    let pin = format!("{topic}/pin");
    assert_eq!(app.put_as(&pin, moderator).await.status(), 200);
    let moved = app
        .put_json_as(
            &format!("{topic}/category"),
            moderator,
            &json!({"category": "help"}),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let renamed = app
        .patch_as(&topic, moderator, &json!({"title": "Renamed"}))
        .await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(app.delete_as(&topic, moderator).await.status(), 204);

    let inbox = app.notifications(&ursula.access_token).await;
    let actions: Vec<&str> = inbox
        .iter()
        .map(|n| n["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        [
            "topic_deleted",
            "topic_renamed",
            "topic_moved",
            "topic_unlocked",
            "topic_locked",
            "post_restored",
            "post_removed",
        ],
        "pinning tells nobody"
    );
    for notification in &inbox {
        assert_eq!(notification["kind"], "moderation");
        assert_eq!(notification["actor"]["handle"], "mona");
        assert_eq!(notification["read"], false);
    }
    assert_eq!(app.unread_notifications(&ursula.access_token).await, 7);
    assert_eq!(inbox[6]["post"], json!({"id": reply["id"], "number": 2}));
    assert_eq!(
        inbox[6]["topic"],
        json!({"id": theirs["topic"]["id"], "title": "Victor's"})
    );
    assert_eq!(inbox[4]["topic"]["title"], "Original");
    assert_eq!(inbox[4]["post"], Value::Null);
    assert_eq!(
        inbox[0]["topic"],
        json!({"id": null, "title": "Renamed"}),
        "the title stays, the topic is gone"
    );

    // A moderator's own topic: her doing tells her nothing, another's does.
    let rules = app
        .create_topic(moderator, "general", "Rules", "Body")
        .await;
    let rules = format!("/api/v1/topics/{}", id_of(&rules["topic"]));
    let lock = format!("{rules}/lock");
    assert_eq!(app.put_as(&lock, moderator).await.status(), 200);
    let renamed = app
        .patch_as(&rules, moderator, &json!({"title": "House rules"}))
        .await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(app.delete_as(&lock, &boss.access_token).await.status(), 200);
    let inbox = app.notifications(moderator).await;
    assert_eq!(kinds_and_actors(&inbox), [("moderation", "boss")]);
    assert_eq!(inbox[0]["action"], "topic_unlocked");
}

#[tokio::test]
async fn people_who_blocked_someone_or_muted_a_topic_are_not_notified_from_them() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let hers = app
        .create_topic(&ursula.access_token, "general", "Hers", "Body")
        .await;
    let hers = id_of(&hers["topic"]);
    let blocked = app
        .put_as("/api/v1/blocks/victor", &ursula.access_token)
        .await;
    assert_eq!(blocked.status(), 204);

    // Victor answers, quotes and mentions her, and mentions boss.
    let body = "[quote=\"ursula, post:1\"]\nBody\n[/quote]\n@ursula @boss look";
    app.reply_to(&victor.access_token, &hers, 1, body).await;
    let bosses = app.wait_for_notifications(&boss.access_token, 1).await;
    assert_eq!(kinds_and_actors(&bosses), [("mention", "victor")]);
    assert_eq!(
        app.notifications(&ursula.access_token).await,
        Vec::<Value>::new(),
        "she blocked him"
    );

    // In a topic she muted nobody tells her anything, not even by a mention.
    let quiet = app
        .create_topic(&boss.access_token, "general", "Quiet", "Body")
        .await;
    let quiet = id_of(&quiet["topic"]);
    let mine = app.reply(&ursula.access_token, &quiet, "Mine").await;
    app.wait_for_notifications(&boss.access_token, 2).await;
    app.watch(&ursula.access_token, &quiet, "muted").await;
    let body = "[quote=\"ursula, post:2\"]\nMine\n[/quote]\n@ursula really?";
    app.reply_to(&mona.access_token, &quiet, 2, body).await;
    app.wait_for_notifications(&boss.access_token, 3).await;
    assert_eq!(
        app.notifications(&ursula.access_token).await,
        Vec::<Value>::new(),
        "she muted it"
    );

    // A moderator is heard all the same, though blocked and in a muted
    // topic; and others elsewhere still reach her.
    let blocked = app
        .put_as("/api/v1/blocks/mona", &ursula.access_token)
        .await;
    assert_eq!(blocked.status(), 204);
    let removed = app
        .delete_as(
            &format!("/api/v1/posts/{}", id_of(&mine)),
            &mona.access_token,
        )
        .await;
    assert_eq!(removed.status(), 204);
    app.reply(&boss.access_token, &hers, "@ursula see above")
        .await;
    let inbox = app.wait_for_notifications(&ursula.access_token, 2).await;
    assert_eq!(
        kinds_and_actors(&inbox),
        [("mention", "boss"), ("moderation", "mona")]
    );
    assert_eq!(inbox[1]["action"], "post_removed");
}
