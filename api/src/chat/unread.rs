//! What a person's badge counts and when their devices alert: the unread
//! messages of the conversations they have not muted. Muting silences a
//! conversation (no alert, no badge) without holding anything back: its
//! messages still arrive and its own unread count still shows in the list.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Uuid};

use crate::core::{ConversationId, UserId};
use crate::events::{self, Event};

/// The unread messages across my conversations that are not muted, as
/// they stand in this transaction (`chat_send`, migration 24, sums the
/// same for each member of a new message).
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
