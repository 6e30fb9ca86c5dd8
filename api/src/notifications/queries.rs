//! Notifications in PostgreSQL, recorded in the caller's transaction with
//! the live event that announces them.

use chrono::{DateTime, Utc};
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};

use super::{ModerationAction, Notice, Notification, NotificationKind, NotificationTopic, PostRef};
use crate::core::{NotificationId, PostId, Role, TopicId, UserId, UserSummary};
use crate::db::schema::{blocks, notifications, topic_watches, users};
use crate::events::{self, Event};

/// Whether `notice` should reach its recipient at all.
fn wanted(conn: &mut PgConnection, notice: &Notice) -> QueryResult<bool> {
    if let Some(actor) = notice.actor {
        if actor == notice.recipient {
            return Ok(false);
        }
        // Moderators' actions are told whoever the moderator is.
        let blocked: bool = diesel::select(exists(
            blocks::table
                .filter(blocks::blocker_id.eq(notice.recipient))
                .filter(blocks::blocked_id.eq(actor)),
        ))
        .get_result(conn)?;
        if blocked && notice.kind != NotificationKind::Moderation {
            return Ok(false);
        }
    }
    if let (Some(topic), false) = (&notice.topic, notice.kind == NotificationKind::Moderation) {
        let muted: bool = diesel::select(exists(
            topic_watches::table
                .find((notice.recipient, topic.id))
                .filter(topic_watches::level.eq("muted")),
        ))
        .get_result(conn)?;
        if muted {
            return Ok(false);
        }
    }
    Ok(true)
}

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = SqlUuid)]
    id: NotificationId,
}

/// Records `notice` and tells the recipient's devices, unless it is not
/// wanted (see the module) or was recorded already (a post notifies each
/// person once). A like adds to the post's like notification.
pub fn record(
    conn: &mut PgConnection,
    notice: &Notice,
    now: DateTime<Utc>,
) -> QueryResult<Option<Notification>> {
    if !wanted(conn, notice)? {
        return Ok(None);
    }
    let on_conflict = match notice.kind {
        NotificationKind::Like => {
            // The latest liker liking again (after taking it back) while it
            // is unread is no news: liking and unliking cannot flood anyone.
            "ON CONFLICT (user_id, post_id) WHERE kind = 'like' DO UPDATE SET \
             count = CASE WHEN notifications.read_at IS NULL THEN notifications.count + 1 ELSE 1 END, \
             actor_id = excluded.actor_id, topic_title = excluded.topic_title, \
             updated_at = excluded.updated_at, read_at = NULL \
             WHERE notifications.read_at IS NOT NULL \
                OR notifications.actor_id IS DISTINCT FROM excluded.actor_id"
        }
        NotificationKind::Reply | NotificationKind::Quote | NotificationKind::Mention => {
            "ON CONFLICT (user_id, post_id) WHERE kind IN ('reply', 'quote', 'mention') DO NOTHING"
        }
        NotificationKind::FriendRequest
        | NotificationKind::FriendAccepted
        | NotificationKind::Moderation => "",
    };
    let inserted: Option<Inserted> = diesel::sql_query(format!(
        // Recorded only while the people and things it names exist: a
        // notice delivered after the post, its topic or an account went
        // is dropped, not an error that would hold up the others.
        "INSERT INTO notifications (id, user_id, kind, actor_id, topic_id, topic_title, \
         post_id, post_number, action, reason, created_at, updated_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11 \
         WHERE EXISTS (SELECT 1 FROM users WHERE id = $2) \
           AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $4)) \
           AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM topics WHERE id = $5)) \
           AND ($7::uuid IS NULL OR EXISTS (SELECT 1 FROM posts WHERE id = $7)) \
         {on_conflict} RETURNING id"
    ))
    .bind::<SqlUuid, _>(NotificationId::generate())
    .bind::<SqlUuid, _>(notice.recipient)
    .bind::<Text, _>(notice.kind.as_str())
    .bind::<Nullable<SqlUuid>, _>(notice.actor)
    .bind::<Nullable<SqlUuid>, _>(notice.topic.as_ref().map(|topic| topic.id))
    .bind::<Nullable<Text>, _>(notice.topic.as_ref().map(|topic| topic.title.as_str()))
    .bind::<Nullable<SqlUuid>, _>(notice.post.map(|post| post.id))
    .bind::<Nullable<Integer>, _>(notice.post.map(|post| post.number))
    .bind::<Nullable<Text>, _>(notice.action.map(ModerationAction::as_str))
    .bind::<Nullable<Text>, _>(notice.reason.as_deref())
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?;
    let Some(Inserted { id }) = inserted else {
        return Ok(None);
    };
    let notification = find(conn, notice.recipient, id)?.ok_or(diesel::result::Error::NotFound)?;
    let unread_count = unread_count(conn, notice.recipient)?;
    let event = Event::NotificationReceived {
        notification: Box::new(notification.clone()),
        unread_count,
    };
    events::publish(conn, &[notice.recipient], &event, now)?;
    Ok(Some(notification))
}

pub fn unread_count(conn: &mut PgConnection, user: UserId) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

const COLUMNS: (
    notifications::id,
    notifications::kind,
    notifications::topic_id,
    notifications::topic_title,
    notifications::post_id,
    notifications::post_number,
    notifications::count,
    notifications::action,
    notifications::reason,
    notifications::created_at,
    notifications::updated_at,
    notifications::read_at,
) = (
    notifications::id,
    notifications::kind,
    notifications::topic_id,
    notifications::topic_title,
    notifications::post_id,
    notifications::post_number,
    notifications::count,
    notifications::action,
    notifications::reason,
    notifications::created_at,
    notifications::updated_at,
    notifications::read_at,
);

type Row = (
    (
        NotificationId,
        NotificationKind,
        Option<TopicId>,
        Option<String>,
        Option<PostId>,
        Option<i32>,
        i32,
        Option<ModerationAction>,
        Option<String>,
        DateTime<Utc>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    ),
    Option<(UserId, String, String, Option<String>, Role)>,
);

fn into_notification(row: Row) -> Notification {
    let (
        (
            id,
            kind,
            topic_id,
            topic_title,
            post_id,
            post_number,
            count,
            action,
            reason,
            created_at,
            updated_at,
            read_at,
        ),
        actor,
    ) = row;
    Notification {
        id,
        kind,
        actor: actor.map(|(id, handle, display_name, avatar_key, role)| {
            UserSummary::new(id, handle, display_name, avatar_key.as_deref(), role)
        }),
        topic: topic_title.map(|title| NotificationTopic {
            id: topic_id,
            title,
        }),
        post: post_id
            .zip(post_number)
            .map(|(id, number)| PostRef { id, number }),
        count,
        action,
        reason,
        read: read_at.is_some(),
        created_at,
        updated_at,
    }
}

macro_rules! inbox_of {
    ($user:expr) => {
        notifications::table
            .left_join(users::table.on(users::id.nullable().eq(notifications::actor_id)))
            .filter(notifications::user_id.eq($user))
            .select((
                COLUMNS,
                (
                    users::id,
                    users::handle,
                    users::display_name,
                    users::avatar_key,
                    users::role,
                )
                    .nullable(),
            ))
    };
}

fn find(
    conn: &mut PgConnection,
    user: UserId,
    id: NotificationId,
) -> QueryResult<Option<Notification>> {
    Ok(inbox_of!(user)
        .filter(notifications::id.eq(id))
        .first::<Row>(conn)
        .optional()?
        .map(into_notification))
}

/// Where an inbox page ended: `(updated_at, id)`.
pub type InboxKey = (DateTime<Utc>, NotificationId);

/// A page of `user`'s inbox, newest first, after `after`.
pub fn list(
    conn: &mut PgConnection,
    user: UserId,
    after: Option<InboxKey>,
    limit: i64,
) -> QueryResult<Vec<Notification>> {
    let mut query = inbox_of!(user)
        .order((notifications::updated_at.desc(), notifications::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            notifications::updated_at
                .lt(at)
                .or(notifications::updated_at
                    .eq(at)
                    .and(notifications::id.lt(id))),
        );
    }
    Ok(query
        .load::<Row>(conn)?
        .into_iter()
        .map(into_notification)
        .collect())
}

/// Marks `ids` of `user`'s notifications read (all of them when `None`)
/// and tells their devices; how many changed.
pub fn mark_read(
    conn: &mut PgConnection,
    user: UserId,
    ids: Option<&[NotificationId]>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let unread = notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::read_at.is_null());
    let changed = match ids {
        Some(ids) => diesel::update(unread.filter(notifications::id.eq_any(ids)))
            .set(notifications::read_at.eq(now))
            .execute(conn)?,
        None => diesel::update(unread)
            .set(notifications::read_at.eq(now))
            .execute(conn)?,
    };
    if changed > 0 {
        let event = Event::NotificationsRead {
            ids: ids.map(<[NotificationId]>::to_vec),
            unread_count: unread_count(conn, user)?,
        };
        events::publish(conn, &[user], &event, now)?;
    }
    Ok(changed)
}

/// Whether `user` has a notification `id`.
pub fn exists_for(conn: &mut PgConnection, user: UserId, id: NotificationId) -> QueryResult<bool> {
    diesel::select(exists(
        notifications::table
            .filter(notifications::id.eq(id))
            .filter(notifications::user_id.eq(user)),
    ))
    .get_result(conn)
}
