//! The per-person event log: what each person's devices must learn, in
//! order. Infrastructure every feature publishes through, like `jobs`, not
//! a feature itself. A feature records events with [`publish`] in the transaction of
//! the change that causes them, so an event exists exactly when its change
//! does; each recipient's events are numbered 1, 2, 3, … without gaps.
//! Clients read what they missed after the last number they saw
//! (`GET /api/v1/events`); the real-time gateway delivers the same events
//! live.

pub mod handlers;
pub mod queries;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::core::chat::ChatMessage;
use crate::core::{
    ConversationId, FriendRequestId, MeResponse, NotificationId, SessionId, UserId, UserSummary,
};
use crate::notifications::Notification;

pub use queries::publish;

/// Something that happened which a person's devices must learn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A friend request was sent: to its recipient, and to the sender's
    /// other devices.
    FriendRequestSent {
        request_id: FriendRequestId,
        sender: Box<UserSummary>,
        recipient: Box<UserSummary>,
        created_at: DateTime<Utc>,
    },
    /// The recipient accepted: the two are friends. To both.
    FriendRequestAccepted {
        request_id: FriendRequestId,
        sender_id: UserId,
        recipient_id: UserId,
    },
    /// The recipient declined. To both.
    FriendRequestDeclined {
        request_id: FriendRequestId,
        sender_id: UserId,
        recipient_id: UserId,
    },
    /// The sender took the request back, or a block removed it. To both.
    FriendRequestCancelled {
        request_id: FriendRequestId,
        sender_id: UserId,
        recipient_id: UserId,
    },
    /// The two are no longer friends. To both.
    FriendshipEnded { user_ids: [UserId; 2] },
    /// I blocked someone: to my own devices only; they are not told.
    UserBlocked { user_id: UserId },
    /// I unblocked someone: to my own devices only.
    UserUnblocked { user_id: UserId },
    /// One of my sessions ended (signed out, ended from another device, by
    /// a password change or reset, or a reused refresh token): the devices
    /// signed in with it sign out.
    SessionEnded { session_id: SessionId },
    /// My profile or settings changed, on this device or another.
    ProfileChanged { me: Box<MeResponse> },
    /// A notification reached my inbox (or a like notification grew).
    NotificationReceived {
        notification: Box<Notification>,
        /// My unread notifications now.
        unread_count: i64,
    },
    /// A message was written in a conversation I am in (by me, too).
    MessageCreated {
        conversation_id: ConversationId,
        message: Box<ChatMessage>,
        /// Whether my devices should alert me (a sound, a desktop
        /// notification): not for my own messages, nor where I muted.
        #[serde(default)]
        alert: bool,
        /// My unread messages now, in the conversations I did not mute:
        /// the badge.
        #[serde(default)]
        unread_messages: i64,
    },
    /// A message was edited.
    MessageEdited {
        conversation_id: ConversationId,
        message: Box<ChatMessage>,
    },
    /// A message was deleted: its number stays, its words go.
    MessageDeleted {
        conversation_id: ConversationId,
        seq: i64,
    },
    /// Someone (or I, on another device) read a conversation up to `seq`.
    ConversationRead {
        conversation_id: ConversationId,
        user_id: UserId,
        seq: i64,
        /// When I read it: my unread messages now, in the conversations I
        /// did not mute (absent from others' read marks).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unread_messages: Option<i64>,
    },
    /// I muted or unmuted a conversation, on this device or another.
    ConversationMuted {
        conversation_id: ConversationId,
        muted: bool,
        /// My unread messages now, in the conversations I did not mute.
        unread_messages: i64,
    },
    /// A room I am in was made, renamed, or its members changed: reload it.
    ConversationChanged { conversation_id: ConversationId },
    /// I left a room, or was removed from it.
    ConversationLeft {
        conversation_id: ConversationId,
        /// My unread messages now, in the conversations I did not mute.
        #[serde(default)]
        unread_messages: i64,
    },
    /// I read notifications on one of my devices: these, or all when null.
    NotificationsRead {
        ids: Option<Vec<NotificationId>>,
        unread_count: i64,
    },
}

/// An event as a recipient reads it: its number in their log and when.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LoggedEvent {
    /// This person's event number: 1, 2, 3, … without gaps.
    pub seq: i64,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub event: Event,
}

/// A stretch of a person's log as read: the events this version of the
/// server understands, and the numbers of the rows read, so that a reader
/// goes on after all of them.
#[derive(Clone, Debug)]
pub struct LogPage {
    pub events: Vec<LoggedEvent>,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    pub rows: usize,
}

/// Where a person's log stands, and what they may still read of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogBounds {
    /// The number of the newest event (0: none yet).
    pub position: i64,
    /// The number of the oldest event still kept, if any.
    pub oldest_kept: Option<i64>,
}

impl LogBounds {
    /// Whether every event after `after` can still be read: otherwise the
    /// client must reload what it shows (some were pruned, or it claims a
    /// position this person never reached).
    pub fn can_resume_after(&self, after: i64) -> bool {
        if after < 0 || after > self.position {
            return false;
        }
        match self.oldest_kept {
            Some(oldest) => after >= oldest - 1,
            None => after == self.position,
        }
    }
}

#[derive(Queryable)]
pub(crate) struct EventRow {
    pub seq: i64,
    pub event: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resuming_needs_every_later_event_kept() {
        let bounds = LogBounds {
            position: 10,
            oldest_kept: Some(4),
        };
        assert!(bounds.can_resume_after(3), "4..=10 are all kept");
        assert!(bounds.can_resume_after(10), "nothing new");
        assert!(!bounds.can_resume_after(2), "3 was pruned");
        assert!(!bounds.can_resume_after(11), "never reached");
        assert!(!bounds.can_resume_after(-1));
        let empty = LogBounds {
            position: 0,
            oldest_kept: None,
        };
        assert!(empty.can_resume_after(0));
        let all_pruned = LogBounds {
            position: 5,
            oldest_kept: None,
        };
        assert!(all_pruned.can_resume_after(5));
        assert!(!all_pruned.can_resume_after(4));
    }

    #[test]
    fn events_are_tagged_by_type() {
        let event = Event::UserBlocked {
            user_id: UserId::nil(),
        };
        let json = serde_json::to_value(&event).expect("serialises");
        assert_eq!(json["type"], "user_blocked");
        assert_eq!(
            serde_json::from_value::<Event>(json).expect("reads back"),
            event
        );
    }
}
