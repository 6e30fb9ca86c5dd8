//! How often one signed-in person may do what costs others (a stranger's
//! inbox of friend requests), frees or takes a public name, makes the server
//! work hard, or lists everyone. Generous for people, tight for scripts.

use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, RateLimiter};

use super::quota;
use crate::core::UserId;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserAction {
    /// Sending (or answering with) a friend request.
    FriendRequest,
    /// Changing one's handle to a different one.
    HandleChange,
    AvatarUpload,
    /// One page of the user directory, or of a search.
    DirectorySearch,
    /// A new topic or a reply in the forum.
    ForumPost,
    /// A picture for a post or a message.
    PictureUpload,
    /// A chat message.
    ChatMessage,
    /// A post's Markdown rendered before sending.
    Preview,
}

pub struct PerUserLimits {
    friend_requests: DefaultKeyedRateLimiter<UserId>,
    handle_changes: DefaultKeyedRateLimiter<UserId>,
    avatar_uploads: DefaultKeyedRateLimiter<UserId>,
    directory_searches: DefaultKeyedRateLimiter<UserId>,
    forum_posts: DefaultKeyedRateLimiter<UserId>,
    picture_uploads: DefaultKeyedRateLimiter<UserId>,
    chat_messages: DefaultKeyedRateLimiter<UserId>,
    previews: DefaultKeyedRateLimiter<UserId>,
}

const MINUTE: Duration = Duration::from_secs(60);

impl Default for PerUserLimits {
    fn default() -> Self {
        Self {
            // 20 at once, then 20 an hour.
            friend_requests: RateLimiter::keyed(quota(20, 3 * MINUTE)),
            // 3 at once, then 3 a day: every change frees a name for others.
            handle_changes: RateLimiter::keyed(quota(3, 480 * MINUTE)),
            // 10 at once, then 10 an hour.
            avatar_uploads: RateLimiter::keyed(quota(10, 6 * MINUTE)),
            // 60 pages at once, then one a second: typing and scrolling, not
            // walking the whole directory.
            directory_searches: RateLimiter::keyed(quota(60, Duration::from_secs(1))),
            // 10 at once, then one every 6 seconds: a lively discussion,
            // not a flood.
            forum_posts: RateLimiter::keyed(quota(10, Duration::from_secs(6))),
            // 30 at once (a post's ten, three times over), then one every
            // 10 seconds.
            picture_uploads: RateLimiter::keyed(quota(30, Duration::from_secs(10))),
            // 30 at once, then three a second: nobody typing is ever held
            // back, a script is.
            chat_messages: RateLimiter::keyed(quota(30, Duration::from_millis(333))),
            // 60 at once, then two a second: a preview follows typing pauses.
            previews: RateLimiter::keyed(quota(60, Duration::from_millis(500))),
        }
    }
}

impl PerUserLimits {
    pub fn limiter(&self, action: UserAction) -> &DefaultKeyedRateLimiter<UserId> {
        match action {
            UserAction::FriendRequest => &self.friend_requests,
            UserAction::HandleChange => &self.handle_changes,
            UserAction::AvatarUpload => &self.avatar_uploads,
            UserAction::DirectorySearch => &self.directory_searches,
            UserAction::ForumPost => &self.forum_posts,
            UserAction::PictureUpload => &self.picture_uploads,
            UserAction::ChatMessage => &self.chat_messages,
            UserAction::Preview => &self.previews,
        }
    }

    pub fn forget_idle_keys(&self) {
        for limiter in [
            &self.friend_requests,
            &self.handle_changes,
            &self.avatar_uploads,
            &self.directory_searches,
            &self.forum_posts,
            &self.picture_uploads,
            &self.chat_messages,
            &self.previews,
        ] {
            limiter.retain_recent();
        }
    }
}
