//! The user directory: search by name or handle, best matches first, with
//! keyset pagination. Backed by trigram indexes (substring matches) and
//! pattern indexes (prefix matches for one- or two-letter searches).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Uuid as SqlUuid};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::domain::like_literal;
use super::dto::{UserPage, UserSummary};

/// Where the previous page stopped.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cursor {
    Ranked { r: i32, s: f64, i: Uuid },
    Alphabetical { n: String, i: Uuid },
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("the cursor belongs to another listing")]
    CursorMismatch,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    handle: String,
    #[diesel(sql_type = Text)]
    display_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    avatar_key: Option<String>,
    /// `lower(display_name)` as PostgreSQL computes it: the alphabetical key.
    #[diesel(sql_type = Text)]
    sort_name: String,
    #[diesel(sql_type = Integer)]
    rank: i32,
    #[diesel(sql_type = Double)]
    score: f64,
}

/// Ranks: 0 exact handle, 1 handle or name starts with the text, 2 a word of
/// the name starts with it, 3 it appears anywhere.
const SEARCH_SQL: &str = "
SELECT id, handle, display_name, avatar_key, sort_name, rank, score FROM (
    SELECT id, handle, display_name, avatar_key, lower(display_name) AS sort_name,
        CASE WHEN handle = $1 THEN 0
             WHEN handle LIKE $2 OR lower(display_name) LIKE $2 THEN 1
             WHEN lower(display_name) LIKE $3 THEN 2
             ELSE 3 END AS rank,
        greatest(similarity(handle, $1), similarity(lower(display_name), $1))::float8 AS score
    FROM users
    WHERE (handle LIKE $4 OR lower(display_name) LIKE $4)
      AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = users.id AND blocked_id = $5)
) AS matches
WHERE (rank, -score, id) > ($6, $7, $8)
ORDER BY rank, score DESC, id
LIMIT $9";

const LIST_SQL: &str = "
SELECT id, handle, display_name, avatar_key, lower(display_name) AS sort_name,
    0 AS rank, 0::float8 AS score
FROM users
WHERE (lower(display_name), id) > ($1, $2)
  AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = users.id AND blocked_id = $3)
ORDER BY lower(display_name), id
LIMIT $4";

/// One page of the directory, as seen by `viewer` (users who blocked the
/// viewer are left out).
pub fn search(
    conn: &mut PgConnection,
    viewer: Option<Uuid>,
    text: Option<&str>,
    cursor: Option<Cursor>,
    limit: i64,
) -> Result<UserPage, DirectoryError> {
    let viewer = viewer.unwrap_or(Uuid::nil());
    let text = text
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    let ranked = text.is_some();
    let rows: Vec<Row> = match text {
        Some(text) => {
            let after = match cursor {
                None => (-1, f64::NEG_INFINITY, Uuid::nil()),
                Some(Cursor::Ranked { r, s, i }) => (r, -s, i),
                Some(Cursor::Alphabetical { .. }) => return Err(DirectoryError::CursorMismatch),
            };
            ranked_query(SEARCH_SQL, &text, viewer, after, limit + 1).load(conn)?
        }
        None => {
            let (name, id) = match cursor {
                None => (String::new(), Uuid::nil()),
                Some(Cursor::Alphabetical { n, i }) => (n, i),
                Some(Cursor::Ranked { .. }) => return Err(DirectoryError::CursorMismatch),
            };
            diesel::sql_query(LIST_SQL)
                .bind::<Text, _>(name)
                .bind::<SqlUuid, _>(id)
                .bind::<SqlUuid, _>(viewer)
                .bind::<BigInt, _>(limit + 1)
                .load(conn)?
        }
    };
    Ok(page(rows, limit, ranked))
}

/// The ranked search with its parameters bound; `after` is the cursor as
/// (rank, negated score, id).
fn ranked_query(
    sql: &str,
    text: &str,
    viewer: Uuid,
    after: (i32, f64, Uuid),
    limit: i64,
) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
    let literal = like_literal(text);
    // Substring search needs three letters for trigrams; shorter text
    // matches from the start only.
    let filter = if text.chars().count() >= 3 {
        format!("%{literal}%")
    } else {
        format!("{literal}%")
    };
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Text, _>(text.to_owned())
        .bind::<Text, _>(format!("{literal}%"))
        .bind::<Text, _>(format!("% {literal}%"))
        .bind::<Text, _>(filter)
        .bind::<SqlUuid, _>(viewer)
        .bind::<Integer, _>(after.0)
        .bind::<Double, _>(after.1)
        .bind::<SqlUuid, _>(after.2)
        .bind::<BigInt, _>(limit)
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// PostgreSQL's plan for a first page of the search for `text`: for
/// checking that the indexes serve it (see the directory tests).
pub fn explain_search(conn: &mut PgConnection, text: &str) -> QueryResult<String> {
    let text = text.trim().to_lowercase();
    let lines: Vec<PlanLine> = ranked_query(
        &format!("EXPLAIN {SEARCH_SQL}"),
        &text,
        Uuid::nil(),
        (-1, f64::NEG_INFINITY, Uuid::nil()),
        crate::pagination::DEFAULT_LIMIT + 1,
    )
    .load(conn)?;
    Ok(lines
        .into_iter()
        .map(|l| l.line)
        .collect::<Vec<_>>()
        .join("\n"))
}

fn page(mut rows: Vec<Row>, limit: i64, ranked: bool) -> UserPage {
    let limit = usize::try_from(limit).unwrap_or(0);
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if has_more {
        rows.last().map(|last| {
            if ranked {
                Cursor::Ranked {
                    r: last.rank,
                    s: last.score,
                    i: last.id,
                }
            } else {
                Cursor::Alphabetical {
                    n: last.sort_name.clone(),
                    i: last.id,
                }
            }
            .encode()
        })
    } else {
        None
    };
    UserPage {
        items: rows
            .into_iter()
            .map(|row| {
                UserSummary::new(
                    row.id,
                    row.handle,
                    row.display_name,
                    row.avatar_key.as_deref(),
                )
            })
            .collect(),
        next_cursor,
    }
}
