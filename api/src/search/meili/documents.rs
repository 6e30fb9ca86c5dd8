//! What Meilisearch keeps of each thing, read from PostgreSQL as it stands
//! now: the stems of its words and the fields searches filter on. What is
//! gone (deleted, removed, or a picture-only message with no words) is
//! reported so that the index forgets it.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Uuid as SqlUuid};
use serde_json::{Value, json};

use super::IndexKind;
use crate::search::stems::stemmed;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    id: uuid::Uuid,
    /// The words searched: a title, a post's or message's text, a name.
    #[diesel(sql_type = Text)]
    text: String,
    /// A topic's first post.
    #[diesel(sql_type = Nullable<Text>)]
    more_text: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    parent_id: Option<uuid::Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    category_id: Option<uuid::Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    author_id: Option<uuid::Uuid>,
    #[diesel(sql_type = BigInt)]
    created_at: i64,
}

/// One statement per kind: the rows of those that are still searchable.
fn select(kind: IndexKind) -> &'static str {
    match kind {
        IndexKind::Topics => {
            "SELECT t.id, t.title AS text, p.source AS more_text, NULL::uuid AS parent_id, \
                 t.category_id, t.author_id, floor(extract(epoch FROM t.created_at))::bigint AS created_at \
             FROM topics t \
             LEFT JOIN posts p ON p.topic_id = t.id AND p.number = 1 AND p.deleted_at IS NULL \
             WHERE "
        }
        IndexKind::Posts => {
            "SELECT p.id, p.source AS text, NULL AS more_text, p.topic_id AS parent_id, \
                 t.category_id, p.author_id, floor(extract(epoch FROM p.created_at))::bigint AS created_at \
             FROM posts p JOIN topics t ON t.id = p.topic_id \
             WHERE p.deleted_at IS NULL AND "
        }
        IndexKind::Messages => {
            "SELECT m.id, m.body AS text, NULL AS more_text, m.conversation_id AS parent_id, \
                 NULL::uuid AS category_id, m.sender_id AS author_id, \
                 floor(extract(epoch FROM m.created_at))::bigint AS created_at \
             FROM messages m \
             WHERE m.deleted_at IS NULL AND m.body IS NOT NULL AND "
        }
        IndexKind::People => {
            "SELECT u.id, u.display_name || ' ' || u.handle AS text, NULL AS more_text, \
                 NULL::uuid AS parent_id, NULL::uuid AS category_id, NULL::uuid AS author_id, \
                 floor(extract(epoch FROM u.created_at))::bigint AS created_at \
             FROM users u WHERE "
        }
    }
}

/// The table alias whose id the statement of `kind` selects by.
fn id_column(kind: IndexKind) -> &'static str {
    match kind {
        IndexKind::Topics => "t.id",
        IndexKind::Posts => "p.id",
        IndexKind::Messages => "m.id",
        IndexKind::People => "u.id",
    }
}

fn document(kind: IndexKind, row: Row) -> Value {
    let id = |value: Option<uuid::Uuid>| value.map(|id| id.to_string());
    match kind {
        IndexKind::Topics => json!({
            "id": row.id.to_string(),
            "title_words": stemmed(&row.text),
            "body_words": stemmed(row.more_text.as_deref().unwrap_or_default()),
            "category_id": id(row.category_id),
            "author_id": id(row.author_id),
            "created_at": row.created_at,
        }),
        IndexKind::Posts => json!({
            "id": row.id.to_string(),
            "words": stemmed(&row.text),
            "topic_id": id(row.parent_id),
            "category_id": id(row.category_id),
            "author_id": id(row.author_id),
            "created_at": row.created_at,
        }),
        IndexKind::Messages => json!({
            "id": row.id.to_string(),
            "words": stemmed(&row.text),
            "conversation_id": id(row.parent_id),
            "sender_id": id(row.author_id),
            "created_at": row.created_at,
        }),
        IndexKind::People => json!({
            "id": row.id.to_string(),
            "name_words": stemmed(&row.text),
        }),
    }
}

/// The documents of `ids`, and the ids no longer searchable.
pub fn load(
    conn: &mut PgConnection,
    kind: IndexKind,
    ids: &[uuid::Uuid],
) -> QueryResult<(Vec<Value>, Vec<uuid::Uuid>)> {
    let rows: Vec<Row> =
        diesel::sql_query(format!("{}{} = ANY($1)", select(kind), id_column(kind)))
            .bind::<Array<SqlUuid>, _>(ids)
            .load(conn)?;
    let found: std::collections::HashSet<uuid::Uuid> = rows.iter().map(|row| row.id).collect();
    let gone = ids
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect();
    Ok((
        rows.into_iter().map(|row| document(kind, row)).collect(),
        gone,
    ))
}

/// Up to `limit` documents after `after` in id order: a batch of a rebuild.
pub fn batch(
    conn: &mut PgConnection,
    kind: IndexKind,
    after: uuid::Uuid,
    limit: i64,
) -> QueryResult<(Vec<Value>, Option<uuid::Uuid>)> {
    let column = id_column(kind);
    let rows: Vec<Row> = diesel::sql_query(format!(
        "{}{column} > $1 ORDER BY {column} LIMIT $2",
        select(kind)
    ))
    .bind::<SqlUuid, _>(after)
    .bind::<BigInt, _>(limit)
    .load(conn)?;
    let last = rows.last().map(|row| row.id);
    Ok((
        rows.into_iter().map(|row| document(kind, row)).collect(),
        last,
    ))
}

/// How many there are to index of a kind, for a rebuild's progress.
pub fn count(conn: &mut PgConnection, kind: IndexKind) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    diesel::sql_query(format!(
        "SELECT count(*) AS count FROM ({}true) AS searchable",
        select(kind)
    ))
    .get_result::<Count>(conn)
    .map(|row| row.count)
}

/// The posts of topics, whose category changed.
pub fn posts_of_topics(
    conn: &mut PgConnection,
    topics: &[uuid::Uuid],
) -> QueryResult<Vec<uuid::Uuid>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: uuid::Uuid,
    }
    let rows: Vec<Id> = diesel::sql_query("SELECT id FROM posts WHERE topic_id = ANY($1)")
        .bind::<Array<SqlUuid>, _>(topics)
        .load(conn)?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}
