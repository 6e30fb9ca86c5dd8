//! What Prometheus scrapes: counters kept as things happen (requests and
//! their latency, events delivered, emails, job failures) and gauges read
//! at each scrape (the database pool, the job queue, live connections).
//! Served on an address of its own (`NOXCHAT_METRICS_BIND`), never beside
//! the public API, so it is not published by accident.

use std::net::{SocketAddr, TcpListener};
use std::sync::LazyLock;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, web};
use diesel::prelude::*;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::schema::jobs;
use crate::state::AppState;

const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

/// The process's metrics: one set, as there is one process to scrape.
struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    events_delivered: Counter,
    emails_sent: Counter,
    emails_failed: Counter,
    jobs_failed: Counter,
    pool_connections: Gauge,
    pool_idle: Gauge,
    jobs_waiting: Gauge,
    jobs_dead: Gauge,
    live_connections: Gauge,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to about 8 s, doubling.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("noxchat");
    let requests = Family::<RequestLabels, Counter>::default();
    registry.register(
        "http_requests",
        "HTTP requests answered, by route pattern, method and status",
        requests.clone(),
    );
    let latency =
        Family::<RouteLabels, Histogram>::new_with_constructor(latency_histogram as fn() -> _);
    registry.register(
        "http_request_duration_seconds",
        "Time to answer an HTTP request, by route pattern",
        latency.clone(),
    );
    let metrics = Metrics {
        requests,
        latency,
        events_delivered: Counter::default(),
        emails_sent: Counter::default(),
        emails_failed: Counter::default(),
        jobs_failed: Counter::default(),
        pool_connections: Gauge::default(),
        pool_idle: Gauge::default(),
        jobs_waiting: Gauge::default(),
        jobs_dead: Gauge::default(),
        live_connections: Gauge::default(),
        registry: Registry::default(),
    };
    for (name, help, counter) in [
        (
            "realtime_events_delivered",
            "Stored events sent to WebSocket clients",
            &metrics.events_delivered,
        ),
        (
            "emails_sent",
            "Emails handed to the mail transport",
            &metrics.emails_sent,
        ),
        (
            "emails_failed",
            "Emails the transport refused (each try)",
            &metrics.emails_failed,
        ),
        (
            "jobs_failed",
            "Background job runs that failed (each try)",
            &metrics.jobs_failed,
        ),
    ] {
        registry.register(name, help, counter.clone());
    }
    for (name, help, gauge) in [
        (
            "db_pool_connections",
            "Database connections open in the pool",
            &metrics.pool_connections,
        ),
        (
            "db_pool_idle_connections",
            "Open database connections not in use",
            &metrics.pool_idle,
        ),
        (
            "jobs_waiting",
            "Background jobs queued or running",
            &metrics.jobs_waiting,
        ),
        (
            "jobs_dead",
            "Background jobs that failed for good (kept for inspection)",
            &metrics.jobs_dead,
        ),
        (
            "realtime_connections",
            "WebSocket connections open on this instance",
            &metrics.live_connections,
        ),
    ] {
        registry.register(name, help, gauge.clone());
    }
    Metrics {
        registry,
        ..metrics
    }
});

/// Counts an answered request (route patterns, not paths, keep the label
/// set small: an unmatched path is `(unmatched)`).
pub fn record_request(route: &str, method: &str, status: u16, took: Duration) {
    let metrics = &*METRICS;
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.to_owned(),
            method: method.to_owned(),
            status: status.to_string(),
        })
        .inc();
    metrics
        .latency
        .get_or_create(&RouteLabels {
            route: route.to_owned(),
        })
        .observe(took.as_secs_f64());
}

pub fn event_delivered() {
    METRICS.events_delivered.inc();
}

pub fn email_sent() {
    METRICS.emails_sent.inc();
}

pub fn email_failed() {
    METRICS.emails_failed.inc();
}

pub fn job_failed() {
    METRICS.jobs_failed.inc();
}

/// The metrics as text, with the gauges read now.
async fn scrape(state: web::Data<AppState>) -> HttpResponse {
    let metrics = &*METRICS;
    let pool = state.pool.state();
    metrics.pool_connections.set(i64::from(pool.connections));
    metrics.pool_idle.set(i64::from(pool.idle_connections));
    metrics
        .live_connections
        .set(i64::try_from(state.realtime.hub.open_connections()).unwrap_or(i64::MAX));
    // The queue's depth needs the database; without it the last figures stay.
    let counted = crate::db::run(&state.pool, |conn| {
        let waiting: i64 = jobs::table
            .filter(jobs::dead_at.is_null())
            .count()
            .get_result(conn)?;
        let dead: i64 = jobs::table
            .filter(jobs::dead_at.is_not_null())
            .count()
            .get_result(conn)?;
        Ok((waiting, dead))
    })
    .await;
    match counted {
        Ok((waiting, dead)) => {
            metrics.jobs_waiting.set(waiting);
            metrics.jobs_dead.set(dead);
        }
        Err(error) => tracing::warn!(error = %error, "metrics: cannot count the job queue"),
    }
    let mut text = String::new();
    if encode(&mut text, &metrics.registry).is_err() {
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok().content_type(CONTENT_TYPE).body(text)
}

/// Serves `GET /metrics` on `address`, with one worker: a scrape every few
/// seconds needs no more.
pub fn serve(address: SocketAddr, state: web::Data<AppState>) -> std::io::Result<(Server, u16)> {
    let listener = TcpListener::bind(address)?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)?
    .run();
    Ok((server, port))
}
