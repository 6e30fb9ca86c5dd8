//! Forum topics: opening them, reading them with or without an account, and
//! the lists they appear in.

use std::time::Duration;

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, items, json_of, strings, unknown_id};
use crate::support::search::titles;

#[tokio::test]
async fn opening_a_topic_counts_in_its_category_and_starts_at_post_one_watched_by_its_author() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let before = app.get_ok("/api/v1/categories/general", None).await;
    assert_eq!(before["topic_count"], 0);
    assert_eq!(before["last_activity_at"], Value::Null);

    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Hello there",
            "First **post**",
        )
        .await;
    let (topic, post) = (&created["topic"], &created["post"]);
    assert_eq!(topic["title"], "Hello there");
    assert_eq!(topic["category"]["id"], before["id"]);
    assert_eq!(topic["category"]["slug"], "general");
    assert_eq!(topic["category"]["name"], "General");
    assert_eq!(topic["author"]["handle"], "ursula");
    assert_eq!(topic["author"]["display_name"], "ursula Tester");
    assert_eq!(topic["reply_count"], 0);
    assert_eq!(topic["last_post_number"], 1);
    assert_eq!(
        (&topic["pinned"], &topic["locked"]),
        (&json!(false), &json!(false))
    );
    assert!(topic["created_at"].is_string() && topic["last_activity_at"].is_string());
    assert_eq!(topic["watch_level"], "watching");

    assert_eq!(post["number"], 1);
    assert_eq!(post["topic_id"], topic["id"]);
    assert_eq!(post["author"]["handle"], "ursula");
    assert_eq!(post["body"], "First **post**");
    assert!(
        post["html"]
            .as_str()
            .unwrap()
            .contains("<strong>post</strong>")
    );
    assert_eq!(post["revision"], 1);
    assert_eq!(post["edited_at"], Value::Null);
    assert_eq!(post["reply_to"], Value::Null);
    assert_eq!(post["deleted"], Value::Null);
    assert_eq!(post["like_count"], 0);

    let after = app.get_ok("/api/v1/categories/general", None).await;
    assert_eq!(after["topic_count"], 1);
    assert!(after["last_activity_at"].is_string(), "{after}");
    let id = id_of(topic);
    let seen = app.topic(&id, Some(&ursula.access_token)).await;
    assert_eq!(
        seen["watch_level"], "watching",
        "authors watch what they open"
    );
    let page = app.get_ok("/api/v1/topics", None).await;
    assert_eq!(strings(&items(&[page]), "id"), [id]);
}

#[tokio::test]
async fn topics_with_a_bad_title_or_body_are_refused_and_nothing_is_made() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let long_title = "я".repeat(201);
    let long_body = "x".repeat(20_001);
    for (title, body, bad) in [
        ("ab", "Fine", &["title"][..]),
        ("   ab   ", "Fine", &["title"][..]),
        (long_title.as_str(), "Fine", &["title"][..]),
        ("Fine title", "   \n ", &["body"][..]),
        ("Fine title", long_body.as_str(), &["body"][..]),
        ("", "", &["title", "body"][..]),
    ] {
        let response = app
            .post_as(
                "/api/v1/categories/general/topics",
                &ursula.access_token,
                &json!({"title": title, "body": body}),
            )
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        for field in bad {
            assert!(problem["errors"][field].is_array(), "{field}: {problem}");
        }
    }
    assert_problem(
        app.post_as(
            "/api/v1/categories/nowhere/topics",
            &ursula.access_token,
            &json!({"title": "Fine title", "body": "Fine"}),
        )
        .await,
        404,
        "category_not_found",
    )
    .await;
    assert_problem(
        app.post(
            "/api/v1/categories/general/topics",
            &json!({"title": "Fine title", "body": "Fine"}),
        )
        .await,
        401,
        "authentication_required",
    )
    .await;

    assert_eq!(app.topic_count("general").await, 0);
    let page = app.get_ok("/api/v1/topics", None).await;
    assert_eq!(page["items"], json!([]), "nothing half-made");
}

#[tokio::test]
async fn titles_of_three_to_two_hundred_characters_in_any_script_are_taken() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let short = app
        .create_topic(&ursula.access_token, "general", "Да!", "Коротко")
        .await;
    assert_eq!(short["topic"]["title"], "Да!");
    let long_title = "я".repeat(200);
    let long_body = "ж".repeat(20_000);
    let long = app
        .create_topic(&ursula.access_token, "general", &long_title, &long_body)
        .await;
    assert_eq!(long["topic"]["title"], long_title.as_str());
    assert_eq!(long["post"]["body"], long_body.as_str());
    assert_eq!(app.topic_count("general").await, 2);
}

#[tokio::test]
async fn opening_a_topic_while_another_writer_has_written_its_new_words_does_not_wait() {
    let Forum { app, ursula, .. } = Forum::start().await;
    // Another topic half written: a title no one has used before, its
    // first post still to come. Had its words gone into the search
    // vocabulary as they were written, ursula's topic, whose post repeats
    // one, would wait here for it to end, and it for hers once its post
    // repeated hers: a deadlock, a 503.
    let mut writer = app.db.connect();
    diesel::sql_query("BEGIN").execute(&mut writer).unwrap();
    diesel::sql_query(
        "INSERT INTO topics (id, category_id, author_id, title, created_at, last_activity_at) \
         SELECT gen_random_uuid(), c.id, u.id, 'Zanzibar', now(), now() \
         FROM categories c, users u WHERE c.slug = 'general' AND u.handle = 'victor'",
    )
    .execute(&mut writer)
    .unwrap();

    let created = tokio::time::timeout(
        Duration::from_secs(10),
        app.post_as(
            "/api/v1/categories/general/topics",
            &ursula.access_token,
            &json!({"title": "Квадрокоптеры", "body": "Zanzibar"}),
        ),
    )
    .await
    .expect("the topic does not wait for the other writer to end");
    assert_eq!(created.status(), 201);
    diesel::sql_query("ROLLBACK").execute(&mut writer).unwrap();

    // Her words were learnt for typo corrections as her topic committed,
    // whatever became of the other writer's.
    for typo in ["zanzbar", "квадракоптеры"] {
        let found = titles(&app.search(None, &[("q", typo)]).await);
        assert!(
            found.iter().any(|t| t == "Квадрокоптеры"),
            "{typo}: {found:?}"
        );
    }
}

#[tokio::test]
async fn anyone_reads_topics_without_an_account_but_sees_no_reading_or_watching() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Open to all", "Read me")
        .await;
    let id = id_of(&created["topic"]);

    let topic = app.topic(&id, None).await;
    assert_eq!(topic["title"], "Open to all");
    assert_eq!(topic["reading"], Value::Null);
    assert_eq!(topic["watch_level"], Value::Null);
    for path in ["/api/v1/topics", "/api/v1/categories/general/topics"] {
        let page = app.get_ok(path, None).await;
        assert_eq!(page["items"][0]["id"], id.as_str(), "{path}");
        assert_eq!(page["items"][0]["reading"], Value::Null, "{path}");
    }
    let posts = app
        .get_ok(&format!("/api/v1/topics/{id}/posts"), None)
        .await;
    assert_eq!(posts["items"][0]["body"], "Read me");
    assert_eq!(posts["items"][0]["liked"], Value::Null);
    let post = app.forum_post(&id_of(&created["post"]), None).await;
    assert_eq!(post["liked"], Value::Null);

    let signed_in = app.topic(&id, Some(&victor.access_token)).await;
    assert!(signed_in["reading"].is_object(), "{signed_in}");
    assert_eq!(signed_in["watch_level"], "normal");
    let listed = app
        .get_ok("/api/v1/topics", Some(&victor.access_token))
        .await;
    assert!(listed["items"][0]["reading"].is_object(), "{listed}");

    let nowhere = unknown_id();
    assert_problem(
        app.get(&format!("/api/v1/topics/{nowhere}"), None).await,
        404,
        "topic_not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/topics/{nowhere}/posts"), None)
            .await,
        404,
        "topic_not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/posts/{nowhere}"), None).await,
        404,
        "post_not_found",
    )
    .await;
}

#[tokio::test]
async fn topics_list_pinned_first_then_by_latest_activity_and_a_reply_bumps_a_topic_up() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let mut ids = Vec::new();
    for title in ["Alpha", "Bravo", "Charlie"] {
        let created = app
            .create_topic(&ursula.access_token, "general", title, "Body")
            .await;
        ids.push(id_of(&created["topic"]));
    }
    let titles = |page: Value| strings(&items(&[page]), "title");
    for path in ["/api/v1/topics", "/api/v1/categories/general/topics"] {
        let page = app.get_ok(path, None).await;
        assert_eq!(titles(page), ["Charlie", "Bravo", "Alpha"], "{path}");
    }

    let before = app.topic(&ids[0], None).await;
    app.reply(&victor.access_token, &ids[0], "Bump").await;
    let after = app.topic(&ids[0], None).await;
    assert_ne!(after["last_activity_at"], before["last_activity_at"]);
    let page = app.get_ok("/api/v1/topics", None).await;
    assert_eq!(titles(page), ["Alpha", "Charlie", "Bravo"]);

    let pinned = app
        .put_as(
            &format!("/api/v1/topics/{}/pin", ids[1]),
            &mona.access_token,
        )
        .await;
    assert_eq!(json_of(pinned, 200).await["pinned"], true);
    for path in ["/api/v1/topics", "/api/v1/categories/general/topics"] {
        let page = app.get_ok(path, None).await;
        assert_eq!(titles(page), ["Bravo", "Alpha", "Charlie"], "{path}");
    }
}

#[tokio::test]
async fn topic_lists_page_with_a_cursor_without_gaps_or_repeats() {
    let Forum {
        app, mona, ursula, ..
    } = Forum::start().await;
    let mut ids = Vec::new();
    for n in 1..=5 {
        let created = app
            .create_topic(
                &ursula.access_token,
                "general",
                &format!("Topic {n}"),
                "Body",
            )
            .await;
        ids.push(id_of(&created["topic"]));
    }
    let pinned = app
        .put_as(
            &format!("/api/v1/topics/{}/pin", ids[1]),
            &mona.access_token,
        )
        .await;
    assert_eq!(pinned.status(), 200);
    let expected = ["Topic 2", "Topic 5", "Topic 4", "Topic 3", "Topic 1"];

    for path in [
        "/api/v1/topics?limit=2",
        "/api/v1/categories/general/topics?limit=2",
    ] {
        let pages = app.pages(path, Some(&ursula.access_token)).await;
        let sizes: Vec<usize> = pages
            .iter()
            .map(|page| page["items"].as_array().unwrap().len())
            .collect();
        assert_eq!(sizes, [2, 2, 1], "{path}");
        assert_eq!(strings(&items(&pages), "title"), expected, "{path}");
    }
    let all = app.get_ok("/api/v1/topics", None).await;
    assert_eq!(
        all["next_cursor"],
        Value::Null,
        "one page of the default 20"
    );
    assert_eq!(strings(&items(&[all]), "title"), expected);
}

#[tokio::test]
async fn a_category_lists_only_its_own_topics_and_an_unknown_one_is_404() {
    let Forum {
        app,
        boss,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let help = app
        .post_as(
            "/api/v1/categories",
            &boss.access_token,
            &json!({"slug": "help", "name": "Help"}),
        )
        .await;
    assert_eq!(help.status(), 201);
    app.create_topic(&ursula.access_token, "general", "Chatting", "Body")
        .await;
    let asked = app
        .create_topic(&victor.access_token, "help", "A question", "Body")
        .await;
    assert_eq!(asked["topic"]["category"]["slug"], "help");

    let titles = |page: Value| strings(&items(&[page]), "title");
    let help = app.get_ok("/api/v1/categories/help/topics", None).await;
    assert_eq!(titles(help), ["A question"]);
    let general = app.get_ok("/api/v1/categories/general/topics", None).await;
    assert_eq!(titles(general), ["Chatting"]);
    let all = app.get_ok("/api/v1/topics", None).await;
    assert_eq!(titles(all), ["A question", "Chatting"]);
    assert_eq!(
        (
            app.topic_count("general").await,
            app.topic_count("help").await
        ),
        (1, 1)
    );
    assert_problem(
        app.get("/api/v1/categories/nowhere/topics", None).await,
        404,
        "category_not_found",
    )
    .await;
}

#[tokio::test]
async fn each_view_of_a_topic_counts_and_listing_it_does_not() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Look at me", "Body")
        .await;
    let id = id_of(&created["topic"]);
    assert_eq!(created["topic"]["view_count"], 0);
    let views = |topic: &Value| topic["view_count"].as_i64().unwrap();

    let first = views(&app.topic(&id, None).await);
    let second = views(&app.topic(&id, Some(&victor.access_token)).await);
    let third = views(&app.topic(&id, Some(&ursula.access_token)).await);
    assert_eq!((second, third), (first + 1, first + 2));

    let listed = listed_views(&app).await;
    assert_eq!(listed_views(&app).await, listed, "lists do not count");
    app.topic(&id, None).await;
    assert_eq!(listed_views(&app).await, listed + 1);
}

/// The view count of the first topic listed.
async fn listed_views(app: &TestApp) -> i64 {
    app.get_ok("/api/v1/topics", None).await["items"][0]["view_count"]
        .as_i64()
        .unwrap()
}
