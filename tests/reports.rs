//! Reports: anyone signed in reports someone else's standing post once,
//! with a reason; moderators and admins read the open ones oldest first and
//! resolve or dismiss each once.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::app::assert_problem;
use crate::support::forum::{Forum, id_of, items, strings, unknown_id, with_reason};

/// The handle of each report's reporter, in order.
fn reporters(reports: &[Value]) -> Vec<&str> {
    reports
        .iter()
        .map(|report| report["reporter"]["handle"].as_str().expect("reporter"))
        .collect()
}

#[tokio::test]
async fn anyone_but_the_author_reports_a_post_once() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let wanda = app.signed_up_user("wanda").await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Bargains", "Buy here")
        .await;
    let post = id_of(&created["post"]);

    assert_problem(
        app.report(&ursula.access_token, &post, "Mine").await,
        403,
        "not_allowed",
    )
    .await;
    let path = format!("/api/v1/posts/{post}/report");
    let signed_out = app
        .call(Method::POST, &path, None, Some(&json!({"reason": "Spam"})))
        .await;
    assert_problem(signed_out, 401, "authentication_required").await;
    assert_problem(
        app.report(&victor.access_token, &unknown_id(), "Spam")
            .await,
        404,
        "post_not_found",
    )
    .await;
    let too_long = "x".repeat(501);
    for reason in ["", "   ", too_long.as_str()] {
        let refused = app.report(&victor.access_token, &post, reason).await;
        let problem = assert_problem(refused, 422, "validation_failed").await;
        assert!(problem["errors"]["reason"].is_array(), "{problem}");
    }
    assert_eq!(
        app.reports(&mona.access_token, "open").await,
        Vec::<Value>::new()
    );

    let longest = "x".repeat(500);
    for (person, reason) in [
        (&victor, "Spam"),
        (&mona, "Advertising"),
        (&boss, "Off topic"),
        (&wanda, longest.as_str()),
    ] {
        let reported = app.report(&person.access_token, &post, reason).await;
        assert_eq!(reported.status(), 204, "{reason}");
    }
    assert_problem(
        app.report(&victor.access_token, &post, "Spam, really")
            .await,
        409,
        "already_reported",
    )
    .await;

    let open = app.reports(&mona.access_token, "open").await;
    assert_eq!(reporters(&open), ["victor", "mona", "boss", "wanda"]);
    assert_eq!(
        strings(&open, "reason"),
        ["Spam", "Advertising", "Off topic", longest.as_str()]
    );
    for report in &open {
        assert_eq!(report["post"]["id"], json!(post));
    }
}

#[tokio::test]
async fn a_person_the_author_blocked_still_reports_their_posts() {
    let Forum {
        app,
        mona,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Go away", "Body")
        .await;
    let blocked = app
        .put_as("/api/v1/blocks/victor", &ursula.access_token)
        .await;
    assert_eq!(blocked.status(), 204);
    let post = id_of(&created["post"]);
    let reported = app.report(&victor.access_token, &post, "Harassment").await;
    assert_eq!(reported.status(), 204);
    let open = app.reports(&mona.access_token, "open").await;
    assert_eq!(reporters(&open), ["victor"]);
}

#[tokio::test]
async fn deleted_posts_are_not_reported_but_moderators_read_the_words_of_reported_ones() {
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
    let rude = id_of(&app.reply(&victor.access_token, &topic, "Rude words").await);
    let reported = app.report(&ursula.access_token, &rude, "Rude").await;
    assert_eq!(reported.status(), 204);
    let removed = app
        .delete_as(&format!("/api/v1/posts/{rude}"), &mona.access_token)
        .await;
    assert_eq!(removed.status(), 204);
    assert_problem(
        app.report(&boss.access_token, &rude, "Rude").await,
        409,
        "post_deleted",
    )
    .await;

    let regretted = id_of(&app.reply(&victor.access_token, &topic, "Oops").await);
    let deleted = app
        .delete_as(&format!("/api/v1/posts/{regretted}"), &victor.access_token)
        .await;
    assert_eq!(deleted.status(), 204);
    assert_problem(
        app.report(&ursula.access_token, &regretted, "Hidden").await,
        409,
        "post_deleted",
    )
    .await;

    for token in [&mona.access_token, &boss.access_token] {
        let open = app.reports(token, "open").await;
        assert_eq!(reporters(&open), ["ursula"]);
        let post = &open[0]["post"];
        assert_eq!(post["id"], json!(rude));
        assert_eq!(post["body"], "Rude words");
        assert_eq!(post["deleted"]["by_moderator"], true);
    }
}

#[tokio::test]
async fn only_moderators_and_admins_read_the_reports() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Reported", "Body")
        .await;
    let post = id_of(&created["post"]);
    let reported = app.report(&victor.access_token, &post, "Spam").await;
    assert_eq!(reported.status(), 204);

    for path in [
        "/api/v1/reports",
        "/api/v1/reports?status=open",
        "/api/v1/reports?status=resolved",
        "/api/v1/reports?status=dismissed",
    ] {
        for token in [&ursula.access_token, &victor.access_token] {
            assert_problem(app.get(path, Some(token)).await, 403, "not_allowed").await;
        }
        assert_problem(app.get(path, None).await, 401, "authentication_required").await;
    }
    for token in [&mona.access_token, &boss.access_token] {
        let open = app.get_ok("/api/v1/reports", Some(token)).await;
        assert_eq!(open["next_cursor"], Value::Null);
        assert_eq!(reporters(&items(&[open])), ["victor"], "open by default");
        let resolved = app.get_ok("/api/v1/reports?status=resolved", Some(token));
        assert_eq!(resolved.await["items"], json!([]));
    }
}

#[tokio::test]
async fn open_reports_come_oldest_first_and_handled_ones_newest_first() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Thread", "First post")
        .await;
    let topic = id_of(&created["topic"]);
    let posts = [
        id_of(&created["post"]),
        id_of(&app.reply(&ursula.access_token, &topic, "Second post").await),
        id_of(&app.reply(&ursula.access_token, &topic, "Third post").await),
    ];
    for (post, reason) in posts.iter().zip(["first", "second", "third"]) {
        let reported = app.report(&victor.access_token, post, reason).await;
        assert_eq!(reported.status(), 204);
    }

    let pages = app
        .pages("/api/v1/reports?limit=2", Some(&mona.access_token))
        .await;
    assert_eq!(pages.len(), 2);
    let open = items(&pages);
    assert_eq!(strings(&open, "reason"), ["first", "second", "third"]);
    let oldest = &open[0];
    assert!(oldest["id"].is_string() && oldest["created_at"].is_string());
    assert_eq!(oldest["status"], "open");
    assert_eq!(oldest["reporter"]["handle"], "victor");
    assert_eq!(
        (&oldest["handled_by"], &oldest["handled_at"]),
        (&Value::Null, &Value::Null)
    );
    let post = &oldest["post"];
    assert_eq!(post["id"], json!(posts[0]));
    assert_eq!(
        (&post["number"], &post["body"], &post["author"]["handle"]),
        (&json!(1), &json!("First post"), &json!("ursula"))
    );

    let handled = [
        (&open[0], "resolve", &mona.access_token),
        (&open[1], "dismiss", &boss.access_token),
        (&open[2], "resolve", &mona.access_token),
    ];
    for (report, verb, token) in handled {
        let path = format!("/api/v1/reports/{}/{verb}", id_of(report));
        let done = app
            .call(Method::POST, &with_reason(&path, "Seen"), Some(token), None)
            .await;
        assert_eq!(done.status(), 204, "{verb}");
    }
    assert_eq!(
        app.reports(&mona.access_token, "open").await,
        Vec::<Value>::new()
    );
    let pages = app
        .pages(
            "/api/v1/reports?status=resolved&limit=1",
            Some(&boss.access_token),
        )
        .await;
    assert_eq!(pages.len(), 2);
    let resolved = items(&pages);
    assert_eq!(strings(&resolved, "reason"), ["third", "first"]);
    for report in &resolved {
        assert_eq!(report["status"], "resolved");
        assert_eq!(report["handled_by"]["handle"], "mona");
        assert!(report["handled_at"].is_string(), "{report}");
    }
    let dismissed = app.reports(&mona.access_token, "dismissed").await;
    assert_eq!(strings(&dismissed, "reason"), ["second"]);
    assert_eq!(dismissed[0]["status"], "dismissed");
    assert_eq!(dismissed[0]["handled_by"]["handle"], "boss");
    assert!(dismissed[0]["handled_at"].is_string());
}

#[tokio::test]
async fn moderators_and_admins_resolve_or_dismiss_each_report_once() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Disputed", "Body")
        .await;
    let topic = id_of(&created["topic"]);
    let reply = app.reply(&ursula.access_token, &topic, "More").await;
    for post in [&created["post"], &reply] {
        let reported = app.report(&victor.access_token, &id_of(post), "Spam").await;
        assert_eq!(reported.status(), 204);
    }
    let open = app.reports(&mona.access_token, "open").await;
    let (first, second) = (id_of(&open[0]), id_of(&open[1]));

    for verb in ["resolve", "dismiss"] {
        let path = format!("/api/v1/reports/{first}/{verb}");
        // The reported post's author, and the reporter.
        for token in [&ursula.access_token, &victor.access_token] {
            let refused = app.call(Method::POST, &path, Some(token), None).await;
            assert_problem(refused, 403, "not_allowed").await;
        }
        assert_problem(
            app.call(Method::POST, &path, None, None).await,
            401,
            "authentication_required",
        )
        .await;
        let unknown = format!("/api/v1/reports/{}/{verb}", unknown_id());
        let answer = app
            .call(Method::POST, &unknown, Some(&mona.access_token), None)
            .await;
        assert_problem(answer, 404, "report_not_found").await;
    }
    assert_eq!(app.reports(&mona.access_token, "open").await.len(), 2);

    let settle = |id: &str, verb: &str, token: &str| {
        let path = format!("/api/v1/reports/{id}/{verb}");
        let token = token.to_owned();
        let app = &app;
        async move { app.call(Method::POST, &path, Some(&token), None).await }
    };
    assert_eq!(
        settle(&first, "resolve", &mona.access_token).await.status(),
        204
    );
    assert_eq!(
        settle(&second, "dismiss", &boss.access_token)
            .await
            .status(),
        204
    );
    for (id, token) in [(&first, &boss.access_token), (&second, &mona.access_token)] {
        for verb in ["resolve", "dismiss"] {
            let again = settle(id, verb, token).await;
            assert_problem(again, 409, "report_already_handled").await;
        }
    }
    let ids = |reports: Vec<Value>| strings(&reports, "id");
    assert_eq!(
        ids(app.reports(&mona.access_token, "open").await),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(app.reports(&mona.access_token, "resolved").await),
        [first]
    );
    assert_eq!(
        ids(app.reports(&mona.access_token, "dismissed").await),
        [second]
    );
}
