//! Reading posts: a stretch of a topic by number from its index, one post,
//! or several by id, each with its author, pictures and whether the reader
//! likes it, in a few statements whatever the page size.

use std::collections::HashSet;

use diesel::prelude::*;

use super::images::images_of;
use super::queries::PostRow;
use crate::core::users::summaries;
use crate::core::{PostId, TopicId, UserId};
use crate::db::schema::{post_likes, posts, users};
use crate::forum::dto::{Post, ReadDirection};
use crate::forum::topics::queries::{AUTHOR_COLUMNS, AuthorTuple, author_summary};

/// Which posts of a topic to read: from a number, one way, how many.
#[derive(Clone, Copy, Debug)]
pub struct Stretch {
    pub from: i32,
    pub direction: ReadDirection,
    pub limit: i64,
}

/// A stretch of a topic's posts in number order as `viewer` reads them,
/// or `None` when there is no such topic: three statements whatever the
/// page size.
pub fn page(
    conn: &mut PgConnection,
    topic: TopicId,
    stretch: Stretch,
    viewer: Option<UserId>,
    reads_deleted: bool,
) -> QueryResult<Option<Vec<Post>>> {
    if !crate::forum::topics::queries::exists(conn, topic)? {
        return Ok(None);
    }
    let mut rows = range_or_explain(conn, topic, stretch, None)?;
    if stretch.direction == ReadDirection::Before {
        rows.reverse();
    }
    let ids: Vec<PostId> = rows.iter().map(|post| post.id).collect();
    let liked = liked_among(conn, viewer, &ids)?;
    let authors = summaries(conn, rows.iter().filter_map(|post| post.author_id))?;
    let mut images = images_of(conn, &ids)?;
    Ok(Some(
        rows.into_iter()
            .map(|post| {
                let likes = viewer.map(|_| liked.contains(&post.id));
                let author = post.author_id.and_then(|id| authors.get(&id).cloned());
                let pictures = images.remove(&post.id).unwrap_or_default();
                post.into_wire(author, likes, reads_deleted, pictures)
            })
            .collect(),
    ))
}

/// PostgreSQL's plan for a stretch of posts, for the tests that check that
/// an index serves it (jumping to post 4000 included).
pub fn explain_page(
    conn: &mut PgConnection,
    topic: TopicId,
    stretch: Stretch,
) -> QueryResult<String> {
    let mut plan = String::new();
    range_or_explain(conn, topic, stretch, Some(&mut plan))?;
    Ok(plan)
}

fn range_or_explain(
    conn: &mut PgConnection,
    topic: TopicId,
    stretch: Stretch,
    plan: Option<&mut String>,
) -> QueryResult<Vec<PostRow>> {
    // The posts alone, read in number order from the topic's index.
    let query = posts::table
        .filter(posts::topic_id.eq(topic))
        .select(PostRow::as_select())
        .limit(stretch.limit)
        .into_boxed();
    let query = match stretch.direction {
        ReadDirection::After => query
            .filter(posts::number.ge(stretch.from))
            .order(posts::number.asc()),
        ReadDirection::Before => query
            .filter(posts::number.lt(stretch.from))
            .order(posts::number.desc()),
    };
    match plan {
        Some(plan) => {
            *plan = crate::db::explain(conn, query)?;
            Ok(Vec::new())
        }
        None => query.load(conn),
    }
}

fn liked_among(
    conn: &mut PgConnection,
    viewer: Option<UserId>,
    ids: &[PostId],
) -> QueryResult<HashSet<PostId>> {
    let Some(viewer) = viewer else {
        return Ok(HashSet::new());
    };
    Ok(post_likes::table
        .filter(post_likes::user_id.eq(viewer))
        .filter(post_likes::post_id.eq_any(ids))
        .select(post_likes::post_id)
        .load::<PostId>(conn)?
        .into_iter()
        .collect())
}

/// One post as `viewer` reads it.
pub fn find(
    conn: &mut PgConnection,
    id: PostId,
    viewer: Option<UserId>,
    reads_deleted: bool,
) -> QueryResult<Option<Post>> {
    let row: Option<(PostRow, Option<AuthorTuple>)> = posts::table
        .left_join(users::table)
        .filter(posts::id.eq(id))
        .select((PostRow::as_select(), AUTHOR_COLUMNS.nullable()))
        .first(conn)
        .optional()?;
    let Some((post, author)) = row else {
        return Ok(None);
    };
    let liked = liked_among(conn, viewer, &[id])?;
    let likes = viewer.map(|_| liked.contains(&id));
    let pictures = images_of(conn, &[id])?.remove(&id).unwrap_or_default();
    Ok(Some(post.into_wire(
        author_summary(author),
        likes,
        reads_deleted,
        pictures,
    )))
}

/// Posts by id, as a moderator reads them (deleted ones included), in no
/// particular order: three statements whatever their number.
pub fn find_many(
    conn: &mut PgConnection,
    ids: &[PostId],
    viewer: UserId,
) -> QueryResult<Vec<Post>> {
    let rows: Vec<PostRow> = posts::table
        .filter(posts::id.eq_any(ids))
        .select(PostRow::as_select())
        .load(conn)?;
    let liked = liked_among(conn, Some(viewer), ids)?;
    let authors = summaries(conn, rows.iter().filter_map(|post| post.author_id))?;
    let mut images = images_of(conn, ids)?;
    Ok(rows
        .into_iter()
        .map(|post| {
            let likes = Some(liked.contains(&post.id));
            let author = post.author_id.and_then(|id| authors.get(&id).cloned());
            let pictures = images.remove(&post.id).unwrap_or_default();
            post.into_wire(author, likes, true, pictures)
        })
        .collect())
}
