//! The OpenAPI document: complete, served, and committed in sync.

use serde_json::Value;

use crate::support::TestApp;

#[test]
fn committed_spec_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = noxchat::openapi::spec_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `make openapi` and commit the result"
    );
}

#[test]
fn spec_describes_every_accounts_operation_with_problem_errors() {
    let spec: Value = serde_json::from_str(&noxchat::openapi::spec_json()).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut operation_ids = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}"));
            operation_ids.push(id.to_owned());
        }
    }
    for expected in [
        "register",
        "login",
        "refresh_tokens",
        "logout",
        "list_sessions",
        "revoke_session",
        "get_me",
        "change_password",
        "verify_email",
        "resend_verification_email",
        "forgot_password",
        "reset_password",
        "healthz",
        "readyz",
    ] {
        assert!(
            operation_ids.iter().any(|id| id == expected),
            "missing {expected}"
        );
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    assert!(spec["components"]["schemas"]["Problem"].is_object());
    let register_conflict = &spec["paths"]["/api/v1/auth/register"]["post"]["responses"]["409"];
    assert!(register_conflict["content"]["application/problem+json"].is_object());
}

#[tokio::test]
async fn served_spec_is_the_generated_one() {
    let app = TestApp::spawn().await;
    let served: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let generated: Value = serde_json::from_str(&noxchat::openapi::spec_json()).unwrap();
    assert_eq!(served, generated);
}
