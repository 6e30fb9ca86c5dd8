//! What a review of the forum found: quotes that named whoever the tag
//! claimed, banned moderators still moderating, likes toggled into a flood
//! of notifications, long posts refused, counts left behind by departed
//! accounts, and notifications lost with a post deleted before delivery.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{PASSWORD, assert_problem};
use crate::support::forum::{Forum, id_of, json_of};

#[tokio::test]
async fn a_quote_names_the_quoted_posts_real_author_whatever_the_tag_claims() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Quotes", "I said this.")
        .await;
    let topic = id_of(&created["topic"]);
    let forged = app
        .reply(
            &victor.access_token,
            &topic,
            "[quote=\"boss, post:1\"]\nI never said this.\n[/quote]\nDid you?",
        )
        .await;
    let html = forged["html"].as_str().unwrap();
    assert!(html.contains("@ursula"), "{html}");
    assert!(!html.contains("boss"), "{html}");
    assert!(html.contains(&format!("/topics/{topic}/1")));
}

#[tokio::test]
async fn a_banned_moderator_moderates_nothing_but_takes_back_their_own() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        ..
    } = Forum::start().await;
    let theirs = app
        .create_topic(&ursula.access_token, "general", "Theirs", "Ursula's")
        .await;
    let mine = app
        .create_topic(&mona.access_token, "general", "Mine", "Mona's")
        .await;
    let banned = app
        .put_json_as(
            "/api/v1/bans/mona",
            &boss.access_token,
            &json!({"reason": "Overreach"}),
        )
        .await;
    assert_eq!(banned.status(), 200);
    let mona = app.login_user("mona").await;
    let token = &mona.access_token;
    let their_post = theirs["post"]["id"].as_str().unwrap();
    let their_topic = id_of(&theirs["topic"]);
    for (method, path) in [
        (Method::DELETE, format!("/api/v1/posts/{their_post}")),
        (Method::DELETE, format!("/api/v1/topics/{their_topic}")),
        (Method::PUT, format!("/api/v1/topics/{their_topic}/lock")),
    ] {
        let response = app
            .request(method, &path)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_problem(response, 403, "banned").await;
    }
    let my_post = mine["post"]["id"].as_str().unwrap();
    assert_eq!(
        app.delete_as(&format!("/api/v1/posts/{my_post}"), token)
            .await
            .status(),
        204,
        "her own words she may take back"
    );
    let restore = app
        .post_as(
            &format!("/api/v1/posts/{my_post}/restore"),
            token,
            &json!({}),
        )
        .await;
    assert_problem(restore, 403, "banned").await;
    let still = app.get(&format!("/api/v1/posts/{their_post}"), None).await;
    assert_eq!(json_of(still, 200).await["deleted"], Value::Null);
}

#[tokio::test]
async fn liking_again_after_taking_it_back_is_no_news() {
    let Forum {
        app,
        boss,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Likes", "Like me")
        .await;
    let post = created["post"]["id"].as_str().unwrap();
    let like = format!("/api/v1/posts/{post}/like");
    for _ in 0..3 {
        assert_eq!(app.put_as(&like, &victor.access_token).await.status(), 200);
        assert_eq!(
            app.delete_as(&like, &victor.access_token).await.status(),
            200
        );
    }
    assert_eq!(app.put_as(&like, &victor.access_token).await.status(), 200);
    assert_eq!(app.put_as(&like, &boss.access_token).await.status(), 200);
    let inbox = app.notifications(&ursula.access_token).await;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["count"], 2, "victor once, boss once");
    assert_eq!(inbox[0]["actor"]["handle"], "boss");
}

#[tokio::test]
async fn a_post_of_twenty_thousand_four_byte_characters_is_taken() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let body = "🦉".repeat(20_000);
    let created = app
        .create_topic(&ursula.access_token, "general", "Owls", &body)
        .await;
    assert_eq!(created["post"]["body"], body);
}

#[tokio::test]
async fn a_departed_account_takes_its_likes_and_its_pictures_with_it() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Liked", "Like me")
        .await;
    let post = created["post"]["id"].as_str().unwrap();
    app.put_as(&format!("/api/v1/posts/{post}/like"), &victor.access_token)
        .await;
    let left = app
        .request(Method::DELETE, "/api/v1/me")
        .bearer_auth(&victor.access_token)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 204);
    let now = json_of(app.get(&format!("/api/v1/posts/{post}"), None).await, 200).await;
    assert_eq!(now["like_count"], 0);
    let profile = json_of(app.get("/api/v1/users/ursula", None).await, 200).await;
    assert_eq!(profile["stats"]["likes_received"], 0);
}

#[tokio::test]
async fn notifications_of_a_post_deleted_before_delivery_are_dropped_and_hold_up_nobody() {
    let mut first = TestApp::spawn().await;
    let ursula = first.signed_up_user("ursula").await;
    let victor = first.signed_up_user("victor").await;
    // From here on no job runs until an instance with workers starts.
    first.stop_server();
    let app = first.spawn_beside(&[("NOXCHAT_JOB_WORKERS", "0")]).await;
    let gone = app
        .create_topic(&ursula.access_token, "general", "Gone", "Hi @victor")
        .await;
    let gone_topic = id_of(&gone["topic"]);
    assert_eq!(
        app.delete_as(
            &format!("/api/v1/topics/{gone_topic}"),
            &ursula.access_token
        )
        .await
        .status(),
        204
    );
    app.create_topic(&ursula.access_token, "general", "Stays", "Hello @victor")
        .await;
    let _workers = app.spawn_beside(&[]).await;
    let inbox = app.wait_for_notifications(&victor.access_token, 1).await;
    app.db.wait_for_idle_jobs().await;
    assert!(
        app.db.jobs().iter().all(|job| job.last_error.is_none()),
        "{:?}",
        app.db.jobs()
    );
    let inbox_now = app.notifications(&victor.access_token).await;
    assert_eq!(inbox_now.len(), 1, "{inbox_now:?}");
    assert_eq!(inbox[0]["topic"]["title"], "Stays");
}
