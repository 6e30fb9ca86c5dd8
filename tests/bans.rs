//! Bans, as admins give them: who may ban, lift and list bans, what a ban
//! says, and what is checked; what a ban does to the banned person is in
//! `banned.rs`.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;
use crate::support::forum::{Forum, hours_from_now, items, json_of};

fn at(time: &Value) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(time.as_str().expect("a time")).expect("RFC 3339")
}

/// The handles of the people whose bans are listed, in order.
fn handles(bans: &[Value]) -> Vec<String> {
    bans.iter()
        .map(|ban| ban["user"]["handle"].as_str().expect("handle").to_owned())
        .collect()
}

#[tokio::test]
async fn only_admins_ban_and_lift_bans_and_only_moderators_and_admins_list_them() {
    let Forum {
        app,
        boss,
        mona,
        ursula,
        victor,
    } = Forum::start().await;
    let path = "/api/v1/bans/victor";
    let ban = json!({"reason": "Spam"});
    for token in [&mona.access_token, &ursula.access_token] {
        let refused = app.put_json_as(path, token, &ban).await;
        assert_problem(refused, 403, "not_allowed").await;
    }
    assert_problem(
        app.call(Method::PUT, path, None, Some(&ban)).await,
        401,
        "authentication_required",
    )
    .await;
    assert_problem(
        app.get("/api/v1/bans", Some(&ursula.access_token)).await,
        403,
        "not_allowed",
    )
    .await;
    assert_problem(
        app.get("/api/v1/bans", None).await,
        401,
        "authentication_required",
    )
    .await;
    assert_eq!(app.banned(&mona.access_token).await, Vec::<String>::new());
    assert_eq!(app.me(&victor.access_token).await["handle"], "victor");

    app.ban(&boss.access_token, "victor", "Spam", None).await;
    for token in [&mona.access_token, &boss.access_token] {
        assert_eq!(app.banned(token).await, ["victor"]);
    }
    for token in [&mona.access_token, &ursula.access_token] {
        assert_problem(app.delete_as(path, token).await, 403, "not_allowed").await;
    }
    assert_problem(
        app.call(Method::DELETE, path, None, None).await,
        401,
        "authentication_required",
    )
    .await;
    assert_eq!(app.banned(&mona.access_token).await, ["victor"]);
    assert_eq!(app.delete_as(path, &boss.access_token).await.status(), 204);
    assert_eq!(app.banned(&mona.access_token).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_ban_tells_who_is_banned_why_until_when_and_by_whom() {
    let Forum {
        app, boss, mona, ..
    } = Forum::start().await;
    let until = hours_from_now(24);
    let ban = app
        .ban(
            &boss.access_token,
            "victor",
            "Spam in every topic",
            Some(&until),
        )
        .await;
    assert_eq!(ban["user"]["handle"], "victor");
    assert_eq!(ban["user"]["display_name"], "victor Tester");
    assert_eq!(ban["banned_by"]["handle"], "boss");
    assert_eq!(ban["reason"], "Spam in every topic");
    assert_eq!(at(&ban["until"]), at(&json!(until)));
    let age = Utc::now().signed_duration_since(at(&ban["created_at"]));
    assert!(age.abs() < TimeDelta::minutes(1), "{ban}");

    let page = app.get_ok("/api/v1/bans", Some(&mona.access_token)).await;
    assert_eq!(page["next_cursor"], Value::Null);
    let listed = &page["items"][0];
    for field in ["user", "reason", "banned_by"] {
        assert_eq!(listed[field], ban[field], "{field}");
    }
    assert_eq!(at(&listed["until"]), at(&ban["until"]));
    let apart = at(&listed["created_at"]).signed_duration_since(at(&ban["created_at"]));
    assert!(apart.abs() < TimeDelta::milliseconds(1), "{listed} / {ban}");

    // Without an end, or with a null one: for good.
    let for_good = app
        .put_json_as(
            "/api/v1/bans/ursula",
            &boss.access_token,
            &json!({"reason": "Threats"}),
        )
        .await;
    assert_eq!(json_of(for_good, 200).await["until"], Value::Null);
    let also = app.ban(&boss.access_token, "mona", "Abuse", None).await;
    assert_eq!(also["until"], Value::Null);
    let bans = items(&app.pages("/api/v1/bans", Some(&boss.access_token)).await);
    assert_eq!(handles(&bans), ["mona", "ursula", "victor"]);
    assert_eq!(
        (&bans[0]["until"], &bans[1]["until"]),
        (&Value::Null, &Value::Null)
    );
}

#[tokio::test]
async fn admins_are_not_banned_and_unknown_people_are_not_found() {
    let app = TestApp::spawn_with(&[(
        "NOXCHAT_ADMIN_EMAILS",
        "boss@example.org, chief@example.org",
    )])
    .await;
    let boss = app.signed_up_user("boss").await;
    let chief = app.signed_up_user("chief").await;
    let ban = json!({"reason": "Coup"});
    for handle in ["chief", "boss"] {
        let refused = app
            .put_json_as(&format!("/api/v1/bans/{handle}"), &boss.access_token, &ban)
            .await;
        assert_problem(refused, 409, "role_is_admin").await;
    }
    assert_eq!(app.me(&chief.access_token).await["role"], "admin");
    assert_problem(
        app.put_json_as("/api/v1/bans/nobody", &boss.access_token, &ban)
            .await,
        404,
        "user_not_found",
    )
    .await;
    assert_problem(
        app.delete_as("/api/v1/bans/nobody", &boss.access_token)
            .await,
        404,
        "user_not_found",
    )
    .await;
    assert_eq!(app.banned(&boss.access_token).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_ban_needs_a_reason_and_an_end_still_to_come() {
    let Forum {
        app,
        boss,
        mona,
        victor,
        ..
    } = Forum::start().await;
    let path = "/api/v1/bans/victor";
    let too_long = "x".repeat(501);
    for reason in ["", "   ", too_long.as_str()] {
        let refused = app
            .put_json_as(path, &boss.access_token, &json!({"reason": reason}))
            .await;
        let problem = assert_problem(refused, 422, "validation_failed").await;
        assert!(problem["errors"]["reason"].is_array(), "{problem}");
    }
    let past = json!({"reason": "Spam", "until": hours_from_now(-1)});
    let refused = app.put_json_as(path, &boss.access_token, &past).await;
    let problem = assert_problem(refused, 422, "validation_failed").await;
    assert!(problem["errors"]["until"].is_array(), "{problem}");
    assert_eq!(problem["error_codes"]["until"], json!(["not_in_future"]));

    // Nothing happened to him.
    assert_eq!(app.banned(&mona.access_token).await, Vec::<String>::new());
    assert_eq!(app.me(&victor.access_token).await["handle"], "victor");

    let longest = "x".repeat(500);
    let ban = app.ban(&boss.access_token, "victor", &longest, None).await;
    assert_eq!(ban["reason"], json!(longest));
}

#[tokio::test]
async fn bans_in_force_are_listed_newest_first_page_by_page() {
    let Forum {
        app, boss, mona, ..
    } = Forum::start().await;
    app.signed_up_user("wanda").await;
    let soon = hours_from_now(1);
    app.ban(&boss.access_token, "ursula", "Spam", Some(&soon))
        .await;
    app.ban(&boss.access_token, "victor", "Spam", None).await;
    app.ban(&boss.access_token, "wanda", "Spam", None).await;

    let pages = app
        .pages("/api/v1/bans?limit=2", Some(&mona.access_token))
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(handles(&items(&pages)), ["wanda", "victor", "ursula"]);

    let lifted = app
        .delete_as("/api/v1/bans/victor", &boss.access_token)
        .await;
    assert_eq!(lifted.status(), 204);
    assert_eq!(app.banned(&mona.access_token).await, ["wanda", "ursula"]);
    let expired = app.db.execute(
        "UPDATE bans SET until = now() - interval '1 minute' \
         WHERE user_id = (SELECT id FROM users WHERE handle = 'ursula')",
    );
    assert_eq!(expired, 1);
    assert_eq!(app.banned(&mona.access_token).await, ["wanda"]);
}
