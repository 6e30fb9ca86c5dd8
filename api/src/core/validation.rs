//! Validation every feature shares: the person-facing value types (email,
//! handle, display name), collecting field errors, and escaping user text for
//! `LIKE`. Values of the parsed types are valid by construction.

use crate::error::{FieldErrors, FieldIssue};

pub const HANDLE_MIN: usize = 3;
pub const HANDLE_MAX: usize = 32;
pub const DISPLAY_NAME_MAX: usize = 64;
pub const EMAIL_MAX: usize = 254;

/// An email address: an ASCII local part, and a domain in ASCII, or in any
/// script as an internationalised name (IDNA), kept in its ASCII form
/// (`пример.рф` is `xn--e1afmkfd.xn--p1ai`), so one address has one
/// spelling. Lower-cased: addresses are unique case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let trimmed = raw.trim();
        let Some((local, domain)) = trimmed.split_once('@') else {
            return Err(FieldIssue::InvalidEmail);
        };
        let local = local.to_ascii_lowercase();
        let local_valid = !local.is_empty()
            && local.len() <= 64
            && local
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"<>()[],;:\\\"@".contains(&b))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        // Strict IDNA: letters, digits and hyphens per label, DNS lengths.
        let domain = idna::domain_to_ascii_strict(domain).map_err(|_| FieldIssue::InvalidEmail)?;
        let domain_valid = domain.contains('.') && !domain.ends_with('.');
        let email = format!("{local}@{domain}");
        if local_valid && domain_valid && email.len() <= EMAIL_MAX {
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
    /// NFKC-normalised, so look-alike spellings are one; refused with
    /// invisible format characters (see [`super::text`]).
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        visible_line(raw, 1..=DISPLAY_NAME_MAX, FieldIssue::DisplayNameLength).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One line people show one another (a name, a title): NFKC-normalised
/// (see [`super::text`]), trimmed, `chars` characters long (else
/// `wrong_length`), with no control or invisible formatting characters.
pub fn visible_line(
    raw: &str,
    chars: std::ops::RangeInclusive<usize>,
    wrong_length: FieldIssue,
) -> Result<String, FieldIssue> {
    let normalised = super::text::nfkc(raw);
    let line = normalised.trim();
    if !chars.contains(&line.chars().count()) {
        return Err(wrong_length);
    }
    if line.chars().any(char::is_control) {
        return Err(FieldIssue::ControlCharacters);
    }
    if super::text::has_format_characters(line) {
        return Err(FieldIssue::FormatCharacters);
    }
    Ok(line.to_owned())
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
    fn international_domains_are_kept_in_their_ascii_form() {
        assert_eq!(
            Email::parse("Anna@Пример.РФ").expect("valid").as_str(),
            "anna@xn--e1afmkfd.xn--p1ai"
        );
        assert_eq!(
            Email::parse("anna@xn--e1afmkfd.xn--p1ai").expect("valid"),
            Email::parse("anna@пример.рф").expect("valid"),
            "one address, one spelling"
        );
        for bad in [
            "анна@example.org",
            "ann@exam_ple.org",
            "ann@-example.org",
            "ann\u{202E}@example.org",
            ".ann@example.org",
            "ann@example.org.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn display_names_are_normalised_and_hide_nothing() {
        assert_eq!(
            DisplayName::parse("Ａｎｎａ").expect("valid").as_str(),
            "Anna"
        );
        for sneaky in ["admin\u{202E}nimda", "An\u{200B}na", "\u{2067}Anna"] {
            assert_eq!(
                DisplayName::parse(sneaky),
                Err(FieldIssue::FormatCharacters),
                "{sneaky:?}"
            );
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
