//! The messenger's values, parsed at the edge.

use crate::core::validation::visible_line;
use crate::error::FieldIssue;

const BODY_MAX: usize = 4000;
const TITLE_MAX: usize = 100;
/// The most people a room holds.
pub const ROOM_MAX: usize = 100;
/// How long after sending a message its sender may still edit it.
pub const EDIT_WINDOW: chrono::Duration = chrono::Duration::hours(48);

/// A message's text: 1–4000 characters after trimming, plain text (never
/// HTML: clients show it as text), no control characters but line ends
/// and tabs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageBody(String);

impl MessageBody {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        let body = raw.replace("\r\n", "\n");
        let body = body.trim();
        let length = body.chars().count();
        if length == 0 || length > BODY_MAX {
            return Err(FieldIssue::MessageLength);
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

/// A room's name: one line of 1–100 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomTitle(String);

impl RoomTitle {
    pub fn parse(raw: &str) -> Result<Self, FieldIssue> {
        visible_line(raw, 1..=TITLE_MAX, FieldIssue::RoomTitleLength).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_bodies_are_trimmed_plain_text_of_at_most_4000_characters() {
        assert_eq!(
            MessageBody::parse("  привет\r\nмир  ").map(|b| b.0),
            Ok("привет\nмир".into())
        );
        assert_eq!(MessageBody::parse(" \n "), Err(FieldIssue::MessageLength));
        assert!(MessageBody::parse(&"ы".repeat(4000)).is_ok());
        assert_eq!(
            MessageBody::parse(&"ы".repeat(4001)),
            Err(FieldIssue::MessageLength)
        );
        assert_eq!(
            MessageBody::parse("a\u{0}b"),
            Err(FieldIssue::ControlCharacters)
        );
    }

    #[test]
    fn room_titles_are_one_visible_line() {
        assert_eq!(
            RoomTitle::parse(" Книжный клуб ").map(|t| t.0),
            Ok("Книжный клуб".into())
        );
        assert_eq!(RoomTitle::parse(""), Err(FieldIssue::RoomTitleLength));
        assert_eq!(
            RoomTitle::parse(&"x".repeat(101)),
            Err(FieldIssue::RoomTitleLength)
        );
        assert_eq!(RoomTitle::parse("a\nb"), Err(FieldIssue::ControlCharacters));
    }
}
