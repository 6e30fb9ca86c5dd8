//! Likes on posts, the counts on people's profiles, where each reader is in
//! a topic, and how closely they watch it.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, items, json_of, strings};

/// `topics`, `posts` and `likes_received` of a public profile.
async fn counts(app: &TestApp, handle: &str) -> (i64, i64, i64) {
    let stats = app.stats(handle).await;
    let count = |name: &str| stats[name].as_i64().expect(name);
    (count("topics"), count("posts"), count("likes_received"))
}

/// The reader's `reading` of the first topic listed.
async fn listed_reading(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    app.get_ok(path, token).await["items"][0]["reading"].clone()
}

fn reading(status: &str, unread_count: i64, continue_at: i64) -> Value {
    json!({"status": status, "unread_count": unread_count, "continue_at": continue_at})
}

#[tokio::test]
async fn liking_a_post_is_idempotent_and_counted() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Likeable", "Body")
        .await;
    let post = id_of(&created["post"]);
    let like = format!("/api/v1/posts/{post}/like");
    let answer = |count: i64, liked: bool| (json!(count), json!(liked));
    let fields = |body: Value| (body["like_count"].clone(), body["liked"].clone());

    for _ in 0..2 {
        let liked = json_of(app.put_as(&like, &victor.access_token).await, 200).await;
        assert_eq!(fields(liked), answer(1, true));
    }
    let liked = json_of(app.put_as(&like, &mona.access_token).await, 200).await;
    assert_eq!(fields(liked), answer(2, true));
    let seen = |token: Option<&str>| {
        let (app, post) = (&app, &post);
        let token = token.map(str::to_owned);
        async move { fields(app.forum_post(post, token.as_deref()).await) }
    };
    assert_eq!(seen(Some(&victor.access_token)).await, answer(2, true));
    assert_eq!(seen(Some(&ursula.access_token)).await, answer(2, false));
    assert_eq!(seen(None).await, (json!(2), Value::Null));
    let listed = app
        .get_ok(
            &format!("/api/v1/topics/{}/posts", id_of(&created["topic"])),
            Some(&victor.access_token),
        )
        .await;
    assert_eq!(listed["items"][0]["liked"], true);

    for _ in 0..2 {
        let unliked = json_of(app.delete_as(&like, &victor.access_token).await, 200).await;
        assert_eq!(fields(unliked), answer(1, false));
    }
    assert_eq!(seen(Some(&victor.access_token)).await, answer(1, false));
    for method in [Method::PUT, Method::DELETE] {
        assert_problem(
            app.call(method, &like, None, None).await,
            401,
            "authentication_required",
        )
        .await;
    }
    assert_eq!(seen(None).await.0, 1);
}

#[tokio::test]
async fn nobody_likes_their_own_posts_or_deleted_ones() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Mine", "Body")
        .await;
    let own = format!("/api/v1/posts/{}/like", id_of(&created["post"]));
    assert_problem(
        app.put_as(&own, &ursula.access_token).await,
        403,
        "cannot_like_own_post",
    )
    .await;

    let reply = app
        .reply(&victor.access_token, &id_of(&created["topic"]), "Regret")
        .await;
    let path = format!("/api/v1/posts/{}", id_of(&reply));
    assert_eq!(
        app.delete_as(&path, &victor.access_token).await.status(),
        204
    );
    assert_problem(
        app.put_as(&format!("{path}/like"), &ursula.access_token)
            .await,
        409,
        "post_deleted",
    )
    .await;
    assert_eq!(
        app.forum_post(&id_of(&created["post"]), None).await["like_count"],
        0
    );
    assert_eq!(app.get_ok(&path, None).await["like_count"], 0);
}

#[tokio::test]
async fn people_blocked_by_the_author_cannot_like_their_posts() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "No fans", "Body")
        .await;
    let like = format!("/api/v1/posts/{}/like", id_of(&created["post"]));
    let block = "/api/v1/blocks/victor";
    assert_eq!(app.put_as(block, &ursula.access_token).await.status(), 204);

    assert_problem(
        app.put_as(&like, &victor.access_token).await,
        403,
        "blocked_by_user",
    )
    .await;
    let liked = json_of(app.put_as(&like, &mona.access_token).await, 200).await;
    assert_eq!(liked["like_count"], 1);

    assert_eq!(
        app.delete_as(block, &ursula.access_token).await.status(),
        204
    );
    let liked = json_of(app.put_as(&like, &victor.access_token).await, 200).await;
    assert_eq!(liked["like_count"], 2);
}

#[tokio::test]
async fn likers_are_listed_newest_first_page_by_page() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Popular", "Body")
        .await;
    let post = id_of(&created["post"]);
    for token in [&victor.access_token, &mona.access_token, &boss.access_token] {
        let liked = app
            .put_as(&format!("/api/v1/posts/{post}/like"), token)
            .await;
        assert_eq!(liked.status(), 200);
    }
    let likes = format!("/api/v1/posts/{post}/likes");

    let all = app.get_ok(&likes, None).await;
    assert_eq!(all["next_cursor"], Value::Null);
    assert_eq!(all["items"][0]["display_name"], "boss Tester");
    let pages = app.pages(&format!("{likes}?limit=2"), None).await;
    assert_eq!(pages.len(), 2);
    assert_eq!(
        strings(&items(&pages), "handle"),
        ["boss", "mona", "victor"]
    );

    let unliked = app
        .delete_as(&format!("/api/v1/posts/{post}/like"), &mona.access_token)
        .await;
    assert_eq!(unliked.status(), 200);
    let all = app.get_ok(&likes, Some(&ursula.access_token)).await;
    assert_eq!(strings(&items(&[all]), "handle"), ["boss", "victor"]);
}

#[tokio::test]
async fn profile_stats_follow_topics_posts_and_likes() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    assert_eq!(counts(&app, "ursula").await, (0, 0, 0));
    let first = app
        .create_topic(&ursula.access_token, "general", "First", "Body")
        .await;
    let second = app
        .create_topic(&ursula.access_token, "general", "Second", "Body")
        .await;
    let topic = id_of(&first["topic"]);
    let own_reply = app.reply(&ursula.access_token, &topic, "Me again").await;
    app.reply(&victor.access_token, &topic, "Hello").await;
    assert_eq!(counts(&app, "ursula").await, (2, 3, 0));
    assert_eq!(counts(&app, "victor").await, (0, 1, 0));

    let like = format!("/api/v1/posts/{}/like", id_of(&first["post"]));
    for token in [&victor.access_token, &mona.access_token] {
        assert_eq!(app.put_as(&like, token).await.status(), 200);
    }
    assert_eq!(counts(&app, "ursula").await, (2, 3, 2));
    assert_eq!(
        app.delete_as(&like, &victor.access_token).await.status(),
        200
    );
    assert_eq!(counts(&app, "ursula").await, (2, 3, 1));

    let reply_path = format!("/api/v1/posts/{}", id_of(&own_reply));
    assert_eq!(
        app.delete_as(&reply_path, &ursula.access_token)
            .await
            .status(),
        204
    );
    assert_eq!(counts(&app, "ursula").await, (2, 2, 1));
    let second = format!("/api/v1/topics/{}", id_of(&second["topic"]));
    assert_eq!(
        app.delete_as(&second, &ursula.access_token).await.status(),
        204
    );
    assert_eq!(counts(&app, "ursula").await, (1, 1, 1));
    let restored = app
        .call(
            Method::POST,
            &format!("{reply_path}/restore"),
            Some(&mona.access_token),
            None,
        )
        .await;
    assert_eq!(restored.status(), 200);
    assert_eq!(counts(&app, "ursula").await, (1, 2, 1));
    assert_eq!(counts(&app, "victor").await, (0, 1, 0));
}

#[tokio::test]
async fn reading_goes_from_new_to_unread_to_read_and_never_back() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Chapter one", "1")
        .await;
    let id = id_of(&created["topic"]);
    let read = format!("/api/v1/topics/{id}/read");
    let mark = |number: i64| {
        let (app, read, token) = (&app, &read, &victor.access_token);
        async move {
            let response = app
                .put_json_as(read, token, &json!({"last_read_number": number}))
                .await;
            json_of(response, 200).await
        }
    };
    let victor_sees = || listed_reading(&app, "/api/v1/topics", Some(&victor.access_token));

    assert_eq!(victor_sees().await, reading("new", 1, 1));
    assert_eq!(mark(1).await, reading("read", 0, 1));
    assert_eq!(victor_sees().await, reading("read", 0, 1));

    app.reply(&ursula.access_token, &id, "2").await;
    app.reply(&ursula.access_token, &id, "3").await;
    assert_eq!(victor_sees().await, reading("unread", 2, 2));
    assert_eq!(mark(0).await, reading("unread", 2, 2), "never back");
    assert_eq!(mark(2).await, reading("unread", 1, 3));
    assert_eq!(victor_sees().await, reading("unread", 1, 3));
    assert_eq!(mark(99).await, reading("read", 0, 3), "clamped");
    let in_category = listed_reading(
        &app,
        "/api/v1/categories/general/topics",
        Some(&victor.access_token),
    )
    .await;
    assert_eq!(in_category, reading("read", 0, 3));
    assert_eq!(
        app.topic(&id, Some(&victor.access_token)).await["reading"],
        reading("read", 0, 3)
    );

    let others = listed_reading(&app, "/api/v1/topics", Some(&mona.access_token)).await;
    assert_eq!(others, reading("new", 3, 1), "each reader has their own");
    assert_eq!(
        listed_reading(&app, "/api/v1/topics", None).await,
        Value::Null
    );
    let negative = app
        .put_json_as(
            &read,
            &victor.access_token,
            &json!({"last_read_number": -1}),
        )
        .await;
    assert_eq!(negative.status(), 422);
    assert_problem(
        app.call(
            Method::PUT,
            &read,
            None,
            Some(&json!({"last_read_number": 1})),
        )
        .await,
        401,
        "authentication_required",
    )
    .await;
}

#[tokio::test]
async fn watch_levels_are_set_by_each_reader_and_shown_on_the_topic() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Keep an eye", "Body")
        .await;
    let id = id_of(&created["topic"]);
    let watch = format!("/api/v1/topics/{id}/watch");
    let level_of = |token: Option<&str>| {
        let (app, id) = (&app, &id);
        let token = token.map(str::to_owned);
        async move { app.topic(id, token.as_deref()).await["watch_level"].clone() }
    };
    assert_eq!(level_of(Some(&ursula.access_token)).await, "watching");
    assert_eq!(level_of(Some(&victor.access_token)).await, "normal");
    assert_eq!(level_of(None).await, Value::Null);

    for level in ["watching", "muted"] {
        let set = app
            .put_json_as(&watch, &victor.access_token, &json!({"level": level}))
            .await;
        assert_eq!(json_of(set, 200).await, json!({"level": level}));
        assert_eq!(level_of(Some(&victor.access_token)).await, level);
    }
    app.reply(&victor.access_token, &id, "Quietly").await;
    assert_eq!(
        level_of(Some(&victor.access_token)).await,
        "muted",
        "stays muted"
    );
    app.reply(&mona.access_token, &id, "Noted").await;
    assert_eq!(level_of(Some(&mona.access_token)).await, "watching");

    let set = app
        .put_json_as(&watch, &ursula.access_token, &json!({"level": "normal"}))
        .await;
    assert_eq!(json_of(set, 200).await, json!({"level": "normal"}));
    assert_eq!(level_of(Some(&ursula.access_token)).await, "normal");
    assert_eq!(
        level_of(Some(&victor.access_token)).await,
        "muted",
        "her own only"
    );

    let loud = app
        .put_json_as(&watch, &victor.access_token, &json!({"level": "loud"}))
        .await;
    assert_eq!(loud.status(), 422);
    assert_problem(
        app.call(Method::PUT, &watch, None, Some(&json!({"level": "muted"})))
            .await,
        401,
        "authentication_required",
    )
    .await;
}
