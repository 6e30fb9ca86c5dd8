//! The facts policies decide on, loaded in one place, and the visibility
//! fragment for hand-written SQL.

use diesel::dsl::exists;
use diesel::prelude::*;

use super::Pair;
use crate::core::{FriendRequestId, UserId};
use crate::db::schema::{bans, blocks, friend_requests, friendships};

/// What is true between `viewer` and `other`. Read inside the transaction
/// that acts on it (after locking the pair where it matters).
pub fn pair(conn: &mut PgConnection, viewer: UserId, other: UserId) -> QueryResult<Pair> {
    if viewer == other {
        return Ok(Pair {
            is_self: true,
            ..Pair::default()
        });
    }
    let (they_blocked_me, i_blocked_them, friends, request_sent, request_received) =
        diesel::select((
            exists(blocked(other, viewer)),
            exists(blocked(viewer, other)),
            exists(
                friendships::table
                    .filter(friendships::user_id.eq(viewer))
                    .filter(friendships::friend_id.eq(other)),
            ),
            request_between(viewer, other).single_value(),
            request_between(other, viewer).single_value(),
        ))
        .get_result::<(
            bool,
            bool,
            bool,
            Option<FriendRequestId>,
            Option<FriendRequestId>,
        )>(conn)?;
    Ok(Pair {
        is_self: false,
        they_blocked_me,
        i_blocked_them,
        friends,
        request_sent,
        request_received,
    })
}

type BlockOf = diesel::dsl::Filter<
    diesel::dsl::Filter<blocks::table, diesel::dsl::Eq<blocks::blocker_id, UserId>>,
    diesel::dsl::Eq<blocks::blocked_id, UserId>,
>;

type RequestsFrom = diesel::dsl::Filter<
    diesel::dsl::Filter<
        friend_requests::table,
        diesel::dsl::Eq<friend_requests::sender_id, UserId>,
    >,
    diesel::dsl::Eq<friend_requests::recipient_id, UserId>,
>;

/// The block of `blocked` by `blocker`, if any.
fn blocked(blocker: UserId, blocked: UserId) -> BlockOf {
    blocks::table
        .filter(blocks::blocker_id.eq(blocker))
        .filter(blocks::blocked_id.eq(blocked))
}

/// The pending request `sender` sent `recipient`, if any.
fn request_between(
    sender: UserId,
    recipient: UserId,
) -> diesel::dsl::Select<RequestsFrom, friend_requests::id> {
    friend_requests::table
        .filter(friend_requests::sender_id.eq(sender))
        .filter(friend_requests::recipient_id.eq(recipient))
        .select(friend_requests::id)
}

pub fn has_blocked(conn: &mut PgConnection, blocker: UserId, blocked: UserId) -> QueryResult<bool> {
    diesel::select(exists(self::blocked(blocker, blocked))).get_result(conn)
}

/// SQL that is true when neither the person in column `person` nor the
/// viewer (a bind parameter such as `$5`) blocked the other. Every listing
/// of people, and later of what they wrote, filters through it.
pub fn not_blocked_sql(person: &str, viewer: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM blocks WHERE \
         (blocks.blocker_id = {person} AND blocks.blocked_id = {viewer}) OR \
         (blocks.blocker_id = {viewer} AND blocks.blocked_id = {person}))"
    )
}

/// `user`'s ban in force at `now`, if any.
pub fn active_ban(
    conn: &mut PgConnection,
    user: UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> QueryResult<Option<super::ActiveBan>> {
    bans::table
        .find(user)
        .filter(bans::until.is_null().or(bans::until.gt(now)))
        .select((bans::until, bans::reason))
        .first::<(Option<chrono::DateTime<chrono::Utc>>, String)>(conn)
        .optional()
        .map(|ban| ban.map(|(until, reason)| super::ActiveBan { until, reason }))
}
