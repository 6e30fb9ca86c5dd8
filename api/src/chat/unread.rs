//! What a person's badge counts and when their devices alert: the unread
//! messages of the conversations they have not muted. Muting silences a
//! conversation (no alert, no badge) without holding anything back: its
//! messages still arrive and its own unread count still shows in the list.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Uuid};

use crate::core::chat::ChatMessage;
use crate::core::{ConversationId, UserId};
use crate::events::queries::Published;
use crate::events::{self, Event};

/// The unread messages across my conversations that are not muted, as
/// they stand in this transaction.
const UNREAD_TOTAL: &str = "SELECT COALESCE(SUM(c.last_seq - m.last_read_seq), 0)::bigint \
     FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id \
     WHERE m.user_id = $1 AND NOT m.muted";

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// The badge: `user`'s unread messages in the conversations they did not mute.
pub fn unread_total(conn: &mut PgConnection, user: UserId) -> QueryResult<i64> {
    diesel::sql_query(format!("SELECT ({UNREAD_TOTAL}) AS total"))
        .bind::<Uuid, _>(user)
        .get_result::<Total>(conn)
        .map(|row| row.total)
}

#[derive(QueryableByName)]
struct Recipient {
    #[diesel(sql_type = Uuid)]
    user_id: UserId,
    #[diesel(sql_type = Bool)]
    muted: bool,
    #[diesel(sql_type = BigInt)]
    unread: i64,
}

/// Tells every member's devices of a new message, each with whether to
/// alert (not for their own, not where they muted) and their badge now:
/// one statement for all the members, and one to record all their events.
pub fn announce(
    conn: &mut PgConnection,
    message: &ChatMessage,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Published>> {
    let recipients: Vec<Recipient> = diesel::sql_query(format!(
        "SELECT r.user_id, r.muted, ({}) AS unread \
         FROM conversation_members r WHERE r.conversation_id = $1",
        UNREAD_TOTAL.replace("$1", "r.user_id")
    ))
    .bind::<Uuid, _>(message.conversation_id)
    .load(conn)?;
    let sender = message.sender.as_ref().map(|sender| sender.id);
    let events = recipients
        .into_iter()
        .map(|recipient| {
            let event = Event::MessageCreated {
                conversation_id: message.conversation_id,
                message: Box::new(message.clone()),
                alert: !recipient.muted && sender != Some(recipient.user_id),
                unread_messages: recipient.unread,
            };
            (recipient.user_id, event)
        })
        .collect();
    events::queries::publish_each(conn, events, now)
}

/// Tells my devices that I muted or unmuted a conversation, with my badge now.
pub fn announce_muting(
    conn: &mut PgConnection,
    conversation_id: ConversationId,
    user: UserId,
    muted: bool,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let event = Event::ConversationMuted {
        conversation_id,
        muted,
        unread_messages: unread_total(conn, user)?,
    };
    events::publish(conn, &[user], &event, now)
}
