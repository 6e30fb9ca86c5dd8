//! Words as Meilisearch indexes and is asked for them: Meilisearch stems
//! neither Russian nor English and keeps `ё` apart from `е`, so NoxChat
//! sends it stems, made here with the Snowball stemmers PostgreSQL uses
//! (Russian for Cyrillic words, English for the others); and marks where a
//! text matched, since Meilisearch would mark the stems, not the text.

use std::collections::HashSet;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::domain::last_is_prefix;
use super::highlight::{CLOSE, OPEN};
use crate::core::vocabulary::{MIN_TYPO_LETTERS, edit_distance, fold};

/// Words shown around the first match when a text is cut.
const CONTEXT_WORDS: usize = 12;

/// The words PostgreSQL's dictionaries drop, dropped here too (never sent
/// to Meilisearch as its stop words: those would apply to stems, and a
/// stem such as `other`, of `others`, would vanish with them).
static STOP_WORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    [
        include_str!("stop_words/english.stop"),
        include_str!("stop_words/russian.stop"),
    ]
    .iter()
    .flat_map(|list| list.lines())
    .map(str::trim)
    .filter(|word| !word.is_empty())
    .map(fold)
    .collect()
});

/// Whether a folded word is one nobody searches for.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(word)
}

/// The stem of one folded word.
pub fn stem(word: &str) -> String {
    let algorithm = if word.chars().any(|c| matches!(c, 'а'..='я')) {
        Algorithm::Russian
    } else {
        Algorithm::English
    };
    Stemmer::create(algorithm).stem(word).into_owned()
}

/// Each word of `text`, folded, with where it stands in `text`.
fn words(text: &str) -> impl Iterator<Item = (usize, usize, String)> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(at, c)| match (start, c.is_alphanumeric()) {
            (None, true) => {
                start = Some(at);
                None
            }
            (Some(from), false) => {
                start = None;
                Some((from, at, fold(&text[from..at])))
            }
            _ => None,
        })
}

/// `text` as Meilisearch indexes it: the stem of each word, in order.
pub fn stemmed(text: &str) -> String {
    words(text)
        .filter(|(_, _, word)| !is_stop_word(word))
        .map(|(_, _, word)| stem(&word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a query's words match in a text, to mark it.
pub struct Matcher {
    stems: Vec<String>,
    /// The last word as typed (folded): a prefix of the words it matches.
    last: Option<String>,
}

impl Matcher {
    pub fn new(query_words: &[String]) -> Self {
        let sought: Vec<&String> = query_words
            .iter()
            .filter(|word| !is_stop_word(word))
            .collect();
        let owned: Vec<String> = sought.iter().map(|word| (*word).clone()).collect();
        Self {
            stems: owned.iter().map(|word| stem(word)).collect(),
            last: owned.last().cloned().filter(|_| last_is_prefix(&owned)),
        }
    }

    /// Whether a (folded) word of a text is one the query sought: the
    /// same stem, one letter off a long stem, or the last word's prefix.
    fn matches(&self, word: &str) -> bool {
        let word_stem = stem(word);
        let prefix = self
            .last
            .as_ref()
            .is_some_and(|last| word.starts_with(last.as_str()));
        prefix
            || self.stems.iter().any(|sought| {
                *sought == word_stem
                    || (sought.chars().count() >= MIN_TYPO_LETTERS
                        && edit_distance(sought, &word_stem) == 1)
            })
    }

    /// `text` with its matching words marked for [`super::highlight`]:
    /// whole, or cut to the words around the first match.
    pub fn mark(&self, text: &str, whole: bool) -> String {
        let found: Vec<(usize, usize, bool)> = words(text)
            .map(|(from, to, word)| (from, to, self.matches(&word)))
            .collect();
        let (first, last) = if whole || found.len() <= 2 * CONTEXT_WORDS {
            (0, found.len())
        } else {
            let hit = found.iter().position(|(_, _, hit)| *hit).unwrap_or(0);
            let first = hit.saturating_sub(CONTEXT_WORDS / 2);
            (first, (first + 2 * CONTEXT_WORDS).min(found.len()))
        };
        let (Some(begin), Some(end)) = (found.get(first), found.get(last.saturating_sub(1))) else {
            return text.to_owned();
        };
        let (start, stop) = if whole {
            (0, text.len())
        } else {
            (begin.0, end.1)
        };
        let mut marked = String::new();
        if start > 0 {
            marked.push_str("… ");
        }
        let mut at = start;
        for &(from, to, hit) in &found[first..last] {
            marked.push_str(&text[at..from]);
            if hit {
                marked.push(OPEN);
                marked.push_str(&text[from..to]);
                marked.push(CLOSE);
            } else {
                marked.push_str(&text[from..to]);
            }
            at = to;
        }
        marked.push_str(&text[at..stop]);
        if stop < text.len() && !whole {
            marked.push_str(" …");
        }
        marked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::highlight::to_html;

    #[test]
    fn russian_and_english_words_are_stemmed_and_folded() {
        assert_eq!(stemmed("Искали ЁЛКУ, running"), "иска елк run");
        assert_eq!(stem("искать"), stem("искал"));
    }

    #[test]
    fn stop_words_are_dropped_as_postgresql_drops_them() {
        assert_eq!(stemmed("The others и мы were running"), "other run");
        assert!(is_stop_word("the") && is_stop_word("и"));
        assert!(!is_stop_word("others"));
    }

    #[test]
    fn marks_fall_on_the_words_of_the_query_whatever_their_form() {
        let words = vec!["искать".to_owned(), "серв".to_owned()];
        let marked = Matcher::new(&words).mark("Мы искали <сервер> долго", true);
        assert_eq!(
            to_html(&marked),
            "Мы <mark>искали</mark> &lt;<mark>сервер</mark>&gt; долго"
        );
    }

    #[test]
    fn a_typo_still_marks_the_word_meant() {
        let marked = Matcher::new(&["pyhton".to_owned()]).mark("I like Python", true);
        assert_eq!(to_html(&marked), "I like <mark>Python</mark>");
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!("{} needle {}", "hay ".repeat(40), "straw ".repeat(40));
        let marked = to_html(&Matcher::new(&["needle".to_owned()]).mark(&text, false));
        assert!(marked.starts_with("… "), "{marked}");
        assert!(marked.ends_with(" …"), "{marked}");
        assert!(marked.contains("<mark>needle</mark>"), "{marked}");
        assert!(marked.split_whitespace().count() < 30, "{marked}");
    }
}
