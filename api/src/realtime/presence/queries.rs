//! Presence in PostgreSQL, the one truth every instance and every REST
//! answer reads: a person is online while a live instance holds a row.

use chrono::{DateTime, Duration, Utc};
use diesel::dsl::exists;
use diesel::prelude::*;
use uuid::Uuid;

use crate::core::{OnlineStatusVisibility, UserId};
use crate::db::schema::{friendships, presence, realtime_instances, users};

/// How long an instance counts as alive after its last renewal.
pub const INSTANCE_LEASE: Duration = Duration::seconds(30);

/// Says this instance is alive until a lease from `now`. False when its
/// row was gone (first start, or swept after it failed to renew in time):
/// the people it holds must then be recorded again.
pub fn renew_instance(
    conn: &mut PgConnection,
    instance: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let renewed = diesel::update(realtime_instances::table.find(instance))
        .set(realtime_instances::alive_until.eq(now + INSTANCE_LEASE))
        .execute(conn)?;
    if renewed == 0 {
        diesel::insert_into(realtime_instances::table)
            .values((
                realtime_instances::id.eq(instance),
                realtime_instances::alive_until.eq(now + INSTANCE_LEASE),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
    }
    Ok(renewed > 0)
}

/// Serialises presence changes for one person across instances, until the
/// transaction ends: two instances recording the same person's last
/// departures at once would each still see the other's row.
fn lock_person(conn: &mut PgConnection, user: UserId) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('presence:' || $1, 0))")
        .bind::<diesel::sql_types::Text, _>(user.to_string())
        .execute(conn)?;
    Ok(())
}

/// Whether `user` is online on a live instance other than `except`.
fn online_elsewhere(
    conn: &mut PgConnection,
    user: UserId,
    except: Option<Uuid>,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let mut rows = presence::table
        .inner_join(realtime_instances::table)
        .filter(presence::user_id.eq(user))
        .filter(realtime_instances::alive_until.gt(now))
        .into_boxed();
    if let Some(instance) = except {
        rows = rows.filter(presence::instance_id.ne(instance));
    }
    diesel::select(exists(rows.select(presence::user_id))).get_result(conn)
}

pub fn is_online(conn: &mut PgConnection, user: UserId, now: DateTime<Utc>) -> QueryResult<bool> {
    online_elsewhere(conn, user, None, now)
}

/// Records that `user` is connected to `instance`; true when they were
/// offline everywhere until now.
pub fn mark_online(
    conn: &mut PgConnection,
    user: UserId,
    instance: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        lock_person(conn, user)?;
        let already = online_elsewhere(conn, user, None, now)?;
        diesel::insert_into(presence::table)
            .values((
                presence::user_id.eq(user),
                presence::instance_id.eq(instance),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        Ok(!already)
    })
}

/// Records that `user` left `instance`; when that was their last
/// connection anywhere, their `last_seen_at` is now and it is returned.
pub fn mark_offline(
    conn: &mut PgConnection,
    user: UserId,
    instance: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Option<DateTime<Utc>>> {
    conn.transaction(|conn| {
        lock_person(conn, user)?;
        diesel::delete(
            presence::table
                .filter(presence::user_id.eq(user))
                .filter(presence::instance_id.eq(instance)),
        )
        .execute(conn)?;
        if online_elsewhere(conn, user, Some(instance), now)? {
            return Ok(None);
        }
        diesel::update(users::table.find(user))
            .set(users::last_seen_at.eq(now))
            .execute(conn)?;
        Ok(Some(now))
    })
}

/// Records again the people this instance holds, after its rows were
/// swept; returns those who were offline everywhere meanwhile.
pub fn restore(
    conn: &mut PgConnection,
    users: &[UserId],
    instance: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Vec<UserId>> {
    let mut back = Vec::new();
    let mut users = users.to_vec();
    users.sort_unstable();
    for user in users {
        if mark_online(conn, user, instance, now)? {
            back.push(user);
        }
    }
    Ok(back)
}

/// How many instances are alive now (this one included).
pub fn live_instances(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<i64> {
    realtime_instances::table
        .filter(realtime_instances::alive_until.gt(now))
        .count()
        .get_result(conn)
}

/// The people this instance has recorded as connected to it.
pub fn held_by(conn: &mut PgConnection, instance: Uuid) -> QueryResult<Vec<UserId>> {
    presence::table
        .filter(presence::instance_id.eq(instance))
        .select(presence::user_id)
        .load(conn)
}

/// Forgets instances that stopped renewing (they crashed or were killed):
/// the people they held who are now offline everywhere are returned with
/// their `last_seen_at`, which is the moment the instance was last known
/// alive.
pub fn sweep_dead_instances(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<(UserId, DateTime<Utc>)>> {
    conn.transaction(|conn| {
        let dead: Vec<(Uuid, DateTime<Utc>)> = realtime_instances::table
            .filter(realtime_instances::alive_until.le(now))
            .select((realtime_instances::id, realtime_instances::alive_until))
            .for_update()
            .skip_locked()
            .load(conn)?;
        let mut offline = Vec::new();
        for (instance, alive_until) in dead {
            let held: Vec<UserId> =
                diesel::delete(presence::table.filter(presence::instance_id.eq(instance)))
                    .returning(presence::user_id)
                    .get_results(conn)?;
            diesel::delete(realtime_instances::table.find(instance)).execute(conn)?;
            let last_seen = alive_until - INSTANCE_LEASE;
            let mut held = held;
            // In one order everywhere, so two sweepers never wait in a circle.
            held.sort_unstable();
            for user in held {
                lock_person(conn, user)?;
                if !online_elsewhere(conn, user, None, now)? {
                    diesel::update(users::table.find(user))
                        .set(users::last_seen_at.eq(last_seen))
                        .execute(conn)?;
                    offline.push((user, last_seen));
                }
            }
        }
        Ok(offline)
    })
}

/// Who is told when `user` goes online or offline: their friends, unless
/// they show their status to nobody.
pub fn watchers(conn: &mut PgConnection, user: UserId) -> QueryResult<Vec<UserId>> {
    let visibility: Option<OnlineStatusVisibility> = users::table
        .find(user)
        .select(users::online_status_visibility)
        .first(conn)
        .optional()?;
    match visibility {
        None | Some(OnlineStatusVisibility::Nobody) => Ok(Vec::new()),
        Some(_) => friends_of(conn, user),
    }
}

pub fn friends_of(conn: &mut PgConnection, user: UserId) -> QueryResult<Vec<UserId>> {
    friendships::table
        .filter(friendships::user_id.eq(user))
        .select(friendships::friend_id)
        .load(conn)
}

/// The friends of `viewer` who show them their status and are online now.
pub fn online_friends(
    conn: &mut PgConnection,
    viewer: UserId,
    now: DateTime<Utc>,
) -> QueryResult<Vec<UserId>> {
    let friends: Vec<UserId> = friendships::table
        .inner_join(users::table.on(users::id.eq(friendships::friend_id)))
        .filter(friendships::user_id.eq(viewer))
        .filter(users::online_status_visibility.ne(OnlineStatusVisibility::Nobody))
        .select(friendships::friend_id)
        .load(conn)?;
    let mut online: Vec<UserId> = presence::table
        .inner_join(realtime_instances::table)
        .filter(presence::user_id.eq_any(&friends))
        .filter(realtime_instances::alive_until.gt(now))
        .select(presence::user_id)
        .distinct()
        .load(conn)?;
    online.sort_unstable();
    Ok(online)
}
