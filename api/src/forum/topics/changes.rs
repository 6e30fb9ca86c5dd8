//! Changing a topic: its author renames it for a while and deletes it while
//! nobody replied; moderators do both always, and pin, lock and move it.

use actix_web::{HttpResponse, delete, patch, put, web};
use chrono::Utc;
use diesel::Connection;
use diesel::PgConnection;

use super::handlers::topic_wire;
use super::queries::{self, TopicRow};
use crate::core::{AuthUser, TopicId};
use crate::db;
use crate::error::{ApiError, FieldIssue};
use crate::forum::domain::Title;
use crate::forum::dto::{MoveTopicRequest, RenameTopicRequest, Topic};
use crate::forum::errors::{denied, topic_not_found};
use crate::forum::notices;
use crate::forum::notices::Moderated;
use crate::forum::queries as categories;
use crate::moderation::{ModeratorAction, Reason, ReasonParams};
use crate::policy::forum::{self, Actor};
use crate::realtime::viewing::TopicNotice;
use crate::state::AppState;

/// A moderator's action on a topic, logged and told to its author: always
/// for what only moderators may do, and for a rename or deletion when the
/// topic is not their own.
struct Logged {
    action: ModeratorAction,
    always: bool,
    reason: Reason,
}

impl Logged {
    fn record(
        &self,
        conn: &mut PgConnection,
        actor: Actor,
        topic: &TopicRow,
        title: &str,
    ) -> diesel::QueryResult<()> {
        let by_moderator = actor.moderates() && (self.always || topic.author_id != Some(actor.id));
        if !by_moderator {
            return Ok(());
        }
        let done = Moderated {
            moderator: actor,
            action: self.action,
            author: topic.author_id,
            topic: notices::topic_ref(topic.id, title),
            post: None,
            reason: self.reason.as_deref(),
        };
        notices::moderated(conn, &done, Utc::now())
    }
}

/// Locks the topic, lets `change` act on it, logs what a moderator did, and
/// answers the topic as it then is, all in one transaction.
async fn change_topic<F>(
    state: &AppState,
    auth: &AuthUser,
    id: TopicId,
    logged: Logged,
    change: F,
) -> Result<web::Json<Topic>, ApiError>
where
    F: FnOnce(&mut PgConnection, Actor, &TopicRow) -> Result<(), ApiError> + Send + 'static,
{
    let actor = Actor::of(auth);
    let topic = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            crate::policy::refuse_banned(conn, actor.id, Utc::now())?;
            let topic = queries::lock(conn, id)?.ok_or_else(topic_not_found)?;
            change(conn, actor, &topic)?;
            let changed =
                queries::summary_of(conn, id, Some(actor.id))?.ok_or_else(topic_not_found)?;
            logged.record(conn, actor, &topic, &changed.0.title)?;
            Ok(changed)
        })
    })
    .await?;
    state
        .realtime
        .announce_topic(&TopicNotice::Changed { topic_id: id });
    Ok(web::Json(topic_wire(topic)))
}

/// Renames a topic: its author within an hour of starting it, moderators always.
#[utoipa::path(
    tag = "forum",
    params(("id" = TopicId, Path), ReasonParams),
    request_body = RenameTopicRequest,
    responses(
        (status = 200, body = Topic),
        (status = 403, description = "`not_allowed`, `edit_window_closed` or `topic_locked`"),
        (status = 404, description = "`topic_not_found`"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[patch("/topics/{id}")]
pub async fn rename_topic(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<TopicId>,
    reason: Reason,
    body: web::Json<RenameTopicRequest>,
) -> Result<web::Json<Topic>, ApiError> {
    let title =
        Title::parse(&body.title).map_err(|issue| ApiError::invalid_field("title", issue))?;
    let logged = Logged {
        action: ModeratorAction::TopicRenamed,
        always: false,
        reason,
    };
    change_topic(
        &state,
        &auth,
        id.into_inner(),
        logged,
        move |conn, actor, topic| {
            forum::may_rename_topic(actor, &topic.facts(), Utc::now()).map_err(denied)?;
            Ok(queries::set_title(conn, topic.id, title.as_str())?)
        },
    )
    .await
}

/// Deletes a topic with all its posts: its author while nobody has
/// replied, moderators always.
#[utoipa::path(
    tag = "forum",
    params(("id" = TopicId, Path), ReasonParams),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`not_allowed`"),
        (status = 404, description = "`topic_not_found`"),
        (status = 409, description = "`topic_has_replies`: only a moderator can delete it now"),
    ),
    security(("bearer" = []))
)]
#[delete("/topics/{id}")]
pub async fn delete_topic(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<TopicId>,
    reason: Reason,
) -> Result<HttpResponse, ApiError> {
    let actor = Actor::of(&auth);
    let id = id.into_inner();
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let topic = queries::lock(conn, id)?.ok_or_else(topic_not_found)?;
            forum::may_delete_topic(actor, &topic.facts()).map_err(denied)?;
            // Banned people may still take back their own topic, not others'.
            if topic.author_id != Some(actor.id) {
                crate::policy::refuse_banned(conn, actor.id, Utc::now())?;
            }
            queries::lock_posts(conn, id)?;
            let logged = Logged {
                action: ModeratorAction::TopicDeleted,
                always: false,
                reason,
            };
            logged.record(conn, actor, &topic, &topic.title)?;
            Ok::<_, ApiError>(queries::delete(conn, &topic)?)
        })
    })
    .await?;
    state
        .realtime
        .announce_topic(&TopicNotice::Changed { topic_id: id });
    Ok(HttpResponse::NoContent().finish())
}

macro_rules! moderator_switch {
    ($(#[$doc:meta])* $name:ident, $method:ident, $path:literal, $setter:ident, $value:literal, $action:expr) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = "forum",
            params(("id" = TopicId, Path), ReasonParams),
            responses(
                (status = 200, body = Topic),
                (status = 403, description = "`not_allowed`: moderators only"),
                (status = 404, description = "`topic_not_found`"),
            ),
            security(("bearer" = []))
        )]
        #[$method($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            auth: AuthUser,
            id: web::Path<TopicId>,
            reason: Reason,
        ) -> Result<web::Json<Topic>, ApiError> {
            let logged = Logged { action: $action, always: true, reason };
            change_topic(&state, &auth, id.into_inner(), logged, |conn, actor, topic| {
                forum::may_moderate(actor).map_err(denied)?;
                queries::$setter(conn, topic.id, $value)?;
                Ok(())
            })
            .await
        }
    };
}

moderator_switch!(
    /// Pins a topic above the others (moderators).
    pin_topic, put, "/topics/{id}/pin", set_pinned, true,
    ModeratorAction::TopicPinned
);
moderator_switch!(
    /// Unpins a topic (moderators).
    unpin_topic, delete, "/topics/{id}/pin", set_pinned, false,
    ModeratorAction::TopicUnpinned
);
moderator_switch!(
    /// Locks a topic: only moderators post in it (moderators).
    lock_topic, put, "/topics/{id}/lock", set_locked, true,
    ModeratorAction::TopicLocked
);
moderator_switch!(
    /// Unlocks a topic (moderators).
    unlock_topic, delete, "/topics/{id}/lock", set_locked, false,
    ModeratorAction::TopicUnlocked
);

/// Moves a topic to another category (moderators).
#[utoipa::path(
    tag = "forum",
    params(("id" = TopicId, Path), ReasonParams),
    request_body = MoveTopicRequest,
    responses(
        (status = 200, body = Topic),
        (status = 403, description = "`not_allowed`: moderators only"),
        (status = 404, description = "`topic_not_found`"),
        (status = 422, description = "`category` names no category"),
    ),
    security(("bearer" = []))
)]
#[put("/topics/{id}/category")]
pub async fn move_topic(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<TopicId>,
    reason: Reason,
    body: web::Json<MoveTopicRequest>,
) -> Result<web::Json<Topic>, ApiError> {
    let slug = body.into_inner().category;
    let logged = Logged {
        action: ModeratorAction::TopicMoved,
        always: true,
        reason,
    };
    change_topic(
        &state,
        &auth,
        id.into_inner(),
        logged,
        move |conn, actor, topic| {
            forum::may_moderate(actor).map_err(denied)?;
            let to = categories::find(conn, &slug)?
                .ok_or_else(|| ApiError::invalid_field("category", FieldIssue::NoSuchCategory))?;
            Ok(queries::move_to(conn, topic, to.id)?)
        },
    )
    .await
}
