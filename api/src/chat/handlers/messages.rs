//! Sending, reading, editing and deleting messages.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::Utc;
use diesel::Connection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::as_member;
use super::conversations::{may_write_directly, other_member};
use crate::chat::domain::{EDIT_WINDOW, MessageBody};
use crate::chat::dto::{EditMessageRequest, History, HistoryQuery, NewMessageRequest};
use crate::chat::messages::{self, Stretch};
use crate::chat::sending::{self, NewMessage};
use crate::core::chat::ChatMessage;
use crate::core::{AuthUser, ConversationId, UploadId, UserSummary};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::rate_limit::UserAction;
use crate::state::AppState;

/// The constraint that keeps a person's client ids unique.
const CLIENT_ID_CONSTRAINT: &str = "messages_sender_id_client_id_key";

/// The most pictures a message shows.
const MAX_PICTURES: usize = 10;

fn message_not_found() -> ApiError {
    ApiError::not_found(ErrorCode::MessageNotFound, "There is no such message.")
}

/// Sends a message: text and/or up to 10 of my pictures. Sending the same
/// `client_id` again answers the message it made (200), never a second one.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path)),
    request_body = NewMessageRequest,
    responses(
        (status = 200, description = "Sent before with this `client_id`", body = ChatMessage),
        (status = 201, description = "Sent", body = ChatMessage),
        (status = 403, description = "`cannot_message` (a direct conversation whose other person does not take messages from you) or `banned`"),
        (status = 404, description = "`conversation_not_found`"),
        (status = 422, description = "No text and no picture, text over 4000 characters, or a picture that is not mine"),
        (status = 429, description = "`rate_limited`: more than 30 at once, then 3 a second"),
    ),
    security(("bearer" = []))
)]
#[post("/conversations/{id}/messages")]
pub async fn send_message(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<ConversationId>,
    body: web::Json<NewMessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let text = request
        .body
        .as_deref()
        .map(|text| {
            MessageBody::parse(text).map_err(|issue| ApiError::invalid_field("body", issue))
        })
        .transpose()?;
    let mut pictures: Vec<UploadId> = Vec::new();
    for upload in request.upload_ids.unwrap_or_default() {
        if !pictures.contains(&upload) {
            pictures.push(upload);
        }
    }
    if pictures.len() > MAX_PICTURES {
        return Err(ApiError::invalid_field(
            "upload_ids",
            FieldIssue::TooManyImages,
        ));
    }
    if text.is_none() && pictures.is_empty() {
        return Err(ApiError::invalid_field("body", FieldIssue::Required));
    }
    let (me, id, client_id) = (auth.user.id, id.into_inner(), request.client_id);
    let sender = UserSummary::from(&auth.user);
    state.rate_limits.user_action(me, UserAction::ChatMessage)?;
    let (message, published) = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let now = Utc::now();
            crate::policy::refuse_banned(conn, me, now)?;
            // Locked first: a retry racing the first try waits for it here,
            // then finds what it sent.
            let conversation = as_member(conn, id, me)?;
            if let Some(sent) = messages::sent_before(conn, me, client_id)? {
                if sent.conversation_id != id {
                    return Err(ApiError::invalid_field(
                        "client_id",
                        FieldIssue::AlreadyTaken,
                    ));
                }
                let message = messages::one(conn, id, sent.seq)?.ok_or_else(message_not_found)?;
                return Ok((message, None));
            }
            if let Some(other) = other_member(conn, &conversation, me)? {
                may_write_directly(conn, me, other)?;
            }
            let Some(images) = sending::owned_pictures(conn, me, &pictures)? else {
                return Err(ApiError::invalid_field(
                    "upload_ids",
                    FieldIssue::NoSuchUpload,
                ));
            };
            let new = NewMessage {
                sender: &sender,
                client_id,
                body: text.as_ref().map(MessageBody::as_str),
                images,
            };
            match sending::send(conn, &conversation, new, now) {
                Ok((message, published)) => Ok((message, Some(published))),
                // The same client id sent to another conversation at this
                // very moment: its lock does not cover this one.
                Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
                    if info.constraint_name() == Some(CLIENT_ID_CONSTRAINT) =>
                {
                    Err(ApiError::invalid_field(
                        "client_id",
                        FieldIssue::AlreadyTaken,
                    ))
                }
                Err(error) => Err(error.into()),
            }
        })
    })
    .await?;
    Ok(match published {
        Some(published) => {
            // Committed: the members' connections here need not read it.
            state.realtime.hand_over(&published);
            HttpResponse::Created().json(message)
        }
        None => HttpResponse::Ok().json(message),
    })
}

/// A stretch of the conversation in seq order: the newest messages, or those
/// just `before` or `after` a seq.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path), HistoryQuery),
    responses(
        (status = 200, body = History),
        (status = 400, description = "`invalid_query`: both `before` and `after`, or `limit` outside 1–50"),
        (status = 404, description = "`conversation_not_found`"),
    ),
    security(("bearer" = []))
)]
#[get("/conversations/{id}/messages")]
pub async fn list_messages(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<ConversationId>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<History>, ApiError> {
    let stretch = match (query.before, query.after) {
        (None, None) => Stretch::Newest,
        (Some(before), None) => Stretch::Before(before),
        (None, Some(after)) => Stretch::After(after),
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                ErrorCode::InvalidQuery,
                "Give `before` or `after`, not both.",
            ));
        }
    };
    let limit = query.limit.unwrap_or(20);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidLimit,
            "`limit` must be between 1 and 50.",
        ));
    }
    let (me, id) = (auth.user.id, id.into_inner());
    let (items, has_more) = db::run(&state.pool, move |conn| {
        if !crate::chat::queries::is_member(conn, id, me)? {
            return Err(super::not_found());
        }
        Ok(messages::history(conn, id, stretch, limit)?)
    })
    .await?;
    Ok(web::Json(History { items, has_more }))
}

/// Edits my message within 48 hours of sending it; everyone sees it was edited.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path), ("seq" = i64, Path)),
    request_body = EditMessageRequest,
    responses(
        (status = 200, body = ChatMessage),
        (status = 403, description = "`not_allowed` (not mine), `edit_window_closed` or `banned`"),
        (status = 404, description = "`conversation_not_found` or `message_not_found`"),
        (status = 409, description = "`message_deleted`"),
        (status = 422, description = "Invalid text"),
    ),
    security(("bearer" = []))
)]
#[patch("/conversations/{id}/messages/{seq}")]
pub async fn edit_message(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(ConversationId, i64)>,
    body: web::Json<EditMessageRequest>,
) -> Result<web::Json<ChatMessage>, ApiError> {
    let text =
        MessageBody::parse(&body.body).map_err(|issue| ApiError::invalid_field("body", issue))?;
    let (id, seq) = path.into_inner();
    let me = auth.user.id;
    let message = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let now = Utc::now();
            crate::policy::refuse_banned(conn, me, now)?;
            as_member(conn, id, me)?;
            let message = messages::lock(conn, id, seq)?.ok_or_else(message_not_found)?;
            if message.sender_id != Some(me) {
                return Err(ApiError::forbidden(
                    ErrorCode::NotAllowed,
                    "Only its sender edits a message.",
                ));
            }
            if message.deleted_at.is_some() {
                return Err(ApiError::conflict(
                    ErrorCode::MessageDeleted,
                    "This message was deleted.",
                ));
            }
            if now - message.created_at > EDIT_WINDOW {
                return Err(ApiError::forbidden(
                    ErrorCode::EditWindowClosed,
                    "A message can be edited for 48 hours after it was sent.",
                ));
            }
            Ok(messages::edit(conn, &message, text.as_str(), now)?)
        })
    })
    .await?;
    Ok(web::Json(message))
}

/// Deletes my message: its number stays, its words and pictures go, for
/// everyone.
#[utoipa::path(
    tag = "chat",
    params(("id" = ConversationId, Path), ("seq" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`not_allowed`: not mine"),
        (status = 404, description = "`conversation_not_found` or `message_not_found`"),
        (status = 409, description = "`message_deleted`: deleted already"),
    ),
    security(("bearer" = []))
)]
#[delete("/conversations/{id}/messages/{seq}")]
pub async fn delete_message(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(ConversationId, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, seq) = path.into_inner();
    let me = auth.user.id;
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            as_member(conn, id, me)?;
            let message = messages::lock(conn, id, seq)?.ok_or_else(message_not_found)?;
            if message.sender_id != Some(me) {
                return Err(ApiError::forbidden(
                    ErrorCode::NotAllowed,
                    "Only its sender deletes a message.",
                ));
            }
            if message.deleted_at.is_some() {
                return Err(ApiError::conflict(
                    ErrorCode::MessageDeleted,
                    "This message was deleted.",
                ));
            }
            Ok(messages::delete(conn, &message, Utc::now())?)
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
