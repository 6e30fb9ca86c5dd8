//! The notification inbox as people use it: told live on each of their
//! devices and kept in their event log, counted in `ready`, read one by one
//! or all at once, paged newest first, and nobody else's business.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{TestUser, assert_problem};
use crate::support::forum::{Forum, id_of, items, unknown_id};
use crate::support::socket::Socket;

/// The next event on `socket`, which must be a `kind`: its `event`.
async fn next_event(socket: &mut Socket, kind: &str) -> Value {
    let frame = socket.event().await;
    assert_eq!(frame["event"]["type"], kind, "{frame}");
    frame["event"].clone()
}

async fn read_all(app: &TestApp, user: &TestUser) {
    let response = app
        .post_as("/api/v1/notifications/read", &user.access_token, &json!({}))
        .await;
    assert_eq!(response.status(), 204);
}

/// `read` of each notification, newest first.
fn reads(inbox: &[Value]) -> Vec<bool> {
    inbox
        .iter()
        .map(|n| n["read"].as_bool().expect("read"))
        .collect()
}

fn titles(inbox: &[Value]) -> Vec<&str> {
    inbox
        .iter()
        .map(|n| n["topic"]["title"].as_str().expect("title"))
        .collect()
}

/// `counts.unread_notifications` of a fresh connection's `ready`.
async fn unread_at_ready(app: &TestApp, user: &TestUser) -> Value {
    let (socket, ready) = app.socket(&user.access_token).await;
    socket.close().await;
    ready["counts"]["unread_notifications"].clone()
}

#[tokio::test]
async fn replies_to_a_watched_topic_reach_its_watchers_live_and_in_the_inbox() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Watch this", "Body")
        .await;
    let topic = id_of(&created["topic"]);
    app.watch(&mona.access_token, &topic, "watching").await;
    let (mut ursulas_socket, _) = app.live_socket(&ursula.access_token).await;
    let (mut victors_socket, _) = app.live_socket(&victor.access_token).await;

    let post = app.reply(&victor.access_token, &topic, "Seen it").await;
    let event = next_event(&mut ursulas_socket, "notification_received").await;
    assert_eq!(event["unread_count"], 1);
    let notification = &event["notification"];
    assert_eq!(notification["kind"], "reply");
    assert_eq!(notification["actor"]["handle"], "victor");
    assert_eq!(
        notification["topic"],
        json!({"id": topic, "title": "Watch this"})
    );
    assert_eq!(notification["post"], json!({"id": post["id"], "number": 2}));
    assert_eq!(notification["count"], 1);
    assert_eq!(notification["action"], Value::Null);
    assert_eq!(notification["reason"], Value::Null);
    assert_eq!(notification["read"], false);
    assert!(notification["created_at"].is_string());
    assert!(notification["updated_at"].is_string());
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(inbox.len(), 1);
    assert_eq!(&inbox[0], notification);
    assert_eq!(app.unread_notifications(&ursula.access_token).await, 1);

    let log = app
        .get_ok("/api/v1/events?after=0", Some(&ursula.access_token))
        .await;
    let logged: Vec<&Value> = log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["type"] == "notification_received")
        .collect();
    assert_eq!(logged.len(), 1, "{log}");
    assert_eq!(logged[0]["notification"], *notification);
    assert_eq!(logged[0]["unread_count"], 1);

    // Mona watches it by choice; boss does not watch it.
    let monas = app.wait_for_notifications(&mona.access_token, 1).await;
    assert_eq!(monas.len(), 1);
    assert_eq!(monas[0]["kind"], "reply");
    assert_eq!(monas[0]["post"]["number"], 2);
    assert_eq!(
        app.notifications(&boss.access_token).await,
        Vec::<Value>::new()
    );

    // Victor, watching since he replied, was not told of his own reply:
    // his first event is her answer.
    app.reply(&ursula.access_token, &topic, "Thanks").await;
    let event = next_event(&mut victors_socket, "notification_received").await;
    assert_eq!(event["notification"]["actor"]["handle"], "ursula");
    assert_eq!(event["notification"]["post"]["number"], 3);
    assert_eq!(event["unread_count"], 1);
}

#[tokio::test]
async fn reading_notifications_one_or_all_tells_my_devices_and_lowers_the_count() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let mut posts = Vec::new();
    for title in ["One", "Two", "Three"] {
        let created = app
            .create_topic(&ursula.access_token, "general", title, "Body")
            .await;
        let post = id_of(&created["post"]);
        app.like(&victor.access_token, &post).await;
        posts.push(post);
    }
    let his = app
        .create_topic(&victor.access_token, "general", "His", "Body")
        .await;
    let phone = app.login_user("ursula").await;
    let (mut laptop_socket, ready) = app.live_socket(&ursula.access_token).await;
    assert_eq!(ready["counts"]["unread_notifications"], 3);
    let (mut phone_socket, _) = app.live_socket(&phone.access_token).await;
    let (mut victors_socket, _) = app.live_socket(&victor.access_token).await;

    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(titles(&inbox), ["Three", "Two", "One"]);
    let oldest = id_of(&inbox[2]);
    let read_oldest = format!("/api/v1/notifications/{oldest}/read");
    for _ in 0..2 {
        let read = app
            .post_as(&read_oldest, &phone.access_token, &json!({}))
            .await;
        assert_eq!(read.status(), 204, "again: no change");
        assert_eq!(app.unread_notifications(&ursula.access_token).await, 2);
    }
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(reads(&inbox), [false, false, true]);
    for socket in [&mut laptop_socket, &mut phone_socket] {
        let event = next_event(socket, "notifications_read").await;
        assert_eq!(event["ids"], json!([oldest]));
        assert_eq!(event["unread_count"], 2);
    }

    read_all(&app, &phone).await;
    assert_eq!(app.unread_notifications(&ursula.access_token).await, 0);
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(reads(&inbox), [true, true, true]);
    // Reading one twice told nothing the second time: next comes "all".
    for socket in [&mut laptop_socket, &mut phone_socket] {
        let event = next_event(socket, "notifications_read").await;
        assert_eq!(event["ids"], Value::Null);
        assert_eq!(event["unread_count"], 0);
    }

    // A like of a post whose notification was read makes it unread again.
    app.like(&mona.access_token, &posts[0]).await;
    for socket in [&mut laptop_socket, &mut phone_socket] {
        let event = next_event(socket, "notification_received").await;
        assert_eq!(event["unread_count"], 1);
        let notification = &event["notification"];
        assert_eq!(notification["id"], oldest.as_str());
        assert_eq!(notification["actor"]["handle"], "mona");
        assert_eq!(
            (&notification["count"], &notification["read"]),
            (&json!(1), &json!(false))
        );
    }

    // Her reading told victor nothing: his first event is her like.
    app.like(&ursula.access_token, &id_of(&his["post"])).await;
    let event = next_event(&mut victors_socket, "notification_received").await;
    assert_eq!(event["notification"]["actor"]["handle"], "ursula");
    assert_eq!(event["unread_count"], 1);
}

#[tokio::test]
async fn ready_counts_unread_notifications() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    assert_eq!(unread_at_ready(&app, &ursula).await, 0);
    app.send_friend_request(&victor, "ursula").await;
    assert_eq!(unread_at_ready(&app, &ursula).await, 1);
    let created = app
        .create_topic(&ursula.access_token, "general", "Counted", "Body")
        .await;
    app.like(&victor.access_token, &id_of(&created["post"]))
        .await;
    assert_eq!(unread_at_ready(&app, &ursula).await, 2);
    assert_eq!(unread_at_ready(&app, &victor).await, 0, "hers only");
    read_all(&app, &ursula).await;
    assert_eq!(unread_at_ready(&app, &ursula).await, 0);
}

#[tokio::test]
async fn others_notifications_cannot_be_read_by_me() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    app.send_friend_request(&victor, "ursula").await;
    let hers = id_of(&app.notifications(&ursula.access_token).await[0]);
    for id in [hers.clone(), unknown_id()] {
        let path = format!("/api/v1/notifications/{id}/read");
        assert_problem(
            app.post_as(&path, &victor.access_token, &json!({})).await,
            404,
            "notification_not_found",
        )
        .await;
    }
    read_all(&app, &victor).await;
    assert_eq!(
        app.notifications(&victor.access_token).await,
        Vec::<Value>::new()
    );
    assert_eq!(app.unread_notifications(&ursula.access_token).await, 1);

    let read_hers = format!("/api/v1/notifications/{hers}/read");
    for (method, path) in [
        (Method::GET, "/api/v1/notifications"),
        (Method::GET, "/api/v1/notifications/unread-count"),
        (Method::POST, "/api/v1/notifications/read"),
        (Method::POST, read_hers.as_str()),
    ] {
        assert_problem(
            app.call(method, path, None, None).await,
            401,
            "authentication_required",
        )
        .await;
    }
    assert_eq!(
        app.notifications(&ursula.access_token).await[0]["read"],
        false
    );
    let read = app
        .post_as(&read_hers, &ursula.access_token, &json!({}))
        .await;
    assert_eq!(read.status(), 204);
    assert_eq!(app.unread_notifications(&ursula.access_token).await, 0);
}

#[tokio::test]
async fn inbox_pages_newest_first_with_a_cursor() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let mut posts = Vec::new();
    for title in ["One", "Two", "Three", "Four", "Five"] {
        let created = app
            .create_topic(&ursula.access_token, "general", title, "Body")
            .await;
        posts.push(id_of(&created["post"]));
    }
    for post in &posts {
        app.like(&victor.access_token, post).await;
    }
    let token = Some(ursula.access_token.as_str());
    let paged = "/api/v1/notifications?limit=2";
    let pages = app.pages(paged, token).await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|page| page["items"].as_array().expect("items").len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(pages[2]["next_cursor"], Value::Null);
    assert_eq!(
        titles(&items(&pages)),
        ["Five", "Four", "Three", "Two", "One"]
    );

    // A new like brings its notification to the top.
    app.like(&mona.access_token, &posts[1]).await;
    let pages = app.pages(paged, token).await;
    let all = items(&pages);
    assert_eq!(titles(&all), ["Two", "Five", "Four", "Three", "One"]);
    assert_eq!(all[0]["count"], 2);
    assert_eq!(all, app.notifications(&ursula.access_token).await);
    assert_eq!(
        app.notifications(&victor.access_token).await,
        Vec::<Value>::new()
    );

    assert_problem(
        app.get("/api/v1/notifications?limit=0", token).await,
        400,
        "invalid_limit",
    )
    .await;
    assert_problem(
        app.get("/api/v1/notifications?cursor=nonsense", token)
            .await,
        400,
        "invalid_cursor",
    )
    .await;
}

#[tokio::test]
async fn an_edit_tells_whom_it_newly_mentions_and_nobody_twice() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Edits", "Hello @victor")
        .await;
    let first = app.wait_for_notifications(&victor.access_token, 1).await;
    assert_eq!(first[0]["kind"], "mention");
    let post_id = created["post"]["id"].as_str().unwrap();
    let edited = app
        .patch_as(
            &format!("/api/v1/posts/{post_id}"),
            &ursula.access_token,
            &json!({"body": "Hello @victor and @mona"}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let told = app.wait_for_notifications(&mona.access_token, 1).await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["kind"], "mention");
    assert_eq!(told[0]["post"]["id"], post_id);
    // Victor was in the same delivery as mona, and is not told twice.
    assert_eq!(app.notifications(&victor.access_token).await.len(), 1);
}
