//! How far each person has read each topic, and how they follow it.

use actix_web::{put, web};
use diesel::prelude::*;

use super::domain::WatchLevel;
use super::dto::{ReadPositionRequest, Reading, WatchRequest};
use super::errors::topic_not_found;
use super::posts::queries::mark_read;
use crate::core::{AuthUser, TopicId};
use crate::db;
use crate::db::schema::{topic_watches, topics};
use crate::error::{ApiError, FieldIssue};
use crate::state::AppState;

/// Records how far I have read a topic. It never moves back, so devices
/// reporting out of order cannot lose my place; a number past the last
/// post counts as the last post.
#[utoipa::path(
    tag = "forum",
    params(("id" = TopicId, Path)),
    request_body = ReadPositionRequest,
    responses(
        (status = 200, body = Reading),
        (status = 404, description = "`topic_not_found`"),
        (status = 422, description = "`last_read_number` below 0"),
    ),
    security(("bearer" = []))
)]
#[put("/topics/{id}/read")]
pub async fn mark_topic_read(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<TopicId>,
    body: web::Json<ReadPositionRequest>,
) -> Result<web::Json<Reading>, ApiError> {
    let number = body.last_read_number;
    if number < 0 {
        return Err(ApiError::invalid_field(
            "last_read_number",
            FieldIssue::InvalidValue,
        ));
    }
    let (user, topic) = (auth.user.id, id.into_inner());
    let reading = db::run(&state.pool, move |conn| {
        let last: i32 = topics::table
            .find(topic)
            .select(topics::last_post_number)
            .first(conn)
            .optional()?
            .ok_or_else(topic_not_found)?;
        let read = mark_read(conn, user, topic, number.min(last))?;
        Ok(Reading::of(Some(read), last))
    })
    .await?;
    Ok(web::Json(reading))
}

/// Follows a topic (`watching`: told of every reply), mutes it (told of
/// nothing in it), or goes back to `normal`.
#[utoipa::path(
    tag = "forum",
    params(("id" = TopicId, Path)),
    request_body = WatchRequest,
    responses(
        (status = 200, body = WatchRequest),
        (status = 404, description = "`topic_not_found`"),
    ),
    security(("bearer" = []))
)]
#[put("/topics/{id}/watch")]
pub async fn watch_topic(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<TopicId>,
    body: web::Json<WatchRequest>,
) -> Result<web::Json<WatchRequest>, ApiError> {
    let level = body.level;
    let (user, topic) = (auth.user.id, id.into_inner());
    db::run(&state.pool, move |conn| {
        let found: bool =
            diesel::select(diesel::dsl::exists(topics::table.find(topic))).get_result(conn)?;
        if !found {
            return Err(topic_not_found());
        }
        let mine = topic_watches::table.find((user, topic));
        match level {
            WatchLevel::Normal => diesel::delete(mine).execute(conn)?,
            WatchLevel::Watching | WatchLevel::Muted => diesel::insert_into(topic_watches::table)
                .values((
                    topic_watches::user_id.eq(user),
                    topic_watches::topic_id.eq(topic),
                    topic_watches::level.eq(level.as_str()),
                ))
                .on_conflict((topic_watches::user_id, topic_watches::topic_id))
                .do_update()
                .set(topic_watches::level.eq(level.as_str()))
                .execute(conn)?,
        };
        Ok(())
    })
    .await?;
    Ok(web::Json(WatchRequest { level }))
}
