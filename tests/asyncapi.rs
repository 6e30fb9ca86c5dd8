//! The AsyncAPI document of the WebSocket: generated from the frame types,
//! served, committed in sync, and naming every frame and close code.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::TestApp;

fn document() -> Value {
    serde_json::from_str(&noxchat::openapi::asyncapi::document_json()).unwrap()
}

#[test]
fn committed_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/asyncapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == noxchat::openapi::asyncapi::document_json(),
        "openapi/asyncapi.json is stale: run `make openapi` and commit the result"
    );
}

#[tokio::test]
async fn served_document_is_the_generated_one_and_the_api_docs_link_it() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/asyncapi.json", None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), document());
    let spec: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        spec["info"]["description"]
            .as_str()
            .unwrap()
            .contains("/api/asyncapi.json")
    );
}

#[test]
fn every_frame_both_ways_is_a_message_with_a_payload_schema() {
    let document = document();
    assert_eq!(document["asyncapi"], "3.0.0");
    assert_eq!(
        document["channels"]["realtime"]["address"],
        "/api/v1/realtime"
    );
    let messages: BTreeSet<&str> = document["components"]["messages"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "authenticate",
        "resume",
        "ready",
        "event",
        "resync_required",
        "presence",
        "typing",
        "user_typing",
        "view_topic",
        "topic_post_added",
        "topic_changed",
        "error",
    ]
    .into();
    assert_eq!(messages, expected);
    let actions: Vec<(&str, &str)> = document["operations"]
        .as_object()
        .unwrap()
        .values()
        .map(|operation| {
            let reference = operation["messages"][0]["$ref"].as_str().unwrap();
            (
                operation["action"].as_str().unwrap(),
                reference.rsplit('/').next().unwrap(),
            )
        })
        .collect();
    assert!(actions.contains(&("send", "authenticate")));
    assert!(actions.contains(&("send", "resume")));
    assert!(actions.contains(&("receive", "event")));
    assert!(actions.contains(&("send", "typing")));
    assert!(actions.contains(&("receive", "user_typing")));
    assert!(actions.contains(&("send", "view_topic")));
    assert!(actions.contains(&("receive", "topic_post_added")));
    assert!(actions.contains(&("receive", "topic_changed")));
    // Event payloads name every kind of event.
    let kinds = document["components"]["schemas"]["Event"].to_string();
    for kind in [
        "friend_request_sent",
        "friend_request_accepted",
        "friendship_ended",
        "user_blocked",
        "session_ended",
        "profile_changed",
    ] {
        assert!(kinds.contains(kind), "{kind}");
    }
    let errors = document["components"]["schemas"]["FrameError"].to_string();
    for code in [
        "frame_too_large",
        "invalid_json",
        "rate_limited",
        "already_resumed",
    ] {
        assert!(errors.contains(code), "{code}");
    }
}

#[test]
fn close_codes_are_listed_with_what_to_do() {
    let document = document();
    let codes: Vec<u64> = document["x-close-codes"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|code| assert!(code["meaning"].as_str().is_some_and(|m| !m.is_empty())))
        .map(|code| code["code"].as_u64().unwrap())
        .collect();
    assert_eq!(
        codes,
        [4000, 4001, 4002, 4003, 4004, 4005, 4008, 4029, 1012, 1013]
    );
}
