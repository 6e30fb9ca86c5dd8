//! Reading topics: a page of a list by an index range, with what each
//! refers to (category, author, the reader's position) in one statement
//! each; and one topic with the reader's position and watch level.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Timestamptz, Uuid as SqlUuid};

use super::queries::{AUTHOR_COLUMNS, AuthorTuple, TopicKey, TopicRow, author_summary};
use crate::core::users::summaries;
use crate::core::{CategoryId, TopicId, UserId, UserSummary};
use crate::db::schema::{categories, posts, topic_reads, topic_watches, topics, users};
use crate::forum::domain::WatchLevel;
use crate::forum::dto::{CategoryRef, Reading, TopicSummary};

type ListedRow = (TopicRow, (CategoryId, String, String), Option<AuthorTuple>);

/// Which topics a list holds, beyond its category.
#[derive(Clone, Copy, Debug, Default)]
pub struct Selection {
    /// Only topics this person opened that have posts since they last read.
    pub unread_by: Option<UserId>,
    /// Only topics this person started or posted in.
    pub involving: Option<UserId>,
    /// Only topics this person started.
    pub started_by: Option<UserId>,
}

/// A page of topics, pinned first, then by latest activity: across the
/// forum or in one category, after `after`; with the reader's position
/// when signed in.
pub fn list(
    conn: &mut PgConnection,
    category: Option<CategoryId>,
    selection: Selection,
    after: Option<TopicKey>,
    limit: i64,
    viewer: Option<UserId>,
) -> QueryResult<Vec<TopicSummary>> {
    list_or_explain(conn, category, selection, after, limit, viewer, None)
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
    let all = Selection::default();
    list_or_explain(conn, category, all, after, limit, None, Some(&mut plan))?;
    Ok(plan)
}

fn list_or_explain(
    conn: &mut PgConnection,
    category: Option<CategoryId>,
    selection: Selection,
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
    if let Some(reader) = selection.unread_by {
        query = query.filter(diesel::dsl::exists(
            topic_reads::table
                .filter(topic_reads::user_id.eq(reader))
                .filter(topic_reads::topic_id.eq(topics::id))
                .filter(topic_reads::last_read_number.lt(topics::last_post_number)),
        ));
    }
    if let Some(person) = selection.involving {
        query = query.filter(
            topics::author_id.eq(person).or(diesel::dsl::exists(
                posts::table
                    .filter(posts::topic_id.eq(topics::id))
                    .filter(posts::author_id.eq(person))
                    .filter(posts::deleted_at.is_null()),
            )),
        );
    }
    if let Some(author) = selection.started_by {
        query = query.filter(topics::author_id.eq(author));
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
