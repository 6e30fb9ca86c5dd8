//! Forum categories: everyone reads them, only admins change them, and only
//! an empty one can be deleted.

use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::{TestUser, assert_problem};

async fn forum() -> (TestApp, TestUser, TestUser, TestUser) {
    let app = TestApp::spawn_with(&[("NOXCHAT_ADMIN_EMAILS", "boss@example.org")]).await;
    let admin = app.signed_up_user("boss").await;
    let moderator = app.signed_up_user("mona").await;
    let user = app.signed_up_user("ursula").await;
    assert_eq!(
        app.put_as("/api/v1/moderators/mona", &admin.access_token)
            .await
            .status(),
        204
    );
    (app, admin, moderator, user)
}

async fn slugs(app: &TestApp) -> Vec<String> {
    let list: Value = app
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_fresh_forum_has_one_category_that_anyone_can_read() {
    let app = TestApp::spawn().await;
    let list: Value = app
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let general = &list["items"][0];
    assert_eq!(general["slug"], "general");
    assert_eq!(general["name"], "General");
    assert_eq!(general["position"], 1);
    assert_eq!(general["topic_count"], 0);
    assert_eq!(general["last_activity_at"], Value::Null);
    assert_eq!(list["next_cursor"], Value::Null);
    let one: Value = app
        .get("/api/v1/categories/GENERAL", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["id"], general["id"]);
    assert_problem(
        app.get("/api/v1/categories/nowhere", None).await,
        404,
        "category_not_found",
    )
    .await;
}

#[tokio::test]
async fn only_admins_create_categories_and_each_slug_is_taken_once() {
    let (app, admin, moderator, user) = forum().await;
    let body = json!({"slug": "Help", "name": "Помощь", "description": "Вопросы и ответы"});
    for token in [&moderator.access_token, &user.access_token] {
        assert_problem(
            app.post_as("/api/v1/categories", token, &body).await,
            403,
            "not_allowed",
        )
        .await;
    }
    assert_problem(
        app.post("/api/v1/categories", &body).await,
        401,
        "authentication_required",
    )
    .await;

    let created = app
        .post_as("/api/v1/categories", &admin.access_token, &body)
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["slug"], "help");
    assert_eq!(created["name"], "Помощь");
    assert_eq!(created["position"], 2, "after the others");
    let again = app
        .post_as("/api/v1/categories", &admin.access_token, &body)
        .await;
    let problem = assert_problem(again, 409, "slug_taken").await;
    assert!(problem["errors"]["slug"].is_array());

    let bad = app
        .post_as(
            "/api/v1/categories",
            &admin.access_token,
            &json!({"slug": "two--hyphens", "name": " ", "description": "x".repeat(501)}),
        )
        .await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    for field in ["slug", "name", "description"] {
        assert!(problem["errors"][field].is_array(), "{field}: {problem}");
    }
    assert_eq!(slugs(&app).await, ["general", "help"], "nothing half-made");
}

#[tokio::test]
async fn only_admins_edit_categories() {
    let (app, admin, moderator, user) = forum().await;
    let change = json!({"name": "Обо всём", "slug": "talk"});
    for token in [&moderator.access_token, &user.access_token] {
        assert_problem(
            app.patch_as("/api/v1/categories/general", token, &change)
                .await,
            403,
            "not_allowed",
        )
        .await;
    }
    let changed = app
        .patch_as("/api/v1/categories/general", &admin.access_token, &change)
        .await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(
        (&changed["slug"], &changed["name"]),
        (&json!("talk"), &json!("Обо всём"))
    );
    assert_problem(
        app.patch_as("/api/v1/categories/general", &admin.access_token, &change)
            .await,
        404,
        "category_not_found",
    )
    .await;
    app.post_as(
        "/api/v1/categories",
        &admin.access_token,
        &json!({"slug": "help", "name": "Help"}),
    )
    .await;
    assert_problem(
        app.patch_as(
            "/api/v1/categories/help",
            &admin.access_token,
            &json!({"slug": "talk"}),
        )
        .await,
        409,
        "slug_taken",
    )
    .await;
}

#[tokio::test]
async fn admins_reorder_categories_naming_each_once() {
    let (app, admin, _moderator, user) = forum().await;
    for slug in ["help", "news"] {
        app.post_as(
            "/api/v1/categories",
            &admin.access_token,
            &json!({"slug": slug, "name": slug}),
        )
        .await;
    }
    let order = |slugs: &[&str]| json!({"slugs": slugs});
    let reorder = |token: String, body: Value| {
        let app = &app;
        async move {
            app.request(reqwest::Method::PUT, "/api/v1/categories/order")
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    assert_problem(
        reorder(
            user.access_token.clone(),
            order(&["news", "help", "general"]),
        )
        .await,
        403,
        "not_allowed",
    )
    .await;
    for wrong in [
        &["news", "help"][..],
        &["news", "help", "general", "general"],
        &["news", "help", "nope"],
    ] {
        assert_problem(
            reorder(admin.access_token.clone(), order(wrong)).await,
            422,
            "validation_failed",
        )
        .await;
    }
    assert_eq!(slugs(&app).await, ["general", "help", "news"]);
    let done = reorder(
        admin.access_token.clone(),
        order(&["news", "General", "help"]),
    )
    .await;
    assert_eq!(done.status(), 204);
    assert_eq!(slugs(&app).await, ["news", "general", "help"]);
}

#[tokio::test]
async fn only_admins_delete_and_only_empty_categories() {
    let (app, admin, moderator, user) = forum().await;
    app.post_as(
        "/api/v1/categories",
        &admin.access_token,
        &json!({"slug": "busy", "name": "Busy"}),
    )
    .await;
    for token in [&moderator.access_token, &user.access_token] {
        assert_problem(
            app.delete_as("/api/v1/categories/busy", token).await,
            403,
            "not_allowed",
        )
        .await;
    }
    // As topics will (the forum's topics come next).
    app.db
        .execute("UPDATE categories SET topic_count = 1 WHERE slug = 'busy'");
    assert_problem(
        app.delete_as("/api/v1/categories/busy", &admin.access_token)
            .await,
        409,
        "category_not_empty",
    )
    .await;
    assert_eq!(
        app.delete_as("/api/v1/categories/general", &admin.access_token)
            .await
            .status(),
        204
    );
    assert_problem(
        app.delete_as("/api/v1/categories/general", &admin.access_token)
            .await,
        404,
        "category_not_found",
    )
    .await;
    assert_eq!(slugs(&app).await, ["busy"]);
}
