//! Request and response bodies of profiles and the user directory.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::domain::MessagePrivacy;
use crate::accounts::domain::Locale;
use crate::media::AvatarUrls;

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
    pub show_online_status: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}

/// A user as shown in lists.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: Uuid,
    #[schema(example = "anna_k")]
    pub handle: String,
    #[schema(example = "Анна Каренина")]
    pub display_name: String,
    pub avatar: AvatarUrls,
}

impl UserSummary {
    pub fn new(id: Uuid, handle: String, display_name: String, avatar_key: Option<&str>) -> Self {
        let avatar = AvatarUrls::of(id, &display_name, avatar_key);
        Self {
            id,
            handle,
            display_name,
            avatar,
        }
    }
}

/// A page of users; pass `next_cursor` back as `cursor` for the next page.
#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserSummary>,
    pub next_cursor: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    #[serde(rename = "self")]
    Myself,
    Friends,
    RequestSent,
    RequestReceived,
    None,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileStats {
    pub topics: i64,
    pub posts: i64,
    pub friends: i64,
}

/// A user's public profile.
#[derive(Serialize, ToSchema)]
pub struct PublicProfile {
    pub id: Uuid,
    pub handle: String,
    pub display_name: String,
    pub bio: String,
    pub avatar: AvatarUrls,
    pub created_at: DateTime<Utc>,
    /// Null when the user hides their online status.
    pub last_seen_at: Option<DateTime<Utc>>,
    pub stats: ProfileStats,
    /// How the signed-in viewer relates to this user; null for anonymous viewers.
    pub relationship: Option<Relationship>,
    /// The pending request between viewer and user, to accept, decline or cancel.
    pub friend_request_id: Option<Uuid>,
    /// Whether the viewer has blocked this user; null for anonymous viewers.
    pub blocked: Option<bool>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Search text: name or handle, any letter case, Cyrillic or Latin.
    #[param(example = "анна", max_length = 100)]
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
}

impl PageQuery {
    pub const DEFAULT_LIMIT: i64 = 20;
    pub const MAX_LIMIT: i64 = 50;
    pub const MAX_Q: usize = 100;
}
