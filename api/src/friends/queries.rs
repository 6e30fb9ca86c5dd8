//! Friendships, friend requests and blocks.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use serde::{Deserialize, Serialize};

use crate::core::validation::like_literal;
use crate::core::{FriendRequestId, Role, UserId};
use crate::db::schema::{blocks, friend_requests, friendships, users};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = friend_requests)]
pub struct FriendRequest {
    pub id: FriendRequestId,
    pub sender_id: UserId,
    pub recipient_id: UserId,
    pub created_at: DateTime<Utc>,
}

/// A row of a list: the other user and the time that orders the list.
#[derive(Clone, Debug, Queryable)]
pub struct ListedUser {
    /// The listed row's own id (the friend's, or the request's): the tie-breaker.
    pub key: Uuid,
    pub at: DateTime<Utc>,
    pub id: UserId,
    pub handle: String,
    pub display_name: String,
    pub avatar_key: Option<String>,
    pub role: Role,
}

/// Where a page of a newest-first list stopped.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Position {
    t: DateTime<Utc>,
    i: Uuid,
}

impl ListedUser {
    pub fn position(&self) -> Position {
        Position {
            t: self.at,
            i: self.key,
        }
    }
}

/// Locks both users' rows, always in id order, so that requests, answers
/// and blocks between the two happen one after another.
///
/// `FOR NO KEY UPDATE`, not `FOR UPDATE`: every row written that refers to
/// a person (a notification, an event) takes `FOR KEY SHARE` on them, which
/// `FOR UPDATE` waits for. A notification delivery holding the actor while
/// it goes on to its next recipient, one of the pair, then waited on us as
/// we waited on it: a deadlock, and the block answered 503.
pub fn lock_pair(conn: &mut PgConnection, a: UserId, b: UserId) -> QueryResult<()> {
    users::table
        .filter(users::id.eq_any([a, b]))
        .order(users::id)
        .select(users::id)
        .for_no_key_update()
        .load::<UserId>(conn)
        .map(drop)
}

/// Reads a request without locking it: changes between two people are
/// serialised by `lock_pair`, always taken before any request row.
pub fn find_request(
    conn: &mut PgConnection,
    id: FriendRequestId,
) -> QueryResult<Option<FriendRequest>> {
    friend_requests::table
        .find(id)
        .select(FriendRequest::as_select())
        .first(conn)
        .optional()
}

pub fn insert_request(
    conn: &mut PgConnection,
    sender: UserId,
    recipient: UserId,
) -> QueryResult<FriendRequest> {
    diesel::insert_into(friend_requests::table)
        .values((
            friend_requests::id.eq(FriendRequestId::generate()),
            friend_requests::sender_id.eq(sender),
            friend_requests::recipient_id.eq(recipient),
        ))
        .returning(FriendRequest::as_returning())
        .get_result(conn)
}

pub fn delete_request(conn: &mut PgConnection, id: FriendRequestId) -> QueryResult<usize> {
    diesel::delete(friend_requests::table.find(id)).execute(conn)
}

/// Deletes pending requests in both directions between two users.
pub fn delete_requests_between(
    conn: &mut PgConnection,
    a: UserId,
    b: UserId,
) -> QueryResult<usize> {
    diesel::delete(
        friend_requests::table.filter(
            (friend_requests::sender_id
                .eq(a)
                .and(friend_requests::recipient_id.eq(b)))
            .or(friend_requests::sender_id
                .eq(b)
                .and(friend_requests::recipient_id.eq(a))),
        ),
    )
    .execute(conn)
}

/// Makes two users friends and clears any requests between them.
pub fn befriend(conn: &mut PgConnection, a: UserId, b: UserId) -> QueryResult<()> {
    delete_requests_between(conn, a, b)?;
    let now = Utc::now();
    diesel::insert_into(friendships::table)
        .values(&vec![
            (
                friendships::user_id.eq(a),
                friendships::friend_id.eq(b),
                friendships::created_at.eq(now),
            ),
            (
                friendships::user_id.eq(b),
                friendships::friend_id.eq(a),
                friendships::created_at.eq(now),
            ),
        ])
        .on_conflict_do_nothing()
        .execute(conn)
        .map(drop)
}

pub fn unfriend(conn: &mut PgConnection, a: UserId, b: UserId) -> QueryResult<usize> {
    diesel::delete(
        friendships::table.filter(
            (friendships::user_id.eq(a).and(friendships::friend_id.eq(b)))
                .or(friendships::user_id.eq(b).and(friendships::friend_id.eq(a))),
        ),
    )
    .execute(conn)
}

/// Blocks `blocked`: ends friendship and pending requests in both directions.
pub fn block(conn: &mut PgConnection, blocker: UserId, blocked: UserId) -> QueryResult<()> {
    unfriend(conn, blocker, blocked)?;
    delete_requests_between(conn, blocker, blocked)?;
    diesel::insert_into(blocks::table)
        .values((
            blocks::blocker_id.eq(blocker),
            blocks::blocked_id.eq(blocked),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(drop)
}

pub fn unblock(conn: &mut PgConnection, blocker: UserId, blocked: UserId) -> QueryResult<usize> {
    diesel::delete(
        blocks::table.filter(
            blocks::blocker_id
                .eq(blocker)
                .and(blocks::blocked_id.eq(blocked)),
        ),
    )
    .execute(conn)
}

pub fn counts(conn: &mut PgConnection, user_id: UserId) -> QueryResult<(i64, i64, i64)> {
    let friends = friendships::table
        .filter(friendships::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    let incoming = friend_requests::table
        .filter(friend_requests::recipient_id.eq(user_id))
        .count()
        .get_result(conn)?;
    let outgoing = friend_requests::table
        .filter(friend_requests::sender_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok((friends, incoming, outgoing))
}

/// The filter a list's `q` applies to the listed user.
fn name_filter(q: Option<&str>) -> Option<String> {
    q.map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty())
        .map(|q| format!("%{}%", like_literal(&q)))
}

macro_rules! page_of_users {
    ($query:expr, $time:expr, $key:expr, $q:expr, $cursor:expr, $limit:expr, $conn:expr) => {{
        let mut query = $query
            .select((
                $key,
                $time,
                users::id,
                users::handle,
                users::display_name,
                users::avatar_key,
                users::role,
            ))
            .order(($time.desc(), $key.desc()))
            .limit($limit + 1)
            .into_boxed();
        if let Some(pattern) = name_filter($q) {
            query = query.filter(
                users::handle.like(pattern.clone()).or(
                    diesel::dsl::sql::<diesel::sql_types::Bool>("lower(users.display_name) LIKE ")
                        .bind::<diesel::sql_types::Text, _>(pattern),
                ),
            );
        }
        if let Some(Position { t, i }) = $cursor {
            query = query.filter($time.lt(t).or($time.eq(t).and($key.lt(i))));
        }
        query.load::<ListedUser>($conn)
    }};
}

pub fn list_friends(
    conn: &mut PgConnection,
    user_id: UserId,
    q: Option<&str>,
    cursor: Option<Position>,
    limit: i64,
) -> QueryResult<Vec<ListedUser>> {
    page_of_users!(
        friendships::table
            .inner_join(users::table.on(users::id.eq(friendships::friend_id)))
            .filter(friendships::user_id.eq(user_id)),
        friendships::created_at,
        friendships::friend_id,
        q,
        cursor,
        limit,
        conn
    )
}

pub fn list_incoming(
    conn: &mut PgConnection,
    user_id: UserId,
    q: Option<&str>,
    cursor: Option<Position>,
    limit: i64,
) -> QueryResult<Vec<ListedUser>> {
    page_of_users!(
        friend_requests::table
            .inner_join(users::table.on(users::id.eq(friend_requests::sender_id)))
            .filter(friend_requests::recipient_id.eq(user_id)),
        friend_requests::created_at,
        friend_requests::id,
        q,
        cursor,
        limit,
        conn
    )
}

pub fn list_outgoing(
    conn: &mut PgConnection,
    user_id: UserId,
    q: Option<&str>,
    cursor: Option<Position>,
    limit: i64,
) -> QueryResult<Vec<ListedUser>> {
    page_of_users!(
        friend_requests::table
            .inner_join(users::table.on(users::id.eq(friend_requests::recipient_id)))
            .filter(friend_requests::sender_id.eq(user_id)),
        friend_requests::created_at,
        friend_requests::id,
        q,
        cursor,
        limit,
        conn
    )
}

pub fn list_blocked(
    conn: &mut PgConnection,
    user_id: UserId,
    q: Option<&str>,
    cursor: Option<Position>,
    limit: i64,
) -> QueryResult<Vec<ListedUser>> {
    page_of_users!(
        blocks::table
            .inner_join(users::table.on(users::id.eq(blocks::blocked_id)))
            .filter(blocks::blocker_id.eq(user_id)),
        blocks::created_at,
        blocks::blocked_id,
        q,
        cursor,
        limit,
        conn
    )
}
