//! What can be wrong with one field of a request: a closed set of codes,
//! each with its English message, so clients can translate them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

/// Field name -> its problems, as sent in a problem's `errors` and
/// `error_codes`.
pub type FieldErrors = BTreeMap<String, Vec<FieldError>>;

/// One problem with one field: its code and what it says in English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub issue: FieldIssue,
    pub message: Cow<'static, str>,
}

impl From<FieldIssue> for FieldError {
    fn from(issue: FieldIssue) -> Self {
        Self {
            issue,
            message: Cow::Borrowed(issue.message()),
        }
    }
}

macro_rules! field_issues {
    ($($(#[$doc:meta])* $variant:ident => $message:literal,)+) => {
        /// Every problem a field of a request can have. The web app has a
        /// message for each in every language it speaks.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum FieldIssue {
            $($(#[$doc])* $variant,)+
        }

        impl FieldIssue {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// What it says in English, after the field's name.
            pub fn message(self) -> &'static str {
                match self {
                    $(Self::$variant => $message,)+
                }
            }
        }
    };
}

field_issues! {
    Required => "is required",
    Incorrect => "is incorrect",
    LoginTooLong => "must be at most 254 characters",
    /// The value has the wrong type or shape; the message says how.
    InvalidValue => "has a wrong type or shape",
    InvalidEmail => "must be an email address such as name@example.org",
    InvalidHandle => "must be 3 to 32 characters of a-z, 0-9 and _",
    InvalidSlug => "must be 1 to 50 characters of a-z and 0-9, words joined by single hyphens",
    DisplayNameLength => "must be 1 to 64 characters",
    ControlCharacters => "must not contain control characters",
    /// Direction overrides, zero-width spaces and other invisible characters.
    FormatCharacters => "must not contain invisible formatting characters",
    PasswordTooShort => "must be at least 8 characters",
    PasswordTooLong => "must be at most 128 characters",
    PasswordIsIdentity => "must not be your email or handle",
    PasswordTooCommon => "is one of the most common passwords; choose another",
    BioTooLong => "must be at most 500 characters",
    DescriptionTooLong => "must be 500 characters or fewer",
    TitleLength => "must be 3 to 200 characters",
    BodyLength => "must be 1 to 20000 characters",
    /// A post number that the topic does not have.
    NoSuchPost => "is not the number of a post in this topic",
    /// A category slug that names no category.
    NoSuchCategory => "names no category",
    ReasonTooLong => "is too long (at most 500 characters)",
    /// An upload that is not the author's own (or does not exist).
    NoSuchUpload => "names a picture you have not uploaded",
    TooManyImages => "may hold at most 10 pictures",
    MessageLength => "must be 1 to 4000 characters",
    RoomTitleLength => "must be 1 to 100 characters",
    /// Rooms take the inviter's friends who accept messages.
    NotAFriend => "must be your friend, who accepts messages",
    /// A room of more than 100 people, or of nobody else.
    RoomSize => "must make a room of 2 to 100 people",
    /// A ban's end that has already passed.
    NotInFuture => "must be in the future",
    AlreadyRegistered => "is already registered",
    AlreadyTaken => "is already taken",
    YourOwn => "is your own",
    DamagedFile => "is damaged or incomplete",
    TooManyPixels => "has too many pixels (at most 12000 on a side and about 20 megapixels)",
    TooFewPixels => "is too small (at least 32 pixels on each side)",
    TooNarrow => "is too long and narrow (no side over 10 times the other)",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_issue_has_its_own_message_and_a_snake_case_code() {
        let mut messages: Vec<&str> = FieldIssue::ALL.iter().map(|i| i.message()).collect();
        messages.sort_unstable();
        messages.dedup();
        assert_eq!(messages.len(), FieldIssue::ALL.len());
        assert_eq!(
            serde_json::to_value(FieldIssue::PasswordTooCommon).expect("serialises"),
            "password_too_common"
        );
    }
}
