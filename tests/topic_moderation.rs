//! Changing topics: authors rename and delete their own within limits;
//! moderators and admins rename, delete, pin, lock and move any of them.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, items, json_of, strings, unknown_id};

#[tokio::test]
async fn authors_and_moderators_rename_topics_and_nobody_else_does() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Old title", "Body")
        .await;
    let path = format!("/api/v1/topics/{}", id_of(&created["topic"]));
    let rename = |title: &str| json!({"title": title});

    assert_problem(
        app.patch_as(&path, &victor.access_token, &rename("Hijacked"))
            .await,
        403,
        "not_allowed",
    )
    .await;
    assert_problem(
        app.call(Method::PATCH, &path, None, Some(&rename("Hijacked")))
            .await,
        401,
        "authentication_required",
    )
    .await;
    let problem = assert_problem(
        app.patch_as(&path, &ursula.access_token, &rename("no"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(problem["errors"]["title"].is_array(), "{problem}");
    assert_eq!(app.get_ok(&path, None).await["title"], "Old title");

    for (token, title) in [
        (&ursula.access_token, "Renamed by the author"),
        (&mona.access_token, "Renamed by a moderator"),
        (&boss.access_token, "Renamed by an admin"),
    ] {
        let renamed = json_of(app.patch_as(&path, token, &rename(title)).await, 200).await;
        assert_eq!(renamed["title"], title);
        assert_eq!(app.get_ok(&path, None).await["title"], title);
    }
}

#[tokio::test]
async fn authors_rename_a_topic_only_within_an_hour_of_opening_it() {
    let Forum {
        app, mona, ursula, ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Old title", "Body")
        .await;
    let id = id_of(&created["topic"]);
    let path = format!("/api/v1/topics/{id}");
    let opened_ago = |minutes: u32| {
        app.db.execute(&format!(
            "UPDATE topics SET created_at = now() - interval '{minutes} minutes' WHERE id = '{id}'"
        ))
    };

    assert_eq!(opened_ago(59), 1);
    let renamed = app
        .patch_as(&path, &ursula.access_token, &json!({"title": "Still mine"}))
        .await;
    assert_eq!(json_of(renamed, 200).await["title"], "Still mine");
    assert_eq!(opened_ago(61), 1);
    assert_problem(
        app.patch_as(&path, &ursula.access_token, &json!({"title": "Too late"}))
            .await,
        403,
        "edit_window_closed",
    )
    .await;
    let renamed = app
        .patch_as(
            &path,
            &mona.access_token,
            &json!({"title": "Moderators may"}),
        )
        .await;
    assert_eq!(json_of(renamed, 200).await["title"], "Moderators may");
}

#[tokio::test]
async fn authors_delete_a_topic_only_while_nobody_has_replied() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let lonely = app
        .create_topic(&ursula.access_token, "general", "Nobody came", "Body")
        .await;
    let path = format!("/api/v1/topics/{}", id_of(&lonely["topic"]));
    assert_eq!(app.topic_count("general").await, 1);
    assert_problem(
        app.delete_as(&path, &victor.access_token).await,
        403,
        "not_allowed",
    )
    .await;
    assert_problem(
        app.call(Method::DELETE, &path, None, None).await,
        401,
        "authentication_required",
    )
    .await;
    assert_eq!(
        app.delete_as(&path, &ursula.access_token).await.status(),
        204
    );
    assert_eq!(app.topic_count("general").await, 0);
    assert_problem(app.get(&path, None).await, 404, "topic_not_found").await;
    assert_problem(
        app.delete_as(&path, &ursula.access_token).await,
        404,
        "topic_not_found",
    )
    .await;
    assert_eq!(app.get_ok("/api/v1/topics", None).await["items"], json!([]));

    let answered = app
        .create_topic(&ursula.access_token, "general", "Somebody came", "Body")
        .await;
    let id = id_of(&answered["topic"]);
    app.reply(&victor.access_token, &id, "Hello").await;
    assert_problem(
        app.delete_as(&format!("/api/v1/topics/{id}"), &ursula.access_token)
            .await,
        409,
        "topic_has_replies",
    )
    .await;
    assert_eq!(app.topic_count("general").await, 1);
    assert_eq!(app.topic(&id, None).await["reply_count"], 1);
}

#[tokio::test]
async fn moderators_and_admins_delete_any_topic() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    for token in [&mona.access_token, &boss.access_token] {
        let created = app
            .create_topic(&ursula.access_token, "general", "Off topic", "Body")
            .await;
        let path = format!("/api/v1/topics/{}", id_of(&created["topic"]));
        app.reply(&victor.access_token, &id_of(&created["topic"]), "Me too")
            .await;
        assert_eq!(app.topic_count("general").await, 1);
        assert_eq!(app.delete_as(&path, token).await.status(), 204);
        assert_eq!(app.topic_count("general").await, 0);
        assert_problem(app.get(&path, None).await, 404, "topic_not_found").await;
    }
}

#[tokio::test]
async fn only_moderators_and_admins_pin_and_lock_topics() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Important", "Body")
        .await;
    let id = id_of(&created["topic"]);
    let members = [&ursula.access_token, &victor.access_token];
    for (action, field) in [("pin", "pinned"), ("lock", "locked")] {
        let path = format!("/api/v1/topics/{id}/{action}");
        for token in members {
            assert_problem(app.put_as(&path, token).await, 403, "not_allowed").await;
        }
        for method in [Method::PUT, Method::DELETE] {
            assert_problem(
                app.call(method, &path, None, None).await,
                401,
                "authentication_required",
            )
            .await;
        }
        assert_eq!(app.topic(&id, None).await[field], false, "{action}");

        let on = json_of(app.put_as(&path, &mona.access_token).await, 200).await;
        assert_eq!(on[field], true, "{action} by a moderator");
        assert_eq!(app.topic(&id, None).await[field], true);
        for token in members {
            assert_problem(app.delete_as(&path, token).await, 403, "not_allowed").await;
        }
        let off = json_of(app.delete_as(&path, &boss.access_token).await, 200).await;
        assert_eq!(off[field], false, "un{action} by an admin");
        assert_eq!(app.topic(&id, None).await[field], false);

        let on = json_of(app.put_as(&path, &boss.access_token).await, 200).await;
        assert_eq!(on[field], true, "{action} by an admin");
        let off = json_of(app.delete_as(&path, &mona.access_token).await, 200).await;
        assert_eq!(off[field], false, "un{action} by a moderator");
    }
}

#[tokio::test]
async fn moderators_move_topics_between_categories_and_the_counts_follow() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let help = app
        .post_as(
            "/api/v1/categories",
            &boss.access_token,
            &json!({"slug": "help", "name": "Help"}),
        )
        .await;
    assert_eq!(help.status(), 201);
    let created = app
        .create_topic(&ursula.access_token, "general", "Lost", "Body")
        .await;
    let id = id_of(&created["topic"]);
    let path = format!("/api/v1/topics/{id}/category");
    let to = |slug: &str| json!({"category": slug});
    let counts = || {
        let app = &app;
        async move {
            (
                app.topic_count("general").await,
                app.topic_count("help").await,
            )
        }
    };

    for token in [&ursula.access_token, &victor.access_token] {
        assert_problem(
            app.put_json_as(&path, token, &to("help")).await,
            403,
            "not_allowed",
        )
        .await;
    }
    assert_problem(
        app.call(Method::PUT, &path, None, Some(&to("help"))).await,
        401,
        "authentication_required",
    )
    .await;
    let nowhere = app
        .put_json_as(&path, &mona.access_token, &to("nowhere"))
        .await;
    let problem = json_of(nowhere, 422).await;
    assert!(problem["errors"]["category"].is_array(), "{problem}");
    assert_eq!(counts().await, (1, 0));

    let moved = json_of(
        app.put_json_as(&path, &mona.access_token, &to("help"))
            .await,
        200,
    )
    .await;
    assert_eq!(moved["category"]["slug"], "help");
    assert_eq!(counts().await, (0, 1));
    let titles = |page: Value| strings(&items(&[page]), "title");
    let in_help = app.get_ok("/api/v1/categories/help/topics", None).await;
    assert_eq!(titles(in_help), ["Lost"]);
    let in_general = app.get_ok("/api/v1/categories/general/topics", None).await;
    assert_eq!(titles(in_general), Vec::<String>::new());

    let back = json_of(
        app.put_json_as(&path, &boss.access_token, &to("general"))
            .await,
        200,
    )
    .await;
    assert_eq!(back["category"]["slug"], "general");
    assert_eq!(counts().await, (1, 0));
}

#[tokio::test]
async fn a_locked_topic_takes_replies_only_from_moderators_and_admins() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Closing soon", "Body")
        .await;
    let id = id_of(&created["topic"]);
    let lock = format!("/api/v1/topics/{id}/lock");
    assert_eq!(app.put_as(&lock, &mona.access_token).await.status(), 200);

    let posts = format!("/api/v1/topics/{id}/posts");
    for token in [&ursula.access_token, &victor.access_token] {
        assert_problem(
            app.post_as(&posts, token, &json!({"body": "Wait!"})).await,
            403,
            "topic_locked",
        )
        .await;
    }
    assert_problem(
        app.patch_as(
            &format!("/api/v1/posts/{}", id_of(&created["post"])),
            &ursula.access_token,
            &json!({"body": "Changed"}),
        )
        .await,
        403,
        "topic_locked",
    )
    .await;
    let by_moderator = app.reply(&mona.access_token, &id, "Closed, see FAQ").await;
    assert_eq!(by_moderator["number"], 2);
    let by_admin = app.reply(&boss.access_token, &id, "Indeed").await;
    assert_eq!(by_admin["number"], 3);
    assert_eq!(app.topic(&id, None).await["last_post_number"], 3);

    assert_eq!(app.delete_as(&lock, &mona.access_token).await.status(), 200);
    let reopened = app.reply(&victor.access_token, &id, "Thanks").await;
    assert_eq!(reopened["number"], 4);
}

#[tokio::test]
async fn every_topic_endpoint_answers_404_for_an_unknown_topic() {
    let Forum { app, mona, .. } = Forum::start().await;
    let topic = format!("/api/v1/topics/{}", unknown_id());
    let cases = [
        (Method::GET, topic.clone(), None),
        (
            Method::PATCH,
            topic.clone(),
            Some(json!({"title": "New title"})),
        ),
        (Method::DELETE, topic.clone(), None),
        (Method::PUT, format!("{topic}/pin"), None),
        (Method::DELETE, format!("{topic}/pin"), None),
        (Method::PUT, format!("{topic}/lock"), None),
        (Method::DELETE, format!("{topic}/lock"), None),
        (
            Method::PUT,
            format!("{topic}/category"),
            Some(json!({"category": "general"})),
        ),
        (
            Method::PUT,
            format!("{topic}/read"),
            Some(json!({"last_read_number": 1})),
        ),
        (
            Method::PUT,
            format!("{topic}/watch"),
            Some(json!({"level": "watching"})),
        ),
        (Method::GET, format!("{topic}/posts"), None),
        (
            Method::POST,
            format!("{topic}/posts"),
            Some(json!({"body": "Hi"})),
        ),
    ];
    for (method, path, body) in cases {
        let what = format!("{method} {path}");
        let response = app
            .call(method, &path, Some(&mona.access_token), body.as_ref())
            .await;
        assert_eq!(response.status(), 404, "{what}");
        assert_problem(response, 404, "topic_not_found").await;
    }
}
