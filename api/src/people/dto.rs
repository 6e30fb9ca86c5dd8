//! Request and response bodies of profiles and the user directory.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::core::{
    AvatarUrls, FriendRequestId, Locale, MessagePrivacy, OnlineStatusVisibility, UserId,
};
use crate::policy::Relationship;

/// Fields to change; omitted fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[schema(example = "Анна Каренина", min_length = 1, max_length = 64)]
    pub display_name: Option<String>,
    #[schema(example = "Пишу о книгах.", max_length = 500)]
    pub bio: Option<String>,
    pub locale: Option<Locale>,
    /// A new public id; links by id keep working.
    #[schema(
        example = "anna_k",
        min_length = 3,
        max_length = 32,
        pattern = "^[A-Za-z0-9_]{3,32}$"
    )]
    pub handle: Option<String>,
    /// Who may message me: enforced by chat.
    pub message_privacy: Option<MessagePrivacy>,
    /// Who sees when I was last online; signed-out visitors never do.
    pub online_status_visibility: Option<OnlineStatusVisibility>,
    /// Whether I send and see read receipts in conversations (on by
    /// default; off, I neither send nor see them).
    pub read_receipts: Option<bool>,
    /// Deprecated: `false` is `online_status_visibility: nobody`, `true` is
    /// `friends`; ignored when `online_status_visibility` is given.
    #[schema(deprecated)]
    pub show_online_status: Option<bool>,
}

impl UpdateMeRequest {
    pub fn online_status_visibility(&self) -> Option<OnlineStatusVisibility> {
        self.online_status_visibility
            .or(self.show_online_status.map(|shown| {
                if shown {
                    OnlineStatusVisibility::Friends
                } else {
                    OnlineStatusVisibility::Nobody
                }
            }))
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProfileStats {
    /// Forum topics started.
    pub topics: i64,
    /// Forum posts that stand (not deleted), opening posts included.
    pub posts: i64,
    /// Likes on those posts.
    pub likes_received: i64,
    pub friends: i64,
}

/// A user's public profile.
#[derive(Serialize, ToSchema)]
pub struct PublicProfile {
    pub id: UserId,
    pub handle: String,
    pub display_name: String,
    pub bio: String,
    pub avatar: AvatarUrls,
    pub created_at: DateTime<Utc>,
    /// Null unless the user shows their online status to the viewer (to
    /// everyone or to friends); always null for signed-out viewers.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Whether the user is online now (a connection open to the real-time
    /// gateway); null exactly when `last_seen_at` is hidden.
    pub online: Option<bool>,
    pub stats: ProfileStats,
    /// How the signed-in viewer relates to this user; null for anonymous viewers.
    pub relationship: Option<Relationship>,
    /// The pending request between viewer and user, to accept, decline or cancel.
    pub friend_request_id: Option<FriendRequestId>,
    /// Whether the viewer has blocked this user; null for anonymous viewers.
    pub blocked: Option<bool>,
}
