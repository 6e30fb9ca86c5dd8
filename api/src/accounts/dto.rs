//! Request and response bodies of the accounts API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::domain::device_label;
use super::models::Session;
use crate::core::{MeResponse, SessionId};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(example = "anna@example.org", max_length = 254, format = "email")]
    pub email: String,
    /// Public id: 3–32 characters of `a-z 0-9 _`, unique case-insensitively.
    #[schema(
        example = "anna_k",
        min_length = 3,
        max_length = 32,
        pattern = "^[A-Za-z0-9_]{3,32}$"
    )]
    pub handle: String,
    #[schema(example = "Анна Каренина", min_length = 1, max_length = 64)]
    pub display_name: String,
    /// 8–128 characters; not a common password, not the email or handle.
    #[schema(example = "correct horse battery", min_length = 8, max_length = 128)]
    pub password: String,
}

/// What registering answers, whether or not the address has an account.
#[derive(Serialize, ToSchema)]
pub struct RegistrationAccepted {
    /// The address the link went to, as it is stored.
    #[schema(example = "anna@example.org")]
    pub email: String,
    /// Until when the emailed link works.
    pub expires_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Email address or handle.
    #[schema(example = "anna_k", min_length = 1, max_length = 254)]
    pub login: String,
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
    /// Keep the session for 30 days; otherwise it ends with the browser session.
    #[serde(default)]
    pub remember: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// Omit to use the `noxchat_refresh` cookie instead.
    #[serde(default)]
    pub refresh_token: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer …`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Opaque; exchange it at `/auth/refresh` for a new pair. Single use.
    /// Always set as the httpOnly `noxchat_refresh` cookie; in the body only
    /// for clients that are not browsers (a request with `Sec-Fetch-Site`
    /// or `Origin` is a browser's), so page scripts never see it.
    /// Also absent from a refresh that presented a token used moments before
    /// (another tab refreshing at the same time): keep the successor that
    /// the first use received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub user: MeResponse,
}

#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    pub id: SessionId,
    /// A readable label such as "Firefox on Linux".
    #[schema(example = "Firefox on Linux")]
    pub device: String,
    pub user_agent: Option<String>,
    #[schema(example = "203.0.113.7")]
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The session this request is made with.
    pub current: bool,
}

impl SessionResponse {
    pub fn new(session: Session, current_session: SessionId) -> Self {
        Self {
            id: session.id,
            device: device_label(session.user_agent.as_deref()),
            current: session.id == current_session,
            user_agent: session.user_agent,
            ip: session.ip,
            created_at: session.created_at,
            last_used_at: session.last_used_at,
            expires_at: session.expires_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionList {
    pub items: Vec<SessionResponse>,
    /// Always null: every live session fits in one page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(min_length = 1, max_length = 128)]
    pub current_password: String,
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The token from the emailed link.
    #[schema(min_length = 1, max_length = 2048)]
    pub token: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotPasswordRequest {
    #[schema(example = "anna@example.org", max_length = 254, format = "email")]
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    #[schema(min_length = 1, max_length = 2048)]
    pub token: String,
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}
