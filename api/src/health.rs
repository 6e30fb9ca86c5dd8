//! Liveness and readiness probes for load balancers and orchestrators.

use actix_web::{get, web};
use diesel::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

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

/// Readiness: the database answers, so requests can be served.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, body = HealthStatus),
        (status = 503, description = "The database does not answer"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<HealthStatus>, ApiError> {
    db::run(&state.pool, |conn| {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map_err(|error| {
                tracing::warn!(%error, "readiness check failed");
                ApiError::unavailable("The database does not answer.")
            })
    })
    .await?;
    Ok(web::Json(HealthStatus { status: "ok" }))
}
