//! "Typing…": a client says it is typing in a conversation; the other
//! members' connections, on every instance, are told at once. Nothing is
//! stored: the frame says when to stop showing it, and a client that goes
//! on typing says so again. Each connection is heard at most once per
//! conversation every [`TYPING_EVERY`].

use std::collections::HashMap;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::frames::ServerFrame;
use crate::core::{ConversationId, UserId};
use crate::db::schema::conversation_members;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a client shows "typing…" after a `typing` frame.
pub const TYPING_SHOWN: Duration = Duration::from_secs(5);
/// How often one connection's typing in one conversation is passed on.
pub const TYPING_EVERY: Duration = Duration::from_secs(2);

/// Someone typing, and who is to be told: what crosses instances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypingNotice {
    pub conversation_id: ConversationId,
    pub user_id: UserId,
    pub recipients: Vec<UserId>,
}

impl TypingNotice {
    pub fn frame(&self) -> ServerFrame {
        ServerFrame::UserTyping {
            conversation_id: self.conversation_id,
            user_id: self.user_id,
            expires_in_ms: u64::try_from(TYPING_SHOWN.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// When each conversation's typing was last passed on, for one connection.
#[derive(Default)]
pub struct TypingThrottle(HashMap<ConversationId, Instant>);

impl TypingThrottle {
    /// Whether typing in `conversation` now is passed on.
    pub fn admit(&mut self, conversation: ConversationId, now: Instant) -> bool {
        let due = self
            .0
            .get(&conversation)
            .is_none_or(|last| now.duration_since(*last) >= TYPING_EVERY);
        if due {
            // Forget the quiet ones, so the map stays as small as the chat.
            self.0
                .retain(|_, last| now.duration_since(*last) < TYPING_EVERY);
            self.0.insert(conversation, now);
        }
        due
    }
}

/// Tells the other members of `conversation` that `user` is typing;
/// `false` when `user` is not in it.
pub async fn announce(
    state: &AppState,
    user: UserId,
    conversation: ConversationId,
) -> Result<bool, ApiError> {
    let members: Vec<UserId> = crate::db::run(&state.pool, move |conn| {
        Ok(conversation_members::table
            .filter(conversation_members::conversation_id.eq(conversation))
            .select(conversation_members::user_id)
            .load(conn)?)
    })
    .await?;
    if !members.contains(&user) {
        return Ok(false);
    }
    let notice = TypingNotice {
        conversation_id: conversation,
        user_id: user,
        recipients: members
            .into_iter()
            .filter(|member| *member != user)
            .collect(),
    };
    state.realtime.hub.deliver_typing(&notice);
    state.realtime.bus.publish_typing(&notice);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_passed_on_once_per_conversation_every_two_seconds() {
        let mut throttle = TypingThrottle::default();
        let (one, two) = (ConversationId::generate(), ConversationId::generate());
        let start = Instant::now();
        assert!(throttle.admit(one, start));
        assert!(!throttle.admit(one, start + Duration::from_millis(1500)));
        assert!(throttle.admit(two, start + Duration::from_millis(1500)));
        assert!(throttle.admit(one, start + Duration::from_millis(2000)));
    }
}
