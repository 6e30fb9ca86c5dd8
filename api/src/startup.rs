//! Builds the application: database, background workers and the HTTP server,
//! bound before it runs so tests can use port 0 and learn the real port.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use lettre::message::Mailbox;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{Config, ConfigError};
use crate::db::{self, DbSetupError};
use crate::http::client_ip::TrustedProxies;
use crate::http::extractors::{json_config, path_config, query_config};
use crate::http::request_log::log_requests;
use crate::http::spa::{SpaDir, serve_or_not_found};
use crate::mail::{self, MailTransport, MailWaker};
use crate::state::AppState;
use crate::{accounts, openapi};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Database(#[from] DbSetupError),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("start-up task failed: {0}")]
    Task(String),
}

pub struct Application {
    server: Server,
    port: u16,
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let database_url = config.database_url.clone();
        let applied = web::block(move || db::prepare(&database_url))
            .await
            .map_err(|e| StartupError::Task(e.to_string()))??;
        if applied > 0 {
            tracing::info!(migrations = applied, "database migrations applied");
        }
        let database_url = config.database_url.clone();
        let pool_size = config.db_pool_size;
        let pool = web::block(move || db::build_pool(&database_url, pool_size))
            .await
            .map_err(|e| StartupError::Task(e.to_string()))??;

        let transport = MailTransport::from_config(&config)?;
        let from: Mailbox = config.mail_from.parse().map_err(|_| ConfigError {
            variable: "NOXCHAT_MAIL_FROM",
            problem: "not a mailbox".into(),
        })?;
        let waker = MailWaker::default();
        let mail_worker = mail::spawn_worker(pool.clone(), transport, from, waker.clone());

        let listener = TcpListener::bind(config.bind).map_err(|source| StartupError::Bind {
            address: config.bind.to_string(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind {
                address: config.bind.to_string(),
                source,
            })?
            .port();
        let workers = config.workers;
        let trusted = web::Data::new(TrustedProxies(config.trusted_proxies.clone()));
        let spa = web::Data::new(SpaDir(config.spa_dir.clone()));
        let state = web::Data::new(AppState::new(pool, config, waker));
        let housekeeping = spawn_housekeeping(state.clone());

        let server = HttpServer::new(move || {
            let (app, api) =
                openapi::with_api_routes(App::new().into_utoipa_app()).split_for_parts();
            app.app_data(state.clone())
                .app_data(trusted.clone())
                .app_data(spa.clone())
                .app_data(json_config())
                .app_data(query_config())
                .app_data(path_config())
                .service(web::redirect("/api/docs", "/api/docs/"))
                .service(
                    SwaggerUi::new("/api/docs/{_:.*}")
                        .url("/api/openapi.json", openapi::finish(api)),
                )
                .default_service(web::to(serve_or_not_found))
                .wrap(from_fn(log_requests))
        })
        .workers(workers)
        .shutdown_timeout(10)
        .listen(listener)
        .map_err(|source| StartupError::Bind {
            address: format!("port {port}"),
            source,
        })?
        .run();
        Ok(Self {
            server,
            port,
            background: vec![mail_worker, housekeeping],
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Lets another task or thread stop the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped (SIGINT/SIGTERM), then stops the
    /// background workers.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        for task in self.background {
            task.abort();
        }
        result
    }
}

/// Periodic clean-up: forgotten sessions and idle rate-limit buckets.
fn spawn_housekeeping(state: web::Data<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(15 * 60));
        loop {
            every.tick().await;
            state.rate_limits.forget_idle_keys();
            let now = chrono::Utc::now();
            let removed = db::run(&state.pool, move |conn| {
                let tokens = accounts::queries::delete_rotated_refresh_tokens_before(
                    conn,
                    now - chrono::Duration::days(7),
                )?;
                let sessions = accounts::queries::delete_sessions_ended_before(
                    conn,
                    now - chrono::Duration::days(30),
                )?;
                Ok(tokens + sessions)
            })
            .await;
            match removed {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "old sessions and refresh tokens removed"),
                Err(error) => tracing::warn!(%error, "session clean-up failed"),
            }
        }
    })
}
