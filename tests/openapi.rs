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

/// Every operation, sent what clients get wrong most (no token, a body in the
/// wrong content type, a malformed query), answers only statuses its
/// documentation lists, each with a problem document, and never a 5xx.
#[tokio::test]
async fn every_operation_answers_bad_requests_only_with_documented_statuses() {
    let app = TestApp::spawn().await;
    let spec: Value = serde_json::from_str(&noxchat::openapi::spec_json()).unwrap();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let documented: Vec<u16> = operation["responses"]
                .as_object()
                .unwrap()
                .keys()
                .map(|status| status.parse().unwrap())
                .collect();
            let url = sample_url(path, operation);
            let method: reqwest::Method = method.to_uppercase().parse().unwrap();
            let has_body = operation["requestBody"].is_object();
            let has_query = operation["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
            // A fresh account each time: some operations end the session or the account.
            let user = app.signed_up_user(&format!("probe{checked}")).await;
            let mut probes = vec![("no token", app.request(method.clone(), &url))];
            if has_body {
                probes.push((
                    "wrong content type",
                    app.request(method.clone(), &url)
                        .bearer_auth(&user.access_token)
                        .header("content-type", "text/plain")
                        .body("not json"),
                ));
            }
            if has_query {
                probes.push((
                    "malformed query",
                    app.request(method.clone(), &format!("{url}?limit=many&cursor=%25%25"))
                        .bearer_auth(&user.access_token),
                ));
            }
            for (probe, request) in probes {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let operation_id = operation["operationId"].as_str().unwrap();
                assert!(
                    documented.contains(&status) && status < 500,
                    "{operation_id} ({probe}) answered {status}, documented: {documented:?}"
                );
                if status >= 400 && !path.starts_with("/media/") {
                    let content_type = response.headers()["content-type"]
                        .to_str()
                        .unwrap()
                        .to_owned();
                    assert_eq!(
                        content_type, "application/problem+json",
                        "{operation_id} ({probe})"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} operations checked");
}

/// The path with its parameters filled in with values of the right shape.
fn sample_url(path: &str, operation: &Value) -> String {
    let mut url = path.to_owned();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        if parameter["in"] != "path" {
            continue;
        }
        let name = parameter["name"].as_str().unwrap();
        let schema = &parameter["schema"];
        let value = if schema["format"] == "uuid" || schema["$ref"].is_string() {
            "0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f"
        } else if schema["type"] == "integer" {
            "1"
        } else {
            "nobody_here"
        };
        url = url.replace(&format!("{{{name}}}"), value);
    }
    url
}

#[test]
fn every_error_response_lists_its_problem_codes() {
    let spec: Value = serde_json::from_str(&noxchat::openapi::spec_json()).unwrap();
    let known: Vec<Value> = spec["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                if status.as_str() < "400" {
                    continue;
                }
                let codes = &response["content"]["application/problem+json"]["schema"]["allOf"][1]
                    ["properties"]["code"]["enum"];
                let codes = codes
                    .as_array()
                    .unwrap_or_else(|| panic!("{method} {path} {status}"));
                assert!(!codes.is_empty(), "{method} {path} {status} names no code");
                for code in codes {
                    assert!(
                        known.contains(code),
                        "{method} {path} {status}: unknown {code}"
                    );
                }
            }
        }
    }
}
