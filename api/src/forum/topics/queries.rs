//! Topics in PostgreSQL: listing by an index range, and the writes that
//! keep the counters of categories and people true in the same transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Timestamptz, Uuid as SqlUuid};

use crate::core::{CategoryId, Role, TopicId, UploadId, UserId, UserSummary};
use crate::db::schema::{categories, forum_stats, post_images, posts, topics, users};
use crate::forum::dto::TopicSummary;

pub use super::listing::{Selection, explain_list, list, summary_of, watch_level};
use crate::policy::forum::TopicFacts;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = topics)]
pub struct TopicRow {
    pub id: TopicId,
    pub category_id: CategoryId,
    pub author_id: Option<UserId>,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub last_post_number: i32,
    pub reply_count: i32,
    pub view_count: i64,
    pub pinned: bool,
    pub locked: bool,
}

impl TopicRow {
    pub fn facts(&self) -> TopicFacts {
        TopicFacts {
            author: self.author_id,
            created_at: self.created_at,
            locked: self.locked,
            last_post_number: self.last_post_number,
        }
    }
}

/// Where a topic list page ended: `(pinned, last_activity_at, id)`.
pub type TopicKey = (bool, DateTime<Utc>, TopicId);

pub fn key_of(topic: &TopicSummary) -> TopicKey {
    (topic.pinned, topic.last_activity_at, topic.id)
}

pub type AuthorColumns = (
    users::id,
    users::handle,
    users::display_name,
    users::avatar_key,
    users::role,
);

pub const AUTHOR_COLUMNS: AuthorColumns = (
    users::id,
    users::handle,
    users::display_name,
    users::avatar_key,
    users::role,
);

pub type AuthorTuple = (UserId, String, String, Option<String>, Role);

/// The wire summary of someone who wrote something.
pub fn author_summary(author: Option<AuthorTuple>) -> Option<UserSummary> {
    author.map(|(id, handle, display_name, avatar_key, role)| {
        UserSummary::new(id, handle, display_name, avatar_key.as_deref(), role)
    })
}

/// The topic, locked until the transaction ends: numbering, counters and
/// rules read it this way. The lock lets rows that merely refer to it (a
/// read mark, a notification) be written meanwhile; the order every
/// transaction takes its locks in is topic, category, posts, people's
/// figures.
pub fn lock(conn: &mut PgConnection, id: TopicId) -> QueryResult<Option<TopicRow>> {
    topics::table
        .find(id)
        .select(TopicRow::as_select())
        .for_no_key_update()
        .first(conn)
        .optional()
}

/// Locks every post of a locked topic about to be deleted, before anything
/// else is written: a notification being delivered about one of them
/// (which holds its post while it tells its recipient) is waited for here,
/// rather than waiting on this transaction's own notices in a circle.
pub fn lock_posts(conn: &mut PgConnection, id: TopicId) -> QueryResult<usize> {
    posts::table
        .filter(posts::topic_id.eq(id))
        .select(posts::id)
        .for_update()
        .load::<crate::core::PostId>(conn)
        .map(|locked| locked.len())
}

pub fn count_view(conn: &mut PgConnection, id: TopicId) -> QueryResult<usize> {
    diesel::update(topics::table.find(id))
        .set(topics::view_count.eq(topics::view_count + 1))
        .execute(conn)
}

/// A new topic, counted in its category and its author's figures.
pub fn insert(
    conn: &mut PgConnection,
    category: CategoryId,
    author: UserId,
    title: &str,
    now: DateTime<Utc>,
) -> QueryResult<TopicId> {
    let id = TopicId::generate();
    diesel::insert_into(topics::table)
        .values((
            topics::id.eq(id),
            topics::category_id.eq(category),
            topics::author_id.eq(author),
            topics::title.eq(title),
            topics::created_at.eq(now),
            topics::last_activity_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(categories::table.find(category))
        .set((
            categories::topic_count.eq(categories::topic_count + 1),
            categories::last_activity_at.eq(now),
        ))
        .execute(conn)?;
    add_to_stats(conn, author, 1, 0, 0)?;
    Ok(id)
}

/// Adds to a person's forum figures (negative numbers take away).
pub fn add_to_stats(
    conn: &mut PgConnection,
    user: UserId,
    topics: i32,
    posts: i32,
    likes_received: i32,
) -> QueryResult<()> {
    diesel::insert_into(forum_stats::table)
        .values((
            forum_stats::user_id.eq(user),
            forum_stats::topics.eq(topics.max(0)),
            forum_stats::posts.eq(posts.max(0)),
            forum_stats::likes_received.eq(likes_received.max(0)),
        ))
        .on_conflict(forum_stats::user_id)
        .do_update()
        .set((
            forum_stats::topics.eq(forum_stats::topics + topics),
            forum_stats::posts.eq(forum_stats::posts + posts),
            forum_stats::likes_received.eq(forum_stats::likes_received + likes_received),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_title(conn: &mut PgConnection, id: TopicId, title: &str) -> QueryResult<()> {
    diesel::update(topics::table.find(id))
        .set(topics::title.eq(title))
        .execute(conn)
        .map(drop)
}

pub fn set_pinned(conn: &mut PgConnection, id: TopicId, pinned: bool) -> QueryResult<usize> {
    diesel::update(topics::table.find(id))
        .set(topics::pinned.eq(pinned))
        .execute(conn)
}

pub fn set_locked(conn: &mut PgConnection, id: TopicId, locked: bool) -> QueryResult<usize> {
    diesel::update(topics::table.find(id))
        .set(topics::locked.eq(locked))
        .execute(conn)
}

/// Moves a locked topic to `to`, carrying its count. Both categories
/// change in one statement, which locks them in id order, so two moves
/// the opposite ways never wait on each other in a circle.
pub fn move_to(conn: &mut PgConnection, topic: &TopicRow, to: CategoryId) -> QueryResult<()> {
    if topic.category_id == to {
        return Ok(());
    }
    diesel::sql_query(
        "UPDATE categories SET \
         topic_count = topic_count + CASE WHEN id = $2 THEN 1 ELSE -1 END, \
         last_activity_at = CASE WHEN id = $2 \
             THEN GREATEST(last_activity_at, $3) ELSE last_activity_at END \
         WHERE id IN ($1, $2)",
    )
    .bind::<SqlUuid, _>(topic.category_id)
    .bind::<SqlUuid, _>(to)
    .bind::<Timestamptz, _>(topic.last_activity_at)
    .execute(conn)?;
    diesel::update(topics::table.find(topic.id))
        .set(topics::category_id.eq(to))
        .execute(conn)
        .map(drop)
}

/// Deletes a locked topic with its posts, taking them out of every count:
/// the category, then the posts, then each author's figures in id order
/// (the order replies and likes take them in).
pub fn delete(conn: &mut PgConnection, topic: &TopicRow) -> QueryResult<()> {
    diesel::update(categories::table.find(topic.category_id))
        .set(categories::topic_count.eq(categories::topic_count - 1))
        .execute(conn)?;
    let shown: Vec<UploadId> = post_images::table
        .inner_join(posts::table)
        .filter(posts::topic_id.eq(topic.id))
        .select(post_images::upload_id)
        .load(conn)?;
    let gone: Vec<(Option<UserId>, i32, Option<DateTime<Utc>>)> =
        diesel::delete(posts::table.filter(posts::topic_id.eq(topic.id)))
            .returning((posts::author_id, posts::like_count, posts::deleted_at))
            .get_results(conn)?;
    let mut standing: std::collections::BTreeMap<uuid::Uuid, (UserId, i32, i32)> =
        std::collections::BTreeMap::new();
    for (author, likes, deleted_at) in gone {
        if let (Some(author), None) = (author, deleted_at) {
            let entry = standing.entry(author.as_uuid()).or_insert((author, 0, 0));
            entry.1 += 1;
            entry.2 += likes;
        }
    }
    if let Some(author) = topic.author_id {
        standing.entry(author.as_uuid()).or_insert((author, 0, 0));
    }
    for (author, posts, likes) in standing.into_values() {
        let topics = i32::from(Some(author) == topic.author_id);
        add_to_stats(conn, author, -topics, -posts, -likes)?;
    }
    diesel::delete(topics::table.find(topic.id)).execute(conn)?;
    crate::core::pictures::release_unshown(conn, &shown)?;
    Ok(())
}

pub fn exists(conn: &mut PgConnection, id: TopicId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(topics::table.find(id))).get_result(conn)
}

/// The number of a new reply in a topic the caller locked, counted in the
/// topic and as the latest activity of it and its category.
pub fn take_next_number(
    conn: &mut PgConnection,
    id: TopicId,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    let (number, category): (i32, CategoryId) = diesel::update(topics::table.find(id))
        .set((
            topics::last_post_number.eq(topics::last_post_number + 1),
            topics::reply_count.eq(topics::reply_count + 1),
            topics::last_activity_at.eq(now),
        ))
        .returning((topics::last_post_number, topics::category_id))
        .get_result(conn)?;
    diesel::update(categories::table.find(category))
        .set(categories::last_activity_at.eq(now))
        .execute(conn)?;
    Ok(number)
}
