//! What the web app's forum screens read: topic lists narrowed to what is
//! unread, to mine or to one author's; a person's posts for their profile;
//! a post previewed before it is sent; and new replies told live to those
//! reading the topic.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, items, json_of, unknown_id};

fn titles(pages: &[Value]) -> Vec<String> {
    items(pages)
        .iter()
        .map(|topic| topic["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn topic_lists_narrow_to_what_i_have_unread_to_mine_and_to_one_author() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let (u, v) = (&ursula.access_token, &victor.access_token);
    let ursulas = id_of(&app.create_topic(u, "general", "Ursula asks", "Hello").await["topic"]);
    let victors = id_of(&app.create_topic(v, "general", "Victor asks", "Hi").await["topic"]);
    app.create_topic(v, "general", "Victor again", "Hey").await;
    app.reply(u, &victors, "Ursula answers Victor").await;

    // Ursula read Victor's topic to its end and then he replied in it; she
    // read her own, where nothing came since.
    app.put_json_as(
        &format!("/api/v1/topics/{victors}/read"),
        u,
        &json!({"last_read_number": 2}),
    )
    .await;
    app.put_json_as(
        &format!("/api/v1/topics/{ursulas}/read"),
        u,
        &json!({"last_read_number": 1}),
    )
    .await;
    app.reply(v, &victors, "Victor again").await;

    let unread = app
        .pages("/api/v1/topics?filter=unread&limit=1", Some(u))
        .await;
    assert_eq!(titles(&unread), ["Victor asks"]);
    let mine = app
        .pages("/api/v1/topics?filter=mine&limit=1", Some(u))
        .await;
    assert_eq!(
        titles(&mine),
        ["Victor asks", "Ursula asks"],
        "started, or posted in"
    );
    let in_category = app
        .pages(
            "/api/v1/categories/general/topics?filter=mine&limit=1",
            Some(u),
        )
        .await;
    assert_eq!(titles(&in_category), ["Victor asks", "Ursula asks"]);
    let by_victor = app
        .pages("/api/v1/topics?author=VICTOR&limit=1", None)
        .await;
    // Ursula's reply made Victor's first topic the latest.
    assert_eq!(titles(&by_victor), ["Victor asks", "Victor again"]);
    let latest = app.pages("/api/v1/topics?filter=latest", None).await;
    assert_eq!(titles(&latest).len(), 3);

    // A cursor belongs to its list: the unread list's does not page the latest.
    let first = app
        .get_ok("/api/v1/topics?filter=mine&limit=1", Some(u))
        .await;
    let cursor = first["next_cursor"].as_str().unwrap();
    assert_problem(
        app.get(&format!("/api/v1/topics?cursor={cursor}"), Some(u))
            .await,
        400,
        "invalid_cursor",
    )
    .await;

    assert_problem(
        app.get("/api/v1/topics?filter=unread", None).await,
        401,
        "authentication_required",
    )
    .await;
    assert_problem(
        app.get("/api/v1/topics?filter=mine", None).await,
        401,
        "authentication_required",
    )
    .await;
    assert_problem(
        app.get("/api/v1/topics?filter=hot", Some(u)).await,
        400,
        "invalid_query",
    )
    .await;
    assert_problem(
        app.get("/api/v1/topics?author=nobody", None).await,
        404,
        "user_not_found",
    )
    .await;
}

#[tokio::test]
async fn a_persons_posts_show_newest_first_with_their_topics_without_the_deleted_ones() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let (u, v) = (&ursula.access_token, &victor.access_token);
    let created = app
        .create_topic(u, "general", "Gardens", "Roses **bloom**")
        .await;
    let topic = id_of(&created["topic"]);
    app.reply(v, &topic, "Victor's word").await;
    let second = app.reply(u, &topic, "Tulips too").await;
    let gone = app.reply(u, &topic, "Never mind").await;
    let deleted = app
        .call(
            Method::DELETE,
            &format!("/api/v1/posts/{}", id_of(&gone)),
            Some(u),
            None,
        )
        .await;
    assert_eq!(deleted.status(), 204);

    let pages = app.pages("/api/v1/users/ursula/posts?limit=1", None).await;
    let posts = items(&pages);
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert_eq!(posts[0]["id"], second["id"]);
    assert_eq!(posts[0]["number"], 3);
    assert_eq!(posts[0]["topic"], json!({"id": topic, "title": "Gardens"}));
    assert_eq!(posts[1]["number"], 1);
    assert!(
        posts[1]["html"]
            .as_str()
            .unwrap()
            .contains("<strong>bloom</strong>")
    );
    assert_eq!(posts[1]["like_count"], 0);

    assert_problem(
        app.get("/api/v1/users/nobody/posts", None).await,
        404,
        "user_not_found",
    )
    .await;
}

#[tokio::test]
async fn a_preview_renders_as_the_post_would_without_saving_it() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let (u, v) = (&ursula.access_token, &victor.access_token);
    let topic = id_of(
        &app.create_topic(v, "general", "Quotes", "Words of Victor")
            .await["topic"],
    );
    let body = "[quote=\"someone, post:1\"]\nWords of Victor\n[/quote]\n\nThanks @victor, *really*";
    let preview = json_of(
        app.post_as(
            "/api/v1/posts/preview",
            u,
            &json!({"body": body, "topic_id": topic}),
        )
        .await,
        200,
    )
    .await;
    let html = preview["html"].as_str().unwrap();
    assert!(html.contains("<em>really</em>"), "{html}");
    assert!(
        html.contains("href=\"/users/victor\""),
        "the mention links: {html}"
    );
    assert!(
        html.contains("victor"),
        "the quote names its real author: {html}"
    );
    assert!(
        !html.contains("someone"),
        "not the name the tag gives: {html}"
    );
    // Without a topic (an opening post) the rest renders all the same.
    let opening = json_of(
        app.post_as("/api/v1/posts/preview", u, &json!({"body": "# Title"}))
            .await,
        200,
    )
    .await;
    assert!(opening["html"].as_str().unwrap().contains("<h1>Title</h1>"));
    assert_eq!(
        app.topic(&topic, None).await["last_post_number"],
        1,
        "nothing saved"
    );

    let empty = app
        .post_as("/api/v1/posts/preview", u, &json!({"body": "  "}))
        .await;
    assert_problem(empty, 422, "validation_failed").await;
    let anonymous = app
        .post("/api/v1/posts/preview", &json!({"body": "Hi"}))
        .await;
    assert_problem(anonymous, 401, "authentication_required").await;
}

#[tokio::test]
async fn readers_of_a_topic_are_told_of_each_new_post_live_and_only_of_that_topic() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let (u, v) = (&ursula.access_token, &victor.access_token);
    let topic = id_of(&app.create_topic(u, "general", "Live", "Start").await["topic"]);
    let other = id_of(&app.create_topic(u, "general", "Elsewhere", "Start").await["topic"]);
    let (mut reader, _) = app.live_socket(v).await;
    reader
        .send(json!({"type": "view_topic", "topic_id": topic}))
        .await;
    // Frames are handled in order: once the refusal of typing in no
    // conversation comes back, the view is in place.
    reader
        .send(json!({"type": "typing", "conversation_id": unknown_id()}))
        .await;
    assert_eq!(reader.frame().await["code"], "unknown_conversation");

    app.reply(u, &other, "Not for the reader").await;
    let reply = app.reply(u, &topic, "For the reader").await;
    assert_eq!(
        reader.frame().await,
        json!({"type": "topic_post_added", "topic_id": topic, "number": reply["number"], "author_id": reply["author"]["id"]}),
        "only the topic viewed, not the other"
    );

    // Looking elsewhere: the first topic's posts are no longer told.
    reader
        .send(json!({"type": "view_topic", "topic_id": other}))
        .await;
    reader
        .send(json!({"type": "typing", "conversation_id": unknown_id()}))
        .await;
    assert_eq!(reader.frame().await["code"], "unknown_conversation");
    app.reply(u, &topic, "Unseen").await;
    let seen = app.reply(u, &other, "Seen").await;
    let frame = reader.frame().await;
    assert_eq!(
        (&frame["topic_id"], &frame["number"]),
        (&json!(other), &seen["number"])
    );

    reader
        .send(json!({"type": "view_topic", "topic_id": "nonsense"}))
        .await;
    assert_eq!(reader.frame().await["code"], "invalid_frame");
}

#[tokio::test]
async fn readers_of_a_topic_are_told_when_it_is_locked_moved_or_deleted() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let topic = id_of(
        &app.create_topic(&ursula.access_token, "general", "Heated", "Start")
            .await["topic"],
    );
    let (mut reader, _) = app.live_socket(&victor.access_token).await;
    reader
        .send(json!({"type": "view_topic", "topic_id": topic}))
        .await;
    reader
        .send(json!({"type": "typing", "conversation_id": unknown_id()}))
        .await;
    assert_eq!(reader.frame().await["code"], "unknown_conversation");

    let locked = app
        .put_json_as(
            &format!("/api/v1/topics/{topic}/lock"),
            &mona.access_token,
            &json!({}),
        )
        .await;
    assert_eq!(locked.status(), 200);
    assert_eq!(
        reader.frame().await,
        json!({"type": "topic_changed", "topic_id": topic})
    );
    let deleted = app
        .call(
            Method::DELETE,
            &format!("/api/v1/topics/{topic}"),
            Some(&mona.access_token),
            None,
        )
        .await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        reader.frame().await,
        json!({"type": "topic_changed", "topic_id": topic})
    );
}

#[tokio::test]
async fn authors_show_their_role_so_that_moderators_and_admins_wear_a_badge() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Roles", "Hello")
        .await;
    let topic = id_of(&created["topic"]);
    assert_eq!(created["topic"]["author"]["role"], "user");
    app.reply(&mona.access_token, &topic, "Moderating").await;
    app.reply(&boss.access_token, &topic, "Administrating")
        .await;
    let page = app
        .get_ok(&format!("/api/v1/topics/{topic}/posts"), None)
        .await;
    let roles: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|post| post["author"]["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "moderator", "admin"]);
}
