//! Account rules with no I/O: what a valid password and sign-in identifier
//! are. Values of these types are valid by construction.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::core::validation::Email;
use crate::error::FieldIssue;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().collect());

/// A password that satisfies the rules, ready to hash.
pub struct NewPassword(String);

impl NewPassword {
    /// `email` and `handle` are the account's own: a password equal to either is refused.
    pub fn parse(raw: &str, email: &str, handle: &str) -> Result<Self, FieldIssue> {
        let length = raw.chars().count();
        if length < PASSWORD_MIN_CHARS {
            return Err(FieldIssue::PasswordTooShort);
        }
        if length > PASSWORD_MAX_CHARS {
            return Err(FieldIssue::PasswordTooLong);
        }
        let lowered = raw.to_lowercase();
        if lowered == email.to_lowercase() || lowered == handle.to_lowercase() {
            return Err(FieldIssue::PasswordIsIdentity);
        }
        if let Some(local) = email.split('@').next()
            && lowered == local.to_lowercase()
        {
            return Err(FieldIssue::PasswordIsIdentity);
        }
        if COMMON_PASSWORDS.contains(lowered.as_str()) {
            return Err(FieldIssue::PasswordTooCommon);
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
            // The spelling stored at registration (international domains in
            // their ASCII form), or as typed when it could never have been.
            let email =
                Email::parse(&normalised).map_or(normalised, |email| email.as_str().to_owned());
            Self::Email(email)
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
    fn device_labels_are_readable() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device_label(Some(firefox)), "Firefox on Linux");
        assert_eq!(device_label(None), "Unknown device");
        assert_eq!(device_label(Some("curl/8.0")), "curl/8.0");
    }
}
