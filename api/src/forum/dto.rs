//! Request and response bodies of topics, posts, likes and reading.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::domain::WatchLevel;
use crate::core::pictures::Picture;
use crate::core::{CategoryId, PostId, TopicId, UploadId, UserSummary};

/// The category a topic is in.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
}

/// Where a signed-in reader stands in a topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadingStatus {
    /// Never opened.
    New,
    /// Opened, with posts after the last one read.
    Unread,
    Read,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Reading {
    pub status: ReadingStatus,
    /// Posts after the last one read (all of them when new).
    pub unread_count: i32,
    /// The post number to open the topic at.
    pub continue_at: i32,
}

impl Reading {
    /// From the last post number read (`None`: never opened).
    pub fn of(last_read_number: Option<i32>, last_post_number: i32) -> Self {
        match last_read_number {
            None => Self {
                status: ReadingStatus::New,
                unread_count: last_post_number,
                continue_at: 1,
            },
            Some(read) => {
                let unread_count = (last_post_number - read).max(0);
                Self {
                    status: if unread_count == 0 {
                        ReadingStatus::Read
                    } else {
                        ReadingStatus::Unread
                    },
                    unread_count,
                    continue_at: (read + 1).clamp(1, last_post_number),
                }
            }
        }
    }
}

/// A topic as lists show it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TopicSummary {
    pub id: TopicId,
    pub category: CategoryRef,
    #[schema(example = "Как настроить уведомления?")]
    pub title: String,
    /// Null once the author's account is deleted.
    pub author: Option<UserSummary>,
    pub created_at: DateTime<Utc>,
    /// When its newest post was written.
    pub last_activity_at: DateTime<Utc>,
    /// Posts after the opening one that are not deleted.
    pub reply_count: i32,
    pub view_count: i64,
    /// The number of its newest post (deleted posts keep their numbers).
    pub last_post_number: i32,
    pub pinned: bool,
    /// Only moderators post in a locked topic.
    pub locked: bool,
    /// Null for signed-out readers.
    pub reading: Option<Reading>,
}

/// One topic.
#[derive(Serialize, ToSchema)]
pub struct Topic {
    #[serde(flatten)]
    pub summary: TopicSummary,
    /// How the signed-in reader follows it; null when signed out.
    pub watch_level: Option<WatchLevel>,
}

/// Why a post shows as deleted.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PostDeletion {
    pub at: DateTime<Utc>,
    /// Removed by a moderator rather than by its author.
    pub by_moderator: bool,
}

/// A post in a topic.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Post {
    pub id: PostId,
    pub topic_id: TopicId,
    /// Its place in the topic: 1 is the opening post; numbers have no gaps.
    pub number: i32,
    pub author: Option<UserSummary>,
    /// The Markdown as written; null when deleted (but for moderators).
    pub body: Option<String>,
    /// Safe HTML rendered from `body`; null when deleted (but for moderators).
    pub html: Option<String>,
    /// The number of the post it answers.
    pub reply_to: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// 1 until edited; each edit adds one.
    pub revision: i32,
    pub like_count: i32,
    /// Whether the signed-in reader likes it; null when signed out.
    pub liked: Option<bool>,
    /// Null while the post stands.
    pub deleted: Option<PostDeletion>,
    /// Its pictures, in the author's order (empty when deleted, but for
    /// moderators).
    pub images: Vec<Picture>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTopicRequest {
    #[schema(
        example = "Как настроить уведомления?",
        min_length = 3,
        max_length = 200
    )]
    pub title: String,
    /// The opening post, in Markdown.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// Up to 10 of my uploads (`POST /api/v1/uploads`) to show with it, in
    /// order; on an edit, omitted keeps the pictures and a list replaces them.
    #[schema(max_items = 10)]
    pub image_ids: Option<Vec<UploadId>>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedTopic {
    pub topic: Topic,
    pub post: Post,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameTopicRequest {
    #[schema(min_length = 3, max_length = 200)]
    pub title: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveTopicRequest {
    /// The slug of the category to move it to.
    pub category: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPostRequest {
    /// Markdown. `@handle` mentions a person; `[quote="handle, post:N"]` …
    /// `[/quote]`, each tag on a line of its own, quotes post N.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// The number of the post this one answers.
    #[schema(minimum = 1)]
    pub reply_to: Option<i32>,
    /// Up to 10 of my uploads (`POST /api/v1/uploads`) to show with it, in
    /// order; on an edit, omitted keeps the pictures and a list replaces them.
    #[schema(max_items = 10)]
    pub image_ids: Option<Vec<UploadId>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditPostRequest {
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// Up to 10 of my uploads (`POST /api/v1/uploads`) to show with it, in
    /// order; on an edit, omitted keeps the pictures and a list replaces them.
    #[schema(max_items = 10)]
    pub image_ids: Option<Vec<UploadId>>,
}

/// Which topics a list shows.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TopicFilter {
    /// All of them.
    #[default]
    Latest,
    /// Those I opened that have posts since I last read them.
    Unread,
    /// Those I started or posted in.
    Mine,
}

impl TopicFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Latest => "latest",
            Self::Unread => "unread",
            Self::Mine => "mine",
        }
    }
}

/// What narrows a list of topics; the order stays pinned first, then by
/// latest activity.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopicFilters {
    /// `latest` (default), `unread` or `mine` (signed in).
    #[param(inline)]
    pub filter: Option<TopicFilter>,
    /// Only the topics this person (a handle) started.
    pub author: Option<String>,
}

/// Which way to read a topic's posts from `from`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadDirection {
    /// Posts numbered `from` and up.
    #[default]
    After,
    /// The posts just before `from`.
    Before,
}

/// Where to start reading a topic's posts; the page is always in number
/// order, and `next_cursor` goes on the same way.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostRange {
    /// A post number, from 1 (default 1).
    #[param(minimum = 1)]
    pub from: Option<i32>,
    #[param(inline)]
    pub direction: Option<ReadDirection>,
}

/// One version of a post.
#[derive(Serialize, ToSchema)]
pub struct Revision {
    pub revision: i32,
    pub body: String,
    /// When this version was written.
    pub created_at: DateTime<Utc>,
    pub editor: Option<UserSummary>,
}

/// A post's likes after liking or unliking it.
#[derive(Serialize, ToSchema)]
pub struct LikeState {
    pub like_count: i32,
    pub liked: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadPositionRequest {
    /// The newest post number read; a smaller one than before changes nothing.
    #[schema(minimum = 0)]
    pub last_read_number: i32,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchRequest {
    pub level: WatchLevel,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_says_new_unread_or_read_and_where_to_go_on() {
        let new = Reading::of(None, 7);
        assert_eq!(
            (new.status, new.unread_count, new.continue_at),
            (ReadingStatus::New, 7, 1)
        );
        let unread = Reading::of(Some(4), 7);
        assert_eq!(
            (unread.status, unread.unread_count, unread.continue_at),
            (ReadingStatus::Unread, 3, 5)
        );
        let read = Reading::of(Some(7), 7);
        assert_eq!(
            (read.status, read.unread_count, read.continue_at),
            (ReadingStatus::Read, 0, 7)
        );
    }
}
