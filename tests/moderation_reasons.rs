//! The reason a moderator gives with an action, as `?reason=…`: at most
//! 500 characters, or the action is refused and nothing is done; kept in
//! the moderation log.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, with_reason};

#[tokio::test]
async fn lifting_a_ban_keeps_the_reason_given_for_it() {
    let Forum {
        app, boss, mona, ..
    } = Forum::start().await;
    app.ban(&boss.access_token, "victor", "Spam", None).await;
    let lift = "/api/v1/bans/victor";
    let refused = app
        .delete_as(&with_reason(lift, &"x".repeat(501)), &boss.access_token)
        .await;
    let problem = assert_problem(refused, 422, "validation_failed").await;
    assert!(problem["errors"]["reason"].is_array(), "{problem}");
    assert_eq!(app.banned(&mona.access_token).await, ["victor"]);

    let lifted = app
        .delete_as(&with_reason(lift, "Appeal granted"), &boss.access_token)
        .await;
    assert_eq!(lifted.status(), 204);
    let log = app.moderation_log(&mona.access_token).await;
    assert_eq!(log[0]["action"], "user_unbanned");
    assert_eq!(log[0]["reason"], "Appeal granted");
}

#[tokio::test]
async fn a_reason_over_500_characters_is_refused_and_nothing_is_done() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let help = json!({"slug": "help", "name": "Help"});
    let category = app
        .post_as("/api/v1/categories", &boss.access_token, &help)
        .await;
    assert_eq!(category.status(), 201);
    let created = app
        .create_topic(&ursula.access_token, "general", "Original", "Body")
        .await;
    let id = id_of(&created["topic"]);
    let topic = format!("/api/v1/topics/{id}");
    let standing = id_of(&app.reply(&victor.access_token, &id, "Standing").await);
    let regretted = id_of(&app.reply(&victor.access_token, &id, "Regretted").await);
    let deleted = app
        .delete_as(&format!("/api/v1/posts/{regretted}"), &victor.access_token)
        .await;
    assert_eq!(deleted.status(), 204);
    let first = id_of(&created["post"]);
    assert_eq!(
        app.report(&victor.access_token, &first, "Spam")
            .await
            .status(),
        204
    );
    let report = id_of(&app.reports(&mona.access_token, "open").await[0]);

    let cases = [
        (Method::PUT, format!("{topic}/pin"), None),
        (Method::DELETE, format!("{topic}/pin"), None),
        (Method::PUT, format!("{topic}/lock"), None),
        (Method::DELETE, format!("{topic}/lock"), None),
        (
            Method::PUT,
            format!("{topic}/category"),
            Some(json!({"category": "help"})),
        ),
        (
            Method::PATCH,
            topic.clone(),
            Some(json!({"title": "Renamed"})),
        ),
        (Method::DELETE, topic.clone(), None),
        (Method::DELETE, format!("/api/v1/posts/{standing}"), None),
        (
            Method::POST,
            format!("/api/v1/posts/{regretted}/restore"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/reports/{report}/resolve"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/reports/{report}/dismiss"),
            None,
        ),
    ];
    let too_long = "x".repeat(501);
    for (method, path, body) in cases {
        let what = format!("{method} {path}");
        let response = app
            .call(
                method,
                &with_reason(&path, &too_long),
                Some(&mona.access_token),
                body.as_ref(),
            )
            .await;
        assert_eq!(response.status(), 422, "{what}");
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert!(problem["errors"]["reason"].is_array(), "{what}: {problem}");
    }

    // Nothing was done, and nothing logged.
    assert_eq!(
        app.moderation_log(&mona.access_token).await,
        Vec::<Value>::new()
    );
    let seen = app.topic(&id, None).await;
    assert_eq!(
        (&seen["title"], &seen["pinned"], &seen["locked"]),
        (&json!("Original"), &json!(false), &json!(false))
    );
    assert_eq!(seen["category"]["slug"], "general");
    assert_eq!(
        app.forum_post(&standing, None).await["deleted"],
        Value::Null
    );
    assert!(app.forum_post(&regretted, None).await["deleted"].is_object());
    assert_eq!(app.reports(&mona.access_token, "open").await.len(), 1);

    // Five hundred are enough.
    let longest = "x".repeat(500);
    let pin = with_reason(&format!("{topic}/pin"), &longest);
    assert_eq!(app.put_as(&pin, &mona.access_token).await.status(), 200);
    let log = app.moderation_log(&mona.access_token).await;
    assert_eq!(log[0]["reason"], json!(longest));
}
