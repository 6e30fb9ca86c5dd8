//! The forum's refusals as problems, in one place.

use crate::error::{ApiError, ErrorCode};
use crate::policy::forum::ForumDenial;

pub fn topic_not_found() -> ApiError {
    ApiError::not_found(ErrorCode::TopicNotFound, "There is no such topic.")
}

pub fn post_not_found() -> ApiError {
    ApiError::not_found(ErrorCode::PostNotFound, "There is no such post.")
}

pub fn category_not_found() -> ApiError {
    ApiError::not_found(ErrorCode::CategoryNotFound, "There is no such category.")
}

pub fn user_not_found() -> ApiError {
    ApiError::not_found(
        ErrorCode::UserNotFound,
        "There is no user with this handle.",
    )
}

pub fn denied(denial: ForumDenial) -> ApiError {
    match denial {
        ForumDenial::NotAllowed => {
            ApiError::forbidden(ErrorCode::NotAllowed, "You may not do this here.")
        }
        ForumDenial::EditWindowClosed => ApiError::forbidden(
            ErrorCode::EditWindowClosed,
            "A topic's title can be changed for an hour after it was started; ask a moderator.",
        ),
        ForumDenial::TopicHasReplies => ApiError::conflict(
            ErrorCode::TopicHasReplies,
            "Others have replied: only a moderator can delete this topic now.",
        ),
        ForumDenial::TopicLocked => ApiError::forbidden(
            ErrorCode::TopicLocked,
            "This topic is locked: only moderators post in it.",
        ),
        ForumDenial::PostDeleted => {
            ApiError::conflict(ErrorCode::PostDeleted, "This post has been deleted.")
        }
        ForumDenial::PostNotDeleted => {
            ApiError::conflict(ErrorCode::PostNotDeleted, "This post is not deleted.")
        }
        ForumDenial::OwnPost => ApiError::forbidden(
            ErrorCode::CannotLikeOwnPost,
            "You cannot like your own post.",
        ),
        ForumDenial::BlockedByAuthor => ApiError::forbidden(
            ErrorCode::BlockedByUser,
            "The author of this post has blocked you.",
        ),
    }
}
