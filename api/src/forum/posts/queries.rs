//! Posts in PostgreSQL: numbered without gaps under the topic's row lock,
//! read by number ranges of one index, edited with every earlier version
//! kept, deleted softly with the counters following.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;

pub use super::images::{MAX_IMAGES, attach_images};
pub use super::pages::{Stretch, explain_page, find, find_many, page};
use crate::core::pictures::Picture;
use crate::core::{PostId, TopicId, UserId, UserSummary};
use crate::db::schema::{post_revisions, posts, topic_reads, topic_watches, topics, users};
use crate::forum::dto::{Post, PostDeletion};
use crate::forum::markdown::{self, Rendered};
use crate::forum::topics::queries::{AUTHOR_COLUMNS, AuthorTuple, add_to_stats};
use crate::policy::forum::{Deletion, PostFacts};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = posts)]
pub struct PostRow {
    pub id: PostId,
    pub topic_id: TopicId,
    pub number: i32,
    pub author_id: Option<UserId>,
    pub source: String,
    pub html: String,
    pub reply_to: Option<i32>,
    pub like_count: i32,
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub deleted_by_moderator: bool,
}

impl PostRow {
    pub fn facts(&self, topic_locked: bool) -> PostFacts {
        PostFacts {
            author: self.author_id,
            deleted: self.deleted_at.is_some(),
            topic_locked,
        }
    }

    /// The post as `viewer` reads it: a deleted one's words only for those
    /// who may read them.
    pub fn into_wire(
        self,
        author: Option<UserSummary>,
        liked: Option<bool>,
        reads_deleted: bool,
        images: Vec<Picture>,
    ) -> Post {
        let shown = self.deleted_at.is_none() || reads_deleted;
        Post {
            id: self.id,
            topic_id: self.topic_id,
            number: self.number,
            author,
            body: shown.then_some(self.source),
            html: shown.then_some(self.html),
            reply_to: self.reply_to,
            created_at: self.created_at,
            edited_at: self.edited_at,
            revision: self.revision,
            like_count: self.like_count,
            liked,
            deleted: self.deleted_at.map(|at| PostDeletion {
                at,
                by_moderator: self.deleted_by_moderator,
            }),
            images: if shown { images } else { Vec::new() },
        }
    }
}

/// Quotes whose authors a post names.
const QUOTES_NAMED: usize = 20;

/// Renders a post of `topic`, linking the mentions of people who exist and
/// naming the authors of the posts it quotes.
pub fn render(conn: &mut PgConnection, topic: TopicId, source: &str) -> QueryResult<Rendered> {
    render_in(conn, Some(topic), source)
}

/// As [`render`]; without a topic (a topic's opening post, previewed before
/// the topic exists) a quote names an author only when it says its topic.
pub fn render_in(
    conn: &mut PgConnection,
    topic: Option<TopicId>,
    source: &str,
) -> QueryResult<Rendered> {
    let candidates = markdown::mention_candidates(source);
    let known: HashSet<String> = if candidates.is_empty() {
        HashSet::new()
    } else {
        users::table
            .filter(users::handle.eq_any(&candidates))
            .select(users::handle)
            .load::<String>(conn)?
            .into_iter()
            .collect()
    };
    let mut authors = HashMap::new();
    // The quoted posts' real authors, for the quotes to name; a post
    // quoting more than this names the rest by number only.
    for quote in markdown::quoted_posts(source)
        .into_iter()
        .take(QUOTES_NAMED)
    {
        let Some(quoted_topic) = quote.topic.map(TopicId::from_uuid).or(topic) else {
            continue;
        };
        let handle: Option<String> = posts::table
            .inner_join(users::table)
            .filter(posts::topic_id.eq(quoted_topic))
            .filter(posts::number.eq(quote.number))
            .select(users::handle)
            .first(conn)
            .optional()?;
        if let Some(handle) = handle {
            authors.insert(quote, handle);
        }
    }
    Ok(markdown::render_post(
        source,
        topic.map(TopicId::as_uuid),
        &known,
        &authors,
    ))
}

/// A post locked until the transaction ends, with what the rules and
/// notifications need of its topic (read, not locked: a like need not wait
/// for replies).
pub struct LockedPost {
    pub post: PostRow,
    pub topic_locked: bool,
    pub topic_title: String,
}

impl LockedPost {
    pub fn facts(&self) -> PostFacts {
        self.post.facts(self.topic_locked)
    }
}

pub fn lock(conn: &mut PgConnection, id: PostId) -> QueryResult<Option<LockedPost>> {
    let Some(post) = posts::table
        .find(id)
        .select(PostRow::as_select())
        .for_no_key_update()
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let (topic_locked, topic_title) = topics::table
        .find(post.topic_id)
        .select((topics::locked, topics::title))
        .first(conn)?;
    Ok(Some(LockedPost {
        post,
        topic_locked,
        topic_title,
    }))
}

/// Like [`lock`], for changes that also change the topic's counts: the
/// topic is locked first, as replying and deleting a topic lock it, so
/// that none of them waits on another in a circle.
pub fn lock_with_topic(conn: &mut PgConnection, id: PostId) -> QueryResult<Option<LockedPost>> {
    let Some(topic) = posts::table
        .find(id)
        .select(posts::topic_id)
        .first::<TopicId>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    topics::table
        .find(topic)
        .select(topics::id)
        .for_no_key_update()
        .first::<TopicId>(conn)
        .optional()?;
    lock(conn, id)
}

/// What a new post says and answers.
pub struct NewPost<'a> {
    pub topic: TopicId,
    pub author: UserId,
    pub source: &'a str,
    pub rendered: &'a Rendered,
    pub reply_to: Option<i32>,
}

/// Writes post `number` (the topic row, locked by the caller, says which),
/// counts it, has its author watch the topic (unless muted) and read it.
pub fn insert(
    conn: &mut PgConnection,
    post: &NewPost<'_>,
    number: i32,
    now: DateTime<Utc>,
) -> QueryResult<PostId> {
    let id = PostId::generate();
    diesel::insert_into(posts::table)
        .values((
            posts::id.eq(id),
            posts::topic_id.eq(post.topic),
            posts::number.eq(number),
            posts::author_id.eq(post.author),
            posts::source.eq(post.source),
            posts::html.eq(&post.rendered.html),
            posts::reply_to.eq(post.reply_to),
            posts::created_at.eq(now),
        ))
        .execute(conn)?;
    add_to_stats(conn, post.author, 0, 1, 0)?;
    diesel::insert_into(topic_watches::table)
        .values((
            topic_watches::user_id.eq(post.author),
            topic_watches::topic_id.eq(post.topic),
            topic_watches::level.eq("watching"),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    mark_read(conn, post.author, post.topic, number)?;
    Ok(id)
}

/// Moves `user`'s position in `topic` up to `number`, never back; the
/// position it holds now.
pub fn mark_read(
    conn: &mut PgConnection,
    user: UserId,
    topic: TopicId,
    number: i32,
) -> QueryResult<i32> {
    diesel::insert_into(topic_reads::table)
        .values((
            topic_reads::user_id.eq(user),
            topic_reads::topic_id.eq(topic),
            topic_reads::last_read_number.eq(number),
        ))
        .on_conflict((topic_reads::user_id, topic_reads::topic_id))
        .do_update()
        .set(
            topic_reads::last_read_number.eq(diesel::dsl::sql::<diesel::sql_types::Integer>(
                "GREATEST(topic_reads.last_read_number, excluded.last_read_number)",
            )),
        )
        .returning(topic_reads::last_read_number)
        .get_result(conn)
}

/// Replaces a locked post's words, keeping the version they replace.
pub fn edit(
    conn: &mut PgConnection,
    post: &PostRow,
    source: &str,
    rendered: &Rendered,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(post_revisions::table)
        .values((
            post_revisions::post_id.eq(post.id),
            post_revisions::revision.eq(post.revision),
            post_revisions::source.eq(&post.source),
            post_revisions::created_at.eq(post.edited_at.unwrap_or(post.created_at)),
            post_revisions::editor_id.eq(post.author_id),
        ))
        .execute(conn)?;
    diesel::update(posts::table.find(post.id))
        .set((
            posts::source.eq(source),
            posts::html.eq(&rendered.html),
            posts::revision.eq(post.revision + 1),
            posts::edited_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// An earlier version of a post: its number, words, when and by whom.
pub type RevisionRow = (i32, String, DateTime<Utc>, Option<AuthorTuple>);

/// The earlier versions of a post, oldest first.
pub fn revisions(conn: &mut PgConnection, post: PostId) -> QueryResult<Vec<RevisionRow>> {
    post_revisions::table
        .left_join(users::table)
        .filter(post_revisions::post_id.eq(post))
        .order(post_revisions::revision.asc())
        .select((
            post_revisions::revision,
            post_revisions::source,
            post_revisions::created_at,
            AUTHOR_COLUMNS.nullable(),
        ))
        .load(conn)
}

/// Deletes (`Some`) or restores (`None`) a locked post, with the counts of
/// its topic and its author following.
pub fn set_deleted(
    conn: &mut PgConnection,
    post: &PostRow,
    deletion: Option<(Deletion, DateTime<Utc>)>,
) -> QueryResult<()> {
    let sign = if deletion.is_some() { -1 } else { 1 };
    diesel::update(posts::table.find(post.id))
        .set((
            posts::deleted_at.eq(deletion.map(|(_, at)| at)),
            posts::deleted_by_moderator.eq(matches!(deletion, Some((Deletion::ByModerator, _)))),
        ))
        .execute(conn)?;
    if post.number > 1 {
        diesel::update(topics::table.find(post.topic_id))
            .set(topics::reply_count.eq(topics::reply_count + sign))
            .execute(conn)?;
    }
    if let Some(author) = post.author_id {
        add_to_stats(conn, author, 0, sign, sign * post.like_count)?;
    }
    Ok(())
}
