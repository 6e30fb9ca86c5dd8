//! The user directory: search by name or handle, best matches first, with
//! keyset pagination. Backed by trigram indexes (substring matches) and
//! pattern indexes (prefix matches for one- or two-letter searches). A
//! misspelt word of five letters or more also finds the name meant (through
//! the vocabulary), ranked after every match as typed. The people
//! directory and search both read people here.

use std::sync::LazyLock;

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Uuid as SqlUuid};
use serde::{Deserialize, Serialize};

use crate::core::list::{ListQuery, Page, invalid_cursor};
use crate::core::validation::like_literal;
use crate::core::vocabulary;
use crate::core::{Role, UserId, UserSummary};
use crate::error::ApiError;
use crate::policy::not_blocked_sql;

const LIST: &str = "users";

/// Where the previous page stopped: ranked when searching, alphabetical
/// otherwise (the cursor's query binding keeps the two apart).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Key {
    Ranked { r: i32, s: f64, i: UserId },
    Alphabetical { n: String, i: UserId },
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = SqlUuid)]
    id: UserId,
    #[diesel(sql_type = Text)]
    handle: String,
    #[diesel(sql_type = Text)]
    display_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    avatar_key: Option<String>,
    #[diesel(sql_type = Text)]
    role: Role,
    /// `lower(display_name)` as PostgreSQL computes it: the alphabetical key.
    #[diesel(sql_type = Text)]
    sort_name: String,
    #[diesel(sql_type = Integer)]
    rank: i32,
    #[diesel(sql_type = Double)]
    score: f64,
}

/// How many matches of each kind are ranked at most: prefixes of handles,
/// prefixes of names, and matches anywhere (or after correcting typos). A
/// common fragment (`son`, `алекс`) matches thousands of people; ranking a
/// bounded few read straight from the indexes keeps every keystroke of a
/// search box as cheap as a page of a list. Whoever is not among them is
/// found by typing more.
pub const CANDIDATES: i64 = 100;

/// Ranks: 0 exact handle, 1 handle or name starts with the text, 2 a word of
/// the name starts with it, 3 it appears anywhere, 4 it appears once its
/// misspelt words are corrected ($10, or null). Prefix candidates are read
/// in the pattern indexes' order (`~<~`), the others as the trigram index
/// finds them.
static SEARCH_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "
WITH candidates AS (
    (SELECT id FROM users WHERE handle LIKE $2 ORDER BY handle USING ~<~ LIMIT {CANDIDATES})
    UNION
    (SELECT id FROM users WHERE lower(display_name) LIKE $2
     ORDER BY lower(display_name) USING ~<~ LIMIT {CANDIDATES})
    UNION
    (SELECT id FROM users WHERE handle LIKE $4 OR lower(display_name) LIKE $4 LIMIT {CANDIDATES})
    UNION
    (SELECT id FROM users WHERE handle LIKE $10 OR lower(display_name) LIKE $10 LIMIT {CANDIDATES})
)
SELECT id, handle, display_name, avatar_key, role, sort_name, rank, score FROM (
    SELECT users.id, handle, display_name, avatar_key, role, lower(display_name) AS sort_name,
        CASE WHEN handle = $1 THEN 0
             WHEN handle LIKE $2 OR lower(display_name) LIKE $2 THEN 1
             WHEN lower(display_name) LIKE $3 THEN 2
             WHEN handle LIKE $4 OR lower(display_name) LIKE $4 THEN 3
             ELSE 4 END AS rank,
        greatest(similarity(handle, $1), similarity(lower(display_name), $1))::float8 AS score
    FROM candidates JOIN users ON users.id = candidates.id
    WHERE {}
) AS matches
WHERE (rank, -score, id) > ($6, $7, $8)
ORDER BY rank, score DESC, id
LIMIT $9",
        not_blocked_sql("users.id", "$5")
    )
});

static LIST_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "
SELECT id, handle, display_name, avatar_key, role, lower(display_name) AS sort_name,
    0 AS rank, 0::float8 AS score
FROM users
WHERE (lower(display_name), id) > ($1, $2)
  AND {}
ORDER BY lower(display_name), id
LIMIT $4",
        not_blocked_sql("users.id", "$3")
    )
});

/// One page of the directory, as seen by `viewer`: people blocked either
/// way are left out.
pub fn search(
    conn: &mut PgConnection,
    viewer: UserId,
    query: &ListQuery,
) -> Result<Page<UserSummary>, ApiError> {
    let cursor = query.after::<Key>(LIST)?;
    let text = query.q.as_deref().map(str::to_lowercase);
    let rows: Vec<Row> = match text {
        Some(text) => {
            let after = match cursor {
                None => (-1, f64::NEG_INFINITY, UserId::nil()),
                Some(Key::Ranked { r, s, i }) => (r, -s, i),
                Some(Key::Alphabetical { .. }) => return Err(invalid_cursor()),
            };
            let corrected = corrected(conn, &text)?;
            ranked_query(
                &SEARCH_SQL,
                &text,
                corrected.as_deref(),
                viewer,
                after,
                query.fetch_limit(),
            )
            .load(conn)?
        }
        None => {
            let (name, id) = match cursor {
                None => (String::new(), UserId::nil()),
                Some(Key::Alphabetical { n, i }) => (n, i),
                Some(Key::Ranked { .. }) => return Err(invalid_cursor()),
            };
            diesel::sql_query(LIST_SQL.as_str())
                .bind::<Text, _>(name)
                .bind::<SqlUuid, _>(id)
                .bind::<SqlUuid, _>(viewer)
                .bind::<BigInt, _>(query.fetch_limit())
                .load(conn)?
        }
    };
    let ranked = query.q.is_some();
    let page = query.page(LIST, rows, |last| {
        if ranked {
            Key::Ranked {
                r: last.rank,
                s: last.score,
                i: last.id,
            }
        } else {
            Key::Alphabetical {
                n: last.sort_name.clone(),
                i: last.id,
            }
        }
    });
    Ok(page.map(|row| {
        UserSummary::new(
            row.id,
            row.handle,
            row.display_name,
            row.avatar_key.as_deref(),
            row.role,
        )
    }))
}

/// `text` with each misspelt word replaced by the nearest word of the
/// vocabulary, if any was.
fn corrected(conn: &mut PgConnection, text: &str) -> QueryResult<Option<String>> {
    let mut changed = false;
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        let folded = vocabulary::fold(word);
        match vocabulary::corrections(conn, &folded)?.into_iter().next() {
            Some(correction) => {
                changed = true;
                words.push(correction);
            }
            None => words.push(word.to_owned()),
        }
    }
    Ok(changed.then(|| words.join(" ")))
}

/// The ranked search with its parameters bound; `after` is the cursor as
/// (rank, negated score, id).
fn ranked_query(
    sql: &str,
    text: &str,
    corrected: Option<&str>,
    viewer: UserId,
    after: (i32, f64, UserId),
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
        .bind::<Nullable<Text>, _>(corrected.map(|c| format!("%{}%", like_literal(c))))
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
        &format!("EXPLAIN {}", *SEARCH_SQL),
        &text,
        None,
        UserId::nil(),
        (-1, f64::NEG_INFINITY, UserId::nil()),
        crate::core::list::DEFAULT_LIMIT + 1,
    )
    .load(conn)?;
    Ok(lines
        .into_iter()
        .map(|l| l.line)
        .collect::<Vec<_>>()
        .join("\n"))
}
