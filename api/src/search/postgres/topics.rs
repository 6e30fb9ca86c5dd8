//! Topics by their title (weighted first) and their first post.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Double, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};

use super::sql::Statement;
use super::{TextQuery, headline_options, viewer_or_nobody};
use crate::core::{CategoryId, TopicId, UserId};
use crate::policy::not_blocked_sql;
use crate::search::domain::Filters;
use crate::search::ranking::RankKey;

#[derive(QueryableByName)]
pub struct TopicMatch {
    #[diesel(sql_type = SqlUuid)]
    pub id: TopicId,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub title_marked: String,
    #[diesel(sql_type = Text)]
    pub excerpt_marked: String,
    #[diesel(sql_type = SqlUuid)]
    pub category_id: CategoryId,
    #[diesel(sql_type = Text)]
    pub category_slug: String,
    #[diesel(sql_type = Text)]
    pub category_name: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub author_id: Option<UserId>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub last_activity_at: DateTime<Utc>,
    #[diesel(sql_type = Integer)]
    pub reply_count: i32,
    #[diesel(sql_type = Integer)]
    pub miss: i32,
    #[diesel(sql_type = Double)]
    pub score: f64,
}

impl TopicMatch {
    pub fn key(&self) -> RankKey {
        RankKey {
            miss: self.miss,
            score: self.score,
            id: self.id.as_uuid(),
        }
    }
}

/// Up to `limit` topics matching `query` after `after`, best first: found
/// by either index (the titles', or the first posts'), then ranked with the
/// title weighted above the text.
pub fn topics(
    conn: &mut PgConnection,
    query: &TextQuery,
    filters: &Filters,
    viewer: Option<UserId>,
    after: Option<RankKey>,
    limit: i64,
) -> QueryResult<Vec<TopicMatch>> {
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
        "WITH found AS ( \
             SELECT t.id FROM topics t WHERE t.search_vector @@ {wide} \
             UNION \
             SELECT p.topic_id FROM posts p \
             WHERE p.number = 1 AND p.search_vector @@ {wide} AND p.deleted_at IS NULL), \
         ranked AS ( \
             SELECT t.id, t.title, t.category_id, t.author_id, t.created_at, \
                 t.last_activity_at, t.reply_count, coalesce(p.source, '') AS source, \
                 CASE WHEN doc.vector @@ {exact} THEN 0 ELSE 1 END AS miss, \
                 ts_rank(doc.vector, {wide})::float8 AS score \
             FROM found JOIN topics t ON t.id = found.id \
             LEFT JOIN posts p ON p.topic_id = t.id AND p.number = 1 AND p.deleted_at IS NULL \
             CROSS JOIN LATERAL (SELECT setweight(t.search_vector, 'A') \
                 || setweight(coalesce(p.search_vector, ''::tsvector), 'B') AS vector) doc \
             WHERE {}",
        not_blocked_sql("t.author_id", &viewer)
    ));
    s.and_is("t.category_id", filters.category.map(CategoryId::as_uuid))
        .and_is("t.author_id", filters.author.flatten().map(UserId::as_uuid))
        .and_within("t.created_at", filters.since, filters.until);
    s.push(") ");
    super::page_of(&mut s, "ranked", after, limit);
    let (whole, fragments) = (headline_options(true), headline_options(false));
    let (whole, fragments) = (s.text(whole), s.text(fragments));
    s.push(&format!(
        "SELECT page.id, page.title, \
             ts_headline('noxchat', page.title, {wide}, {whole}) AS title_marked, \
             ts_headline('noxchat', page.source, {wide}, {fragments}) AS excerpt_marked, \
             page.category_id, c.slug AS category_slug, c.name AS category_name, \
             page.author_id, page.created_at, page.last_activity_at, page.reply_count, \
             page.miss, page.score \
         FROM page JOIN categories c ON c.id = page.category_id \
         ORDER BY page.miss, page.score DESC, page.id"
    ));
    s
}
