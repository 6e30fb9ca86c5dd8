//! `GET /api/v1/moderation/log`: what moderators did, for moderators.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{LoggedAction, LoggedTopic, ModeratorAction};
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::{AuthUser, PostId, TopicId, UserId};
use crate::db;
use crate::db::schema::moderation_log;
use crate::error::{ApiError, ErrorCode};
use crate::policy::forum::Actor;
use crate::state::AppState;

const LOG: &str = "moderation_log";

pub fn endpoints(cfg: &mut ServiceConfig) {
    cfg.service(list_moderation_log);
}

type LogRow = (
    uuid::Uuid,
    Option<UserId>,
    ModeratorAction,
    Option<UserId>,
    Option<TopicId>,
    Option<String>,
    Option<PostId>,
    Option<String>,
    DateTime<Utc>,
);

/// Every moderator's action, the latest first (moderators and admins).
#[utoipa::path(
    tag = "moderation",
    params(ListParams),
    responses(
        (status = 200, body = Page<LoggedAction>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
        (status = 403, description = "`not_allowed`: moderators only"),
    ),
    security(("bearer" = []))
)]
#[get("/moderation/log")]
pub async fn list_moderation_log(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<LoggedAction>>, ApiError> {
    let actor = Actor::of(&auth);
    if !actor.moderates() {
        return Err(ApiError::forbidden(
            ErrorCode::NotAllowed,
            "Only moderators read the moderation log.",
        ));
    }
    let after: Option<(DateTime<Utc>, uuid::Uuid)> = query.after(LOG)?;
    let limit = query.fetch_limit();
    let (rows, people) = db::run(&state.pool, move |conn| {
        let mut log = moderation_log::table
            .order((moderation_log::created_at.desc(), moderation_log::id.desc()))
            .select((
                moderation_log::id,
                moderation_log::moderator_id,
                moderation_log::action,
                moderation_log::target_user_id,
                moderation_log::topic_id,
                moderation_log::topic_title,
                moderation_log::post_id,
                moderation_log::reason,
                moderation_log::created_at,
            ))
            .limit(limit)
            .into_boxed();
        if let Some((at, id)) = after {
            log = log.filter(
                moderation_log::created_at
                    .lt(at)
                    .or(moderation_log::created_at
                        .eq(at)
                        .and(moderation_log::id.lt(id))),
            );
        }
        let rows: Vec<LogRow> = log.load(conn)?;
        let ids: Vec<UserId> = rows
            .iter()
            .flat_map(|row| [row.1, row.3])
            .flatten()
            .collect();
        let people = crate::core::users::summaries(conn, ids)?;
        Ok((rows, people))
    })
    .await?;
    let page = query.page(LOG, rows, |row| (row.8, row.0));
    Ok(web::Json(page.map(
        |(id, moderator, action, target, topic_id, topic_title, post_id, reason, created_at)| {
            let person = |id: Option<UserId>| id.and_then(|id| people.get(&id).cloned());
            LoggedAction {
                id,
                moderator: person(moderator),
                action,
                target_user: person(target),
                topic: topic_title.map(|title| LoggedTopic {
                    id: topic_id,
                    title,
                }),
                post_id,
                reason,
                created_at,
            }
        },
    )))
}
