//! Sending, answering and listing friend requests.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::Utc;

use super::super::dto::{
    FriendRequestItem, FriendRequestOutcome, FriendRequestStatus, SendFriendRequest,
};
use super::super::queries::{self, ListedUser};
use super::{INCOMING, OUTGOING, request_not_found, summary, target};
use crate::core::list::{ListParams, ListQuery, Page};
use crate::core::{AuthUser, FriendRequestId, UserId, UserSummary};
use crate::db;
use crate::error::{ApiError, ErrorCode, FieldIssue};
use crate::events::{self, Event};
use crate::notifications::{self, Notice, NotificationKind};
use crate::policy::{self, FriendRequestDenial, FriendRequestEffect};
use crate::rate_limit::UserAction;
use crate::state::AppState;

fn friend_request_denied(denial: FriendRequestDenial) -> ApiError {
    match denial {
        FriendRequestDenial::Yourself => ApiError::invalid_field("handle", FieldIssue::YourOwn)
            .with_code(ErrorCode::CannotBefriendSelf),
        FriendRequestDenial::BlockedByThem => ApiError::forbidden(
            ErrorCode::BlockedByUser,
            "This user does not accept requests from you.",
        ),
        FriendRequestDenial::YouBlockedThem => ApiError::conflict(
            ErrorCode::UserBlocked,
            "You blocked this user; unblock them first.",
        ),
        FriendRequestDenial::AlreadyFriends => {
            ApiError::conflict(ErrorCode::AlreadyFriends, "You are already friends.")
        }
        FriendRequestDenial::AlreadySent => ApiError::conflict(
            ErrorCode::RequestAlreadySent,
            "You already sent this user a request.",
        ),
    }
}

/// Send a friend request. If that user already asked you, you become friends.
#[utoipa::path(
    tag = "friends",
    request_body = SendFriendRequest,
    responses(
        (status = 201, description = "Request sent", body = FriendRequestOutcome),
        (status = 200, description = "They had asked you: you are friends now", body = FriendRequestOutcome),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "This user blocked you (`blocked_by_user`)"),
        (status = 404, description = "No such user (`user_not_found`)"),
        (status = 409, description = "`already_friends`, `request_already_sent`, or you blocked them (`user_blocked`)"),
        (status = 422, description = "A request to yourself (`cannot_befriend_self`)"),
        (status = 429, description = "`rate_limited`: over 20 requests at once, then 20 an hour"),
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
    state
        .rate_limits
        .user_action(me, UserAction::FriendRequest)?;
    let sender = UserSummary::from(&auth.user);
    let handle = body.into_inner().handle;
    let outcome = db::run(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            let other = target(conn, &handle)?;
            // Crossing requests and blocks between the two cannot race.
            queries::lock_pair(conn, me, other.id)?;
            let pair = policy::pair(conn, me, other.id)?;
            match policy::may_send_friend_request(&pair).map_err(friend_request_denied)? {
                FriendRequestEffect::AcceptTheirs => {
                    queries::befriend(conn, me, other.id)?;
                    if let Some(request_id) = pair.request_received {
                        let accepted = Event::FriendRequestAccepted {
                            request_id,
                            sender_id: other.id,
                            recipient_id: me,
                        };
                        events::publish(conn, &[me, other.id], &accepted, Utc::now())?;
                        let told = Notice::new(other.id, NotificationKind::FriendAccepted, me);
                        notifications::record(conn, &told, Utc::now())?;
                    }
                    return Ok(FriendRequestOutcome {
                        status: FriendRequestStatus::Friends,
                        request: None,
                    });
                }
                FriendRequestEffect::Send => {}
            }
            let request = queries::insert_request(conn, me, other.id)?;
            let sent = Event::FriendRequestSent {
                request_id: request.id,
                sender: Box::new(sender.clone()),
                recipient: Box::new(UserSummary::from(&other)),
                created_at: request.created_at,
            };
            events::publish(conn, &[me, other.id], &sent, Utc::now())?;
            let told = Notice::new(other.id, NotificationKind::FriendRequest, me);
            notifications::record(conn, &told, Utc::now())?;
            Ok(FriendRequestOutcome {
                status: FriendRequestStatus::Pending,
                request: Some(FriendRequestItem {
                    id: request.id,
                    user: UserSummary::from(&other),
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
    me: UserId,
    id: FriendRequestId,
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
            let (request_id, sender_id, recipient_id) =
                (id, request.sender_id, request.recipient_id);
            let settled = match (party, befriend) {
                (Party::Recipient, true) => Event::FriendRequestAccepted {
                    request_id,
                    sender_id,
                    recipient_id,
                },
                (Party::Recipient, false) => Event::FriendRequestDeclined {
                    request_id,
                    sender_id,
                    recipient_id,
                },
                (Party::Sender, _) => Event::FriendRequestCancelled {
                    request_id,
                    sender_id,
                    recipient_id,
                },
            };
            events::publish(conn, &[sender_id, recipient_id], &settled, Utc::now())?;
            if let (Party::Recipient, true) = (party, befriend) {
                let told = Notice::new(sender_id, NotificationKind::FriendAccepted, recipient_id);
                notifications::record(conn, &told, Utc::now())?;
            }
            Ok(())
        })
    })
    .await
}

/// Accept a friend request sent to me.
#[utoipa::path(
    tag = "friends",
    params(("id" = FriendRequestId, Path, description = "Friend request id")),
    responses(
        (status = 204, description = "You are friends now"),
        (status = 404, description = "No such request addressed to you"),
    ),
    security(("bearer" = []))
)]
#[post("/friends/requests/{id}/accept")]
pub async fn accept_friend_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<FriendRequestId>,
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
    params(("id" = FriendRequestId, Path, description = "Friend request id")),
    responses(
        (status = 204, description = "Declined"),
        (status = 404, description = "No such request addressed to you"),
    ),
    security(("bearer" = []))
)]
#[post("/friends/requests/{id}/decline")]
pub async fn decline_friend_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<FriendRequestId>,
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
    params(("id" = FriendRequestId, Path, description = "Friend request id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 404, description = "No such request of yours"),
    ),
    security(("bearer" = []))
)]
#[delete("/friends/requests/{id}")]
pub async fn cancel_friend_request(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<FriendRequestId>,
) -> Result<HttpResponse, ApiError> {
    settle_request(&state, auth.user.id, id.into_inner(), Party::Sender, false).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn request_page(
    state: &AppState,
    me: UserId,
    query: ListQuery,
    incoming: bool,
) -> Result<Page<FriendRequestItem>, ApiError> {
    let list = if incoming { INCOMING } else { OUTGOING };
    let cursor = query.after(list)?;
    let (q, limit) = (query.q.clone(), query.limit);
    let rows = db::run(&state.pool, move |conn| {
        Ok(if incoming {
            queries::list_incoming(conn, me, q.as_deref(), cursor, limit)?
        } else {
            queries::list_outgoing(conn, me, q.as_deref(), cursor, limit)?
        })
    })
    .await?;
    Ok(query
        .page(list, rows, ListedUser::position)
        .map(|row| FriendRequestItem {
            id: FriendRequestId::from_uuid(row.key),
            user: summary(&row),
            created_at: row.at,
        }))
}

/// Friend requests sent to me, newest first.
#[utoipa::path(
    tag = "friends",
    params(ListParams),
    responses((status = 200, body = Page<FriendRequestItem>)),
    security(("bearer" = []))
)]
#[get("/friends/requests/incoming")]
pub async fn list_incoming_friend_requests(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<FriendRequestItem>>, ApiError> {
    Ok(web::Json(
        request_page(&state, auth.user.id, query, true).await?,
    ))
}

/// Friend requests I sent, newest first.
#[utoipa::path(
    tag = "friends",
    params(ListParams),
    responses((status = 200, body = Page<FriendRequestItem>)),
    security(("bearer" = []))
)]
#[get("/friends/requests/outgoing")]
pub async fn list_outgoing_friend_requests(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: ListQuery,
) -> Result<web::Json<Page<FriendRequestItem>>, ApiError> {
    Ok(web::Json(
        request_page(&state, auth.user.id, query, false).await?,
    ))
}
