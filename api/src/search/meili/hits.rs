//! A search answered by Meilisearch: what the reader may not see is left
//! out by the filter, the ids it answers are read from PostgreSQL (which
//! checks visibility again, as the index may lag a moment behind), and
//! the words that matched are marked here.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use serde::{Deserialize, Serialize};

use super::IndexKind;
use super::search::Condition;
use crate::core::{CategoryId, ConversationId, PostId, TopicId, UserId, users};
use crate::policy::not_blocked_sql;
use crate::search::domain::Filters;
use crate::search::dto::{HitCategory, SearchHit};
use crate::search::highlight::to_html;
use crate::search::stems::Matcher;

/// Where a page of Meilisearch's answers stopped.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct OffsetKey {
    #[serde(rename = "o")]
    pub offset: usize,
}

/// The people blocked either way, left out of every answer.
pub fn blocked_either_way(conn: &mut PgConnection, viewer: UserId) -> QueryResult<Vec<uuid::Uuid>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: uuid::Uuid,
    }
    let rows: Vec<Id> = diesel::sql_query(
        "SELECT blocked_id AS id FROM blocks WHERE blocker_id = $1 \
         UNION SELECT blocker_id FROM blocks WHERE blocked_id = $1",
    )
    .bind::<SqlUuid, _>(viewer)
    .load(conn)?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}

/// The conversations `reader` is in now.
pub fn conversations_of(conn: &mut PgConnection, reader: UserId) -> QueryResult<Vec<uuid::Uuid>> {
    use crate::db::schema::conversation_members;
    conversation_members::table
        .filter(conversation_members::user_id.eq(reader))
        .select(conversation_members::conversation_id)
        .load::<ConversationId>(conn)
        .map(|ids| ids.into_iter().map(ConversationId::as_uuid).collect())
}

/// The search's filters and what the reader may not see, as conditions of
/// `kind`'s index.
pub fn conditions(
    kind: IndexKind,
    filters: &Filters,
    blocked: Vec<uuid::Uuid>,
    conversations: Vec<uuid::Uuid>,
) -> Vec<Condition> {
    let author = match kind {
        IndexKind::Messages => "sender_id",
        IndexKind::People => "id",
        IndexKind::Topics | IndexKind::Posts => "author_id",
    };
    let mut conditions = vec![Condition::NotIn(author, blocked)];
    if kind == IndexKind::Messages {
        conditions.push(Condition::In("conversation_id", conversations));
    }
    if let Some(category) = filters.category {
        conditions.push(Condition::Is("category_id", category.as_uuid()));
    }
    if let Some(Some(person)) = filters.author {
        conditions.push(Condition::Is(author, person.as_uuid()));
    }
    if let Some(topic) = filters.topic {
        conditions.push(Condition::Is("topic_id", topic.as_uuid()));
    }
    if let Some(conversation) = filters.conversation {
        conditions.push(Condition::Is("conversation_id", conversation.as_uuid()));
    }
    if let Some(since) = filters.since {
        conditions.push(Condition::AtLeast("created_at", since.timestamp()));
    }
    if let Some(until) = filters.until {
        conditions.push(Condition::AtMost("created_at", until.timestamp()));
    }
    conditions
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    parent_id: Option<uuid::Uuid>,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    text: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    category_id: Option<uuid::Uuid>,
    #[diesel(sql_type = Text)]
    category_slug: String,
    #[diesel(sql_type = Text)]
    category_name: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    author_id: Option<UserId>,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    active_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    number: i64,
    #[diesel(sql_type = Integer)]
    replies: i32,
}

fn select(kind: IndexKind, viewer: &str) -> String {
    match kind {
        IndexKind::Topics => format!(
            "SELECT t.id, NULL::uuid AS parent_id, t.title, coalesce(p.source, '') AS text, \
                 t.category_id, c.slug AS category_slug, c.name AS category_name, t.author_id, \
                 t.created_at, t.last_activity_at AS active_at, 0::bigint AS number, \
                 t.reply_count AS replies \
             FROM topics t JOIN categories c ON c.id = t.category_id \
             LEFT JOIN posts p ON p.topic_id = t.id AND p.number = 1 AND p.deleted_at IS NULL \
             WHERE t.id = ANY($1) AND {}",
            not_blocked_sql("t.author_id", viewer)
        ),
        IndexKind::Posts => format!(
            "SELECT p.id, p.topic_id AS parent_id, t.title, p.source AS text, t.category_id, \
                 '' AS category_slug, '' AS category_name, p.author_id, p.created_at, \
                 p.created_at AS active_at, p.number::bigint AS number, 0 AS replies \
             FROM posts p JOIN topics t ON t.id = p.topic_id \
             WHERE p.id = ANY($1) AND p.deleted_at IS NULL AND {}",
            not_blocked_sql("p.author_id", viewer)
        ),
        IndexKind::Messages => format!(
            "SELECT m.id, m.conversation_id AS parent_id, '' AS title, coalesce(m.body, '') AS text, \
                 NULL::uuid AS category_id, '' AS category_slug, '' AS category_name, \
                 m.sender_id AS author_id, m.created_at, m.created_at AS active_at, \
                 m.seq AS number, 0 AS replies \
             FROM messages m JOIN conversation_members me \
                 ON me.conversation_id = m.conversation_id AND me.user_id = {viewer} \
             WHERE m.id = ANY($1) AND m.deleted_at IS NULL AND {}",
            not_blocked_sql("m.sender_id", viewer)
        ),
        IndexKind::People => format!(
            "SELECT u.id, NULL::uuid AS parent_id, '' AS title, '' AS text, \
                 NULL::uuid AS category_id, '' AS category_slug, '' AS category_name, \
                 u.id AS author_id, u.created_at, u.created_at AS active_at, \
                 0::bigint AS number, 0 AS replies \
             FROM users u WHERE u.id = ANY($1) AND {}",
            not_blocked_sql("u.id", viewer)
        ),
    }
}

/// The hits of `ids` (in their order) that `viewer` may still see.
pub fn hits(
    conn: &mut PgConnection,
    kind: IndexKind,
    ids: &[uuid::Uuid],
    viewer: Option<UserId>,
    words: &[String],
) -> QueryResult<Vec<SearchHit>> {
    let viewer = viewer.unwrap_or_else(UserId::nil);
    let mut rows: Vec<Row> = diesel::sql_query(select(kind, "$2"))
        .bind::<Array<SqlUuid>, _>(ids)
        .bind::<SqlUuid, _>(viewer)
        .load(conn)?;
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
    let people = users::summaries(conn, rows.iter().filter_map(|row| row.author_id))?;
    let matcher = Matcher::new(words);
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let author = row.author_id.and_then(|id| people.get(&id).cloned());
            Some(match kind {
                IndexKind::Topics => SearchHit::Topic {
                    id: TopicId::from_uuid(row.id),
                    title_highlight: to_html(&matcher.mark(&row.title, true)),
                    excerpt: to_html(&matcher.mark(&row.text, false)),
                    title: row.title,
                    category: HitCategory {
                        id: CategoryId::from_uuid(row.category_id?),
                        slug: row.category_slug,
                        name: row.category_name,
                    },
                    author,
                    created_at: row.created_at,
                    last_activity_at: row.active_at,
                    reply_count: row.replies,
                },
                IndexKind::Posts => SearchHit::Post {
                    id: PostId::from_uuid(row.id),
                    topic_id: TopicId::from_uuid(row.parent_id?),
                    topic_title: row.title,
                    number: i32::try_from(row.number).ok()?,
                    author,
                    created_at: row.created_at,
                    highlight: to_html(&matcher.mark(&row.text, false)),
                },
                IndexKind::Messages => SearchHit::Message {
                    conversation_id: ConversationId::from_uuid(row.parent_id?),
                    seq: row.number,
                    sender: author,
                    created_at: row.created_at,
                    highlight: to_html(&matcher.mark(&row.text, false)),
                },
                IndexKind::People => SearchHit::Person { user: author? },
            })
        })
        .collect())
}
