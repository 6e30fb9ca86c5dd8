//! Friendships made through the API, for tests whose subject is something else.

use serde_json::{Value, json};

use super::TestApp;
use super::app::TestUser;

impl TestApp {
    /// `from` asks `to` (a handle) to be friends; the created request.
    pub async fn send_friend_request(&self, from: &TestUser, to: &str) -> Value {
        let response = self
            .post_as(
                "/api/v1/friends/requests",
                &from.access_token,
                &json!({"handle": to}),
            )
            .await;
        assert_eq!(response.status(), 201, "friend request to {to}");
        response.json().await.expect("json")
    }

    /// Makes `one` and `other` (whose handle is `other_handle`) friends.
    pub async fn befriend(&self, one: &TestUser, other: &TestUser, other_handle: &str) {
        let sent = self.send_friend_request(one, other_handle).await;
        let id = sent["request"]["id"].as_str().expect("request id");
        let accepted = self
            .post_as(
                &format!("/api/v1/friends/requests/{id}/accept"),
                &other.access_token,
                &json!({}),
            )
            .await;
        assert_eq!(accepted.status(), 204);
    }

    /// `GET /api/v1/me` as the holder of `token`.
    pub async fn me(&self, token: &str) -> Value {
        self.get("/api/v1/me", Some(token))
            .await
            .json()
            .await
            .expect("json")
    }
}
