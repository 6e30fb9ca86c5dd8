//! Asking Meilisearch: the stems of the query's words, the filters (the
//! search's own and what the reader may not see) in its filter syntax, and
//! a page by offset; it answers ids, best first.

use serde::Deserialize;

use super::{IndexKind, Meili, MeiliError};
use crate::core::vocabulary::MIN_TYPO_LETTERS;
use crate::search::domain::last_is_prefix;
use crate::search::stems::{is_stop_word, stem};

/// What a hit carries back: its id alone (PostgreSQL has the rest).
#[derive(Deserialize)]
struct Found {
    id: uuid::Uuid,
}

/// One condition of a filter.
pub enum Condition {
    Is(&'static str, uuid::Uuid),
    In(&'static str, Vec<uuid::Uuid>),
    NotIn(&'static str, Vec<uuid::Uuid>),
    AtLeast(&'static str, i64),
    AtMost(&'static str, i64),
}

fn list(ids: &[uuid::Uuid]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The conditions, all required, in Meilisearch's filter syntax.
pub fn filter(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .filter_map(|condition| match condition {
            Condition::Is(field, id) => Some(format!("{field} = \"{id}\"")),
            Condition::In(field, ids) => Some(format!("{field} IN {}", list(ids))),
            Condition::NotIn(_, ids) if ids.is_empty() => None,
            Condition::NotIn(field, ids) => Some(format!("{field} NOT IN {}", list(ids))),
            Condition::AtLeast(field, n) => Some(format!("{field} >= {n}")),
            Condition::AtMost(field, n) => Some(format!("{field} <= {n}")),
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The query as Meilisearch takes it: the stems of the words. A word
/// typed shorter than five letters is never corrected: as a one-word
/// phrase (in quotes) it is matched as it is; the last stays open to
/// completion, being typed, from three letters.
fn query_text(words: &[String]) -> String {
    let words: Vec<String> = words
        .iter()
        .filter(|word| !is_stop_word(word))
        .cloned()
        .collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            let stem = stem(word);
            let letters = word.chars().count();
            let open_to_completion = index == last && last_is_prefix(&words);
            if !open_to_completion && letters < MIN_TYPO_LETTERS {
                format!("\"{stem}\"")
            } else {
                stem
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Meili {
    /// Up to `limit` ids of `kind` matching the words after `offset`, best
    /// first, with whether more follow.
    pub async fn find(
        &self,
        kind: IndexKind,
        words: &[String],
        filter: &str,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<uuid::Uuid>, bool), MeiliError> {
        let query = query_text(words);
        if query.is_empty() {
            // Only words nobody searches for: nothing matches, as on PostgreSQL.
            return Ok((Vec::new(), false));
        }
        let index = self.client.index(self.index_name(kind));
        let mut search = index.search();
        search
            .with_query(&query)
            .with_offset(offset)
            .with_limit(limit + 1)
            .with_matching_strategy(meilisearch_sdk::search::MatchingStrategies::ALL)
            .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(&["id"]));
        if !filter.is_empty() {
            search.with_filter(filter);
        }
        let results = search.execute::<Found>().await?;
        let mut ids: Vec<uuid::Uuid> = results.hits.into_iter().map(|hit| hit.result.id).collect();
        let more = ids.len() > limit;
        ids.truncate(limit);
        Ok((ids, more))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_go_as_phrases_but_the_last_and_long_ones_as_stems() {
        let words: Vec<String> = ["порт", "и", "репликация", "сер"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(query_text(&words), "\"порт\" репликац сер");
        assert_eq!(query_text(&["the".to_owned()]), "");
        assert_eq!(query_text(&["ru".to_owned()]), "\"ru\"");
    }

    #[test]
    fn conditions_join_in_meilisearch_syntax_and_empty_exclusions_vanish() {
        let one = uuid::Uuid::nil();
        let text = filter(&[
            Condition::Is("category_id", one),
            Condition::NotIn("author_id", Vec::new()),
            Condition::In("conversation_id", vec![one]),
            Condition::AtLeast("created_at", 10),
        ]);
        assert_eq!(
            text,
            format!(
                "category_id = \"{one}\" AND conversation_id IN [\"{one}\"] AND created_at >= 10"
            )
        );
    }
}
