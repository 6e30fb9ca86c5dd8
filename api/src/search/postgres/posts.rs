//! Posts by their words: standing posts only, in topics the reader sees.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Double, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};

use super::sql::Statement;
use super::{TextQuery, headline_options, viewer_or_nobody};
use crate::core::{CategoryId, PostId, TopicId, UserId};
use crate::policy::not_blocked_sql;
use crate::search::domain::Filters;
use crate::search::ranking::RankKey;

#[derive(QueryableByName)]
pub struct PostMatch {
    #[diesel(sql_type = SqlUuid)]
    pub id: PostId,
    #[diesel(sql_type = SqlUuid)]
    pub topic_id: TopicId,
    #[diesel(sql_type = Text)]
    pub topic_title: String,
    #[diesel(sql_type = Integer)]
    pub number: i32,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub author_id: Option<UserId>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub marked: String,
    #[diesel(sql_type = Integer)]
    pub miss: i32,
    #[diesel(sql_type = Double)]
    pub score: f64,
}

impl PostMatch {
    pub fn key(&self) -> RankKey {
        RankKey {
            miss: self.miss,
            score: self.score,
            id: self.id.as_uuid(),
        }
    }
}

/// Up to `limit` standing posts matching `query` after `after`, best first.
pub fn posts(
    conn: &mut PgConnection,
    query: &TextQuery,
    filters: &Filters,
    viewer: Option<UserId>,
    after: Option<RankKey>,
    limit: i64,
) -> QueryResult<Vec<PostMatch>> {
    let statement = statement(query, filters, viewer, after, limit);
    super::indexed(conn, |conn| statement.query().load(conn))
}

/// The plan of a first page, for the tests that check the indexes serve it.
pub fn explain(conn: &mut PgConnection, query: &TextQuery) -> QueryResult<String> {
    super::plan(conn, statement(query, &Filters::default(), None, None, 21))
}

fn statement(
    query: &TextQuery,
    filters: &Filters,
    viewer: Option<UserId>,
    after: Option<RankKey>,
    limit: i64,
) -> Statement {
    let mut s = Statement::default();
    let (exact, wide) = (s.text(query.exact.clone()), s.text(query.wide.clone()));
    let (exact, wide) = (
        format!("to_tsquery('noxchat', {exact})"),
        format!("to_tsquery('noxchat', {wide})"),
    );
    let viewer = s.uuid(viewer_or_nobody(viewer).as_uuid());
    s.push(&format!(
        "WITH ranked AS ( \
             SELECT p.id, p.topic_id, t.title AS topic_title, p.number, p.author_id, \
                 p.created_at, p.source, \
                 CASE WHEN p.search_vector @@ {exact} THEN 0 ELSE 1 END AS miss, \
                 ts_rank(p.search_vector, {wide})::float8 AS score \
             FROM posts p JOIN topics t ON t.id = p.topic_id \
             WHERE p.search_vector @@ {wide} AND p.deleted_at IS NULL AND {}",
        not_blocked_sql("p.author_id", &viewer)
    ));
    s.and_is("p.topic_id", filters.topic.map(TopicId::as_uuid))
        .and_is("t.category_id", filters.category.map(CategoryId::as_uuid))
        .and_is("p.author_id", filters.author.flatten().map(UserId::as_uuid))
        .and_within("p.created_at", filters.since, filters.until);
    s.push(") ");
    super::page_of(&mut s, "ranked", after, limit);
    let fragments = s.text(headline_options(false));
    s.push(&format!(
        "SELECT page.id, page.topic_id, page.topic_title, page.number, page.author_id, \
             page.created_at, ts_headline('noxchat', page.source, {wide}, {fragments}) AS marked, \
             page.miss, page.score \
         FROM page ORDER BY page.miss, page.score DESC, page.id"
    ));
    s
}
