//! My messages by their words: in the conversations I am in now, not
//! deleted, and not from people blocked either way.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};

use super::sql::Statement;
use super::{TextQuery, headline_options};
use crate::core::{ConversationId, MessageId, UserId};
use crate::policy::not_blocked_sql;
use crate::search::domain::Filters;
use crate::search::ranking::RankKey;

#[derive(QueryableByName)]
pub struct MessageMatch {
    #[diesel(sql_type = SqlUuid)]
    pub id: MessageId,
    #[diesel(sql_type = SqlUuid)]
    pub conversation_id: ConversationId,
    #[diesel(sql_type = BigInt)]
    pub seq: i64,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub sender_id: Option<UserId>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub marked: String,
    #[diesel(sql_type = Integer)]
    pub miss: i32,
    #[diesel(sql_type = Double)]
    pub score: f64,
}

impl MessageMatch {
    pub fn key(&self) -> RankKey {
        RankKey {
            miss: self.miss,
            score: self.score,
            id: self.id.as_uuid(),
        }
    }
}

/// Up to `limit` of `reader`'s messages matching `query` after `after`,
/// best first.
pub fn messages(
    conn: &mut PgConnection,
    query: &TextQuery,
    filters: &Filters,
    reader: UserId,
    after: Option<RankKey>,
    limit: i64,
) -> QueryResult<Vec<MessageMatch>> {
    let mut s = Statement::default();
    let (exact, wide) = (s.text(query.exact.clone()), s.text(query.wide.clone()));
    let (exact, wide) = (
        format!("to_tsquery('noxchat', {exact})"),
        format!("to_tsquery('noxchat', {wide})"),
    );
    let reader = s.uuid(reader.as_uuid());
    s.push(&format!(
        "WITH ranked AS ( \
             SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.created_at, m.body, \
                 CASE WHEN m.search_vector @@ {exact} THEN 0 ELSE 1 END AS miss, \
                 ts_rank(m.search_vector, {wide})::float8 AS score \
             FROM messages m \
             JOIN conversation_members me \
                 ON me.conversation_id = m.conversation_id AND me.user_id = {reader} \
             WHERE m.search_vector @@ {wide} AND m.deleted_at IS NULL AND {}",
        not_blocked_sql("m.sender_id", &reader)
    ));
    s.and_is(
        "m.conversation_id",
        filters.conversation.map(ConversationId::as_uuid),
    )
    .and_is("m.sender_id", filters.author.flatten().map(UserId::as_uuid))
    .and_within("m.created_at", filters.since, filters.until);
    s.push(") ");
    super::page_of(&mut s, "ranked", after, limit);
    let fragments = s.text(headline_options(false));
    s.push(&format!(
        "SELECT page.id, page.conversation_id, page.seq, page.sender_id, page.created_at, \
             ts_headline('noxchat', coalesce(page.body, ''), {wide}, {fragments}) AS marked, \
             page.miss, page.score \
         FROM page ORDER BY page.miss, page.score DESC, page.id"
    ));
    super::indexed(conn, |conn| s.query().load(conn))
}
