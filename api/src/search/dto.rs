//! The search endpoint's query parameters and its hits, one shape per kind.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::core::{CategoryId, ConversationId, PostId, TopicId, UserSummary};

/// What to search for, where, and which page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words sought, 1–100 characters. Every word must match (stemmed,
    /// in Russian and English; `ё` as `е`); the last also as a prefix;
    /// words of 5+ letters also with one typo, ranked below exact matches.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// `topics` (the default), `posts`, `people` (signed in) or `messages`
    /// (mine: signed in).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Topics and posts: in this category.
    pub category: Option<String>,
    /// Topics, posts and messages: written by this handle.
    pub author: Option<String>,
    /// Topics, posts and messages: written at or after this time (RFC
    /// 3339), or on or after this date (`YYYY-MM-DD`, UTC).
    pub since: Option<String>,
    /// Written at or before this time, or on or before this date.
    pub until: Option<String>,
    /// Posts: in this topic.
    pub topic: Option<String>,
    /// Messages: in this conversation.
    pub conversation: Option<String>,
    /// `next_cursor` of the previous page of the same search.
    pub cursor: Option<String>,
    /// Page size, 1–50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
}

/// The category a topic or post is in.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HitCategory {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
}

/// One result. Highlights are safe HTML: the text escaped, the words that
/// matched in `<mark>…</mark>`, long texts cut to the fragments around
/// them.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SearchHit {
    Topic {
        id: TopicId,
        title: String,
        title_highlight: String,
        /// Where the first post matched (its beginning when only the
        /// title did).
        excerpt: String,
        category: HitCategory,
        /// Null once the author's account is gone.
        author: Option<UserSummary>,
        created_at: DateTime<Utc>,
        last_activity_at: DateTime<Utc>,
        reply_count: i32,
    },
    Post {
        id: PostId,
        topic_id: TopicId,
        topic_title: String,
        number: i32,
        author: Option<UserSummary>,
        created_at: DateTime<Utc>,
        highlight: String,
    },
    Person {
        user: UserSummary,
    },
    Message {
        conversation_id: ConversationId,
        seq: i64,
        sender: Option<UserSummary>,
        created_at: DateTime<Utc>,
        highlight: String,
    },
}
