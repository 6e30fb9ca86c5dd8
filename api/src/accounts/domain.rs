//! Account rules with no I/O: what a valid email, handle, display name,
//! locale and password are. Values of these types are valid by construction.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldErrors;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const HANDLE_MIN: usize = 3;
pub const HANDLE_MAX: usize = 32;
pub const DISPLAY_NAME_MAX: usize = 64;
pub const EMAIL_MAX: usize = 254;

/// An email address, lower-cased (addresses are unique case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        let Some((local, domain)) = email.split_once('@') else {
            return Err("must be an email address such as name@example.org");
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
            Err("must be an email address such as name@example.org")
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
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let handle = raw.trim().to_ascii_lowercase();
        let valid = (HANDLE_MIN..=HANDLE_MAX).contains(&handle.len())
            && handle
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if valid {
            Ok(Self(handle))
        } else {
            Err("must be 3 to 32 characters of a-z, 0-9 and _")
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
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let name = raw.trim();
        let length = name.chars().count();
        if length == 0 || length > DISPLAY_NAME_MAX {
            return Err("must be 1 to 64 characters");
        }
        if name.chars().any(char::is_control) {
            return Err("must not contain control characters");
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The language a user reads NoxChat (and its emails) in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Ru,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
        }
    }

    /// Stored values are constrained by the schema; anything else reads as English.
    pub fn from_stored(value: &str) -> Self {
        if value == "ru" { Self::Ru } else { Self::En }
    }

    /// The best supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let Some(header) = header else {
            return Self::default();
        };
        let mut best: Option<(f32, Self)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let locale = match tag.split('-').next() {
                Some("ru") => Self::Ru,
                Some("en") => Self::En,
                _ => continue,
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, locale));
            }
        }
        best.map(|(_, locale)| locale).unwrap_or_default()
    }
}

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().collect());

/// A password that satisfies the rules, ready to hash.
pub struct NewPassword(String);

impl NewPassword {
    /// `email` and `handle` are the account's own: a password equal to either is refused.
    pub fn parse(raw: &str, email: &str, handle: &str) -> Result<Self, &'static str> {
        let length = raw.chars().count();
        if length < PASSWORD_MIN_CHARS {
            return Err("must be at least 8 characters");
        }
        if length > PASSWORD_MAX_CHARS {
            return Err("must be at most 128 characters");
        }
        let lowered = raw.to_lowercase();
        if lowered == email.to_lowercase() || lowered == handle.to_lowercase() {
            return Err("must not be your email or handle");
        }
        if let Some(local) = email.split('@').next()
            && lowered == local.to_lowercase()
        {
            return Err("must not be your email or handle");
        }
        if COMMON_PASSWORDS.contains(lowered.as_str()) {
            return Err("is one of the most common passwords; choose another");
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What a person types to sign in: an email or a handle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginIdentifier {
    Email(String),
    Handle(String),
}

impl LoginIdentifier {
    pub fn parse(raw: &str) -> Self {
        let normalised = raw.trim().to_lowercase();
        if normalised.contains('@') {
            Self::Email(normalised)
        } else {
            Self::Handle(normalised)
        }
    }

    /// The per-account rate-limit key; the same whatever the account's existence.
    pub fn key(&self) -> &str {
        match self {
            Self::Email(value) | Self::Handle(value) => value,
        }
    }
}

/// Collects field errors while parsing a request, then yields all at once.
#[derive(Default)]
pub struct FieldCheck(FieldErrors);

impl FieldCheck {
    pub fn check<T>(&mut self, field: &str, result: Result<T, &'static str>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.0
                    .entry(field.to_owned())
                    .or_default()
                    .push(message.to_owned());
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

/// A short, human label for a session's device, e.g. "Firefox on Linux".
pub fn device_label(user_agent: Option<&str>) -> String {
    let Some(agent) = user_agent else {
        return "Unknown device".to_owned();
    };
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("YaBrowser/", "Yandex Browser"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(marker, _)| agent.contains(marker))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| agent.contains(marker))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) => agent.chars().take(60).collect(),
    }
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
    fn password_length_is_counted_in_characters() {
        assert!(NewPassword::parse("пароль", "a@b.org", "ann").is_err());
        assert!(NewPassword::parse("зелёный слон", "a@b.org", "ann").is_ok());
        assert!(NewPassword::parse(&"x".repeat(129), "a@b.org", "ann").is_err());
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        assert!(NewPassword::parse("password", "a@b.org", "ann").is_err());
        assert!(NewPassword::parse("QWERTYUIOP", "a@b.org", "ann").is_err());
        assert!(NewPassword::parse("correct horse battery", "a@b.org", "ann").is_ok());
    }

    #[test]
    fn password_equal_to_email_or_handle_is_refused() {
        assert!(NewPassword::parse("Ann@Example.org", "ann@example.org", "ann_k").is_err());
        assert!(NewPassword::parse("anna_karenina", "x@example.org", "anna_karenina").is_err());
        assert!(NewPassword::parse("anna.karenina", "anna.karenina@example.org", "ann").is_err());
    }

    #[test]
    fn login_identifier_tells_email_from_handle() {
        assert_eq!(
            LoginIdentifier::parse(" Ann@X.org"),
            LoginIdentifier::Email("ann@x.org".into())
        );
        assert_eq!(
            LoginIdentifier::parse("Ann_K"),
            LoginIdentifier::Handle("ann_k".into())
        );
    }

    #[test]
    fn locale_follows_accept_language_quality() {
        assert_eq!(
            Locale::from_accept_language(Some("ru-RU,ru;q=0.9,en;q=0.8")),
            Locale::Ru
        );
        assert_eq!(
            Locale::from_accept_language(Some("de-DE, en;q=0.5, ru;q=0.4")),
            Locale::En
        );
        assert_eq!(Locale::from_accept_language(Some("fr")), Locale::En);
        assert_eq!(Locale::from_accept_language(None), Locale::En);
    }

    #[test]
    fn device_labels_are_readable() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device_label(Some(firefox)), "Firefox on Linux");
        assert_eq!(device_label(None), "Unknown device");
        assert_eq!(device_label(Some("curl/8.0")), "curl/8.0");
    }
}
