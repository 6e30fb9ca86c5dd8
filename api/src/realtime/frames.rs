//! Every frame of the real-time protocol, both directions, as typed
//! schemas: the AsyncAPI document is generated from these.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::core::{ConversationId, MeResponse, SessionId, TopicId, UserId};
use crate::events::Event;

/// What a client sends, as a JSON text frame.
#[derive(Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    /// The first frame, within 5 seconds of connecting: the access token
    /// (never in the URL, where logs keep it).
    Authenticate { token: String },
    /// Once, after `ready`: send every event after `after` (the last `seq`
    /// this client has; `ready.position` when it has just loaded its state),
    /// then live ones. Nothing is sent before this but ephemeral frames.
    Resume {
        #[schema(minimum = 0)]
        after: i64,
    },
    /// I am typing in this conversation: its other members are told (not
    /// stored). Send it again every few seconds while typing goes on; more
    /// than one every 2 seconds per conversation is not passed on.
    Typing { conversation_id: ConversationId },
    /// The forum topic this client shows now (`null`: none): it is told of
    /// posts added to it (`topic_post_added`). Send it again after every
    /// reconnect; a later one replaces it.
    ViewTopic { topic_id: Option<TopicId> },
}

/// What the server sends, as JSON text frames.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Authenticated: who I am, where my event log stands, and what a
    /// client shows at once.
    Ready(Box<Ready>),
    /// One event of my log, in order, each exactly once per connection.
    Event {
        /// My event number: 1, 2, 3, … without gaps.
        seq: i64,
        at: DateTime<Utc>,
        event: Event,
    },
    /// Some events after the position asked for are no longer kept (or the
    /// position is ahead of my log): reload what is shown over REST. Events
    /// after `position` follow.
    ResyncRequired { position: i64 },
    /// A person I may see went online or offline. Ephemeral: not stored,
    /// no `seq`.
    Presence {
        user_id: UserId,
        online: bool,
        /// When they were last online, set when they go offline.
        last_seen_at: Option<DateTime<Utc>>,
    },
    /// Someone in one of my conversations is typing. Ephemeral: not
    /// stored, no `seq`; show it for `expires_in_ms` unless another comes.
    UserTyping {
        conversation_id: ConversationId,
        user_id: UserId,
        expires_in_ms: u64,
    },
    /// A post was added to the topic this client views (`view_topic`), by
    /// anyone, me included. Ephemeral: not stored, no `seq`; load the post
    /// over REST when the reader asks for it.
    TopicPostAdded {
        topic_id: TopicId,
        number: i32,
        author_id: UserId,
    },
    /// The topic this client views was renamed, moved, pinned or unpinned,
    /// locked or unlocked, or deleted: read it again. Ephemeral, like
    /// `topic_post_added`.
    TopicChanged { topic_id: TopicId },
    /// A frame of mine was refused; the connection stays open unless a
    /// close frame follows.
    Error { code: FrameError, message: String },
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Ready {
    pub user: MeResponse,
    /// The session this connection is signed in with.
    pub session_id: SessionId,
    /// The number of my newest event (0: none yet).
    pub position: i64,
    pub counts: Counts,
    /// The people I may see online right now; `presence` frames follow
    /// their changes.
    pub online: Vec<UserId>,
    /// The server pings this often, and closes the connection with 4005
    /// when it has heard nothing from the client for `timeout_ms`.
    pub heartbeat: Heartbeat,
}

/// What a client shows at once, without another request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Counts {
    /// Friend requests waiting for my answer.
    pub incoming_friend_requests: i64,
    /// My notifications not yet read.
    pub unread_notifications: i64,
    /// Messages others wrote after my read marks, in the conversations I
    /// did not mute: the badge. Events that change it carry it anew.
    pub unread_messages: i64,
}

#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
pub struct Heartbeat {
    pub interval_ms: u64,
    pub timeout_ms: u64,
}

/// Why a client frame was refused: stable codes for clients to act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FrameError {
    /// Over 64 KiB.
    FrameTooLarge,
    /// Not JSON, or a binary frame.
    InvalidJson,
    /// JSON, but not a frame of a known shape.
    InvalidFrame,
    /// A `type` this server does not know.
    UnknownFrameType,
    /// Frames come faster than the server takes them: slow down, or the
    /// connection is closed with 4029.
    RateLimited,
    /// `authenticate` on an authenticated connection.
    AlreadyAuthenticated,
    /// `resume` a second time on one connection.
    AlreadyResumed,
    /// `typing` in a conversation I am not in.
    UnknownConversation,
}

/// Close codes the server uses, beyond 1000 (normal) and 1009 (a frame
/// over 1 MiB).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseCode {
    /// The first frame was not a valid `authenticate`.
    AuthenticationExpected = 4000,
    /// The token is not valid, or its session has ended: sign in again.
    Unauthorized = 4001,
    /// The access token has expired: refresh it, then reconnect.
    TokenExpired = 4002,
    /// No `authenticate` within 5 seconds.
    AuthenticationTimeout = 4003,
    /// This connection's session ended (signed out here or elsewhere, a
    /// password change, the account deleted): sign in again.
    SessionEnded = 4004,
    /// Nothing heard from the client (not even a pong) in time.
    HeartbeatTimeout = 4005,
    /// The client did not take frames fast enough: reconnect and resume
    /// from the last `seq` received.
    TooSlow = 4008,
    /// Frames kept coming too fast after `rate_limited`.
    Flooding = 4029,
    /// The server is restarting: reconnect soon and resume.
    ServiceRestart = 1012,
    /// The server cannot reach its database just now: reconnect after a
    /// moment and resume.
    TryAgainLater = 1013,
}

impl CloseCode {
    /// Every code, for the protocol's documentation.
    pub const ALL: [Self; 10] = [
        Self::AuthenticationExpected,
        Self::Unauthorized,
        Self::TokenExpired,
        Self::AuthenticationTimeout,
        Self::SessionEnded,
        Self::HeartbeatTimeout,
        Self::TooSlow,
        Self::Flooding,
        Self::ServiceRestart,
        Self::TryAgainLater,
    ];

    /// What a client should do on it.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::AuthenticationExpected => {
                "The first frame was not a valid `authenticate`: fix the client; do not retry as is."
            }
            Self::Unauthorized => {
                "The token is not valid, or its session has ended: sign in again."
            }
            Self::TokenExpired => "The access token has expired: refresh it, then reconnect.",
            Self::AuthenticationTimeout => "No `authenticate` within 5 seconds: reconnect.",
            Self::SessionEnded => {
                "This connection's session ended (signed out here or elsewhere, password changed or reset, account deleted): sign in again."
            }
            Self::HeartbeatTimeout => {
                "Nothing was heard from the client within `ready.heartbeat.timeout_ms`: reconnect and resume."
            }
            Self::TooSlow => {
                "The client did not take frames fast enough: reconnect and resume after the last `seq` received."
            }
            Self::Flooding => {
                "Frames kept coming too fast after `rate_limited`: reconnect later, and slow down."
            }
            Self::ServiceRestart => {
                "The server is restarting: reconnect soon (to any instance) and resume."
            }
            Self::TryAgainLater => {
                "The server cannot reach its database for a moment: reconnect with backoff and resume."
            }
        }
    }

    pub fn reason(self) -> actix_ws::CloseReason {
        let description = match self {
            Self::AuthenticationExpected => "authentication_expected",
            Self::Unauthorized => "unauthorized",
            Self::TokenExpired => "token_expired",
            Self::AuthenticationTimeout => "authentication_timeout",
            Self::SessionEnded => "session_ended",
            Self::HeartbeatTimeout => "heartbeat_timeout",
            Self::TooSlow => "too_slow",
            Self::Flooding => "flooding",
            Self::ServiceRestart => "service_restart",
            Self::TryAgainLater => "try_again_later",
        };
        actix_ws::CloseReason {
            code: actix_ws::CloseCode::from(self as u16),
            description: Some(description.to_owned()),
        }
    }
}

/// The largest client frame taken, in bytes of UTF-8.
pub const MAX_CLIENT_FRAME: usize = 64 * 1024;

/// Reads one client text frame: the error says what was wrong with it.
pub fn parse(text: &str) -> Result<ClientFrame, (FrameError, String)> {
    if text.len() > MAX_CLIENT_FRAME {
        return Err((
            FrameError::FrameTooLarge,
            format!("Frames are at most {MAX_CLIENT_FRAME} bytes."),
        ));
    }
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|error| (FrameError::InvalidJson, format!("Not JSON: {error}")))?;
    let Some(kind) = value
        .get("type")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
    else {
        return Err((
            FrameError::InvalidFrame,
            "A frame is a JSON object with a string `type`.".to_owned(),
        ));
    };
    if !matches!(
        kind.as_str(),
        "authenticate" | "resume" | "typing" | "view_topic"
    ) {
        return Err((
            FrameError::UnknownFrameType,
            format!("`{kind}` is not a frame type this server knows."),
        ));
    }
    serde_json::from_value(value).map_err(|error| {
        (
            FrameError::InvalidFrame,
            format!("Not a valid `{kind}` frame: {error}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_frames_are_read_by_type() {
        assert_eq!(
            parse(r#"{"type":"resume","after":7}"#),
            Ok(ClientFrame::Resume { after: 7 })
        );
        assert_eq!(
            parse(r#"{"type":"authenticate","token":"t"}"#),
            Ok(ClientFrame::Authenticate { token: "t".into() })
        );
    }

    #[test]
    fn each_kind_of_bad_frame_has_its_own_code() {
        let code = |text: &str| parse(text).map_err(|(code, _)| code);
        assert_eq!(code("{nope"), Err(FrameError::InvalidJson));
        assert_eq!(code("[1]"), Err(FrameError::InvalidFrame));
        assert_eq!(
            code(r#"{"type":"dance"}"#),
            Err(FrameError::UnknownFrameType)
        );
        assert_eq!(
            code(r#"{"type":"resume","after":"x"}"#),
            Err(FrameError::InvalidFrame)
        );
        assert_eq!(
            code(r#"{"type":"resume","after":1,"extra":true}"#),
            Err(FrameError::InvalidFrame)
        );
        let padded = format!(
            r#"{{"type":"resume","after":1,"pad":"{}"}}"#,
            "x".repeat(70_000)
        );
        assert_eq!(code(&padded), Err(FrameError::FrameTooLarge));
    }

    #[test]
    fn every_close_code_is_listed_once_with_its_own_reason() {
        let mut codes: Vec<u16> = CloseCode::ALL.iter().map(|code| *code as u16).collect();
        let mut reasons: Vec<String> = CloseCode::ALL
            .iter()
            .filter_map(|code| code.reason().description)
            .collect();
        codes.dedup();
        reasons.sort();
        reasons.dedup();
        assert_eq!(codes.len(), CloseCode::ALL.len());
        assert_eq!(reasons.len(), CloseCode::ALL.len());
    }

    #[test]
    fn server_frames_are_tagged_by_type() {
        let frame = ServerFrame::ResyncRequired { position: 3 };
        assert_eq!(
            serde_json::to_value(&frame).expect("serialises"),
            serde_json::json!({"type": "resync_required", "position": 3})
        );
    }
}
