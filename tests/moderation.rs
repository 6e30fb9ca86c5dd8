//! The moderation log: every action of a moderator or admin on others'
//! topics, posts, accounts and reports, who took it, on what and why,
//! newest first, for moderators and admins; and the reason a moderator
//! gives, which the author concerned is told.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, items, strings, with_reason};

/// `(action, reason)` of each `moderation` notification, newest first.
fn told(inbox: &[Value]) -> Vec<(String, Value)> {
    inbox
        .iter()
        .filter(|n| n["kind"] == "moderation")
        .map(|n| {
            let action = n["action"].as_str().expect("action").to_owned();
            (action, n["reason"].clone())
        })
        .collect()
}

#[tokio::test]
async fn only_moderators_and_admins_read_the_moderation_log() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let path = "/api/v1/moderation/log";
    assert_eq!(
        app.get_ok(path, Some(&mona.access_token)).await,
        json!({"items": [], "next_cursor": null})
    );
    let created = app
        .create_topic(&ursula.access_token, "general", "News", "Body")
        .await;
    let pin = format!("/api/v1/topics/{}/pin", id_of(&created["topic"]));
    assert_eq!(app.put_as(&pin, &boss.access_token).await.status(), 200);

    for token in [&ursula.access_token, &victor.access_token] {
        assert_problem(app.get(path, Some(token)).await, 403, "not_allowed").await;
    }
    assert_problem(app.get(path, None).await, 401, "authentication_required").await;
    for token in [&mona.access_token, &boss.access_token] {
        let log = app.moderation_log(token).await;
        assert_eq!(strings(&log, "action"), ["topic_pinned"]);
        assert_eq!(log[0]["moderator"]["handle"], "boss");
    }
}

#[tokio::test]
async fn each_moderator_action_on_a_topic_is_logged_newest_first_and_its_reason_told() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        ..
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
    let steps = [
        ("topic_pinned", Method::PUT, format!("{topic}/pin"), None),
        (
            "topic_unpinned",
            Method::DELETE,
            format!("{topic}/pin"),
            None,
        ),
        ("topic_locked", Method::PUT, format!("{topic}/lock"), None),
        (
            "topic_unlocked",
            Method::DELETE,
            format!("{topic}/lock"),
            None,
        ),
        (
            "topic_moved",
            Method::PUT,
            format!("{topic}/category"),
            Some(json!({"category": "help"})),
        ),
        (
            "topic_renamed",
            Method::PATCH,
            topic.clone(),
            Some(json!({"title": "Renamed"})),
        ),
    ];
    let because = |action: &str| format!("Because of {action}");
    for (action, method, path, body) in &steps {
        let path = with_reason(path, &because(action));
        let response = app
            .call(
                method.clone(),
                &path,
                Some(&mona.access_token),
                body.as_ref(),
            )
            .await;
        assert_eq!(response.status(), 200, "{action}");
    }

    let pages = app
        .pages("/api/v1/moderation/log?limit=4", Some(&boss.access_token))
        .await;
    assert_eq!(pages.len(), 2);
    let log = items(&pages);
    let newest_first: Vec<&str> = steps.iter().rev().map(|step| step.0).collect();
    assert_eq!(strings(&log, "action"), newest_first);
    for entry in &log {
        let action = entry["action"].as_str().expect("action");
        assert!(entry["id"].is_string() && entry["created_at"].is_string());
        assert_eq!(entry["moderator"]["handle"], "mona", "{action}");
        assert_eq!(entry["target_user"]["handle"], "ursula", "{action}");
        assert_eq!(entry["topic"]["id"], json!(id), "{action}");
        assert_eq!(entry["post_id"], Value::Null, "{action}");
        assert_eq!(entry["reason"], json!(because(action)));
    }
    assert_eq!(log[5]["topic"]["title"], "Original");

    // Deleted, the topic is gone from the log's entries but not its title.
    let delete = with_reason(&topic, &because("topic_deleted"));
    assert_eq!(
        app.delete_as(&delete, &mona.access_token).await.status(),
        204
    );
    let log = app.moderation_log(&mona.access_token).await;
    assert_eq!(log.len(), 7);
    assert_eq!(log[0]["action"], "topic_deleted");
    assert_eq!(log[0]["topic"], json!({"id": null, "title": "Renamed"}));
    assert_eq!(log[0]["target_user"]["handle"], "ursula");
    assert_eq!(log[0]["reason"], json!(because("topic_deleted")));
    assert_eq!(log[6]["topic"]["title"], "Original", "as it was then");

    // Ursula is told why, of all but the pinning.
    let inbox = app.notifications(&ursula.access_token).await;
    let expected: Vec<(String, Value)> = [
        "topic_deleted",
        "topic_renamed",
        "topic_moved",
        "topic_unlocked",
        "topic_locked",
    ]
    .into_iter()
    .map(|action| (action.to_owned(), json!(because(action))))
    .collect();
    assert_eq!(told(&inbox), expected);
}

#[tokio::test]
async fn removing_and_restoring_a_post_is_logged_with_the_post_and_its_reason_told() {
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
    let topic = id_of(&created["topic"]);
    let reply = id_of(&app.reply(&victor.access_token, &topic, "Rude words").await);
    let path = format!("/api/v1/posts/{reply}");
    let removed = app
        .delete_as(&with_reason(&path, "Insults, again"), &boss.access_token)
        .await;
    assert_eq!(removed.status(), 204);
    let restore = format!("{path}/restore");
    let restored = app
        .call(Method::POST, &restore, Some(&mona.access_token), None)
        .await;
    assert_eq!(restored.status(), 200);

    let log = app.moderation_log(&mona.access_token).await;
    assert_eq!(strings(&log, "action"), ["post_restored", "post_removed"]);
    assert_eq!(
        (&log[0]["moderator"]["handle"], &log[0]["reason"]),
        (&json!("mona"), &Value::Null)
    );
    assert_eq!(
        (&log[1]["moderator"]["handle"], &log[1]["reason"]),
        (&json!("boss"), &json!("Insults, again"))
    );
    for entry in &log {
        assert_eq!(entry["target_user"]["handle"], "victor");
        assert_eq!(entry["post_id"], json!(reply));
        assert_eq!(entry["topic"], json!({"id": topic, "title": "Heated"}));
    }
    let inbox = app.notifications(&victor.access_token).await;
    assert_eq!(
        told(&inbox),
        [
            ("post_restored".to_owned(), Value::Null),
            ("post_removed".to_owned(), json!("Insults, again")),
        ]
    );
}

#[tokio::test]
async fn bans_and_handled_reports_are_logged_with_whom_they_concern() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Bargains", "Buy here")
        .await;
    let topic = id_of(&created["topic"]);
    let hers = id_of(&created["post"]);
    let his = id_of(
        &app.reply(&victor.access_token, &topic, "Cheaper here")
            .await,
    );
    let reported = app.report(&victor.access_token, &hers, "Spam").await;
    assert_eq!(reported.status(), 204);
    let reported = app.report(&ursula.access_token, &his, "Spam too").await;
    assert_eq!(reported.status(), 204);
    let open = app.reports(&mona.access_token, "open").await;
    let report_of = |post: &str| {
        let report = open.iter().find(|r| r["post"]["id"] == post);
        id_of(report.expect("a report of the post"))
    };
    let (of_his, of_hers) = (report_of(&his), report_of(&hers));

    app.ban(&boss.access_token, "victor", "Advertising", None)
        .await;
    let lifted = app
        .delete_as("/api/v1/bans/victor", &boss.access_token)
        .await;
    assert_eq!(lifted.status(), 204);
    let resolve = format!("/api/v1/reports/{of_his}/resolve");
    let resolved = app
        .call(
            Method::POST,
            &with_reason(&resolve, "Banned for it"),
            Some(&mona.access_token),
            None,
        )
        .await;
    assert_eq!(resolved.status(), 204);
    let dismiss = format!("/api/v1/reports/{of_hers}/dismiss");
    let dismissed = app
        .call(Method::POST, &dismiss, Some(&boss.access_token), None)
        .await;
    assert_eq!(dismissed.status(), 204);

    let log = app.moderation_log(&boss.access_token).await;
    assert_eq!(
        strings(&log, "action"),
        [
            "report_dismissed",
            "report_resolved",
            "user_unbanned",
            "user_banned"
        ]
    );
    let [dismissed, resolved, unbanned, banned] = log.as_slice() else {
        panic!("{log:#?}");
    };
    for entry in [banned, unbanned] {
        assert_eq!(entry["moderator"]["handle"], "boss");
        assert_eq!(entry["target_user"]["handle"], "victor");
        assert_eq!(
            (&entry["topic"], &entry["post_id"]),
            (&Value::Null, &Value::Null)
        );
    }
    assert_eq!(banned["reason"], "Advertising", "the ban's reason");
    assert_eq!(resolved["moderator"]["handle"], "mona");
    assert_eq!(resolved["reason"], "Banned for it");
    assert_eq!(dismissed["moderator"]["handle"], "boss");
    assert_eq!(dismissed["reason"], Value::Null);
    for (entry, post, author) in [(resolved, &his, "victor"), (dismissed, &hers, "ursula")] {
        assert_eq!(entry["post_id"], json!(post));
        assert_eq!(entry["topic"], json!({"id": topic, "title": "Bargains"}));
        assert_eq!(entry["target_user"]["handle"], author, "whose post");
    }
}

#[tokio::test]
async fn authors_renaming_or_deleting_their_own_things_are_not_logged_even_as_moderators() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let shared = app
        .create_topic(&victor.access_token, "general", "Shared", "Body")
        .await;
    let shared = id_of(&shared["topic"]);
    for author in [&ursula.access_token, &mona.access_token] {
        let created = app.create_topic(author, "general", "Draft", "Body").await;
        let topic = format!("/api/v1/topics/{}", id_of(&created["topic"]));
        let renamed = app
            .patch_as(&topic, author, &json!({"title": "Final draft"}))
            .await;
        assert_eq!(renamed.status(), 200);
        assert_eq!(app.delete_as(&topic, author).await.status(), 204);
        let reply = app.reply(author, &shared, "Second thoughts").await;
        let post = format!("/api/v1/posts/{}", id_of(&reply));
        assert_eq!(app.delete_as(&post, author).await.status(), 204);
    }

    // What a moderator then does to someone else's topic is logged, alone.
    let pin = format!("/api/v1/topics/{shared}/pin");
    assert_eq!(app.put_as(&pin, &mona.access_token).await.status(), 200);
    let log = app.moderation_log(&mona.access_token).await;
    assert_eq!(strings(&log, "action"), ["topic_pinned"]);
    assert_eq!(log[0]["target_user"]["handle"], "victor");
}
