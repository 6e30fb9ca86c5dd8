//! The AsyncAPI 3 document of the real-time WebSocket: generated from the
//! frame types themselves (their schemas are the ones utoipa derives), so
//! it cannot drift from what the gateway sends and reads. Served at
//! `/api/asyncapi.json` and committed as `openapi/asyncapi.json`.

use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use crate::realtime::frames::{ClientFrame, CloseCode, FrameError, ServerFrame};

#[derive(OpenApi)]
#[openapi(components(schemas(ClientFrame, ServerFrame, FrameError)))]
struct FrameSchemas;

const DESCRIPTION: &str = "The live side of the NoxChat API, over one WebSocket. \
Connect, then send `authenticate` with an access token within 5 seconds (never a token in \
the URL); the server answers `ready`. Send `resume` once, with the last event `seq` you have \
(or `ready.position` after loading state over REST): every stored event after it follows in \
order, then live ones, each exactly once per connection. `resync_required` means the log no \
longer covers that position: reload over REST. `presence` frames are not stored and carry no \
`seq`. The server pings every `ready.heartbeat.interval_ms` and closes a connection silent \
for `timeout_ms`. Client frames are JSON text of at most 64 KiB; a refused frame gets an \
`error` frame and the connection stays open. Close codes are listed in `x-close-codes`; a \
frame over 1 MiB closes with 1009.";

pub fn document() -> Value {
    let schemas = serde_json::to_value(
        FrameSchemas::openapi()
            .components
            .map(|components| components.schemas)
            .unwrap_or_default(),
    )
    .expect("schemas serialise");
    let mut messages = Map::new();
    let mut operations = Map::new();
    let mut channel_messages = Map::new();
    for (frame, action) in [("ClientFrame", "send"), ("ServerFrame", "receive")] {
        for variant in schemas[frame]["oneOf"].as_array().into_iter().flatten() {
            let (name, payload) = message_of(variant, &schemas);
            let summary = payload["description"].clone();
            messages.insert(
                name.clone(),
                json!({
                    "name": name,
                    "title": name,
                    "summary": summary,
                    "contentType": "application/json",
                    "payload": payload,
                }),
            );
            channel_messages.insert(
                name.clone(),
                json!({"$ref": format!("#/components/messages/{name}")}),
            );
            operations.insert(
                format!("{action}_{name}"),
                json!({
                    "action": action,
                    "channel": {"$ref": "#/channels/realtime"},
                    "messages": [{"$ref": format!("#/channels/realtime/messages/{name}")}],
                }),
            );
        }
    }
    let close_codes: Vec<Value> = CloseCode::ALL
        .iter()
        .map(|code| {
            json!({
                "code": *code as u16,
                "reason": code.reason().description,
                "meaning": code.meaning(),
            })
        })
        .collect();
    json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": "NoxChat real-time API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": DESCRIPTION,
            "license": {"name": "AGPL-3.0-or-later"},
            "externalDocs": {
                "description": "The REST API (OpenAPI)",
                "url": "/api/openapi.json",
            },
        },
        "defaultContentType": "application/json",
        "servers": {
            "noxchat": {
                "host": "{host}",
                "protocol": "wss",
                "description": "Your NoxChat server (`ws` when it is served over plain http).",
                "variables": {"host": {"default": "localhost:8080"}},
            },
        },
        "channels": {
            "realtime": {
                "address": "/api/v1/realtime",
                "title": "The real-time gateway",
                "messages": channel_messages,
            },
        },
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": schemas,
        },
        "x-close-codes": close_codes,
    })
}

/// A frame variant's message name (its `type`) and payload.
fn message_of(variant: &Value, schemas: &Value) -> (String, Value) {
    let mut payload = variant.clone();
    // A variant wrapping a named struct is `allOf: [$ref, {type}]`.
    let type_of = |schema: &Value| {
        schema["properties"]["type"]["enum"][0]
            .as_str()
            .map(str::to_owned)
    };
    let name = type_of(variant)
        .or_else(|| {
            variant["allOf"]
                .as_array()
                .into_iter()
                .flatten()
                .find_map(type_of)
        })
        .expect("every frame variant has a `type`");
    if payload["description"].is_null()
        && let Some(reference) = variant["allOf"][0]["$ref"].as_str()
    {
        let target = reference.trim_start_matches("#/components/schemas/");
        payload["description"] = schemas[target]["description"].clone();
    }
    (name, payload)
}

pub fn document_json() -> String {
    let mut json = serde_json::to_string_pretty(&document()).expect("the document serialises");
    json.push('\n');
    json
}
