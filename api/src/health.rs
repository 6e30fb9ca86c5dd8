//! Liveness and readiness probes for load balancers and orchestrators.

use actix_web::{get, web};
use diesel::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::ApiError;
use crate::state::AppState;
use crate::supervisor::TaskHealth;

#[derive(Serialize, ToSchema)]
pub struct HealthStatus {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness: the process is up and serving HTTP.
#[utoipa::path(tag = "operations", responses((status = 200, body = HealthStatus)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<HealthStatus> {
    web::Json(HealthStatus { status: "ok" })
}

#[derive(Serialize, ToSchema)]
pub struct ReadinessStatus {
    /// `ok`, or `degraded` while a background task (sending email, say) is
    /// failing: requests are still served, but its work waits.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// Every background task of this instance and how it is doing.
    pub tasks: Vec<TaskHealth>,
}

/// Readiness: the database answers, so requests can be served; and how the
/// background tasks are doing.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, body = ReadinessStatus),
        (status = 503, description = "The database does not answer"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<ReadinessStatus>, ApiError> {
    db::run(&state.pool, |conn| {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map_err(|error| {
                tracing::warn!(%error, "readiness check failed");
                ApiError::unavailable("The database does not answer.")
            })
    })
    .await?;
    let tasks = state.tasks.snapshot();
    let status = if tasks.iter().all(|task| task.healthy) {
        "ok"
    } else {
        "degraded"
    };
    Ok(web::Json(ReadinessStatus { status, tasks }))
}
