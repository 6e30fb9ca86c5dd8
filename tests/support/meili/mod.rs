//! A fake Meilisearch for the black-box tests: an actix-web server in the
//! test process speaking the part of Meilisearch's HTTP API NoxChat uses,
//! in the JSON shapes `meilisearch-sdk` 0.33 sends and reads. Writes are
//! tasks processed at once, then reported as succeeded (or failed, with
//! Meilisearch's error codes); searches follow Meilisearch's documented
//! matching and ranking (see `search.rs` and `filter.rs`).

mod filter;
mod indexes;
mod matching;
mod search;
mod store;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Map, Value, json};

use store::Index;

/// Room for any batch of documents a test sends.
const PAYLOAD_LIMIT: usize = 256 * 1024 * 1024;

pub struct FakeMeili {
    url: String,
    state: Arc<Mutex<State>>,
    server: Option<(ServerHandle, JoinHandle<()>)>,
}

impl FakeMeili {
    /// Starts on a free port; with a key, every request must carry
    /// `Authorization: Bearer <key>`. The server runs on a thread of its
    /// own with its own actix system, as the NoxChat server of `TestApp`
    /// does, and stops when this is dropped.
    pub async fn start(key: Option<&str>) -> Self {
        let state = Arc::new(Mutex::new(State {
            key: key.map(str::to_owned),
            ..State::default()
        }));
        let data = web::Data::from(state.clone());
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(data.clone())
                        .app_data(web::PayloadConfig::new(PAYLOAD_LIMIT))
                        .default_service(web::to(dispatch))
                })
                .workers(1)
                .disable_signals()
                .bind(("127.0.0.1", 0))
                .expect("fake meilisearch binds");
                let port = server
                    .addrs()
                    .first()
                    .map(std::net::SocketAddr::port)
                    .expect("fake meilisearch port");
                let server = server.run();
                sender
                    .send((port, server.handle()))
                    .expect("report the port");
                server.await.expect("fake meilisearch runs");
            });
        });
        let (port, handle) = receiver.recv().expect("fake meilisearch started");
        Self {
            url: format!("http://127.0.0.1:{port}"),
            state,
            server: Some((handle, thread)),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// While down, every request answers 503 (`internal`).
    pub fn set_down(&self, down: bool) {
        self.lock().down = down;
    }

    /// The documents of an index as stored, sorted by id (none when the
    /// index does not exist).
    pub fn documents(&self, index: &str) -> Vec<Value> {
        self.lock()
            .indexes
            .get(index)
            .map(Index::sorted_documents)
            .unwrap_or_default()
    }

    /// Every request received, as `METHOD /path` (without the query).
    pub fn requests(&self) -> Vec<String> {
        self.lock().requests.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

impl Drop for FakeMeili {
    fn drop(&mut self) {
        if let Some((handle, thread)) = self.server.take() {
            // `stop` is a future; drive it from a plain thread, since the
            // test's own runtime may be the one dropping us.
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(handle.stop(false));
            })
            .join();
            let _ = thread.join();
        }
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn dispatch(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<Mutex<State>>,
) -> HttpResponse {
    let (status, answer) = lock(&state).handle(&request, &body);
    HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .json(answer)
}

/// A status and a JSON body.
type Reply = (u16, Value);

/// A Meilisearch error: its code and message; its type follows from the code.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) code: String,
    pub(super) message: String,
}

pub(super) fn failure(code: &str, message: impl Into<String>) -> Failure {
    Failure {
        code: code.to_owned(),
        message: message.into(),
    }
}

impl Failure {
    fn body(&self) -> Value {
        let kind = match self.code.as_str() {
            "missing_authorization_header" | "invalid_api_key" => "auth",
            "internal" => "internal",
            _ => "invalid_request",
        };
        json!({
            "message": self.message,
            "code": self.code,
            "type": kind,
            "link": format!("https://docs.meilisearch.com/errors#{}", self.code),
        })
    }

    fn reply(&self, status: u16) -> Reply {
        (status, self.body())
    }
}

fn index_not_found(uid: &str) -> Failure {
    failure("index_not_found", format!("Index `{uid}` not found."))
}

/// An RFC 3339 timestamp of now.
pub(super) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn json_body(body: &[u8]) -> Result<Value, Reply> {
    if body.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|error| {
        failure(
            "bad_request",
            format!("The json payload provided is malformed: {error}."),
        )
        .reply(400)
    })
}

fn object_body(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    match json_body(body)? {
        Value::Object(fields) => Ok(fields),
        other => Err(failure(
            "bad_request",
            format!("Invalid value type: expected an object, but found `{other}`."),
        )
        .reply(400)),
    }
}

fn valid_uid(uid: &str) -> bool {
    !uid.is_empty()
        && uid.len() <= 400
        && uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[derive(Default)]
struct State {
    key: Option<String>,
    down: bool,
    requests: Vec<String>,
    indexes: BTreeMap<String, Index>,
    tasks: Vec<Value>,
}

impl State {
    fn handle(&mut self, request: &HttpRequest, body: &[u8]) -> Reply {
        let method = request.method().as_str();
        let path = request.path();
        self.requests.push(format!("{method} {path}"));
        if self.down {
            return failure("internal", "The fake Meilisearch is down.").reply(503);
        }
        if let Some(key) = &self.key {
            let header = request
                .headers()
                .get("authorization")
                .and_then(|value| value.to_str().ok());
            match header {
                None => {
                    return failure(
                        "missing_authorization_header",
                        "The Authorization header is missing. It must use the bearer authorization method.",
                    )
                    .reply(401);
                }
                Some(value) if value.strip_prefix("Bearer ") != Some(key.as_str()) => {
                    return failure("invalid_api_key", "The provided API key is invalid.")
                        .reply(401);
                }
                Some(_) => {}
            }
        }
        let query: Vec<(String, String)> =
            url::form_urlencoded::parse(request.query_string().as_bytes())
                .into_owned()
                .collect();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match self.route(method, &segments, &query, body) {
            Ok(reply) | Err(reply) => reply,
        }
    }

    fn route(
        &mut self,
        method: &str,
        segments: &[&str],
        query: &[(String, String)],
        body: &[u8],
    ) -> Result<Reply, Reply> {
        match (method, segments) {
            ("GET", ["health"]) => Ok((200, json!({"status": "available"}))),
            ("GET", ["version"]) => Ok((
                200,
                json!({"pkgVersion": "1.50.0", "commitSha": "fake", "commitDate": "2026-01-01T00:00:00Z"}),
            )),
            ("GET", ["tasks"]) => {
                let count = self.tasks.len();
                let results: Vec<Value> = self.tasks.iter().rev().cloned().collect();
                Ok((
                    200,
                    json!({
                        "results": results,
                        "total": count,
                        "limit": count.max(20),
                        "from": count.checked_sub(1),
                        "next": null,
                    }),
                ))
            }
            ("GET", ["tasks", uid]) => uid
                .parse::<usize>()
                .ok()
                .and_then(|uid| self.tasks.get(uid))
                .map(|task| (200, task.clone()))
                .ok_or_else(|| {
                    failure("task_not_found", format!("Task `{uid}` not found.")).reply(404)
                }),
            ("GET", ["indexes"]) => {
                let results: Vec<Value> = self
                    .indexes
                    .iter()
                    .map(|(uid, index)| index.info(uid))
                    .collect();
                let count = results.len();
                Ok((
                    200,
                    json!({"results": results, "offset": 0, "limit": count.max(20), "total": count}),
                ))
            }
            ("POST", ["indexes"]) => self.create_index(body),
            ("POST", ["swap-indexes"]) => self.swap_indexes(body),
            ("POST", ["multi-search"]) => self.multi_search(body),
            (_, ["indexes", uid, rest @ ..]) => {
                if !valid_uid(uid) {
                    return Err(failure(
                        "invalid_index_uid",
                        format!("`{uid}` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 400 bytes."),
                    )
                    .reply(400));
                }
                self.index_route(method, uid, rest, query, body)
            }
            _ => Err(self.no_route()),
        }
    }

    fn no_route(&self) -> Reply {
        let request = self.requests.last().cloned().unwrap_or_default();
        failure(
            "not_found",
            format!("The fake Meilisearch has no route for `{request}`."),
        )
        .reply(404)
    }

    fn existing(&self, uid: &str) -> Result<&Index, Reply> {
        self.indexes
            .get(uid)
            .ok_or_else(|| index_not_found(uid).reply(404))
    }

    /// Records a task already processed: succeeded with these details, or
    /// failed; answers with its summary, as Meilisearch does on enqueuing.
    fn enqueue(
        &mut self,
        index_uid: Option<&str>,
        kind: &str,
        outcome: Result<Value, Failure>,
    ) -> Reply {
        let uid = self.tasks.len();
        let now = now();
        let (status, details, error) = match outcome {
            Ok(details) => ("succeeded", details, Value::Null),
            Err(failure) => ("failed", Value::Null, failure.body()),
        };
        self.tasks.push(json!({
            "uid": uid,
            "batchUid": uid,
            "indexUid": index_uid,
            "status": status,
            "type": kind,
            "canceledBy": null,
            "details": details,
            "error": error,
            "duration": "PT0.001S",
            "enqueuedAt": now,
            "startedAt": now,
            "finishedAt": now,
        }));
        (
            202,
            json!({
                "taskUid": uid,
                "indexUid": index_uid,
                "status": "enqueued",
                "type": kind,
                "enqueuedAt": now,
            }),
        )
    }

    fn create_index(&mut self, body: &[u8]) -> Result<Reply, Reply> {
        let request = object_body(body)?;
        let Some(uid) = request.get("uid").and_then(Value::as_str) else {
            return Err(failure("missing_index_uid", "Missing field `uid`.").reply(400));
        };
        if !valid_uid(uid) {
            return Err(failure(
                "invalid_index_uid",
                format!("`{uid}` is not a valid index uid."),
            )
            .reply(400));
        }
        let primary_key = request
            .get("primaryKey")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let outcome = if self.indexes.contains_key(uid) {
            Err(failure(
                "index_already_exists",
                format!("Index `{uid}` already exists."),
            ))
        } else {
            self.indexes
                .insert(uid.to_owned(), Index::new(primary_key.clone()));
            Ok(json!({"primaryKey": primary_key}))
        };
        Ok(self.enqueue(Some(uid), "indexCreation", outcome))
    }

    /// `[{"indexes": ["a", "b"], "rename": false}, …]`: all swapped (or `a`
    /// renamed `b`), or none when an index is missing.
    fn swap_indexes(&mut self, body: &[u8]) -> Result<Reply, Reply> {
        let invalid = || {
            failure(
                "invalid_swap_indexes",
                "Expected an array of `{\"indexes\": [\"a\", \"b\"]}` swaps.",
            )
            .reply(400)
        };
        let Value::Array(items) = json_body(body)? else {
            return Err(invalid());
        };
        let mut swaps: Vec<(String, String, bool)> = Vec::new();
        for item in &items {
            let names = item.get("indexes").and_then(Value::as_array);
            let Some([Value::String(first), Value::String(second)]) = names.map(Vec::as_slice)
            else {
                return Err(invalid());
            };
            let rename = item.get("rename").and_then(Value::as_bool).unwrap_or(false);
            swaps.push((first.clone(), second.clone(), rename));
        }
        let details = json!({
            "swaps": swaps
                .iter()
                .map(|(first, second, rename)| json!({"indexes": [first, second], "rename": rename}))
                .collect::<Vec<_>>(),
        });
        let missing: Vec<String> = swaps
            .iter()
            .flat_map(|(first, second, rename)| {
                if *rename {
                    vec![first]
                } else {
                    vec![first, second]
                }
            })
            .filter(|uid| !self.indexes.contains_key(uid.as_str()))
            .map(|uid| format!("`{uid}`"))
            .collect();
        let taken = swaps
            .iter()
            .find(|(_, second, rename)| *rename && self.indexes.contains_key(second));
        let outcome = if !missing.is_empty() {
            Err(failure(
                "index_not_found",
                format!("Indexes {} not found.", missing.join(", ")),
            ))
        } else if let Some((_, second, _)) = taken {
            Err(failure(
                "index_already_exists",
                format!("Index `{second}` already exists."),
            ))
        } else {
            for (first, second, rename) in &swaps {
                let moved = self.indexes.remove(first);
                let other = if *rename {
                    None
                } else {
                    self.indexes.remove(second)
                };
                if let Some(index) = other {
                    self.indexes.insert(first.clone(), index);
                }
                if let Some(index) = moved {
                    self.indexes.insert(second.clone(), index);
                }
            }
            Ok(details)
        };
        Ok(self.enqueue(None, "indexSwap", outcome))
    }

    /// Several searches at once, each naming its `indexUid` (not federated).
    fn multi_search(&self, body: &[u8]) -> Result<Reply, Reply> {
        let request = object_body(body)?;
        if request
            .get("federation")
            .is_some_and(|federation| !federation.is_null())
        {
            return Err(failure(
                "bad_request",
                "The fake Meilisearch does not do federated multi-search.",
            )
            .reply(400));
        }
        let Some(queries) = request.get("queries").and_then(Value::as_array) else {
            return Err(failure("bad_request", "Missing field `queries`.").reply(400));
        };
        let mut results = Vec::new();
        for query in queries {
            let Some(query) = query.as_object() else {
                return Err(failure("bad_request", "Each query must be an object.").reply(400));
            };
            let Some(uid) = query.get("indexUid").and_then(Value::as_str) else {
                return Err(failure("missing_index_uid", "Missing field `indexUid`.").reply(400));
            };
            let mut result =
                search::search(self.existing(uid)?, query).map_err(|failure| failure.reply(400))?;
            if let Value::Object(fields) = &mut result {
                fields.insert("indexUid".to_owned(), json!(uid));
            }
            results.push(result);
        }
        Ok((200, json!({"results": results})))
    }
}

#[cfg(test)]
mod tests;
