//! Direct conversations, the chat list, one conversation, muting and read
//! marks.

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::Utc;
use diesel::prelude::*;

use super::{as_member, cannot_message, not_found};
use crate::chat::dto::{Conversation, ConversationKind, DirectRequest, ReadRequest, ReadState};
use crate::chat::queries::{self, ConversationRow, ListKey};
use crate::chat::{messages, unread};
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::users;
use crate::core::{AuthUser, ConversationId, UserId};
use crate::db;
use crate::db::schema::conversation_members;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::policy;
use crate::state::AppState;

const CONVERSATIONS: &str = "conversations";

/// Whether `me` may write to `other` directly: blocks either way and their
/// "who may message me" decide, with one answer for every refusal.
pub(in crate::chat) fn may_write_directly(
    conn: &mut PgConnection,
    me: UserId,
    other: UserId,
) -> Result<(), ApiError> {
    let other_user = users::find(conn, other)?.ok_or_else(cannot_message)?;
    let pair = policy::pair(conn, me, other)?;
    policy::may_message(&pair, other_user.message_privacy).map_err(|_| cannot_message())
}

/// The other person of a direct conversation.
pub(in crate::chat) fn other_member(
    conn: &mut PgConnection,
    conversation: &ConversationRow,
    me: UserId,
) -> Result<Option<UserId>, ApiError> {
    if conversation.kind != ConversationKind::Direct {
        return Ok(None);
    }
    Ok(queries::member_ids(conn, conversation.id)?
        .into_iter()
        .find(|member| *member != me))
}

/// Opens my direct conversation with someone, making it if needed (either
/// of us opening it gets the same one). It shows in their list once it
/// has a message.
#[utoipa::path(
    tag = "chat",
    request_body = DirectRequest,
    responses(
        (status = 200, description = "It existed", body = Conversation),
        (status = 201, description = "Made now", body = Conversation),
        (status = 403, description = "`cannot_message`: they do not take messages from you (for whatever reason)"),
        (status = 404, description = "`user_not_found`"),
        (status = 422, description = "`user_id` is mine"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations/direct")]
pub async fn open_direct_conversation(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<DirectRequest>,
) -> Result<HttpResponse, ApiError> {
    let (me, other) = (auth.user.id, body.user_id);
    if me == other {
        return Err(ApiError::invalid_field("user_id", FieldIssue::YourOwn));
    }
    let (conversation, made) = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            if users::find(conn, other)?.is_none() {
                return Err(ApiError::not_found(
                    ErrorCode::UserNotFound,
                    "There is no such person.",
                ));
            }
            may_write_directly(conn, me, other)?;
            let (id, made) = queries::direct(conn, me, other, Utc::now())?;
            let conversation = queries::view(conn, id, me)?.ok_or_else(not_found)?;
            Ok((conversation, made))
        })
    })
    .await?;
    Ok(if made {
        HttpResponse::Created().json(conversation)
    } else {
        HttpResponse::Ok().json(conversation)
    })
}

/// My conversations, the latest activity first.
#[utoipa::path(
    tag = "chat",
    params(ListParams),
    responses(
        (status = 200, body = Page<Conversation>),
        (status = 400, description = "`invalid_cursor` or `invalid_limit`"),
    ),
    security(("bearer" = []))
)]
#[get("/conversations")]
pub async fn list_conversations(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<Conversation>>, ApiError> {
    let after: Option<ListKey> = query.after(CONVERSATIONS)?;
    let (me, limit) = (auth.user.id, query.fetch_limit());
    let rows = db::run(&state.pool, move |conn| {
        Ok(queries::list(conn, me, after, limit)?)
    })
    .await?;
    Ok(web::Json(
        query.page(CONVERSATIONS, rows, |c| (c.last_activity_at, c.id)),
    ))
}

/// One of my conversations.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path)),
    responses((status = 200, body = Conversation), (status = 404, description = "`conversation_not_found`")),
    security(("bearer" = []))
)]
#[get("/conversations/{id}")]
pub async fn get_conversation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<ConversationId>,
) -> Result<web::Json<Conversation>, ApiError> {
    let (me, id) = (auth.user.id, id.into_inner());
    let conversation = db::run(&state.pool, move |conn| Ok(queries::view(conn, id, me)?))
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(conversation))
}

async fn set_muted(
    state: &AppState,
    auth: &AuthUser,
    id: ConversationId,
    muted: bool,
) -> Result<web::Json<Conversation>, ApiError> {
    let me = auth.user.id;
    let conversation = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let changed = diesel::update(conversation_members::table.find((id, me)))
                .filter(conversation_members::muted.ne(muted))
                .set(conversation_members::muted.eq(muted))
                .execute(conn)?;
            if changed > 0 {
                unread::announce_muting(conn, id, me, muted, Utc::now())?;
            }
            queries::view(conn, id, me)?.ok_or_else(not_found)
        })
    })
    .await?;
    Ok(web::Json(conversation))
}

/// Mutes a conversation for me: its messages still arrive, without an
/// alert and outside my unread badge; my other devices are told.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path)),
    responses((status = 200, body = Conversation), (status = 404, description = "`conversation_not_found`")),
    security(("bearer" = []))
)]
#[put("/conversations/{id}/mute")]
pub async fn mute_conversation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<ConversationId>,
) -> Result<web::Json<Conversation>, ApiError> {
    set_muted(&state, &auth, id.into_inner(), true).await
}

/// Unmutes a conversation for me.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path)),
    responses((status = 200, body = Conversation), (status = 404, description = "`conversation_not_found`")),
    security(("bearer" = []))
)]
#[delete("/conversations/{id}/mute")]
pub async fn unmute_conversation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<ConversationId>,
) -> Result<web::Json<Conversation>, ApiError> {
    set_muted(&state, &auth, id.into_inner(), false).await
}

/// Marks a conversation read up to `seq` (never back); the other members
/// and my other devices are told.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path)),
    request_body = ReadRequest,
    responses(
        (status = 200, body = ReadState),
        (status = 404, description = "`conversation_not_found`"),
        (status = 422, description = "`seq` below 0"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations/{id}/read")]
pub async fn mark_conversation_read(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<ConversationId>,
    body: web::Json<ReadRequest>,
) -> Result<web::Json<ReadState>, ApiError> {
    if body.seq < 0 {
        return Err(ApiError::invalid_field("seq", FieldIssue::InvalidValue));
    }
    let (me, id, seq) = (auth.user.id, id.into_inner(), body.seq);
    let state = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let conversation = as_member(conn, id, me)?;
            let last_read_seq = messages::mark_read(conn, &conversation, me, seq, Utc::now())?;
            Ok::<_, ApiError>(ReadState {
                last_read_seq,
                unread_count: (conversation.last_seq - last_read_seq).max(0),
            })
        })
    })
    .await?;
    Ok(web::Json(state))
}
