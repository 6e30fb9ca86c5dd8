//! Validation every feature shares: the person-facing value types (email,
//! handle, display name), collecting field errors, and escaping user text for
//! `LIKE`. Values of the parsed types are valid by construction.

use crate::error::{FieldErrors, FieldIssue};

pub const HANDLE_MIN: usize = 3;
pub const HANDLE_MAX: usize = 32;
pub const DISPLAY_NAME_MAX: usize = 64;
pub const EMAIL_MAX: usize = 254;

/// An email address, lower-cased (addresses are unique case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let email = raw.trim().to_lowercase();
        let Some((local, domain)) = email.split_once('@') else {
            return Err(FieldIssue::InvalidEmail);
        };
        let valid = email.chars().count() <= EMAIL_MAX
            && !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@')
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c));
        if valid {
            Ok(Self(email))
        } else {
            Err(FieldIssue::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A user's public id: 3–32 characters of `a-z 0-9 _`, stored lower-case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handle(String);

impl Handle {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let handle = raw.trim().to_ascii_lowercase();
        let valid = (HANDLE_MIN..=HANDLE_MAX).contains(&handle.len())
            && handle
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if valid {
            Ok(Self(handle))
        } else {
            Err(FieldIssue::InvalidHandle)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 1–64 characters in any script, trimmed, with no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let name = raw.trim();
        let length = name.chars().count();
        if length == 0 || length > DISPLAY_NAME_MAX {
            return Err(FieldIssue::DisplayNameLength);
        }
        if name.chars().any(char::is_control) {
            return Err(FieldIssue::ControlCharacters);
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Collects field errors while parsing a request, then yields all at once.
#[derive(Default)]
pub struct FieldCheck(FieldErrors);

impl FieldCheck {
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldIssue>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(issue) => {
                self.0
                    .entry(field.to_owned())
                    .or_default()
                    .push(issue.into());
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// Escapes `%`, `_` and `\\` so user text matches literally in `LIKE`.
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
    fn email_is_lower_cased_and_trimmed() {
        assert_eq!(
            Email::parse("  Ann@Example.ORG ").expect("valid").as_str(),
            "ann@example.org"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "ann@@x.org",
            "ann@x..org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn handle_rules() {
        assert_eq!(Handle::parse("Ann_99").expect("valid").as_str(), "ann_99");
        for bad in [
            "ab",
            "a".repeat(33).as_str(),
            "ann-99",
            "анна",
            "ann 99",
            "",
        ] {
            assert!(Handle::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn display_name_accepts_any_script_up_to_64_characters() {
        assert!(DisplayName::parse("Анна Каренина").is_ok());
        assert!(DisplayName::parse(&"я".repeat(64)).is_ok());
        assert!(DisplayName::parse(&"я".repeat(65)).is_err());
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
