//! Completes the generated document so it is right by construction: every
//! status an operation can answer because of its shape (a JSON body, a
//! bearer token, query or path parameters, the database) is documented with
//! the problem codes it carries, every error response gets the problem
//! document as its body with `code` narrowed to those codes, public
//! operations say so with `security: []`, and binary bodies are binary.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::ErrorCode;

const PROBLEM_JSON: &str = "application/problem+json";

/// The statuses an operation's shape implies, with their codes.
fn implied_responses(path: &str, operation: &Value) -> Vec<(u16, &'static str, Vec<ErrorCode>)> {
    use ErrorCode::*;
    let mut implied = Vec::new();
    let security = operation["security"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let anonymous_allowed = security.is_empty()
        || security
            .iter()
            .any(|requirement| requirement.as_object().is_some_and(Map::is_empty));
    if !security.is_empty() {
        if anonymous_allowed {
            implied.push((
                401,
                "A bearer token was sent but is not valid",
                vec![InvalidToken, TokenExpired, SessionEnded],
            ));
        } else {
            implied.push((
                401,
                "Not signed in, or the access token is not valid",
                vec![
                    AuthenticationRequired,
                    InvalidToken,
                    TokenExpired,
                    SessionEnded,
                ],
            ));
        }
    }
    let body_types: Vec<&String> = operation["requestBody"]["content"]
        .as_object()
        .map(|content| content.keys().collect())
        .unwrap_or_default();
    if body_types.iter().any(|t| *t == "application/json") {
        implied.push((
            400,
            "The body is not valid JSON",
            vec![MalformedJson, UnreadableBody, InvalidText],
        ));
        implied.push((413, "The body is too large", vec![PayloadTooLarge]));
        implied.push((
            415,
            "The body is not sent as `application/json`",
            vec![UnsupportedMediaType],
        ));
        implied.push((422, "The body does not match the schema", vec![InvalidBody]));
    }
    if body_types.iter().any(|t| *t == "multipart/form-data") {
        implied.push((
            400,
            "The multipart body cannot be read",
            vec![MalformedMultipart],
        ));
        implied.push((413, "The body is too large", vec![PayloadTooLarge]));
        implied.push((415, "Not `multipart/form-data`", vec![MultipartRequired]));
    }
    let parameters = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let query: Vec<&str> = parameters
        .iter()
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str())
        .collect();
    if !query.is_empty() {
        let mut codes = vec![InvalidQuery, InvalidText];
        if query.contains(&"cursor") {
            codes.push(InvalidCursor);
        }
        if query.contains(&"limit") {
            codes.push(InvalidLimit);
        }
        implied.push((400, "A query parameter is invalid", codes));
    }
    if parameters.iter().any(|p| p["in"] == "path") {
        implied.push((
            400,
            "A path parameter holds a NUL character",
            vec![InvalidText],
        ));
        implied.push((404, "The path names nothing", vec![NotFound]));
    }
    if path.starts_with("/api/") || path == "/readyz" {
        implied.push((
            503,
            "The server is busy or the database does not answer; retry",
            vec![Unavailable],
        ));
    }
    implied
}

/// The codes a response's description names in backticks, e.g. "(`handle_taken`)".
fn codes_named_in(description: &str) -> BTreeSet<ErrorCode> {
    description
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|word| {
            ErrorCode::ALL
                .iter()
                .copied()
                .find(|code| code.as_str() == word)
        })
        .collect()
}

fn problem_content(codes: &BTreeSet<ErrorCode>) -> Value {
    let codes: Vec<&str> = codes.iter().map(|code| code.as_str()).collect();
    json!({ PROBLEM_JSON: { "schema": {
        "allOf": [
            { "$ref": "#/components/schemas/Problem" },
            { "type": "object", "properties": { "code": { "type": "string", "enum": codes } } }
        ]
    }}})
}

fn complete_operation(path: &str, operation: &mut Value) {
    if operation.get("security").is_none() {
        operation["security"] = json!([]);
    }
    let implied = implied_responses(path, operation);
    let Some(responses) = operation["responses"].as_object_mut() else {
        return;
    };
    for (status, description, _) in &implied {
        let entry = responses
            .entry(status.to_string())
            .or_insert_with(|| json!({ "description": description }));
        if entry["description"].as_str().is_none_or(str::is_empty) {
            entry["description"] = json!(description);
        }
    }
    for (status, response) in responses.iter_mut() {
        let status: u16 = status.parse().unwrap_or(0);
        let content = response.get_mut("content").and_then(Value::as_object_mut);
        if let Some(content) = content {
            for (media_type, media) in content.iter_mut() {
                if matches!(
                    media_type.as_str(),
                    "image/jpeg" | "image/png" | "image/webp" | "image/gif"
                ) {
                    media["schema"] = json!({ "type": "string", "format": "binary" });
                }
            }
        }
        if status < 400 {
            continue;
        }
        let description = response["description"].as_str().unwrap_or_default();
        let mut codes = codes_named_in(description);
        if status == 429 {
            codes.insert(ErrorCode::RateLimited);
        }
        for (_, _, implied_codes) in implied.iter().filter(|(s, _, _)| *s == status) {
            codes.extend(implied_codes.iter().copied());
        }
        response["content"] = problem_content(&codes);
    }
}

/// Completes `spec` in place (see the module documentation).
pub fn complete(spec: &mut Value) {
    spec["servers"] =
        json!([{ "url": "/", "description": "The NoxChat server this document came from" }]);
    spec["info"]["license"]["identifier"] = json!("AGPL-3.0-or-later");
    let Some(paths) = spec["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        if let Some(item) = item.as_object_mut() {
            for operation in item.values_mut() {
                complete_operation(path, operation);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_backticks_are_recognised_and_other_words_ignored() {
        let codes = codes_named_in("`already_friends`, `request_already_sent` or `anna`");
        assert_eq!(
            codes,
            BTreeSet::from([ErrorCode::AlreadyFriends, ErrorCode::RequestAlreadySent])
        );
    }

    #[test]
    fn a_signed_in_json_operation_gets_401_415_and_422_with_codes() {
        let mut op = json!({
            "security": [{"bearer": []}],
            "requestBody": {"content": {"application/json": {}}},
            "responses": {"200": {"description": "ok"}, "409": {"description": "Taken (`handle_taken`)"}}
        });
        complete_operation("/api/v1/me", &mut op);
        let responses = &op["responses"];
        for status in ["401", "409", "413", "415", "422", "503"] {
            assert!(
                responses[status]["content"][PROBLEM_JSON].is_object(),
                "{status}: {op}"
            );
        }
        let codes = &responses["409"]["content"][PROBLEM_JSON]["schema"]["allOf"][1]["properties"]
            ["code"]["enum"];
        assert_eq!(codes, &json!(["handle_taken"]));
    }

    #[test]
    fn public_operations_say_they_need_no_token() {
        let mut op = json!({"responses": {"200": {"description": "ok"}}});
        complete_operation("/healthz", &mut op);
        assert_eq!(op["security"], json!([]));
        assert!(op["responses"].get("401").is_none());
    }
}
