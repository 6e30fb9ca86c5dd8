//! Reading one's own event log over REST: what a client missed while it was
//! away, or the events it finds missing between two it has.

use actix_web::{HttpResponse, get, http::StatusCode, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{LoggedEvent, queries};
use crate::core::AuthUser;
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The log's one endpoint, mounted under `/api/v1`.
pub fn endpoints(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_events);
}

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 500;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsParams {
    /// The number of the last event the client has (0: none).
    #[param(minimum = 0)]
    pub after: i64,
    /// How many events at most, 1–500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Events after `after`, oldest first, and where the log stands.
#[derive(Serialize, ToSchema)]
pub struct EventsPage {
    pub events: Vec<LoggedEvent>,
    /// The number of the newest event: ask again after the last one
    /// received while it is below this.
    pub position: i64,
}

/// My events after a position, oldest first.
///
/// When some of them are no longer kept (events are kept for a limited time
/// and number), or `after` is beyond anything I have, the answer is 409
/// `resync_required`: reload what is shown over the other endpoints, then
/// go on from `position` of a fresh read with `after=<position>`.
#[utoipa::path(
    tag = "events",
    params(EventsParams),
    responses(
        (status = 200, body = EventsPage),
        (status = 400, description = "`invalid_limit` or `invalid_query`"),
        (status = 401, description = "Not signed in"),
        (status = 409, description = "`resync_required`: some events after `after` are gone, or `after` is ahead of the log"),
    ),
    security(("bearer" = []))
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    auth: AuthUser,
    params: web::Query<EventsParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidLimit,
            format!("`limit` must be 1 to {MAX_LIMIT}."),
        ));
    }
    let (me, after) = (auth.user.id, params.after);
    let page = db::run(&state.pool, move |conn| {
        let bounds = queries::bounds(conn, me)?;
        if !bounds.can_resume_after(after) {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::ResyncRequired,
                format!(
                    "Events after {after} are not all kept (the log is at {}): reload, then go on from there.",
                    bounds.position
                ),
            ));
        }
        Ok(EventsPage {
            events: queries::read_after(conn, me, after, limit)?.events,
            position: bounds.position,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
