//! The forum's values, parsed at the edge.

use crate::core::validation::visible_line;
use crate::error::FieldIssue;

const SLUG_MAX: usize = 50;
const DESCRIPTION_MAX: usize = 500;
const TITLE_CHARS: std::ops::RangeInclusive<usize> = 3..=200;
const BODY_MAX: usize = 20_000;

/// A category's address: `a-z 0-9` words joined by single hyphens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let slug = raw.trim().to_ascii_lowercase();
        let valid = !slug.is_empty()
            && slug.len() <= SLUG_MAX
            && slug.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if valid {
            Ok(Self(slug))
        } else {
            Err(FieldIssue::InvalidSlug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a category is for: plain text, at most 500 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description(String);

impl Description {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let text = crate::core::text::nfkc(raw).trim().replace("\r\n", "\n");
        if text.chars().count() > DESCRIPTION_MAX {
            return Err(FieldIssue::DescriptionTooLong);
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(FieldIssue::ControlCharacters);
        }
        if crate::core::text::has_format_characters(&text) {
            return Err(FieldIssue::FormatCharacters);
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A topic's title: one line of 3–200 characters in any script, with one
/// spelling for what looks the same and nothing invisible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        visible_line(raw, TITLE_CHARS, FieldIssue::TitleLength).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A post's Markdown source: 1–20000 characters, lines ending in `\n`,
/// no control characters but tabs and line ends (PostgreSQL cannot even
/// store a NUL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostBody(String);

impl PostBody {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let body = raw.replace("\r\n", "\n");
        // Blank lines around go; the first line keeps its indent, which
        // may make it code.
        let body = body.trim_end();
        let body = match body.find(|c: char| !c.is_whitespace()) {
            Some(first) => &body[body[..first].rfind('\n').map_or(0, |end| end + 1)..],
            None => "",
        };
        let length = body.chars().count();
        if length == 0 || length > BODY_MAX {
            return Err(FieldIssue::BodyLength);
        }
        if body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(FieldIssue::ControlCharacters);
        }
        Ok(Self(body.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::core::text_enum::text_enum! {
    /// How a person follows a topic.
    pub enum WatchLevel {
        /// Told of every reply.
        Watching = "watching",
        /// Told of replies to their own posts, quotes and mentions.
        Normal = "normal",
        /// Told of nothing in it.
        Muted = "muted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_hyphens() {
        assert_eq!(
            Slug::parse(" Help-Desk ").map(|s| s.0),
            Ok("help-desk".into())
        );
        assert_eq!(Slug::parse("2026").map(|s| s.0), Ok("2026".into()));
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "a_b",
            "a b",
            "форум",
            &"a".repeat(51),
        ] {
            assert_eq!(Slug::parse(bad), Err(FieldIssue::InvalidSlug), "{bad:?}");
        }
    }

    #[test]
    fn descriptions_are_plain_bounded_text() {
        assert!(Description::parse("Вопросы и ответы\nQ&A").is_ok());
        assert_eq!(
            Description::parse(&"x".repeat(501)),
            Err(FieldIssue::DescriptionTooLong)
        );
        assert_eq!(
            Description::parse("a\u{202e}b"),
            Err(FieldIssue::FormatCharacters)
        );
    }

    #[test]
    fn titles_are_one_visible_line_of_three_to_two_hundred_characters() {
        assert_eq!(
            Title::parse("  Как настроить сервер?  ").map(|t| t.0),
            Ok("Как настроить сервер?".into())
        );
        assert_eq!(Title::parse("ab"), Err(FieldIssue::TitleLength));
        assert!(Title::parse(&"я".repeat(200)).is_ok());
        assert_eq!(Title::parse(&"я".repeat(201)), Err(FieldIssue::TitleLength));
        assert_eq!(
            Title::parse("two\nlines"),
            Err(FieldIssue::ControlCharacters)
        );
        assert_eq!(
            Title::parse("evil\u{202e}txt"),
            Err(FieldIssue::FormatCharacters)
        );
    }

    #[test]
    fn bodies_keep_their_lines_and_refuse_control_characters() {
        assert_eq!(
            PostBody::parse("\r\n# Hi\r\n\r\n\tcode\r\n").map(|b| b.0),
            Ok("# Hi\n\n\tcode".into())
        );
        assert_eq!(
            PostBody::parse("\n    indented code\n").map(|b| b.0),
            Ok("    indented code".into())
        );
        assert_eq!(PostBody::parse(" \n "), Err(FieldIssue::BodyLength));
        assert!(PostBody::parse(&"ж".repeat(20_000)).is_ok());
        assert_eq!(
            PostBody::parse(&"ж".repeat(20_001)),
            Err(FieldIssue::BodyLength)
        );
        assert_eq!(
            PostBody::parse("nul\0byte"),
            Err(FieldIssue::ControlCharacters)
        );
    }
}
