//! Who may do what, in one place: small pure functions over facts the caller
//! loaded (`queries::pair`), each returning a typed denial that the handler
//! maps to a problem; and the one SQL fragment that hides from a viewer the
//! people they may not see. Anonymous viewers are the most restricted viewer.

pub mod forum;
pub mod queries;

use serde::Serialize;
use utoipa::ToSchema;

use crate::core::{FriendRequestId, MessagePrivacy, OnlineStatusVisibility, Role, User, UserId};

pub use queries::{not_blocked_sql, pair};

/// What is true between a signed-in viewer and another person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pair {
    pub is_self: bool,
    /// The other person blocked the viewer.
    pub they_blocked_me: bool,
    /// The viewer blocked the other person.
    pub i_blocked_them: bool,
    pub friends: bool,
    /// The viewer's pending request to them.
    pub request_sent: Option<FriendRequestId>,
    /// Their pending request to the viewer.
    pub request_received: Option<FriendRequestId>,
}

/// How the viewer relates to a person, as shown on a profile.
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

impl Pair {
    pub fn relationship(&self) -> (Relationship, Option<FriendRequestId>) {
        if self.is_self {
            (Relationship::Myself, None)
        } else if self.friends {
            (Relationship::Friends, None)
        } else if let Some(id) = self.request_sent {
            (Relationship::RequestSent, Some(id))
        } else if let Some(id) = self.request_received {
            (Relationship::RequestReceived, Some(id))
        } else {
            (Relationship::None, None)
        }
    }

    fn blocked_either_way(&self) -> bool {
        self.they_blocked_me || self.i_blocked_them
    }
}

/// Whether `viewer` (None: signed out) may see when `person` was last online.
pub fn may_see_presence(viewer: Option<&Pair>, person: &User) -> bool {
    match viewer {
        // Never to strangers without an account: they could watch anyone.
        None => false,
        Some(pair) if pair.is_self => true,
        Some(pair) => {
            !pair.they_blocked_me
                && match person.online_status_visibility {
                    OnlineStatusVisibility::Everyone => true,
                    OnlineStatusVisibility::Friends => pair.friends,
                    OnlineStatusVisibility::Nobody => false,
                }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleDenial {
    NotAdmin,
    TargetIsAdmin,
}

/// Only admins appoint and dismiss moderators.
pub fn may_appoint_moderators(actor: Role) -> Result<(), RoleDenial> {
    match actor {
        Role::Admin => Ok(()),
        Role::User | Role::Moderator => Err(RoleDenial::NotAdmin),
    }
}

/// Only admins ban and unban people.
pub fn may_ban(actor: Role) -> Result<(), RoleDenial> {
    may_appoint_moderators(actor)
}

/// Only admins create, edit, reorder and delete categories.
pub fn may_manage_categories(actor: Role) -> Result<(), RoleDenial> {
    may_appoint_moderators(actor)
}

/// Through the API an admin stays an admin: only the operator, on the
/// command line, takes that away (so admins cannot demote each other).
pub fn may_change_role_of(target: Role) -> Result<(), RoleDenial> {
    match target {
        Role::Admin => Err(RoleDenial::TargetIsAdmin),
        Role::User | Role::Moderator => Ok(()),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FriendRequestDenial {
    Yourself,
    BlockedByThem,
    YouBlockedThem,
    AlreadyFriends,
    AlreadySent,
}

/// What sending a friend request does when it is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FriendRequestEffect {
    /// A new pending request.
    Send,
    /// They had asked already: the two become friends.
    AcceptTheirs,
}

pub fn may_send_friend_request(pair: &Pair) -> Result<FriendRequestEffect, FriendRequestDenial> {
    if pair.is_self {
        Err(FriendRequestDenial::Yourself)
    } else if pair.they_blocked_me {
        Err(FriendRequestDenial::BlockedByThem)
    } else if pair.i_blocked_them {
        Err(FriendRequestDenial::YouBlockedThem)
    } else if pair.friends {
        Err(FriendRequestDenial::AlreadyFriends)
    } else if pair.request_sent.is_some() {
        Err(FriendRequestDenial::AlreadySent)
    } else if pair.request_received.is_some() {
        Ok(FriendRequestEffect::AcceptTheirs)
    } else {
        Ok(FriendRequestEffect::Send)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockDenial {
    Yourself,
}

pub fn may_block(pair: &Pair) -> Result<(), BlockDenial> {
    if pair.is_self {
        Err(BlockDenial::Yourself)
    } else {
        Ok(())
    }
}

/// Why a message may not be sent. Deliberately one reason for blocks and
/// privacy alike, so a refusal does not reveal whether someone blocked you.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageDenial {
    NotAccepted,
}

/// Whether the viewer may start or continue a direct chat with `recipient`,
/// whose "who may message me" setting is `privacy`.
pub fn may_message(pair: &Pair, privacy: MessagePrivacy) -> Result<(), MessageDenial> {
    let accepted = !pair.is_self
        && !pair.blocked_either_way()
        && match privacy {
            MessagePrivacy::Everyone => true,
            MessagePrivacy::Friends => pair.friends,
            MessagePrivacy::Nobody => false,
        };
    if accepted {
        Ok(())
    } else {
        Err(MessageDenial::NotAccepted)
    }
}

/// A ban in force: until when (`None`: for good), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveBan {
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub reason: String,
}

impl ActiveBan {
    /// The refusal a banned person gets for anything but reading.
    pub fn refusal(&self) -> crate::error::ApiError {
        let when = self.until.map_or_else(
            || "for good".to_owned(),
            |until| {
                format!(
                    "until {}",
                    until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                )
            },
        );
        crate::error::ApiError::forbidden(
            crate::error::ErrorCode::Banned,
            format!("You are banned {when}: {}", self.reason),
        )
    }
}

/// Refuses a banned person (a banned person reads, and does nothing else).
pub fn refuse_banned(
    conn: &mut diesel::PgConnection,
    user: UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), crate::error::ApiError> {
    match queries::active_ban(conn, user, now)? {
        Some(ban) => Err(ban.refusal()),
        None => Ok(()),
    }
}

/// Whether `inviter` may put someone in a room: only a friend (not blocked
/// either way) who accepts messages from anyone or from friends.
pub fn may_add_to_room(pair: &Pair, privacy: MessagePrivacy) -> Result<(), MessageDenial> {
    let accepted = !pair.is_self
        && pair.friends
        && !pair.blocked_either_way()
        && privacy != MessagePrivacy::Nobody;
    if accepted {
        Ok(())
    } else {
        Err(MessageDenial::NotAccepted)
    }
}

#[cfg(test)]
mod tests;
