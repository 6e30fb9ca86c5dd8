//! Writing events in the caller's transaction, and reading them back.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::{Event, EventRow, LogBounds, LogPage, LoggedEvent};
use crate::core::UserId;
use crate::db::schema::{user_event_positions, user_events};

/// Notified with the recipient's id for each event, on commit: the
/// real-time relay of every instance listens.
pub const CHANNEL: &str = "noxchat_events";

/// Records `event` for each recipient, in the caller's transaction: it
/// exists exactly when the change that caused it commits, and the gateway
/// hears of it then (a notification is delivered on commit, never before
/// and never for a rolled-back change). Each recipient's
/// position row stays locked until then, which numbers their events without
/// gaps; recipients are locked in id order, so two publishers never wait
/// on each other in a circle.
pub fn publish(
    conn: &mut PgConnection,
    recipients: &[UserId],
    event: &Event,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let payload = serde_json::to_value(event)
        .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))?;
    let mut recipients = recipients.to_vec();
    recipients.sort_unstable_by_key(|id| id.as_uuid());
    recipients.dedup();
    for recipient in recipients {
        let seq: i64 = diesel::insert_into(user_event_positions::table)
            .values((
                user_event_positions::user_id.eq(recipient),
                user_event_positions::last_seq.eq(1_i64),
            ))
            .on_conflict(user_event_positions::user_id)
            .do_update()
            .set(user_event_positions::last_seq.eq(user_event_positions::last_seq + 1_i64))
            .returning(user_event_positions::last_seq)
            .get_result(conn)?;
        diesel::insert_into(user_events::table)
            .values((
                user_events::user_id.eq(recipient),
                user_events::seq.eq(seq),
                user_events::event.eq(&payload),
                user_events::created_at.eq(now),
            ))
            .execute(conn)?;
        notify(conn, recipient)?;
    }
    Ok(())
}

/// Has `user`'s connections look at their log and session again once the
/// caller's transaction commits: `publish` does it for each event, and a
/// change that ends sessions without an event (a deleted account) on its own.
pub fn notify(conn: &mut PgConnection, user: UserId) -> QueryResult<()> {
    diesel::sql_query(format!("SELECT pg_notify('{CHANNEL}', $1)"))
        .bind::<diesel::sql_types::Text, _>(user.to_string())
        .execute(conn)?;
    Ok(())
}

/// Tells the person's devices that their profile or settings changed.
pub fn publish_profile_changed(
    conn: &mut PgConnection,
    user: &crate::core::User,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let me = Box::new(crate::core::MeResponse::from(user));
    publish(conn, &[user.id], &Event::ProfileChanged { me }, now)
}

pub fn bounds(conn: &mut PgConnection, user_id: UserId) -> QueryResult<LogBounds> {
    let position = user_event_positions::table
        .find(user_id)
        .select(user_event_positions::last_seq)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0);
    let oldest_kept = user_events::table
        .filter(user_events::user_id.eq(user_id))
        .select(diesel::dsl::min(user_events::seq))
        .first::<Option<i64>>(conn)?;
    Ok(LogBounds {
        position,
        oldest_kept,
    })
}

/// Up to `limit` rows of the person's log after `after`, oldest first.
pub fn read_after(
    conn: &mut PgConnection,
    user_id: UserId,
    after: i64,
    limit: i64,
) -> QueryResult<LogPage> {
    let rows: Vec<EventRow> = user_events::table
        .filter(user_events::user_id.eq(user_id))
        .filter(user_events::seq.gt(after))
        .order(user_events::seq)
        .limit(limit)
        .select((
            user_events::seq,
            user_events::event,
            user_events::created_at,
        ))
        .load(conn)?;
    let mut page = LogPage {
        first_seq: rows.first().map(|row| row.seq),
        last_seq: rows.last().map(|row| row.seq),
        rows: rows.len(),
        events: Vec::with_capacity(rows.len()),
    };
    for row in rows {
        match serde_json::from_value(row.event) {
            Ok(event) => page.events.push(LoggedEvent {
                seq: row.seq,
                at: row.created_at,
                event,
            }),
            // Written by a newer version of the server during a rolling
            // upgrade: passed over, so it cannot stop everything after it.
            Err(error) => {
                tracing::warn!(%error, seq = row.seq, "an event this version cannot read; skipped")
            }
        }
    }
    Ok(page)
}

/// Forgets each person's events older than `keep_after`, and beyond the
/// newest `keep_count`; their position stays, so numbering goes on.
pub fn prune(
    conn: &mut PgConnection,
    keep_after: DateTime<Utc>,
    keep_count: i64,
) -> QueryResult<usize> {
    let old = diesel::delete(user_events::table.filter(user_events::created_at.lt(keep_after)))
        .execute(conn)?;
    let beyond = diesel::sql_query(
        "DELETE FROM user_events e USING user_event_positions p \
         WHERE e.user_id = p.user_id AND e.seq <= p.last_seq - $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(keep_count)
    .execute(conn)?;
    Ok(old + beyond)
}
