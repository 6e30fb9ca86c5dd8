//! Profile rules with no I/O.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const BIO_MAX: usize = 500;

/// Up to 500 characters; line breaks allowed, other control characters not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bio(String);

impl Bio {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let bio = raw.trim();
        if bio.chars().count() > BIO_MAX {
            return Err("must be at most 500 characters");
        }
        if bio
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err("must not contain control characters");
        }
        Ok(Self(bio.replace("\r\n", "\n")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who may start a chat with me.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MessagePrivacy {
    #[default]
    Everyone,
    Friends,
    Nobody,
}

impl MessagePrivacy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Everyone => "everyone",
            Self::Friends => "friends",
            Self::Nobody => "nobody",
        }
    }

    pub fn from_stored(value: &str) -> Self {
        match value {
            "friends" => Self::Friends,
            "nobody" => Self::Nobody,
            _ => Self::Everyone,
        }
    }
}

/// Escapes `%`, `_` and `\` so user text matches literally in `LIKE`.
pub fn like_literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_allows_line_breaks_and_500_characters() {
        assert!(Bio::parse("Люблю книги.\nИ чай.").is_ok());
        assert!(Bio::parse(&"я".repeat(500)).is_ok());
        assert!(Bio::parse(&"я".repeat(501)).is_err());
        assert!(Bio::parse("bell\u{7}").is_err());
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
