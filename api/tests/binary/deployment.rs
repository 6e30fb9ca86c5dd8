//! Two `noxchat serve` instances on one database with a private Redis, and
//! the people who use them: signed up through the real mail outbox and
//! signed in over HTTP, as any client would.

use serde_json::{Value, json};

use super::redis::RedisServer;
use super::{RunningBinary, drop_database, fresh_database_name, serve_on};

/// Everyone's password.
pub const PASSWORD: &str = "correct horse battery";

/// Two instances and their Redis. Mail is sent by the first only, so the
/// registration links are found in its outbox.
pub struct Deployment {
    pub redis: RedisServer,
    pub first: RunningBinary,
    pub second: RunningBinary,
    pub database: String,
    pub client: reqwest::Client,
}

/// Someone signed up and signed in: an access token and their id.
pub struct Person {
    pub token: String,
    pub id: Value,
}

/// Registers `handle` on `on` (whose outbox gets the link) and signs in.
pub async fn person(client: &reqwest::Client, on: &RunningBinary, handle: &str) -> Person {
    let body = json!({
        "email": format!("{handle}@example.org"),
        "handle": handle,
        "display_name": handle,
        "password": PASSWORD,
    });
    assert_eq!(on.register(client, &body).await, 201);
    let token = sign_in(client, on, handle).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me: Value = client
        .get(format!("{}/api/v1/me", on.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Person {
        token,
        id: me["id"].clone(),
    }
}

/// Both tokens of a new session of `handle`, signed in on `on`.
pub async fn sign_in(client: &reqwest::Client, on: &RunningBinary, handle: &str) -> Value {
    client
        .post(format!("{}/api/v1/auth/login", on.base))
        .json(&json!({"login": handle, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

impl Deployment {
    pub async fn start() -> Self {
        Self::start_with(&[], [&[], &[]]).await
    }

    /// With `shared` settings for both instances and each one's own.
    pub async fn start_with(shared: &[(&str, &str)], own: [&[(&str, &str)]; 2]) -> Self {
        let redis = RedisServer::start().await;
        let database = fresh_database_name();
        let url = redis.url();
        let mut common = vec![
            ("REDIS_URL", url.as_str()),
            ("NOXCHAT_PRESENCE_GRACE_MS", "300"),
            ("NOXCHAT_RATE_LIMITS", "off"),
        ];
        common.extend_from_slice(shared);
        let first = serve_on(&database, &[common.as_slice(), own[0]].concat()).await;
        assert!(first.ready, "the first instance did not start");
        let mut second_settings = [common.as_slice(), own[1]].concat();
        second_settings.push(("NOXCHAT_JOB_WORKERS", "0"));
        let second = serve_on(&database, &second_settings).await;
        assert!(second.ready, "the second instance did not start");
        Self {
            redis,
            first,
            second,
            database,
            client: reqwest::Client::new(),
        }
    }

    /// Registers `handle` (on the first instance) and signs in there.
    pub async fn person(&self, handle: &str) -> Person {
        person(&self.client, &self.first, handle).await
    }

    /// Both tokens of a new session, signed in on instance `on`.
    pub async fn sign_in(&self, on: &RunningBinary, handle: &str) -> Value {
        sign_in(&self.client, on, handle).await
    }

    /// `from` asks `to` (a handle) to be friends, on instance `on`.
    pub async fn request(&self, on: &RunningBinary, from: &Person, to: &str) -> Value {
        let response = self
            .client
            .post(format!("{}/api/v1/friends/requests", on.base))
            .bearer_auth(&from.token)
            .json(&json!({"handle": to}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// `one` asks on the first instance, `other` accepts on the second.
    pub async fn befriend(&self, one: &Person, other: &Person, other_handle: &str) {
        let sent = self.request(&self.first, one, other_handle).await;
        let id = sent["request"]["id"].as_str().unwrap();
        let accepted = self
            .client
            .post(format!(
                "{}/api/v1/friends/requests/{id}/accept",
                self.second.base
            ))
            .bearer_auth(&other.token)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(accepted.status(), 204);
    }

    /// Stops both instances with SIGTERM (no panic in their logs), drops
    /// the database and stops Redis.
    pub async fn finish(self) {
        for instance in [self.first, self.second] {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &instance.process.id().to_string()])
                .status();
            let (_, logs) = instance.finish(std::time::Duration::from_secs(10)).await;
            assert!(!logs.contains("panicked"), "{logs}");
        }
        drop_database(&self.database);
        drop(self.redis);
    }
}
