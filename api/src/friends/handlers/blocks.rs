//! Blocking and unblocking, and the list of people I blocked.

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::Utc;
use diesel::PgConnection;

use super::super::dto::RelatedUser;
use super::super::queries;
use super::{BLOCKS, end_relation, related_list, target};
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::{AuthUser, UserId};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::events::{self, Event};
use crate::policy::{self, BlockDenial};
use crate::state::AppState;

/// Block a user: ends any friendship and pending requests both ways, and
/// stops their requests. Blocking twice is fine.
#[utoipa::path(
    tag = "blocks",
    params(("handle" = String, Path)),
    responses(
        (status = 204, description = "Blocked"),
        (status = 404, description = "No such user"),
        (status = 422, description = "Yourself (`cannot_block_self`)"),
    ),
    security(("bearer" = []))
)]
#[put("/blocks/{handle}")]
pub async fn block_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let me = auth.user.id;
    db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let other = target(conn, &handle)?;
            let pair = policy::pair(conn, me, other.id)?;
            policy::may_block(&pair).map_err(|BlockDenial::Yourself| {
                ApiError::invalid_field("handle", FieldIssue::YourOwn)
                    .with_code(ErrorCode::CannotBlockSelf)
            })?;
            queries::lock_pair(conn, me, other.id)?;
            queries::block(conn, me, other.id)?;
            announce_block(conn, me, other.id, &pair)
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Tells my devices of the block, and both of us what it ended: the
/// friendship and any request (the blocked person learns those ended, as
/// they would on any unfriending or cancelling, never why).
fn announce_block(
    conn: &mut PgConnection,
    me: UserId,
    other: UserId,
    before: &policy::Pair,
) -> Result<(), ApiError> {
    let now = Utc::now();
    if before.friends {
        let ended = Event::FriendshipEnded {
            user_ids: [me, other],
        };
        events::publish(conn, &[me, other], &ended, now)?;
    }
    let requests = [
        before.request_sent.map(|id| (id, me, other)),
        before.request_received.map(|id| (id, other, me)),
    ];
    for (request_id, sender_id, recipient_id) in requests.into_iter().flatten() {
        let cancelled = Event::FriendRequestCancelled {
            request_id,
            sender_id,
            recipient_id,
        };
        events::publish(conn, &[me, other], &cancelled, now)?;
    }
    let blocked = Event::UserBlocked { user_id: other };
    events::publish(conn, &[me], &blocked, now)?;
    Ok(())
}

/// Unblock a user.
#[utoipa::path(
    tag = "blocks",
    params(("handle" = String, Path)),
    responses(
        (status = 204, description = "Unblocked"),
        (status = 404, description = "`user_not_found` or `not_blocked`"),
    ),
    security(("bearer" = []))
)]
#[delete("/blocks/{handle}")]
pub async fn unblock_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    end_relation(
        &state,
        auth.user.id,
        handle.into_inner(),
        queries::unblock,
        |me, other| (vec![me], Event::UserUnblocked { user_id: other }),
        (ErrorCode::NotBlocked, "You have not blocked this user."),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Users I blocked, most recent first.
#[utoipa::path(
    tag = "blocks",
    params(ListParams),
    responses(
        (status = 200, body = Page<RelatedUser>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
    ),
    security(("bearer" = []))
)]
#[get("/blocks")]
pub async fn list_blocks(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<RelatedUser>>, ApiError> {
    related_list(&state, auth.user.id, query, BLOCKS, queries::list_blocked).await
}
