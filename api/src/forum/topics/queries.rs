//! Topics in PostgreSQL: listing by an index range, and the writes that
//! keep the counters of categories and people true in the same transaction.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Timestamptz, Uuid as SqlUuid};

use crate::core::{CategoryId, TopicId, UploadId, UserId, UserSummary};
use crate::db::schema::{
    categories, forum_stats, post_images, posts, topic_reads, topic_watches, topics, users,
};
use crate::forum::authors::summaries;
use crate::forum::domain::WatchLevel;
use crate::forum::dto::{CategoryRef, Reading, TopicSummary};
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
);

pub const AUTHOR_COLUMNS: AuthorColumns = (
    users::id,
    users::handle,
    users::display_name,
    users::avatar_key,
);

pub type AuthorTuple = (UserId, String, String, Option<String>);

/// The wire summary of someone who wrote something.
pub fn author_summary(author: Option<AuthorTuple>) -> Option<UserSummary> {
    author.map(|(id, handle, display_name, avatar_key)| {
        UserSummary::new(id, handle, display_name, avatar_key.as_deref())
    })
}

type ListedRow = (TopicRow, (CategoryId, String, String), Option<AuthorTuple>);

/// A page of topics, pinned first, then by latest activity: across the
/// forum or in one category, after `after`; with the reader's position
/// when signed in.
pub fn list(
    conn: &mut PgConnection,
    category: Option<CategoryId>,
    after: Option<TopicKey>,
    limit: i64,
    viewer: Option<UserId>,
) -> QueryResult<Vec<TopicSummary>> {
    list_or_explain(conn, category, after, limit, viewer, None)
}

/// PostgreSQL's plan for a page of topics, for the tests that check that
/// indexes serve it.
pub fn explain_list(
    conn: &mut PgConnection,
    category: Option<CategoryId>,
    after: Option<TopicKey>,
    limit: i64,
) -> QueryResult<String> {
    let mut plan = String::new();
    list_or_explain(conn, category, after, limit, None, Some(&mut plan))?;
    Ok(plan)
}

fn list_or_explain(
    conn: &mut PgConnection,
    category: Option<CategoryId>,
    after: Option<TopicKey>,
    limit: i64,
    viewer: Option<UserId>,
    plan: Option<&mut String>,
) -> QueryResult<Vec<TopicSummary>> {
    // The topics alone, so that the page is read in index order and stops
    // at `limit`; what they refer to follows in one statement each.
    let mut query = topics::table
        .select(TopicRow::as_select())
        .order((
            topics::pinned.desc(),
            topics::last_activity_at.desc(),
            topics::id.desc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some(category) = category {
        query = query.filter(topics::category_id.eq(category));
    }
    if let Some((pinned, last_activity_at, id)) = after {
        // A row comparison, which the listing indexes answer as a range.
        // Past the pinned topics it leaves the flag out: PostgreSQL
        // estimates a comparison by its first column, and "before
        // unpinned" would look empty to it, making it pick a worse plan.
        let (columns, leading) = if pinned {
            (
                "(topics.pinned, topics.last_activity_at, topics.id) < (true, ",
                true,
            )
        } else {
            ("(topics.last_activity_at, topics.id) < (", false)
        };
        if !leading {
            query = query.filter(topics::pinned.eq(false));
        }
        query = query.filter(
            sql::<Bool>(columns)
                .bind::<Timestamptz, _>(last_activity_at)
                .sql(", ")
                .bind::<SqlUuid, _>(id)
                .sql(")"),
        );
    }
    if let Some(plan) = plan {
        *plan = crate::db::explain(conn, query)?;
        return Ok(Vec::new());
    }
    let rows: Vec<TopicRow> = query.load(conn)?;
    let ids: Vec<TopicId> = rows.iter().map(|topic| topic.id).collect();
    let mut category_ids: Vec<CategoryId> = rows.iter().map(|topic| topic.category_id).collect();
    category_ids.sort_unstable();
    category_ids.dedup();
    let category_refs: Vec<(CategoryId, String, String)> = categories::table
        .filter(categories::id.eq_any(&category_ids))
        .select((categories::id, categories::slug, categories::name))
        .load(conn)?;
    let authors = summaries(conn, rows.iter().filter_map(|topic| topic.author_id))?;
    let positions = read_positions(conn, viewer, &ids)?;
    rows.into_iter()
        .map(|topic| {
            let reading = viewer.map(|_| {
                let read = positions
                    .iter()
                    .find(|(id, _)| *id == topic.id)
                    .map(|(_, number)| *number);
                Reading::of(read, topic.last_post_number)
            });
            let category = category_refs
                .iter()
                .find(|(id, ..)| *id == topic.category_id)
                .cloned()
                .ok_or(diesel::result::Error::NotFound)?;
            let author = topic.author_id.and_then(|id| authors.get(&id).cloned());
            Ok(summary(topic, category, author, reading))
        })
        .collect()
}

fn summary(
    topic: TopicRow,
    (id, slug, name): (CategoryId, String, String),
    author: Option<UserSummary>,
    reading: Option<Reading>,
) -> TopicSummary {
    TopicSummary {
        id: topic.id,
        category: CategoryRef { id, slug, name },
        title: topic.title,
        author,
        created_at: topic.created_at,
        last_activity_at: topic.last_activity_at,
        reply_count: topic.reply_count,
        view_count: topic.view_count,
        last_post_number: topic.last_post_number,
        pinned: topic.pinned,
        locked: topic.locked,
        reading,
    }
}

/// How far `viewer` read each of `ids` (those they opened).
fn read_positions(
    conn: &mut PgConnection,
    viewer: Option<UserId>,
    ids: &[TopicId],
) -> QueryResult<Vec<(TopicId, i32)>> {
    let Some(viewer) = viewer else {
        return Ok(Vec::new());
    };
    topic_reads::table
        .filter(topic_reads::user_id.eq(viewer))
        .filter(topic_reads::topic_id.eq_any(ids))
        .select((topic_reads::topic_id, topic_reads::last_read_number))
        .load(conn)
}

/// One topic as lists show it, with the reader's position and watch level.
pub fn summary_of(
    conn: &mut PgConnection,
    id: TopicId,
    viewer: Option<UserId>,
) -> QueryResult<Option<(TopicSummary, Option<WatchLevel>)>> {
    let row: Option<ListedRow> = topics::table
        .inner_join(categories::table)
        .left_join(users::table)
        .filter(topics::id.eq(id))
        .select((
            TopicRow::as_select(),
            (categories::id, categories::slug, categories::name),
            AUTHOR_COLUMNS.nullable(),
        ))
        .first(conn)
        .optional()?;
    let Some((topic, category, author)) = row else {
        return Ok(None);
    };
    let (reading, watch_level) = match viewer {
        None => (None, None),
        Some(viewer) => {
            let read = read_positions(conn, Some(viewer), &[id])?
                .first()
                .map(|(_, number)| *number);
            let level = watch_level(conn, viewer, id)?;
            (Some(Reading::of(read, topic.last_post_number)), Some(level))
        }
    };
    Ok(Some((
        summary(topic, category, author_summary(author), reading),
        watch_level,
    )))
}

pub fn watch_level(
    conn: &mut PgConnection,
    user: UserId,
    topic: TopicId,
) -> QueryResult<WatchLevel> {
    let stored: Option<String> = topic_watches::table
        .find((user, topic))
        .select(topic_watches::level)
        .first(conn)
        .optional()?;
    Ok(match stored.as_deref() {
        Some("watching") => WatchLevel::Watching,
        Some("muted") => WatchLevel::Muted,
        _ => WatchLevel::Normal,
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
    crate::forum::posts::queries::release_unshown(conn, &shown)?;
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
