//! Matching query words against a document's words as Meilisearch
//! documents it: equal, a prefix (the last query word), or within the typos
//! the query word's length allows (Damerau–Levenshtein); and the ranks the
//! ranking rules compare, with the `_rankingScore` they make.

use serde_json::Value;

use super::filter::lookup;
use super::store::strings;

/// Query or document text as words: split on anything not alphanumeric,
/// lower-cased.
pub(super) fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of a searchable attribute's value: a string, or the strings of
/// an array.
fn words_of(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => tokenize(text),
        Some(Value::Array(items)) => items.iter().flat_map(|item| words_of(Some(item))).collect(),
        _ => Vec::new(),
    }
}

pub(super) struct Typos {
    enabled: bool,
    one: usize,
    two: usize,
    words: Vec<String>,
    pub(super) attributes: Vec<String>,
}

impl Typos {
    pub(super) fn new(settings: &Value) -> Self {
        let size = |name: &str, default: usize| {
            settings["minWordSizeForTypos"][name]
                .as_u64()
                .and_then(|size| usize::try_from(size).ok())
                .unwrap_or(default)
        };
        Self {
            enabled: settings["enabled"].as_bool().unwrap_or(true),
            one: size("oneTypo", 5),
            two: size("twoTypos", 9),
            words: strings(&settings["disableOnWords"])
                .iter()
                .map(|word| word.to_lowercase())
                .collect(),
            attributes: strings(&settings["disableOnAttributes"]),
        }
    }

    /// How many typos a query word may have.
    pub(super) fn allowed(&self, word: &str) -> usize {
        let length = word.chars().count();
        if !self.enabled || self.words.iter().any(|disabled| disabled == word) {
            0
        } else if length >= self.two {
            2
        } else if length >= self.one {
            1
        } else {
            0
        }
    }
}

pub(super) struct Attribute<'a> {
    /// Its place in `searchableAttributes`.
    pub(super) position: usize,
    pub(super) name: &'a str,
    /// Whether typos may match in it (`disableOnAttributes`).
    pub(super) typos: bool,
}

/// How a query word matched a document, at best.
#[derive(Clone, Copy)]
struct WordMatch {
    typos: usize,
    attribute: usize,
    exact: bool,
}

/// What the ranking rules compare.
#[derive(Default)]
pub(super) struct Ranks {
    /// Query words matched (all of them, or the first ones for `last`).
    pub(super) words: usize,
    pub(super) typos: usize,
    /// The best attribute position where a matched word was found.
    pub(super) attribute: usize,
    /// Query words found exactly (not by prefix or typo).
    pub(super) exact: usize,
}

/// How `document` ranks for `words`; `None` when it does not match. With
/// no words (a placeholder search) every document matches.
pub(super) fn rank(
    document: &Value,
    words: &[String],
    budgets: &[usize],
    attributes: &[Attribute<'_>],
    all: bool,
    prefix_last: bool,
) -> Option<Ranks> {
    if words.is_empty() {
        return Some(Ranks::default());
    }
    let texts: Vec<(&Attribute<'_>, Vec<String>)> = attributes
        .iter()
        .map(|attribute| (attribute, words_of(lookup(document, attribute.name))))
        .collect();
    let last = words.len() - 1;
    let matches: Vec<Option<WordMatch>> = words
        .iter()
        .zip(budgets)
        .enumerate()
        .map(|(i, (word, &budget))| best_match(word, prefix_last && i == last, budget, &texts))
        .collect();
    // `last` drops query words from the end until the rest all match.
    let matched = matches.iter().take_while(|found| found.is_some()).count();
    if matched == 0 || (all && matched < words.len()) {
        return None;
    }
    let used: Vec<WordMatch> = matches.into_iter().take(matched).flatten().collect();
    Some(Ranks {
        words: matched,
        typos: used.iter().map(|found| found.typos).sum(),
        attribute: used.iter().map(|found| found.attribute).min().unwrap_or(0),
        exact: used.iter().filter(|found| found.exact).count(),
    })
}

fn best_match(
    word: &str,
    last: bool,
    budget: usize,
    texts: &[(&Attribute<'_>, Vec<String>)],
) -> Option<WordMatch> {
    let mut best: Option<WordMatch> = None;
    for (attribute, tokens) in texts {
        let budget = if attribute.typos { budget } else { 0 };
        for token in tokens {
            let Some(typos) = match_word(word, token, last, budget) else {
                continue;
            };
            let exact = token == word;
            best = Some(match best {
                None => WordMatch {
                    typos,
                    attribute: attribute.position,
                    exact,
                },
                Some(found) => WordMatch {
                    typos: found.typos.min(typos),
                    attribute: found.attribute.min(attribute.position),
                    exact: found.exact || exact,
                },
            });
        }
    }
    best
}

/// The typos with which query word `word` matches document word `token`:
/// equal, a prefix of it (the last query word), or within `budget` typos
/// (the last query word also against any prefix of the token).
fn match_word(word: &str, token: &str, last: bool, budget: usize) -> Option<usize> {
    if token == word || (last && token.starts_with(word)) {
        return Some(0);
    }
    if budget == 0 {
        return None;
    }
    let (whole, best_prefix) = typo_distance(word, token);
    let typos = if last { best_prefix } else { whole };
    (typos <= budget).then_some(typos)
}

/// The Damerau–Levenshtein distance (an adjacent transposition counts one)
/// from `word` to `token`, and the least from `word` to a prefix of `token`.
fn typo_distance(word: &str, token: &str) -> (usize, usize) {
    let a: Vec<char> = word.chars().collect();
    let b: Vec<char> = token.chars().collect();
    // rows[i][j]: the distance between a[..i] and b[..j].
    let mut rows: Vec<Vec<usize>> = vec![(0..=b.len()).collect()];
    for (i, &ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let above = &rows[i];
            let mut cost = (above[j] + usize::from(ca != cb))
                .min(above[j + 1] + 1)
                .min(row[j] + 1);
            if i > 0 && j > 0 && ca == b[j - 1] && a[i - 1] == cb {
                cost = cost.min(rows[i - 1][j - 1] + 1);
            }
            row.push(cost);
        }
        rows.push(row);
    }
    let end = &rows[a.len()];
    (end[b.len()], end.iter().copied().min().unwrap_or_default())
}

/// The maximum of each rank, for `_rankingScore`.
pub(super) struct Scale {
    pub(super) words: usize,
    pub(super) typos: usize,
    pub(super) attributes: usize,
}

impl Scale {
    /// The ranks read as one mixed-radix number in the order of the ranking
    /// rules, scaled into (0, 1]: 1 for the best possible match, decreasing
    /// with the rank. `sort` and custom rules do not score, as in
    /// Meilisearch; a placeholder search scores 1.
    pub(super) fn score(&self, rules: &[String], ranks: &Ranks) -> f64 {
        if self.words == 0 {
            return 1.0;
        }
        let mut value = 0.0;
        let mut total = 1.0;
        for rule in rules {
            // (rank, max) with 1 <= rank <= max, higher being better.
            let (rank, max) = match rule.as_str() {
                "words" => (ranks.words, self.words),
                "typo" => (self.typos.saturating_sub(ranks.typos) + 1, self.typos + 1),
                "attribute" | "attributeRank" => (
                    self.attributes.saturating_sub(ranks.attribute).max(1),
                    self.attributes,
                ),
                "exactness" => (ranks.exact + 1, self.words + 1),
                _ => continue,
            };
            value = value * max as f64 + (rank - 1) as f64;
            total *= max as f64;
        }
        (value + 1.0) / total
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn words_are_alphanumeric_runs_lower_cased() {
        assert_eq!(
            tokenize("Hello, WORLD! ёЖик_2x  l'été"),
            ["hello", "world", "ёжик", "2x", "l", "été"]
        );
        assert!(tokenize(" -- ").is_empty());
    }

    #[test]
    fn typo_distance_counts_a_transposition_once() {
        assert_eq!(typo_distance("hello", "hello").0, 0);
        assert_eq!(typo_distance("hlelo", "hello").0, 1);
        assert_eq!(typo_distance("helo", "hello").0, 1);
        assert_eq!(typo_distance("hxllo", "hello").0, 1);
        assert_eq!(typo_distance("kitten", "sitting").0, 3);
        // Against prefixes: "serch" is one typo from "search…".
        assert_eq!(typo_distance("serch", "searching").1, 1);
    }

    #[test]
    fn words_match_exactly_by_last_word_prefix_or_within_typos() {
        // Exact, and prefix only for the last query word.
        assert_eq!(match_word("hello", "hello", false, 0), Some(0));
        assert_eq!(match_word("hel", "hello", true, 0), Some(0));
        assert_eq!(match_word("hel", "hello", false, 0), None);
        // Typos within the budget.
        assert_eq!(match_word("wrold", "world", false, 1), Some(1));
        assert_eq!(match_word("wrold", "world", false, 0), None);
        assert_eq!(match_word("wordl", "worlds", false, 1), None);
        assert_eq!(match_word("wrold", "worlds", true, 1), Some(1));
        // A typo while typing the last word.
        assert_eq!(match_word("serach", "searching", true, 1), Some(1));
        assert_eq!(match_word("serach", "searching", false, 1), None);
    }

    #[test]
    fn typo_budgets_follow_word_length() {
        let typos = Typos::new(&json!({
            "enabled": true,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 255},
            "disableOnWords": ["noxchat"],
        }));
        assert_eq!(typos.allowed("four"), 0);
        assert_eq!(typos.allowed("fives"), 1);
        assert_eq!(typos.allowed("a-very-long-word-indeed"), 1);
        assert_eq!(typos.allowed("noxchat"), 0);
        let defaults = Typos::new(&json!({}));
        assert_eq!(defaults.allowed("ninechars"), 2);
        assert_eq!(
            Typos::new(&json!({"enabled": false})).allowed("whatever"),
            0
        );
    }
}
