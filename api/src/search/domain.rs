//! A search as the engines take it: the words of the query, normalised the
//! way the indexes store text, what kind of thing is sought, and the
//! filters, parsed at the edge so that the engines only ever see valid ones.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::core::vocabulary::fold;
use crate::core::{CategoryId, ConversationId, TopicId, UserId};

/// The most words of a query that count; the rest are ignored.
pub const MAX_WORDS: usize = 10;
/// A query of one word matches it as a prefix from this many letters: one
/// or two letters begin nearly every word, which would make every text a
/// match (and every such search a scan of them all). After other words,
/// which narrow the search, any last word is a prefix.
pub const MIN_PREFIX_LETTERS: usize = 3;

/// Whether the last of `words` (the one being typed) matches as a prefix.
pub fn last_is_prefix(words: &[String]) -> bool {
    words.len() > 1
        || words
            .last()
            .is_some_and(|word| word.chars().count() >= MIN_PREFIX_LETTERS)
}

/// What is sought.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Topics,
    Posts,
    People,
    Messages,
}

impl Kind {
    pub fn parse(raw: Option<&str>) -> Option<Self> {
        match raw.unwrap_or("topics") {
            "topics" => Some(Self::Topics),
            "posts" => Some(Self::Posts),
            "people" => Some(Self::People),
            "messages" => Some(Self::Messages),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Topics => "topics",
            Self::Posts => "posts",
            Self::People => "people",
            Self::Messages => "messages",
        }
    }
}

/// The words of a query, lower-cased, `ё` as `е`, letters and digits only:
/// safe to place in any engine's query syntax. The last one is matched as
/// a prefix too (it may still be being typed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words(Vec<String>);

impl Words {
    /// `None` when the text holds no word at all.
    pub fn of(text: &str) -> Option<Self> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .take(MAX_WORDS)
            .map(fold)
            .collect();
        (!words.is_empty()).then_some(Self(words))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// The restrictions a search may carry; which apply depends on the kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub category: Option<CategoryId>,
    /// Resolved from a handle: `Some(None)` when nobody has it, which
    /// matches nothing.
    pub author: Option<Option<UserId>>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub topic: Option<TopicId>,
    pub conversation: Option<ConversationId>,
}

/// Which end of a day a bare date stands for.
#[derive(Clone, Copy, Debug)]
pub enum DayEnd {
    Start,
    End,
}

/// An RFC 3339 time, or a date meaning the start or the end of that day (UTC).
pub fn parse_time(raw: &str, end: DayEnd) -> Option<DateTime<Utc>> {
    if let Ok(time) = DateTime::parse_from_rfc3339(raw) {
        return Some(time.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    let time = match end {
        DayEnd::Start => NaiveTime::MIN,
        DayEnd::End => NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999)?,
    };
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_split_and_bounded() {
        let words = Words::of("  Ёлки-ПАЛКИ, <b>run</b>'s!  ").expect("words");
        assert_eq!(words.as_slice(), ["елки", "палки", "b", "run", "b", "s"]);
        assert_eq!(Words::of(" ,.;!? "), None);
        let many = "a ".repeat(30);
        assert_eq!(
            Words::of(&many).map(|w| w.as_slice().len()),
            Some(MAX_WORDS)
        );
    }

    #[test]
    fn a_date_stands_for_the_start_or_the_end_of_its_day() {
        let start = parse_time("2026-03-01", DayEnd::Start).expect("date");
        let end = parse_time("2026-03-01", DayEnd::End).expect("date");
        assert_eq!(start.to_rfc3339(), "2026-03-01T00:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-03-01T23:59:59.999999+00:00");
        assert!(parse_time("2026-03-01T10:00:00+03:00", DayEnd::Start).is_some());
        assert_eq!(parse_time("March 1st", DayEnd::Start), None);
    }

    #[test]
    fn kinds_default_to_topics_and_refuse_the_unknown() {
        assert_eq!(Kind::parse(None), Some(Kind::Topics));
        assert_eq!(Kind::parse(Some("messages")), Some(Kind::Messages));
        assert_eq!(Kind::parse(Some("files")), None);
    }
}
