//! The messenger through its API: people who chat (with the ids its calls
//! take), direct conversations, rooms, messages and read marks, for the
//! chat's tests.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use super::TestApp;
use super::app::{TestUser, assert_problem};
use super::forum::{items, json_of};
use super::socket::Socket;

/// A signed-up person as the messenger knows them: handle, id, and a
/// signed-in device.
pub struct Chatter {
    pub handle: String,
    pub id: String,
    pub user: TestUser,
}

impl Chatter {
    /// The access token of the device they signed up on.
    pub fn token(&self) -> &str {
        &self.user.access_token
    }
}

impl TestApp {
    /// Registers `handle` and signs in; with the user's id.
    pub async fn chatter(&self, handle: &str) -> Chatter {
        let user = self.signed_up_user(handle).await;
        let id = self.me(&user.access_token).await["id"]
            .as_str()
            .expect("id")
            .to_owned();
        Chatter {
            handle: handle.to_owned(),
            id,
            user,
        }
    }

    /// Signs `chatter` in on another device; that device's access token.
    pub async fn second_device(&self, chatter: &Chatter) -> String {
        self.login_user(&chatter.handle).await.access_token
    }

    /// Makes `one` and `other` friends.
    pub async fn make_friends(&self, one: &Chatter, other: &Chatter) {
        self.befriend(&one.user, &other.user, &other.handle).await;
    }

    /// Sets who may message `chatter`: "everyone", "friends" or "nobody".
    pub async fn set_message_privacy(&self, chatter: &Chatter, privacy: &str) {
        let response = self
            .patch_as(
                "/api/v1/me",
                chatter.token(),
                &json!({"message_privacy": privacy}),
            )
            .await;
        assert_eq!(json_of(response, 200).await["message_privacy"], privacy);
    }

    /// `blocker` blocks `blocked`.
    pub async fn block(&self, blocker: &Chatter, blocked: &Chatter) {
        let response = self
            .put_as(
                &format!("/api/v1/blocks/{}", blocked.handle),
                blocker.token(),
            )
            .await;
        assert_eq!(response.status(), 204, "block {}", blocked.handle);
    }

    /// `POST /api/v1/conversations/direct` with `user_id`.
    pub async fn open_direct(&self, token: &str, user_id: &str) -> Response {
        self.post_as(
            "/api/v1/conversations/direct",
            token,
            &json!({"user_id": user_id}),
        )
        .await
    }

    /// `from`'s direct conversation with `to`, opened or found (201 or 200).
    pub async fn direct(&self, from: &Chatter, to: &Chatter) -> Value {
        let response = self.open_direct(from.token(), &to.id).await;
        let status = if response.status() == 200 { 200 } else { 201 };
        json_of(response, status).await
    }

    /// `POST /api/v1/conversations/rooms`.
    pub async fn create_room(&self, token: &str, title: &str, member_ids: &[&str]) -> Response {
        self.post_as(
            "/api/v1/conversations/rooms",
            token,
            &json!({"title": title, "member_ids": member_ids}),
        )
        .await
    }

    /// A room `owner` creates with `members`, expecting 201; the room.
    pub async fn room(&self, owner: &Chatter, title: &str, members: &[&Chatter]) -> Value {
        let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
        json_of(self.create_room(owner.token(), title, &ids).await, 201).await
    }

    /// `GET /api/v1/conversations/{id}`, expecting 200.
    pub async fn conversation(&self, token: &str, id: &str) -> Value {
        json_of(self.get(&conversation_path(id), Some(token)).await, 200).await
    }

    /// My whole chat list, page after page, in its order.
    pub async fn chat_list(&self, token: &str) -> Vec<Value> {
        items(&self.pages("/api/v1/conversations", Some(token)).await)
    }

    /// `POST /api/v1/conversations/{id}/messages` with `body`.
    pub async fn post_message(&self, token: &str, conversation_id: &str, body: &Value) -> Response {
        self.post_as(
            &format!("{}/messages", conversation_path(conversation_id)),
            token,
            body,
        )
        .await
    }

    /// Sends `text` with a fresh client id, expecting 201; the message.
    pub async fn say(&self, token: &str, conversation_id: &str, text: &str) -> Value {
        let body = json!({"client_id": client_id(), "body": text});
        json_of(self.post_message(token, conversation_id, &body).await, 201).await
    }

    /// `GET /api/v1/conversations/{id}/messages{query}` (`query` empty or
    /// starting with `?`), expecting 200.
    pub async fn history(&self, token: &str, conversation_id: &str, query: &str) -> Value {
        let path = format!("{}/messages{query}", conversation_path(conversation_id));
        json_of(self.get(&path, Some(token)).await, 200).await
    }

    /// Marks a conversation read up to `seq`, expecting 200; the answer.
    pub async fn mark_read(&self, token: &str, conversation_id: &str, seq: i64) -> Value {
        let response = self
            .post_as(
                &format!("{}/read", conversation_path(conversation_id)),
                token,
                &json!({"seq": seq}),
            )
            .await;
        json_of(response, 200).await
    }

    /// Uploads a picture from `tests/fixtures/images`, expecting 201; the
    /// picture.
    pub async fn chat_picture(&self, token: &str, fixture: &str) -> Value {
        let bytes = std::fs::read(format!(
            "{}/fixtures/images/{fixture}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture");
        let part = reqwest::multipart::Part::bytes(bytes).file_name(fixture.to_owned());
        let response = self
            .request(Method::POST, "/api/v1/uploads")
            .bearer_auth(token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("request sent");
        json_of(response, 201).await
    }

    /// `POST /api/v1/conversations/{id}/members` with `user_id`.
    pub async fn add_member(&self, token: &str, id: &str, user_id: &str) -> Response {
        self.post_as(
            &format!("{}/members", conversation_path(id)),
            token,
            &json!({"user_id": user_id}),
        )
        .await
    }

    /// `counts.unread_messages` of a fresh connection's `ready`.
    pub async fn unread_at_ready(&self, token: &str) -> Value {
        let (socket, ready) = self.socket(token).await;
        socket.close().await;
        ready["counts"]["unread_messages"].clone()
    }
}

/// `/api/v1/conversations/{id}`.
pub fn conversation_path(id: &str) -> String {
    format!("/api/v1/conversations/{id}")
}

/// `/api/v1/conversations/{id}/members/{user_id}`, to remove them.
pub fn member_path(id: &str, user_id: &str) -> String {
    format!("{}/members/{user_id}", conversation_path(id))
}

/// Every call on conversation `id`, each as a member (`member_id` being
/// one) could make it, with a body where it takes one.
pub fn conversation_calls(id: &str, member_id: &str) -> Vec<(Method, String, Option<Value>)> {
    let path = conversation_path(id);
    let message = json!({"client_id": client_id(), "body": "Let me in"});
    vec![
        (Method::GET, path.clone(), None),
        (Method::PATCH, path.clone(), Some(json!({"title": "Mine"}))),
        (
            Method::POST,
            format!("{path}/members"),
            Some(json!({"user_id": member_id})),
        ),
        (Method::DELETE, member_path(id, member_id), None),
        (Method::PUT, format!("{path}/mute"), None),
        (Method::DELETE, format!("{path}/mute"), None),
        (Method::GET, format!("{path}/messages"), None),
        (Method::POST, format!("{path}/messages"), Some(message)),
        (
            Method::PATCH,
            format!("{path}/messages/1"),
            Some(json!({"body": "Mine"})),
        ),
        (Method::DELETE, format!("{path}/messages/1"), None),
        (
            Method::POST,
            format!("{path}/read"),
            Some(json!({"seq": 1})),
        ),
    ]
}

/// A fresh client id for a message.
pub fn client_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The seqs of a page of messages, in its order.
pub fn seqs(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|message| message["seq"].as_i64().expect("seq"))
        .collect()
}

/// The bodies of a page of messages, in its order.
pub fn bodies(page: &Value) -> Vec<Value> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|message| message["body"].clone())
        .collect()
}

/// The ids of a conversation's members, sorted.
pub fn member_ids(conversation: &Value) -> Vec<String> {
    let mut ids: Vec<String> = conversation["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|member| member["id"].as_str().expect("member id").to_owned())
        .collect();
    ids.sort();
    ids
}

/// The ids of these people, sorted, to compare with `member_ids`.
pub fn ids_of(people: &[&Chatter]) -> Vec<String> {
    let mut ids: Vec<String> = people.iter().map(|p| p.id.clone()).collect();
    ids.sort();
    ids
}

/// The entry of a chat list for conversation `id`.
pub fn entry<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|conversation| conversation["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in {list:#?}"))
}

/// Asserts that two wire messages are the same message in the same state
/// (times aside, which may be written at different precisions).
pub fn assert_same_message(actual: &Value, expected: &Value) {
    for field in [
        "id",
        "conversation_id",
        "seq",
        "client_id",
        "body",
        "images",
        "deleted",
    ] {
        assert_eq!(actual[field], expected[field], "{field} of {actual}");
    }
    assert_eq!(actual["sender"]["id"], expected["sender"]["id"], "{actual}");
    assert_eq!(
        actual["edited_at"].is_null(),
        expected["edited_at"].is_null(),
        "{actual}"
    );
}

/// Asserts that a message's picture is this upload.
pub fn assert_picture_of(image: &Value, upload: &Value) {
    for field in [
        "id",
        "url",
        "width",
        "height",
        "thumbnail_url",
        "thumbnail_width",
        "thumbnail_height",
    ] {
        assert_eq!(image[field], upload[field], "{field} of {image}");
    }
}

/// Asserts that sending in conversation `id` with `token` is refused with
/// `cannot_message`.
pub async fn assert_cannot_send(app: &TestApp, token: &str, id: &str) {
    let body = json!({"client_id": client_id(), "body": "Still there?"});
    assert_problem(
        app.post_message(token, id, &body).await,
        403,
        "cannot_message",
    )
    .await;
}

/// Asserts `who` no longer has conversation `id`: 404 for it and for its
/// messages, read or sent, and it is out of their list.
pub async fn assert_shut_out(app: &TestApp, who: &Chatter, id: &str) {
    let path = conversation_path(id);
    let body = json!({"client_id": client_id(), "body": "Hello?"});
    for response in [
        app.get(&path, Some(who.token())).await,
        app.get(&format!("{path}/messages"), Some(who.token()))
            .await,
        app.post_message(who.token(), id, &body).await,
    ] {
        assert_problem(response, 404, "conversation_not_found").await;
    }
    let list = app.chat_list(who.token()).await;
    assert!(
        list.iter().all(|conversation| conversation["id"] != id),
        "{list:?}"
    );
}

/// The next event on `socket`, which must be a `kind`: its `event`.
pub async fn next_event(socket: &mut Socket, kind: &str) -> Value {
    let frame = socket.event().await;
    assert_eq!(frame["event"]["type"], kind, "{frame}");
    frame["event"].clone()
}

/// Asserts a 422 problem document, whatever its code; returns it.
pub async fn assert_unprocessable(response: Response) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let problem = json_of(response, 422).await;
    assert_eq!(content_type, "application/problem+json", "{problem}");
    assert_eq!(problem["status"], 422, "{problem}");
    assert!(problem["code"].is_string(), "{problem}");
    problem
}
