//! Profile rules with no I/O.

use crate::error::FieldIssue;

pub const BIO_MAX: usize = 500;

/// Up to 500 characters; line breaks allowed, other control characters not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bio(String);

impl Bio {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        // Windows line ends are line breaks too: normalise before judging.
        let bio = raw.trim().replace("\r\n", "\n");
        if bio.chars().count() > BIO_MAX {
            return Err(FieldIssue::BioTooLong);
        }
        if bio
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(FieldIssue::ControlCharacters);
        }
        Ok(Self(bio))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
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
        assert_eq!(
            Bio::parse("Windows\r\nline ends").map(|bio| bio.as_str().to_owned()),
            Ok("Windows\nline ends".to_owned())
        );
        assert!(Bio::parse("a lone\rcarriage return").is_err());
    }
}
