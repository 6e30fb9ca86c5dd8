//! `GET /api/v1/notifications`: my inbox, its unread count, and marking
//! entries read.

use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::Notification;
use super::queries::{self, InboxKey};
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::{AuthUser, NotificationId};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

const INBOX: &str = "notifications";

pub fn endpoints(cfg: &mut ServiceConfig) {
    cfg.service(list_notifications)
        .service(count_unread_notifications)
        .service(mark_all_notifications_read)
        .service(mark_notification_read);
}

/// My notifications, the latest first (a like notification rises again
/// with each new like).
#[utoipa::path(
    tag = "notifications",
    params(ListParams),
    responses(
        (status = 200, body = Page<Notification>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
    ),
    security(("bearer" = []))
)]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<Notification>>, ApiError> {
    let after: Option<InboxKey> = query.after(INBOX)?;
    let (user, limit) = (auth.user.id, query.fetch_limit());
    let rows = db::run(&state.pool, move |conn| {
        Ok(queries::list(conn, user, after, limit)?)
    })
    .await?;
    Ok(web::Json(query.page(INBOX, rows, |n| (n.updated_at, n.id))))
}

#[derive(Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread_count: i64,
}

/// How many of my notifications are unread.
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, body = UnreadCount)),
    security(("bearer" = []))
)]
#[get("/notifications/unread-count")]
pub async fn count_unread_notifications(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<UnreadCount>, ApiError> {
    let user = auth.user.id;
    let unread_count = db::run(&state.pool, move |conn| {
        Ok(queries::unread_count(conn, user)?)
    })
    .await?;
    Ok(web::Json(UnreadCount { unread_count }))
}

/// Marks one of my notifications read (again is no change); my other
/// devices are told.
#[utoipa::path(
    tag = "notifications",
    params(("id" = NotificationId, Path)),
    responses(
        (status = 204, description = "Read"),
        (status = 404, description = "`notification_not_found`"),
    ),
    security(("bearer" = []))
)]
#[post("/notifications/{id}/read")]
pub async fn mark_notification_read(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<NotificationId>,
) -> Result<HttpResponse, ApiError> {
    let (user, id) = (auth.user.id, id.into_inner());
    db::run(&state.pool, move |conn| {
        if !queries::exists_for(conn, user, id)? {
            return Err(ApiError::not_found(
                ErrorCode::NotificationNotFound,
                "You have no such notification.",
            ));
        }
        queries::mark_read(conn, user, Some(&[id]), Utc::now())?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Marks all my notifications read; my other devices are told.
#[utoipa::path(
    tag = "notifications",
    responses((status = 204, description = "All read")),
    security(("bearer" = []))
)]
#[post("/notifications/read")]
pub async fn mark_all_notifications_read(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let user = auth.user.id;
    db::run(&state.pool, move |conn| {
        queries::mark_read(conn, user, None, Utc::now())?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
