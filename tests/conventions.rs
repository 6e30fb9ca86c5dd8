//! HTTP conventions every endpoint follows.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::support::app::assert_problem;

#[tokio::test]
async fn health_and_readiness_answer_ok() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/readyz"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
}

#[tokio::test]
async fn unknown_route_gives_404_problem_with_request_id() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/no-such-thing", None).await;
    let request_id = response.headers().get("x-request-id").cloned();
    assert!(request_id.is_some_and(|id| !id.is_empty()));
    assert_problem(response, 404, "route_not_found").await;
}

#[tokio::test]
async fn sane_incoming_request_id_is_kept_and_insane_one_replaced() {
    let app = TestApp::spawn().await;
    let kept = app
        .request(Method::GET, "/healthz")
        .header("x-request-id", "nginx-abc123")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "nginx-abc123");
    let replaced = app
        .request(Method::GET, "/healthz")
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "bad id with spaces");
}

#[tokio::test]
async fn malformed_json_gives_400_problem() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "application/json")
        .body("{\"login\": ")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "malformed_json").await;
}

#[tokio::test]
async fn wrong_content_type_gives_415_problem() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::POST, "/api/v1/auth/login")
        .header("content-type", "text/plain")
        .body("login=ann")
        .send()
        .await
        .unwrap();
    assert_problem(response, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn oversized_body_gives_413_problem() {
    let app = TestApp::spawn().await;
    let huge = json!({"login": "x".repeat(300 * 1024), "password": "y"});
    let response = app.post("/api/v1/auth/login", &huge).await;
    assert_problem(response, 413, "payload_too_large").await;
}

#[tokio::test]
async fn missing_field_gives_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/v1/auth/login", &json!({"login": "ann"}))
        .await;
    let problem = assert_problem(response, 422, "invalid_body").await;
    assert_eq!(problem["errors"]["password"][0], "is required");
    assert_eq!(problem["error_codes"]["password"][0], "required");
}

#[tokio::test]
async fn every_field_message_comes_with_a_code_to_translate_it_by() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/auth/register",
            &json!({"email": "nope", "handle": "x", "display_name": "", "password": "short"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        problem["errors"]["email"][0],
        "must be an email address such as name@example.org"
    );
    let codes = &problem["error_codes"];
    assert_eq!(codes["email"], json!(["invalid_email"]));
    assert_eq!(codes["handle"], json!(["invalid_handle"]));
    assert_eq!(codes["display_name"], json!(["display_name_length"]));
    // One code per message, field by field.
    let messages = problem["errors"].as_object().unwrap();
    assert_eq!(messages.len(), codes.as_object().unwrap().len());
    for (field, list) in messages {
        assert_eq!(
            list.as_array().unwrap().len(),
            codes[field].as_array().unwrap().len(),
            "{field}"
        );
    }

    let user = app.signed_up_user("narcissus").await;
    let response = app
        .post_as(
            "/api/v1/friends/requests",
            &user.access_token,
            &json!({"handle": "narcissus"}),
        )
        .await;
    let problem = assert_problem(response, 422, "cannot_befriend_self").await;
    assert_eq!(problem["error_codes"]["handle"], json!(["your_own"]));
}

#[tokio::test]
async fn wrongly_typed_or_unknown_fields_give_422() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/v1/auth/login", &json!({"login": 5, "password": "x"}))
        .await;
    assert_problem(response, 422, "invalid_body").await;
    let response = app
        .post(
            "/api/v1/auth/login",
            &json!({"login": "a", "password": "x", "is_admin": true}),
        )
        .await;
    assert_problem(response, 422, "invalid_body").await;
}

#[tokio::test]
async fn malformed_path_parameter_gives_404_problem() {
    let app = TestApp::spawn().await;
    let user = app.signed_up_user("path_tester").await;
    let response = app
        .request(Method::DELETE, "/api/v1/auth/sessions/not-a-uuid")
        .bearer_auth(&user.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not_found").await;
}

#[tokio::test]
async fn interactive_docs_are_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let redirect = app.get("/api/docs", None).await;
    assert!(redirect.status().is_redirection());
    let page = app.get("/api/docs/", None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("://cdn"), "docs must not need a CDN");
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        let response = app.get(&format!("/api/docs/{asset}"), None).await;
        assert_eq!(response.status(), 200, "{asset}");
    }
    let initializer = app
        .get("/api/docs/swagger-initializer.js", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(initializer.contains("/api/openapi.json"));
}

#[tokio::test]
async fn nul_characters_in_text_are_400_not_500() {
    let app = TestApp::spawn().await;
    let login = app
        .post(
            "/api/v1/auth/login",
            &json!({"login": "ann\u{0}", "password": "x"}),
        )
        .await;
    assert_problem(login, 400, "invalid_text").await;
    let searcher = app.signed_up_user("searcher").await;
    assert_problem(
        app.get("/api/v1/users?q=%00abc", Some(&searcher.access_token))
            .await,
        400,
        "invalid_text",
    )
    .await;
    assert_problem(
        app.get("/api/v1/users/a%00b", None).await,
        400,
        "invalid_text",
    )
    .await;
}
