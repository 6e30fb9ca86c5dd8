//! Every word of five letters or more written where everyone may read it
//! (titles, posts, names; never private messages, whose words a search
//! could otherwise probe for), kept by the database as text is written (and
//! learnt as its transaction commits): where a misspelt word finds the
//! words meant. Searches of every kind use it.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

/// Words shorter than this are never corrected: one letter off in a short
/// word is another word.
pub const MIN_TYPO_LETTERS: usize = 5;
/// Candidates the vocabulary offers per word, nearest first.
const CANDIDATES: i64 = 30;
/// How alike (in trigrams) a candidate must be: low enough that one swapped
/// pair of letters in a five-letter word still qualifies.
const SIMILARITY: &str = "0.2";
/// Corrections kept per word.
const CORRECTIONS: usize = 5;

#[derive(QueryableByName)]
struct Candidate {
    #[diesel(sql_type = Text)]
    word: String,
}

/// Words of the vocabulary one edit away from `word` (lower-cased, `ё` as
/// `е`), nearest first: none for short words, nor for a word the vocabulary
/// has (it is not misspelt, or not in a way that can be told). Runs in a
/// transaction of its own: the trigram threshold is set for it alone.
pub fn corrections(conn: &mut PgConnection, word: &str) -> QueryResult<Vec<String>> {
    if word.chars().count() < MIN_TYPO_LETTERS {
        return Ok(Vec::new());
    }
    let candidates: Vec<Candidate> = conn.transaction(|conn| {
        let known: Vec<Candidate> =
            diesel::sql_query("SELECT word FROM search_words WHERE word = $1")
                .bind::<Text, _>(word)
                .load(conn)?;
        if !known.is_empty() {
            return Ok(Vec::new());
        }
        diesel::sql_query(format!(
            "SET LOCAL pg_trgm.similarity_threshold = {SIMILARITY}"
        ))
        .execute(conn)?;
        diesel::sql_query(
            "SELECT word FROM search_words WHERE word % $1 \
             ORDER BY similarity(word, $1) DESC, word LIMIT $2",
        )
        .bind::<Text, _>(word)
        .bind::<BigInt, _>(CANDIDATES)
        .load(conn)
    })?;
    Ok(candidates
        .into_iter()
        .map(|candidate| candidate.word)
        .filter(|candidate| candidate != word && edit_distance(candidate, word) == 1)
        .take(CORRECTIONS)
        .collect())
}

/// Lower case, with `ё` as `е`, as the vocabulary and the indexes keep words.
pub fn fold(word: &str) -> String {
    word.to_lowercase().replace('ё', "е")
}

/// The Damerau–Levenshtein distance (optimal string alignment) between two
/// words, by letters: a wrong, missing, extra or swapped letter is one.
/// Exact up to 1; beyond, a lower bound when the lengths differ by more.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // At least this many edits whatever the letters; a word thousands of
    // letters long costs nothing to tell apart.
    let apart = a.len().abs_diff(b.len());
    if apart > 1 {
        return apart;
    }
    let width = b.len() + 1;
    let mut table = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        table[i * width] = i;
    }
    for (j, cell) in table.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[(i - 1) * width + j] + 1)
                .min(table[i * width + j - 1] + 1)
                .min(table[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[(i - 2) * width + j - 2] + 1);
            }
            table[i * width + j] = best;
        }
    }
    table[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_wrong_missing_extra_or_swapped_letter_is_one_edit() {
        assert_eq!(edit_distance("python", "python"), 0);
        assert_eq!(edit_distance("pyhton", "python"), 1);
        assert_eq!(edit_distance("pythn", "python"), 1);
        assert_eq!(edit_distance("pythonn", "python"), 1);
        assert_eq!(edit_distance("pithon", "python"), 1);
        assert_eq!(edit_distance("сервир", "сервер"), 1);
        assert!(
            edit_distance("ptyhno", "python") > 1,
            "two swaps are two edits"
        );
    }

    #[test]
    fn words_fold_to_lower_case_and_e() {
        assert_eq!(fold("ЁЛКА"), "елка");
    }
}
