//! Builds the application: database, services, supervised background tasks
//! and the HTTP server, bound before it runs so tests can use port 0 and
//! learn the real port.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{Config, ConfigError};
use crate::core::Clock;
use crate::db::{self, DbSetupError};
use crate::http::client_ip::TrustedProxies;
use crate::http::extractors::{json_config, path_config, query_config};
use crate::http::request_log::log_requests;
use crate::http::security_headers::add_security_headers;
use crate::http::spa::{SpaDir, serve_or_not_found};
use crate::mail::{MailTransport, Mailer};
use crate::realtime::Realtime;
use crate::realtime::bus::Bus;
use crate::realtime::frames::Counts;
use crate::realtime::hub::Hub;
use crate::state::AppState;
use crate::supervisor::Supervisor;
use crate::{accounts, friends, openapi};

mod signals;
mod tasks;

use signals::StopSignals;
use tasks::start_background_tasks;

/// How long requests in flight, and then each background task, get to
/// finish when the server is asked to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How long WebSocket clients get to take their 1012 close frame.
const SOCKETS_GRACE: Duration = Duration::from_secs(1);

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

/// The implementations the application talks to, chosen in one place: from
/// the configuration in production, by hand in tests.
#[derive(Clone)]
pub struct Services {
    pub mailer: Mailer,
    pub clock: Clock,
}

impl Services {
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        Ok(Self {
            mailer: Mailer::new(
                MailTransport::from_config(config)?,
                config.mail_from.clone(),
            ),
            clock: Clock::system(),
        })
    }
}

pub struct Application {
    server: Server,
    port: u16,
    /// `/metrics` on its own address, when configured, and its port.
    metrics: Option<(Server, u16)>,
    supervisor: Supervisor,
    hub: Arc<Hub>,
    signals: StopSignals,
}

/// Stops a running application: WebSocket clients are told 1012 (service
/// restart) first, then requests in flight finish (when graceful).
#[derive(Clone)]
pub struct StopHandle {
    server: actix_web::dev::ServerHandle,
    hub: Arc<Hub>,
}

impl StopHandle {
    pub async fn stop(&self, graceful: bool) {
        self.hub.close_all(SOCKETS_GRACE).await;
        self.server.stop(graceful).await;
    }
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let services = Services::from_config(&config)?;
        Self::build_with(config, services).await
    }

    pub async fn build_with(config: Config, services: Services) -> Result<Self, StartupError> {
        crate::private_files::create_dir_all(&config.data_dir).map_err(|e| ConfigError {
            variable: "NOXCHAT_DATA_DIR",
            problem: format!("cannot create {}: {e}", config.data_dir.display()),
        })?;
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
        // Upgrades of stored data, and the operator's listed admins.
        let admin_emails = config.admin_emails.clone();
        let mirrored = config.meili.is_some();
        let (converted, promoted) = db::run(&pool, move |conn| {
            // Queue changes for Meilisearch only while it is in use.
            crate::search::meili::indexer::set_mirroring(conn, mirrored)?;
            Ok((
                accounts::queries::convert_legacy_emails(conn)?,
                accounts::admins::promote_listed_admins(conn, &admin_emails)?,
            ))
        })
        .await
        .map_err(|e| StartupError::Task(crate::error::with_causes(&e)))?;
        if converted > 0 {
            tracing::info!(
                emails = converted,
                "international email domains stored in ASCII form"
            );
        }
        if promoted > 0 {
            tracing::info!(accounts = promoted, "listed admin addresses made admins");
        }

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

        let mut supervisor = Supervisor::default();
        let bus = match &config.redis_url {
            Some(url) => Bus::redis(url.expose()).map_err(|error| ConfigError {
                variable: "REDIS_URL",
                problem: error.to_string(),
            })?,
            None => Bus::in_process(),
        };
        let realtime = Realtime::new(config.realtime, ready_counts, bus);
        let meili = match &config.meili {
            Some(settings) => Some(crate::search::meili::Meili::new(settings).map_err(
                |error| ConfigError {
                    variable: "MEILI_URL",
                    problem: error.to_string(),
                },
            )?),
            None => None,
        };
        let hub = Arc::clone(&realtime.hub);
        let state = web::Data::new(AppState::new(
            pool.clone(),
            config.clone(),
            supervisor.board(),
            realtime,
            meili,
        ));
        start_background_tasks(&mut supervisor, &state, &services);

        let workers = config.workers;
        // Password hashes and images run on threads of their own (see
        // `core::work_pool`), so the blocking pool serves queries and small
        // file work only; more of its threads than pooled connections would
        // only queue on the pool.
        let blocking_threads = config.db_pool_size as usize + 4;
        let trusted = web::Data::new(TrustedProxies(config.trusted_proxies.clone()));
        let spa = web::Data::new(SpaDir(config.spa_dir.clone()));
        let api_docs = config.api_docs;

        let metrics = match config.metrics_bind {
            Some(address) => Some(crate::metrics::serve(address, state.clone()).map_err(
                |source| StartupError::Bind {
                    address: address.to_string(),
                    source,
                },
            )?),
            None => None,
        };
        let signals = StopSignals::listen();
        let server = HttpServer::new(move || {
            let (app, _) = openapi::with_api_routes(App::new().into_utoipa_app()).split_for_parts();
            app.app_data(state.clone())
                .app_data(trusted.clone())
                .app_data(spa.clone())
                .app_data(json_config())
                .app_data(query_config())
                .app_data(path_config())
                .configure(|routes| {
                    if api_docs {
                        routes
                            .service(web::redirect("/api/docs", "/api/docs/"))
                            .route("/api/asyncapi.json", web::get().to(serve_asyncapi))
                            .route("/api/openapi.json", web::get().to(serve_openapi))
                            .service(
                                SwaggerUi::new("/api/docs/{_:.*}")
                                    .config(utoipa_swagger_ui::Config::new(["/api/openapi.json"])),
                            );
                    }
                })
                .default_service(web::to(serve_or_not_found))
                .wrap(from_fn(add_security_headers))
                .wrap(from_fn(log_requests))
        })
        .workers(workers)
        // Signals are handled in `run_until_stopped`, which closes the
        // WebSockets before the server waits for requests in flight.
        .disable_signals()
        .worker_max_blocking_threads(blocking_threads)
        .shutdown_timeout(SHUTDOWN_GRACE.as_secs())
        .listen(listener)
        .map_err(|source| StartupError::Bind {
            address: format!("port {port}"),
            source,
        })?
        .run();
        Ok(Self {
            server,
            port,
            metrics,
            supervisor,
            hub,
            signals,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on, when `NOXCHAT_METRICS_BIND` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, port)| *port)
    }

    /// Lets another task or thread stop the server.
    pub fn handle(&self) -> StopHandle {
        StopHandle {
            server: self.server.handle(),
            hub: Arc::clone(&self.hub),
        }
    }

    /// Serves until the server is stopped (SIGINT/SIGTERM, or a
    /// [`StopHandle`]): WebSocket clients are told to reconnect elsewhere
    /// (1012), the server stops accepting connections and lets requests in
    /// flight finish, then the background tasks stop in order (job workers
    /// settle the job they hold).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let stop = self.handle();
        let signals = self.signals;
        let on_signal = actix_web::rt::spawn(async move {
            signals.received().await;
            tracing::info!("stopping: closing live connections, then finishing requests");
            stop.stop(true).await;
        });
        let metrics = self.metrics.map(|(server, _)| {
            let handle = server.handle();
            (actix_web::rt::spawn(server), handle)
        });
        let result = self.server.await;
        on_signal.abort();
        if let Some((running, handle)) = metrics {
            handle.stop(true).await;
            let _ = running.await;
        }
        self.supervisor.shutdown(SHUTDOWN_GRACE).await;
        result
    }
}

/// The OpenAPI document, serialised once. (Handed to Swagger UI as a
/// value instead, it was copied into every worker's factory, and into each
/// worker's Swagger UI: some 28 MiB of an idle server's 68.)
async fn serve_openapi() -> actix_web::HttpResponse {
    static DOCUMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(openapi::spec_json);
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .body(DOCUMENT.as_str())
}

/// The real-time protocol's AsyncAPI document, made once.
async fn serve_asyncapi() -> actix_web::HttpResponse {
    static DOCUMENT: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(openapi::asyncapi::document_json);
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .body(DOCUMENT.as_str())
}

/// The counts `ready` carries, from the features that own them.
fn ready_counts(
    conn: &mut diesel::PgConnection,
    user: crate::core::UserId,
) -> diesel::QueryResult<Counts> {
    let (_, incoming, _) = friends::queries::counts(conn, user)?;
    Ok(Counts {
        incoming_friend_requests: incoming,
        unread_notifications: crate::notifications::unread_count(conn, user)?,
        unread_messages: crate::chat::unread::unread_total(conn, user)?,
    })
}
