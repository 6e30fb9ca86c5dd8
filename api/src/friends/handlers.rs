//! Friends, friend requests and blocks. Every action checks that the signed-in
//! user is the one allowed to take it; someone else's request is "not found".

use actix_web::{HttpResponse, delete, get, post, put, web};
use diesel::prelude::*;
use uuid::Uuid;

use super::dto::{
    FriendRequestItem, FriendRequestOutcome, FriendRequestPage, FriendRequestStatus,
    FriendsSummary, ListQuery, RelatedUser, RelatedUserPage, SendFriendRequest,
};
use super::queries::{self, ListedUser};
use crate::accounts::AuthUser;
use crate::accounts::models::User;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::pagination::{self, TimeCursor};
use crate::people::dto::UserSummary;
use crate::people::queries::find_by_handle;
use crate::state::AppState;

fn user_not_found() -> ApiError {
    ApiError::not_found("user_not_found", "There is no user with this handle.")
}

fn request_not_found() -> ApiError {
    ApiError::not_found(
        "friend_request_not_found",
        "You have no such friend request.",
    )
}

fn target(conn: &mut PgConnection, handle: &str) -> Result<User, ApiError> {
    find_by_handle(conn, handle)?.ok_or_else(user_not_found)
}

fn summary(row: &ListedUser) -> UserSummary {
    UserSummary::new(
        row.id,
        row.handle.clone(),
        row.display_name.clone(),
        row.avatar_key.as_deref(),
    )
}

fn cursor(query: &ListQuery) -> Result<Option<TimeCursor>, ApiError> {
    query.cursor.as_deref().map(TimeCursor::decode).transpose()
}

/// Send a friend request. If that user already asked you, you become friends.
#[utoipa::path(
    tag = "friends",
    request_body = SendFriendRequest,
    responses(
        (status = 201, description = "Request sent", body = FriendRequestOutcome),
        (status = 200, description = "They had asked you: you are friends now", body = FriendRequestOutcome),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "This user blocked you (`blocked_by_user`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user (`user_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_friends`, `request_already_sent`, or you blocked them (`user_blocked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A request to yourself (`cannot_befriend_self`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/friends/requests")]
pub async fn send_friend_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<SendFriendRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = auth.user.id;
    let handle = body.into_inner().handle;
    let outcome = db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let other = target(conn, &handle)?;
            if other.id == me {
                return Err(ApiError::invalid_field("handle", "is your own")
                    .with_code("cannot_befriend_self"));
            }
            // Crossing requests and blocks between the two cannot race.
            queries::lock_pair(conn, me, other.id)?;
            if queries::has_blocked(conn, other.id, me)? {
                return Err(ApiError::new(
                    actix_web::http::StatusCode::FORBIDDEN,
                    "blocked_by_user",
                    "This user does not accept requests from you.",
                ));
            }
            if queries::has_blocked(conn, me, other.id)? {
                return Err(ApiError::conflict(
                    "user_blocked",
                    "You blocked this user; unblock them first.",
                ));
            }
            if queries::are_friends(conn, me, other.id)? {
                return Err(ApiError::conflict(
                    "already_friends",
                    "You are already friends.",
                ));
            }
            if queries::request_between(conn, me, other.id)?.is_some() {
                return Err(ApiError::conflict(
                    "request_already_sent",
                    "You already sent this user a request.",
                ));
            }
            if queries::request_between(conn, other.id, me)?.is_some() {
                queries::befriend(conn, me, other.id)?;
                return Ok(FriendRequestOutcome {
                    status: FriendRequestStatus::Friends,
                    request: None,
                });
            }
            let request = queries::insert_request(conn, me, other.id)?;
            Ok(FriendRequestOutcome {
                status: FriendRequestStatus::Pending,
                request: Some(FriendRequestItem {
                    id: request.id,
                    user: UserSummary::new(
                        other.id,
                        other.handle,
                        other.display_name,
                        other.avatar_key.as_deref(),
                    ),
                    created_at: request.created_at,
                }),
            })
        })
    })
    .await?;
    Ok(match outcome.status {
        FriendRequestStatus::Pending => HttpResponse::Created().json(outcome),
        FriendRequestStatus::Friends => HttpResponse::Ok().json(outcome),
    })
}

/// Who may act on a request: its recipient (accept, decline) or its sender (cancel).
#[derive(Clone, Copy)]
enum Party {
    Recipient,
    Sender,
}

async fn settle_request(
    state: &AppState,
    me: Uuid,
    id: Uuid,
    party: Party,
    befriend: bool,
) -> Result<(), ApiError> {
    db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let request = queries::find_request(conn, id)?.ok_or_else(request_not_found)?;
            let allowed = match party {
                Party::Recipient => request.recipient_id == me,
                Party::Sender => request.sender_id == me,
            };
            if !allowed {
                return Err(request_not_found());
            }
            queries::lock_pair(conn, request.sender_id, request.recipient_id)?;
            // A block may have removed the request while we waited for the lock.
            if queries::find_request(conn, id)?.is_none() {
                return Err(request_not_found());
            }
            if befriend {
                queries::befriend(conn, request.sender_id, request.recipient_id)?;
            } else {
                queries::delete_request(conn, id)?;
            }
            Ok(())
        })
    })
    .await
}

/// Accept a friend request sent to me.
#[utoipa::path(
    tag = "friends",
    params(("id" = Uuid, Path, description = "Friend request id")),
    responses(
        (status = 204, description = "You are friends now"),
        (status = 404, description = "No such request addressed to you", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/friends/requests/{id}/accept")]
pub async fn accept_friend_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    settle_request(
        &state,
        auth.user.id,
        id.into_inner(),
        Party::Recipient,
        true,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Decline a friend request sent to me.
#[utoipa::path(
    tag = "friends",
    params(("id" = Uuid, Path, description = "Friend request id")),
    responses(
        (status = 204, description = "Declined"),
        (status = 404, description = "No such request addressed to you", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/friends/requests/{id}/decline")]
pub async fn decline_friend_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    settle_request(
        &state,
        auth.user.id,
        id.into_inner(),
        Party::Recipient,
        false,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Cancel a friend request I sent.
#[utoipa::path(
    tag = "friends",
    params(("id" = Uuid, Path, description = "Friend request id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 404, description = "No such request of yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/friends/requests/{id}")]
pub async fn cancel_friend_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    settle_request(&state, auth.user.id, id.into_inner(), Party::Sender, false).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove a friend.
#[utoipa::path(
    tag = "friends",
    params(("handle" = String, Path, description = "The friend's handle")),
    responses(
        (status = 204, description = "No longer friends"),
        (status = 404, description = "`user_not_found` or `not_friends`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/friends/{handle}")]
pub async fn remove_friend(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let me = auth.user.id;
    db::run(&state.pool, move |conn| {
        let other = target(conn, &handle)?;
        if queries::unfriend(conn, me, other.id)? == 0 {
            return Err(ApiError::not_found(
                "not_friends",
                "You are not friends with this user.",
            ));
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// My friends, most recent first.
#[utoipa::path(
    tag = "friends",
    params(ListQuery),
    responses(
        (status = 200, body = RelatedUserPage),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/friends")]
pub async fn list_friends(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<web::Json<RelatedUserPage>, ApiError> {
    let (me, limit, cursor) = (
        auth.user.id,
        pagination::limit(query.limit)?,
        cursor(&query)?,
    );
    let q = query.into_inner().q;
    let rows = db::run(&state.pool, move |conn| {
        Ok(queries::list_friends(
            conn,
            me,
            q.as_deref(),
            cursor,
            limit,
        )?)
    })
    .await?;
    let (rows, next_cursor) = pagination::split_page(rows, limit, ListedUser::cursor);
    let items = rows
        .iter()
        .map(|row| RelatedUser {
            user: summary(row),
            since: row.at,
        })
        .collect();
    Ok(web::Json(RelatedUserPage { items, next_cursor }))
}

async fn request_page(
    state: &AppState,
    me: Uuid,
    query: ListQuery,
    incoming: bool,
) -> Result<FriendRequestPage, ApiError> {
    let (limit, cursor) = (pagination::limit(query.limit)?, cursor(&query)?);
    let q = query.q;
    let rows = db::run(&state.pool, move |conn| {
        Ok(if incoming {
            queries::list_incoming(conn, me, q.as_deref(), cursor, limit)?
        } else {
            queries::list_outgoing(conn, me, q.as_deref(), cursor, limit)?
        })
    })
    .await?;
    let (rows, next_cursor) = pagination::split_page(rows, limit, ListedUser::cursor);
    let items = rows
        .iter()
        .map(|row| FriendRequestItem {
            id: row.key,
            user: summary(row),
            created_at: row.at,
        })
        .collect();
    Ok(FriendRequestPage { items, next_cursor })
}

/// Friend requests sent to me, newest first.
#[utoipa::path(
    tag = "friends",
    params(ListQuery),
    responses((status = 200, body = FriendRequestPage)),
    security(("bearer" = []))
)]
#[get("/friends/requests/incoming")]
pub async fn list_incoming_friend_requests(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<web::Json<FriendRequestPage>, ApiError> {
    Ok(web::Json(
        request_page(&state, auth.user.id, query.into_inner(), true).await?,
    ))
}

/// Friend requests I sent, newest first.
#[utoipa::path(
    tag = "friends",
    params(ListQuery),
    responses((status = 200, body = FriendRequestPage)),
    security(("bearer" = []))
)]
#[get("/friends/requests/outgoing")]
pub async fn list_outgoing_friend_requests(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<web::Json<FriendRequestPage>, ApiError> {
    Ok(web::Json(
        request_page(&state, auth.user.id, query.into_inner(), false).await?,
    ))
}

/// How many friends and pending requests I have.
#[utoipa::path(tag = "friends", responses((status = 200, body = FriendsSummary)), security(("bearer" = [])))]
#[get("/friends/summary")]
pub async fn get_friends_summary(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<FriendsSummary>, ApiError> {
    let me = auth.user.id;
    let (friends, incoming, outgoing) =
        db::run(&state.pool, move |conn| Ok(queries::counts(conn, me)?)).await?;
    Ok(web::Json(FriendsSummary {
        friends,
        incoming,
        outgoing,
    }))
}

/// Block a user: ends any friendship and pending requests both ways, and
/// stops their requests. Blocking twice is fine.
#[utoipa::path(
    tag = "blocks",
    params(("handle" = String, Path)),
    responses(
        (status = 204, description = "Blocked"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Yourself (`cannot_block_self`)", body = Problem, content_type = "application/problem+json"),
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
            if other.id == me {
                return Err(
                    ApiError::invalid_field("handle", "is your own").with_code("cannot_block_self")
                );
            }
            queries::lock_pair(conn, me, other.id)?;
            Ok(queries::block(conn, me, other.id)?)
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Unblock a user.
#[utoipa::path(
    tag = "blocks",
    params(("handle" = String, Path)),
    responses(
        (status = 204, description = "Unblocked"),
        (status = 404, description = "`user_not_found` or `not_blocked`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/blocks/{handle}")]
pub async fn unblock_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let me = auth.user.id;
    db::run(&state.pool, move |conn| {
        let other = target(conn, &handle)?;
        if queries::unblock(conn, me, other.id)? == 0 {
            return Err(ApiError::not_found(
                "not_blocked",
                "You have not blocked this user.",
            ));
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Users I blocked, most recent first.
#[utoipa::path(
    tag = "blocks",
    params(ListQuery),
    responses((status = 200, body = RelatedUserPage)),
    security(("bearer" = []))
)]
#[get("/blocks")]
pub async fn list_blocks(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<web::Json<RelatedUserPage>, ApiError> {
    let (me, limit, cursor) = (
        auth.user.id,
        pagination::limit(query.limit)?,
        cursor(&query)?,
    );
    let rows = db::run(&state.pool, move |conn| {
        Ok(queries::list_blocked(conn, me, cursor, limit)?)
    })
    .await?;
    let (rows, next_cursor) = pagination::split_page(rows, limit, ListedUser::cursor);
    let items = rows
        .iter()
        .map(|row| RelatedUser {
            user: summary(row),
            since: row.at,
        })
        .collect();
    Ok(web::Json(RelatedUserPage { items, next_cursor }))
}
