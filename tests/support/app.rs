//! The real server, started in-process on a random port against the test's
//! own database, and a client that talks to it like any third party would.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use noxchat::config::Config;
use noxchat::core::Clock;
use noxchat::startup::{Application, Services};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};

use super::database::TestDatabase;
use super::mail::{ReceivedMail, outbox_mails, wait_for_outbox};

pub const PASSWORD: &str = "correct horse battery";
pub const SECRET: &str = "test-secret-test-secret-test-secret-42";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub data_dir: PathBuf,
    /// `http://127.0.0.1:<port>` of `/metrics`, when `NOXCHAT_METRICS_BIND` was set.
    pub metrics_address: Option<String>,
    server: Option<RunningServer>,
    /// Where search runs when the tests run against Meilisearch.
    pub search_backend: Option<super::search_backend::SearchBackend>,
    // Declared last: dropped after the server has stopped using it. Shared
    // by the instances of a test that runs several on one database.
    pub db: Arc<TestDatabase>,
}

/// The server runs on a thread of its own with its own actix system, so it
/// can be stopped and joined when the test ends, before its database goes.
struct RunningServer {
    handle: noxchat::startup::StopHandle,
    thread: std::thread::JoinHandle<()>,
}

impl RunningServer {
    fn start(config: Config, services: Services) -> (u16, Option<u16>, Self) {
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build_with(config, services)
                    .await
                    .expect("server starts");
                sender
                    .send((app.port(), app.metrics_port(), app.handle()))
                    .expect("report port");
                app.run_until_stopped().await.expect("server runs");
            });
        });
        let (port, metrics_port, handle) = receiver.recv().expect("server started");
        (port, metrics_port, Self { handle, thread })
    }

    fn stop(self) {
        let handle = self.handle;
        // `stop` is a future; drive it from a plain thread, since the test's
        // own runtime may be the one dropping us.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(handle.stop(false));
        })
        .join();
        let _ = self.thread.join();
    }
}

/// A registered user and a fresh sign-in.
pub struct TestUser {
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// Starts the server with extra settings, e.g. `("NOXCHAT_RATE_LIMITS", "on")`.
    pub async fn spawn_with(settings: &[(&str, &str)]) -> Self {
        Self::spawn_custom(settings, Clock::system(), None).await
    }

    /// Starts a second instance on this one's database, as another server
    /// process of the same deployment would be.
    pub async fn spawn_beside(&self, settings: &[(&str, &str)]) -> Self {
        Self::spawn_custom(settings, Clock::system(), Some(self.db.clone())).await
    }

    /// Starts the server with settings, a clock of the test's choosing, and
    /// on a given database (a fresh one when `None`).
    pub async fn spawn_custom(
        settings: &[(&str, &str)],
        clock: Clock,
        db: Option<Arc<TestDatabase>>,
    ) -> Self {
        if std::env::var_os("NOXCHAT_TEST_LOG").is_some() {
            // No log files: nothing to keep the guard for.
            let _ = noxchat::telemetry::init(noxchat::config::LogFormat::Text, None);
        }
        let db = match db {
            Some(db) => db,
            None => Arc::new(
                tokio::task::spawn_blocking(TestDatabase::create)
                    .await
                    .expect("create database"),
            ),
        };
        let data_dir = std::env::temp_dir().join(format!("noxchat-test-{}", uuid::Uuid::new_v4()));
        let mut env: HashMap<String, String> = [
            ("DATABASE_URL", db.url.as_str()),
            ("NOXCHAT_BIND", "127.0.0.1:0"),
            ("NOXCHAT_PUBLIC_URL", "http://noxchat.test"),
            ("NOXCHAT_SECRET", SECRET),
            ("NOXCHAT_RATE_LIMITS", "off"),
            ("NOXCHAT_WORKERS", "1"),
            ("NOXCHAT_DB_POOL_SIZE", "4"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        env.insert("NOXCHAT_DATA_DIR".into(), data_dir.display().to_string());
        env.insert(
            "NOXCHAT_SPA_DIR".into(),
            data_dir.join("no-web-app").display().to_string(),
        );
        let search_backend = super::search_backend::SearchBackend::for_tests().await;
        if let Some(backend) = &search_backend {
            env.extend(backend.settings());
        }
        for (key, value) in settings {
            env.insert((*key).to_owned(), (*value).to_owned());
        }
        // As in the process environment, an empty value is no value.
        env.retain(|_, value| !value.is_empty());
        let config = Config::from_lookup(|name| env.get(name).cloned()).expect("test config");
        let mut services = Services::from_config(&config).expect("test services");
        services.clock = clock;
        let (port, metrics_port, server) = RunningServer::start(config, services);
        let address = format!("http://127.0.0.1:{port}");
        let metrics_address = metrics_port.map(|port| format!("http://127.0.0.1:{port}"));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            address,
            client,
            data_dir,
            metrics_address,
            server: Some(server),
            search_backend,
            db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.request(Method::GET, path);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_as(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Registers `handle` (at `handle@example.org`) and opens the link that
    /// registering emails: the confirmation's answer (201 with the account),
    /// or registering's own when it was refused.
    pub async fn register(&self, handle: &str) -> Response {
        self.register_with(&json!({
            "email": format!("{handle}@example.org"),
            "handle": handle,
            "display_name": format!("{handle} Tester"),
            "password": PASSWORD,
        }))
        .await
    }

    /// Only asks to register `handle`: 202 once the link is on its way.
    pub async fn request_registration(&self, handle: &str) -> Response {
        self.post(
            "/api/v1/auth/register",
            &json!({
                "email": format!("{handle}@example.org"),
                "handle": handle,
                "display_name": format!("{handle} Tester"),
                "password": PASSWORD,
            }),
        )
        .await
    }

    /// Registers with the given body and opens the emailed link, as above.
    pub async fn register_with(&self, body: &Value) -> Response {
        let response = self.post("/api/v1/auth/register", body).await;
        if response.status() != 202 {
            return response;
        }
        let accepted: Value = response.json().await.expect("json");
        let email = accepted["email"].as_str().expect("email").to_owned();
        self.confirm_registration(&email).await
    }

    /// Opens the newest unused registration link mailed to `email`.
    pub async fn confirm_registration(&self, email: &str) -> Response {
        for _ in 0..300 {
            for mail in outbox_mails(&self.data_dir.join("outbox"), email) {
                if !mail.text.contains("/confirm-registration#token=") {
                    continue;
                }
                let token = mail.link_token("/confirm-registration");
                let confirmed = self
                    .post("/api/v1/auth/register/confirm", &json!({"token": token}))
                    .await;
                // 400: a link opened before.
                if confirmed.status() != 400 {
                    return confirmed;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no registration link reached {email}");
    }

    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            &json!({"login": login, "password": password, "remember": true}),
        )
        .await
    }

    /// Registers `handle` and signs in with a client of its own (no shared cookies).
    pub async fn signed_up_user(&self, handle: &str) -> TestUser {
        let response = self.register(handle).await;
        assert_eq!(response.status(), 201, "register {handle}");
        self.login_user(handle).await
    }

    /// Signs in as `handle` (registered already) on another device: a
    /// session of its own.
    pub async fn login_user(&self, handle: &str) -> TestUser {
        let response = reqwest::Client::new()
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"login": handle, "password": PASSWORD}))
            .send()
            .await
            .expect("login sent");
        assert_eq!(response.status(), 200, "login {handle}");
        let body: Value = response.json().await.expect("json");
        TestUser {
            email: format!("{handle}@example.org"),
            access_token: body["access_token"].as_str().expect("access").to_owned(),
            refresh_token: body["refresh_token"].as_str().expect("refresh").to_owned(),
        }
    }

    pub async fn patch_as(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path)
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn delete_as(&self, path: &str, token: &str) -> Response {
        self.request(Method::DELETE, path)
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn put_as(&self, path: &str, token: &str) -> Response {
        self.request(Method::PUT, path)
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    /// Uploads bytes as the avatar, in a multipart field named `file`.
    pub async fn upload_avatar(&self, token: &str, bytes: Vec<u8>, file_name: &str) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        self.request(Method::PUT, "/api/v1/me/avatar")
            .bearer_auth(token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("request sent")
    }

    /// Files stored under the data dir's avatar folder, once the background
    /// jobs that remove replaced files have run.
    pub async fn stored_avatar_files(&self) -> Vec<String> {
        self.db.wait_for_idle_jobs().await;
        let mut names: Vec<String> = std::fs::read_dir(self.data_dir.join("media/avatars"))
            .map(|dir| {
                dir.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Registers with a chosen display name and signs in.
    pub async fn named_user(&self, handle: &str, display_name: &str) -> TestUser {
        let response = self
            .register_with(&json!({
                "email": format!("{handle}@example.org"),
                "handle": handle,
                "display_name": display_name,
                "password": PASSWORD,
            }))
            .await;
        assert_eq!(response.status(), 201, "register {handle}");
        let body: Value = reqwest::Client::new()
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"login": handle, "password": PASSWORD}))
            .send()
            .await
            .expect("login sent")
            .json()
            .await
            .expect("json");
        TestUser {
            email: format!("{handle}@example.org"),
            access_token: body["access_token"].as_str().expect("access").to_owned(),
            refresh_token: body["refresh_token"].as_str().expect("refresh").to_owned(),
        }
    }

    /// Emails to `to` written to the outbox, waiting until there are `count`.
    /// Stops the server as a deployment would (SIGTERM), while the test
    /// goes on.
    pub fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
    }

    pub async fn outbox_mail(&self, to: &str, count: usize) -> Vec<ReceivedMail> {
        wait_for_outbox(&self.data_dir.join("outbox"), to, count).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Asserts a problem document with this status and code; returns it.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem json");
    assert_eq!(body["code"], code, "problem: {body}");
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("urn:noxchat:problem:{code}"));
    body
}
