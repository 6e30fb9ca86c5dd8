//! The default engine: PostgreSQL's full-text search over the stored
//! vectors (stemmed Russian and English, `ё` as `е`), one statement per
//! page with ranking, keyset paging and highlights; misspelt words are
//! widened to the words meant, found in the vocabulary by trigrams and
//! kept when one edit away.

mod messages;
mod posts;
mod sql;
mod topics;

use diesel::prelude::*;
use diesel::sql_types::Text;

pub use messages::messages;
pub use posts::{explain as explain_posts, posts};
pub use topics::{explain as explain_topics, topics};

pub use super::domain::Words;
use super::domain::last_is_prefix;
use super::highlight::{CLOSE, OPEN};
use super::ranking::RankKey;
use crate::core::UserId;
use crate::core::vocabulary::{self, fold};

/// A query in PostgreSQL's `to_tsquery` syntax: `exact` as typed, `wide`
/// with each misspelt word's corrections as alternatives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextQuery {
    pub exact: String,
    pub wide: String,
}

/// The query for `words`, with corrections from the vocabulary. Runs in a
/// transaction of its own (the trigram threshold is set for it alone).
pub fn text_query(conn: &mut PgConnection, words: &Words) -> QueryResult<TextQuery> {
    let mut alternatives = Vec::new();
    for word in words.as_slice() {
        alternatives.push(vocabulary::corrections(conn, word)?);
    }
    Ok(TextQuery {
        exact: to_tsquery_text(words.as_slice(), &vec![Vec::new(); words.as_slice().len()]),
        wide: to_tsquery_text(words.as_slice(), &alternatives),
    })
}

/// `'a' & ('b' | 'c') & 'd':*`: every word required, the last also as a
/// prefix. Words hold letters and digits only, so quoting them is safe.
fn to_tsquery_text(words: &[String], alternatives: &[Vec<String>]) -> String {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .zip(alternatives)
        .enumerate()
        .map(|(index, (word, others))| {
            let typed = if index == last && last_is_prefix(words) {
                format!("'{word}':*")
            } else {
                format!("'{word}'")
            };
            if others.is_empty() {
                typed
            } else {
                let others: Vec<String> = others.iter().map(|w| format!("'{}'", fold(w))).collect();
                format!("({typed} | {})", others.join(" | "))
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// `ts_headline` options marking matches for [`super::highlight`]: the
/// whole text (titles), or up to two fragments around the matches.
fn headline_options(whole: bool) -> String {
    let marks = format!("StartSel=\"{OPEN}\", StopSel=\"{CLOSE}\"");
    if whole {
        format!("{marks}, HighlightAll=true")
    } else {
        format!(
            "{marks}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, \
             FragmentDelimiter=\" … \""
        )
    }
}

/// Adds the `page` CTE: the rows of `ranked` after the cursor's key, best
/// first, `limit` of them.
fn page_of(s: &mut sql::Statement, ranked: &str, after: Option<RankKey>, limit: i64) {
    let mut condition = String::from("true");
    if let Some(key) = after {
        let (miss, score, id) = (
            s.big_int(i64::from(key.miss)),
            s.double(-key.score),
            s.uuid(key.id),
        );
        condition = format!("(miss, -score, id) > ({miss}::int, {score}, {id})");
    }
    let limit = s.big_int(limit);
    s.push(&format!(
        ", page AS (SELECT * FROM {ranked} WHERE {condition}          ORDER BY miss, score DESC, id LIMIT {limit}) "
    ));
}

/// Runs a search statement with sequential scans ruled out. The last word
/// is matched as a prefix, and PostgreSQL cannot estimate how many rows a
/// prefix matches: it guesses many, and would read whole tables where the
/// full-text index finds the few. With an index on every search there is
/// no plan to get wrong.
fn indexed<T>(
    conn: &mut PgConnection,
    run: impl FnOnce(&mut PgConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    conn.transaction(|conn| {
        diesel::sql_query("SET LOCAL enable_seqscan = off").execute(conn)?;
        // Starting parallel workers costs more (a few ms) than a page of
        // search gains from them.
        diesel::sql_query("SET LOCAL max_parallel_workers_per_gather = 0").execute(conn)?;
        run(conn)
    })
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// PostgreSQL's plan for a statement.
fn plan(conn: &mut PgConnection, statement: sql::Statement) -> QueryResult<String> {
    let lines: Vec<PlanLine> = indexed(conn, |conn| statement.explain().query().load(conn))?;
    Ok(lines
        .into_iter()
        .map(|line| line.line)
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Binds the viewer: nobody blocks the nil id, so signed-out readers pass it.
fn viewer_or_nobody(viewer: Option<UserId>) -> UserId {
    viewer.unwrap_or_else(UserId::nil)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_required_and_the_last_is_a_prefix_too() {
        let words = Words::of("Настроить ПОСТГР").expect("words");
        let none = vec![Vec::new(); 2];
        assert_eq!(
            to_tsquery_text(words.as_slice(), &none),
            "'настроить' & 'постгр':*"
        );
    }

    #[test]
    fn a_lone_word_of_one_or_two_letters_is_no_prefix() {
        let words = Words::of("ru").expect("words");
        assert_eq!(to_tsquery_text(words.as_slice(), &[Vec::new()]), "'ru'");
        let words = Words::of("postgres ru").expect("words");
        assert_eq!(
            to_tsquery_text(words.as_slice(), &vec![Vec::new(); 2]),
            "'postgres' & 'ru':*"
        );
    }

    #[test]
    fn corrections_are_alternatives_of_their_word() {
        let words = Words::of("pyhton tips").expect("words");
        let alternatives = vec![vec!["python".to_owned()], Vec::new()];
        assert_eq!(
            to_tsquery_text(words.as_slice(), &alternatives),
            "('pyhton' | 'python') & 'tips':*"
        );
    }

    #[test]
    fn headlines_mark_with_the_private_characters() {
        assert!(headline_options(true).contains('\u{E000}'));
        assert!(headline_options(false).contains("MaxFragments=2"));
    }
}
