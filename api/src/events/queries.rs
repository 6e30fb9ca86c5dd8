//! Writing events in the caller's transaction, and reading them back.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use diesel::sql_types::{Array, Jsonb, Timestamptz};

use super::{Event, EventRow, LogBounds, LogPage, LoggedEvent};
use crate::core::UserId;
use crate::db::schema::{user_event_positions, user_events};

/// Notified with `<recipient>:<seq>` for each event, on commit (the name
/// is also in migration 23's `publish_events`): the
/// real-time relay of every instance listens.
pub const CHANNEL: &str = "noxchat_events";

/// Records `event` for each recipient, in the caller's transaction: it
/// exists exactly when the change that caused it commits, and the gateway
/// hears of it then (a notification is delivered on commit, never before
/// and never for a rolled-back change).
pub fn publish(
    conn: &mut PgConnection,
    recipients: &[UserId],
    event: &Event,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let each: Vec<(UserId, Event)> = recipients
        .iter()
        .map(|recipient| (*recipient, event.clone()))
        .collect();
    publish_each(conn, each, now).map(drop)
}

/// An event as it was recorded in one person's log.
#[derive(Clone, Debug)]
pub struct Published {
    pub recipient: UserId,
    pub logged: LoggedEvent,
}

#[derive(QueryableByName)]
struct Numbered {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    recipient: UserId,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    event_seq: i64,
}

/// Records an event of its own for each recipient (the first one where a
/// recipient repeats), in one round trip: `publish_events` numbers them,
/// stores them and sends the notifications (migration 23). Each
/// recipient's position row stays locked until the transaction ends, which
/// numbers their events without gaps; recipients are locked in id order,
/// so two publishers never wait on each other in a circle. Returns what
/// was recorded, which the caller may hand to this instance's connections
/// once the transaction has committed.
pub fn publish_each(
    conn: &mut PgConnection,
    mut events: Vec<(UserId, Event)>,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Published>> {
    events.sort_by_key(|(recipient, _)| recipient.as_uuid());
    events.dedup_by_key(|(recipient, _)| *recipient);
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let recipients: Vec<UserId> = events.iter().map(|(recipient, _)| *recipient).collect();
    let payloads = events
        .iter()
        .map(|(_, event)| serde_json::to_value(event))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))?;
    let numbered: Vec<Numbered> =
        diesel::sql_query("SELECT recipient, event_seq FROM publish_events($1, $2, $3)")
            .bind::<Array<diesel::sql_types::Uuid>, _>(&recipients)
            .bind::<Array<Jsonb>, _>(&payloads)
            .bind::<Timestamptz, _>(now)
            .load(conn)?;
    let mut seqs: std::collections::HashMap<UserId, i64> = numbered
        .into_iter()
        .map(|row| (row.recipient, row.event_seq))
        .collect();
    events
        .into_iter()
        .map(|(recipient, event)| {
            let seq = seqs
                .remove(&recipient)
                .ok_or(diesel::result::Error::NotFound)?;
            Ok(Published {
                recipient,
                logged: LoggedEvent {
                    seq,
                    at: now,
                    event,
                },
            })
        })
        .collect()
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
