//! What a ban does: the banned person's sessions end at once, and signed
//! in again they read the forum but write nothing in it until the ban ends
//! or is lifted.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::forum::{Forum, hours_from_now, id_of, items, json_of, numbers};

/// Tries to reply in a topic as the holder of `token`.
async fn try_reply(app: &TestApp, token: &str, topic: &str) -> reqwest::Response {
    app.post_as(
        &format!("/api/v1/topics/{topic}/posts"),
        token,
        &json!({"body": "Hello again"}),
    )
    .await
}

#[tokio::test]
async fn a_ban_ends_every_session_of_the_banned_person_at_once() {
    let Forum {
        app,
        boss,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let laptop = app.login_user("victor").await;
    for session in [&victor, &laptop] {
        assert_eq!(app.me(&session.access_token).await["handle"], "victor");
    }

    app.ban(&boss.access_token, "victor", "Spam", None).await;
    for session in [&victor, &laptop] {
        assert_problem(
            app.get("/api/v1/me", Some(&session.access_token)).await,
            401,
            "session_ended",
        )
        .await;
        let refresh = app
            .post(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": session.refresh_token}),
            )
            .await;
        assert_problem(refresh, 401, "invalid_refresh_token").await;
    }
    for token in [&ursula.access_token, &boss.access_token] {
        assert_eq!(app.get("/api/v1/me", Some(token)).await.status(), 200);
    }
    let again = app.login_user("victor").await;
    assert_eq!(app.me(&again.access_token).await["handle"], "victor");
}

#[tokio::test]
async fn a_banned_person_reads_but_every_forum_write_is_refused_and_nothing_is_written() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Open house", "Welcome")
        .await;
    let topic = id_of(&created["topic"]);
    let first = id_of(&created["post"]);
    let his = id_of(&app.reply(&victor.access_token, &topic, "Thanks").await);
    let hers = id_of(&app.reply(&ursula.access_token, &topic, "Sure").await);
    app.like(&victor.access_token, &first).await;

    app.ban(&boss.access_token, "victor", "Spam", None).await;
    let victor = app.login_user("victor").await;
    let token = victor.access_token.as_str();

    let listed = app.get_ok("/api/v1/topics", Some(token)).await;
    assert_eq!(listed["items"][0]["id"], json!(topic));
    let page = app
        .get_ok(&format!("/api/v1/topics/{topic}/posts"), Some(token))
        .await;
    assert_eq!(numbers(&page), [1, 2, 3]);
    assert_eq!(app.topic(&topic, Some(token)).await["title"], "Open house");

    let writes = [
        (
            Method::POST,
            "/api/v1/categories/general/topics".to_owned(),
            Some(json!({"title": "Cheap watches", "body": "Buy now"})),
        ),
        (
            Method::POST,
            format!("/api/v1/topics/{topic}/posts"),
            Some(json!({"body": "Buy now"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/posts/{his}"),
            Some(json!({"body": "Buy now"})),
        ),
        (Method::PUT, format!("/api/v1/posts/{hers}/like"), None),
        (
            Method::POST,
            format!("/api/v1/posts/{hers}/report"),
            Some(json!({"reason": "Rude"})),
        ),
    ];
    for (method, path, body) in writes {
        let what = format!("{method} {path}");
        let response = app.call(method, &path, Some(token), body.as_ref()).await;
        assert_eq!(response.status(), 403, "{what}");
        assert_problem(response, 403, "banned").await;
    }

    // Nothing of it was written.
    assert_eq!(app.topic_count("general").await, 1);
    assert_eq!(app.stats("victor").await["topics"], 0);
    assert_eq!(app.topic(&topic, None).await["last_post_number"], 3);
    let unchanged = app.forum_post(&his, None).await;
    assert_eq!(
        (&unchanged["body"], &unchanged["revision"]),
        (&json!("Thanks"), &json!(1))
    );
    assert_eq!(app.forum_post(&hers, None).await["like_count"], 0);
    assert_eq!(
        app.reports(&mona.access_token, "open").await,
        Vec::<Value>::new()
    );

    // Taking back what he did before still works, and others write on.
    let unliked = app
        .delete_as(&format!("/api/v1/posts/{first}/like"), token)
        .await;
    assert_eq!(json_of(unliked, 200).await["like_count"], 0);
    let deleted = app.delete_as(&format!("/api/v1/posts/{his}"), token).await;
    assert_eq!(deleted.status(), 204);
    assert!(app.forum_post(&his, None).await["deleted"].is_object());
    assert_eq!(
        app.reply(&ursula.access_token, &topic, "Still open").await["number"],
        4
    );
}

#[tokio::test]
async fn banning_again_replaces_the_ban_and_ends_the_sessions_again() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Rules", "Be nice")
        .await;
    let topic = id_of(&created["topic"]);
    app.ban(
        &boss.access_token,
        "victor",
        "First warning",
        Some(&hours_from_now(2)),
    )
    .await;
    let between = app.login_user("victor").await;

    let replaced = app
        .ban(&boss.access_token, "victor", "For good now", None)
        .await;
    assert_eq!(
        (&replaced["reason"], &replaced["until"]),
        (&json!("For good now"), &Value::Null)
    );
    let bans = items(&app.pages("/api/v1/bans", Some(&mona.access_token)).await);
    assert_eq!(bans.len(), 1, "one ban, not two: {bans:#?}");
    assert_eq!(bans[0]["user"]["handle"], "victor");
    assert_eq!(
        (&bans[0]["reason"], &bans[0]["until"]),
        (&json!("For good now"), &Value::Null)
    );
    assert_problem(
        app.get("/api/v1/me", Some(&between.access_token)).await,
        401,
        "session_ended",
    )
    .await;
    let victor = app.login_user("victor").await;
    assert_problem(
        try_reply(&app, &victor.access_token, &topic).await,
        403,
        "banned",
    )
    .await;
}

#[tokio::test]
async fn a_ban_holds_until_its_end_and_not_after() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Cooling off", "Body")
        .await;
    let topic = id_of(&created["topic"]);
    app.ban(
        &boss.access_token,
        "victor",
        "Calm down",
        Some(&hours_from_now(1)),
    )
    .await;
    let victor = app.login_user("victor").await;
    assert_problem(
        try_reply(&app, &victor.access_token, &topic).await,
        403,
        "banned",
    )
    .await;
    assert_eq!(app.banned(&mona.access_token).await, ["victor"]);

    assert_eq!(
        app.db
            .execute("UPDATE bans SET until = now() - interval '1 minute'"),
        1
    );
    let post = app.reply(&victor.access_token, &topic, "Calm again").await;
    assert_eq!(post["number"], 2);
    assert_eq!(app.banned(&mona.access_token).await, Vec::<String>::new());
}

#[tokio::test]
async fn lifting_a_ban_lets_the_person_write_again() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Second chances", "Body")
        .await;
    let topic = id_of(&created["topic"]);
    app.ban(&boss.access_token, "victor", "Spam", None).await;
    let victor = app.login_user("victor").await;
    assert_problem(
        try_reply(&app, &victor.access_token, &topic).await,
        403,
        "banned",
    )
    .await;
    assert_problem(
        app.delete_as("/api/v1/bans/ursula", &boss.access_token)
            .await,
        404,
        "not_banned",
    )
    .await;

    let lift = "/api/v1/bans/victor";
    assert_eq!(app.delete_as(lift, &boss.access_token).await.status(), 204);
    let post = app.reply(&victor.access_token, &topic, "Sorry").await;
    assert_eq!(post["number"], 2);
    assert_eq!(app.banned(&mona.access_token).await, Vec::<String>::new());
    assert_problem(
        app.delete_as(lift, &boss.access_token).await,
        404,
        "not_banned",
    )
    .await;
}
