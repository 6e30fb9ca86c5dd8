//! The messenger's endpoints: conversations (direct and the chat list),
//! rooms, and messages.

pub mod conversations;
pub mod messages;
pub mod rooms;

use diesel::PgConnection;

use super::queries::{self, ConversationRow};
use crate::core::{ConversationId, UserId};
use crate::error::{ApiError, ErrorCode};

pub(super) fn not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::ConversationNotFound,
        "You have no such conversation.",
    )
}

/// One answer for every refusal to let someone message someone, so that
/// nobody learns whether they were blocked or which setting refused them.
pub(super) fn cannot_message() -> ApiError {
    ApiError::forbidden(
        ErrorCode::CannotMessage,
        "This person does not take messages from you.",
    )
}

/// The conversation, locked, when `user` is in it; 404 otherwise (to
/// non-members it does not exist).
pub(super) fn as_member(
    conn: &mut PgConnection,
    id: ConversationId,
    user: UserId,
) -> Result<ConversationRow, ApiError> {
    queries::lock_as_member(conn, id, user)?.ok_or_else(not_found)
}
