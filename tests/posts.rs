//! Posts in topics: numbered without gaps, read page by page from any
//! number, and answering only posts of their own topic.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, json_of, numbers, unknown_id};

#[tokio::test]
async fn replies_are_numbered_one_after_another_and_counted_on_the_topic() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Counting", "One")
        .await;
    let id = id_of(&created["topic"]);
    for (number, token, body) in [
        (2, &victor.access_token, "Two"),
        (3, &mona.access_token, "Three"),
        (4, &ursula.access_token, "Four"),
    ] {
        let post = app.reply(token, &id, body).await;
        assert_eq!(post["number"], number);
        assert_eq!(post["topic_id"], id.as_str());
        assert_eq!(post["body"], body);
        assert_eq!(post["revision"], 1);
    }

    let topic = app.topic(&id, Some(&victor.access_token)).await;
    assert_eq!(topic["reply_count"], 3);
    assert_eq!(topic["last_post_number"], 4);
    assert_eq!(topic["watch_level"], "watching", "repliers watch the topic");
    let page = app
        .get_ok(&format!("/api/v1/topics/{id}/posts"), None)
        .await;
    assert_eq!(numbers(&page), [1, 2, 3, 4]);
    let authors: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|post| post["author"]["handle"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["ursula", "victor", "mona", "ursula"]);
}

#[tokio::test]
async fn replies_sent_at_once_take_every_number_exactly_once() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Rush hour", "Go!")
        .await;
    let id = id_of(&created["topic"]);
    let tokens = [
        &boss.access_token,
        &mona.access_token,
        &ursula.access_token,
        &victor.access_token,
    ];
    let mut requests = tokio::task::JoinSet::new();
    for n in 0..10 {
        let request = app
            .request(Method::POST, &format!("/api/v1/topics/{id}/posts"))
            .bearer_auth(tokens[n % tokens.len()])
            .json(&json!({"body": format!("Reply {n}")}));
        requests.spawn(async move {
            let post = json_of(request.send().await.unwrap(), 201).await;
            post["number"].as_i64().unwrap()
        });
    }
    let mut taken = requests.join_all().await;
    taken.sort_unstable();
    assert_eq!(taken, (2..=11).collect::<Vec<i64>>());

    let topic = app.topic(&id, None).await;
    assert_eq!(topic["last_post_number"], 11);
    assert_eq!(topic["reply_count"], 10);
    let page = app
        .get_ok(&format!("/api/v1/topics/{id}/posts?limit=50"), None)
        .await;
    assert_eq!(numbers(&page), (1..=11).collect::<Vec<i64>>());
}

#[tokio::test]
async fn posts_page_forwards_and_backwards_from_any_number() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "A long one", "Post 1")
        .await;
    let id = id_of(&created["topic"]);
    for n in 2..=12 {
        app.reply(&ursula.access_token, &id, &format!("Post {n}"))
            .await;
    }
    let posts = format!("/api/v1/topics/{id}/posts");
    let page = |query: &str| {
        let app = &app;
        let path = format!("{posts}?{query}");
        async move { app.get_ok(&path, None).await }
    };
    let cursor = |of: &Value| of["next_cursor"].as_str().expect("more").to_owned();

    let all = page("").await;
    assert_eq!(numbers(&all), (1..=12).collect::<Vec<i64>>());
    assert_eq!(all["next_cursor"], Value::Null);

    let first = page("limit=5").await;
    assert_eq!(numbers(&first), [1, 2, 3, 4, 5]);
    let second = page(&format!("limit=5&cursor={}", cursor(&first))).await;
    assert_eq!(numbers(&second), [6, 7, 8, 9, 10]);
    let last = page(&format!("limit=5&cursor={}", cursor(&second))).await;
    assert_eq!(numbers(&last), [11, 12]);
    assert_eq!(last["next_cursor"], Value::Null);

    let from_eight = page("from=8&direction=after&limit=5").await;
    assert_eq!(numbers(&from_eight), [8, 9, 10, 11, 12]);
    assert_eq!(from_eight["next_cursor"], Value::Null, "nothing after 12");
    let from_four = page("from=4&limit=3").await;
    assert_eq!(numbers(&from_four), [4, 5, 6]);
    let on = page(&format!(
        "direction=after&limit=3&cursor={}",
        cursor(&from_four)
    ))
    .await;
    assert_eq!(numbers(&on), [7, 8, 9]);

    let before = page("from=12&direction=before&limit=5").await;
    assert_eq!(numbers(&before), [7, 8, 9, 10, 11]);
    let earlier = page(&format!(
        "direction=before&limit=5&cursor={}",
        cursor(&before)
    ))
    .await;
    assert_eq!(numbers(&earlier), [2, 3, 4, 5, 6]);
    let earliest = page(&format!(
        "direction=before&limit=5&cursor={}",
        cursor(&earlier)
    ))
    .await;
    assert_eq!(numbers(&earliest), [1]);
    assert_eq!(earliest["next_cursor"], Value::Null);

    for query in ["direction=sideways", "from=0", "from=0&direction=before"] {
        let response = app.get(&format!("{posts}?{query}"), None).await;
        assert_eq!(response.status(), 400, "{query}");
    }
}

#[tokio::test]
async fn a_reply_points_only_at_a_post_of_its_own_topic() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let busy = id_of(
        &app.create_topic(&ursula.access_token, "general", "Busy", "1")
            .await["topic"],
    );
    app.reply(&victor.access_token, &busy, "2").await;
    app.reply(&victor.access_token, &busy, "3").await;
    let quiet = id_of(
        &app.create_topic(&ursula.access_token, "general", "Quiet", "1")
            .await["topic"],
    );

    let answer = app
        .post_as(
            &format!("/api/v1/topics/{busy}/posts"),
            &ursula.access_token,
            &json!({"body": "To you", "reply_to": 2}),
        )
        .await;
    let answer = json_of(answer, 201).await;
    assert_eq!(
        (&answer["number"], &answer["reply_to"]),
        (&json!(4), &json!(2))
    );

    let in_quiet = format!("/api/v1/topics/{quiet}/posts");
    for reply_to in [3, 99] {
        let body = json!({"body": "To whom?", "reply_to": reply_to});
        let refused = app.post_as(&in_quiet, &victor.access_token, &body).await;
        let problem = json_of(refused, 422).await;
        assert!(
            problem["errors"]["reply_to"].is_array(),
            "{reply_to}: {problem}"
        );
    }
    let problem = assert_problem(
        app.post_as(&in_quiet, &victor.access_token, &json!({"body": " \n "}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(problem["errors"]["body"].is_array(), "{problem}");
    assert_problem(
        app.post(&in_quiet, &json!({"body": "Anonymous"})).await,
        401,
        "authentication_required",
    )
    .await;
    let quiet = app.topic(&quiet, None).await;
    assert_eq!(
        (&quiet["last_post_number"], &quiet["reply_count"]),
        (&json!(1), &json!(0))
    );
}

#[tokio::test]
async fn every_post_endpoint_answers_404_for_an_unknown_post() {
    let Forum { app, mona, .. } = Forum::start().await;
    let post = format!("/api/v1/posts/{}", unknown_id());
    let cases = [
        (Method::GET, post.clone(), None),
        (Method::PATCH, post.clone(), Some(json!({"body": "New"}))),
        (Method::DELETE, post.clone(), None),
        (Method::GET, format!("{post}/revisions"), None),
        (Method::POST, format!("{post}/restore"), None),
        (Method::PUT, format!("{post}/like"), None),
        (Method::DELETE, format!("{post}/like"), None),
        (Method::GET, format!("{post}/likes"), None),
    ];
    for (method, path, body) in cases {
        let what = format!("{method} {path}");
        let response = app
            .call(method, &path, Some(&mona.access_token), body.as_ref())
            .await;
        assert_eq!(response.status(), 404, "{what}");
        assert_problem(response, 404, "post_not_found").await;
    }
}
