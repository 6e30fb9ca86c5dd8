//! The forum through its API: a fixture with an admin, a moderator and two
//! members, and small helpers for topics and posts, for the forum's tests.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use super::TestApp;
use super::app::TestUser;

/// A server with an admin (`boss`), a moderator (`mona`) and two members
/// (`ursula` and `victor`), each signed in.
pub struct Forum {
    pub app: TestApp,
    pub boss: TestUser,
    pub mona: TestUser,
    pub ursula: TestUser,
    pub victor: TestUser,
}

impl Forum {
    pub async fn start() -> Self {
        let app = TestApp::spawn_with(&[("NOXCHAT_ADMIN_EMAILS", "boss@example.org")]).await;
        let boss = app.signed_up_user("boss").await;
        let mona = app.signed_up_user("mona").await;
        let ursula = app.signed_up_user("ursula").await;
        let victor = app.signed_up_user("victor").await;
        assert_eq!(
            app.put_as("/api/v1/moderators/mona", &boss.access_token)
                .await
                .status(),
            204,
            "mona becomes a moderator"
        );
        Self {
            app,
            boss,
            mona,
            ursula,
            victor,
        }
    }
}

impl TestApp {
    /// `PUT` with a JSON body, as the holder of `token`.
    pub async fn put_json_as(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::PUT, path)
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Any request, signed in when there is a token, with a JSON body when
    /// there is one.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.request(method, path);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }

    /// `GET`, signed in or not, expecting 200; the body.
    pub async fn get_ok(&self, path: &str, token: Option<&str>) -> Value {
        json_of(self.get(path, token).await, 200).await
    }

    /// Opens a topic in the category `slug`; the answer's `{topic, post}`.
    pub async fn create_topic(&self, token: &str, slug: &str, title: &str, body: &str) -> Value {
        let response = self
            .post_as(
                &format!("/api/v1/categories/{slug}/topics"),
                token,
                &json!({"title": title, "body": body}),
            )
            .await;
        json_of(response, 201).await
    }

    /// Replies in a topic; the new post.
    pub async fn reply(&self, token: &str, topic_id: &str, body: &str) -> Value {
        let response = self
            .post_as(
                &format!("/api/v1/topics/{topic_id}/posts"),
                token,
                &json!({"body": body}),
            )
            .await;
        json_of(response, 201).await
    }

    /// `GET /api/v1/topics/{id}`.
    pub async fn topic(&self, id: &str, token: Option<&str>) -> Value {
        self.get_ok(&format!("/api/v1/topics/{id}"), token).await
    }

    /// `GET /api/v1/posts/{id}`.
    pub async fn forum_post(&self, id: &str, token: Option<&str>) -> Value {
        self.get_ok(&format!("/api/v1/posts/{id}"), token).await
    }

    /// The category's `topic_count`.
    pub async fn topic_count(&self, slug: &str) -> i64 {
        let category = self
            .get_ok(&format!("/api/v1/categories/{slug}"), None)
            .await;
        category["topic_count"].as_i64().expect("topic_count")
    }

    /// `stats` of a public profile.
    pub async fn stats(&self, handle: &str) -> Value {
        self.get_ok(&format!("/api/v1/users/{handle}"), None).await["stats"].clone()
    }

    /// Every page of a list, following `next_cursor` to the end; `path` may
    /// have a query string but no cursor.
    pub async fn pages(&self, path: &str, token: Option<&str>) -> Vec<Value> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut pages = vec![self.get_ok(path, token).await];
        while let Some(cursor) = pages.last().and_then(|p| p["next_cursor"].as_str()) {
            assert!(pages.len() < 50, "a list that never ends");
            let next = format!("{path}{separator}cursor={cursor}");
            pages.push(self.get_ok(&next, token).await);
        }
        pages
    }
}

/// Asserts the status (showing the body when it differs); the body as JSON.
pub async fn json_of(response: Response, status: u16) -> Value {
    let actual = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "{text}");
    serde_json::from_str(&text).expect("json")
}

/// An id nothing has.
pub fn unknown_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The `id` of a JSON object.
pub fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

/// The items of a page (or of pages, one after another).
pub fn items(pages: &[Value]) -> Vec<Value> {
    pages
        .iter()
        .flat_map(|page| page["items"].as_array().expect("items").clone())
        .collect()
}

/// The numbers of a page's posts, in order.
pub fn numbers(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|post| post["number"].as_i64().expect("number"))
        .collect()
}

/// The values of a string field of each item, in order.
pub fn strings(items: &[Value], field: &str) -> Vec<String> {
    items
        .iter()
        .map(|item| item[field].as_str().expect(field).to_owned())
        .collect()
}
