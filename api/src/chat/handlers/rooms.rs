//! Rooms: made by their owner with friends who accept messages; the owner
//! renames them and adds and removes members; anyone leaves.

use actix_web::{HttpResponse, delete, patch, post, web};
use chrono::Utc;
use diesel::prelude::*;

use super::{as_member, not_found};
use crate::chat::domain::{ROOM_MAX, RoomTitle};
use crate::chat::dto::{
    AddMemberRequest, Conversation, ConversationKind, NewRoomRequest, RenameRoomRequest,
};
use crate::chat::queries::{self, ConversationRow};
use crate::core::users;
use crate::core::{AuthUser, ConversationId, UserId};
use crate::db;
use crate::db::schema::conversations;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::policy;
use crate::state::AppState;

fn not_a_room() -> ApiError {
    ApiError::conflict(
        ErrorCode::NotARoom,
        "A direct conversation has no members to change.",
    )
}

fn owner_only() -> ApiError {
    ApiError::forbidden(ErrorCode::NotAllowed, "Only the room's owner does this.")
}

/// Whether `inviter` may put `person` in a room: a friend who accepts messages.
fn may_add(conn: &mut PgConnection, inviter: UserId, person: UserId) -> Result<bool, ApiError> {
    let Some(user) = users::find(conn, person)? else {
        return Ok(false);
    };
    let pair = policy::pair(conn, inviter, person)?;
    Ok(policy::may_add_to_room(&pair, user.message_privacy).is_ok())
}

/// Makes a room of me (its owner) and 1–99 of my friends who accept messages.
#[utoipa::path(
    tag = "chat",
    request_body = NewRoomRequest,
    responses(
        (status = 201, body = Conversation),
        (status = 403, description = "`banned`"),
        (status = 422, description = "A title of 1–100 characters, and 1–99 friends who accept messages (`not_a_friend`, `room_size`)"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations/rooms")]
pub async fn create_room(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<NewRoomRequest>,
) -> Result<HttpResponse, ApiError> {
    let title =
        RoomTitle::parse(&body.title).map_err(|issue| ApiError::invalid_field("title", issue))?;
    let me = auth.user.id;
    let mut others: Vec<UserId> = Vec::new();
    for member in &body.member_ids {
        if *member != me && !others.contains(member) {
            others.push(*member);
        }
    }
    if others.is_empty() || others.len() >= ROOM_MAX {
        return Err(ApiError::invalid_field("member_ids", FieldIssue::RoomSize));
    }
    let room = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let now = Utc::now();
            policy::refuse_banned(conn, me, now)?;
            for other in &others {
                if !may_add(conn, me, *other)? {
                    return Err(ApiError::invalid_field(
                        "member_ids",
                        FieldIssue::NotAFriend,
                    ));
                }
            }
            let id = queries::create_room(conn, me, title.as_str(), &others, now)?;
            queries::announce_change(conn, id, now)?;
            queries::view(conn, id, me)?.ok_or_else(not_found)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(room))
}

/// Locks a room I am in, for its owner's changes.
fn owned_room(
    conn: &mut PgConnection,
    id: ConversationId,
    me: UserId,
) -> Result<ConversationRow, ApiError> {
    let room = as_member(conn, id, me)?;
    if room.kind != ConversationKind::Room {
        return Err(not_a_room());
    }
    if room.owner_id != Some(me) {
        return Err(owner_only());
    }
    Ok(room)
}

/// Renames a room (its owner).
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path)),
    request_body = RenameRoomRequest,
    responses(
        (status = 200, body = Conversation),
        (status = 403, description = "`not_allowed`: the owner only"),
        (status = 404, description = "`conversation_not_found`"),
        (status = 409, description = "`not_a_room`"),
        (status = 422, description = "A title of 1–100 characters"),
    ),
    security(("bearer" = []))
)]
#[patch("/conversations/{id}")]
pub async fn rename_room(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<ConversationId>,
    body: web::Json<RenameRoomRequest>,
) -> Result<web::Json<Conversation>, ApiError> {
    let title =
        RoomTitle::parse(&body.title).map_err(|issue| ApiError::invalid_field("title", issue))?;
    let (me, id) = (auth.user.id, id.into_inner());
    let room = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let room = owned_room(conn, id, me)?;
            diesel::update(conversations::table.find(room.id))
                .set(conversations::title.eq(title.as_str()))
                .execute(conn)?;
            queries::announce_change(conn, room.id, Utc::now())?;
            queries::view(conn, id, me)?.ok_or_else(not_found)
        })
    })
    .await?;
    Ok(web::Json(room))
}

/// Adds one of my friends who accepts messages to a room I own.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path)),
    request_body = AddMemberRequest,
    responses(
        (status = 200, body = Conversation),
        (status = 403, description = "`not_allowed`: the owner only"),
        (status = 404, description = "`conversation_not_found`"),
        (status = 409, description = "`not_a_room`, `already_a_member` or `room_full`"),
        (status = 422, description = "`not_a_friend`: not a friend of mine who accepts messages"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations/{id}/members")]
pub async fn add_room_member(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<ConversationId>,
    body: web::Json<AddMemberRequest>,
) -> Result<web::Json<Conversation>, ApiError> {
    let (me, id, person) = (auth.user.id, id.into_inner(), body.user_id);
    let room = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let room = owned_room(conn, id, me)?;
            let members = queries::member_ids(conn, room.id)?;
            if members.contains(&person) {
                return Err(ApiError::conflict(
                    ErrorCode::AlreadyAMember,
                    "They are in the room already.",
                ));
            }
            if members.len() >= ROOM_MAX {
                return Err(ApiError::conflict(
                    ErrorCode::RoomFull,
                    "A room holds at most 100 people.",
                ));
            }
            if !may_add(conn, me, person)? {
                return Err(ApiError::invalid_field("user_id", FieldIssue::NotAFriend));
            }
            let now = Utc::now();
            queries::add_member(conn, room.id, person, now, Some(now))?;
            queries::announce_change(conn, room.id, now)?;
            queries::view(conn, id, me)?.ok_or_else(not_found)
        })
    })
    .await?;
    Ok(web::Json(room))
}

/// Takes someone out of a room: its owner removes anyone, anyone removes
/// themselves (leaves). An owner who leaves hands the room to the
/// longest-standing member.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path), ("user_id" = UserId, Path)),
    responses(
        (status = 204, description = "Out of the room"),
        (status = 403, description = "`not_allowed`: only the owner removes others"),
        (status = 404, description = "`conversation_not_found`, or they are not in it (`user_not_found`)"),
        (status = 409, description = "`not_a_room`"),
    ),
    security(("bearer" = []))
)]
#[delete("/conversations/{id}/members/{user_id}")]
pub async fn remove_room_member(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(ConversationId, UserId)>,
) -> Result<HttpResponse, ApiError> {
    let (id, person) = path.into_inner();
    let me = auth.user.id;
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let room = as_member(conn, id, me)?;
            if room.kind != ConversationKind::Room {
                return Err(not_a_room());
            }
            if person != me && room.owner_id != Some(me) {
                return Err(owner_only());
            }
            if !queries::is_member(conn, room.id, person)? {
                return Err(ApiError::not_found(
                    ErrorCode::UserNotFound,
                    "They are not in this room.",
                ));
            }
            queries::remove_member(conn, &room, person, Utc::now())?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
