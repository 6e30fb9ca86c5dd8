//! How a chat message appears on the wire: in answers and in the live
//! events every member's devices receive.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ids::{ConversationId, MessageId};
use super::pictures::Picture;
use super::profile::UserSummary;

/// A message in a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChatMessage {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    /// Its place in the conversation: 1, 2, 3, … without gaps.
    pub seq: i64,
    /// Null once the sender's account is gone.
    pub sender: Option<UserSummary>,
    /// The id the sender's client chose, which makes a retry safe.
    pub client_id: uuid::Uuid,
    /// Plain text (clients make links clickable); null once deleted.
    pub body: Option<String>,
    pub images: Vec<Picture>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted: bool,
}
