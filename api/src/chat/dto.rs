//! Request and response bodies of the messenger.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::core::chat::ChatMessage;
use crate::core::text_enum::text_enum;
use crate::core::{ConversationId, UploadId, UserId, UserSummary};

text_enum! {
    /// What a conversation is.
    pub enum ConversationKind {
        /// Exactly two people; one per pair.
        Direct = "direct",
        /// A titled group of 2–100 people with an owner.
        Room = "room",
    }
}

/// A conversation as one of its members sees it.
#[derive(Serialize, ToSchema)]
pub struct Conversation {
    pub id: ConversationId,
    pub kind: ConversationKind,
    /// Rooms only.
    pub title: Option<String>,
    /// Rooms only: who renames it and adds and removes members.
    pub owner: Option<UserSummary>,
    /// Everyone in it, me included.
    pub members: Vec<UserSummary>,
    pub last_message: Option<ChatMessage>,
    /// Messages after my read mark that others wrote.
    pub unread_count: i64,
    pub last_read_seq: i64,
    /// How far the other members have read ("read" ticks): only theirs who
    /// share read receipts, and none while I do not share mine; live
    /// changes come as `conversation_read`.
    pub read_marks: Vec<ReadMark>,
    /// Muted: no notifications, messages still arrive.
    pub muted: bool,
    pub last_activity_at: DateTime<Utc>,
}

/// How far one member has read a conversation.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReadMark {
    pub user_id: UserId,
    pub last_read_seq: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectRequest {
    pub user_id: UserId,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoomRequest {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// The others to put in it (1–99), each a friend of mine who accepts
    /// messages.
    #[schema(min_items = 1, max_items = 99)]
    pub member_ids: Vec<UserId>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameRoomRequest {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberRequest {
    pub user_id: UserId,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessageRequest {
    /// A UUID the client chooses per message: sending it again returns the
    /// same message instead of a second one.
    pub client_id: uuid::Uuid,
    /// Plain text, 1–4000 characters; may be omitted when there are pictures.
    #[schema(min_length = 1, max_length = 4000)]
    pub body: Option<String>,
    /// Up to 10 of my uploads (`POST /api/v1/uploads`).
    #[schema(max_items = 10)]
    pub upload_ids: Option<Vec<UploadId>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditMessageRequest {
    #[schema(min_length = 1, max_length = 4000)]
    pub body: String,
}

/// Which messages to read: the newest, or those just before or after a seq.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// The messages just before this seq.
    #[param(minimum = 1)]
    pub before: Option<i64>,
    /// The messages just after this seq.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// 1–50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
}

/// A stretch of a conversation, in seq order.
#[derive(Serialize, ToSchema)]
pub struct History {
    pub items: Vec<ChatMessage>,
    /// Whether more lie beyond, in the direction read.
    pub has_more: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadRequest {
    /// The newest seq read; a smaller one than before changes nothing.
    #[schema(minimum = 0)]
    pub seq: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReadState {
    pub last_read_seq: i64,
    pub unread_count: i64,
}
