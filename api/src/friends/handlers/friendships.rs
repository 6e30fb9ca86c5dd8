//! Friendships: the list, the summary, and ending one.

use actix_web::{HttpResponse, delete, get, web};

use super::super::dto::{FriendsSummary, RelatedUser};
use super::super::queries;
use super::{FRIENDS, end_relation, related_list};
use crate::core::AuthUser;
use crate::core::list::{ListParams, ListQuery, Page};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::events::Event;
use crate::state::AppState;

/// Remove a friend.
#[utoipa::path(
    tag = "friends",
    params(("handle" = String, Path, description = "The friend's handle")),
    responses(
        (status = 204, description = "No longer friends"),
        (status = 404, description = "`user_not_found` or `not_friends`"),
    ),
    security(("bearer" = []))
)]
#[delete("/friends/{handle}")]
pub async fn remove_friend(
    state: web::Data<AppState>,
    auth: AuthUser,
    handle: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    end_relation(
        &state,
        auth.user.id,
        handle.into_inner(),
        queries::unfriend,
        |me, other| {
            (
                vec![me, other],
                Event::FriendshipEnded {
                    user_ids: [me, other],
                },
            )
        },
        (ErrorCode::NotFriends, "You are not friends with this user."),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// My friends, most recent first.
#[utoipa::path(
    tag = "friends",
    params(ListParams),
    responses(
        (status = 200, body = Page<RelatedUser>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
    ),
    security(("bearer" = []))
)]
#[get("/friends")]
pub async fn list_friends(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<RelatedUser>>, ApiError> {
    related_list(&state, auth.user.id, query, FRIENDS, queries::list_friends).await
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
