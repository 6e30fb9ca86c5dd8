//! The moderation log: every action a moderator or admin takes on others'
//! content or accounts, who took it, on what, why and when. Infrastructure
//! that features record to in the transaction of the action (like `events`),
//! read by moderators through `GET /api/v1/moderation/log`; and the reason
//! a moderator may give with any action.

pub mod handlers;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use futures_util::future::{Ready, ready};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::core::text_enum::text_enum;
use crate::core::{PostId, TopicId, UserId};
use crate::db::schema::moderation_log;
use crate::error::{ApiError, FieldIssue};

text_enum! {
    /// What a moderator did.
    pub enum ModeratorAction {
        TopicPinned = "topic_pinned",
        TopicUnpinned = "topic_unpinned",
        TopicLocked = "topic_locked",
        TopicUnlocked = "topic_unlocked",
        TopicMoved = "topic_moved",
        TopicRenamed = "topic_renamed",
        TopicDeleted = "topic_deleted",
        PostRemoved = "post_removed",
        PostRestored = "post_restored",
        UserBanned = "user_banned",
        UserUnbanned = "user_unbanned",
        ReportResolved = "report_resolved",
        ReportDismissed = "report_dismissed",
    }
}

/// One action, as recorded.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub moderator: UserId,
    pub action: ModeratorAction,
    /// Whose content or account it concerned.
    pub target_user: Option<UserId>,
    pub topic: Option<(TopicId, &'a str)>,
    pub post: Option<PostId>,
    pub reason: Option<&'a str>,
}

/// Records `entry` in the caller's transaction.
pub fn record(conn: &mut PgConnection, entry: &Entry<'_>, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::insert_into(moderation_log::table)
        .values((
            moderation_log::id.eq(uuid::Uuid::now_v7()),
            moderation_log::moderator_id.eq(entry.moderator),
            moderation_log::action.eq(entry.action.as_str()),
            moderation_log::target_user_id.eq(entry.target_user),
            moderation_log::topic_id.eq(entry.topic.map(|(id, _)| id)),
            moderation_log::topic_title.eq(entry.topic.map(|(_, title)| title)),
            moderation_log::post_id.eq(entry.post),
            moderation_log::reason.eq(entry.reason),
            moderation_log::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

const REASON_MAX: usize = 500;

/// Why a moderator acts, as `?reason=…` on any moderator action: shown in
/// the log, and to the person concerned.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReasonParams {
    /// At most 500 characters.
    #[param(max_length = 500)]
    pub reason: Option<String>,
}

/// A reason given with an action, checked: trimmed, at most 500 characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Reason(pub Option<String>);

impl Reason {
    pub fn parse(raw: Option<&str>) -> Result<Self, FieldIssue> {
        let Some(text) = raw.map(str::trim).filter(|text| !text.is_empty()) else {
            return Ok(Self(None));
        };
        if text.chars().count() > REASON_MAX {
            return Err(FieldIssue::ReasonTooLong);
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(FieldIssue::ControlCharacters);
        }
        Ok(Self(Some(text.to_owned())))
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// A reason that must be given (for a ban, a report), as `field`.
    pub fn required(raw: &str, field: &str) -> Result<String, ApiError> {
        match Self::parse(Some(raw)) {
            Ok(Self(Some(reason))) => Ok(reason),
            Ok(Self(None)) => Err(ApiError::invalid_field(field, FieldIssue::Required)),
            Err(issue) => Err(ApiError::invalid_field(field, issue)),
        }
    }
}

impl FromRequest for Reason {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            web::Query::<ReasonParams>::from_query(req.query_string())
                .map_err(crate::http::extractors::query_error)
                .and_then(|params| {
                    Self::parse(params.reason.as_deref())
                        .map_err(|issue| ApiError::invalid_field("reason", issue))
                }),
        )
    }
}

/// An action in the log, as moderators read it.
#[derive(Serialize, ToSchema)]
pub struct LoggedAction {
    pub id: uuid::Uuid,
    /// Null once their account is gone.
    pub moderator: Option<crate::core::UserSummary>,
    pub action: ModeratorAction,
    pub target_user: Option<crate::core::UserSummary>,
    /// The topic, with its title then; its id is null once it is deleted.
    pub topic: Option<LoggedTopic>,
    pub post_id: Option<PostId>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct LoggedTopic {
    pub id: Option<TopicId>,
    pub title: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_optional_trimmed_and_bounded() {
        assert_eq!(Reason::parse(None), Ok(Reason(None)));
        assert_eq!(Reason::parse(Some("  ")), Ok(Reason(None)));
        assert_eq!(
            Reason::parse(Some(" спам ")),
            Ok(Reason(Some("спам".into())))
        );
        assert_eq!(
            Reason::parse(Some(&"x".repeat(501))),
            Err(FieldIssue::ReasonTooLong)
        );
    }
}
