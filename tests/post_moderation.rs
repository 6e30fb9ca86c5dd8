//! Changing posts: authors edit theirs with every version kept, and delete
//! them to a tombstone; moderators and admins remove and restore anyone's.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, json_of, numbers};

#[tokio::test]
async fn authors_edit_their_posts_and_every_version_is_kept() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Drafty",
            "Original **text**",
        )
        .await;
    let path = format!("/api/v1/posts/{}", id_of(&created["post"]));
    let change = json!({"body": "Better *text*"});

    for token in [&victor.access_token, &mona.access_token, &boss.access_token] {
        assert_problem(
            app.patch_as(&path, token, &change).await,
            403,
            "not_allowed",
        )
        .await;
    }
    assert_problem(
        app.call(Method::PATCH, &path, None, Some(&change)).await,
        401,
        "authentication_required",
    )
    .await;
    let problem = assert_problem(
        app.patch_as(&path, &ursula.access_token, &json!({"body": "  "}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(problem["errors"]["body"].is_array(), "{problem}");
    assert_eq!(app.get_ok(&path, None).await["revision"], 1);

    let edited = json_of(
        app.patch_as(&path, &ursula.access_token, &change).await,
        200,
    )
    .await;
    assert_eq!(edited["revision"], 2);
    assert_eq!(edited["number"], 1);
    assert_eq!(edited["body"], "Better *text*");
    assert!(edited["html"].as_str().unwrap().contains("<em>text</em>"));
    assert!(edited["edited_at"].is_string(), "{edited}");
    let again = app.get_ok(&path, None).await;
    assert_eq!(
        (&again["revision"], &again["body"]),
        (&json!(2), &edited["body"])
    );

    let revisions = app.get_ok(&format!("{path}/revisions"), None).await;
    assert_eq!(revisions["next_cursor"], Value::Null);
    let list = revisions["items"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{revisions}");
    assert_eq!(
        (&list[0]["revision"], &list[0]["body"]),
        (&json!(1), &json!("Original **text**"))
    );
    assert_eq!(
        (&list[1]["revision"], &list[1]["body"]),
        (&json!(2), &json!("Better *text*"))
    );
    assert_eq!(list[1]["editor"]["handle"], "ursula");
}

#[tokio::test]
async fn deleting_your_own_post_leaves_a_tombstone_only_moderators_read() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Oops", "Body")
        .await;
    let id = id_of(&created["topic"]);
    let post = app.reply(&victor.access_token, &id, "Wrong thread").await;
    let path = format!("/api/v1/posts/{}", id_of(&post));
    assert_eq!(app.topic(&id, None).await["reply_count"], 1);

    assert_problem(
        app.call(Method::DELETE, &path, None, None).await,
        401,
        "authentication_required",
    )
    .await;
    assert_eq!(
        app.delete_as(&path, &victor.access_token).await.status(),
        204
    );
    for token in [
        None,
        Some(ursula.access_token.as_str()),
        Some(victor.access_token.as_str()),
    ] {
        let seen = app.forum_post(&id_of(&post), token).await;
        assert_eq!((&seen["body"], &seen["html"]), (&Value::Null, &Value::Null));
        assert_eq!(seen["number"], 2);
        assert_eq!(seen["deleted"]["by_moderator"], false);
        assert!(seen["deleted"]["at"].is_string(), "{seen}");
    }
    for token in [&mona.access_token, &boss.access_token] {
        let seen = app.forum_post(&id_of(&post), Some(token)).await;
        assert_eq!(seen["body"], "Wrong thread");
        assert!(seen["deleted"].is_object());
    }
    let topic = app.topic(&id, None).await;
    assert_eq!(
        (&topic["reply_count"], &topic["last_post_number"]),
        (&json!(0), &json!(2))
    );
    let page = app
        .get_ok(&format!("/api/v1/topics/{id}/posts"), None)
        .await;
    assert_eq!(numbers(&page), [1, 2], "the number stays");
    assert_eq!(page["items"][1]["body"], Value::Null);

    assert_problem(
        app.delete_as(&path, &victor.access_token).await,
        409,
        "post_deleted",
    )
    .await;
    let edit = json!({"body": "Right thread"});
    assert_problem(
        app.patch_as(&path, &victor.access_token, &edit).await,
        409,
        "post_deleted",
    )
    .await;
    assert_eq!(
        app.reply(&victor.access_token, &id, "Again").await["number"],
        3
    );
}

#[tokio::test]
async fn moderators_remove_and_restore_anyones_posts() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Heated", "Body")
        .await;
    let id = id_of(&created["topic"]);
    let post = id_of(&app.reply(&victor.access_token, &id, "Rude words").await);
    let path = format!("/api/v1/posts/{post}");
    let restore = format!("{path}/restore");

    assert_problem(
        app.delete_as(&path, &ursula.access_token).await,
        403,
        "not_allowed",
    )
    .await;
    assert_problem(
        app.call(Method::POST, &restore, Some(&mona.access_token), None)
            .await,
        409,
        "post_not_deleted",
    )
    .await;
    for (moderator, other) in [
        (&mona.access_token, &boss.access_token),
        (&boss.access_token, &mona.access_token),
    ] {
        assert_eq!(app.delete_as(&path, moderator).await.status(), 204);
        let removed = app.forum_post(&post, Some(&ursula.access_token)).await;
        assert_eq!(removed["deleted"]["by_moderator"], true);
        assert_eq!(removed["body"], Value::Null);
        assert_eq!(app.topic(&id, None).await["reply_count"], 0);

        for token in [&victor.access_token, &ursula.access_token] {
            let refused = app.call(Method::POST, &restore, Some(token), None).await;
            assert_problem(refused, 403, "not_allowed").await;
        }
        assert_problem(
            app.call(Method::POST, &restore, None, None).await,
            401,
            "authentication_required",
        )
        .await;
        let restored = app.call(Method::POST, &restore, Some(other), None).await;
        let restored = json_of(restored, 200).await;
        assert_eq!(restored["deleted"], Value::Null);
        assert_eq!(restored["body"], "Rude words");
        let seen = app.forum_post(&post, Some(&victor.access_token)).await;
        assert_eq!(
            (&seen["deleted"], &seen["body"]),
            (&Value::Null, &json!("Rude words"))
        );
        assert_eq!(app.topic(&id, None).await["reply_count"], 1);
    }
}
