//! The forum's values, parsed at the edge.

use crate::error::FieldIssue;

const SLUG_MAX: usize = 50;
const DESCRIPTION_MAX: usize = 500;

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
}
