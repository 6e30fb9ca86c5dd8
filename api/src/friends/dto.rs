//! Request and response bodies of friends and blocks.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::people::dto::UserSummary;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendFriendRequest {
    #[schema(example = "anna_k", min_length = 3, max_length = 32)]
    pub handle: String,
}

#[derive(Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FriendRequestStatus {
    /// Waiting for the other user.
    Pending,
    /// The other user had already asked: you are friends now.
    Friends,
}

#[derive(Serialize, ToSchema)]
pub struct FriendRequestOutcome {
    pub status: FriendRequestStatus,
    /// The pending request; null once you are friends.
    pub request: Option<FriendRequestItem>,
}

/// A pending request, showing the other party.
#[derive(Serialize, ToSchema)]
pub struct FriendRequestItem {
    pub id: Uuid,
    pub user: UserSummary,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct FriendRequestPage {
    pub items: Vec<FriendRequestItem>,
    pub next_cursor: Option<String>,
}

/// A friend or a blocked user, and since when.
#[derive(Serialize, ToSchema)]
pub struct RelatedUser {
    pub user: UserSummary,
    pub since: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RelatedUserPage {
    pub items: Vec<RelatedUser>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FriendsSummary {
    pub friends: i64,
    pub incoming: i64,
    pub outgoing: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Filter by name or handle.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
}
