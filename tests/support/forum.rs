//! The forum through its API: a fixture with an admin, a moderator and two
//! members, and small helpers for topics and posts, for the forum's tests.

use std::time::Duration;

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
        Self::start_with(&[]).await
    }

    /// The same, with more settings for the server.
    pub async fn start_with(settings: &[(&str, &str)]) -> Self {
        let mut all = vec![("NOXCHAT_ADMIN_EMAILS", "boss@example.org")];
        all.extend_from_slice(settings);
        let app = TestApp::spawn_with(&all).await;
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

    /// Answers post `number` of a topic; the new post.
    pub async fn reply_to(&self, token: &str, topic_id: &str, number: i64, body: &str) -> Value {
        let response = self
            .post_as(
                &format!("/api/v1/topics/{topic_id}/posts"),
                token,
                &json!({"body": body, "reply_to": number}),
            )
            .await;
        json_of(response, 201).await
    }

    /// Likes a post, expecting 200.
    pub async fn like(&self, token: &str, post_id: &str) {
        let response = self
            .put_as(&format!("/api/v1/posts/{post_id}/like"), token)
            .await;
        json_of(response, 200).await;
    }

    /// Sets how closely the holder of `token` watches a topic.
    pub async fn watch(&self, token: &str, topic_id: &str, level: &str) {
        let response = self
            .put_json_as(
                &format!("/api/v1/topics/{topic_id}/watch"),
                token,
                &json!({"level": level}),
            )
            .await;
        assert_eq!(json_of(response, 200).await, json!({"level": level}));
    }

    /// The first page of my notifications, newest first.
    pub async fn notifications(&self, token: &str) -> Vec<Value> {
        let page = self.get_ok("/api/v1/notifications", Some(token)).await;
        page["items"].as_array().expect("items").clone()
    }

    /// How many of my notifications are unread.
    pub async fn unread_notifications(&self, token: &str) -> i64 {
        let body = self
            .get_ok("/api/v1/notifications/unread-count", Some(token))
            .await;
        body["unread_count"].as_i64().expect("unread_count")
    }

    /// Waits (ten seconds at most) until I have at least `count` unread
    /// notifications, as those of a new post come just after it; the first
    /// page of my notifications then.
    pub async fn wait_for_notifications(&self, token: &str, count: i64) -> Vec<Value> {
        for _ in 0..100 {
            if self.unread_notifications(token).await >= count {
                return self.notifications(token).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let inbox = self.notifications(token).await;
        panic!("never {count} unread notifications; there are {inbox:#?}");
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

    /// Bans `handle` as the holder of `token`, for `reason`, until `until`
    /// (`None`: for good), expecting 200; the ban.
    pub async fn ban(&self, token: &str, handle: &str, reason: &str, until: Option<&str>) -> Value {
        let response = self
            .put_json_as(
                &format!("/api/v1/bans/{handle}"),
                token,
                &json!({"reason": reason, "until": until}),
            )
            .await;
        json_of(response, 200).await
    }

    /// The handles of the people banned now, the latest ban first, as the
    /// holder of `token` reads them.
    pub async fn banned(&self, token: &str) -> Vec<String> {
        let bans = items(&self.pages("/api/v1/bans", Some(token)).await);
        bans.iter()
            .map(|ban| ban["user"]["handle"].as_str().expect("handle").to_owned())
            .collect()
    }

    /// Reports a post as the holder of `token`; the answer.
    pub async fn report(&self, token: &str, post_id: &str, reason: &str) -> Response {
        self.post_as(
            &format!("/api/v1/posts/{post_id}/report"),
            token,
            &json!({"reason": reason}),
        )
        .await
    }

    /// Every report with this `status`, in the list's order, as a moderator
    /// (the holder of `token`) reads them.
    pub async fn reports(&self, token: &str, status: &str) -> Vec<Value> {
        items(
            &self
                .pages(&format!("/api/v1/reports?status={status}"), Some(token))
                .await,
        )
    }

    /// The whole moderation log, newest first, as the holder of `token`
    /// reads it.
    pub async fn moderation_log(&self, token: &str) -> Vec<Value> {
        items(&self.pages("/api/v1/moderation/log", Some(token)).await)
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

/// An RFC 3339 time `hours` from now (in the past when negative), to the
/// second.
pub fn hours_from_now(hours: i64) -> String {
    (chrono::Utc::now() + chrono::TimeDelta::hours(hours))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `path` with a moderator's `reason` added to its query, encoded.
pub fn with_reason(path: &str, reason: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    let reason: String = url::form_urlencoded::byte_serialize(reason.as_bytes()).collect();
    format!("{path}{separator}reason={reason}")
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
