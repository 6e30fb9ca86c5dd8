//! Request and response bodies of friends and blocks.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::core::{FriendRequestId, UserSummary};

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
    pub id: FriendRequestId,
    pub user: UserSummary,
    pub created_at: DateTime<Utc>,
}

/// A friend or a blocked user, and since when.
#[derive(Serialize, ToSchema)]
pub struct RelatedUser {
    pub user: UserSummary,
    pub since: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct FriendsSummary {
    pub friends: i64,
    pub incoming: i64,
    pub outgoing: i64,
}
