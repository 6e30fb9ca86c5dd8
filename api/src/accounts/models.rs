//! Diesel rows of the accounts tables. Never sent over the wire as such.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::core::{Locale, SessionId, UserId};

use crate::db::schema::{pending_registrations, refresh_tokens, sessions, users};

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: UserId,
    pub email: &'a str,
    pub handle: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub locale: Locale,
    pub email_verified_at: Option<DateTime<Utc>>,
}

/// A registration waiting for its emailed link to be opened.
#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = pending_registrations)]
pub struct PendingRegistration {
    pub id: uuid::Uuid,
    pub email: String,
    pub handle: String,
    pub display_name: String,
    pub password_hash: String,
    pub locale: Locale,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub remember: bool,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub id: SessionId,
    pub user_id: UserId,
    pub remember: bool,
    pub user_agent: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub token_hash: Vec<u8>,
    pub session_id: SessionId,
    pub rotated_at: Option<DateTime<Utc>>,
}

#[derive(Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub token_hash: &'a [u8],
    pub session_id: SessionId,
}
