//! Friends, friend requests and blocks. Every action checks that the signed-in
//! user is the one allowed to take it; someone else's request is "not found".

mod blocks;
mod friendships;
mod requests;

use actix_web::web;
use chrono::Utc;
use diesel::prelude::*;

pub use blocks::*;
pub use friendships::*;
pub use requests::*;

use super::dto::RelatedUser;
use super::queries::{ListedUser, Position};
use crate::core::list::{ListQuery, Page};
use crate::core::{User, UserId, UserSummary, users};
use crate::db;
use crate::error::{ApiError, ErrorCode};
use crate::events::{self, Event};
use crate::state::AppState;

fn user_not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::UserNotFound,
        "There is no user with this handle.",
    )
}

fn request_not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::FriendRequestNotFound,
        "You have no such friend request.",
    )
}

// List names, which bind each list's cursors to it.
const FRIENDS: &str = "friends";
const INCOMING: &str = "friend_requests:incoming";
const OUTGOING: &str = "friend_requests:outgoing";
const BLOCKS: &str = "blocks";

type RelatedRows = fn(
    &mut PgConnection,
    UserId,
    Option<&str>,
    Option<Position>,
    i64,
) -> QueryResult<Vec<ListedUser>>;

/// A page of people related to me (friends, people I blocked), newest first:
/// `list` binds its cursors, `fetch` reads its rows.
async fn related_list(
    state: &AppState,
    me: UserId,
    query: ListQuery,
    list: &'static str,
    fetch: RelatedRows,
) -> Result<web::Json<Page<RelatedUser>>, ApiError> {
    let cursor = query.after(list)?;
    let (q, limit) = (query.q.clone(), query.limit);
    let rows = db::run(&state.pool, move |conn| {
        Ok(fetch(conn, me, q.as_deref(), cursor, limit)?)
    })
    .await?;
    Ok(web::Json(query.page(list, rows, ListedUser::position).map(
        |row| RelatedUser {
            user: summary(&row),
            since: row.at,
        },
    )))
}

/// Who learns that a relation ended, and what they learn.
type Announcement = fn(UserId, UserId) -> (Vec<UserId>, Event);

/// Ends my relation (friendship, block) with the person at `handle`, and
/// tells whom `announce` names; or answers 404 with `missing` when there
/// was none.
async fn end_relation(
    state: &AppState,
    me: UserId,
    handle: String,
    remove: fn(&mut PgConnection, UserId, UserId) -> QueryResult<usize>,
    announce: Announcement,
    missing: (ErrorCode, &'static str),
) -> Result<(), ApiError> {
    db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let other = target(conn, &handle)?;
            if remove(conn, me, other.id)? == 0 {
                return Err(ApiError::not_found(missing.0, missing.1));
            }
            let (recipients, event) = announce(me, other.id);
            events::publish(conn, &recipients, &event, Utc::now())?;
            Ok(())
        })
    })
    .await
}

fn target(conn: &mut PgConnection, handle: &str) -> Result<User, ApiError> {
    users::find_by_handle(conn, handle)?.ok_or_else(user_not_found)
}

fn summary(row: &ListedUser) -> UserSummary {
    UserSummary::new(
        row.id,
        row.handle.clone(),
        row.display_name.clone(),
        row.avatar_key.as_deref(),
        row.role,
    )
}
